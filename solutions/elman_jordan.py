"""Reference for elman-jordan (private). The course: seed 002 (RNN常见的设计模式: 标准Elman RNN,
Jordan RNN — output-to-hidden recurrence, weaker but parallelisable in training)."""

ANSWERS = {"elman": "tanh(U @ x_t + W @ h_prev + b)", "jordan": "tanh(U @ x_t + W_y @ y_prev + b)", "parallel": "A"}

_NO_TANH = {"en": "The hidden layer applies tanh to its whole net input: tanh(U x_t + … + b).", "zh": "隐藏层对整个净输入施加 tanh：tanh(U x_t + … + b)。"}
MISCONCEPTIONS = {
    "elman": [
        {"id": "jordan", "answer": "tanh(U @ x_t + W_y @ y_prev + b)",
         "feedback": {"en": "That is the Jordan network (the output feeds back); Elman feeds the hidden state back: W h_{t−1}.",
                      "zh": "这是 Jordan 网络（输出反馈）；Elman 网络反馈的是隐藏状态：W h_{t−1}。"}},
        {"id": "no-activation", "answer": "U @ x_t + W @ h_prev + b", "feedback": _NO_TANH},
        {"id": "tanh-on-input-only", "answer": "tanh(U @ x_t) + W @ h_prev + b", "feedback": _NO_TANH},
    ],
    "jordan": [
        {"id": "elman", "answer": "tanh(U @ x_t + W @ h_prev + b)",
         "feedback": {"en": "That is the Elman network; a Jordan network has no hidden-to-hidden connection, the previous output y_{t−1} feeds back through W_y.",
                      "zh": "这是 Elman 网络；Jordan 网络没有隐藏层到隐藏层的连接，上一时刻的输出 y_{t−1} 经 W_y 反馈。"}},
        {"id": "both", "answer": "tanh(U @ x_t + W @ h_prev + W_y @ y_prev + b)",
         "feedback": {"en": "Jordan's network has no W h_{t−1} term: only the output is fed back.", "zh": "Jordan 网络没有 W h_{t−1} 项：只反馈输出。"}},
        {"id": "no-activation", "answer": "U @ x_t + W_y @ y_prev + b", "feedback": _NO_TANH},
    ],
}

OPTION_FEEDBACK = {"parallel": {"B": {"en": "The feedback connection has weights W_y; what helps is that its input can be the known target.",
                                      "zh": "反馈连接有权重 W_y；关键在于它的输入可以是已知的目标值。"}}}

SELF_TESTS = {
    "elman": {"accept": ["tanh(U @ x_t + W @ h_prev + b)", r"\tanh(U x_t + W h_{t-1} + b)", "tanh(W h_prev + U x_t + b)"],
              "reject": [("tanh(U x_t + W_y y_prev + b)", "jordan"), ("U x_t + W h_prev + b", "no-activation"),
                         ("tanh(U x_t) + W h_prev + b", "tanh-on-input-only"), "tanh(U x_t + W.T h_prev + b)", "tanh(U x_t + W h_prev)",
                         "tanh(U x_t + W_y h_prev + b)", "tanh(U h_prev + W x_t + b)"],
              "invalid": ["tanh(U x_t + W h_prev + b", "tanh(U x_t + V h_prev + b)"]},
    "jordan": {"accept": ["tanh(U @ x_t + W_y @ y_prev + b)", r"\tanh(U x_t + W_y y_{t-1} + b)"],
               "reject": [("tanh(U x_t + W h_prev + b)", "elman"), ("tanh(U x_t + W h_prev + W_y y_prev + b)", "both"),
                          ("U x_t + W_y y_prev + b", "no-activation"), "tanh(U x_t + W_y y_prev)",
                          "tanh(U x_t + W y_prev + b)"],
               "invalid": ["tanh(U x_t + W_y y_prev + b", "tanh(U x_t + W_y y_t + b)"]},
    "parallel": {"accept": ["A"], "reject": ["B", "C", "D"], "invalid": ["Z"]},
}


def generate(rng):
    H = int(rng.integers(8, 65))
    K = int(rng.integers(2, 11))
    return {"H": H, "K": K}


ANSWERS["elman-recurrent"] = lambda p: float(p["H"] * p["H"])
ANSWERS["jordan-recurrent"] = lambda p: float(p["H"] * p["K"])
MISCONCEPTIONS["elman-recurrent"] = [
    {"id": "jordan", "answer": lambda p: float(p["H"] * p["K"]),
     "feedback": {"en": "H·K is the Jordan network's feedback W_y; Elman's W maps H hidden units to H: H².",
                  "zh": "H·K 是 Jordan 网络的反馈权重 W_y；Elman 的 W 把 H 个隐藏单元映射到 H 个：H²。"}},
    {"id": "with-bias", "answer": lambda p: float(p["H"] * p["H"] + p["H"]),
     "feedback": {"en": "Count only the recurrent weights W (H × H); the bias belongs to the layer, not to the recurrent connection.",
                  "zh": "只计循环权重 W（H × H）；偏置属于该层，而不属于循环连接。"}},
]
MISCONCEPTIONS["jordan-recurrent"] = [
    {"id": "elman", "answer": lambda p: float(p["H"] * p["H"]),
     "feedback": {"en": "H² is Elman's W; Jordan feeds the K outputs back to the H hidden units: W_y is H × K.",
                  "zh": "H² 是 Elman 的 W；Jordan 把 K 个输出反馈给 H 个隐藏单元：W_y 为 H × K。"}},
]
