"""Reference for vanishing-gradient (private). The per-student numeric bound arrives with quizzes."""

ANSWERS = {"bound-formula": "(1/4)^D", "remedy": ["A", "B", "C"]}

MISCONCEPTIONS = {
    "bound-formula": [
        {"id": "half", "answer": "(1/2)^D",
         "feedback": {"en": "σ(0) = 1/2, but the bound uses σ'(0) = 1/4.", "zh": "σ(0) = 1/2，但上界用的是 σ'(0) = 1/4。"}},
        {"id": "linear", "answer": "D/4",
         "feedback": {"en": "The factors multiply, they do not add: the bound is a power of 1/4.",
                      "zh": "这些因子是相乘而不是相加：上界是 1/4 的幂。"}},
        {"id": "single-layer", "answer": "1/4",
         "feedback": {"en": "1/4 bounds one factor; D factors give (1/4)^D.", "zh": "1/4 是单个因子的上界；D 个因子相乘得 (1/4)^D。"}},
    ],
}

OPTION_FEEDBACK = {
    "remedy": {
        "D": {"en": "Clipping caps large gradients: it treats exploding gradients, not vanishing ones.",
              "zh": "梯度裁剪限制过大的梯度：它针对梯度爆炸，而不是梯度消失。"},
        "E": {"en": "A larger step scales every update but does not change the product of small factors; it mostly destabilises the layers near the output.",
              "zh": "更大的步长只是整体放大更新，并不改变小因子的连乘；反而容易让靠近输出的层不稳定。"},
    },
}

SELF_TESTS = {
    "bound-formula": {
        "accept": ["(1/4)^D", "0.25^D", "4^(-D)", "1/4^D", r"\left(\frac{1}{4}\right)^{D}", "2^(-2D)"],
        "reject": [("(1/2)^D", "half"), ("D/4", "linear"), ("1/4", "single-layer"), "(1/4)^(D-1)"],
        "invalid": ["(1/4)^", "(1/4)^N"],
    },
    "remedy": {"accept": ["A, B, C", "ABC"], "reject": ["D", "D, E", "A, D, E"], "partial": ["A", "A, B", "A, B, C, D"]},
}


def generate(rng):
    return {"D": int(rng.integers(4, 12))}


ANSWERS["bound"] = lambda p: 0.25 ** p["D"]
MISCONCEPTIONS["bound"] = [
    {"id": "half", "answer": lambda p: 0.5 ** p["D"],
     "feedback": {"en": "σ(0) = 1/2, but the bound uses σ'(0) = 1/4.", "zh": "σ(0) = 1/2，但上界用的是 σ'(0) = 1/4。"}},
    {"id": "linear", "answer": lambda p: p["D"] / 4,
     "feedback": {"en": "The factors multiply: the bound is (1/4)^D.", "zh": "这些因子是相乘的：上界是 (1/4)^D。"}},
]
