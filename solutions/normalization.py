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


def _small_variance(rng, axis):
    """Features (or rows) whose variance is far below ε: where ε's place matters."""
    x = rng.normal(0.5, 1e-3, size=(6, 4))
    if axis == 0:
        x[:, 0] = rng.normal(0, 3, size=6)          # one ordinary feature beside them
    return (x, rng.normal(size=4), rng.normal(size=4))


def _one(rng, n, d):
    """A batch of one (batch norm: every variance is 0) or a single feature (layer norm)."""
    return (rng.normal(size=(n, d)), rng.normal(size=d), rng.normal(size=d))


CODE_TESTS = {
    "code": [
        {"id": "batchnorm", "function": "batchnorm_forward", "kind": "values", "points": 2,
         "name": {"en": "batch norm", "zh": "批归一化"},
         "inputs": lambda rng: [_case(rng, 8, 3), _case(rng, 5, 4, 0.1)]},
        {"id": "layernorm", "function": "layernorm_forward", "kind": "values", "points": 2,
         "name": {"en": "layer norm", "zh": "层归一化"},
         "inputs": lambda rng: [_case(rng, 6, 5), _case(rng, 3, 4, 0.1)]},
        {"id": "small-variance", "function": "batchnorm_forward", "kind": "values", "points": 1,
         "name": {"en": "batch norm: variances below ε (ε inside the square root)", "zh": "批归一化：方差小于 ε（ε 在平方根内）"},
         "inputs": lambda rng: [_small_variance(rng, 0)]},
        {"id": "ln-small-variance", "function": "layernorm_forward", "kind": "values", "points": 1,
         "name": {"en": "layer norm: variances below ε", "zh": "层归一化：方差小于 ε"},
         "inputs": lambda rng: [_small_variance(rng, 1)]},
        {"id": "batch-of-one", "function": "batchnorm_forward", "kind": "values", "points": 1,
         "name": {"en": "batch norm of a batch of one", "zh": "只有一个样本的批归一化"},
         "inputs": lambda rng: [_one(rng, 1, 3)]},
    ],
}

_BN = ("def batchnorm_forward(x, gamma, beta, eps=1e-5):\n"
       "    mu = x.mean(axis=0); var = x.var(axis=0)\n"
       "    return gamma*(x - mu)/np.sqrt(var + eps) + beta\n")
_LN = ("def layernorm_forward(x, gamma, beta, eps=1e-5):\n"
       "    mu = x.mean(axis=-1, keepdims=True); var = x.var(axis=-1, keepdims=True)\n"
       "    return gamma*(x - mu)/np.sqrt(var + eps) + beta\n")


def _wrong(why, fails, bn=_BN, ln=_LN):
    return {"why": why, "fails": fails, "source": "import numpy as np\n" + bn + ln}


SELF_TESTS["code"] = {"reject": [
    _wrong("batch norm: the unbiased variance (ddof=1)", {"batchnorm": "values"},
           bn=_BN.replace("x.var(axis=0)", "x.var(axis=0, ddof=1)")),
    _wrong("batch norm: ε outside the square root", {"small-variance": "values"},
           bn=_BN.replace("np.sqrt(var + eps)", "(np.sqrt(var) + eps)")),
    _wrong("batch norm: no ε (0/0 for a batch of one)", {"batch-of-one": "not_finite"},
           bn=_BN.replace("np.sqrt(var + eps)", "np.sqrt(var)")),
    _wrong("layer norm: statistics over the batch axis", {"layernorm": "values"},
           ln=_LN.replace("axis=-1", "axis=0")),
    _wrong("layer norm: ε outside the square root", {"ln-small-variance": "values"},
           ln=_LN.replace("np.sqrt(var + eps)", "(np.sqrt(var) + eps)")),
    _wrong("γ and β swapped", {"batchnorm": "values"},
           bn=_BN.replace("gamma*(x - mu)/np.sqrt(var + eps) + beta", "beta*(x - mu)/np.sqrt(var + eps) + gamma")),
    _wrong("batch norm: centres x in place", {"batchnorm": "mutated"},
           bn=_BN.replace("    return gamma*(x - mu)", "    x -= mu\n    return gamma*x")),
]}
