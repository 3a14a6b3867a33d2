"""Reference for rnn-parameter-count (private). One block = H(H + D) weights + H biases;
vanilla RNN 1 block, LSTM 4 (f, i, o, candidate), GRU 3 (z, r, candidate)."""

_PYTORCH = {"en": "That counts two bias vectors per block, as PyTorch stores them (b_ih and b_hh); this question's convention is one bias vector per block.",
            "zh": "这是按每个模块两个偏置向量计数，PyTorch 就是这样存储的（b_ih 和 b_hh）；本题约定每个模块只有一个偏置向量。"}
_NO_BIAS = {"en": "The biases are missing: each block also has H biases (the course's GRU formulas omit them, but this question counts them).",
            "zh": "缺少偏置：每个模块还有 H 个偏置（课程的 GRU 公式省略了偏置，但本题要计入）。"}

ANSWERS = {"vanilla-formula": "H*(H + D) + H", "lstm-formula": "4*(H*(H + D) + H)", "gru-formula": "3*(H*(H + D) + H)"}

MISCONCEPTIONS = {
    "vanilla-formula": [
        {"id": "no-bias", "answer": "H*(H + D)", "feedback": _NO_BIAS},
        {"id": "no-recurrent", "answer": "H*D + H",
         "feedback": {"en": "The recurrent weights W (H × H) count too: H(H + D) + H.", "zh": "循环权重 W（H × H）也要计入：H(H + D) + H。"}},
        {"id": "pytorch-biases", "answer": "H*(H + D) + 2*H", "feedback": _PYTORCH},
    ],
    "lstm-formula": [
        {"id": "three-blocks", "answer": "3*(H*(H + D) + H)",
         "feedback": {"en": "Three gates, plus the candidate C̃_t, which has its own weights: four blocks.", "zh": "三个门，再加上有自己权重的候选值 C̃_t：共四个模块。"}},
        {"id": "no-bias", "answer": "4*H*(H + D)", "feedback": _NO_BIAS},
        {"id": "pytorch-biases", "answer": "4*(H*(H + D) + 2*H)", "feedback": _PYTORCH},
        {"id": "input-only", "answer": "4*(H*D + H)",
         "feedback": {"en": "Each block acts on [h_{t−1}; x_t], of size H + D, not on x_t alone.", "zh": "每个模块作用于长度为 H + D 的 [h_{t−1}; x_t]，而不只是 x_t。"}},
    ],
    "gru-formula": [
        {"id": "lstm-count", "answer": "4*(H*(H + D) + H)",
         "feedback": {"en": "That is the LSTM; the GRU has two gates (z, r) and a candidate: three blocks.", "zh": "这是 LSTM；GRU 有两个门（z、r）和一个候选状态：三个模块。"}},
        {"id": "no-bias", "answer": "3*H*(H + D)", "feedback": _NO_BIAS},
        {"id": "pytorch-biases", "answer": "3*(H*(H + D) + 2*H)", "feedback": _PYTORCH},
    ],
}

SELF_TESTS = {
    "vanilla-formula": {"accept": ["H*(H + D) + H", "H^2 + H D + H", "H(H+D+1)"],
                        "reject": [("H (H + D)", "no-bias"), ("H D + H", "no-recurrent"), ("H(H+D) + 2H", "pytorch-biases"), "H^2"],
                        "invalid": ["H(H + D + 1", "H(H + N)"]},
    "lstm-formula": {"accept": ["4*(H*(H + D) + H)", "4H^2 + 4HD + 4H", "4 H (H + D + 1)"],
                     "reject": [("3(H(H+D)+H)", "three-blocks"), ("4H(H+D)", "no-bias"), ("4(H(H+D)+2H)", "pytorch-biases"),
                                ("4(HD + H)", "input-only"), "4 H^2"],
                     "invalid": ["4(H(H+D)+H", "4*(h*(h + d) + h)"]},
    "gru-formula": {"accept": ["3*(H*(H + D) + H)", "3H(H + D + 1)"],
                    "reject": [("4(H(H+D)+H)", "lstm-count"), ("3H(H+D)", "no-bias"), ("3(H(H+D)+2H)", "pytorch-biases"), "2H(H+D+1)"],
                    "invalid": ["3(H(H+D)+H", "3*(H*(H + X) + H)"]},
}


def generate(rng):
    return {"D": int(rng.choice([16, 32, 50, 64, 100, 128, 300])), "H": int(rng.choice([20, 32, 64, 100, 128, 256]))}


def _block(p, biases=1):
    return p["H"] * (p["H"] + p["D"]) + biases * p["H"]


ANSWERS["lstm"] = lambda p: float(4 * _block(p))
ANSWERS["gru"] = lambda p: float(3 * _block(p))
ANSWERS["vanilla"] = lambda p: float(_block(p))
for _pid, _n in (("lstm", 4), ("gru", 3), ("vanilla", 1)):
    MISCONCEPTIONS[_pid] = [
        {"id": "no-bias", "answer": (lambda n: lambda p: float(n * _block(p, 0)))(_n), "feedback": _NO_BIAS},
        {"id": "pytorch-biases", "answer": (lambda n: lambda p: float(n * _block(p, 2)))(_n), "feedback": _PYTORCH},
    ]
MISCONCEPTIONS["lstm"].append({"id": "three-blocks", "answer": lambda p: float(3 * _block(p)),
                               "feedback": MISCONCEPTIONS["lstm-formula"][0]["feedback"]})
MISCONCEPTIONS["gru"].append({"id": "lstm-count", "answer": lambda p: float(4 * _block(p)),
                              "feedback": MISCONCEPTIONS["gru-formula"][0]["feedback"]})

# block by block: W is H × (H + D), b has H entries (certified by `nngrade bank check`)
DERIVED_FROM = {"vanilla-formula": {"op": "same", "expr": "H*H + H*D + H"},
                "lstm-formula": {"op": "same", "expr": "4*H*H + 4*H*D + 4*H"},
                "gru-formula": {"op": "same", "expr": "3*H*H + 3*H*D + 3*H"}}
