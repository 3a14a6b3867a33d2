# résumé in Latin-1
import numpy as np
