"""Reference for rnn-gradient-dynamics (private). The per-student γ part arrives with quizzes."""

ANSWERS = {"jacobian": "(1 - tanh(W_x*X_j + W_s*S_prev + b)^2)*W_s", "regime": "A", "relu-init": "A"}

MISCONCEPTIONS = {
    "jacobian": [
        {"id": "recurrent-weight-missing", "answer": "1 - tanh(W_x*X_j + W_s*S_prev + b)^2",
         "feedback": {"en": "The chain rule also brings the inner derivative ∂(W_s S_{j−1})/∂S_{j−1} = W_s.",
                      "zh": "链式法则还要乘以内层导数 ∂(W_s S_{j−1})/∂S_{j−1} = W_s。"}},
        {"id": "not-squared", "answer": "(1 - tanh(W_x*X_j + W_s*S_prev + b))*W_s",
         "feedback": {"en": "tanh'(u) = 1 − tanh²(u): the tanh must be squared.", "zh": "tanh'(u) = 1 − tanh²(u)：tanh 需要平方。"}},
        {"id": "weight-only", "answer": "W_s",
         "feedback": {"en": "That would be the linear RNN's Jacobian; the tanh contributes 1 − tanh²(·).",
                      "zh": "那是线性 RNN 的雅可比；tanh 还会贡献 1 − tanh²(·)。"}},
    ],
}

OPTION_FEEDBACK = {
    "regime": {"B": {"en": "Exploding needs factors larger than 1.", "zh": "梯度爆炸需要因子大于 1。"}},
    "relu-init": {"C": {"en": "ReLU does not saturate for large positive inputs.", "zh": "ReLU 对较大的正输入并不饱和。"}},
}

SELF_TESTS = {
    "jacobian": {
        "accept": ["(1 - tanh(W_x*X_j + W_s*S_prev + b)^2)*W_s", r"W_s\left(1-\tanh^2(W_x X_j + W_s S_{j-1} + b)\right)",
                   "W_s sech(W_x X_j + W_s S_prev + b)^2", "W_s*tanh'(W_x X_j + W_s S_prev + b)"],
        "reject": [("1 - tanh(W_x X_j + W_s S_prev + b)^2", "recurrent-weight-missing"),
                   ("(1 - tanh(W_x X_j + W_s S_prev + b)) W_s", "not-squared"), ("W_s", "weight-only"),
                   "(1 - tanh(W_x X_j + W_s S_prev)^2) W_s", "W_x (1 - tanh(W_x X_j + W_s S_prev + b)^2)"],
        "invalid": ["(1 - tanh(W_x X_j + W_s S_prev + b)^2 W_s", "W_h (1 - tanh(S_prev)^2)"],
    },
    "regime": {"accept": ["A"], "reject": ["B", "C", "D"]},
    "relu-init": {"accept": ["A"], "reject": ["B", "C", "D"]},
}


def generate(rng):
    return {"gamma": float(rng.choice([0.5, 0.6, 0.7, 0.8, 0.9])), "steps": int(rng.integers(5, 30))}


ANSWERS["gamma"] = lambda p: p["gamma"] ** p["steps"]
MISCONCEPTIONS["gamma"] = [
    {"id": "linear", "answer": lambda p: p["gamma"] * p["steps"],
     "feedback": {"en": "The t − k factors multiply: γ^(t−k).", "zh": "t − k 个因子相乘：γ^(t−k)。"}}]
