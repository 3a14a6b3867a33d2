"""Reference for learning-rate-decay (private).

The schedules of 《神经网络与深度学习》 §7.2.3 (the course's 学习率衰减, seed 001 part 三 Q3):
piecewise-constant α₀γ^⌊t/T⌋, inverse time α₀/(1 + βt), exponential α₀βᵗ,
cosine ½α₀(1 + cos(tπ/T)).
"""
import math

import numpy as np

ANSWERS = {"inverse-time": "alpha0/(1 + beta*t)", "exponential": "alpha0*beta^t", "families": ["A", "C", "E"]}

MISCONCEPTIONS = {
    "inverse-time": [
        {"id": "no-one", "answer": "alpha0/(beta*t)",
         "feedback": {"en": "At t = 0 that divides by zero; the 1 in 1 + βt keeps α₀ as the starting rate.",
                      "zh": "t = 0 时这会除以零；1 + βt 中的 1 保证初始学习率为 α₀。"}},
        {"id": "linear", "answer": "alpha0*(1 - beta*t)",
         "feedback": {"en": "That is linear decay, which turns negative for t > 1/β; inverse time decay divides by 1 + βt.",
                      "zh": "这是线性衰减，t > 1/β 后会变成负数；逆时衰减是除以 1 + βt。"}},
        {"id": "exponential", "answer": "alpha0*beta^t",
         "feedback": {"en": "That is exponential decay; inverse time decay falls like 1/t: α₀/(1 + βt).",
                      "zh": "这是指数衰减；逆时衰减按 1/t 下降：α₀/(1 + βt)。"}},
    ],
    "exponential": [
        {"id": "linear-in-t", "answer": "alpha0*beta*t",
         "feedback": {"en": "Multiplying by β each step gives the power βᵗ, not the product βt (which is 0 at t = 0).",
                      "zh": "每一步乘以 β 得到的是幂 βᵗ，而不是乘积 βt（它在 t = 0 时为 0）。"}},
        {"id": "one-minus", "answer": "alpha0*(1 - beta)^t",
         "feedback": {"en": "The factor per step is β itself (β < 1), so α_t = α₀βᵗ.", "zh": "每一步的因子就是 β 本身（β < 1），所以 α_t = α₀βᵗ。"}},
        {"id": "inverse-time", "answer": "alpha0/(1 + beta*t)",
         "feedback": {"en": "That is inverse time decay; exponential decay multiplies by β at every step: α₀βᵗ.",
                      "zh": "这是逆时衰减；指数衰减每一步乘以 β：α₀βᵗ。"}},
    ],
}

OPTION_FEEDBACK = {"families": {
    "B": {"en": "Momentum changes the direction (a moving average of gradients), not the learning rate.", "zh": "动量法改变的是方向（梯度的移动平均），而不是学习率。"},
    "D": {"en": "Nesterov changes where the gradient is taken, i.e. the direction.", "zh": "Nesterov 改变的是计算梯度的位置，即方向。"},
    "F": {"en": "The course lists gradient clipping under gradient-direction methods: it rescales the gradient vector.", "zh": "课程把梯度截断归入梯度方向优化：它对梯度向量做缩放。"},
}}

SELF_TESTS = {
    "inverse-time": {
        "accept": ["alpha0/(1 + beta*t)", r"\frac{\alpha_0}{1 + \beta t}", "alpha_0 (1 + beta t)^(-1)"],
        "reject": [("alpha0/(beta*t)", "no-one"), ("alpha0*(1 - beta*t)", "linear"), ("alpha0*beta^t", "exponential"),
                   "alpha0/(1 + t)", "alpha0/(1 + beta)^t"],
        "invalid": ["alpha0/(1 + beta*t", "lr0/(1 + beta*t)"],
    },
    "exponential": {
        "accept": ["alpha0*beta^t", r"\alpha_0 \beta^{t}", "alpha0*exp(t*log(beta))"],
        "reject": [("alpha0*beta*t", "linear-in-t"), ("alpha0*(1 - beta)^t", "one-minus"), ("alpha0/(1 + beta*t)", "inverse-time"),
                   "alpha0*beta^(t+1)", "alpha0*exp(-t)"],
        "invalid": ["alpha0*beta^", "alpha0*gamma^t"],
    },
    "families": {"accept": ["A, C, E", "ACE"], "reject": ["B, D, F", "B", "F"], "partial": ["A, C", "A, C, E, F", "A"],
                 "invalid": ["A, G"]},
}


def generate(rng):
    every = int(rng.choice([5, 10, 20]))
    T = int(rng.choice([50, 100, 200]))
    return {"lr0": float(rng.choice([0.1, 0.05, 0.2])), "gamma": float(rng.choice([0.5, 0.1, 0.3])), "every": every,
            "t": int(rng.integers(every + 1, 5 * every)) if every else 0, "T": T, "tc": int(rng.integers(1, T))}


ANSWERS["step"] = lambda p: p["lr0"] * p["gamma"] ** (p["t"] // p["every"])
ANSWERS["cosine"] = lambda p: 0.5 * p["lr0"] * (1 + math.cos(p["tc"] * math.pi / p["T"]))
MISCONCEPTIONS["step"] = [
    {"id": "no-floor", "answer": lambda p: p["lr0"] * p["gamma"] ** (p["t"] / p["every"]),
     "feedback": {"en": "The rate changes only every few epochs: round t/every down to a whole number first.",
                  "zh": "学习率只在每隔若干轮次时改变：先把 t/every 向下取整。"}},
    {"id": "rounded-up", "answer": lambda p: p["lr0"] * p["gamma"] ** (-(-p["t"] // p["every"])),
     "feedback": {"en": "⌊·⌋ rounds down: the first drop happens at t = every, not before.",
                  "zh": "⌊·⌋ 是向下取整：第一次下降发生在 t = every，而不是之前。"}},
]
MISCONCEPTIONS["cosine"] = [
    {"id": "no-pi", "answer": lambda p: 0.5 * p["lr0"] * (1 + math.cos(p["tc"] / p["T"])),
     "feedback": {"en": "The angle is tπ/T, so the rate reaches 0 at t = T.", "zh": "角度是 tπ/T，这样学习率在 t = T 时降到 0。"}},
    {"id": "degrees", "answer": lambda p: 0.5 * p["lr0"] * (1 + math.cos(p["tc"] * math.pi / p["T"] * math.pi / 180)),
     "feedback": {"en": "Compute the cosine in radians (or set your calculator to radians).", "zh": "余弦要用弧度计算（或把计算器设为弧度制）。"}},
]


# -- code part -------------------------------------------------------------------

def step_decay(t, lr0, gamma, every):
    return lr0 * gamma ** np.floor(np.asarray(t, dtype=float) / every)


def inverse_time_decay(t, lr0, beta):
    return lr0 / (1.0 + beta * np.asarray(t, dtype=float))


def exponential_decay(t, lr0, beta):
    return lr0 * beta ** np.asarray(t, dtype=float)


def cosine_decay(t, T, lr0):
    t = np.asarray(t, dtype=float)
    return np.where(t <= T, 0.5 * lr0 * (1.0 + np.cos(np.pi * np.minimum(t, T) / T)), 0.0)


def _steps(rng, n=40, top=60):
    return np.sort(rng.integers(0, top, size=n)).astype(float)


def _u(rng, low, high):
    """A parameter drawn per run (a kit's published vectors are never the graded ones), rounded to read well."""
    return round(float(rng.uniform(low, high)), 3)


def _t(test_id, fn, points, en, zh, inputs, **extra):
    return {"id": test_id, "function": fn, "kind": "values", "points": points, "name": {"en": en, "zh": zh},
            "inputs": inputs, **extra}


CODE_TESTS = {
    "code": [
        _t("step", "step_decay", 1, "step decay around its drops", "阶梯衰减（含下降点前后）",
           lambda rng: [(np.arange(0.0, 45.0), _u(rng, 0.05, 0.2), _u(rng, 0.3, 0.7), int(rng.integers(5, 12))),
                        (_steps(rng), _u(rng, 0.1, 0.3), _u(rng, 0.05, 0.2), int(rng.integers(5, 9)))]),
        _t("inverse", "inverse_time_decay", 1, "inverse time decay", "逆时衰减",
           lambda rng: [(np.arange(0.0, 30.0), _u(rng, 0.3, 0.7), _u(rng, 0.05, 0.2)),
                        (_steps(rng).reshape(4, 10), _u(rng, 0.5, 1.5), _u(rng, 0.02, 0.08))]),
        _t("exponential", "exponential_decay", 1, "exponential decay", "指数衰减",
           lambda rng: [(np.arange(0.0, 30.0), _u(rng, 0.3, 0.7), _u(rng, 0.85, 0.95)), (_steps(rng), _u(rng, 0.05, 0.2), _u(rng, 0.9, 0.99))]),
        _t("cosine", "cosine_decay", 1, "cosine decay up to T and after it", "余弦衰减（T 之前与之后）",
           lambda rng: [(np.arange(0.0, 130.0), int(rng.integers(80, 121)), _u(rng, 0.05, 0.2)),
                        (_steps(rng, top=80), int(rng.integers(40, 61)), _u(rng, 0.2, 0.4))]),
    ],
}

_FILE = ("import numpy as np\n"
         "def step_decay(t, lr0, gamma, every):\n    return lr0*gamma**np.floor(t/every)\n"
         "def inverse_time_decay(t, lr0, beta):\n    return lr0/(1 + beta*t)\n"
         "def exponential_decay(t, lr0, beta):\n    return lr0*beta**t\n"
         "def cosine_decay(t, T, lr0):\n    return np.where(t <= T, 0.5*lr0*(1 + np.cos(np.pi*t/T)), 0.0)\n")


def _wrong(why, fails, old, new):
    assert old in _FILE
    return {"why": why, "fails": fails, "source": _FILE.replace(old, new)}


SELF_TESTS["code"] = {"reject": [
    _wrong("step decay without the floor", {"step": "values"}, "gamma**np.floor(t/every)", "gamma**(t/every)"),
    _wrong("cosine without π", {"cosine": "values"}, "np.cos(np.pi*t/T)", "np.cos(t/T)"),
    _wrong("cosine keeps rising after T", {"cosine": "values"}, "np.where(t <= T, 0.5*lr0*(1 + np.cos(np.pi*t/T)), 0.0)",
           "0.5*lr0*(1 + np.cos(np.pi*t/T))"),
    _wrong("inverse time without the 1", {"inverse": "not_finite"}, "lr0/(1 + beta*t)", "lr0/(beta*t)"),
    _wrong("exponential decay as β·t", {"exponential": "values"}, "lr0*beta**t", "lr0*beta*t"),
]}
