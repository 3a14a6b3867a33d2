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
# The statistical check tests that entries are dropped independently with probability p,
# not only that the rate is right: besides the fraction of zeros, it counts disjoint pairs of
# horizontal and vertical neighbours that are both zero (p² each), and the rows and columns
# whose number of zeros lies in the central half of its binomial law (a clumped, striped or
# fixed-count mask moves these far from their expectation). Each count is binomial under
# independent dropping, and fails when n·KL(observed ‖ expected) > log(2/δ) with δ = 1.9e-9,
# which the Chernoff bound makes a probability below δ; five counts, so a correct
# implementation fails with probability below 1e-8.

import math  # noqa: E402

import numpy as np  # noqa: E402

DELTA = 1.9e-9
LIMIT = math.log(2.0 / DELTA)


def dropout(x, p, rng):
    keep = rng.random(x.shape) >= p
    return np.where(keep, x / (1.0 - p), 0.0)


def _msg(en, zh):
    return {"en": en, "zh": zh}


def _kl(a, q):
    """Kullback–Leibler divergence of Bernoulli(a) from Bernoulli(q)."""
    out = 0.0
    if a > 0:
        out += a * math.log(a / q)
    if a < 1:
        out += (1 - a) * math.log((1 - a) / (1 - q))
    return out


def unlikely(count, n, q):
    """True when ``count`` successes in ``n`` Bernoulli(q) trials has probability below DELTA (Chernoff)."""
    if n == 0 or q <= 0 or q >= 1:
        return False
    return n * _kl(count / n, q) > LIMIT


def _band(size, p):
    """The central band of a Binomial(size, p) count and its exact probability."""
    mean, sd = size * p, math.sqrt(size * p * (1 - p))
    lo, hi = math.ceil(mean - 0.6745 * sd), math.floor(mean + 0.6745 * sd)
    log_pmf = [math.lgamma(size + 1) - math.lgamma(k + 1) - math.lgamma(size - k + 1)
               + k * math.log(p) + (size - k) * math.log1p(-p) for k in range(max(lo, 0), min(hi, size) + 1)]
    return lo, hi, sum(math.exp(v) for v in log_pmf)


def independence_problem(zero, p):
    """A message when the 2-D mask of dropped entries is not what independent Bernoulli(p) drops give."""
    rows, cols = zero.shape
    checks = []
    if cols >= 2:
        h = zero[:, 0:cols - 1:2] & zero[:, 1:cols:2]
        checks.append((int(h.sum()), h.size, p * p, "horizontal neighbours both dropped", "水平相邻元素同时被丢弃"))
    if rows >= 2:
        v = zero[0:rows - 1:2, :] & zero[1:rows:2, :]
        checks.append((int(v.sum()), v.size, p * p, "vertical neighbours both dropped", "垂直相邻元素同时被丢弃"))
    for counts, size, en, zh in ((zero.sum(axis=1), cols, "rows", "行"), (zero.sum(axis=0), rows, "columns", "列")):
        lo, hi, q = _band(size, p)
        inside = int(((counts >= lo) & (counts <= hi)).sum())
        checks.append((inside, counts.size, q, f"{en} with {lo}–{hi} zeros", f"零的个数在 {lo}–{hi} 之间的{zh}"))
    for count, n, q, en, zh in checks:
        if unlikely(count, n, q):
            return _msg(f"entries are not dropped independently: {en}: {count / n:.4f}, expected {q:.4f} "
                        f"for independent drops (a block, stripes or a fixed pattern of zeros?)",
                        f"元素不是独立丢弃的：{zh}的比例为 {count / n:.4f}，独立丢弃时应为 {q:.4f}（是否丢弃了整块、条纹或固定模式？）")
    return None


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
    if unlikely(int(zero.sum()), n, p):
        return _msg(f"{frac:.4f} of the entries are zero; expected p = {p}", f"有 {frac:.4f} 的元素为零；期望为 p = {p}")
    return independence_problem(zero.reshape(zero.shape[0], -1) if zero.ndim >= 2 else zero.reshape(1, -1), p)


CODE_TESTS = {
    "code": [
        {"id": "rate", "function": "dropout", "kind": "statistics", "points": 1,
         "args": lambda rng: [rng.uniform(0.5, 2.0, size=(200, 300)), 0.3, "rng"], "check": check_dropout,
         "name": {"en": "p = 0.3: fraction dropped, independence and scaling", "zh": "p = 0.3：丢弃比例、独立性与缩放"}},
        {"id": "p0", "function": "dropout", "kind": "statistics", "points": 1,
         "args": lambda rng: [rng.normal(size=(4, 5)), 0.0, "rng"],
         "check": check_dropout, "name": {"en": "p = 0 returns x", "zh": "p = 0 时返回 x"}},
        {"id": "repro", "function": "dropout", "kind": "reproducible", "points": 1,
         "args": lambda rng: [np.ones((20, 30)), 0.5, "rng"],
         "name": {"en": "reproducible from the seed", "zh": "可由种子复现"}},
    ],
}


def _wrong(why, fails, body):
    return {"why": why, "fails": fails, "source": "import numpy as np\ndef dropout(x, p, rng):\n" + body}


SELF_TESTS["code"] = {"reject": [
    _wrong("no rescaling by 1/(1−p)", {"rate": "statistics"}, "    return x*(rng.random(x.shape) >= p)\n"),
    _wrong("scales by 1−p instead of 1/(1−p)", {"rate": "statistics"},
           "    return x*(rng.random(x.shape) >= p)*(1 - p)\n"),
    _wrong("keeps with probability p", {"rate": "statistics"},
           "    return x*(rng.random(x.shape) < p)/(1 - p)\n"),
    _wrong("NumPy's global generator instead of rng", {"repro": ["not_reproducible", "seed_ignored"]},
           "    return x*(np.random.random(x.shape) >= p)/(1 - p)\n"),
    _wrong("one contiguous block of the right size", {"rate": "statistics"},
           "    n = x.size; k = int(round(p*n)); start = int(rng.integers(0, n))\n"
           "    keep = np.ones(n, bool); keep[(start + np.arange(k)) % n] = False\n"
           "    return np.where(keep.reshape(x.shape), x/(1 - p), 0.0)\n"),
    _wrong("one mask shared by every row", {"rate": "statistics"},
           "    keep = rng.random(x.shape[-1]) >= p\n    return np.where(keep, x/(1 - p), 0.0)\n"),
    _wrong("exactly round(p·n) zeros in every row", {"rate": "statistics"},
           "    out = x/(1 - p)\n"
           "    for row in out.reshape(-1, x.shape[-1]):\n"
           "        row[rng.permutation(row.size)[:int(round(p*row.size))]] = 0.0\n"
           "    return out\n"),
]}
