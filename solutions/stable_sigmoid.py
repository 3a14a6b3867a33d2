"""Reference for stable-sigmoid (private)."""
import numpy as np


def sigmoid(x):
    """σ(x) without overflow: exp is only ever taken of −|x|."""
    arr = np.asarray(x, dtype=float)
    z = np.exp(-np.abs(arr))
    out = np.where(arr >= 0, 1.0 / (1.0 + z), z / (1.0 + z))
    return float(out) if np.ndim(x) == 0 and not isinstance(x, np.ndarray) else out


def _t(fn, kind, points, en, zh, inputs, **extra):
    return {"function": fn, "kind": kind, "points": points, "name": {"en": en, "zh": zh}, "inputs": inputs, **extra}


EXTREMES = np.array([-1e4, -2000.0, -800.0, -745.0, -709.0, -700.0, -40.0, -1e-8, 0.0, 1e-8, 40.0, 700.0,
                     709.0, 745.0, 800.0, 2000.0, 1e4])

CODE_TESTS = {
    "code": [
        _t("sigmoid", "values", 1, "σ on a grid from −10 to 10", "在 −10 到 10 的网格上计算 σ",
           lambda rng: [(np.linspace(-10.0, 10.0, 201),)], curve=True, rtol=1e-12, atol=1e-300),
        _t("sigmoid", "values", 1, "random arrays of several shapes", "多种形状的随机数组",
           lambda rng: [(rng.normal(0, 5, size=(3, 4)),), (rng.normal(0, 20, size=11),),
                        (rng.normal(0, 1, size=(2, 2, 3)),)], rtol=1e-12, atol=1e-300),
        _t("sigmoid", "values", 1, "Python floats", "Python 浮点数",
           lambda rng: [(0.5,), (-3.25,), (float(rng.normal(0, 10)),)], rtol=1e-12, atol=1e-300),
        _t("sigmoid", "stable", 2, "stable for |x| up to 1e4", "对 |x| ≤ 1e4 数值稳定",
           lambda rng: [(EXTREMES.copy(),), (rng.uniform(-1e4, 1e4, size=(5, 6)),)], rtol=1e-12, atol=1e-300),
        _t("sigmoid", "stable", 1, "hidden: tails, relative accuracy", "隐藏测试：尾部的相对精度",
           lambda rng: [(-rng.uniform(30, 690, size=20),)], rtol=1e-12, atol=1e-300, visible=False),
    ],
}

SELF_TESTS = {"code": {"reject": [
    "import numpy as np\ndef sigmoid(x):\n    return 1/(1+np.exp(-x))\n",
    "import numpy as np\ndef sigmoid(x):\n    return 1 - 1/(1+np.exp(x))\n",
    "import numpy as np\ndef sigmoid(x):\n    return np.exp(x)/(1+np.exp(x))\n",
]}}


def generate(rng):
    return {}
