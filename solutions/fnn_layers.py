"""Reference for fnn-layers (private): depth, parameter counts, the bias."""

ANSWERS = {"layer-formula": "n_in*n_out + n_out", "input-layer": "A", "bias": ["A", "B"]}

MISCONCEPTIONS = {
    "layer-formula": [
        {"id": "no-bias", "answer": "n_in*n_out",
         "feedback": {"en": "Each of the n_out neurons also has a bias: add n_out.", "zh": "n_out 个神经元各有一个偏置：要加上 n_out。"}},
        {"id": "bias-per-input", "answer": "n_in*n_out + n_in",
         "feedback": {"en": "Biases belong to the layer's neurons (n_out of them), not to its inputs.",
                      "zh": "偏置属于本层的神经元（共 n_out 个），不属于输入。"}},
        {"id": "bias-unit-both-sides", "answer": "(n_in + 1)*(n_out + 1)",
         "feedback": {"en": "Adding a constant input 1 gives (n_in + 1)·n_out; the output side gets no extra unit.",
                      "zh": "增加一个恒为 1 的输入得到 (n_in + 1)·n_out；输出一侧不会多出一个单元。"}},
        {"id": "added", "answer": "n_in + n_out",
         "feedback": {"en": "Every input connects to every neuron: the weights number n_in·n_out.", "zh": "每个输入都与每个神经元相连：权重有 n_in·n_out 个。"}},
    ],
}

OPTION_FEEDBACK = {
    "input-layer": {"B": {"en": "Input neurons only pass data on; the first weighted sums are computed in layer 1.",
                          "zh": "输入神经元只传递数据；第一次加权求和发生在第 1 层。"}},
    "bias": {
        "C": {"en": "Biases do not break the symmetry: units with equal weights and equal biases stay identical. Random weights do.",
              "zh": "偏置不能打破对称：权重和偏置都相同的单元仍然相同。打破对称靠随机初始化权重。"},
        "D": {"en": "w·x + b is still affine; the non-linearity comes from the activation f.", "zh": "w·x + b 仍是仿射的；非线性来自激活函数 f。"},
    },
}

SELF_TESTS = {
    "layer-formula": {
        "accept": ["n_in*n_out + n_out", "(n_in + 1)*n_out", r"(n_{in}+1) n_{out}", "n_out*(n_in+1)"],
        "reject": [("n_in*n_out", "no-bias"), ("n_in*n_out + n_in", "bias-per-input"),
                   ("(n_in+1)*(n_out+1)", "bias-unit-both-sides"), ("n_in + n_out", "added"), "n_in^2 + n_out"],
        "invalid": ["n_in*n_out +", "n*m + m"],
    },
    "input-layer": {"accept": ["A"], "reject": ["B", "C"]},
    "bias": {"accept": ["A, B", "AB"], "reject": ["C", "D", "C, D"], "partial": ["A", "B", "A, B, C"]},
}


def generate(rng):
    depth = int(rng.integers(2, 5))
    sizes = [int(v) for v in rng.integers(2, 11, size=depth + 1)]
    return {"sizes": sizes, "sizes_text": "-".join(str(s) for s in sizes)}


def _params(p, bias=True):
    s = p["sizes"]
    return sum(a * b + (b if bias else 0) for a, b in zip(s[:-1], s[1:]))


ANSWERS["depth"] = lambda p: len(p["sizes"]) - 1
ANSWERS["params"] = _params
MISCONCEPTIONS["depth"] = [
    {"id": "counted-input", "answer": lambda p: len(p["sizes"]),
     "feedback": {"en": "The input layer is layer 0: a network with layers 0..L has depth L.", "zh": "输入层是第 0 层：有第 0 到第 L 层的网络深度为 L。"}},
    {"id": "hidden-only", "answer": lambda p: len(p["sizes"]) - 2,
     "feedback": {"en": "That is the number of hidden layers; the output layer counts too.", "zh": "这是隐藏层的个数；输出层也要算上。"}},
]
MISCONCEPTIONS["params"] = [
    {"id": "no-bias", "answer": lambda p: _params(p, bias=False),
     "feedback": {"en": "Every neuron of layers 1..L also has a bias.", "zh": "第 1 到第 L 层的每个神经元还有一个偏置。"}},
    {"id": "input-bias", "answer": lambda p: _params(p) + p["sizes"][0],
     "feedback": {"en": "Input neurons compute nothing, so they have no bias.", "zh": "输入神经元不做计算，所以没有偏置。"}},
]
