"""Reference for activation-derivatives (private)."""

import numpy as np

ANSWERS = {"leaky-derivative": "alpha", "elu-from-output": "y + alpha"}

MISCONCEPTIONS = {
    "leaky-derivative": [
        {"id": "function-not-derivative", "answer": "alpha*x",
         "feedback": {"en": "αx is the function; its derivative is the constant slope α.", "zh": "αx 是函数本身；它的导数是常数斜率 α。"}},
        {"id": "relu-derivative", "answer": "0",
         "feedback": {"en": "0 is ReLU's derivative for x < 0; Leaky ReLU keeps the slope α there.", "zh": "0 是 ReLU 在 x < 0 时的导数；Leaky ReLU 在那里保持斜率 α。"}},
        {"id": "positive-branch", "answer": "1",
         "feedback": {"en": "1 is the slope for x > 0; for x < 0 it is α.", "zh": "1 是 x > 0 时的斜率；x < 0 时是 α。"}},
    ],
    "elu-from-output": [
        {"id": "output-only", "answer": "y",
         "feedback": {"en": "ELU'(x) = αeˣ = α(eˣ − 1) + α = y + α: add α.", "zh": "ELU'(x) = αeˣ = α(eˣ − 1) + α = y + α：要加上 α。"}},
        {"id": "sigmoid-pattern", "answer": "y*(1 - y)",
         "feedback": {"en": "y(1 − y) is the sigmoid's pattern; for ELU, αeˣ = y + α.", "zh": "y(1 − y) 是 sigmoid 的形式；对 ELU，αeˣ = y + α。"}},
        {"id": "minus-alpha", "answer": "y - alpha",
         "feedback": {"en": "y = α(eˣ − 1), so αeˣ = y + α, not y − α.", "zh": "y = α(eˣ − 1)，所以 αeˣ = y + α，而不是 y − α。"}},
        {"id": "times-alpha", "answer": "alpha*(y + 1)",
         "feedback": {"en": "αeˣ = y + α: y already carries the factor α.", "zh": "αeˣ = y + α：y 已经带有因子 α。"}},
    ],
}

SELF_TESTS = {
    "leaky-derivative": {
        "accept": ["alpha", r"\alpha", "α"],
        "reject": [("alpha*x", "function-not-derivative"), ("0", "relu-derivative"), ("1", "positive-branch"), "alpha^2"],
        "invalid": ["alpha*", "a"],
    },
    "elu-from-output": {
        "accept": ["y + alpha", r"y + \alpha", "alpha + y", "α + y"],
        "reject": [("y", "output-only"), ("y*(1-y)", "sigmoid-pattern"), ("y - alpha", "minus-alpha"),
                   ("alpha*(y+1)", "times-alpha"), "alpha"],
        "partial": ["alpha*exp(x)", r"\alpha e^{x}"],     # right value, not in terms of y: form credit
        "invalid": ["alpha*exp(x) + z", "y +"],
    },
}


def generate(rng):
    return {"alpha": float(rng.choice([0.5, 1.0, 1.5, 2.0, 0.2]))}


ANSWERS["elu-limit"] = lambda p: -p["alpha"]
MISCONCEPTIONS["elu-limit"] = [
    {"id": "zero", "answer": lambda p: 0.0,
     "feedback": {"en": "That is ReLU's limit; ELU tends to α(0 − 1) = −α.", "zh": "那是 ReLU 的极限；ELU 趋近于 α(0 − 1) = −α。"}},
    {"id": "minus-one", "answer": lambda p: -1.0,
     "feedback": {"en": "The saturation value is −α, which is −1 only when α = 1.", "zh": "饱和值是 −α，只有 α = 1 时才是 −1。"}},
]


def leaky_relu_grad(x, alpha=0.01):
    x = np.asarray(x, dtype=float)
    return np.where(x > 0, 1.0, alpha)


def elu_grad(x, alpha=1.0):
    x = np.asarray(x, dtype=float)
    return np.where(x > 0, 1.0, alpha * np.exp(np.minimum(x, 0.0)))


def tanh_grad(x):
    return 1.0 - np.tanh(np.asarray(x, dtype=float)) ** 2


def _t(test_id, fn, kind, points, en, zh, inputs, **extra):
    return {"id": test_id, "function": fn, "kind": kind, "points": points, "name": {"en": en, "zh": zh},
            "inputs": inputs, **extra}


def _with_zero(rng):
    x = rng.normal(size=(4, 3))
    x[0, 0] = 0.0
    return x


def _grid(rng):
    out = np.linspace(-4.0, 4.0, 161) + rng.uniform(-0.02, 0.02)
    out[80] = 0.0
    return out


CODE_TESTS = {
    "code": [
        _t("leaky", "leaky_relu_grad", "values", 1, "leaky_relu_grad with its default and a given alpha, 0 included",
           "leaky_relu_grad（默认与给定 alpha，含 0）",
           lambda rng: [(_grid(rng),), (rng.normal(size=(3, 4)), float(rng.uniform(0.1, 0.3)))], curve=True),
        _t("elu", "elu_grad", "values", 1, "elu_grad with its default and a given alpha, 0 included",
           "elu_grad（默认与给定 alpha，含 0）",
           lambda rng: [(_grid(rng),), (_with_zero(rng), float(rng.uniform(1.5, 2.5)))], curve=True),
        _t("elu-stable", "elu_grad", "stable", 1, "elu_grad stable for |x| up to 1e3", "elu_grad 对 |x| ≤ 1e3 数值稳定",
           lambda rng: [(np.array([-1000.0, -750.0, -1.0, 0.0, 1.0, 710.0, 800.0, 1000.0]) * rng.uniform(1, 1.05),)]),
        _t("tanh", "tanh_grad", "values", 1, "tanh_grad on a grid and random arrays", "在网格与随机数组上计算 tanh_grad",
           lambda rng: [(_grid(rng),), (rng.normal(0, 3, size=(2, 5)),)], curve=True),
    ],
}

_FNS = {
    "leaky": "def leaky_relu_grad(x, alpha=0.01): return np.where(np.asarray(x) > 0, 1.0, alpha)\n",
    "elu": "def elu_grad(x, alpha=1.0): return np.where(np.asarray(x) > 0, 1.0, alpha*np.exp(np.minimum(x, 0.0)))\n",
    "tanh": "def tanh_grad(x): return 1.0 - np.tanh(x)**2\n",
}


def _wrong(why, fails, **replace):
    return {"why": why, "fails": fails, "source": "import numpy as np\n" + "".join({**_FNS, **replace}.values())}


SELF_TESTS["code"] = {"reject": [
    _wrong("leaky_relu_grad: α·x for x ≤ 0 (the function, not its slope)", {"leaky": "values"},
           leaky="def leaky_relu_grad(x, alpha=0.01): return np.where(np.asarray(x) > 0, 1.0, alpha*np.asarray(x))\n"),
    _wrong("elu_grad: 1 at x = 0", {"elu": "values"},
           elu="def elu_grad(x, alpha=1.0): return np.where(np.asarray(x) >= 0, 1.0, alpha*np.exp(np.minimum(x, 0.0)))\n"),
    _wrong("elu_grad: α·(eˣ − 1), the function's branch", {"elu": "values"},
           elu="def elu_grad(x, alpha=1.0): return np.where(np.asarray(x) > 0, 1.0, alpha*np.expm1(np.minimum(x, 0.0)))\n"),
    _wrong("elu_grad: eˣ overflows to inf·0 = nan in the masked branch", {"elu-stable": None},
           elu="def elu_grad(x, alpha=1.0):\n    x = np.asarray(x, dtype=float)\n    return (x > 0) + (x <= 0)*alpha*np.exp(x)\n"),
    _wrong("tanh_grad: 1 − x² (tanh forgotten)", {"tanh": "values"}, tanh="def tanh_grad(x): return 1.0 - np.asarray(x)**2\n"),
]}

# SymPy certifies the reference: the derivative of the x ≤ 0 branch (private: it gives the answer away)
DERIVED_FROM = {"leaky-derivative": {"op": "diff", "expr": "alpha*x", "wrt": "x"}}
