"""Reference for vanishing-gradient-proof (private). The assignment (seed 004, Q3.3): every
factor ∂y^{(k)}/∂y^{(k−1)} holds σ'(u^{(k)}) ∈ (0, 1/4], so ∏_{k=i}^{D} σ' ≤ (1/4)^{D−i+1}."""

ANSWERS = {"square": "1/4 - (sigma(x) - 1/2)^2", "why-bound": "A", "product-bound": "(1/4)^(D - i + 1)",
           "weights": ["A", "B"]}

DERIVED_FROM = {"product-bound": {"op": "same", "expr": "4^(-(D - i + 1))"}}

MISCONCEPTIONS = {
    "product-bound": [
        {"id": "off-by-one", "answer": "(1/4)^(D - i)",
         "feedback": {"en": "Count the factors: k runs from i to D, that is D − i + 1 of them.", "zh": "数一数因子：k 从 i 到 D，共 D − i + 1 个。"}},
        {"id": "whole-depth", "answer": "(1/4)^D",
         "feedback": {"en": "Only the layers from i to D lie between layer i and the output: D − i + 1 factors, not D.",
                      "zh": "第 i 层与输出之间只有第 i 层到第 D 层：共 D − i + 1 个因子，而不是 D 个。"}},
        {"id": "added", "answer": "(D - i + 1)/4",
         "feedback": {"en": "The factors multiply: each contributes ≤ 1/4, so the bound is a power of 1/4.",
                      "zh": "这些因子是相乘的：每个都 ≤ 1/4，所以上界是 1/4 的幂。"}},
    ],
}

OPTION_FEEDBACK = {
    "why-bound": {"B": {"en": "σ'(x) → 0, not 1/4, as x → ∞: the maximum is at x = 0.", "zh": "x → ∞ 时 σ'(x) → 0，而不是 1/4：最大值在 x = 0 处。"}},
    "weights": {
        "C": {"en": "The weights multiply in too: the σ' bound alone says nothing when ‖W‖ is large.", "zh": "权重也参与相乘：当 ‖W‖ 很大时，仅凭 σ' 的上界无法下结论。"},
        "D": {"en": "tanh'(x) = 1 − tanh²(x) ≤ 1, with the maximum 1 at 0: the same argument gives only the bound 1.",
              "zh": "tanh'(x) = 1 − tanh²(x) ≤ 1，最大值 1 在 0 处取得：同样的论证只能给出上界 1。"},
    },
}

SELF_TESTS = {
    "square": {
        "accept": [["sigma(x)*(1 - sigma(x))", "sigma(x) - sigma(x)^2", "1/4 - (sigma(x)^2 - sigma(x) + 1/4)", "1/4 - (sigma(x) - 1/2)^2"],
                   "\\sigma(x)(1-\\sigma(x))\n= \\sigma(x) - \\sigma(x)^2\n= \\frac{1}{4} - \\left(\\sigma(x) - \\frac{1}{2}\\right)^2"],
        "reject": [["sigma(x)*(1 - sigma(x))", "sigma(x) - sigma(x)^2", "1/4 - (sigma(x) + 1/2)^2"],
                   ["sigma(x)*(1 + sigma(x))", "1/4 - (sigma(x) - 1/2)^2"],
                   ["sigma(x)*(1 - sigma(x))", "1/2 - (sigma(x) - 1/2)^2"]],
        "invalid": [["sigma(x)*(1 - sigma(x))", "sigma(x) - sigma(x)^"], ["sigma(x)*(1 - sigma(x))"]],
        # valid, but the required step (the product multiplied out, σ − σ²) is skipped
        "partial": [["sigma(x)*(1 - sigma(x))", "1/4 - (sigma(x) - 1/2)^2"],
                    ["sigma(x)*(1 - sigma(x))", "sigma(x)*(1 - sigma(x)) + 0", "1/4 - (sigma(x) - 1/2)^2"]],
    },
    "why-bound": {"accept": ["A"], "reject": ["B", "C", "D"], "invalid": ["E"]},
    "product-bound": {
        "accept": ["(1/4)^(D - i + 1)", "0.25^(D-i+1)", r"\left(\frac{1}{4}\right)^{D-i+1}", "4^(i - D - 1)", "(1/4)^(D-i)/4"],
        "reject": [("(1/4)^(D - i)", "off-by-one"), ("(1/4)^D", "whole-depth"), ("(D - i + 1)/4", "added"), "(1/2)^(D-i+1)", "(1/4)^(D+i+1)"],
        "invalid": ["(1/4)^(L - i + 1)", "(1/4)^(D - i + 1"],
    },
    "weights": {"accept": ["A, B"], "reject": ["C", "D", "C, D"], "partial": ["A", "B", "A, B, D"], "invalid": ["A, Q"]},
}


def generate(rng):
    D = int(rng.integers(6, 16))
    return {"D": D, "i": int(rng.integers(1, D - 2))}


ANSWERS["layers"] = lambda p: 0.25 ** (p["D"] - p["i"] + 1)
MISCONCEPTIONS["layers"] = [
    {"id": "off-by-one", "answer": lambda p: 0.25 ** (p["D"] - p["i"]),
     "feedback": MISCONCEPTIONS["product-bound"][0]["feedback"]},
    {"id": "whole-depth", "answer": lambda p: 0.25 ** p["D"],
     "feedback": MISCONCEPTIONS["product-bound"][1]["feedback"]},
]
