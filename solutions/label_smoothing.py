"""Reference for label-smoothing (private): ỹ = (1 − ε)·y + ε/K."""

import numpy as np

ANSWERS = {"formula": "(1 - epsilon)*y + epsilon/K", "effect": ["A", "B", "C"]}

MISCONCEPTIONS = {
    "formula": [
        {"id": "other-classes-convention", "answer": "(1 - epsilon)*y + epsilon*(1 - y)/(K - 1)",
         "feedback": {"en": "That spreads ε over the K − 1 other classes, a convention some texts use; this question spreads it over all K classes: ε/K each.",
                      "zh": "这是把 ε 分给其余 K − 1 个类别，有些资料采用这种约定；本题把它分给全部 K 个类别：每个 ε/K。"}},
        {"id": "no-uniform-part", "answer": "(1 - epsilon)*y",
         "feedback": {"en": "The ε taken from the true class is given back uniformly: add ε/K.", "zh": "从真实类别拿走的 ε 要均匀地分回去：加上 ε/K。"}},
        {"id": "epsilon-not-divided", "answer": "(1 - epsilon)*y + epsilon",
         "feedback": {"en": "ε is shared among the K classes, so each gets ε/K (the targets must sum to 1).", "zh": "ε 由 K 个类别平分，每个得到 ε/K（目标之和必须为 1）。"}},
        {"id": "not-scaled", "answer": "y + epsilon/K",
         "feedback": {"en": "Scale the one-hot target by 1 − ε, or the targets sum to 1 + ε.", "zh": "one-hot 目标要乘以 1 − ε，否则目标之和为 1 + ε。"}},
    ],
}

OPTION_FEEDBACK = {"effect": {"D": {"en": "It changes the targets of the existing examples; adding examples is data augmentation.",
                                    "zh": "它改变的是已有样本的目标；增加样本是数据增强。"}}}

SELF_TESTS = {
    "formula": {
        "accept": ["(1 - epsilon)*y + epsilon/K", r"(1-\epsilon) y + \frac{\epsilon}{K}", "y - epsilon*y + eps/K",
                   "(1 - ε) y_k + ε/K"],
        "reject": [("(1 - epsilon)*y + epsilon*(1 - y)/(K - 1)", "other-classes-convention"),
                   ("(1 - epsilon)*y", "no-uniform-part"), ("(1 - epsilon)*y + epsilon", "epsilon-not-divided"),
                   ("y + epsilon/K", "not-scaled"), "(1 - epsilon)*y + epsilon/(K - 1)"],
        "invalid": ["(1 - epsilon)*y + epsilon/", "(1 - epsilon)*y + epsilon/N"],
    },
    "effect": {"accept": ["A, B, C"], "reject": ["D"], "partial": ["A", "B, C", "A, B, C, D"]},
}


def generate(rng):
    return {"K": int(rng.choice([3, 4, 5, 10, 100])), "eps": float(rng.choice([0.05, 0.1, 0.2, 0.3]))}


ANSWERS["true-class"] = lambda p: 1 - p["eps"] + p["eps"] / p["K"]
ANSWERS["other-class"] = lambda p: p["eps"] / p["K"]
MISCONCEPTIONS["true-class"] = [
    {"id": "no-uniform-part", "answer": lambda p: 1 - p["eps"], "feedback": MISCONCEPTIONS["formula"][1]["feedback"]},
    {"id": "epsilon-not-divided", "answer": lambda p: 1.0, "feedback": MISCONCEPTIONS["formula"][2]["feedback"]},
]
MISCONCEPTIONS["other-class"] = [
    {"id": "other-classes-convention", "answer": lambda p: p["eps"] / (p["K"] - 1),
     "feedback": MISCONCEPTIONS["formula"][0]["feedback"]},
    {"id": "epsilon-not-divided", "answer": lambda p: p["eps"], "feedback": MISCONCEPTIONS["formula"][2]["feedback"]},
]


# -- code part -------------------------------------------------------------------

def smooth_labels(y, eps):
    return (1 - eps) * y + eps / y.shape[-1]


def _log_softmax(z):
    m = z.max(axis=-1, keepdims=True)
    return z - m - np.log(np.sum(np.exp(z - m), axis=-1, keepdims=True))


def smoothed_cross_entropy(y, z, eps):
    return float(-np.sum(smooth_labels(y, eps) * _log_softmax(z)) / y.shape[0])


def smoothed_ce_grad(y, z, eps):
    return (np.exp(_log_softmax(z)) - smooth_labels(y, eps)) / y.shape[0]


def _onehot(rng, n, k):
    return np.eye(k)[rng.integers(0, k, size=n)]


def _cases(rng, scale):
    return [(_onehot(rng, 5, 4), rng.normal(0, scale, size=(5, 4)), 0.1),
            (_onehot(rng, 3, 6), rng.normal(0, scale, size=(3, 6)), float(rng.uniform(0.05, 0.3)))]


def _extreme(rng):
    z = np.array([[1000.0, -1000.0, 0.0], [-800.0, 750.0, 12.0], [5.0, -5.0, -900.0]]) * rng.uniform(1, 1.05)
    return [(np.eye(3)[[1, 1, 0]], z, 0.1)]


def _t(test_id, fn, kind, points, en, zh, inputs, **extra):
    return {"id": test_id, "function": fn, "kind": kind, "points": points, "name": {"en": en, "zh": zh},
            "inputs": inputs, **extra}


CODE_TESTS = {
    "code": [
        _t("smooth", "smooth_labels", "values", 1, "smooth_labels for several K and ε", "不同 K 与 ε 下的 smooth_labels",
           lambda rng: [(_onehot(rng, 4, 3), 0.1), (_onehot(rng, 2, 7), float(rng.uniform(0.05, 0.3))), (_onehot(rng, 5, 2), 0.0)]),
        _t("ce", "smoothed_cross_entropy", "values", 1, "smoothed_cross_entropy on moderate logits",
           "中等大小 logits 上的 smoothed_cross_entropy", lambda rng: _cases(rng, 2.0)),
        _t("ce-stable", "smoothed_cross_entropy", "stable", 1, "smoothed_cross_entropy stable for |z| up to 1e3",
           "smoothed_cross_entropy 对 |z| ≤ 1e3 数值稳定", _extreme),
        _t("grad", "smoothed_ce_grad", "values", 1, "smoothed_ce_grad on moderate logits", "中等大小 logits 上的 smoothed_ce_grad",
           lambda rng: _cases(rng, 2.0)),
        _t("grad-fd", "smoothed_ce_grad", "gradient", 1, "smoothed_ce_grad against finite differences of the loss",
           "smoothed_ce_grad 与损失的有限差分比较", lambda rng: _cases(rng, 1.0), loss="smoothed_cross_entropy", wrt=1),
        _t("grad-stable", "smoothed_ce_grad", "stable", 1, "smoothed_ce_grad stable for |z| up to 1e3",
           "smoothed_ce_grad 对 |z| ≤ 1e3 数值稳定", _extreme),
    ],
}

_FNS = {
    "smooth": "def smooth_labels(y, eps): return (1 - eps)*y + eps/y.shape[1]\n",
    "lsm": ("def _lsm(z):\n    m = z.max(axis=1, keepdims=True)\n"
            "    return z - m - np.log(np.exp(z - m).sum(axis=1, keepdims=True))\n"),
    "ce": "def smoothed_cross_entropy(y, z, eps): return float(-np.sum(smooth_labels(y, eps)*_lsm(z))/len(y))\n",
    "grad": "def smoothed_ce_grad(y, z, eps): return (np.exp(_lsm(z)) - smooth_labels(y, eps))/len(y)\n",
}


def _wrong(why, fails, **replace):
    return {"why": why, "fails": fails, "source": "import numpy as np\n" + "".join({**_FNS, **replace}.values())}


SELF_TESTS["code"] = {"reject": [
    _wrong("ε spread over the K − 1 other classes", {"smooth": "values"},
           smooth="def smooth_labels(y, eps): return (1 - eps)*y + eps*(1 - y)/(y.shape[1] - 1)\n"),
    _wrong("K taken from the number of rows", {"smooth": "values"},
           smooth="def smooth_labels(y, eps): return (1 - eps)*y + eps/y.shape[0]\n"),
    _wrong("cross-entropy as log(softmax) without the max shift", {"ce-stable": None},
           ce="def smoothed_cross_entropy(y, z, eps):\n    p = np.exp(z)/np.exp(z).sum(axis=1, keepdims=True)\n"
              "    return float(-np.sum(smooth_labels(y, eps)*np.log(p))/len(y))\n"),
    _wrong("gradient against the unsmoothed labels", {"grad": "values", "grad-fd": "values"},
           grad="def smoothed_ce_grad(y, z, eps): return (np.exp(_lsm(z)) - y)/len(y)\n"),
    _wrong("gradient not divided by N", {"grad": "values"},
           grad="def smoothed_ce_grad(y, z, eps): return np.exp(_lsm(z)) - smooth_labels(y, eps)\n"),
    _wrong("smooth_labels writes into y", {"smooth": "mutated"},
           smooth="def smooth_labels(y, eps):\n    y *= (1 - eps)\n    y += eps/y.shape[1]\n    return y\n"),
]}
