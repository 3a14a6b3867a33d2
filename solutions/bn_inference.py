"""Reference for bn-inference (private)."""

import numpy as np

ANSWERS = {"test-formula": "gamma*(x - mu_run)/sqrt(var_run + epsilon) + beta", "why-running": "A",
           "ln-vs-bn": ["A", "B", "C"]}

MISCONCEPTIONS = {
    "test-formula": [
        {"id": "no-affine", "answer": "(x - mu_run)/sqrt(var_run + epsilon)",
         "feedback": {"en": "The learnt scale γ and shift β still apply at test time.", "zh": "测试时仍要使用学到的缩放 γ 和平移 β。"}},
        {"id": "variance-as-std", "answer": "gamma*(x - mu_run)/(var_run + epsilon) + beta",
         "feedback": {"en": "v̂ is a variance: divide by its square root.", "zh": "v̂ 是方差：要除以它的平方根。"}},
        {"id": "epsilon-outside", "answer": "gamma*(x - mu_run)/(sqrt(var_run) + epsilon) + beta",
         "feedback": {"en": "ε is added to the variance, inside the square root.", "zh": "ε 加在方差上，位于平方根内。"}},
        {"id": "notes-no-epsilon", "answer": "gamma*(x - mu_run)/sqrt(var_run) + beta",
         "feedback": {"en": "The course notes write x̂ = (x − E[x])/√Var[x] without ε; this question (like every library) adds a small ε to the variance so that a variance near 0 cannot blow up: √(v̂ + ε).",
                      "zh": "课程笔记写作 x̂ = (x − E[x])/√Var[x]，没有 ε；本题（与各深度学习库一样）在方差上加一个小的 ε，避免方差接近 0 时数值爆炸：√(v̂ + ε)。"}},
        {"id": "gamma-beta-swapped", "answer": "beta*(x - mu_run)/sqrt(var_run + epsilon) + gamma",
         "feedback": {"en": "γ scales and β shifts: γ·x̂ + β.", "zh": "γ 负责缩放，β 负责平移：γ·x̂ + β。"}},
    ],
}

OPTION_FEEDBACK = {
    "why-running": {"C": {"en": "Only a batch of one has variance 0; the real problem is that outputs would depend on the batch.",
                          "zh": "只有单样本的批次方差才为 0；真正的问题是输出会依赖于批次。"}},
    "ln-vs-bn": {
        "D": {"en": "Batch statistics over padded, variable-length sequences are awkward; layer norm is the usual choice for RNNs.",
              "zh": "在补齐的变长序列上求批统计量很别扭；RNN 通常选用层归一化。"},
        "E": {"en": "Layer norm has the same learnable γ and β as batch norm.", "zh": "层归一化和批归一化一样有可学习的 γ 和 β。"},
    },
}

SELF_TESTS = {
    "test-formula": {
        "accept": ["gamma*(x - mu_run)/sqrt(var_run + epsilon) + beta",
                   r"\gamma \frac{x - \hat{\mu}}{\sqrt{\hat{v} + \epsilon}} + \beta", "beta + gamma*(x - muhat)/sqrt(vhat + eps)"],
        "reject": [("(x - mu_run)/sqrt(var_run + epsilon)", "no-affine"),
                   ("gamma*(x - mu_run)/(var_run + epsilon) + beta", "variance-as-std"),
                   ("gamma*(x - mu_run)/(sqrt(var_run) + epsilon) + beta", "epsilon-outside"),
                   ("beta*(x - mu_run)/sqrt(var_run + epsilon) + gamma", "gamma-beta-swapped"),
                   ("gamma*(x - mu_run)/sqrt(var_run) + beta", "notes-no-epsilon"),
                   "gamma*(x - mu_run)/sqrt(var_run) + beta + epsilon"],
        "invalid": ["gamma*(x - mu_run)/sqrt(var_run + epsilon + beta", "gamma*(x - m)/sqrt(v + epsilon) + beta"],
    },
    "why-running": {"accept": ["A"], "reject": ["B", "C"]},
    "ln-vs-bn": {"accept": ["A, B, C"], "reject": ["D", "E", "D, E"], "partial": ["A", "A, B", "A, B, C, D"]},
}


def generate(rng):
    r = lambda lo, hi: float(np.round(rng.uniform(lo, hi), 1))  # noqa: E731
    return {"m": float(rng.choice([0.9, 0.8, 0.7])), "mu1": r(1, 5), "mu2": r(1, 5), "mu3": r(1, 5),
            "mr": r(-2, 2), "vr": float(rng.choice([0.25, 0.64, 1.44, 2.25, 4.0])), "g": r(0.5, 2), "b": r(-1, 1),
            "x": r(-3, 3)}


def _running(p, m=None, start=0.0):
    m = p["m"] if m is None else m
    r = start
    for mu in (p["mu1"], p["mu2"], p["mu3"]):
        r = m * r + (1 - m) * mu
    return r


def _swapped(p):
    r = 0.0
    for mu in (p["mu1"], p["mu2"], p["mu3"]):
        r = (1 - p["m"]) * r + p["m"] * mu
    return r


ANSWERS["running-mean"] = _running
ANSWERS["test-output"] = lambda p: p["g"] * (p["x"] - p["mr"]) / np.sqrt(p["vr"]) + p["b"]
MISCONCEPTIONS["running-mean"] = [
    {"id": "momentum-swapped", "answer": _swapped,
     "feedback": {"en": "In this convention m weighs the old average and 1 − m the new batch (PyTorch's momentum is the other way round).",
                  "zh": "按本题约定，m 是旧平均值的权重，1 − m 是新批次的权重（PyTorch 的 momentum 恰好相反）。"}},
    {"id": "plain-average", "answer": lambda p: (p["mu1"] + p["mu2"] + p["mu3"]) / 3,
     "feedback": {"en": "A running average weighs batches by powers of m, starting from μ̂ = 0; it is not the plain mean.",
                  "zh": "滑动平均按 m 的幂次加权、从 μ̂ = 0 开始；它不是简单平均。"}},
]
MISCONCEPTIONS["test-output"] = [
    {"id": "no-affine", "answer": lambda p: (p["x"] - p["mr"]) / np.sqrt(p["vr"]),
     "feedback": MISCONCEPTIONS["test-formula"][0]["feedback"]},
    {"id": "variance-as-std", "answer": lambda p: p["g"] * (p["x"] - p["mr"]) / p["vr"] + p["b"],
     "feedback": MISCONCEPTIONS["test-formula"][1]["feedback"]},
]


# -- code part -------------------------------------------------------------------

def bn_train_step(x, gamma, beta, running_mean, running_var, momentum=0.9, eps=1e-5):
    mu, var = x.mean(axis=0), x.var(axis=0)
    out = gamma * (x - mu) / np.sqrt(var + eps) + beta
    return out, momentum * running_mean + (1 - momentum) * mu, momentum * running_var + (1 - momentum) * var


def bn_inference(x, gamma, beta, running_mean, running_var, eps=1e-5):
    return gamma * (x - running_mean) / np.sqrt(running_var + eps) + beta


def _args(rng, n, d):
    return (rng.normal(1.0, 2.0, size=(n, d)), rng.uniform(0.5, 2, size=d), rng.normal(size=d),
            rng.normal(size=d), rng.uniform(0.5, 3, size=d))


def _t(test_id, fn, points, en, zh, inputs, **extra):
    return {"id": test_id, "function": fn, "kind": "values", "points": points, "name": {"en": en, "zh": zh},
            "inputs": inputs, **extra}


CODE_TESTS = {
    "code": [
        _t("train", "bn_train_step", 2, "bn_train_step: output and running averages (default momentum)",
           "bn_train_step：输出与滑动平均（默认动量）", lambda rng: [_args(rng, 8, 3), _args(rng, 5, 4)]),
        _t("train-momentum", "bn_train_step", 1, "bn_train_step with a given momentum and eps",
           "bn_train_step：给定动量与 eps", lambda rng: [_args(rng, 6, 3) + (0.5, 0.1)]),
        _t("inference", "bn_inference", 2, "bn_inference with the running averages", "使用滑动平均的 bn_inference",
           lambda rng: [_args(rng, 4, 3), _args(rng, 1, 5), _args(rng, 3, 2) + (0.2,)]),
    ],
}

_TRAIN = ("def bn_train_step(x, gamma, beta, running_mean, running_var, momentum=0.9, eps=1e-5):\n"
          "    mu, var = x.mean(axis=0), x.var(axis=0)\n"
          "    out = gamma*(x - mu)/np.sqrt(var + eps) + beta\n"
          "    return out, momentum*running_mean + (1 - momentum)*mu, momentum*running_var + (1 - momentum)*var\n")
_INF = ("def bn_inference(x, gamma, beta, running_mean, running_var, eps=1e-5):\n"
        "    return gamma*(x - running_mean)/np.sqrt(running_var + eps) + beta\n")


def _wrong(why, fails, train=_TRAIN, inf=_INF):
    return {"why": why, "fails": fails, "source": "import numpy as np\n" + train + inf}


SELF_TESTS["code"] = {"reject": [
    _wrong("momentum weighs the new batch (PyTorch's meaning)", {"train": "values"},
           train=_TRAIN.replace("momentum*running_mean + (1 - momentum)*mu", "(1 - momentum)*running_mean + momentum*mu")
           .replace("momentum*running_var + (1 - momentum)*var", "(1 - momentum)*running_var + momentum*var")),
    _wrong("running variance from the unbiased batch variance", {"train": "values"},
           train=_TRAIN.replace("(1 - momentum)*var\n", "(1 - momentum)*x.var(axis=0, ddof=1)\n")),
    _wrong("inference normalises with the test batch's statistics", {"inference": "values"},
           inf="def bn_inference(x, gamma, beta, running_mean, running_var, eps=1e-5):\n"
               "    return gamma*(x - x.mean(axis=0))/np.sqrt(x.var(axis=0) + eps) + beta\n"),
    _wrong("inference forgets γ and β", {"inference": "values"},
           inf="def bn_inference(x, gamma, beta, running_mean, running_var, eps=1e-5):\n"
               "    return (x - running_mean)/np.sqrt(running_var + eps)\n"),
    _wrong("running averages updated in place", {"train": "mutated"},
           train=_TRAIN.replace("    return out, momentum*running_mean",
                                "    running_mean *= momentum; running_mean += (1 - momentum)*mu\n"
                                "    return out, running_mean + 0*momentum*running_mean")),
]}
