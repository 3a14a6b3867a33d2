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


# -- code part -------------------------------------------------------------------

import numpy as np  # noqa: E402


def momentum_step(theta, g, v, lr, rho=0.9):
    v = rho * v - lr * g
    return theta + v, v


def adagrad_step(theta, g, G, lr, eps=1e-7):
    G = G + g * g
    return theta - lr * g / (np.sqrt(G) + eps), G


def rmsprop_step(theta, g, G, lr, beta=0.9, eps=1e-7):
    G = beta * G + (1.0 - beta) * g * g
    return theta - lr * g / (np.sqrt(G) + eps), G


def adam_step(theta, g, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    m = beta1 * m + (1.0 - beta1) * g
    v = beta2 * v + (1.0 - beta2) * g * g
    m_hat = m / (1.0 - beta1 ** t)
    v_hat = v / (1.0 - beta2 ** t)
    return theta - lr * m_hat / (np.sqrt(v_hat) + eps), m, v


def _t(test_id, fn, points, en, zh, inputs, **extra):
    return {"id": test_id, "function": fn, "kind": "values", "points": points, "name": {"en": en, "zh": zh},
            "inputs": inputs, **extra}


def _vecs(rng, k, shape=(3, 4)):
    return [rng.normal(size=shape) for _ in range(k)]


def _tiny(rng, shape):
    """Gradients of 1e-10 to 1e-6 with random signs and some exact zeros: where ε's place matters."""
    g = rng.choice([-1.0, 1.0], size=shape) * 10.0 ** rng.uniform(-10, -6, size=shape)
    g.flat[rng.permutation(g.size)[:2]] = 0.0
    return g


CODE_TESTS = {
    "code": [
        _t("momentum", "momentum_step", 1, "momentum, default and given rho", "动量法（默认与给定 rho）",
           lambda rng: [tuple(_vecs(rng, 3)) + (0.1,), tuple(_vecs(rng, 3, (5,))) + (0.01, 0.5)]),
        _t("adagrad", "adagrad_step", 1, "Adagrad from zero and from a running sum", "Adagrad（从零开始与已有累积）",
           lambda rng: [(rng.normal(size=4), rng.normal(size=4), np.zeros(4), 0.1),
                        (rng.normal(size=(2, 3)), rng.normal(size=(2, 3)), rng.uniform(0, 2, size=(2, 3)), 0.05, 1e-6)]),
        _t("adagrad-tiny", "adagrad_step", 1, "Adagrad with tiny gradients (ε outside the square root)",
           "梯度极小时的 Adagrad（ε 在平方根外）",
           lambda rng: [(rng.normal(size=6), _tiny(rng, 6), np.zeros(6), 0.1)]),
        _t("rmsprop", "rmsprop_step", 1, "RMSprop, default and given beta", "RMSprop（默认与给定 beta）",
           lambda rng: [(rng.normal(size=4), rng.normal(size=4), rng.uniform(0, 1, size=4), 0.01),
                        (rng.normal(size=(2, 3)), rng.normal(size=(2, 3)), rng.uniform(0, 1, size=(2, 3)), 0.1, 0.5)]),
        _t("rmsprop-tiny", "rmsprop_step", 1, "RMSprop with tiny gradients (ε outside the square root)",
           "梯度极小时的 RMSprop（ε 在平方根外）",
           lambda rng: [(rng.normal(size=(2, 3)), _tiny(rng, (2, 3)), np.zeros((2, 3)), 0.01)]),
        _t("adam-first", "adam_step", 2, "Adam's first step (t = 1): bias correction", "Adam 的第一步（t = 1）：偏差修正",
           lambda rng: [(rng.normal(size=5), rng.normal(size=5), np.zeros(5), np.zeros(5), 1)]),
        _t("adam-later", "adam_step", 1, "Adam at a later step with its defaults changed", "Adam 的后续步骤（修改默认参数）",
           lambda rng: [(rng.normal(size=(2, 2)), rng.normal(size=(2, 2)), rng.normal(size=(2, 2)),
                         rng.uniform(0, 1, size=(2, 2)), 7, 0.01, 0.8, 0.99, 1e-6)]),
        _t("adam-tiny", "adam_step", 1, "Adam with tiny and zero gradients (ε outside the square root)",
           "梯度极小或为零时的 Adam（ε 在平方根外）",
           lambda rng: [(rng.normal(size=6), _tiny(rng, 6), np.zeros(6), np.zeros(6), 1),
                        (rng.normal(size=(1, 3)), _tiny(rng, (1, 3)), np.zeros((1, 3)), np.zeros((1, 3)), 3)]),
    ],
}

_MOMENTUM = ("def momentum_step(theta, g, v, lr, rho=0.9):\n"
             "    v = rho*v - lr*g\n    return theta + v, v\n")
_ADAGRAD = ("def adagrad_step(theta, g, G, lr, eps=1e-7):\n"
            "    G = G + g*g\n    return theta - lr*g/(np.sqrt(G) + eps), G\n")
_RMSPROP = ("def rmsprop_step(theta, g, G, lr, beta=0.9, eps=1e-7):\n"
            "    G = beta*G + (1-beta)*g*g\n    return theta - lr*g/(np.sqrt(G) + eps), G\n")
_ADAM = ("def adam_step(theta, g, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):\n"
         "    m = beta1*m + (1-beta1)*g\n    v = beta2*v + (1-beta2)*g*g\n"
         "    m_hat = m/(1 - beta1**t)\n    v_hat = v/(1 - beta2**t)\n"
         "    return theta - lr*m_hat/(np.sqrt(v_hat) + eps), m, v\n")


def _file(momentum=_MOMENTUM, adagrad=_ADAGRAD, rmsprop=_RMSPROP, adam=_ADAM):
    return "import numpy as np\n" + momentum + adagrad + rmsprop + adam


def _wrong(why, fails, **functions):
    return {"why": why, "fails": fails, "source": _file(**functions)}


SELF_TESTS["code"] = {"reject": [
    _wrong("Adam: ε inside the square root", {"adam-tiny": "values"},
           adam=_ADAM.replace("(np.sqrt(v_hat) + eps)", "np.sqrt(v_hat + eps)")),
    _wrong("Adam: no ε at all (0/0 for a zero gradient)", {"adam-tiny": "not_finite"},
           adam=_ADAM.replace("(np.sqrt(v_hat) + eps)", "np.sqrt(v_hat)")),
    _wrong("Adam: no bias correction", {"adam-first": "values"},
           adam=_ADAM.replace("m/(1 - beta1**t)", "m").replace("v/(1 - beta2**t)", "v")),
    _wrong("Adam: bias correction without the power t", {"adam-later": "values"},
           adam=_ADAM.replace("beta1**t", "beta1").replace("beta2**t", "beta2")),
    _wrong("Adam: updates m in place", {"adam-first": "mutated"},
           adam=_ADAM.replace("    m = beta1*m + (1-beta1)*g\n", "    m *= beta1\n    m += (1-beta1)*g\n")),
    _wrong("Adagrad: ε inside the square root", {"adagrad-tiny": "values"},
           adagrad=_ADAGRAD.replace("(np.sqrt(G) + eps)", "np.sqrt(G + eps)")),
    _wrong("Adagrad: accumulates into G in place", {"adagrad": "mutated"},
           adagrad=_ADAGRAD.replace("G = G + g*g", "G += g*g")),
    _wrong("RMSprop: ε inside the square root", {"rmsprop-tiny": "values"},
           rmsprop=_RMSPROP.replace("(np.sqrt(G) + eps)", "np.sqrt(G + eps)")),
    _wrong("RMSprop: the weights of the moving average swapped", {"rmsprop": "values"},
           rmsprop=_RMSPROP.replace("beta*G + (1-beta)*g*g", "(1-beta)*G + beta*g*g")),
    _wrong("momentum: the sign of the velocity", {"momentum": "values"},
           momentum=_MOMENTUM.replace("v = rho*v - lr*g\n    return theta + v, v", "v = rho*v + lr*g\n    return theta - v, v")),
]}
