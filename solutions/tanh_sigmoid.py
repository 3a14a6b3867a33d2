"""Reference for tanh-sigmoid (private)."""

ANSWERS = {
    "tanh-in-sigma": "2*sigma(2*x) - 1",
    "tanh-derivative": "1 - tanh(x)^2",
    "max-derivative": "1",
}

MISCONCEPTIONS = {
    "tanh-in-sigma": [
        {"id": "no-scaling-of-input", "answer": "2*sigma(x) - 1",
         "feedback": {"en": "2σ(x) − 1 = tanh(x/2): the input must be doubled too, tanh(x) = 2σ(2x) − 1.",
                      "zh": "2σ(x) − 1 = tanh(x/2)：输入也要乘以 2，tanh(x) = 2σ(2x) − 1。"}},
        {"id": "no-shift", "answer": "2*sigma(2*x)",
         "feedback": {"en": "tanh ranges over (−1, 1) but 2σ(2x) over (0, 2): subtract 1.",
                      "zh": "tanh 的值域为 (−1, 1)，而 2σ(2x) 的值域为 (0, 2)：需要减去 1。"}},
        {"id": "sigma-only-scaled", "answer": "sigma(2*x)",
         "feedback": {"en": "σ(2x) lies in (0, 1); stretch it to (−1, 1) with 2σ(2x) − 1.",
                      "zh": "σ(2x) 的值在 (0, 1) 内；要用 2σ(2x) − 1 拉伸到 (−1, 1)。"}},
    ],
    "tanh-derivative": [
        {"id": "sigmoid-pattern", "answer": "tanh(x)*(1 - tanh(x))",
         "feedback": {"en": "f(1 − f) is the sigmoid's pattern; for tanh it is 1 − f².",
                      "zh": "f(1 − f) 是 sigmoid 的导数形式；tanh 的导数是 1 − f²。"}},
        {"id": "not-squared", "answer": "1 - tanh(x)",
         "feedback": {"en": "The tanh must be squared: tanh' = sech² = 1 − tanh².",
                      "zh": "tanh 需要平方：tanh' = sech² = 1 − tanh²。"}},
        {"id": "plus-sign", "answer": "1 + tanh(x)^2",
         "feedback": {"en": "Check the sign: cosh² − sinh² = 1 gives sech² = 1 − tanh².",
                      "zh": "注意符号：由 cosh² − sinh² = 1 得 sech² = 1 − tanh²。"}},
    ],
    "max-derivative": [
        {"id": "sigmoid-max", "answer": "1/4",
         "feedback": {"en": "1/4 is the maximum of σ'; tanh'(0) = 1 − tanh(0)² = 1.",
                      "zh": "1/4 是 σ' 的最大值；tanh'(0) = 1 − tanh(0)² = 1。"}},
    ],
}

SELF_TESTS = {
    "tanh-in-sigma": {
        "accept": ["2σ(2x)−1", r"2\sigma(2x) - 1", "sigma(2x) - sigma(-2x)", "2*sigma(2*x) - 1", "1 - 2*sigma(-2x)"],
        "reject": [("2sigma(x)-1", "no-scaling-of-input"), ("2 sigma(2x)", "no-shift"), ("sigma(2x)", "sigma-only-scaled"),
                   "tanh(x)", "1 - 2sigma(2x)"],
        "partial": ["(exp(x)-exp(-x))/(exp(x)+exp(-x))", "(1 - exp(-2x))/(1 + exp(-2x))"],
        "invalid": ["2sigma(2x", "2 sigma 2x -", "th(x)"],
    },
    "tanh-derivative": {
        "accept": ["1 - tanh(x)^2", r"1-\tanh^2(x)", "1 - tanh^2 x", "(1-tanh(x))(1+tanh(x))", "1 - tanh(x)**2",
                   r"1 - \tanh(x)^{2}"],
        "reject": [("tanh(x)(1-tanh(x))", "sigmoid-pattern"), ("1-tanh(x)", "not-squared"),
                   ("1+tanh(x)^2", "plus-sign"), "tanh'(x)"],
        "partial": ["sech(x)^2", "1/cosh(x)^2", "4/(exp(x)+exp(-x))^2"],
        "invalid": ["1 - tanh(x)^", "1 - tan h(x)"],
    },
    "max-derivative": {
        "accept": ["1", "1.0", "1/1"],
        "reject": [("0.25", "sigmoid-max"), "0"],
    },
}


def generate(rng):
    return {}
