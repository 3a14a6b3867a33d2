"""Reference for gradient-clipping (private)."""
import numpy as np


def clip_by_norm(g, max_norm):
    norm = float(np.sqrt(np.sum(g * g)))
    return g * (max_norm / norm) if norm > max_norm else g.copy()


CODE_TESTS = {
    "code": [
        {"id": "vector", "function": "clip_by_norm", "kind": "values", "points": 1,
         "name": {"en": "a vector that is too long", "zh": "范数过大的向量"},
         "inputs": lambda rng: [(rng.normal(0, 10, size=6), 1.0)]},
        {"id": "matrix", "function": "clip_by_norm", "kind": "values", "points": 1,
         "name": {"en": "a matrix (Frobenius norm)", "zh": "矩阵（Frobenius 范数）"},
         "inputs": lambda rng: [(rng.normal(0, 5, size=(3, 4)), 2.5)]},
        {"id": "short", "function": "clip_by_norm", "kind": "values", "points": 1,
         "name": {"en": "short enough: unchanged", "zh": "范数不超限：保持不变"},
         "inputs": lambda rng: [(rng.normal(0, 0.1, size=(2, 3)), 10.0),
                                (np.array([3.0, 4.0]) * rng.uniform(0.5, 2.0), 5.0 * rng.uniform(2.0, 3.0))]},
    ],
}

_CLIP = ("import numpy as np\n"
         "def clip_by_norm(g, max_norm):\n"
         "    n = np.linalg.norm(g)\n"
         "    return g*(max_norm/n) if n > max_norm else g.copy()\n")


def _wrong(why, fails, old, new):
    return {"why": why, "fails": fails, "source": _CLIP.replace(old, new)}


SELF_TESTS = {"code": {"reject": [
    _wrong("clips each entry instead of the norm", {"vector": "values", "matrix": "values"},
           "    return g*(max_norm/n) if n > max_norm else g.copy()\n", "    return np.clip(g, -max_norm, max_norm)\n"),
    _wrong("rescales in place", {"vector": "mutated"},
           "    return g*(max_norm/n) if n > max_norm else g.copy()\n",
           "    if n > max_norm:\n        g *= max_norm/n\n    return g\n"),
    _wrong("rescales even when the norm is small enough", {"short": "values"},
           "g*(max_norm/n) if n > max_norm else g.copy()", "g*(max_norm/n)"),
    _wrong("the norm of each row, not of the whole gradient", {"matrix": "values"},
           "    n = np.linalg.norm(g)\n    return g*(max_norm/n) if n > max_norm else g.copy()\n",
           "    n = np.linalg.norm(g, axis=-1, keepdims=True)\n    return np.where(n > max_norm, g*(max_norm/n), g)\n"),
]}}


def generate(rng):
    return {}
