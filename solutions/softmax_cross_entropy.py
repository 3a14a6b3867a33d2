"""Reference for softmax-cross-entropy (private). The code part arrives with the sandbox."""

ANSWERS = {"grad": "softmax(z) - y"}

MISCONCEPTIONS = {
    "grad": [
        {"id": "sign-flipped", "answer": "y - softmax(z)",
         "feedback": {"en": "Wrong sign: increasing the right class's logit lowers the loss, so that entry of ∂L/∂z is p − 1 < 0.",
                      "zh": "符号错误：增大正确类别的 logit 会降低损失，所以 ∂L/∂z 的该分量为 p − 1 < 0。"}},
        {"id": "probabilities-only", "answer": "softmax(z)",
         "feedback": {"en": "The −y term is missing: the derivative of −log softmax(z)_c contributes −1 at the true class.",
                      "zh": "缺少 −y 项：−log softmax(z)_c 的导数在真实类别处贡献 −1。"}},
        {"id": "gradient-wrt-p", "answer": "-y/softmax(z)",
         "feedback": {"en": "−y/p is ∂L/∂p; the softmax Jacobian turns it into p − y for the logits.",
                      "zh": "−y/p 是 ∂L/∂p；再乘以 softmax 的雅可比矩阵才得到对 logits 的梯度 p − y。"}},
    ],
}

SELF_TESTS = {
    "grad": {
        "accept": ["softmax(z) - y", "exp(z)/sum(exp(z)) - y", r"\operatorname{softmax}(z) - y",
                   r"\frac{e^{z}}{\sum e^{z}} - y", "softmax(z) - y*sum(y)"],
        "reject": [("y - softmax(z)", "sign-flipped"), ("softmax(z)", "probabilities-only"),
                   ("-y/softmax(z)", "gradient-wrt-p"), "exp(z) - y", "softmax(z) - 1"],
        "invalid": ["softmax(z - y", "softmax(x) - y"],
    },
}


def generate(rng):
    return {}
