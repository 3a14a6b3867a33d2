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


# ŷ as the course and a keyboard write it (issue 11): unbraced \hat, precomposed ŷ, combining hat, delimiters.
SELF_TESTS["grad-logit"]["accept"] += [r"\hat y - y", "ŷ − y", "y\u0302 - y", r"$\hat{y} - y$",
                                       r"\(\operatorname{sigmoid}(z) - y\)", r"\boldsymbol{\hat{y}} - y"]
SELF_TESTS["formula"]["accept"] += [r"-(y\log\hat{y} + (1-y)\log(1-\hat{y}))", "−(y log ŷ + (1−y) log(1−ŷ))"]


def generate(rng):
    return {}


# -- code part -------------------------------------------------------------------

import numpy as np  # noqa: E402


def _sigmoid(z):
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def bce(y, y_hat):
    return float(-np.mean(y * np.log(y_hat) + (1.0 - y) * np.log1p(-y_hat)))


def bce_with_logits(y, z):
    # log(1 + e^z) − y z, written so that exp only sees −|z|
    return float(np.mean(np.maximum(z, 0.0) - y * z + np.log1p(np.exp(-np.abs(z)))))


def bce_grad_logits(y, z):
    return (_sigmoid(z) - y) / y.size


def _t(test_id, fn, kind, points, en, zh, inputs, **extra):
    return {"id": test_id, "function": fn, "kind": kind, "points": points, "name": {"en": en, "zh": zh},
            "inputs": inputs, **extra}


def _pairs(rng, scale):
    out = []
    for shape in ((7,), (3, 4)):
        y = rng.uniform(0, 1, size=shape)
        y[..., 0] = 1.0
        y[..., -1] = 0.0
        out.append((y, rng.normal(0, scale, size=shape)))
    return out


def _probabilities(rng):
    return [(y, np.clip(rng.uniform(0, 1, size=z.shape), 1e-6, 1 - 1e-6)) for y, z in _pairs(rng, 1.0)]


def _extreme(rng):
    y = rng.integers(0, 2, size=(2, 6)).astype(float)
    z = np.array([[-1000.0, -800.0, -40.0, 0.0, 40.0, 800.0], [1000.0, 750.0, -750.0, 12.0, -12.0, 0.5]])
    return [(y, z * rng.uniform(1.0, 1.05))]


CODE_TESTS = {
    "code": [
        _t("bce", "bce", "values", 1, "bce on soft labels, 1-D and 2-D", "软标签上的 bce（一维与二维）", _probabilities),
        _t("logits", "bce_with_logits", "values", 1, "bce_with_logits on moderate logits", "中等大小 logits 上的 bce_with_logits",
           lambda rng: _pairs(rng, 3.0)),
        _t("logits-stable", "bce_with_logits", "stable", 2, "bce_with_logits stable for |z| up to 1e3",
           "bce_with_logits 对 |z| ≤ 1e3 数值稳定", _extreme),
        _t("grad", "bce_grad_logits", "values", 1, "bce_grad_logits on moderate logits", "中等大小 logits 上的 bce_grad_logits",
           lambda rng: _pairs(rng, 3.0)),
        _t("grad-fd", "bce_grad_logits", "gradient", 1, "bce_grad_logits against finite differences of the loss",
           "bce_grad_logits 与损失的有限差分比较", lambda rng: _pairs(rng, 2.0), loss="bce_with_logits", wrt=1),
        _t("grad-stable", "bce_grad_logits", "stable", 1, "bce_grad_logits stable for |z| up to 1e3",
           "bce_grad_logits 对 |z| ≤ 1e3 数值稳定", _extreme),
    ],
}

_FNS = {
    "bce": "def bce(y, p): return float(-np.mean(y*np.log(p) + (1 - y)*np.log(1 - p)))\n",
    "logits": "def bce_with_logits(y, z): return float(np.mean(np.maximum(z, 0) - y*z + np.log1p(np.exp(-np.abs(z)))))\n",
    "grad": ("def bce_grad_logits(y, z):\n    e = np.exp(-np.abs(z))\n"
             "    s = np.where(z >= 0, 1/(1 + e), e/(1 + e))\n    return (s - y)/y.size\n"),
}


def _wrong(why, fails, **replace):
    return {"why": why, "fails": fails, "source": "import numpy as np\n" + "".join({**_FNS, **replace}.values())}


SELF_TESTS["code"] = {"reject": [
    _wrong("bce: the (1 − y) term missing", {"bce": "values"},
           bce="def bce(y, p): return float(-np.mean(y*np.log(p)))\n"),
    _wrong("bce_with_logits through σ then log: log(0) for large |z|", {"logits-stable": None},
           logits="def bce_with_logits(y, z):\n    p = 1/(1 + np.exp(-z))\n"
                  "    return float(-np.mean(y*np.log(p) + (1 - y)*np.log(1 - p)))\n"),
    _wrong("bce_with_logits: the sign of the y·z term", {"logits": "values"},
           logits=_FNS["logits"].replace("- y*z", "+ y*z")),
    _wrong("bce_grad_logits: the 1/N of the mean missing", {"grad": "values", "grad-fd": "values"},
           grad=_FNS["grad"].replace("(s - y)/y.size", "s - y")),
    _wrong("bce_grad_logits: the sign", {"grad": "values", "grad-fd": "values"},
           grad=_FNS["grad"].replace("(s - y)/y.size", "(y - s)/y.size")),
    _wrong("bce_grad_logits: an extra σ'(z) (the squared-error pattern)", {"grad-fd": "values"},
           grad=_FNS["grad"].replace("(s - y)/y.size", "(s - y)*s*(1 - s)/y.size")),
]}


# The references' sources, proved by `nngrade bank check` (private: the loss is the answer of "formula")
DERIVED_FROM = {
    "grad-yhat": {"op": "diff", "expr": "-(y*log(yhat) + (1 - y)*log(1 - yhat))", "wrt": "yhat"},
    "grad-logit": {"op": "diff", "expr": "-(y*log(sigma(z)) + (1 - y)*log(1 - sigma(z)))", "wrt": "z"},
}
