"""Reference for normalization (private). The code part arrives with the sandbox."""

ANSWERS = {"bn-formula": "(x - mu)/sqrt(sigma^2 + epsilon)", "inference": "A"}

MISCONCEPTIONS = {
    "bn-formula": [
        {"id": "epsilon-outside", "answer": "(x - mu)/(sigma + epsilon)",
         "feedback": {"en": "ε is added to the variance, inside the square root: sqrt(σ² + ε).", "zh": "ε 加在方差上，位于平方根内：sqrt(σ² + ε)。"}},
        {"id": "std-as-variance", "answer": "(x - mu)/sqrt(sigma + epsilon)",
         "feedback": {"en": "σ is the standard deviation here, so the variance is σ².", "zh": "这里 σ 是标准差，所以方差是 σ²。"}},
        {"id": "no-epsilon", "answer": "(x - mu)/sigma",
         "feedback": {"en": "Add ε to the variance to avoid dividing by (almost) zero.", "zh": "在方差上加 ε，避免除以（接近）零的数。"}},
        {"id": "not-centred", "answer": "x/sqrt(sigma^2 + epsilon)",
         "feedback": {"en": "Subtract the mean μ first.", "zh": "先减去均值 μ。"}},
    ],
}

OPTION_FEEDBACK = {"inference": {"B": {"en": "At test time the output for one example must not depend on the rest of its batch.",
                                      "zh": "测试时单个样本的输出不能依赖于同批次的其他样本。"}}}

SELF_TESTS = {
    "bn-formula": {
        "accept": ["(x - mu)/sqrt(sigma^2 + epsilon)", r"\frac{x-\mu}{\sqrt{\sigma^2+\epsilon}}", r"\frac{x-\mu}{\sqrt{\sigma^2+\varepsilon}}",
                   "(x - μ)/sqrt(σ² + ε)"],
        "reject": [("(x-mu)/(sigma+epsilon)", "epsilon-outside"), ("(x-mu)/sqrt(sigma+epsilon)", "std-as-variance"),
                   ("(x-mu)/sigma", "no-epsilon"), ("x/sqrt(sigma^2+epsilon)", "not-centred"), "(x-mu)/(sqrt(sigma^2) + epsilon)"],
        "invalid": ["(x - mu)/sqrt(sigma^2 + epsilon", "(x - m)/s"],
    },
    "inference": {"accept": ["A"], "reject": ["B", "C", "D"]},
}


def generate(rng):
    return {}


# -- code part -------------------------------------------------------------------

import numpy as np  # noqa: E402


def batchnorm_forward(x, gamma, beta, eps=1e-5):
    mu = x.mean(axis=0)
    var = x.var(axis=0)
    return gamma * (x - mu) / np.sqrt(var + eps) + beta


def layernorm_forward(x, gamma, beta, eps=1e-5):
    mu = x.mean(axis=-1, keepdims=True)
    var = x.var(axis=-1, keepdims=True)
    return gamma * (x - mu) / np.sqrt(var + eps) + beta


def _case(rng, n, d, *extra):
    return (rng.normal(2.0, 3.0, size=(n, d)), rng.normal(size=d), rng.normal(size=d)) + extra


CODE_TESTS = {
    "code": [
        {"function": "batchnorm_forward", "kind": "values", "points": 2, "name": {"en": "batch norm", "zh": "批归一化"},
         "inputs": lambda rng: [_case(rng, 8, 3), _case(rng, 5, 4, 0.1)]},
        {"function": "layernorm_forward", "kind": "values", "points": 2, "name": {"en": "layer norm", "zh": "层归一化"},
         "inputs": lambda rng: [_case(rng, 6, 5), _case(rng, 3, 4, 0.1)]},
    ],
}

SELF_TESTS["code"] = {"reject": [
    "import numpy as np\n"
    "def batchnorm_forward(x, gamma, beta, eps=1e-5):\n    return gamma*(x - x.mean(0))/(x.std(0, ddof=1) + eps) + beta\n"
    "def layernorm_forward(x, gamma, beta, eps=1e-5):\n    return gamma*(x - x.mean(0))/np.sqrt(x.var(0) + eps) + beta\n",
]}
