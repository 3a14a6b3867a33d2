"""Reference for residual-gradient (private)."""

ANSWERS = {"formula": "dE_dxL*(1 + Fprime(x_l))"}

MISCONCEPTIONS = {
    "formula": [
        {"id": "identity-path-lost", "answer": "dE_dxL*Fprime(x_l)",
         "feedback": {"en": "The skip connection contributes ∂x_L/∂x_l ⊇ 1: the gradient flows through the identity path unchanged, which is the point of residual blocks.",
                      "zh": "跳跃连接使 ∂x_L/∂x_l 中含有 1：梯度经恒等路径无衰减地传回，这正是残差块的意义。"}},
        {"id": "added-not-multiplied", "answer": "dE_dxL + Fprime(x_l)",
         "feedback": {"en": "The chain rule multiplies: ∂E/∂x_l = ∂E/∂x_L · (1 + F'(x_l)).",
                      "zh": "链式法则是相乘：∂E/∂x_l = ∂E/∂x_L · (1 + F'(x_l))。"}},
        {"id": "F-not-Fprime", "answer": "dE_dxL*(1 + F(x_l))",
         "feedback": {"en": "Differentiate F: the factor is 1 + F'(x_l), not 1 + F(x_l).",
                      "zh": "要对 F 求导：因子是 1 + F'(x_l)，而不是 1 + F(x_l)。"}},
    ],
}

SELF_TESTS = {
    "formula": {
        "accept": ["dE_dxL*(1 + Fprime(x_l))", "dE_dxL (1 + F'(x_l))", "dE_dxL + dE_dxL*F'(x_l)", r"dE_dxL \left(1 + F'(x_l)\right)"],
        "reject": [("dE_dxL*F'(x_l)", "identity-path-lost"), ("dE_dxL + F'(x_l)", "added-not-multiplied"),
                   ("dE_dxL (1 + F(x_l))", "F-not-Fprime"), "dE_dxL", "1 + F'(x_l)"],
        "invalid": ["dE_dxL (1 + F'(x_l)", "dE_dxL (1 + G'(x_l))"],
    },
}


def generate(rng):
    return {}
