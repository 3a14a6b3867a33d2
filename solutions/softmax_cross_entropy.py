"""Reference for softmax-cross-entropy (private). The code part arrives with the sandbox."""

ANSWERS = {"grad": "softmax(z) - y"}

MISCONCEPTIONS = {
    "grad": [
        {"id": "sign-flipped", "answer": "y - softmax(z)",
         "feedback": {"en": "Wrong sign: increasing the right class's logit lowers the loss, so that entry of ∂L/∂z is p − 1 < 0.",
                      "zh": "符号错误：增大正确类别的 logit 会降低损失，所以 ∂L/∂z 的该分量为 p − 1 < 0。"}},
        {"id": "probabilities-only", "answer": "softmax(z)",
         "feedback": {"en": "The −y term is missing: the derivative of −log softmax(z)_c contributes −1 at the true class.",
                      "zh": "缺少 −y 项：−log softmax(z)_c 的导数在真实类别处贡献 −1。"}},
        {"id": "gradient-wrt-p", "answer": "-y/softmax(z)",
         "feedback": {"en": "−y/p is ∂L/∂p; the softmax Jacobian turns it into p − y for the logits.",
                      "zh": "−y/p 是 ∂L/∂p；再乘以 softmax 的雅可比矩阵才得到对 logits 的梯度 p − y。"}},
    ],
}

SELF_TESTS = {
    "grad": {
        "accept": ["softmax(z) - y", "exp(z)/sum(exp(z)) - y", r"\operatorname{softmax}(z) - y",
                   r"\frac{e^{z}}{\sum e^{z}} - y", "softmax(z) - y*sum(y)"],
        "reject": [("y - softmax(z)", "sign-flipped"), ("softmax(z)", "probabilities-only"),
                   ("-y/softmax(z)", "gradient-wrt-p"), "exp(z) - y", "softmax(z) - 1"],
        "invalid": ["softmax(z - y", "softmax(x) - y"],
    },
}


# ŷ = softmax(z) is declared by its definition (issue 11).
SELF_TESTS["grad"]["accept"] += [r"\hat{y} - y", r"\hat{\mathbf{y}} - \mathbf{y}", r"\operatorname{softmax}(\mathbf{z}) - \mathbf{y}"]


def generate(rng):
    return {}


# -- code part -------------------------------------------------------------------

import numpy as np  # noqa: E402


def softmax(z):
    e = np.exp(z - np.max(z, axis=-1, keepdims=True))
    return e / np.sum(e, axis=-1, keepdims=True)


def softmax_cross_entropy(y, z):
    shifted = z - np.max(z, axis=-1, keepdims=True)
    log_p = shifted - np.log(np.sum(np.exp(shifted), axis=-1, keepdims=True))
    return float(-np.sum(y * log_p) / z.shape[0])


def softmax_ce_grad(y, z):
    return (softmax(z) - y) / z.shape[0]


def _t(test_id, fn, kind, points, en, zh, inputs, **extra):
    return {"id": test_id, "function": fn, "kind": kind, "points": points, "name": {"en": en, "zh": zh},
            "inputs": inputs, **extra}


def _onehot(rng, n, k):
    y = np.zeros((n, k))
    y[np.arange(n), rng.integers(0, k, size=n)] = 1.0
    return y


def _batches(rng, scale):
    """Batches of 5 and 8, and a batch of one."""
    return [(_onehot(rng, n, k), rng.normal(0, scale, size=(n, k))) for n, k in ((5, 3), (8, 4), (1, 4))]


def _extreme(rng):
    z = rng.uniform(-1e3, 1e3, size=(6, 4))
    z[0] = [1000.0, -1000.0, 999.0, 0.0]
    z[1] = [-1000.0, -1000.0, -1000.0, -999.5]
    y = _onehot(rng, 6, 4)
    y[0] = [0.0, 1.0, 0.0, 0.0]                 # the true class 2000 below the largest logit
    return [(y, z)]


CODE_TESTS = {
    "code": [
        _t("softmax", "softmax", "values", 1, "softmax on random logits", "随机 logits 上的 softmax",
           lambda rng: [(z,) for _, z in _batches(rng, 2.0)]),
        _t("softmax-stable", "softmax", "stable", 1, "softmax stable for |z| up to 1e3", "softmax 对 |z| ≤ 1e3 数值稳定",
           lambda rng: [(z,) for _, z in _extreme(rng)]),
        _t("ce", "softmax_cross_entropy", "values", 1, "cross-entropy on random logits", "随机 logits 上的交叉熵",
           lambda rng: _batches(rng, 2.0)),
        _t("ce-stable", "softmax_cross_entropy", "stable", 1, "cross-entropy stable for |z| up to 1e3",
           "交叉熵对 |z| ≤ 1e3 数值稳定", _extreme),
        _t("grad", "softmax_ce_grad", "values", 1, "the gradient on random logits", "随机 logits 上的梯度",
           lambda rng: _batches(rng, 2.0)),
        _t("grad-fd", "softmax_ce_grad", "gradient", 1, "the gradient against finite differences of the loss",
           "梯度与损失的有限差分比较", lambda rng: _batches(rng, 1.0)[:1], loss="softmax_cross_entropy", wrt=1),
    ],
}

_FNS = {
    "softmax": ("def softmax(z):\n    e = np.exp(z - z.max(axis=-1, keepdims=True))\n"
                "    return e/e.sum(axis=-1, keepdims=True)\n"),
    "ce": ("def softmax_cross_entropy(y, z):\n    s = z - z.max(axis=-1, keepdims=True)\n"
           "    logp = s - np.log(np.exp(s).sum(axis=-1, keepdims=True))\n"
           "    return float(-np.sum(y*logp)/z.shape[0])\n"),
    "grad": "def softmax_ce_grad(y, z): return (softmax(z) - y)/z.shape[0]\n",
}


def _wrong(why, fails, **replace):
    return {"why": why, "fails": fails, "source": "import numpy as np\n" + "".join({**_FNS, **replace}.values())}


SELF_TESTS["code"] = {"reject": [
    _wrong("softmax without subtracting the maximum: overflow", {"softmax-stable": None},
           softmax="def softmax(z): return np.exp(z)/np.exp(z).sum(axis=-1, keepdims=True)\n"),
    _wrong("softmax normalised over the batch axis", {"softmax": "values"},
           softmax=_FNS["softmax"].replace("e.sum(axis=-1", "e.sum(axis=0")),
    _wrong("cross-entropy as log of the softmax: log(0) for a true class far below", {"ce-stable": None},
           ce="def softmax_cross_entropy(y, z): return float(-np.sum(y*np.log(softmax(z)))/z.shape[0])\n"),
    _wrong("cross-entropy averaged over classes too", {"ce": "values"},
           ce=_FNS["ce"].replace("-np.sum(y*logp)/z.shape[0]", "-np.mean(y*logp)")),
    _wrong("the gradient without the 1/N of the mean", {"grad": "values", "grad-fd": "values"},
           grad="def softmax_ce_grad(y, z): return softmax(z) - y\n"),
    _wrong("the gradient's sign", {"grad": "values"},
           grad="def softmax_ce_grad(y, z): return (y - softmax(z))/z.shape[0]\n"),
]}
