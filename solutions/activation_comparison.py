"""Reference for activation-comparison (private)."""

import math

ANSWERS = {"relu-advantages": ["A", "B", "C"], "not-zero-centred": ["A", "C", "D"], "same-sign": "A",
           "dying-relu": ["A", "B", "C"], "sparsity": "1/2"}

OPTION_FEEDBACK = {
    "relu-advantages": {
        "D": {"en": "ReLU, like sigmoid, is never negative: its outputs are not zero-centred (the course lists this as a drawback).",
              "zh": "ReLU 与 sigmoid 一样从不为负：输出不是零中心的（课程把这列为缺点）。"},
        "E": {"en": "ReLU is unbounded above; that is its \"wide excitation boundary\".", "zh": "ReLU 上方无界；这就是它\"宽兴奋边界\"的含义。"},
        "F": {"en": "The FNN primer says so, but it over-states: ReLU's derivative 1 only eases vanishing gradients; the products of weight matrices can still vanish or explode (as in an RNN with ReLU), which is why clipping, careful initialisation and normalisation are still used.",
              "zh": "FNN 入门笔记这样说，但说过头了：ReLU 导数为 1 只能缓解梯度消失；权重矩阵的连乘仍可能消失或爆炸（如使用 ReLU 的 RNN），所以仍需要梯度裁剪、合理初始化和归一化。"},
    },
    "not-zero-centred": {"B": {"en": "tanh is odd and ranges over (−1, 1): it is zero-centred.", "zh": "tanh 是奇函数，值域为 (−1, 1)：它是零中心的。"}},
    "same-sign": {
        "C": {"en": "∂L/∂wᵢ = (∂L/∂f)·xᵢ: the sign is that of ∂L/∂f, which may be negative.", "zh": "∂L/∂wᵢ = (∂L/∂f)·xᵢ：符号与 ∂L/∂f 相同，可能为负。"},
        "D": {"en": "∂L/∂wᵢ = (∂L/∂f)·xᵢ with every xᵢ > 0: they share one sign.", "zh": "∂L/∂wᵢ = (∂L/∂f)·xᵢ，且每个 xᵢ > 0：它们同号。"},
    },
    "dying-relu": {
        "D": {"en": "A dead ReLU outputs 0, not 1.", "zh": "死亡的 ReLU 输出 0，而不是 1。"},
        "E": {"en": "It can happen in any hidden layer, the first one included.", "zh": "它可以发生在任何隐藏层，包括第一个隐藏层。"},
    },
}

MISCONCEPTIONS = {
    "sparsity": [
        {"id": "all-active", "answer": "1",
         "feedback": {"en": "ReLU outputs 0 for every negative input: only the positive half is active.", "zh": "ReLU 对负输入输出 0：只有正的一半处于激活状态。"}},
        {"id": "brain-figure", "answer": "0.04",
         "feedback": {"en": "1–4% is the figure the course gives for the brain; a ReLU layer with symmetric inputs has about 50%.",
                      "zh": "1~4% 是课程给出的人脑数据；输入对称的 ReLU 层约有 50%。"}},
    ],
}

SELF_TESTS = {
    "relu-advantages": {"accept": ["A, B, C"], "reject": ["D, E", "D", "F", "D, E, F"], "partial": ["A", "A, B", "A, B, C, D", "A, B, C, F"]},
    "not-zero-centred": {"accept": ["A, C, D", "ACD"], "reject": ["B"], "partial": ["A", "A, C", "A, B, C, D"]},
    "same-sign": {"accept": ["A"], "reject": ["B", "C", "D"]},
    "dying-relu": {"accept": ["A, B, C"], "reject": ["D", "D, E"], "partial": ["A", "A, C", "A, B, C, E"]},
    "sparsity": {"accept": ["0.5", "1/2", "50/100"], "reject": [("1", "all-active"), ("0.04", "brain-figure"), "0.25"],
                 "invalid": ["half", "50%%"]},
}


def _sig(x):
    return 1 / (1 + math.exp(-x))


def generate(rng):
    return {"xs": int(rng.integers(3, 9)), "xt": float(rng.choice([1.5, 2.0, 2.5, 3.0, 3.5]))}


ANSWERS["sigmoid-saturated"] = lambda p: _sig(p["xs"]) * (1 - _sig(p["xs"]))
ANSWERS["tanh-saturated"] = lambda p: 1 - math.tanh(p["xt"]) ** 2
MISCONCEPTIONS["sigmoid-saturated"] = [
    {"id": "function-not-derivative", "answer": lambda p: _sig(p["xs"]),
     "feedback": {"en": "That is σ(x); its derivative is σ(x)(1 − σ(x)), close to 0 here: σ saturates.",
                  "zh": "这是 σ(x)；它的导数是 σ(x)(1 − σ(x))，此处接近 0：σ 已经饱和。"}},
    {"id": "max-value", "answer": lambda p: 0.25,
     "feedback": {"en": "1/4 is σ'(0), its maximum; far from 0 the derivative is much smaller.", "zh": "1/4 是 σ'(0)，即最大值；远离 0 时导数小得多。"}},
]
MISCONCEPTIONS["tanh-saturated"] = [
    {"id": "not-squared", "answer": lambda p: 1 - math.tanh(p["xt"]),
     "feedback": {"en": "tanh'(x) = 1 − tanh²(x): square the tanh.", "zh": "tanh'(x) = 1 − tanh²(x)：tanh 要平方。"}},
    {"id": "sigmoid-pattern", "answer": lambda p: math.tanh(p["xt"]) * (1 - math.tanh(p["xt"])),
     "feedback": {"en": "tanh(1 − tanh) is the sigmoid pattern; tanh'(x) = 1 − tanh²(x).", "zh": "tanh(1 − tanh) 是 sigmoid 的形式；tanh'(x) = 1 − tanh²(x)。"}},
]
