"""Reference for rnn-relu-tanh (private). The course: seed 001 part 二 Q5 and seed 002
(RNN中能否使用ReLU作为激活函数): with ReLU, diag(f') = I, so only W^{t−k} is left; initialise W = I
(Le, Jaitly & Hinton 2015, IRNN)."""

ANSWERS = {"why-tanh": ["A", "B"], "why-fnn-fine": "A"}

OPTION_FEEDBACK = {
    "why-tanh": {
        "C": {"en": "ReLU is differentiable everywhere except at 0, where a subgradient is used; BPTT works with it.", "zh": "ReLU 除 0 点外处处可导，0 点取次梯度即可；BPTT 可以使用它。"},
        "D": {"en": "tanh' ≤ 1, so products of tanh' and W can still vanish: that is the RNN's long-term dependency problem.", "zh": "tanh' ≤ 1，tanh' 与 W 的连乘仍可能消失：这正是 RNN 的长期依赖问题。"},
    },
    "why-fnn-fine": {"C": {"en": "Pooling does not bound ReLU; the point is that every layer has a different W.", "zh": "池化并不会使 ReLU 有界；关键在于每一层的 W 各不相同。"}},
}

RUBRICS = {"explain": [
    {"idea": {"en": "with ReLU active, the gradient is a product of the same W (powers of W)", "zh": "ReLU 激活时梯度是同一个 W 的连乘（W 的幂）"},
     "en": ["product", "power", "same w", "shared", "repeated", "multipl"], "zh": ["连乘", "幂", "同一个", "共享", "相乘"]},
    {"idea": {"en": "W = I keeps that product at the identity: gradients neither vanish nor explode", "zh": "W = I 使连乘保持为单位矩阵：梯度既不消失也不爆炸"},
     "en": ["vanish", "explod", "neither", "stable", "preserv"], "zh": ["消失", "爆炸", "稳定", "保持"]},
    {"idea": {"en": "the state is copied forward (memory kept) at the start", "zh": "初始时状态被原样向前传递（保留记忆）"},
     "en": ["copy", "copied", "identity", "unchanged", "carr"], "zh": ["复制", "单位", "不变", "传递"]},
]}

SELF_TESTS = {
    "why-tanh": {"accept": ["A, B", "AB"], "reject": ["C", "D", "C, D"], "partial": ["A", "B", "A, B, D"], "invalid": ["A, E"]},
    "why-fnn-fine": {"accept": ["A"], "reject": ["B", "C", "D"], "invalid": ["A, B"]},
    "explain": {"accept": ["With ReLU the gradient is a product of the same W over many steps; W = I keeps that product at the identity, so the gradient neither vanishes nor explodes and the state is copied forward.",
                           "ReLU 时梯度是同一个 W 的连乘；W 初始化为单位矩阵时连乘保持为单位矩阵，梯度既不消失也不爆炸，状态原样传递。"],
                "partial": ["So that the gradient does not vanish."]},
}


def generate(rng):
    return {"w": float(rng.choice([0.8, 0.9, 0.95, 1.05, 1.1, 1.2])), "T": int(rng.integers(10, 40))}


ANSWERS["relu-factor"] = lambda p: p["w"] ** p["T"]
ANSWERS["identity-factor"] = lambda p: 1.0
MISCONCEPTIONS = {"relu-factor": [
    {"id": "relu-derivative-only", "answer": lambda p: 1.0,
     "feedback": {"en": "ReLU' = 1 removes the activation's factor, but each step still multiplies by w: w^T.",
                  "zh": "ReLU' = 1 去掉了激活函数的因子，但每一步仍要乘以 w：w^T。"}},
    {"id": "sum", "answer": lambda p: p["w"] * p["T"],
     "feedback": {"en": "The chain rule multiplies one factor w per step: w^T, not w·T.", "zh": "链式法则每一步乘一个因子 w：是 w^T，而不是 w·T。"}},
]}


# -- code part -------------------------------------------------------------------

import numpy as np  # noqa: E402

Z = 6.0       # a statistic beyond 6 standard deviations fails: a right answer fails with probability ~2e-9


def irnn_init(n_input, n_hidden, rng, std=0.001):
    return (rng.normal(0.0, std, size=(n_hidden, n_input)), np.eye(n_hidden), np.zeros(n_hidden))


def relu_rnn_forward(xs, h0, U, W, b):
    h, out = h0, []
    for x in xs:
        h = np.maximum(0.0, U @ x + W @ h + b)
        out.append(h)
    return np.array(out)


def _msg(en, zh):
    return {"en": en, "zh": zh}


def check_irnn(value, args):
    n_input, n_hidden, std = args[0], args[1], (args[3] if len(args) > 3 else 0.001)
    if not isinstance(value, tuple) or len(value) != 3:
        return _msg("expected a tuple (U, W, b)", "应返回元组 (U, W, b)")
    U, W, b = (np.asarray(v) for v in value)
    if U.shape != (n_hidden, n_input) or W.shape != (n_hidden, n_hidden) or b.shape != (n_hidden,):
        return _msg(f"shapes {U.shape}, {W.shape}, {b.shape}; expected ({n_hidden}, {n_input}), ({n_hidden}, {n_hidden}), ({n_hidden},)",
                    f"形状为 {U.shape}、{W.shape}、{b.shape}；应为 ({n_hidden}, {n_input})、({n_hidden}, {n_hidden})、({n_hidden},)")
    if not np.array_equal(W, np.eye(n_hidden)):
        return _msg("W is not the identity matrix", "W 不是单位矩阵")
    if np.any(b != 0):
        return _msg("b is not zero", "b 不为零")
    n = U.size
    if abs(U.mean()) > Z * std / np.sqrt(n):
        return _msg(f"the mean of U, {U.mean():.3g}, is not 0", f"U 的均值 {U.mean():.3g} 不为 0")
    var, var_sd = std * std, np.sqrt(2 * std ** 4 / n)
    if abs(U.var() - var) > Z * var_sd:
        return _msg(f"the variance of U, {U.var():.3g}, should be std² = {var:.3g}", f"U 的方差 {U.var():.3g} 应为 std² = {var:.3g}")
    frac, p = float(np.mean(np.abs(U) < std)), 0.6826894921
    if abs(frac - p) > Z * np.sqrt(p * (1 - p) / n):
        return _msg(f"fraction of U within one std: {frac:.4f}, normal: 0.6827", f"U 在一个标准差以内的比例为 {frac:.4f}，正态分布应为 0.6827")
    return None


def _rnn_case(rng, T, D=3, H=4):
    return (rng.normal(size=(T, D)), np.abs(rng.normal(size=H)), rng.normal(size=(H, D)), np.eye(H) + 0.3 * rng.normal(size=(H, H)),
            rng.normal(size=H))


CODE_TESTS = {"code": [
    {"id": "init", "function": "irnn_init", "kind": "statistics", "points": 1, "args": [60, 50, "rng"], "check": check_irnn,
     "name": {"en": "irnn_init: identity W, zero b, N(0, std²) U", "zh": "irnn_init：单位矩阵 W、零偏置、N(0, std²) 的 U"}},
    {"id": "init-std", "function": "irnn_init", "kind": "statistics", "points": 1, "args": [40, 30, "rng", 0.1], "check": check_irnn,
     "name": {"en": "irnn_init with std = 0.1", "zh": "std = 0.1 时的 irnn_init"}},
    {"id": "init-repro", "function": "irnn_init", "kind": "reproducible", "points": 1, "args": [5, 4, "rng"],
     "name": {"en": "irnn_init: reproducible from the seed", "zh": "irnn_init：可由种子复现"}},
    {"id": "forward", "function": "relu_rnn_forward", "kind": "values", "points": 1,
     "name": {"en": "relu_rnn_forward over 6 steps", "zh": "relu_rnn_forward 运行 6 步"},
     "inputs": lambda rng: [_rnn_case(rng, 6), _rnn_case(rng, 2, D=1, H=3)]},
]}

_IRNN = ("import numpy as np\n"
         "def irnn_init(n_input, n_hidden, rng, std=0.001):\n"
         "    return rng.normal(0, std, size=(n_hidden, n_input)), np.eye(n_hidden), np.zeros(n_hidden)\n"
         "def relu_rnn_forward(xs, h0, U, W, b):\n"
         "    h = h0; out = []\n"
         "    for x in xs:\n        h = np.maximum(0, U @ x + W @ h + b); out.append(h)\n"
         "    return np.array(out)\n")


def _wrong(why, fails, old, new):
    assert old in _IRNN
    return {"why": why, "fails": fails, "source": _IRNN.replace(old, new)}


SELF_TESTS["code"] = {"reject": [
    _wrong("W drawn at random like U", {"init": "statistics"}, "np.eye(n_hidden), np.zeros", "rng.normal(0, std, size=(n_hidden, n_hidden)), np.zeros"),
    _wrong("U and W swapped in the returned tuple", {"init": "statistics"},
           "return rng.normal(0, std, size=(n_hidden, n_input)), np.eye(n_hidden),", "return np.eye(n_hidden), rng.normal(0, std, size=(n_hidden, n_input)),"),
    _wrong("std used as a variance", {"init-std": "statistics"}, "rng.normal(0, std,", "rng.normal(0, np.sqrt(std),"),
    _wrong("NumPy's global generator instead of rng", {"init-repro": ["not_reproducible", "seed_ignored"]}, "rng.normal(0, std,", "np.random.normal(0, std,"),
    _wrong("tanh instead of ReLU", {"forward": "values"}, "np.maximum(0, U @ x + W @ h + b)", "np.tanh(U @ x + W @ h + b)"),
]}
