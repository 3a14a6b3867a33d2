"""Reference for fnn-forward (private). The per-student numeric parts arrive with quizzes."""
import numpy as np


def _sigmoid(z):
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def forward(x, W1, b1, W2, b2):
    Z1 = x @ W1 + b1
    A1 = _sigmoid(Z1)
    Z2 = A1 @ W2 + b2
    A2 = _sigmoid(Z2)
    return Z1, A1, Z2, A2


def _params(rng):
    return (rng.normal(size=(2, 3)), rng.normal(size=(1, 3)), rng.normal(size=(3, 1)), rng.normal(size=(1, 1)))


CODE_TESTS = {
    "code": [
        {"id": "one", "function": "forward", "kind": "values", "points": 1, "name": {"en": "one example (N = 1)", "zh": "单个样本（N = 1）"},
         "inputs": lambda rng: [(rng.normal(size=(1, 2)),) + _params(rng)]},
        {"id": "batch", "function": "forward", "kind": "values", "points": 2, "name": {"en": "a batch of 6", "zh": "6 个样本的批次"},
         "inputs": lambda rng: [(rng.normal(size=(6, 2)),) + _params(rng)]},
        {"id": "large", "function": "forward", "kind": "values", "points": 1, "visible": False,
         "name": {"en": "hidden: large weights", "zh": "隐藏测试：较大的权重"},
         "inputs": lambda rng: [(rng.normal(size=(4, 2)),) + tuple(10 * p for p in _params(rng))]},
    ],
}

_FORWARD = ("import numpy as np\n"
            "def forward(x, W1, b1, W2, b2):\n"
            "    s = lambda z: 1/(1+np.exp(-z))\n"
            "    Z1 = x @ W1 + b1\n    A1 = s(Z1)\n    Z2 = A1 @ W2 + b2\n    return Z1, A1, Z2, s(Z2)\n")


def _wrong(why, fails, old, new):
    assert old in _FORWARD
    return {"why": why, "fails": fails, "source": _FORWARD.replace(old, new)}


SELF_TESTS = {"code": {"reject": [
    _wrong("the output activation missing: A2 = Z2", {"one": "values"}, "return Z1, A1, Z2, s(Z2)", "return Z1, A1, Z2, Z2"),
    _wrong("the hidden activation skipped: Z2 from Z1", {"one": "values"}, "Z2 = A1 @ W2 + b2", "Z2 = Z1 @ W2 + b2"),
    _wrong("the bias added after the activation", {"one": "values"},
           "Z1 = x @ W1 + b1\n    A1 = s(Z1)", "Z1 = x @ W1\n    A1 = s(Z1) + b1"),
    _wrong("the batch averaged before the first layer", {"batch": "structure"},
           "Z1 = x @ W1 + b1", "Z1 = x.mean(axis=0, keepdims=True) @ W1 + b1"),
    _wrong("scales the input in place", {"one": "mutated"}, "    Z1 = x @ W1 + b1", "    x *= 1.0001\n    Z1 = x @ W1 + b1"),
]}}


def generate(rng):
    """This student's numbers: one decimal each, so they can be computed by hand."""
    def draw(shape):
        return np.round(rng.uniform(-1.5, 1.5, size=shape), 1)
    return {"x": draw((1, 2)), "W1": draw((2, 3)), "b1": draw((1, 3)), "W2": draw((3, 1)), "b2": draw((1, 1))}


def _forward(p):
    return forward(p["x"], p["W1"], p["b1"], p["W2"], p["b2"])


ANSWERS = {
    "z1": lambda p: _forward(p)[0].tolist(),
    "a1": lambda p: _forward(p)[1].tolist(),
    "z2": lambda p: float(_forward(p)[2][0, 0]),
    "a2": lambda p: float(_forward(p)[3][0, 0]),
}

MISCONCEPTIONS = {
    "z2": [{"id": "activation-skipped", "answer": lambda p: float((((p["x"] @ p["W1"] + p["b1"]) @ p["W2"]) + p["b2"])[0, 0]),
            "feedback": {"en": "Z₂ uses the activations A₁ = σ(Z₁), not Z₁.", "zh": "Z₂ 用的是激活值 A₁ = σ(Z₁)，而不是 Z₁。"}}],
    "a2": [{"id": "z-not-a", "answer": lambda p: float(_forward(p)[2][0, 0]),
            "feedback": {"en": "That is Z₂; A₂ = σ(Z₂).", "zh": "这是 Z₂；A₂ = σ(Z₂)。"}}],
}
