"""Reference for optimizers (private). The code part arrives with the sandbox."""

ANSWERS = {"adam-bias-correction": "m_t/(1 - beta1^t)", "adam-relation": "A"}

MISCONCEPTIONS = {
    "adam-bias-correction": [
        {"id": "power-missing", "answer": "m_t/(1 - beta1)",
         "feedback": {"en": "The bias after t steps is the factor 1 − β₁ᵗ: raise β₁ to the step number.",
                      "zh": "t 步之后的偏差因子是 1 − β₁ᵗ：β₁ 要取 t 次幂。"}},
        {"id": "multiplied", "answer": "m_t*(1 - beta1^t)",
         "feedback": {"en": "m_t underestimates the mean early on, so divide by 1 − β₁ᵗ (which is < 1).",
                      "zh": "初期 m_t 低估了均值，所以要除以 1 − β₁ᵗ（它小于 1）。"}},
        {"id": "power-outside", "answer": "m_t/(1 - beta1)^t",
         "feedback": {"en": "It is 1 − β₁ᵗ, not (1 − β₁)ᵗ.", "zh": "应是 1 − β₁ᵗ，而不是 (1 − β₁)ᵗ。"}},
        {"id": "no-correction", "answer": "m_t",
         "feedback": {"en": "Without correction the first steps are biased toward 0 because m₀ = 0.", "zh": "不做修正时，由于 m₀ = 0，前几步会偏向 0。"}},
    ],
}

OPTION_FEEDBACK = {"adam-relation": {"C": {"en": "Adam's second moment is an exponential moving average, like RMSprop, not Adagrad's growing sum.",
                                           "zh": "Adam 的二阶矩是指数滑动平均（与 RMSprop 相同），而不是 Adagrad 那样不断增长的累加和。"}}}

SELF_TESTS = {
    "adam-bias-correction": {
        "accept": ["m_t/(1 - beta1^t)", r"\frac{m_t}{1-\beta_1^t}", "m_t/(1 - β_1^t)", "m_t (1 - beta1**t)^-1"],
        "reject": [("m_t/(1 - beta1)", "power-missing"), ("m_t (1 - beta1^t)", "multiplied"),
                   ("m_t/(1 - beta1)^t", "power-outside"), ("m_t", "no-correction"), "m_t/(1 - beta1^(t-1))"],
        "invalid": ["m_t/(1 - beta1^t", "m/(1 - beta1^t)", "m_t/(1 - beta2^t)"],
    },
    "adam-relation": {"accept": ["A"], "reject": ["B", "C", "D"]},
}


def generate(rng):
    return {}
