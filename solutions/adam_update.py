"""Reference for adam-update (private).

Kingma & Ba (2015), Algorithm 1: θ_t = θ_{t−1} − α m̂_t/(√v̂_t + ε). The course notes
(seed 001, part 三 Q3) write −α/√(Ĝ_t + ε) for Adam and AdaGrad: recognised with a
friendly message, never accepted, since the bank's convention is stated in the prompt.
"""
import numpy as np

_NOTES = {"en": "Close, and it is how the course notes write it: √(v̂ + ε). This question follows Kingma & Ba (and PyTorch, TensorFlow): ε is added outside the square root, √v̂ + ε. The two differ when v̂ is tiny.",
          "zh": "很接近，课程笔记正是这样写的：√(v̂ + ε)。本题遵循 Kingma & Ba（以及 PyTorch、TensorFlow）的写法：ε 加在平方根外面，即 √v̂ + ε。当 v̂ 很小时两者不同。"}
_NOTES_G = {"en": _NOTES["en"].replace("v̂", "G"), "zh": _NOTES["zh"].replace("v̂", "G")}

ANSWERS = {
    "update": "theta_prev - alpha*mhat_t/(sqrt(vhat_t) + epsilon)",
    "adagrad-update": "-alpha*g_t/(sqrt(G_t) + epsilon)",
    "scale": "A",
}

MISCONCEPTIONS = {
    "update": [
        {"id": "epsilon-inside-notes", "answer": "theta_prev - alpha*mhat_t/sqrt(vhat_t + epsilon)", "feedback": _NOTES},
        {"id": "no-sqrt", "answer": "theta_prev - alpha*mhat_t/(vhat_t + epsilon)",
         "feedback": {"en": "v̂ estimates the squared gradient: divide by its square root, so the step has the scale of α.",
                      "zh": "v̂ 估计的是梯度的平方：要除以它的平方根，这样步长才与 α 同量级。"}},
        {"id": "ascent", "answer": "theta_prev + alpha*mhat_t/(sqrt(vhat_t) + epsilon)",
         "feedback": {"en": "Descent subtracts the step: θ_t = θ_{t−1} − α m̂_t/(√v̂_t + ε).", "zh": "下降要减去步长：θ_t = θ_{t−1} − α m̂_t/(√v̂_t + ε)。"}},
    ],
    "adagrad-update": [
        {"id": "epsilon-inside-notes", "answer": "-alpha*g_t/sqrt(G_t + epsilon)", "feedback": _NOTES_G},
        {"id": "no-sqrt", "answer": "-alpha*g_t/(G_t + epsilon)",
         "feedback": {"en": "G_t sums squared gradients: divide by its square root.", "zh": "G_t 是梯度平方的累加：要除以它的平方根。"}},
        {"id": "ascent", "answer": "alpha*g_t/(sqrt(G_t) + epsilon)",
         "feedback": {"en": "The update goes against the gradient: a minus sign.", "zh": "更新方向与梯度相反：要加负号。"}},
    ],
}

OPTION_FEEDBACK = {"scale": {"B": {"en": "m̂₁/√v̂₁ = g₁/|g₁| = ±1: Adam's step is normalised, unlike SGD's.",
                                   "zh": "m̂₁/√v̂₁ = g₁/|g₁| = ±1：Adam 的步长是归一化的，这与 SGD 不同。"}}}

SELF_TESTS = {
    "update": {
        "accept": ["theta_prev - alpha*mhat_t/(sqrt(vhat_t) + epsilon)", r"\theta_{t-1} - \frac{\alpha \hat{m}_t}{\sqrt{\hat{v}_t} + \epsilon}",
                   "theta_prev - alpha/(vhat_t^(1/2) + ε) * mhat_t"],
        "reject": [("theta_prev - alpha*mhat_t/sqrt(vhat_t + epsilon)", "epsilon-inside-notes"),
                   (r"\theta_{t-1} - \frac{\alpha}{\sqrt{\hat{v}_t + \epsilon}} \hat{m}_t", "epsilon-inside-notes"),
                   ("theta_prev - alpha*mhat_t/(vhat_t + epsilon)", "no-sqrt"),
                   ("theta_prev + alpha*mhat_t/(sqrt(vhat_t) + epsilon)", "ascent"), "theta_prev - alpha*mhat_t"],
        "invalid": ["theta_prev - alpha*mhat_t/(sqrt(vhat_t) + epsilon", "theta - alpha*m/(sqrt(v) + epsilon)"],
    },
    "adagrad-update": {
        "accept": ["-alpha*g_t/(sqrt(G_t) + epsilon)", r"-\frac{\alpha}{\sqrt{G_t} + \epsilon} g_t"],
        "reject": [("-alpha*g_t/sqrt(G_t + epsilon)", "epsilon-inside-notes"), ("-alpha*g_t/(G_t + epsilon)", "no-sqrt"),
                   ("alpha*g_t/(sqrt(G_t) + epsilon)", "ascent"), "-alpha*g_t"],
        "invalid": ["-alpha*g_t/(sqrt(G_t) + epsilon", "-alpha*g/(sqrt(G) + epsilon)"],
    },
    "scale": {"accept": ["A"], "reject": ["B", "C", "D"], "invalid": ["X"]},
}


def generate(rng):
    c, k = float(rng.choice([1.0, 2.0, 5.0, 3.0])), int(rng.integers(5, 8))
    return {"lr": float(rng.choice([1e-3, 1e-2, 5e-3])), "eps": 1e-8, "g": c * 10.0 ** -k,
            "g_tex": f"{c:g} \\times 10^{{-{k}}}"}


def _step(p, notes=False):
    g = abs(p["g"])
    return p["lr"] * g / (np.sqrt(g * g + p["eps"]) if notes else g + p["eps"])


ANSWERS["tiny-gradient"] = _step
MISCONCEPTIONS["tiny-gradient"] = [
    {"id": "epsilon-inside-notes", "answer": lambda p: _step(p, notes=True), "feedback": _NOTES},
    {"id": "no-normalisation", "answer": lambda p: p["lr"] * abs(p["g"]),
     "feedback": {"en": "Adam divides by √v̂₁ + ε = |g₁| + ε, so the step is α|g₁|/(|g₁| + ε), not α|g₁|.",
                  "zh": "Adam 要除以 √v̂₁ + ε = |g₁| + ε，所以步长是 α|g₁|/(|g₁| + ε)，而不是 α|g₁|。"}},
]
