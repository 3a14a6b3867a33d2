"""Reference for dropout (private). The code part arrives with the sandbox."""

ANSWERS = {"test-time": "A"}

OPTION_FEEDBACK = {"test-time": {
    "B": {"en": "Scaling by 1 − p at test time is the original (non-inverted) dropout; inverted dropout already scaled during training.",
          "zh": "测试时乘以 1 − p 是原始（非反向）dropout 的做法；反向 dropout 已在训练时缩放。"},
    "C": {"en": "Random dropping at test time would make predictions noisy.", "zh": "测试时随机丢弃会让预测带有噪声。"},
}}

SELF_TESTS = {"test-time": {"accept": ["A"], "reject": ["B", "C", "D"]}}


def generate(rng):
    return {}


# -- code part -------------------------------------------------------------------
# The statistical check fails a correct implementation with probability below 1e-8
# (the fraction of zeros is tested at 6 standard deviations of a binomial).

import numpy as np  # noqa: E402


def dropout(x, p, rng):
    keep = rng.random(x.shape) >= p
    return np.where(keep, x / (1.0 - p), 0.0)


def _msg(en, zh):
    return {"en": en, "zh": zh}


def check_dropout(out, args):
    x, p = args[0], args[1]
    if not isinstance(out, np.ndarray) or out.shape != x.shape:
        return _msg(f"expected an array of shape {x.shape}", f"应返回形状为 {x.shape} 的数组")
    if p == 0:
        return None if np.array_equal(out, x) else _msg("with p = 0 the output must equal x", "p = 0 时输出必须等于 x")
    zero = out == 0
    survivors = out[~zero] / x[~zero]
    if survivors.size and not np.allclose(survivors, 1.0 / (1.0 - p), rtol=1e-12):
        return _msg(f"survivors must be scaled by 1/(1−p) = {1 / (1 - p):.4f}; found factors up to {survivors.max():.4f}",
                    f"保留的元素必须乘以 1/(1−p) = {1 / (1 - p):.4f}；实际因子最大为 {survivors.max():.4f}")
    n, frac = zero.size, float(zero.mean())
    sd = np.sqrt(p * (1 - p) / n)
    if abs(frac - p) > 6 * sd:
        return _msg(f"{frac:.4f} of the entries are zero; expected p = {p} ± {6 * sd:.4f}",
                    f"有 {frac:.4f} 的元素为零；期望为 p = {p} ± {6 * sd:.4f}")
    return None


CODE_TESTS = {
    "code": [
        {"function": "dropout", "kind": "statistics", "points": 1, "args": lambda rng: [rng.uniform(0.5, 2.0, size=(200, 300)), 0.3, "rng"],
         "check": check_dropout, "name": {"en": "p = 0.3: fraction dropped and scaling", "zh": "p = 0.3：丢弃比例与缩放"}},
        {"function": "dropout", "kind": "statistics", "points": 1, "args": lambda rng: [rng.normal(size=(4, 5)), 0.0, "rng"],
         "check": check_dropout, "name": {"en": "p = 0 returns x", "zh": "p = 0 时返回 x"}},
        {"function": "dropout", "kind": "reproducible", "points": 1, "args": lambda rng: [np.ones((20, 30)), 0.5, "rng"],
         "name": {"en": "reproducible from the seed", "zh": "可由种子复现"}},
    ],
}

SELF_TESTS["code"] = {"reject": [
    "import numpy as np\ndef dropout(x, p, rng):\n    return x*(rng.random(x.shape) >= p)\n",
    "import numpy as np\ndef dropout(x, p, rng):\n    return x*(np.random.random(x.shape) >= p)/(1-p)\n",
]}
