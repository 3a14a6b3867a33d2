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
         "feedback": {"en": "4·sqrt(6/(n_in + n_out)) is the variant for logistic units (σ'(0) = 1/4); for tanh or linear units it is sqrt(6/(n_in + n_out)). If you learnt it from the course notes: they swap the two (giving 4·sqrt(…) for tanh); Glorot & Bengio use the factor 4 for the sigmoid, whose slope at 0 is 4 times smaller than tanh's.",
                      "zh": "4·sqrt(6/(n_in + n_out)) 是用于 logistic 单元的变体（σ'(0) = 1/4）；tanh 或线性单元用 sqrt(6/(n_in + n_out))。如果你是从课程笔记中学到的：笔记把两者写反了（给 tanh 用 4·sqrt(…)）；Glorot 与 Bengio 是给 sigmoid 乘以 4，因为它在 0 处的斜率只有 tanh 的 1/4。"}},
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


# -- code part -------------------------------------------------------------------
#
# Statistical checks: every check compares a statistic with its expectation and
# fails beyond 6 standard deviations (a two-sided normal tail of 2e-9); with at
# most five checks per function, a correct implementation fails with
# probability below 1e-8 (plus the exact range and shape checks, which it never fails).

import numpy as np  # noqa: E402

Z = 6.0


def xavier_uniform(n_in, n_out, rng):
    r = np.sqrt(6.0 / (n_in + n_out))
    return rng.uniform(-r, r, size=(n_in, n_out))


def he_normal(n_in, n_out, rng):
    return rng.normal(0.0, np.sqrt(2.0 / n_in), size=(n_in, n_out))


def _msg(en, zh):
    return {"en": en, "zh": zh}


def _shape_problem(w, n_in, n_out):
    if not isinstance(w, np.ndarray) or w.shape != (n_in, n_out):
        got = getattr(w, "shape", type(w).__name__)
        return _msg(f"expected an array of shape ({n_in}, {n_out}), got {got}", f"应返回形状为 ({n_in}, {n_out}) 的数组，实际为 {got}")
    if not np.isfinite(w).all():
        return _msg("the weights contain NaN or inf", "权重中含有 NaN 或 inf")
    return None


def _fraction_check(frac, p, n, what_en, what_zh):
    sd = np.sqrt(p * (1 - p) / n)
    if abs(frac - p) > Z * sd:
        return _msg(f"{what_en}: {frac:.4f}, expected {p:.4f} ± {Z * sd:.4f}", f"{what_zh}：{frac:.4f}，期望 {p:.4f} ± {Z * sd:.4f}")
    return None


def check_xavier(w, args):
    n_in, n_out = args[0], args[1]
    problem = _shape_problem(w, n_in, n_out)
    if problem:
        return problem
    r, n = np.sqrt(6.0 / (n_in + n_out)), w.size
    if np.abs(w).max() > r * (1 + 1e-12):
        return _msg(f"values outside [−r, r] with r = sqrt(6/(n_in + n_out)) = {r:.5f}: max |w| = {np.abs(w).max():.5f}",
                    f"有值超出 [−r, r]，其中 r = sqrt(6/(n_in + n_out)) = {r:.5f}：max |w| = {np.abs(w).max():.5f}")
    if np.abs(w).max() < 0.99 * r:
        return _msg(f"the largest |w| is {np.abs(w).max():.5f}, but U(−r, r) with r = {r:.5f} reaches close to r",
                    f"最大的 |w| 为 {np.abs(w).max():.5f}，而 r = {r:.5f} 时 U(−r, r) 应接近 r")
    mean_sd = r / np.sqrt(3 * n)
    if abs(w.mean()) > Z * mean_sd:
        return _msg(f"the mean {w.mean():.5f} is not 0 (± {Z * mean_sd:.5f})", f"均值 {w.mean():.5f} 不为 0（± {Z * mean_sd:.5f}）")
    var, var_sd = r * r / 3, np.sqrt(4 * r ** 4 / 45 / n)
    if abs(w.var() - var) > Z * var_sd:
        return _msg(f"the variance {w.var():.6f} should be r²/3 = {var:.6f} (± {Z * var_sd:.6f})",
                    f"方差 {w.var():.6f} 应为 r²/3 = {var:.6f}（± {Z * var_sd:.6f}）")
    return _fraction_check(float(np.mean(np.abs(w) < r / 2)), 0.5, n, "fraction with |w| < r/2 (uniform: 1/2)",
                           "|w| < r/2 的比例（均匀分布应为 1/2）")


def check_he(w, args):
    n_in, n_out = args[0], args[1]
    problem = _shape_problem(w, n_in, n_out)
    if problem:
        return problem
    sd, n = np.sqrt(2.0 / n_in), w.size
    if abs(w.mean()) > Z * sd / np.sqrt(n):
        return _msg(f"the mean {w.mean():.5f} is not 0", f"均值 {w.mean():.5f} 不为 0")
    var, var_sd = sd * sd, np.sqrt(2 * sd ** 4 / n)
    if abs(w.var() - var) > Z * var_sd:
        return _msg(f"the variance {w.var():.6f} should be 2/n_in = {var:.6f} (± {Z * var_sd:.6f})",
                    f"方差 {w.var():.6f} 应为 2/n_in = {var:.6f}（± {Z * var_sd:.6f}）")
    return _fraction_check(float(np.mean(np.abs(w) < sd)), 0.6826894921, n,
                           "fraction within one standard deviation (normal: 0.6827)", "一个标准差以内的比例（正态分布应为 0.6827）")


CODE_TESTS = {
    "code": [
        {"id": "xavier", "function": "xavier_uniform", "kind": "statistics", "points": 1, "args": [200, 300, "rng"],
         "check": check_xavier, "name": {"en": "xavier_uniform: shape, range and distribution", "zh": "xavier_uniform：形状、范围与分布"}},
        {"id": "xavier-repro", "function": "xavier_uniform", "kind": "reproducible", "points": 1, "args": [30, 20, "rng"],
         "name": {"en": "xavier_uniform: reproducible from the seed", "zh": "xavier_uniform：可由种子复现"}},
        {"id": "he", "function": "he_normal", "kind": "statistics", "points": 1, "args": [300, 200, "rng"], "check": check_he,
         "name": {"en": "he_normal: shape and distribution", "zh": "he_normal：形状与分布"}},
        {"id": "he-repro", "function": "he_normal", "kind": "reproducible", "points": 1, "args": [30, 20, "rng"],
         "name": {"en": "he_normal: reproducible from the seed", "zh": "he_normal：可由种子复现"}},
    ],
}

_XAVIER = ("def xavier_uniform(n_in, n_out, rng):\n"
           "    r = np.sqrt(6/(n_in + n_out))\n    return rng.uniform(-r, r, size=(n_in, n_out))\n")
_HE = "def he_normal(n_in, n_out, rng):\n    return rng.normal(0, np.sqrt(2/n_in), size=(n_in, n_out))\n"


def _wrong(why, fails, xavier=_XAVIER, he=_HE):
    return {"why": why, "fails": fails, "source": "import numpy as np\n" + xavier + he}


SELF_TESTS["code"] = {"reject": [
    _wrong("Xavier: a normal distribution of the same variance", {"xavier": "statistics"},
           xavier=_XAVIER.replace("rng.uniform(-r, r,", "rng.normal(0, r/np.sqrt(3),")),
    _wrong("Xavier: the logistic variant's range (4×)", {"xavier": "statistics"},
           xavier=_XAVIER.replace("r = np.sqrt(", "r = 4*np.sqrt(")),
    _wrong("Xavier: the fan-in only", {"xavier": "statistics"},
           xavier=_XAVIER.replace("6/(n_in + n_out)", "6/n_in")),
    _wrong("He: LeCun's variance 1/n_in", {"he": "statistics"}, he=_HE.replace("2/n_in", "1/n_in")),
    _wrong("He: the fan-out instead of the fan-in", {"he": "statistics"}, he=_HE.replace("2/n_in", "2/n_out")),
    _wrong("He: the shape transposed", {"he": "statistics"}, he=_HE.replace("size=(n_in, n_out)", "size=(n_out, n_in)")),
    _wrong("He: NumPy's global generator instead of rng", {"he-repro": ["not_reproducible", "seed_ignored"]},
           he=_HE.replace("rng.normal", "np.random.normal")),
]}


# The references' sources, proved by `nngrade bank check` (private: they would give the answers away).
# Xavier: Var(W) = 2/(n_in + n_out), the compromise between 1/n_in (forward) and 1/n_out (backward),
# and U(-r, r) has variance r²/3; He: ReLU halves the second moment, so n_in·Var(W)/2 = 1.
DERIVED_FROM = {
    "xavier-uniform-r": {"op": "solve", "equation": "r^2/3 = 2/(n_in + n_out)", "unknown": "r"},
    "xavier-normal-var": {"op": "same", "expr": "1/((n_in + n_out)/2)"},
    "he-normal-std": {"op": "solve", "equation": "n_in*s^2/2 = 1", "unknown": "s"},
}
