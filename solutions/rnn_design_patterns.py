"""Reference for rnn-design-patterns (private). The course: seed 001 part 二 Q2 (序列到类别,
同步/异步的序列到序列), after 《神经网络与深度学习》 §6.2."""
import numpy as np

ANSWERS = {"sentiment": "A", "tagging": "B", "translation": "C", "class-input": ["A", "B"]}

_ALIGNED = {"en": "The output has exactly one tag per input word, aligned step by step: that is the synchronous pattern.",
            "zh": "输出与输入词一一对应、逐步对齐：这是同步模式。"}
OPTION_FEEDBACK = {
    "sentiment": {"B": {"en": "Only one label for the whole sentence: no output per step is needed.", "zh": "整句只有一个标签：不需要每一步都输出。"}},
    "tagging": {"C": _ALIGNED, "A": _ALIGNED},
    "translation": {"B": {"en": "A translation need not have the input's length, nor align word by word: the decoder starts after the encoder has read everything.",
                          "zh": "译文的长度不必与原文相同，也不逐词对齐：解码器在编码器读完全部输入之后才开始。"}},
    "class-input": {"D": {"en": "x_T alone ignores the rest of the sequence; the states h_t carry its history.", "zh": "只用 x_T 会忽略序列的其余部分；历史信息保存在状态 h_t 中。"}},
}

SELF_TESTS = {
    "sentiment": {"accept": ["A"], "reject": ["B", "C"], "invalid": ["D"]},
    "tagging": {"accept": ["B"], "reject": ["A", "C"], "invalid": ["B, C"]},
    "translation": {"accept": ["C"], "reject": ["A", "B"]},
    "class-input": {"accept": ["A, B"], "reject": ["C, D", "D"], "partial": ["A", "A, B, D"], "invalid": ["A, E"]},
}


def generate(rng):
    return {"T": int(rng.integers(5, 30)), "M": int(rng.integers(3, 30))}


ANSWERS["steps"] = lambda p: float(p["T"] + p["M"])
MISCONCEPTIONS = {"steps": [
    {"id": "product", "answer": lambda p: float(p["T"] * p["M"]),
     "feedback": {"en": "The encoder runs once per input token and the decoder once per output token: the counts add.",
                  "zh": "编码器每个输入词元运行一次，解码器每个输出词元运行一次：次数相加。"}},
    {"id": "max", "answer": lambda p: float(max(p["T"], p["M"])),
     "feedback": {"en": "In the asynchronous pattern the decoder starts only after the encoder is done: T + M steps, not aligned ones.",
                  "zh": "在异步模式中，解码器要等编码器结束后才开始：共 T + M 步，而不是对齐的步数。"}},
]}


# -- code part -------------------------------------------------------------------

def _states(xs, h0, U, W, b):
    h, out = h0, []
    for x in xs:
        h = np.tanh(U @ x + W @ h + b)
        out.append(h)
    return np.array(out)


def seq_to_class(xs, h0, U, W, b, V, pool):
    S = _states(xs, h0, U, W, b)
    r = S[-1] if pool == "last" else S.mean(axis=0)
    return V @ r


def sync_seq2seq(xs, h0, U, W, b, V):
    return _states(xs, h0, U, W, b) @ V.T


def _case(rng, T, D=3, H=4, K=2):
    return (rng.normal(size=(T, D)), rng.normal(size=H), 0.7 * rng.normal(size=(H, D)), 0.7 * rng.normal(size=(H, H)),
            rng.normal(size=H), rng.normal(size=(K, H)))


CODE_TESTS = {
    "code": [
        {"id": "last", "function": "seq_to_class", "kind": "values", "points": 1, "name": {"en": "sequence to class, last state", "zh": "序列到类别（最后状态）"},
         "inputs": lambda rng: [_case(rng, 5) + ("last",)]},
        {"id": "mean", "function": "seq_to_class", "kind": "values", "points": 1, "name": {"en": "sequence to class, mean of the states", "zh": "序列到类别（状态平均）"},
         "inputs": lambda rng: [_case(rng, 6) + ("mean",), _case(rng, 1, D=2, H=3, K=4) + ("mean",)]},
        {"id": "sync", "function": "sync_seq2seq", "kind": "values", "points": 1, "name": {"en": "synchronous sequence to sequence", "zh": "同步的序列到序列"},
         "inputs": lambda rng: [_case(rng, 7)]},
        {"id": "hidden", "function": "sync_seq2seq", "kind": "values", "points": 1, "visible": False,
         "name": {"en": "hidden: other sizes", "zh": "隐藏测试：其他尺寸"}, "inputs": lambda rng: [_case(rng, 3, D=5, H=2, K=3)]},
    ],
}

_FILE = ("import numpy as np\n"
         "def _states(xs, h0, U, W, b):\n"
         "    h = h0; out = []\n"
         "    for x in xs:\n        h = np.tanh(U @ x + W @ h + b); out.append(h)\n"
         "    return np.array(out)\n"
         "def seq_to_class(xs, h0, U, W, b, V, pool):\n"
         "    S = _states(xs, h0, U, W, b)\n"
         "    r = S[-1] if pool == 'last' else S.mean(axis=0)\n"
         "    return V @ r\n"
         "def sync_seq2seq(xs, h0, U, W, b, V):\n"
         "    return _states(xs, h0, U, W, b) @ V.T\n")


def _wrong(why, fails, old, new):
    assert old in _FILE
    return {"why": why, "fails": fails, "source": _FILE.replace(old, new)}


SELF_TESTS["code"] = {"reject": [
    _wrong("the mean includes h0", {"mean": "values"}, "S.mean(axis=0)", "np.vstack([h0, S]).mean(axis=0)"),
    _wrong("the classifier reads the first state", {"last": "values"}, "S[-1] if", "S[0] if"),
    _wrong("synchronous outputs shifted by one step (h0 .. h_{T-1})", {"sync": "values"},
           "return _states(xs, h0, U, W, b) @ V.T", "S = _states(xs, h0, U, W, b)\n    return np.vstack([h0, S[:-1]]) @ V.T"),
    _wrong("only the last output returned by sync_seq2seq", {"sync": "structure"},
           "return _states(xs, h0, U, W, b) @ V.T", "return _states(xs, h0, U, W, b)[-1] @ V.T"),
]}
