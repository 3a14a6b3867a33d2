"""Reference for regularization-methods (private)."""

import numpy as np

ANSWERS = {"l1-step": "W - alpha*(G + lambda*sign(W))", "subgradient-zero": "A", "l1-vs-l2": ["A", "B"],
           "rnn-dropout": "A", "augmentation": ["A", "B", "C"]}

MISCONCEPTIONS = {
    "l1-step": [
        {"id": "l2-penalty", "answer": "W - alpha*(G + lambda*W)",
         "feedback": {"en": "λW is the gradient of the L2 penalty (λ/2)‖W‖²; the L1 penalty's subgradient is λ·sign(W).",
                      "zh": "λW 是 L2 惩罚 (λ/2)‖W‖² 的梯度；L1 惩罚的次梯度是 λ·sign(W)。"}},
        {"id": "penalty-not-scaled", "answer": "W - alpha*G - lambda*sign(W)",
         "feedback": {"en": "The learning rate multiplies the whole (sub)gradient, the penalty's part included.", "zh": "学习率要乘以整个（次）梯度，包括惩罚项的部分。"}},
        {"id": "ascent", "answer": "W + alpha*(G + lambda*sign(W))",
         "feedback": {"en": "Descent moves against the gradient: subtract.", "zh": "下降要沿梯度的反方向：用减号。"}},
        {"id": "abs-not-sign", "answer": "W - alpha*(G + lambda*abs(W))",
         "feedback": {"en": "d|w|/dw is sign(w), not |w|.", "zh": "d|w|/dw 是 sign(w)，不是 |w|。"}},
    ],
}

OPTION_FEEDBACK = {
    "subgradient-zero": {"C": {"en": "Every slope between the left (−1) and right (+1) derivatives is a subgradient.",
                               "zh": "左导数（−1）与右导数（+1）之间的任何斜率都是次梯度。"}},
    "l1-vs-l2": {
        "C": {"en": "It is the other way round: L1's constant pull reaches 0, L2's pull fades as weights shrink.",
              "zh": "恰恰相反：L1 的拉力恒定，能把权重拉到 0；L2 的拉力随权重变小而减弱。"},
        "D": {"en": "λ·sign(w) has constant size λ whatever the size of w; that is why L1 reaches exact zeros.",
              "zh": "λ·sign(w) 的大小恒为 λ，与 w 的大小无关；这正是 L1 能得到精确零的原因。"},
    },
    "rnn-dropout": {"B": {"en": "A fresh mask on the hidden state at every step damages the network's memory over time.",
                          "zh": "在每个时间步对隐状态使用新掩码会损害网络在时间维度上的记忆能力。"}},
    "augmentation": {"D": {"en": "Augmentation keeps the labels; it transforms the inputs.", "zh": "数据增强保持标签不变；它变换的是输入。"}},
}

SELF_TESTS = {
    "l1-step": {
        "accept": ["W - alpha*(G + lambda*sign(W))", r"W - \alpha (G + \lambda \operatorname{sign}(W))",
                   "W - alpha*G - alpha*lambda*sign(W)"],
        "reject": [("W - alpha*(G + lambda*W)", "l2-penalty"), ("W - alpha*G - lambda*sign(W)", "penalty-not-scaled"),
                   ("W + alpha*(G + lambda*sign(W))", "ascent"), ("W - alpha*(G + lambda*abs(W))", "abs-not-sign"),
                   "W - alpha*G"],
        "invalid": ["W - alpha*(G + lambda*sign(W)", "W - alpha*(D + lambda*sign(W))"],
    },
    "subgradient-zero": {"accept": ["A"], "reject": ["B", "C", "D"]},
    "l1-vs-l2": {"accept": ["A, B", "AB"], "reject": ["C", "D", "C, D"], "partial": ["A", "B", "A, B, C"]},
    "rnn-dropout": {"accept": ["A"], "reject": ["B", "C", "D"]},
    "augmentation": {"accept": ["A, B, C"], "reject": ["D"], "partial": ["A", "A, B", "A, B, C, D"]},
}


def early_stopping(val_losses, patience):
    best, best_epoch, waited = float("inf"), 0, 0
    for epoch, loss in enumerate(val_losses, start=1):
        if loss < best:
            best, best_epoch, waited = loss, epoch, 0
        else:
            waited += 1
            if waited >= patience:
                return epoch, best_epoch
    return len(val_losses), best_epoch


def l1_step(W, G, lr, lam):
    return W - lr * (G + lam * np.sign(W))


def generate(rng):
    """A validation curve that falls, then wobbles upwards (distinct values, two decimals)."""
    while True:
        n = 12
        fall = np.sort(rng.uniform(0.4, 1.2, size=int(rng.integers(3, 7))))[::-1]
        rest = fall[-1] + np.cumsum(rng.uniform(-0.06, 0.1, size=n - len(fall)))
        losses = [float(v) for v in np.round(np.concatenate([fall, rest]), 2)]
        patience = int(rng.choice([2, 3]))
        stop, best = early_stopping(losses, patience)
        if len(set(losses)) == n and stop < n:
            return {"losses": losses, "losses_text": ", ".join(f"{v:.2f}" for v in losses), "patience": patience}


ANSWERS["stop-epoch"] = lambda p: early_stopping(p["losses"], p["patience"])[0]
ANSWERS["best-epoch"] = lambda p: early_stopping(p["losses"], p["patience"])[1]
MISCONCEPTIONS["stop-epoch"] = [
    {"id": "counted-best-epoch", "answer": lambda p: early_stopping(p["losses"], p["patience"])[1] + p["patience"] - 1,
     "feedback": {"en": "The epoch of the minimum itself is an improvement: the count of epochs without a new minimum starts after it.",
                  "zh": "创下最低值的那一轮本身是一次改进：没有创新低的轮次要从它之后开始计数。"}},
    {"id": "first-rise", "answer": lambda p: next(i + 1 for i in range(1, len(p["losses"])) if p["losses"][i] >= p["losses"][i - 1]),
     "feedback": {"en": "Patience lets the loss rise for a while: stop only after that many epochs without a new minimum.",
                  "zh": "耐心值允许损失暂时上升：只有连续这么多轮没有创新低才停止。"}},
]
MISCONCEPTIONS["best-epoch"] = [
    {"id": "last-epoch", "answer": lambda p: early_stopping(p["losses"], p["patience"])[0],
     "feedback": {"en": "Early stopping returns the weights of the best validation epoch, not the last one trained.",
                  "zh": "提前停止返回验证损失最低那一轮的权重，而不是最后训练的一轮。"}},
    {"id": "zero-based", "answer": lambda p: early_stopping(p["losses"], p["patience"])[1] - 1,
     "feedback": {"en": "Epochs are numbered from 1 here.", "zh": "这里轮次从 1 开始编号。"}},
]


# -- code part -------------------------------------------------------------------

def _curve(rng, n, patience):
    fall = np.sort(rng.uniform(0.4, 1.2, size=4))[::-1]
    rest = fall[-1] + np.cumsum(rng.uniform(-0.05, 0.1, size=n - 4))
    return [float(v) for v in np.round(np.concatenate([fall, rest]), 3)]


def _early_cases(rng):
    # the hand-made curves go through a monotone map drawn per run (ties and order kept, values never the kit's)
    scale, shift = round(float(rng.uniform(0.5, 2.0)), 3), round(float(rng.uniform(0.0, 1.0)), 3)

    def moved(curve):
        return [round(v * scale + shift, 6) for v in curve]
    return [(_curve(rng, 15, 2), 2), (_curve(rng, 15, 3), 3),
            (moved([1.0, 0.8, 0.9, 0.8, 0.95, 1.0, 1.1]), 2),         # a tie is no improvement
            (moved([0.9, 0.8, 0.7, 0.6]), 2),                         # patience never runs out
            (moved([0.5, 0.6, 0.4, 0.45, 0.41, 0.42]), 3)]            # a later minimum resets the count


def _l1_cases(rng):
    W = rng.normal(size=(3, 4))
    W[0, 1] = W[2, 3] = 0.0
    return [(W, rng.normal(size=(3, 4)), 0.1, 0.05), (rng.normal(size=(5,)), rng.normal(size=(5,)), 0.5, 0.2)]


CODE_TESTS = {
    "code": [
        {"id": "l1", "function": "l1_step", "kind": "values", "points": 2,
         "name": {"en": "l1_step, zeros in W included", "zh": "l1_step（W 中含 0）"}, "inputs": _l1_cases},
        {"id": "early", "function": "early_stopping", "kind": "values", "points": 3,
         "name": {"en": "early_stopping on curves with ties, resets and no stop", "zh": "early_stopping：含相等值、计数清零与未停止的曲线"},
         "inputs": _early_cases},
    ],
}

_L1 = "def l1_step(W, G, lr, lam): return W - lr*(G + lam*np.sign(W))\n"
_ES = ("def early_stopping(val_losses, patience):\n"
       "    best, best_epoch, waited = float('inf'), 0, 0\n"
       "    for epoch, loss in enumerate(val_losses, start=1):\n"
       "        if loss < best:\n"
       "            best, best_epoch, waited = loss, epoch, 0\n"
       "        else:\n"
       "            waited += 1\n"
       "            if waited >= patience:\n"
       "                return epoch, best_epoch\n"
       "    return len(val_losses), best_epoch\n")


def _wrong(why, fails, l1=_L1, es=_ES):
    return {"why": why, "fails": fails, "source": "import numpy as np\n" + l1 + es}


SELF_TESTS["code"] = {"reject": [
    _wrong("l1_step: sign(0) taken as +1", {"l1": "values"},
           l1="def l1_step(W, G, lr, lam): return W - lr*(G + lam*np.where(W >= 0, 1.0, -1.0))\n"),
    _wrong("l1_step: the L2 gradient λW", {"l1": "values"}, l1="def l1_step(W, G, lr, lam): return W - lr*(G + lam*W)\n"),
    _wrong("l1_step: updates W in place", {"l1": "mutated"},
           l1="def l1_step(W, G, lr, lam):\n    W -= lr*(G + lam*np.sign(W))\n    return W\n"),
    _wrong("early_stopping: a tie counts as an improvement", {"early": "values"}, es=_ES.replace("loss < best", "loss <= best")),
    _wrong("early_stopping: 0-based epochs", {"early": "values"}, es=_ES.replace("start=1", "start=0")
           .replace("return len(val_losses), best_epoch", "return len(val_losses) - 1, best_epoch")),
    _wrong("early_stopping: stops one epoch late", {"early": "values"}, es=_ES.replace("waited >= patience", "waited > patience")),
    _wrong("early_stopping: returns the stop epoch as the best", {"early": "values"},
           es=_ES.replace("return epoch, best_epoch", "return epoch, epoch")),
]}
