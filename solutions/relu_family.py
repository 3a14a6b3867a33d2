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


def _t(fn, kind, points, en, zh, inputs, **extra):
    return {"function": fn, "kind": kind, "points": points, "name": {"en": en, "zh": zh}, "inputs": inputs, **extra}


GRID = np.linspace(-5.0, 5.0, 201)
WIDE = np.array([-1000.0, -800.0, -710.0, -50.0, -1.0, 0.0, 1.0, 50.0, 710.0, 800.0, 1000.0])

CODE_TESTS = {
    "code": [
        _t("relu", "values", 1, "relu on a grid and random arrays", "在网格与随机数组上计算 relu",
           lambda rng: [(GRID.copy(),), (rng.normal(size=(3, 4)),)], curve=True),
        _t("relu_grad", "values", 1, "relu_grad, including 0, ints and bools", "relu_grad（含 0、整数与布尔输入）",
           lambda rng: [(np.array([-2.0, -0.0, 0.0, 1e-12, 3.0]),), (np.array([-3, 0, 2, 5]),),
                        (np.array([True, False, True]),), (rng.normal(size=(2, 5)),)]),
        _t("leaky_relu", "values", 1, "leaky_relu with its default and a given alpha", "leaky_relu（默认 alpha 与给定 alpha）",
           lambda rng: [(GRID.copy(),), (rng.normal(size=(4, 3)), 0.2)], curve=True),
        _t("elu", "values", 1, "elu with its default and a given alpha", "elu（默认 alpha 与给定 alpha）",
           lambda rng: [(GRID.copy(),), (rng.normal(size=(4, 3)), 0.5)], curve=True),
        _t("elu", "stable", 1, "elu stable for |x| up to 1e3", "elu 对 |x| ≤ 1e3 数值稳定",
           lambda rng: [(WIDE.copy(),), (rng.uniform(-1e3, 1e3, size=30), 2.0)]),
        _t("softplus", "values", 1, "softplus on a grid and random arrays", "在网格与随机数组上计算 softplus",
           lambda rng: [(GRID.copy(),), (rng.normal(0, 4, size=(3, 3)),)], curve=True),
        _t("softplus", "stable", 2, "softplus stable for |x| up to 1e3", "softplus 对 |x| ≤ 1e3 数值稳定",
           lambda rng: [(WIDE.copy(),), (rng.uniform(-1e3, 1e3, size=(4, 8)),)]),
    ],
}

SELF_TESTS["code"] = {"reject": [
    "import numpy as np\n"
    "def relu(x): return np.maximum(x, 0)\n"
    "def relu_grad(x): return (x >= 0).astype(float)\n"
    "def leaky_relu(x, alpha=0.01): return np.where(x > 0, x, alpha*x)\n"
    "def elu(x, alpha=1.0): return np.where(x > 0, x, alpha*(np.exp(x) - 1))\n"
    "def softplus(x): return np.log(1 + np.exp(x))\n",
]}
