"""Reference for sigmoid-derivative (private)."""

ANSWERS = {
    "in-sigma": "sigma(x)*(1 - sigma(x))",
    "max": "1/4",
    "argmax": "0",
}

MISCONCEPTIONS = {
    "in-sigma": [
        {"id": "plus-sign", "answer": "sigma(x)*(1 + sigma(x))",
         "feedback": {"en": "Check the sign: σ' = σ(1 − σ), which is why σ' never exceeds 1/4.",
                      "zh": "注意符号：σ' = σ(1 − σ)，这也是 σ' 不超过 1/4 的原因。"}},
        {"id": "squared", "answer": "sigma(x)^2",
         "feedback": {"en": "σ(x)² is only part of it: differentiating (1 + e^{−x})^{−1} gives e^{−x}σ(x)², and e^{−x}σ(x) = 1 − σ(x).",
                      "zh": "σ(x)² 只是其中一部分：对 (1 + e^{−x})^{−1} 求导得 e^{−x}σ(x)²，而 e^{−x}σ(x) = 1 − σ(x)。"}},
        {"id": "tanh-pattern", "answer": "1 - sigma(x)^2",
         "feedback": {"en": "1 − f² is the derivative pattern of tanh, not of σ.",
                      "zh": "1 − f² 是 tanh 的导数形式，不是 σ 的。"}},
    ],
    "max": [
        {"id": "max-of-sigma", "answer": "1",
         "feedback": {"en": "1 is the supremum of σ itself, not of σ'.", "zh": "1 是 σ 本身的上确界，不是 σ' 的。"}},
        {"id": "half", "answer": "1/2",
         "feedback": {"en": "σ(0) = 1/2, but σ'(0) = σ(0)(1 − σ(0)).", "zh": "σ(0) = 1/2，但 σ'(0) = σ(0)(1 − σ(0))。"}},
    ],
}

SELF_TESTS = {
    "in-sigma": {
        "accept": ["sigma(x)(1-sigma(x))", "σ(x)(1−σ(x))", r"\sigma(x)\left(1-\sigma(x)\right)",
                   "sigma(x) - sigma(x)^2", "sigma(x)*sigma(-x)", "sigma(x) - sigma(x)**2",
                   r"\sigma(x) \cdot (1 - \sigma(x))"],
        "reject": [("sigma(x)(1+sigma(x))", "plus-sign"), ("sigma(x)^2", "squared"),
                   ("1-sigma(x)^2", "tanh-pattern"), "sigma(x)", "-sigma(x)*(1-sigma(x))",
                   "diff(sigma(x), x)", "sigma'(x)"],
        "partial": ["exp(-x)/(1+exp(-x))^2", r"\frac{e^{-x}}{(1+e^{-x})^2}"],
        "invalid": ["sigma(x)(1-sigma(x)", "s(x)(1-s(x))", "sigma(x) +", "open('solutions')"],
    },
    "max": {
        "accept": ["0.25", "1/4", "0.25000", "2^-2"],
        "reject": [("1", "max-of-sigma"), ("0.5", "half"), "0.2"],
        "invalid": ["x", "a quarter"],
    },
    "argmax": {
        "accept": ["0", "0.0", "-0"],
        "reject": ["1", "0.25"],
    },
}


# The course's own LaTeX (issue 11); σ' written as a superscript prime is still the forbidden σ'.
SELF_TESTS["in-sigma"]["accept"] += [r"\text{sigmoid}(x)(1 - \text{sigmoid}(x))",
                                     r"\operatorname{sigmoid}(x)\,(1-\operatorname{sigmoid}(x))",
                                     r"$\sigma(x)(1 - \sigma(x))$", "σ（x）（1−σ（x））"]
SELF_TESTS["in-sigma"]["reject"] += [r"\sigma^{'}(x)", r"\sigma^\prime(x)"]


def generate(rng):
    return {}


# -- code part -------------------------------------------------------------------

import numpy as np  # noqa: E402


def _sigmoid(x):
    x = np.asarray(x, dtype=float)
    z = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0 / (1.0 + z), z / (1.0 + z))


def sigmoid_grad(x):
    """σ'(x) = σ(x)(1 − σ(x)), element-wise."""
    s = _sigmoid(x)
    return s * (1.0 - s)


def _grid(rng, lo, hi, n):
    """An evenly spaced grid, shifted by a random fraction of its step (so no two runs share it)."""
    return np.linspace(lo, hi, n) + rng.uniform(-0.4, 0.4) * (hi - lo) / (n - 1)


CODE_TESTS = {
    "code": [
        {"id": "grid", "function": "sigmoid_grad", "kind": "values", "points": 1, "curve": True,
         "name": {"en": "σ' on a grid from −8 to 8", "zh": "在 −8 到 8 的网格上计算 σ'"},
         "inputs": lambda rng: [(_grid(rng, -8.0, 8.0, 161),)]},
        {"id": "random", "function": "sigmoid_grad", "kind": "values", "points": 2,
         "name": {"en": "random arrays of several shapes", "zh": "多种形状的随机数组"},
         "inputs": lambda rng: [(rng.normal(0, 3, size=(4, 5)),), (rng.normal(0, 2, size=7),),
                                (rng.normal(0, 1, size=(2, 3, 2)),)]},
        {"id": "large", "function": "sigmoid_grad", "kind": "values", "points": 1,
         "name": {"en": "large |x| (up to 1000): finite values", "zh": "较大的 |x|（至多 1000）：结果有限"},
         "inputs": lambda rng: [(np.concatenate([-rng.uniform(710, 1000, 3), rng.uniform(710, 1000, 3),
                                                 rng.uniform(-60, 60, 6)]),)]},
        {"id": "hidden", "function": "sigmoid_grad", "kind": "values", "points": 1, "visible": False,
         "name": {"en": "hidden: a scalar and zero", "zh": "隐藏测试：标量与零"},
         "inputs": lambda rng: [(np.array(0.0),), (np.array([0.0, 1.0, -1.0]) * rng.uniform(0.5, 2),)]},
    ],
}


def _wrong(why, fails, body):
    return {"why": why, "fails": fails, "source": "import numpy as np\ndef sigmoid_grad(x):\n" + body}


SELF_TESTS["code"] = {
    "reject": [
        _wrong("σ(1 + σ): the sign of the second factor", {"grid": "values"},
               "    s = 1/(1+np.exp(-x))\n    return s*(1+s)\n"),
        _wrong("e^{−x} alone: the denominator (1 + e^{−x})² is missing", {"grid": "values"}, "    return np.exp(-x)\n"),
        _wrong("e^{−x}/(1 + e^{−x})²: inf/inf for large negative x", {"large": "not_finite"},
               "    e = np.exp(-x)\n    return e/(1+e)**2\n"),
        _wrong("σ(x)(1 − σ(−x)): the sign inside the second σ", {"random": "values"},
               "    s = lambda z: 1/(1+np.exp(-z))\n    return s(x)*(1 - s(-x))\n"),
    ],
}


# The references' sources, proved by `nngrade bank check` (private: they would give answers away)
DERIVED_FROM = {
    "max": {"op": "max", "expr": "sigma(x)*(1 - sigma(x))", "wrt": "x"},
    "argmax": {"op": "argmax", "expr": "sigma(x)*(1 - sigma(x))", "wrt": "x"},
}
