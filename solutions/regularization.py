"""Reference for regularization (private)."""

ANSWERS = {"l2-grad": "lambda*W", "l1-grad": "lambda*sign(W)"}

MISCONCEPTIONS = {
    "l2-grad": [
        {"id": "half-lost", "answer": "2*lambda*W",
         "feedback": {"en": "The ½ in λ/2 cancels the 2 from differentiating W².", "zh": "λ/2 中的 ½ 与 W² 求导得到的 2 相消。"}},
        {"id": "squared", "answer": "lambda*W^2",
         "feedback": {"en": "Differentiate: d/dW (λ/2)W² = λW.", "zh": "要求导：d/dW (λ/2)W² = λW。"}},
        {"id": "half-kept", "answer": "lambda*W/2",
         "feedback": {"en": "d/dW W² = 2W, which cancels the ½.", "zh": "d/dW W² = 2W，与 ½ 相消。"}},
    ],
    "l1-grad": [
        {"id": "l2-pattern", "answer": "lambda*W",
         "feedback": {"en": "λW is the L2 gradient; |w| has slope sign(w).", "zh": "λW 是 L2 的梯度；|w| 的斜率是 sign(w)。"}},
        {"id": "absolute", "answer": "lambda*abs(W)",
         "feedback": {"en": "|W| is the penalty itself; its derivative is sign(W).", "zh": "|W| 是惩罚项本身；它的导数是 sign(W)。"}},
        {"id": "lambda-dropped", "answer": "sign(W)",
         "feedback": {"en": "Keep the factor λ.", "zh": "要保留系数 λ。"}},
    ],
}

SELF_TESTS = {
    "l2-grad": {"accept": ["lambda*W", r"\lambda W", "λW", "W lambda"],
                "reject": [("2 lambda W", "half-lost"), ("lambda W^2", "squared"), ("lambda W/2", "half-kept"), "lambda W.T"],
                "invalid": ["lambda*", "lambda*V"]},
    "l1-grad": {"accept": ["lambda*sign(W)", r"\lambda \operatorname{sign}(W)", "lambda W/abs(W)", "lambda sgn(W)"],
                "reject": [("lambda W", "l2-pattern"), ("lambda abs(W)", "absolute"), ("sign(W)", "lambda-dropped")],
                "invalid": ["lambda sign(W", "lambda sig(W)"]},
}


def generate(rng):
    return {}
