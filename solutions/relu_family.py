"""Reference for relu-family (private). The code part arrives with the sandbox."""

ANSWERS = {
    "softplus-derivative": "sigma(x)",
    "elu-derivative-negative": "alpha*exp(x)",
}

MISCONCEPTIONS = {
    "softplus-derivative": [
        {"id": "reflected", "answer": "sigma(-x)",
         "feedback": {"en": "d/dx log(1 + eˣ) = eˣ/(1 + eˣ) = σ(x), not σ(−x) = 1/(1 + eˣ).",
                      "zh": "d/dx log(1 + eˣ) = eˣ/(1 + eˣ) = σ(x)，而不是 σ(−x) = 1/(1 + eˣ)。"}},
        {"id": "chain-rule-dropped", "answer": "1/(1 + exp(x))",
         "feedback": {"en": "The chain rule multiplies 1/(1 + eˣ) by the inner derivative eˣ.",
                      "zh": "链式法则要求把 1/(1 + eˣ) 乘以内层导数 eˣ。"}},
        {"id": "differentiated-twice", "answer": "sigma(x)*(1 - sigma(x))",
         "feedback": {"en": "σ(x)(1 − σ(x)) is the second derivative of softplus; its first derivative is σ(x).",
                      "zh": "σ(x)(1 − σ(x)) 是 softplus 的二阶导数；一阶导数是 σ(x)。"}},
        {"id": "exp-only", "answer": "exp(x)",
         "feedback": {"en": "eˣ is the derivative of the inner term only; divide by 1 + eˣ.",
                      "zh": "eˣ 只是内层的导数；还要除以 1 + eˣ。"}},
    ],
    "elu-derivative-negative": [
        {"id": "function-not-derivative", "answer": "alpha*(exp(x) - 1)",
         "feedback": {"en": "That is ELU(x) itself; the −1 is a constant and vanishes when differentiating.",
                      "zh": "这是 ELU(x) 本身；−1 是常数，求导后消失。"}},
        {"id": "alpha-dropped", "answer": "exp(x)",
         "feedback": {"en": "The factor α stays: d/dx α(eˣ − 1) = αeˣ.", "zh": "系数 α 要保留：d/dx α(eˣ − 1) = αeˣ。"}},
        {"id": "constant-alpha", "answer": "alpha",
         "feedback": {"en": "The slope is not constant for x < 0: it decays as αeˣ.", "zh": "x < 0 时斜率不是常数：它按 αeˣ 衰减。"}},
    ],
}

SELF_TESTS = {
    "softplus-derivative": {
        "accept": ["sigma(x)", "exp(x)/(1+exp(x))", "1/(1+exp(-x))", r"\frac{e^x}{1+e^x}", "σ(x)", "1 - sigma(-x)"],
        "reject": [("sigma(-x)", "reflected"), ("exp(x)", "exp-only"), ("sigma(x)(1-sigma(x))", "differentiated-twice"),
                   "log(1+exp(x))"],
        "invalid": ["sigma(x))", "softplus'(x)", "d/dx log(1+e^x)"],
    },
    "elu-derivative-negative": {
        "accept": ["alpha*exp(x)", r"\alpha e^{x}", "α e^x", "alpha e^x", "alpha*(exp(x)-1) + alpha"],
        "reject": [("alpha*(exp(x)-1)", "function-not-derivative"), ("exp(x)", "alpha-dropped"),
                   ("alpha", "constant-alpha"), "1"],
        "invalid": ["alpha exp(", "a*exp(x)"],
    },
}


def generate(rng):
    return {}
