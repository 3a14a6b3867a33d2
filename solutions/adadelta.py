"""Reference for adadelta (private).

Zeiler (2012), as in the course (seed 001, part 三 Q3): G_t = ρG_{t−1} + (1−ρ)g_t²,
Δθ_t = −sqrt(D_{t−1} + ε)/sqrt(G_t + ε) · g_t, ΔX²_t = ρD_{t−1} + (1−ρ)Δθ_t².
Here ε inside the square roots is the original algorithm, not the notes' Adam slip.
"""
import numpy as np

ANSWERS = {
    "update": "-sqrt(D_prev + epsilon)/sqrt(G_t + epsilon)*g_t",
    "accumulate": "rho*D_prev + (1 - rho)*dtheta_t^2",
    "no-lr": "A",
}

MISCONCEPTIONS = {
    "update": [
        {"id": "ratio-inverted", "answer": "-sqrt(G_t + epsilon)/sqrt(D_prev + epsilon)*g_t",
         "feedback": {"en": "The ratio is upside down: the RMS of past updates is on top, the RMS of gradients below (like RMSprop's denominator).",
                      "zh": "比值颠倒了：过去更新量的均方根在分子，梯度的均方根在分母（与 RMSprop 的分母相同）。"}},
        {"id": "no-epsilon-on-top", "answer": "-sqrt(D_prev)/sqrt(G_t + epsilon)*g_t",
         "feedback": {"en": "Without ε in the numerator, D₀ = 0 makes the first update 0, and every later one too: AdaDelta would never move.",
                      "zh": "分子中没有 ε 时，D₀ = 0 使第一步更新为 0，之后也一直为 0：AdaDelta 将永远不动。"}},
        {"id": "sign", "answer": "sqrt(D_prev + epsilon)/sqrt(G_t + epsilon)*g_t",
         "feedback": {"en": "Descent moves against the gradient: Δθ_t carries a minus sign.", "zh": "下降要沿梯度的反方向：Δθ_t 带负号。"}},
        {"id": "rmsprop", "answer": "-g_t/sqrt(G_t + epsilon)",
         "feedback": {"en": "That is RMSprop with α = 1; AdaDelta replaces α by sqrt(D_{t−1} + ε).",
                      "zh": "这是 α = 1 的 RMSprop；AdaDelta 用 sqrt(D_{t−1} + ε) 取代 α。"}},
    ],
    "accumulate": [
        {"id": "weights-swapped", "answer": "(1 - rho)*D_prev + rho*dtheta_t^2",
         "feedback": {"en": "The old average keeps the weight ρ (close to 1); the new square gets 1 − ρ.",
                      "zh": "旧的平均值权重为 ρ（接近 1）；新的平方项权重为 1 − ρ。"}},
        {"id": "not-squared", "answer": "rho*D_prev + (1 - rho)*dtheta_t",
         "feedback": {"en": "D averages squared updates: square Δθ_t.", "zh": "D 是更新量平方的平均：Δθ_t 要平方。"}},
        {"id": "sum-not-average", "answer": "D_prev + dtheta_t^2",
         "feedback": {"en": "That is AdaGrad's growing sum; AdaDelta uses an exponential moving average with ρ.",
                      "zh": "这是 AdaGrad 那样不断增长的累加和；AdaDelta 使用带 ρ 的指数移动平均。"}},
    ],
}

OPTION_FEEDBACK = {"no-lr": {"C": {"en": "AdaDelta was designed to avoid AdaGrad's ever-growing sum, which makes steps shrink to nothing.",
                                   "zh": "AdaDelta 正是为了避免 AdaGrad 那种不断增长、使步长趋于零的累加和而设计的。"}}}

SELF_TESTS = {
    "update": {
        "accept": ["-sqrt(D_prev + epsilon)/sqrt(G_t + epsilon)*g_t", r"-\frac{\sqrt{D_{t-1} + \epsilon}}{\sqrt{G_t + \epsilon}} g_t",
                   "-g_t*sqrt((D_prev + epsilon)/(G_t + epsilon))", "-(D_prev + ε)^(1/2) (G_t + ε)^(-1/2) g_t"],
        "reject": [("-sqrt(G_t + epsilon)/sqrt(D_prev + epsilon)*g_t", "ratio-inverted"),
                   ("-sqrt(D_prev)/sqrt(G_t + epsilon)*g_t", "no-epsilon-on-top"),
                   ("sqrt(D_prev + epsilon)/sqrt(G_t + epsilon)*g_t", "sign"), ("-g_t/sqrt(G_t + epsilon)", "rmsprop"),
                   "-sqrt(D_prev + epsilon)/(sqrt(G_t) + epsilon)*g_t"],
        "invalid": ["-sqrt(D_prev + epsilon)/sqrt(G_t + epsilon*g_t", "-sqrt(D + epsilon)/sqrt(G_t + epsilon)*g_t"],
    },
    "accumulate": {
        "accept": ["rho*D_prev + (1 - rho)*dtheta_t^2", r"\rho D_{t-1} + (1-\rho)\,dtheta_t^{2}",
                   "D_prev + (1 - rho)*(dtheta_t^2 - D_prev)"],
        "reject": [("(1 - rho)*D_prev + rho*dtheta_t^2", "weights-swapped"), ("rho*D_prev + (1-rho)*dtheta_t", "not-squared"),
                   ("D_prev + dtheta_t^2", "sum-not-average"), "rho*D_prev + (1 - rho)*g_t^2"],
        "invalid": ["rho*D_prev + (1 - rho)*dtheta^2", "rho*D_prev + (1 - rho"],
    },
    "no-lr": {"accept": ["A"], "reject": ["B", "C", "D"], "invalid": ["F"]},
}


def generate(rng):
    return {"rho": float(rng.choice([0.9, 0.95, 0.5, 0.8])), "eps": float(rng.choice([0.01, 0.04, 0.001])),
            "g": float(np.round(rng.choice([-1.0, 1.0]) * rng.uniform(0.2, 2.0), 2))}


def first_step(p, G=None, top=None):
    G1 = (1 - p["rho"]) * p["g"] ** 2 if G is None else G
    top = p["eps"] if top is None else top
    return -np.sqrt(top) / np.sqrt(G1 + p["eps"]) * p["g"]


ANSWERS["first-step"] = first_step
MISCONCEPTIONS["first-step"] = [
    {"id": "no-decay-weight", "answer": lambda p: first_step(p, G=p["g"] ** 2),
     "feedback": {"en": "G₁ = ρ·0 + (1 − ρ)g₁²: the new square is weighted by 1 − ρ.", "zh": "G₁ = ρ·0 + (1 − ρ)g₁²：新的平方项要乘以 1 − ρ。"}},
    {"id": "decay-weight-swapped", "answer": lambda p: first_step(p, G=p["rho"] * p["g"] ** 2),
     "feedback": {"en": "The new square gets weight 1 − ρ, the old average ρ.", "zh": "新的平方项权重为 1 − ρ，旧的平均值权重为 ρ。"}},
    {"id": "sign", "answer": lambda p: -first_step(p),
     "feedback": {"en": "Descent moves against the gradient.", "zh": "下降要沿梯度的反方向。"}},
]


# -- code part -------------------------------------------------------------------

def adadelta_step(theta, g, G, D, rho=0.9, eps=1e-6):
    G = rho * G + (1.0 - rho) * g * g
    delta = -np.sqrt(D + eps) / np.sqrt(G + eps) * g
    D = rho * D + (1.0 - rho) * delta * delta
    return theta + delta, G, D


def _t(test_id, points, en, zh, inputs, **extra):
    return {"id": test_id, "function": "adadelta_step", "kind": "values", "points": points,
            "name": {"en": en, "zh": zh}, "inputs": inputs, **extra}


CODE_TESTS = {
    "code": [
        _t("first", 1, "the first step from zero averages", "从零平均值开始的第一步",
           lambda rng: [(rng.normal(size=5), rng.normal(size=5), np.zeros(5), np.zeros(5))]),
        _t("later", 2, "a later step with running averages, default and given rho and eps", "已有滑动平均的后续步骤（默认与给定的 rho、eps）",
           lambda rng: [(rng.normal(size=(2, 3)), rng.normal(size=(2, 3)), rng.uniform(0, 2, size=(2, 3)), rng.uniform(0, 1e-2, size=(2, 3))),
                        (rng.normal(size=4), rng.normal(size=4), rng.uniform(0, 1, size=4), rng.uniform(0, 1e-2, size=4), 0.5, 1e-4)]),
        _t("hidden", 1, "hidden: several steps in a row", "隐藏测试：连续多步", visible=False,
           inputs=lambda rng: [(rng.normal(size=3), rng.normal(size=3), rng.uniform(0, 1, size=3), rng.uniform(0, 1e-3, size=3), 0.95, 1e-6)]),
    ],
}

_ADADELTA = ("import numpy as np\n"
             "def adadelta_step(theta, g, G, D, rho=0.9, eps=1e-6):\n"
             "    G = rho*G + (1-rho)*g*g\n"
             "    delta = -np.sqrt(D + eps)/np.sqrt(G + eps)*g\n"
             "    D = rho*D + (1-rho)*delta*delta\n"
             "    return theta + delta, G, D\n")


def _wrong(why, fails, old, new):
    assert old in _ADADELTA
    return {"why": why, "fails": fails, "source": _ADADELTA.replace(old, new)}


SELF_TESTS["code"] = {"reject": [
    _wrong("ε added outside the square roots (the numerator is 1e-6 instead of 1e-3 at the first step)", {"first": "values"},
           "-np.sqrt(D + eps)/np.sqrt(G + eps)*g", "-(np.sqrt(D) + eps)/(np.sqrt(G) + eps)*g"),
    _wrong("the update uses the old G", {"first": "values"},
           "    G = rho*G + (1-rho)*g*g\n    delta = -np.sqrt(D + eps)/np.sqrt(G + eps)*g\n",
           "    delta = -np.sqrt(D + eps)/np.sqrt(G + eps + 1e-300)*g\n    G = rho*G + (1-rho)*g*g\n"),
    _wrong("D accumulates squared gradients instead of squared updates", {"later": "values"},
           "D = rho*D + (1-rho)*delta*delta", "D = rho*D + (1-rho)*g*g"),
    _wrong("the moving-average weights swapped", {"later": "values"}, "G = rho*G + (1-rho)*g*g", "G = (1-rho)*G + rho*g*g"),
    _wrong("G updated in place", {"first": "mutated"}, "    G = rho*G + (1-rho)*g*g\n", "    G *= rho\n    G += (1-rho)*g*g\n"),
]}
