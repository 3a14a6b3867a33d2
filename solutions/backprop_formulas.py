"""Reference for backprop-formulas (private)."""

ANSWERS = {
    "delta": "fprime(z_l) * (W_next.T @ delta_next)",
    "grad-w": "delta_l @ a_prev.T",
    "grad-b": "delta_l",
    "sgd-l2": "W - alpha*(delta_l @ a_prev.T + lambda*W)",
}

MISCONCEPTIONS = {
    "delta": [
        {"id": "activation-derivative-missing", "answer": "W_next.T @ delta_next",
         "feedback": {"en": "The chain rule through a = f(z) multiplies element-wise by f'(z^{(l)}).",
                      "zh": "经过 a = f(z) 的链式法则要逐元素乘以 f'(z^{(l)})。"}},
        {"id": "z-not-fprime", "answer": "z_l * (W_next.T @ delta_next)",
         "feedback": {"en": "Multiply by f'(z^{(l)}), the activation's slope, not by z^{(l)} itself.",
                      "zh": "应该乘以激活函数的斜率 f'(z^{(l)})，而不是 z^{(l)} 本身。"}},
        {"id": "sign", "answer": "-fprime(z_l) * (W_next.T @ delta_next)",
         "feedback": {"en": "No minus sign here: δ is a derivative of L, and the minus only appears in the update step.",
                      "zh": "这里没有负号：δ 是 L 的导数，负号只在更新步骤中出现。"}},
    ],
    "grad-w": [
        {"id": "fprime-for-delta", "answer": "fprime(z_l) @ a_prev.T",
         "feedback": {"en": "Use the error δ^{(l)}, which already contains f'(z^{(l)}) and the upstream gradient.",
                      "zh": "应使用误差 δ^{(l)}，它已经包含 f'(z^{(l)}) 和上游梯度。"}},
        {"id": "sign", "answer": "-delta_l @ a_prev.T",
         "feedback": {"en": "The gradient has no minus sign; the update subtracts it.", "zh": "梯度本身没有负号；更新时才减去它。"}},
        {"id": "activation-for-input", "answer": "delta_l @ fprime(a_prev).T",
         "feedback": {"en": "∂z^{(l)}/∂W^{(l)} brings in the previous activations a^{(l−1)} themselves.",
                      "zh": "∂z^{(l)}/∂W^{(l)} 引入的是上一层的激活值 a^{(l−1)} 本身。"}},
    ],
    "grad-b": [
        {"id": "fprime", "answer": "fprime(z_l)",
         "feedback": {"en": "∂z/∂b is the identity, so ∂L/∂b^{(l)} = δ^{(l)}.", "zh": "∂z/∂b 是单位映射，所以 ∂L/∂b^{(l)} = δ^{(l)}。"}},
        {"id": "no-activation-derivative", "answer": "W_next.T @ delta_next",
         "feedback": {"en": "That is ∂L/∂a^{(l)}; multiply by f'(z^{(l)}) to get δ^{(l)} = ∂L/∂b^{(l)}.",
                      "zh": "这是 ∂L/∂a^{(l)}；乘以 f'(z^{(l)}) 才得到 δ^{(l)} = ∂L/∂b^{(l)}。"}},
    ],
    "sgd-l2": [
        {"id": "ascent", "answer": "W + alpha*(delta_l @ a_prev.T + lambda*W)",
         "feedback": {"en": "Gradient descent moves against the gradient: subtract.", "zh": "梯度下降沿梯度的反方向移动：要减去。"}},
        {"id": "decay-not-scaled", "answer": "W - alpha*delta_l @ a_prev.T - lambda*W",
         "feedback": {"en": "The weight-decay term is part of the gradient, so the learning rate scales it too: −αλW.",
                      "zh": "权重衰减项是梯度的一部分，所以也要乘以学习率：−αλW。"}},
        {"id": "no-decay", "answer": "W - alpha*delta_l @ a_prev.T",
         "feedback": {"en": "The L2 term adds λW to the gradient.", "zh": "L2 正则项会在梯度中加上 λW。"}},
        {"id": "half-decay", "answer": "W - alpha*(delta_l @ a_prev.T + lambda*W/2)",
         "feedback": {"en": "d/dW (λ/2)‖W‖² = λW: the ½ cancels the 2 from the square.",
                      "zh": "d/dW (λ/2)‖W‖² = λW：½ 与平方求导得到的 2 相消。"}},
    ],
}

SELF_TESTS = {
    "delta": {
        "accept": ["fprime(z_l) * (W_next.T @ delta_next)", "(W_next^T delta_next) ⊙ f'(z_l)",
                   r"f'(z^{(l)}) \odot (W^{(l+1)})^T \delta^{(l+1)}", "diag(fprime(z_l)) @ W_next.T @ delta_next",
                   r"\left((W^{(l+1)})^{\top}\delta^{(l+1)}\right) \circ f'(z^{(l)})"],
        "reject": [("W_next.T @ delta_next", "activation-derivative-missing"), ("z_l*(W_next.T @ delta_next)", "z-not-fprime"),
                   "fprime(z_l) * (W_next @ delta_next)", "delta_next.T @ W_next", "fprime(z_l) @ W_next.T @ delta_next",
                   "fprime(z_l) * delta_next"],
        "invalid": ["fprime(z_l) * (W_next.T @ delta_next", "g'(z_l) * (W_next.T @ delta_next)", "W_next.T @ delta_nxt"],
    },
    "grad-w": {
        "accept": ["delta_l @ a_prev.T", r"\delta^{(l)} (a^{(l-1)})^T", "delta_l a_prev^T", r"\delta^{(l)} \cdot {a^{(l-1)}}^{\top}"],
        "reject": [("fprime(z_l) @ a_prev.T", "fprime-for-delta"), ("-delta_l @ a_prev.T", "sign"),
                   "a_prev @ delta_l.T", "delta_l.T @ a_prev", "delta_l * a_prev"],
        "invalid": ["delta_l @ a_prev.T)", "delta @ a_prev.T"],
    },
    "grad-b": {
        "accept": ["delta_l", r"\delta^{(l)}", "delta^{(l)}"],
        "reject": [("fprime(z_l)", "fprime"), ("W_next.T @ delta_next", "no-activation-derivative"), "delta_next", "1"],
        "invalid": ["delta_", "b"],
    },
    "sgd-l2": {
        "accept": ["W - alpha*(delta_l @ a_prev.T + lambda*W)", r"(1 - \alpha\lambda) W - \alpha \delta^{(l)} (a^{(l-1)})^T",
                   "W - alpha delta_l a_prev^T - alpha lambda W", "(1-alpha*lambda)*W - alpha*delta_l@a_prev.T"],
        "reject": [("W + alpha*(delta_l @ a_prev.T + lambda*W)", "ascent"), ("W - alpha*delta_l@a_prev.T - lambda*W", "decay-not-scaled"),
                   ("W - alpha*delta_l@a_prev.T", "no-decay"), ("W - alpha*(delta_l@a_prev.T + lambda W/2)", "half-decay"),
                   "W - alpha*(a_prev @ delta_l.T + lambda*W)"],
        "invalid": ["W - alpha*(delta_l @ a_prev.T + lambda*W", "W - eta*delta_l @ a_prev.T"],
    },
}


# The course's own LaTeX (issue 11), and δ^{(l)} written out by its definition where a part uses it.
_DELTA = r"(f'(z^{(l)}) \odot (W^{(l+1)})^T \delta^{(l+1)})"
SELF_TESTS["delta"]["accept"] += [
    r"\text{diag}(f'_l(\mathbf{z}^{(l)})) \cdot (W^{(l+1)})^T \cdot \delta^{(l+1)}",
    r"f'_l(\mathbf{z}^{(l)}) \odot ((W^{(l+1)})^T \delta^{(l+1)})",
    r"f'_i(z^{(l)}) \odot (W^{(l+1)})^T \delta^{(l+1)}",
    r"W^{(l+1)\top} \boldsymbol{\delta}^{(l+1)} \odot f'(\mathbf{z}^{(l)})",
    r"$\mathrm{diag}(f^\prime(z^{(l)})) {W^{(l+1)}}^T \delta^{(l+1)}$",
    "f′(z⁽ˡ⁾) ⊙ (W⁽ˡ⁺¹⁾)ᵀ δ⁽ˡ⁺¹⁾",
]
SELF_TESTS["delta"]["reject"] += ["delta_l", r"\boldsymbol{\delta}^{(l)}"]      # the quantity asked for, by name
SELF_TESTS["grad-w"]["accept"] += [
    r"\delta^{(l)} (\mathbf{a}^{(l-1)})^\top", r"\boldsymbol{\delta}^{(l)} \mathbf{a}^{(l-1)\top}",
    "(fprime(z_l) * (W_next.T @ delta_next)) @ a_prev.T", _DELTA + r" (\mathbf{a}^{(l-1)})^T",
    r"\text{diag}(f'_l(\mathbf{z}^{(l)})) \cdot (W^{(l+1)})^T \cdot \delta^{(l+1)} \cdot (a^{(l-1)})^T",
]
SELF_TESTS["grad-b"]["accept"] += [_DELTA, r"\boldsymbol{\delta}^{(l)}"]
SELF_TESTS["sgd-l2"]["accept"] += [
    r"W^{(l)} - \alpha (\delta^{(l)} (\mathbf{a}^{(l-1)})^\top + \lambda W^{(l)})",
    r"W - \alpha (" + _DELTA + r" (a^{(l-1)})^T + \lambda W)",
]


def generate(rng):
    return {}
