"""Reference for gradient-clipping (private)."""
import numpy as np


def clip_by_norm(g, max_norm):
    norm = float(np.sqrt(np.sum(g * g)))
    return g * (max_norm / norm) if norm > max_norm else g.copy()


CODE_TESTS = {
    "code": [
        {"function": "clip_by_norm", "kind": "values", "points": 1, "name": {"en": "a vector that is too long", "zh": "范数过大的向量"},
         "inputs": lambda rng: [(rng.normal(0, 10, size=6), 1.0)]},
        {"function": "clip_by_norm", "kind": "values", "points": 1, "name": {"en": "a matrix (Frobenius norm)", "zh": "矩阵（Frobenius 范数）"},
         "inputs": lambda rng: [(rng.normal(0, 5, size=(3, 4)), 2.5)]},
        {"function": "clip_by_norm", "kind": "values", "points": 1, "name": {"en": "short enough: unchanged", "zh": "范数不超限：保持不变"},
         "inputs": lambda rng: [(rng.normal(0, 0.1, size=(2, 3)), 10.0), (np.array([3.0, 4.0]), 5.0)]},
    ],
}

SELF_TESTS = {"code": {"reject": [
    "import numpy as np\ndef clip_by_norm(g, max_norm):\n    return np.clip(g, -max_norm, max_norm)\n",
    "import numpy as np\ndef clip_by_norm(g, max_norm):\n    n = np.linalg.norm(g)\n    if n > max_norm:\n        g *= max_norm/n\n    return g\n",
]}}


def generate(rng):
    return {}
