"""Reference for rnn-relu-tanh (private). The course: seed 001 part 二 Q5 and seed 002
(RNN中能否使用ReLU作为激活函数): with ReLU, diag(f') = I, so only W^{t−k} is left; initialise W = I
(Le, Jaitly & Hinton 2015, IRNN)."""

ANSWERS = {"why-tanh": ["A", "B"], "why-fnn-fine": "A"}

OPTION_FEEDBACK = {
    "why-tanh": {
        "C": {"en": "ReLU is differentiable everywhere except at 0, where a subgradient is used; BPTT works with it.", "zh": "ReLU 除 0 点外处处可导，0 点取次梯度即可；BPTT 可以使用它。"},
        "D": {"en": "tanh' ≤ 1, so products of tanh' and W can still vanish: that is the RNN's long-term dependency problem.", "zh": "tanh' ≤ 1，tanh' 与 W 的连乘仍可能消失：这正是 RNN 的长期依赖问题。"},
    },
    "why-fnn-fine": {"C": {"en": "Pooling does not bound ReLU; the point is that every layer has a different W.", "zh": "池化并不会使 ReLU 有界；关键在于每一层的 W 各不相同。"}},
}

RUBRICS = {"explain": [
    {"idea": {"en": "with ReLU active, the gradient is a product of the same W (powers of W)", "zh": "ReLU 激活时梯度是同一个 W 的连乘（W 的幂）"},
     "en": ["product", "power", "same w", "shared", "repeated", "multipl"], "zh": ["连乘", "幂", "同一个", "共享", "相乘"]},
    {"idea": {"en": "W = I keeps that product at the identity: gradients neither vanish nor explode", "zh": "W = I 使连乘保持为单位矩阵：梯度既不消失也不爆炸"},
     "en": ["vanish", "explod", "neither", "stable", "preserv"], "zh": ["消失", "爆炸", "稳定", "保持"]},
    {"idea": {"en": "the state is copied forward (memory kept) at the start", "zh": "初始时状态被原样向前传递（保留记忆）"},
     "en": ["copy", "copied", "identity", "unchanged", "carr"], "zh": ["复制", "单位", "不变", "传递"]},
]}

SELF_TESTS = {
    "why-tanh": {"accept": ["A, B", "AB"], "reject": ["C", "D", "C, D"], "partial": ["A", "B", "A, B, D"], "invalid": ["A, E"]},
    "why-fnn-fine": {"accept": ["A"], "reject": ["B", "C", "D"], "invalid": ["A, B"]},
    "explain": {"accept": ["With ReLU the gradient is a product of the same W over many steps; W = I keeps that product at the identity, so the gradient neither vanishes nor explodes and the state is copied forward.",
                           "ReLU 时梯度是同一个 W 的连乘；W 初始化为单位矩阵时连乘保持为单位矩阵，梯度既不消失也不爆炸，状态原样传递。"],
                "partial": ["So that the gradient does not vanish."]},
}


def generate(rng):
    return {"w": float(rng.choice([0.8, 0.9, 0.95, 1.05, 1.1, 1.2])), "T": int(rng.integers(10, 40))}


ANSWERS["relu-factor"] = lambda p: p["w"] ** p["T"]
ANSWERS["identity-factor"] = lambda p: 1.0
MISCONCEPTIONS = {"relu-factor": [
    {"id": "relu-derivative-only", "answer": lambda p: 1.0,
     "feedback": {"en": "ReLU' = 1 removes the activation's factor, but each step still multiplies by w: w^T.",
                  "zh": "ReLU' = 1 去掉了激活函数的因子，但每一步仍要乘以 w：w^T。"}},
    {"id": "sum", "answer": lambda p: p["w"] * p["T"],
     "feedback": {"en": "The chain rule multiplies one factor w per step: w^T, not w·T.", "zh": "链式法则每一步乘一个因子 w：是 w^T，而不是 w·T。"}},
]}
