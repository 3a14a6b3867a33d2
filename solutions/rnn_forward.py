"""Reference for rnn-forward (private). The per-student numeric parts arrive with quizzes."""
import numpy as np


def rnn_forward(xs, s0, U, W, V, b):
    states, s = [], s0
    for x in xs:
        s = np.tanh(U @ x + W @ s + b)
        states.append(s)
    S = np.array(states)
    return S, S @ V.T


def _case(rng, T, D=3, H=4, K=2, scale=0.5):
    return (rng.normal(size=(T, D)), rng.normal(size=H), scale * rng.normal(size=(H, D)),
            scale * rng.normal(size=(H, H)), rng.normal(size=(K, H)), rng.normal(size=H))


CODE_TESTS = {
    "code": [
        {"id": "one", "function": "rnn_forward", "kind": "values", "points": 1, "name": {"en": "one step", "zh": "单步"},
         "inputs": lambda rng: [_case(rng, 1)]},
        {"id": "sequence", "function": "rnn_forward", "kind": "values", "points": 2, "name": {"en": "a sequence of 6 steps", "zh": "6 步的序列"},
         "inputs": lambda rng: [_case(rng, 6)]},
        {"id": "hidden", "function": "rnn_forward", "kind": "values", "points": 1, "visible": False,
         "name": {"en": "hidden: other sizes", "zh": "隐藏测试：其他尺寸"},
         "inputs": lambda rng: [_case(rng, 4, D=1, H=5, K=3, scale=1.5)]},
    ],
}

_RNN = ("import numpy as np\n"
        "def rnn_forward(xs, s0, U, W, V, b):\n"
        "    S = []; s = s0\n"
        "    for x in xs:\n        s = np.tanh(U @ x + W @ s + b); S.append(s)\n"
        "    S = np.array(S)\n    return S, S @ V.T\n")


def _wrong(why, fails, old, new):
    assert old in _RNN
    return {"why": why, "fails": fails, "source": _RNN.replace(old, new)}


SELF_TESTS = {"code": {"reject": [
    _wrong("the recurrence always uses s0", {"sequence": "values"}, "W @ s + b", "W @ s0 + b"),
    _wrong("the recurrent weights transposed", {"sequence": "values"}, "W @ s + b", "W.T @ s + b"),
    _wrong("the bias missing", {"one": "values"}, "W @ s + b", "W @ s"),
    _wrong("s0 included among the states", {"one": "structure"}, "S = []; s = s0", "S = [s0]; s = s0"),
    _wrong("no tanh", {"one": "values"}, "np.tanh(U @ x + W @ s + b)", "(U @ x + W @ s + b)"),
]}}


def generate(rng):
    """The scalar linear RNN of the numeric parts (shared with rnn-bptt)."""
    r = lambda lo, hi: float(np.round(rng.uniform(lo, hi), 1))  # noqa: E731
    return {"Wx": r(-1, 1), "Ws": r(-0.9, 0.9), "Wo": r(-1.5, 1.5), "b1": r(-0.5, 0.5), "b2": r(-0.5, 0.5),
            "S0": 0.0, "X": [r(-2, 2) for _ in range(3)], "Y3": r(-1, 1)}


def linear_rnn(p):
    """S_1..S_3 and O_1..O_3 of the scalar linear RNN."""
    S, s = [], p["S0"]
    for x in p["X"]:
        s = p["Wx"] * x + p["Ws"] * s + p["b1"]
        S.append(s)
    return S, [p["Wo"] * s + p["b2"] for s in S]


ANSWERS = {"s3": lambda p: linear_rnn(p)[0][2], "o3": lambda p: linear_rnn(p)[1][2]}
MISCONCEPTIONS = {"o3": [{"id": "no-bias", "answer": lambda p: p["Wo"] * linear_rnn(p)[0][2],
                          "feedback": {"en": "O₃ = W_o S₃ + b₂: the output bias is missing.", "zh": "O₃ = W_o S₃ + b₂：缺少输出偏置。"}}]}
