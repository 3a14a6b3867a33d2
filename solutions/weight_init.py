"""Reference for weight-init (private). The code part arrives with the sandbox.

Glorot & Bengio (2010): Var(W) = 2/(n_in + n_out); U(−r, r) has variance r²/3,
so r = sqrt(6/(n_in + n_out)) for tanh/linear units; the logistic-unit variant
is 4× larger because σ'(0) = 1/4. He et al. (2015): std = sqrt(2/n_in).
"""

ANSWERS = {
    "xavier-uniform-r": "sqrt(6/(n_in + n_out))",
    "xavier-normal-var": "2/(n_in + n_out)",
    "he-normal-std": "sqrt(2/n_in)",
    "too-large": "A",
}

MISCONCEPTIONS = {
    "xavier-uniform-r": [
        {"id": "sigmoid-variant", "answer": "4*sqrt(6/(n_in + n_out))",
         "feedback": {"en": "4·sqrt(6/(n_in + n_out)) is the variant for logistic units (σ'(0) = 1/4); for tanh or linear units it is sqrt(6/(n_in + n_out)).",
                      "zh": "4·sqrt(6/(n_in + n_out)) 是用于 logistic 单元的变体（σ'(0) = 1/4）；tanh 或线性单元用 sqrt(6/(n_in + n_out))。"}},
        {"id": "normal-std", "answer": "sqrt(2/(n_in + n_out))",
         "feedback": {"en": "That is the normal version's standard deviation; U(−r, r) has variance r²/3, so r = sqrt(3·2/(n_in + n_out)).",
                      "zh": "这是正态版本的标准差；U(−r, r) 的方差为 r²/3，所以 r = sqrt(3·2/(n_in + n_out))。"}},
        {"id": "no-sqrt", "answer": "6/(n_in + n_out)",
         "feedback": {"en": "6/(n_in + n_out) is r², not r.", "zh": "6/(n_in + n_out) 是 r²，不是 r。"}},
        {"id": "fan-in-only", "answer": "sqrt(6/n_in)",
         "feedback": {"en": "Glorot averages fan-in and fan-out: n_in + n_out.", "zh": "Glorot 初始化同时考虑输入和输出：n_in + n_out。"}},
    ],
    "xavier-normal-var": [
        {"id": "std-not-var", "answer": "sqrt(2/(n_in + n_out))",
         "feedback": {"en": "That is the standard deviation; the variance is its square.", "zh": "这是标准差；方差是它的平方。"}},
        {"id": "lecun", "answer": "1/n_in", "feedback": {"en": "1/n_in is LeCun's variance, using the fan-in only.", "zh": "1/n_in 是 LeCun 初始化的方差，只考虑输入数。"}},
        {"id": "he", "answer": "2/n_in", "feedback": {"en": "2/n_in is He's variance for ReLU.", "zh": "2/n_in 是用于 ReLU 的 He 初始化方差。"}},
    ],
    "he-normal-std": [
        {"id": "variance-not-std", "answer": "2/n_in",
         "feedback": {"en": "2/n_in is the variance; the standard deviation is its square root.", "zh": "2/n_in 是方差；标准差是它的平方根。"}},
        {"id": "lecun", "answer": "sqrt(1/n_in)",
         "feedback": {"en": "ReLU zeroes half its inputs, so He doubles LeCun's variance: sqrt(2/n_in).", "zh": "ReLU 使一半输入为零，所以 He 把 LeCun 的方差加倍：sqrt(2/n_in)。"}},
        {"id": "glorot", "answer": "sqrt(2/(n_in + n_out))",
         "feedback": {"en": "That is Glorot's; He uses the fan-in only.", "zh": "这是 Glorot 的；He 只使用输入数。"}},
    ],
}

OPTION_FEEDBACK = {
    "too-large": {
        "B": {"en": "Bounded outputs do not help: large |z| puts σ in its flat tails, where σ' ≈ 0.", "zh": "输出有界并没有帮助：|z| 很大时 σ 处于平坦的尾部，σ' ≈ 0。"},
        "C": {"en": "Saturated units have tiny gradients.", "zh": "饱和的单元梯度很小。"},
    },
}

SELF_TESTS = {
    "xavier-uniform-r": {
        "accept": ["sqrt(6/(n_in + n_out))", r"\sqrt{\frac{6}{n_{in} + n_{out}}}", "sqrt(6)/sqrt(n_in+n_out)", "(6/(n_in+n_out))^0.5"],
        "reject": [("4 sqrt(6/(n_in + n_out))", "sigmoid-variant"), ("sqrt(2/(n_in + n_out))", "normal-std"),
                   ("6/(n_in + n_out)", "no-sqrt"), ("sqrt(6/n_in)", "fan-in-only"), "sqrt(6/(n_in*n_out))"],
        "invalid": ["sqrt(6/(n_in + n_out)", "sqrt(6/(fan_in + fan_out))"],
    },
    "xavier-normal-var": {
        "accept": ["2/(n_in + n_out)", r"\frac{2}{n_{in}+n_{out}}", "1/((n_in + n_out)/2)"],
        "reject": [("sqrt(2/(n_in + n_out))", "std-not-var"), ("1/n_in", "lecun"), ("2/n_in", "he")],
        "invalid": ["2/(n_in + n_out", "2/(m + n)"],
    },
    "he-normal-std": {
        "accept": ["sqrt(2/n_in)", r"\sqrt{2/n_{in}}", "sqrt(2)/sqrt(n_in)"],
        "reject": [("2/n_in", "variance-not-std"), ("sqrt(1/n_in)", "lecun"), ("sqrt(2/(n_in+n_out))", "glorot")],
        "invalid": ["sqrt(2/n_in", "sqrt(2/fan_in)"],
    },
    "too-large": {"accept": ["A"], "reject": ["B", "C", "D"]},
}


def generate(rng):
    return {}
