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
