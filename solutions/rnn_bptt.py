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


def generate(rng):
    return {}


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
        {"function": "rnn_bptt", "kind": "values", "points": 2, "name": {"en": "one step", "zh": "单步"},
         "inputs": lambda rng: [_case(rng, 1)], "rtol": 1e-6},
        {"function": "rnn_bptt", "kind": "values", "points": 3, "name": {"en": "a sequence of 5 steps", "zh": "5 步的序列"},
         "inputs": lambda rng: [_case(rng, 5)], "rtol": 1e-6},
        {"function": "rnn_bptt", "kind": "values", "points": 1, "visible": False,
         "name": {"en": "hidden: a longer sequence", "zh": "隐藏测试：更长的序列"},
         "inputs": lambda rng: [_case(rng, 9, D=2, H=3, K=3)], "rtol": 1e-6},
    ],
}

SELF_TESTS["code"] = {"reject": [
    "import numpy as np\n"
    "def rnn_bptt(xs, ys, s0, U, W, V, b):\n"
    "    S = [s0]\n"
    "    for x in xs: S.append(np.tanh(U@x + W@S[-1] + b))\n"
    "    dU, dW, dV, db = [np.zeros_like(a) for a in (U, W, V, b)]\n"
    "    for t in range(len(xs)):\n"
    "        e = V@S[t+1] - ys[t]; dV += np.outer(e, S[t+1])\n"
    "        da = (V.T@e)*(1-S[t+1]**2)\n"
    "        dU += np.outer(da, xs[t]); dW += np.outer(da, S[t]); db += da\n"
    "    return dU, dW, dV, db\n",
]}
