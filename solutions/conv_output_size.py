"""Reference for conv-output-size (private): O = (W − K + 2P)/S + 1 and the pooling size after it."""

ANSWERS = {"formula": "floor((W - K + 2*P)/S) + 1"}

MISCONCEPTIONS = {
    "formula": [
        {"id": "padding-one-side", "answer": "floor((W - K + P)/S) + 1",
         "feedback": {"en": "P zeros are added on each side, so the padded width is W + 2P.",
                      "zh": "每一侧都补 P 个零，所以补零后的宽度是 W + 2P。"}},
        {"id": "no-plus-one", "answer": "floor((W - K + 2*P)/S)",
         "feedback": {"en": "(W − K + 2P)/S counts the steps; the number of positions is one more.",
                      "zh": "(W − K + 2P)/S 是移动的步数；位置个数还要再加 1。"}},
        {"id": "stride-ignored", "answer": "W - K + 2*P + 1",
         "feedback": {"en": "With stride S the kernel moves S pixels at a time: divide the span by S.",
                      "zh": "步长为 S 时卷积核每次移动 S 个像素：要把可移动的跨度除以 S。"}},
        {"id": "no-padding", "answer": "floor((W - K)/S) + 1",
         "feedback": {"en": "Padding widens the input by 2P before the kernel slides over it.",
                      "zh": "补零先把输入加宽 2P，卷积核再在其上滑动。"}},
        {"id": "no-floor", "answer": "(W - K + 2*P)/S + 1",
         "feedback": {"en": "Right when S divides W − K + 2P; in general the kernel never takes a partial step, so round "
                            "the quotient down: ⌊(W − K + 2P)/S⌋ + 1 (type floor(...) or \\lfloor ... \\rfloor).",
                      "zh": "当 S 整除 W − K + 2P 时成立；一般情况下卷积核不会走半步，所以商要向下取整："
                            "⌊(W − K + 2P)/S⌋ + 1（输入 floor(...) 或 \\lfloor ... \\rfloor）。"}},
        {"id": "plus-one-inside", "answer": "floor((W - K + 2*P + 1)/S)",
         "feedback": {"en": "The +1 counts the first position; it is added after dividing by S.",
                      "zh": "+1 表示第一个位置；它在除以 S 之后再加。"}},
    ],
}

SELF_TESTS = {
    "formula": {
        "accept": ["floor((W - K + 2*P)/S) + 1", r"\left\lfloor \frac{W - K + 2P}{S} \right\rfloor + 1",
                   "⌊(W + 2P − K)/S⌋ + 1", r"1 + \lfloor (W-K+2*P)/S \rfloor", "floor((W - K + 2*P + S)/S)"],
        "reject": [("(W - K + 2*P)/S + 1", "no-floor"), (r"\frac{W - K + 2P}{S} + 1", "no-floor"),
                   ("floor((W - K + P)/S) + 1", "padding-one-side"), ("floor((W - K + 2P)/S)", "no-plus-one"),
                   ("W - K + 2P + 1", "stride-ignored"), ("floor((W-K)/S)+1", "no-padding"),
                   ("floor((W-K+2P+1)/S)", "plus-one-inside"), "ceil((W - K + 2*P)/S) + 1",
                   "floor((W + K + 2*P)/S) + 1"],
        "invalid": ["floor((W - K + 2*P)/S + ", "(W - F + 2*P)/S + 1", r"\lfloor (W - K)/S + 1"],
    },
}


def generate(rng):
    """Sizes that divide exactly: pick the output first, then the input that gives it."""
    S = int(rng.choice([1, 2, 3]))
    K = int(rng.choice([3, 5, 7]))
    P = int(rng.choice([v for v in (1, 2) if v != S]))   # P = 0 or P = S would make misconceptions coincide
    F, SP = [(2, 2), (3, 2), (3, 3)][int(rng.integers(0, 3))]
    k = int(rng.integers(6, 15))
    O = (k - 1) * SP + F                       # pooling divides exactly
    W = (O - 1) * S + K - 2 * P
    return {"W": W, "K": K, "S": S, "P": P, "F": F, "SP": SP, "K2": int(rng.choice([3, 5, 7, 9, 11]))}


def _out(p):
    return (p["W"] - p["K"] + 2 * p["P"]) // p["S"] + 1


ANSWERS["conv-size"] = _out
ANSWERS["pool-size"] = lambda p: (_out(p) - p["F"]) // p["SP"] + 1
ANSWERS["same-padding"] = lambda p: (p["K2"] - 1) / 2

_F = MISCONCEPTIONS["formula"]
MISCONCEPTIONS["conv-size"] = [
    {"id": "padding-one-side", "answer": lambda p: (p["W"] - p["K"] + p["P"]) / p["S"] + 1, "feedback": _F[0]["feedback"]},
    {"id": "no-plus-one", "answer": lambda p: (p["W"] - p["K"] + 2 * p["P"]) / p["S"], "feedback": _F[1]["feedback"]},
    {"id": "stride-ignored", "answer": lambda p: p["W"] - p["K"] + 2 * p["P"] + 1, "feedback": _F[2]["feedback"]},
]
MISCONCEPTIONS["pool-size"] = [
    {"id": "pool-from-input", "answer": lambda p: (p["W"] - p["F"]) // p["SP"] + 1,
     "feedback": {"en": "Pooling acts on the convolution's output, not on the original input.",
                  "zh": "池化作用在卷积的输出上，而不是原始输入上。"}},
    {"id": "no-plus-one", "answer": lambda p: (_out(p) - p["F"]) / p["SP"],
     "feedback": {"en": "Pooling windows follow the same count as convolution: (width − F)/stride + 1.",
                  "zh": "池化窗口的个数与卷积同理：(宽度 − F)/步长 + 1。"}},
    {"id": "divide-only", "answer": lambda p: _out(p) / p["SP"],
     "feedback": {"en": "Width/stride is right only when the window equals the stride and divides the width.",
                  "zh": "只有当窗口大小等于步长且能整除宽度时，宽度/步长才正确。"}},
]
MISCONCEPTIONS["same-padding"] = [
    {"id": "kernel-minus-one", "answer": lambda p: p["K2"] - 1,
     "feedback": {"en": "K − 1 zeros are needed in total, split over the two sides: (K − 1)/2 each.",
                  "zh": "总共需要 K − 1 个零，分在两侧：每侧 (K − 1)/2 个。"}},
    {"id": "half-kernel", "answer": lambda p: p["K2"] / 2,
     "feedback": {"en": "W + 2P − K + 1 = W gives P = (K − 1)/2, an integer for odd K.",
                  "zh": "由 W + 2P − K + 1 = W 得 P = (K − 1)/2，K 为奇数时是整数。"}},
]
