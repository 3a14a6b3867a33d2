"""Reference for saddle-points (private).

f(x, y) = a x² + b x y + c y²: ∂²f/∂x² = 2a, ∂²f/∂x∂y = b, ∂²f/∂y² = 2c, so
H = [[2a, b], [b, 2c]] and det H = 4ac − b². The signs of the eigenvalues
classify the critical point (the course, seed 001, part 三 Q1: saddle points).
"""
import numpy as np

ANSWERS = {"det-formula": "4*a*c - b^2", "classify": "C", "why-hard": ["A", "B"]}

MISCONCEPTIONS = {
    "det-formula": [
        {"id": "no-factor-two", "answer": "a*c - b^2",
         "feedback": {"en": "∂²f/∂x² = 2a and ∂²f/∂y² = 2c (the square brings a factor 2), so det H = 2a·2c − b².",
                      "zh": "∂²f/∂x² = 2a，∂²f/∂y² = 2c（平方项求导会带出因子 2），所以 det H = 2a·2c − b²。"}},
        {"id": "quadratic-form-matrix", "answer": "a*c - b^2/4",
         "feedback": {"en": "[[a, b/2], [b/2, c]] is the matrix of the quadratic form (f = vᵀ M v); the Hessian is twice it, H = 2M, so det H = 4 det M.",
                      "zh": "[[a, b/2], [b/2, c]] 是二次型的矩阵（f = vᵀ M v）；Hessian 是它的两倍 H = 2M，所以 det H = 4 det M。"}},
        {"id": "plus-sign", "answer": "4*a*c + b^2",
         "feedback": {"en": "The determinant of [[p, q], [q, s]] is ps − q²: the off-diagonal product is subtracted.",
                      "zh": "[[p, q], [q, s]] 的行列式是 ps − q²：非对角元的乘积要减去。"}},
    ],
}

OPTION_FEEDBACK = {
    "classify": {
        "A": {"en": "A minimum needs every eigenvalue positive; −0.5 < 0 means the loss decreases along that eigenvector.",
              "zh": "极小值要求所有特征值为正；−0.5 < 0 表示沿该特征向量方向损失会下降。"},
        "D": {"en": "When no eigenvalue is zero, the signs of the Hessian's eigenvalues decide.",
              "zh": "当没有特征值为零时，Hessian 特征值的符号就足以判断。"},
    },
    "why-hard": {
        "C": {"en": "Rather the opposite: in large networks most local minima have a loss close to the global minimum.",
              "zh": "恰恰相反：在大型网络中，多数局部极小值的损失与全局最小值很接近。"},
        "D": {"en": "That describes a local minimum; at a saddle some directions go down (the negative-curvature ones).",
              "zh": "这描述的是局部极小值；在鞍点处有些方向是下坡（负曲率方向）。"},
    },
}

SELF_TESTS = {
    "det-formula": {
        "accept": ["4*a*c - b^2", "(2a)(2c) - b*b", r"4ac - b^{2}", "-(b^2 - 4 a c)"],
        "reject": [("a*c - b^2", "no-factor-two"), ("a c - b^2/4", "quadratic-form-matrix"), ("4ac + b^2", "plus-sign"),
                   "b^2 - 4ac", "2a*2c"],
        "invalid": ["4ac - b^", "4*a*c - d^2", "det(H)"],
    },
    "classify": {"accept": ["C"], "reject": ["A", "B", "D"], "invalid": ["E"]},
    "why-hard": {"accept": ["A, B", "BA"], "reject": ["C", "D", "C, D"], "partial": ["A", "B", "A, B, C"],
                 "invalid": ["A, Z"]},
}

_NONZERO = [-3, -2, -1, 1, 2, 3]


def generate(rng):
    """a, c non-zero integers, b an integer; det H ≠ 0, so the point is a minimum, a maximum or a saddle."""
    while True:
        a, c = (int(v) for v in rng.choice(_NONZERO, size=2))
        b = int(rng.integers(-4, 5))
        if 4 * a * c - b * b != 0:
            return {"a": a, "b": b, "c": c, "n": int(rng.integers(6, 21))}


def hessian(p):
    return [[2.0 * p["a"], float(p["b"])], [float(p["b"]), 2.0 * p["c"]]]


def negative_eigenvalues(p):
    return float(np.sum(np.linalg.eigvalsh(np.array(hessian(p))) < 0))


ANSWERS["hessian"] = hessian
ANSWERS["index"] = negative_eigenvalues
ANSWERS["high-dim"] = lambda p: 0.5 ** p["n"]
MISCONCEPTIONS["index"] = [
    {"id": "counted-positive", "answer": lambda p: 2.0 - negative_eigenvalues(p),
     "feedback": {"en": "That is the number of positive eigenvalues; the question asks for the negative ones.",
                  "zh": "这是正特征值的个数；题目问的是负特征值的个数。"}},
    {"id": "diagonal-signs", "answer": lambda p: float((p["a"] < 0) + (p["c"] < 0)),
     "feedback": {"en": "The signs of the diagonal entries are not the signs of the eigenvalues when b ≠ 0: use det H = λ₁λ₂ and tr H = λ₁ + λ₂.",
                  "zh": "当 b ≠ 0 时，对角元的符号不等于特征值的符号：用 det H = λ₁λ₂ 和 tr H = λ₁ + λ₂ 判断。"}},
]
MISCONCEPTIONS["high-dim"] = [
    {"id": "one-over-n", "answer": lambda p: 1.0 / p["n"],
     "feedback": {"en": "All n independent signs must be positive: the probabilities multiply, (1/2)ⁿ.",
                  "zh": "n 个相互独立的符号必须全为正：概率相乘，得 (1/2)ⁿ。"}},
    {"id": "one-half", "answer": lambda p: 0.5,
     "feedback": {"en": "1/2 is the chance for one eigenvalue; a minimum needs all n of them positive.",
                  "zh": "1/2 只是单个特征值为正的概率；极小值需要全部 n 个特征值都为正。"}},
]

# det H = H_xx H_yy − H_xy², with H_xx = 2a, H_yy = 2c, H_xy = b (certified by `nngrade bank check`)
DERIVED_FROM = {"det-formula": {"op": "same", "expr": "(2*a)*(2*c) - b*b"}}


# -- code part -------------------------------------------------------------------

def negative_eigenvalue_count(H):
    return int(np.sum(np.linalg.eigvalsh(H) < 0))


def escape_direction(H):
    values, vectors = np.linalg.eigh(H)
    v = vectors[:, int(np.argmin(values))]
    return v if v[np.argmax(np.abs(v))] > 0 else -v


def _symmetric(rng, eigenvalues):
    """Q diag(λ) Qᵀ with a random orthogonal Q: the eigenvalues are known and well apart from 0."""
    Q, _ = np.linalg.qr(rng.normal(size=(len(eigenvalues), len(eigenvalues))))
    return Q @ np.diag(eigenvalues) @ Q.T


def _mixed(rng, n, negatives):
    signs = np.array([-1.0] * negatives + [1.0] * (n - negatives))
    lam = signs * rng.uniform(0.5, 3.0, size=n)
    lam[0] = -4.0 if negatives else lam[0]          # a clear most negative eigenvalue
    return _symmetric(rng, rng.permutation(lam))


CODE_TESTS = {"code": [
    {"id": "count", "function": "negative_eigenvalue_count", "kind": "values", "points": 1,
     "name": {"en": "counts for a minimum, saddles and a maximum", "zh": "极小值、鞍点与极大值的计数"},
     "inputs": lambda rng: [(_mixed(rng, 4, 0),), (_mixed(rng, 4, 1),), (_mixed(rng, 5, 3),), (_mixed(rng, 3, 3),)]},
    {"id": "count-offdiag", "function": "negative_eigenvalue_count", "kind": "values", "points": 1,
     "name": {"en": "a saddle whose diagonal is all positive", "zh": "对角元全为正的鞍点"},
     "inputs": lambda rng: [(_offdiag(rng, 2),), (_offdiag(rng, 3),)]},
    {"id": "direction", "function": "escape_direction", "kind": "values", "points": 2,
     "name": {"en": "the escape direction of random saddles", "zh": "随机鞍点的逃离方向"},
     "inputs": lambda rng: [(_mixed(rng, 4, 2),), (_mixed(rng, 3, 1),), (_mixed(rng, 6, 2),)]},
]}

_SADDLE = ("import numpy as np\n"
           "def negative_eigenvalue_count(H):\n    return int(np.sum(np.linalg.eigvalsh(H) < 0))\n"
           "def escape_direction(H):\n"
           "    w, V = np.linalg.eigh(H)\n    v = V[:, np.argmin(w)]\n"
           "    return v if v[np.argmax(np.abs(v))] > 0 else -v\n")


def _wrong_saddle(why, fails, old, new):
    assert old in _SADDLE
    return {"why": why, "fails": fails, "source": _SADDLE.replace(old, new)}


def _offdiag(rng, n):
    """A saddle whose diagonal is all positive: a 2×2 block [[a, c], [c, b]] with c² > ab (det < 0), drawn per run."""
    a, b = (round(float(rng.uniform(1.0, 3.0)), 2) for _ in range(2))
    c = round(float(np.sqrt(a * b) * rng.uniform(1.3, 2.0)) * float(rng.choice([-1.0, 1.0])), 2)
    H = np.diag(np.round(rng.uniform(0.5, 2.0, size=n), 2))
    H[0, 0], H[1, 1], H[0, 1], H[1, 0] = a, b, c, c
    return H


SELF_TESTS["code"] = {"reject": [
    _wrong_saddle("counts negative diagonal entries instead of eigenvalues", {"count-offdiag": "values"},
                  "int(np.sum(np.linalg.eigvalsh(H) < 0))", "int(np.sum(np.diag(H) < 0))"),
    _wrong_saddle("takes a row of the eigenvector matrix instead of a column", {"direction": "values"},
                  "v = V[:, np.argmin(w)]", "v = V[np.argmin(w), :]"),
    _wrong_saddle("the eigenvalue smallest in magnitude, not the most negative", {"direction": "values"},
                  "v = V[:, np.argmin(w)]", "v = V[:, np.argmin(np.abs(w))]"),
    _wrong_saddle("the sign convention ignored", {"direction": "values"},
                  "    return v if v[np.argmax(np.abs(v))] > 0 else -v\n", "    return v if v[0] < 0 else -v\n"),
    _wrong_saddle("counts positive eigenvalues", {"count": "values"}, "np.linalg.eigvalsh(H) < 0", "np.linalg.eigvalsh(H) > 0"),
]}
