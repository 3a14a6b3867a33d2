"""Reference for init-symmetry (private). The per-student one-step part arrives with quizzes."""

ANSWERS = {"zero": "B", "constant": "B", "why": ["A", "B", "E"]}

OPTION_FEEDBACK = {
    "zero": {"A": {"en": "With zero weights every hidden unit is identical and W2 = 0 sends no gradient to W1 at first.",
                   "zh": "权重全为零时，所有隐藏单元完全相同，并且 W2 = 0 使得 W1 一开始收不到梯度。"}},
    "constant": {"A": {"en": "Equal weights make the hidden units identical, and identical units get identical updates.",
                       "zh": "相同的权重使隐藏单元完全相同，而相同的单元得到相同的更新。"}},
    "why": {
        "C": {"en": "Convexity has nothing to do with it: the loss of a hidden-layer network is non-convex whatever the start.",
              "zh": "这与凸性无关：带隐藏层的网络的损失无论如何初始化都是非凸的。"},
        "D": {"en": "The gradients are generally not zero (only with all-zero weights do some vanish); they are equal across units.",
              "zh": "梯度一般不为零（只有全零权重时部分梯度为零）；问题在于各单元的梯度相同。"},
    },
}

RUBRICS = {
    "explain": [
        {"idea": {"en": "units are symmetric / identical", "zh": "单元是对称的 / 相同的"},
         "en": ["symmetr", "identical", "same output", "same value"], "zh": ["对称", "相同", "一样"]},
        {"idea": {"en": "they get identical gradients / updates", "zh": "它们得到相同的梯度 / 更新"},
         "en": ["gradient", "update"], "zh": ["梯度", "更新"]},
        {"idea": {"en": "random initialisation breaks it", "zh": "随机初始化打破对称"},
         "en": ["random"], "zh": ["随机"]},
    ],
}

SELF_TESTS = {
    "zero": {"accept": ["B", "b", ["B"]], "reject": ["A"], "invalid": ["C", "yes"]},
    "constant": {"accept": ["B"], "reject": ["A"]},
    "why": {"accept": ["A, B, E", "ABE", ["E", "B", "A"], "a,b,e"],
            "reject": ["C", "D", "A, C, D"], "partial": ["A, B", "A, B, C, E", "E"], "invalid": ["A, F", "A, 1"]},
    "explain": {"accept": ["Identical units get identical gradients, so we use random initialisation to break the symmetry.",
                           "隐藏单元对称，梯度相同，所以要随机初始化。"],
                "partial": ["Because of symmetry."]},
}


import numpy as np  # noqa: E402


def generate(rng):
    return {"c": float(rng.choice([0.1, 0.2, 0.3, 0.5, -0.2])), "x": np.round(rng.uniform(-1, 1, size=(1, 3)), 1),
            "y": float(np.round(rng.uniform(0.5, 2.0), 1)), "lr": float(rng.choice([0.1, 0.5, 1.0]))}


def one_step(p):
    """W1 after one SGD step of ½(y − W2 σ(W1 x))² from all weights equal to c."""
    x = p["x"].reshape(3, 1)
    W1, W2 = np.full((2, 3), p["c"]), np.full((1, 2), p["c"])
    h = 1 / (1 + np.exp(-(W1 @ x)))
    a = W2 @ h
    dz = (W2.T @ (a - p["y"])) * h * (1 - h)
    return (W1 - p["lr"] * dz @ x.T).tolist()


ANSWERS["one-step"] = one_step
