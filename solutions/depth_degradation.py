"""Reference for depth-degradation (private)."""

ANSWERS = {"diagnose": "A", "overfitting-sign": "A", "problems": ["A", "B", "C", "D"], "residual-target": "h(x) - x"}

MISCONCEPTIONS = {
    "residual-target": [
        {"id": "whole-target", "answer": "h(x)",
         "feedback": {"en": "f(x) + x ≈ h(x), so f only has to learn the residual h(x) − x.", "zh": "f(x) + x ≈ h(x)，所以 f 只需学习残差 h(x) − x。"}},
        {"id": "reversed", "answer": "x - h(x)",
         "feedback": {"en": "Check the sign: f(x) = h(x) − x makes f(x) + x equal h(x).", "zh": "检查符号：f(x) = h(x) − x 才能使 f(x) + x 等于 h(x)。"}},
        {"id": "added", "answer": "h(x) + x",
         "feedback": {"en": "The shortcut adds x, so f must subtract it: h(x) − x.", "zh": "捷径已经加上了 x，所以 f 要减去它：h(x) − x。"}},
    ],
}

OPTION_FEEDBACK = {
    "diagnose": {
        "B": {"en": "Overfitting lowers the training error; here the training error itself is higher.", "zh": "过拟合会降低训练误差；而这里训练误差本身更高。"},
        "D": {"en": "A deeper plain network could copy the shallow one with identity layers, but SGD does not find that: this is degradation, not a bug.",
              "zh": "更深的普通网络理论上可以用恒等层复制浅层网络，但 SGD 找不到这样的解：这是退化，不是程序错误。"},
    },
    "overfitting-sign": {"B": {"en": "A training loss that rises with depth is degradation.", "zh": "训练 loss 随深度上升是退化。"}},
    "problems": {"E": {"en": "More layers mean more parameters.", "zh": "层数越多，参数越多。"}},
}

RUBRICS = {
    "explain": [
        {"idea": {"en": "the identity shortcut passes the signal/gradient directly", "zh": "恒等捷径直接传递信号/梯度"},
         "en": ["identity", "shortcut", "skip", "directly"], "zh": ["恒等", "捷径", "跳跃", "直接"]},
        {"idea": {"en": "the gradient gets a term 1 + …, so it does not vanish", "zh": "梯度中有 1 + … 项，因此不会消失"},
         "en": ["1 +", "one plus", "does not vanish", "not vanish", "vanishing"], "zh": ["1 +", "不会消失", "梯度消失"]},
        {"idea": {"en": "learning the residual h(x) − x is easier than learning h(x)", "zh": "学习残差 h(x) − x 比学习 h(x) 更容易"},
         "en": ["residual", "easier"], "zh": ["残差", "更容易"]},
    ],
}

SELF_TESTS = {
    "diagnose": {"accept": ["A"], "reject": ["B", "C", "D"]},
    "overfitting-sign": {"accept": ["A"], "reject": ["B", "C"]},
    "problems": {"accept": ["A, B, C, D", "ABCD"], "reject": ["E"], "partial": ["D", "C, D", "A, B, C, D, E"]},
    "residual-target": {
        "accept": ["h(x) - x", "-x + h(x)", "h(x) - x + 0"],
        "reject": [("h(x)", "whole-target"), ("x - h(x)", "reversed"), ("h(x) + x", "added"), "h(x) - 2*x"],
        "invalid": ["h(x) - ", "g(x) - x + y"],
    },
    "explain": {
        "accept": ["The identity shortcut passes the gradient directly: dE/dx_l = dE/dx_L (1 + ...), so it does not vanish, "
                   "and learning the residual is easier.",
                   "恒等捷径把梯度直接传回浅层，梯度是 1 + … 不会消失，而且学习残差更容易。"],
        "partial": ["Because of the skip connection."],
    },
}


def generate(rng):
    d = [float(v) for v in rng.choice([0.1, 0.2, 0.3, 0.4, 0.5, 0.6], size=3, replace=False)]
    return {"d1": d[0], "d2": d[1], "d3": d[2]}


ANSWERS["plain-product"] = lambda p: p["d1"] * p["d2"] * p["d3"]
ANSWERS["residual-product"] = lambda p: (1 + p["d1"]) * (1 + p["d2"]) * (1 + p["d3"])
MISCONCEPTIONS["plain-product"] = [
    {"id": "summed", "answer": lambda p: p["d1"] + p["d2"] + p["d3"],
     "feedback": {"en": "The chain rule multiplies local derivatives; it does not add them.", "zh": "链式法则把局部导数相乘，而不是相加。"}},
    {"id": "last-only", "answer": lambda p: p["d3"],
     "feedback": {"en": "∂x₃/∂x₀ goes through all three blocks: multiply the three factors.", "zh": "∂x₃/∂x₀ 要经过全部三个模块：三个因子相乘。"}},
]
MISCONCEPTIONS["residual-product"] = [
    {"id": "one-plus-product", "answer": lambda p: 1 + p["d1"] * p["d2"] * p["d3"],
     "feedback": {"en": "Each block contributes its own factor (1 + Fᵢ'): multiply (1 + d₁)(1 + d₂)(1 + d₃).",
                  "zh": "每个模块各贡献一个因子 (1 + Fᵢ')：要计算 (1 + d₁)(1 + d₂)(1 + d₃)。"}},
    {"id": "plain", "answer": lambda p: p["d1"] * p["d2"] * p["d3"],
     "feedback": {"en": "That is the chain without shortcuts; with them each factor is 1 + Fᵢ'.", "zh": "那是没有捷径的链；有捷径时每个因子是 1 + Fᵢ'。"}},
    {"id": "summed", "answer": lambda p: 1 + p["d1"] + p["d2"] + p["d3"],
     "feedback": {"en": "Expanding the product gives more terms: (1 + d₁)(1 + d₂)(1 + d₃).", "zh": "把乘积展开会有更多项：(1 + d₁)(1 + d₂)(1 + d₃)。"}},
]

# SymPy certifies the reference: f solves f(x) + x = h(x) (private: it gives the answer away)
DERIVED_FROM = {"residual-target": {"op": "solve", "equation": "f + x = h(x)", "unknown": "f"}}
