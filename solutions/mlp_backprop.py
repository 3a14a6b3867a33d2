"""Reference for mlp-backprop (private)."""
import numpy as np


def _sigmoid(z):
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def mlp_loss(x, y, W1, b1, W2, b2):
    """Mean binary cross-entropy of the 2-3-1 network (used by the tests' finite differences)."""
    A1 = _sigmoid(x @ W1 + b1)
    Z2 = A1 @ W2 + b2
    return float(np.mean(np.maximum(Z2, 0) - y * Z2 + np.log1p(np.exp(-np.abs(Z2)))))


def mlp_grads(x, y, W1, b1, W2, b2):
    n = x.shape[0]
    A1 = _sigmoid(x @ W1 + b1)
    A2 = _sigmoid(A1 @ W2 + b2)
    dZ2 = (A2 - y) / n                      # σ' cancels with cross-entropy
    dW2 = A1.T @ dZ2
    db2 = dZ2.sum(axis=0, keepdims=True)
    dZ1 = (dZ2 @ W2.T) * A1 * (1.0 - A1)
    dW1 = x.T @ dZ1
    db1 = dZ1.sum(axis=0, keepdims=True)
    return dW1, db1, dW2, db2


def sgd_step(params, grads, lr, weight_decay=0.0):
    return [p - lr * (g + weight_decay * p) for p, g in zip(params, grads)]


def _case(rng, n):
    x = rng.normal(size=(n, 2))
    y = rng.integers(0, 2, size=(n, 1)).astype(float)
    return (x, y, rng.normal(size=(2, 3)), rng.normal(size=(1, 3)), rng.normal(size=(3, 1)), rng.normal(size=(1, 1)))


def _step(rng):
    shapes = [(2, 3), (1, 3), (3, 1), (1, 1)]
    params = [rng.normal(size=s) for s in shapes]
    grads = [rng.normal(size=s) for s in shapes]
    return [(params, grads, 0.1), (params, grads, 0.05, 0.01)]


CODE_TESTS = {
    "code": [
        {"id": "grads-one", "function": "mlp_grads", "kind": "values", "points": 1,
         "name": {"en": "gradients for one example", "zh": "单个样本的梯度"},
         "inputs": lambda rng: [_case(rng, 1)], "rtol": 1e-6},
        {"id": "grads-batch", "function": "mlp_grads", "kind": "values", "points": 3,
         "name": {"en": "gradients for a batch of 8", "zh": "8 个样本的梯度"},
         "inputs": lambda rng: [_case(rng, 8)], "rtol": 1e-6},
        {"id": "sgd", "function": "sgd_step", "kind": "values", "points": 2,
         "name": {"en": "SGD with and without weight decay", "zh": "有无权重衰减的 SGD"}, "inputs": _step},
    ],
}

_GRADS = ("def mlp_grads(x, y, W1, b1, W2, b2):\n"
          "    s = lambda z: 1/(1+np.exp(-z))\n"
          "    n = x.shape[0]\n"
          "    A1 = s(x@W1 + b1); A2 = s(A1@W2 + b2)\n"
          "    dZ2 = (A2 - y)/n\n"
          "    dZ1 = (dZ2@W2.T)*A1*(1 - A1)\n"
          "    return x.T@dZ1, dZ1.sum(axis=0, keepdims=True), A1.T@dZ2, dZ2.sum(axis=0, keepdims=True)\n")
_SGD = ("def sgd_step(params, grads, lr, weight_decay=0.0):\n"
        "    return [p - lr*(g + weight_decay*p) for p, g in zip(params, grads)]\n")


def _wrong(why, fails, grads=_GRADS, sgd=_SGD):
    return {"why": why, "fails": fails, "source": "import numpy as np\n" + grads + sgd}


SELF_TESTS = {"code": {"reject": [
    _wrong("the squared-error pattern: an extra σ'(Z2)", {"grads-one": "values", "grads-batch": "values"},
           grads=_GRADS.replace("dZ2 = (A2 - y)/n", "dZ2 = (A2 - y)*A2*(1 - A2)/n")),
    _wrong("the sum, not the mean, over the batch (missing 1/N)", {"grads-batch": "values"},
           grads=_GRADS.replace("dZ2 = (A2 - y)/n", "dZ2 = (A2 - y)")),
    _wrong("bias gradients summed over the wrong axis", {"grads-batch": "structure"},
           grads=_GRADS.replace("dZ1.sum(axis=0", "dZ1.sum(axis=1").replace("dZ2.sum(axis=0", "dZ2.sum(axis=1")),
    _wrong("a transpose in the wrong place: dZ1.T @ x for dW1", {"grads-one": "structure"},
           grads=_GRADS.replace("return x.T@dZ1", "return dZ1.T@x")),
    _wrong("weight decay outside the learning rate", {"sgd": "values"},
           sgd=_SGD.replace("p - lr*(g + weight_decay*p)", "p - lr*g - weight_decay*p")),
    _wrong("SGD updates the parameter arrays inside the given list in place", {"sgd": "mutated"},
           sgd="def sgd_step(params, grads, lr, weight_decay=0.0):\n"
               "    for p, g in zip(params, grads):\n        p -= lr*(g + weight_decay*p)\n    return params\n"),
    _wrong("SGD replaces the elements of the given list", {"sgd": "mutated"},
           sgd="def sgd_step(params, grads, lr, weight_decay=0.0):\n"
               "    for i in range(len(params)):\n        params[i] = params[i] - lr*(grads[i] + weight_decay*params[i])\n"
               "    return params\n"),
]}}


def generate(rng):
    return {}
