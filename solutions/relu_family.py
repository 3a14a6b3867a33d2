"""Reference for relu-family (private). The code part arrives with the sandbox."""

ANSWERS = {
    "softplus-derivative": "sigma(x)",
    "elu-derivative-negative": "alpha*exp(x)",
}

MISCONCEPTIONS = {
    "softplus-derivative": [
        {"id": "reflected", "answer": "sigma(-x)",
         "feedback": {"en": "d/dx log(1 + eˣ) = eˣ/(1 + eˣ) = σ(x), not σ(−x) = 1/(1 + eˣ).",
                      "zh": "d/dx log(1 + eˣ) = eˣ/(1 + eˣ) = σ(x)，而不是 σ(−x) = 1/(1 + eˣ)。"}},
        {"id": "chain-rule-dropped", "answer": "1/(1 + exp(x))",
         "feedback": {"en": "The chain rule multiplies 1/(1 + eˣ) by the inner derivative eˣ.",
                      "zh": "链式法则要求把 1/(1 + eˣ) 乘以内层导数 eˣ。"}},
        {"id": "differentiated-twice", "answer": "sigma(x)*(1 - sigma(x))",
         "feedback": {"en": "σ(x)(1 − σ(x)) is the second derivative of softplus; its first derivative is σ(x).",
                      "zh": "σ(x)(1 − σ(x)) 是 softplus 的二阶导数；一阶导数是 σ(x)。"}},
        {"id": "exp-only", "answer": "exp(x)",
         "feedback": {"en": "eˣ is the derivative of the inner term only; divide by 1 + eˣ.",
                      "zh": "eˣ 只是内层的导数；还要除以 1 + eˣ。"}},
    ],
    "elu-derivative-negative": [
        {"id": "function-not-derivative", "answer": "alpha*(exp(x) - 1)",
         "feedback": {"en": "That is ELU(x) itself; the −1 is a constant and vanishes when differentiating.",
                      "zh": "这是 ELU(x) 本身；−1 是常数，求导后消失。"}},
        {"id": "alpha-dropped", "answer": "exp(x)",
         "feedback": {"en": "The factor α stays: d/dx α(eˣ − 1) = αeˣ.", "zh": "系数 α 要保留：d/dx α(eˣ − 1) = αeˣ。"}},
        {"id": "constant-alpha", "answer": "alpha",
         "feedback": {"en": "The slope is not constant for x < 0: it decays as αeˣ.", "zh": "x < 0 时斜率不是常数：它按 αeˣ 衰减。"}},
    ],
}

SELF_TESTS = {
    "softplus-derivative": {
        "accept": ["sigma(x)", "exp(x)/(1+exp(x))", "1/(1+exp(-x))", r"\frac{e^x}{1+e^x}", "σ(x)", "1 - sigma(-x)"],
        "reject": [("sigma(-x)", "reflected"), ("exp(x)", "exp-only"), ("sigma(x)(1-sigma(x))", "differentiated-twice"),
                   "log(1+exp(x))"],
        "invalid": ["sigma(x))", "softplus'(x)", "d/dx log(1+e^x)"],
    },
    "elu-derivative-negative": {
        "accept": ["alpha*exp(x)", r"\alpha e^{x}", "α e^x", "alpha e^x", "alpha*(exp(x)-1) + alpha"],
        "reject": [("alpha*(exp(x)-1)", "function-not-derivative"), ("exp(x)", "alpha-dropped"),
                   ("alpha", "constant-alpha"), "1"],
        "invalid": ["alpha exp(", "a*exp(x)"],
    },
}


def generate(rng):
    return {}


# -- code part -------------------------------------------------------------------

import numpy as np  # noqa: E402


def relu(x):
    return np.maximum(np.asarray(x, dtype=float), 0.0)


def relu_grad(x):
    return (np.asarray(x) > 0).astype(float)


def leaky_relu(x, alpha=0.01):
    x = np.asarray(x, dtype=float)
    return np.where(x > 0, x, alpha * x)


def elu(x, alpha=1.0):
    x = np.asarray(x, dtype=float)
    return np.where(x > 0, x, alpha * np.expm1(np.minimum(x, 0.0)))


def softplus(x):
    x = np.asarray(x, dtype=float)
    return np.maximum(x, 0.0) + np.log1p(np.exp(-np.abs(x)))


def _t(test_id, fn, kind, points, en, zh, inputs, **extra):
    return {"id": test_id, "function": fn, "kind": kind, "points": points, "name": {"en": en, "zh": zh},
            "inputs": inputs, **extra}


GRID = np.linspace(-5.0, 5.0, 201)
WIDE = np.array([-1000.0, -800.0, -710.0, -50.0, -1.0, 0.0, 1.0, 50.0, 710.0, 800.0, 1000.0])


def _grid(rng):
    """The grid shifted by a random fraction of its step, 0 kept in it (so no two runs share it)."""
    out = GRID + rng.uniform(-0.02, 0.02)
    out[100] = 0.0
    return out


def _wide(rng):
    return WIDE * rng.uniform(1.0, 1.05)


CODE_TESTS = {
    "code": [
        _t("relu", "relu", "values", 1, "relu on a grid and random arrays", "在网格与随机数组上计算 relu",
           lambda rng: [(_grid(rng),), (rng.normal(size=(3, 4)),)], curve=True),
        _t("relu_grad", "relu_grad", "values", 1, "relu_grad, including 0, ints and bools", "relu_grad（含 0、整数与布尔输入）",
           lambda rng: [(np.array([-2.0, -0.0, 0.0, 1e-12, 3.0]) * rng.uniform(1, 2),),
                        (rng.integers(-3, 4, size=5),), (rng.random(4) < 0.5,), (rng.normal(size=(2, 5)),)]),
        _t("leaky", "leaky_relu", "values", 1, "leaky_relu with its default and a given alpha", "leaky_relu（默认 alpha 与给定 alpha）",
           lambda rng: [(_grid(rng),), (rng.normal(size=(4, 3)), float(rng.uniform(0.1, 0.3)))], curve=True),
        _t("elu", "elu", "values", 1, "elu with its default and a given alpha", "elu（默认 alpha 与给定 alpha）",
           lambda rng: [(_grid(rng),), (rng.normal(size=(4, 3)), float(rng.uniform(0.3, 0.7)))], curve=True),
        _t("elu-stable", "elu", "stable", 1, "elu stable for |x| up to 1e3", "elu 对 |x| ≤ 1e3 数值稳定",
           lambda rng: [(_wide(rng),), (rng.uniform(-1e3, 1e3, size=30), 2.0)]),
        _t("softplus", "softplus", "values", 1, "softplus on a grid and random arrays", "在网格与随机数组上计算 softplus",
           lambda rng: [(_grid(rng),), (rng.normal(0, 4, size=(3, 3)),)], curve=True),
        _t("softplus-stable", "softplus", "stable", 2, "softplus stable for |x| up to 1e3", "softplus 对 |x| ≤ 1e3 数值稳定",
           lambda rng: [(_wide(rng),), (rng.uniform(-1e3, 1e3, size=(4, 8)),)]),
    ],
}

_FNS = {
    "relu": "def relu(x): return np.maximum(np.asarray(x, dtype=float), 0.0)\n",
    "relu_grad": "def relu_grad(x): return (np.asarray(x) > 0).astype(float)\n",
    "leaky": "def leaky_relu(x, alpha=0.01):\n    x = np.asarray(x, dtype=float)\n    return np.where(x > 0, x, alpha*x)\n",
    "elu": "def elu(x, alpha=1.0):\n    x = np.asarray(x, dtype=float)\n    return np.where(x > 0, x, alpha*np.expm1(np.minimum(x, 0)))\n",
    "softplus": "def softplus(x):\n    x = np.asarray(x, dtype=float)\n    return np.maximum(x, 0) + np.log1p(np.exp(-np.abs(x)))\n",
}


def _wrong(why, fails, **replace):
    return {"why": why, "fails": fails, "source": "import numpy as np\n" + "".join({**_FNS, **replace}.values())}


SELF_TESTS["code"] = {"reject": [
    _wrong("relu_grad: 1 at x = 0", {"relu_grad": "values"},
           relu_grad="def relu_grad(x): return (np.asarray(x) >= 0).astype(float)\n"),
    _wrong("softplus: log(1 + e^x) overflows", {"softplus-stable": None},
           softplus="def softplus(x): return np.log(1 + np.exp(x))\n"),
    _wrong("elu by masks: 0 · e^x = 0 · inf = nan for large positive x", {"elu-stable": "not_finite"},
           elu="def elu(x, alpha=1.0):\n    x = np.asarray(x, dtype=float)\n"
               "    return (x > 0)*x + (x <= 0)*alpha*(np.exp(x) - 1)\n"),
    _wrong("leaky_relu: alpha ignored", {"leaky": "values"},
           leaky="def leaky_relu(x, alpha=0.01): return np.where(x > 0, x, 0.01*x)\n"),
    _wrong("elu: the factor alpha missing", {"elu": "values"},
           elu="def elu(x, alpha=1.0): return np.where(x > 0, x, np.expm1(np.minimum(x, 0)))\n"),
    _wrong("relu: zeroes the input in place", {"relu": "mutated"},
           relu="def relu(x):\n    x[x < 0] = 0\n    return x\n"),
]}
