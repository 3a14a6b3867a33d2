"""Reference for binary-cross-entropy (private). The code part arrives with the sandbox."""

ANSWERS = {
    "formula": "-(y*log(yhat) + (1 - y)*log(1 - yhat))",
    "grad-yhat": "-y/yhat + (1 - y)/(1 - yhat)",
    "grad-logit": "sigma(z) - y",
}

MISCONCEPTIONS = {
    "formula": [
        {"id": "missing-minus", "answer": "y*log(yhat) + (1 - y)*log(1 - yhat)",
         "feedback": {"en": "Missing minus sign: log of a probability is negative, and a loss must be ≥ 0.",
                      "zh": "缺少负号：概率的对数为负，而损失必须 ≥ 0。"}},
        {"id": "positive-term-only", "answer": "-y*log(yhat)",
         "feedback": {"en": "Only the y = 1 term: add −(1 − y)log(1 − ŷ) for the negative class.",
                      "zh": "只有 y = 1 的项：还要加上负类的 −(1 − y)log(1 − ŷ)。"}},
        {"id": "wrong-second-log", "answer": "-(y*log(yhat) + (1 - y)*log(yhat))",
         "feedback": {"en": "The negative class is scored by log(1 − ŷ), not log(ŷ).",
                      "zh": "负类对应的是 log(1 − ŷ)，而不是 log(ŷ)。"}},
    ],
    "grad-yhat": [
        {"id": "sign-flipped", "answer": "y/yhat - (1 - y)/(1 - yhat)",
         "feedback": {"en": "That is the gradient of the log-likelihood; the loss has the opposite sign.",
                      "zh": "这是对数似然的梯度；损失的梯度符号相反。"}},
        {"id": "chain-sign-lost", "answer": "-y/yhat - (1 - y)/(1 - yhat)",
         "feedback": {"en": "d/dŷ log(1 − ŷ) = −1/(1 − ŷ): the inner derivative −1 flips the second term's sign.",
                      "zh": "d/dŷ log(1 − ŷ) = −1/(1 − ŷ)：内层导数 −1 使第二项变号。"}},
        {"id": "logit-gradient", "answer": "yhat - y",
         "feedback": {"en": "ŷ − y is the gradient with respect to the logit z, not to ŷ.",
                      "zh": "ŷ − y 是对 logit z 的梯度，不是对 ŷ 的。"}},
    ],
    "grad-logit": [
        {"id": "squared-error-pattern", "answer": "(sigma(z) - y)*sigma(z)*(1 - sigma(z))",
         "feedback": {"en": "The factor σ'(z) cancels with cross-entropy: σ'(z)·∂L/∂ŷ = ŷ − y. The extra σ(1 − σ) is the squared-error pattern.",
                      "zh": "与交叉熵相乘时 σ'(z) 被约掉：σ'(z)·∂L/∂ŷ = ŷ − y。多出的 σ(1 − σ) 是平方误差损失的形式。"}},
        {"id": "sign-flipped", "answer": "y - sigma(z)",
         "feedback": {"en": "Wrong sign: the loss grows when σ(z) moves away from y, so ∂L/∂z = σ(z) − y.",
                      "zh": "符号错误：σ(z) 偏离 y 时损失增大，所以 ∂L/∂z = σ(z) − y。"}},
        {"id": "sigma-derivative-only", "answer": "sigma(z)*(1 - sigma(z))",
         "feedback": {"en": "That is only dŷ/dz; multiply by ∂L/∂ŷ.", "zh": "这只是 dŷ/dz；还要乘以 ∂L/∂ŷ。"}},
    ],
}

SELF_TESTS = {
    "formula": {
        "accept": ["-(y log(yhat) + (1-y) log(1-yhat))", r"-y\log\hat{y} - (1-y)\log(1-\hat{y})",
                   "-y*ln(y_hat) - (1-y)*ln(1-y_hat)", r"-\left(y \log \hat{y} + (1-y)\log(1-\hat{y})\right)"],
        "reject": [("y log(yhat) + (1-y) log(1-yhat)", "missing-minus"), ("-y log(yhat)", "positive-term-only"),
                   ("-(y log(yhat) + (1-y) log(yhat))", "wrong-second-log"), "(y - yhat)^2"],
        "invalid": ["-(y log(yhat) + (1-y) log(1-yhat)", "-y log(p)", "y log yhat +"],
    },
    "grad-yhat": {
        "accept": ["-y/yhat + (1-y)/(1-yhat)", r"\frac{\hat{y}-y}{\hat{y}(1-\hat{y})}", "(yhat - y)/(yhat*(1-yhat))"],
        "reject": [("y/yhat - (1-y)/(1-yhat)", "sign-flipped"), ("-y/yhat - (1-y)/(1-yhat)", "chain-sign-lost"),
                   ("yhat - y", "logit-gradient")],
        "invalid": ["-y/yhat + (1-y)/(1-yhat", "dL/dyhat"],
    },
    "grad-logit": {
        "accept": ["sigma(z) - y", r"\hat{y} - y", "yhat - y", "1/(1+exp(-z)) - y", "σ(z) − y"],
        "reject": [("(sigma(z)-y) sigma(z)(1-sigma(z))", "squared-error-pattern"), ("y - sigma(z)", "sign-flipped"),
                   ("sigma(z)(1-sigma(z))", "sigma-derivative-only"), ("(yhat - y) yhat (1 - yhat)", "squared-error-pattern")],
        "invalid": ["sigma(z) - ", "sigma(w) - y"],
    },
}


def generate(rng):
    return {}
