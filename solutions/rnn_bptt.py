"""Reference for rnn-bptt (private). Per-student numeric parts and code arrive later."""

ANSWERS = {"grad-wo-formula": "(O3 - Y3)*S3"}

MISCONCEPTIONS = {
    "grad-wo-formula": [
        {"id": "sign", "answer": "(Y3 - O3)*S3",
         "feedback": {"en": "∂/∂O₃ of ½(Y₃ − O₃)² is O₃ − Y₃ (the inner derivative is −1).",
                      "zh": "½(Y₃ − O₃)² 对 O₃ 的导数是 O₃ − Y₃（内层导数为 −1）。"}},
        {"id": "missing-input", "answer": "O3 - Y3",
         "feedback": {"en": "That is ∂L₃/∂O₃; multiply by ∂O₃/∂W_o = S₃.", "zh": "这是 ∂L₃/∂O₃；还要乘以 ∂O₃/∂W_o = S₃。"}},
        {"id": "half-kept", "answer": "(O3 - Y3)*S3/2",
         "feedback": {"en": "The ½ cancels the 2 from differentiating the square.", "zh": "½ 与平方求导得到的 2 相消。"}},
    ],
}

SELF_TESTS = {
    "grad-wo-formula": {
        "accept": ["(O3 - Y3)*S3", "(O_3 - Y_3) S_3", "S3 (O3 - Y3)", "O3 S3 - Y3 S3", r"(O_{3} - Y_{3})\cdot S_{3}"],
        "reject": [("(Y3 - O3) S3", "sign"), ("O3 - Y3", "missing-input"), ("(O3-Y3) S3/2", "half-kept"), "(O3 - Y3) Y3"],
        "invalid": ["(O3 - Y3 S3", "(O3 - Y3) S_t", "(O3 - Y3) S2"],
    },
}


# O_3 written out by its definition has the right value, but the prompt asks for O_3: partial credit (issue 11).
SELF_TESTS["grad-wo-formula"]["partial"] = ["(W_o S3 + b2 - Y3) S3", r"(W_o S_3 + b_2 - Y_3) \cdot S_3"]
SELF_TESTS["grad-wo-formula"]["accept"] += [r"$(O_3 - Y_3)\,S_3$", "(O₃ − Y₃)·S₃"]


def generate(rng):
    """The same draw as rnn-forward's numeric parts."""
    r = lambda lo, hi: float(np.round(rng.uniform(lo, hi), 1))  # noqa: E731
    return {"Wx": r(-1, 1), "Ws": r(-0.9, 0.9), "Wo": r(-1.5, 1.5), "b1": r(-0.5, 0.5), "b2": r(-0.5, 0.5),
            "S0": 0.0, "X": [r(-2, 2) for _ in range(3)], "Y3": r(-1, 1)}


def linear_bptt(p):
    """∂L₃/∂W_o, ∂L₃/∂W_x, ∂L₃/∂W_s for L₃ = ½(Y₃ − O₃)², accumulating ∂S_t/∂W forward in time."""
    s, ds_dwx, ds_dws = p["S0"], 0.0, 0.0
    for x in p["X"]:
        ds_dwx = x + p["Ws"] * ds_dwx
        ds_dws = s + p["Ws"] * ds_dws
        s = p["Wx"] * x + p["Ws"] * s + p["b1"]
    err = p["Wo"] * s + p["b2"] - p["Y3"]
    return err * s, err * p["Wo"] * ds_dwx, err * p["Wo"] * ds_dws


ANSWERS.update({"dwo": lambda p: linear_bptt(p)[0], "dwx": lambda p: linear_bptt(p)[1], "dws": lambda p: linear_bptt(p)[2]})
MISCONCEPTIONS.update({
    "dwx": [{"id": "last-step-only", "answer": lambda p: (linear_bptt(p)[0] / _s3(p)) * p["Wo"] * p["X"][2],
             "feedback": {"en": "W_x acts at every step: ∂S₃/∂W_x = X₃ + W_s X₂ + W_s² X₁, not only X₃.",
                          "zh": "W_x 在每一步都起作用：∂S₃/∂W_x = X₃ + W_s X₂ + W_s² X₁，而不只是 X₃。"}}],
    "dws": [{"id": "last-step-only", "answer": lambda p: (linear_bptt(p)[0] / _s3(p)) * p["Wo"] * _s2(p),
             "feedback": {"en": "W_s also acts through S₂ and S₁: ∂S₃/∂W_s = S₂ + W_s ∂S₂/∂W_s.",
                          "zh": "W_s 还通过 S₂ 和 S₁ 起作用：∂S₃/∂W_s = S₂ + W_s ∂S₂/∂W_s。"}}],
})


def _states(p):
    s, out = p["S0"], []
    for x in p["X"]:
        s = p["Wx"] * x + p["Ws"] * s + p["b1"]
        out.append(s)
    return out


def _s3(p):
    return _states(p)[2] or 1e-300


def _s2(p):
    return _states(p)[1]


# -- code part -------------------------------------------------------------------

import numpy as np  # noqa: E402


def rnn_loss(xs, ys, s0, U, W, V, b):
    """L = Σ_t ½‖V s_t − y_t‖² (used by the tests' finite differences)."""
    s, total = s0, 0.0
    for x, y in zip(xs, ys):
        s = np.tanh(U @ x + W @ s + b)
        total += 0.5 * float(np.sum((V @ s - y) ** 2))
    return total


def rnn_bptt(xs, ys, s0, U, W, V, b):
    states = [s0]
    for x in xs:
        states.append(np.tanh(U @ x + W @ states[-1] + b))
    dU, dW, dV, db = (np.zeros_like(a) for a in (U, W, V, b))
    carry = np.zeros_like(s0)                    # ∂L/∂s_t arriving from step t+1
    for t in range(len(xs) - 1, -1, -1):
        s, s_prev = states[t + 1], states[t]
        err = V @ s - ys[t]
        dV += np.outer(err, s)
        da = (V.T @ err + carry) * (1.0 - s ** 2)
        dU += np.outer(da, xs[t])
        dW += np.outer(da, s_prev)
        db += da
        carry = W.T @ da
    return dU, dW, dV, db


def _case(rng, T, D=3, H=4, K=2):
    return (rng.normal(size=(T, D)), rng.normal(size=(T, K)), rng.normal(size=H), 0.5 * rng.normal(size=(H, D)),
            0.5 * rng.normal(size=(H, H)), rng.normal(size=(K, H)), rng.normal(size=H))


CODE_TESTS = {
    "code": [
        {"id": "one", "function": "rnn_bptt", "kind": "values", "points": 2, "name": {"en": "one step", "zh": "单步"},
         "inputs": lambda rng: [_case(rng, 1)], "rtol": 1e-6},
        {"id": "sequence", "function": "rnn_bptt", "kind": "values", "points": 3, "name": {"en": "a sequence of 5 steps", "zh": "5 步的序列"},
         "inputs": lambda rng: [_case(rng, 5)], "rtol": 1e-6},
        {"id": "hidden", "function": "rnn_bptt", "kind": "values", "points": 1, "visible": False,
         "name": {"en": "hidden: a longer sequence", "zh": "隐藏测试：更长的序列"},
         "inputs": lambda rng: [_case(rng, 9, D=2, H=3, K=3)], "rtol": 1e-6},
    ],
}

_BPTT = ("import numpy as np\n"
         "def rnn_bptt(xs, ys, s0, U, W, V, b):\n"
         "    S = [s0]\n"
         "    for x in xs: S.append(np.tanh(U@x + W@S[-1] + b))\n"
         "    dU, dW, dV, db = [np.zeros_like(a) for a in (U, W, V, b)]\n"
         "    carry = np.zeros_like(s0)\n"
         "    for t in reversed(range(len(xs))):\n"
         "        e = V@S[t+1] - ys[t]; dV += np.outer(e, S[t+1])\n"
         "        da = (V.T@e + carry)*(1 - S[t+1]**2)\n"
         "        dU += np.outer(da, xs[t]); dW += np.outer(da, S[t]); db += da\n"
         "        carry = W.T@da\n"
         "    return dU, dW, dV, db\n")


def _wrong(why, fails, old, new):
    assert old in _BPTT
    return {"why": why, "fails": fails, "source": _BPTT.replace(old, new)}


SELF_TESTS["code"] = {"reject": [
    _wrong("no gradient through time (the carry dropped)", {"sequence": "values"}, "(V.T@e + carry)", "(V.T@e)"),
    _wrong("the carry through W instead of W.T", {"sequence": "values"}, "carry = W.T@da", "carry = W@da"),
    _wrong("tanh' missing", {"one": "values"}, "*(1 - S[t+1]**2)", ""),
    _wrong("dW from the current state instead of the previous one", {"one": "values"},
           "np.outer(da, S[t])", "np.outer(da, S[t+1])"),
    _wrong("tanh' as 1 − s instead of 1 − s²", {"one": "values"}, "(1 - S[t+1]**2)", "(1 - S[t+1])"),
]}
