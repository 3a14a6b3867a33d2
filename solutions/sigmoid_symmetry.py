"""Reference for sigmoid-symmetry (private)."""

ANSWERS = {
    "identity": "sigma(-x)",
    "proof": "sigma(-x)",
}

MISCONCEPTIONS = {
    "identity": [
        {"id": "negated-output", "answer": "-sigma(x)",
         "feedback": {"en": "1 − σ(x) lies in (0, 1); −σ(x) is negative. Reflect the input, not the output.",
                      "zh": "1 − σ(x) 的取值在 (0, 1) 内，而 −σ(x) 为负。应当对输入取反，而不是对输出取反。"}},
        {"id": "shifted-input", "answer": "sigma(1 - x)",
         "feedback": {"en": "The 1 belongs outside σ: 1 − σ(x) is σ evaluated at −x.",
                      "zh": "1 应该在 σ 外面：1 − σ(x) 等于 σ 在 −x 处的值。"}},
        {"id": "reciprocal", "answer": "1/sigma(x)",
         "feedback": {"en": "1/σ(x) = 1 + e^{−x} is larger than 1; the complement of σ(x) is σ(−x).",
                      "zh": "1/σ(x) = 1 + e^{−x} 大于 1；σ(x) 的补是 σ(−x)。"}},
    ],
}

SELF_TESTS = {
    "identity": {
        "accept": ["σ(-x)", r"\sigma(-x)", "sigma(−x)", "sigmoid(-x)", r"\sigma\left(-x\right)", "sigma(0-x)"],
        "reject": [("-sigma(x)", "negated-output"), ("sigma(1-x)", "shifted-input"),
                   ("1/sigma(x)", "reciprocal"), "sigma(x)"],
        "partial": ["1 - sigma(x)", "1/(1+exp(x))", "exp(-x)/(1+exp(-x))"],
        "invalid": ["sigma(-x", "sigma(-y)", "__import__('os')"],
    },
    "proof": {
        "accept": [["1 - sigma(x)", "1 - 1/(1+exp(-x))", "exp(-x)/(1+exp(-x))", "1/(exp(x)+1)", "sigma(-x)"],
                   "1 - \\sigma(x)\n= \\frac{e^{-x}}{1+e^{-x}}\n= \\frac{1}{1+e^{x}}\n= \\sigma(-x)"],
        "reject": [["1 - sigma(x)", "1/(1+exp(-x))", "sigma(-x)"],
                   ["1 - sigma(x)", "exp(-x)/(1+exp(-x))", "1/(1+exp(x))"],
                   ["sigma(x)", "sigma(-x)"]],
        "invalid": [["1 - sigma(x)", "1/(1+exp(-x)"], ["1 - sigma(x)"]],
        # valid, but 1 − σ(x) is never brought to one fraction in exponentials
        "partial": [["1 - sigma(x)", "sigma(-x)"], ["1 - sigma(x)", "1 - 1/(1+exp(-x))", "sigma(-x)"]],
    },
}


def generate(rng):
    return {}


# The reference's source, proved by `nngrade bank check` (private: it would give the answer away)
DERIVED_FROM = {"identity": {"op": "same", "expr": "1 - sigma(x)"}}
