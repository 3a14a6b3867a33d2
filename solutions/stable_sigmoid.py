"""Reference for stable-sigmoid (private)."""
import numpy as np


def sigmoid(x):
    """σ(x) without overflow: exp is only ever taken of −|x|."""
    arr = np.asarray(x, dtype=float)
    z = np.exp(-np.abs(arr))
    out = np.where(arr >= 0, 1.0 / (1.0 + z), z / (1.0 + z))
    return float(out) if np.ndim(x) == 0 and not isinstance(x, np.ndarray) else out


def _t(test_id, fn, kind, points, en, zh, inputs, **extra):
    return {"id": test_id, "function": fn, "kind": kind, "points": points, "name": {"en": en, "zh": zh},
            "inputs": inputs, **extra}


# Between −745 and −709, σ(x) = e^x is a subnormal number: a form that overflows (e^{−x} = inf) returns 0
# there, so stability is judged on the values, with relative accuracy and no absolute slack (_DEEP).
EXTREMES = np.array([-1e4, -2000.0, -800.0, -744.0, -740.0, -730.0, -720.0, -712.0, -709.0, -700.0, -40.0,
                     -1e-8, 0.0, 1e-8, 40.0, 700.0, 709.0, 745.0, 800.0, 2000.0, 1e4])


def _grid(rng, lo, hi, n):
    """An evenly spaced grid, shifted by a random fraction of its step (so no two runs share it)."""
    step = (hi - lo) / (n - 1)
    return np.linspace(lo, hi, n) + rng.uniform(-0.4, 0.4) * step


_TOL = {"rtol": 1e-12, "atol": 1e-300}
_DEEP = {"rtol": 1e-9, "atol": 0.0}   # subnormals carry fewer digits; 1e-9 still tells e^x from 0

CODE_TESTS = {
    "code": [
        _t("grid", "sigmoid", "values", 1, "σ on a grid from −10 to 10", "在 −10 到 10 的网格上计算 σ",
           lambda rng: [(_grid(rng, -10.0, 10.0, 201),)], curve=True, **_TOL),
        _t("random", "sigmoid", "values", 1, "random arrays of several shapes", "多种形状的随机数组",
           lambda rng: [(rng.normal(0, 5, size=(3, 4)),), (rng.normal(0, 20, size=11),),
                        (rng.normal(0, 1, size=(2, 2, 3)),)], **_TOL),
        _t("floats", "sigmoid", "values", 1, "Python floats", "Python 浮点数",
           lambda rng: [(float(rng.uniform(0, 1)),), (float(rng.uniform(-5, -1)),), (float(rng.normal(0, 10)),)], **_TOL),
        _t("extremes", "sigmoid", "stable", 2, "stable for |x| up to 1e4", "对 |x| ≤ 1e4 数值稳定",
           lambda rng: [(EXTREMES * rng.uniform(1.0, 1.0004),), (rng.uniform(-1e4, 1e4, size=(5, 6)),)], **_DEEP),
        _t("tails", "sigmoid", "stable", 1, "hidden: tails, relative accuracy", "隐藏测试：尾部的相对精度",
           lambda rng: [(-rng.uniform(30, 690, size=20),)], visible=False, **_TOL),
    ],
}


def _wrong(why, fails, body):
    return {"why": why, "fails": fails, "source": "import numpy as np\ndef sigmoid(x):\n" + body}


SELF_TESTS = {"code": {"reject": [
    _wrong("overflows: exp(−x) = inf for large negative x, so the subnormal tail becomes 0", {"extremes": "unstable"},
           "    return 1/(1+np.exp(-x))\n"),
    _wrong("the overflow silenced: the values are still 0 in the subnormal tail", {"extremes": "unstable"},
           "    with np.errstate(all='ignore'):\n        return 1/(1+np.exp(-x))\n"),
    _wrong("1 − σ(−x): loses the relative accuracy of the negative tail", {"tails": "unstable"},
           "    return 1 - 1/(1+np.exp(x))\n"),
    _wrong("exp(x)/(1 + exp(x)): inf/inf for large x", {"extremes": "not_finite"},
           "    return np.exp(x)/(1+np.exp(x))\n"),
    _wrong("the sign of the exponent", {"grid": "values", "random": "values"},
           "    x = np.asarray(x, dtype=float)\n    z = np.exp(-np.abs(x))\n"
           "    return np.where(x < 0, 1/(1+z), z/(1+z))\n"),
]}}


def generate(rng):
    return {}
