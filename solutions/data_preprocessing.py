"""Reference for data-preprocessing (private)."""

import numpy as np

ANSWERS = {"min-max": "(x - x_min)/(x_max - x_min)", "min-max-symmetric": "2*(x - x_min)/(x_max - x_min) - 1",
           "standardize": "(x - mu)/sigma", "whitening": ["A", "B"], "test-statistics": "A"}

MISCONCEPTIONS = {
    "min-max": [
        {"id": "divide-by-max", "answer": "(x - x_min)/x_max",
         "feedback": {"en": "Divide by the range x_max − x_min, so that x_max maps to 1.", "zh": "要除以取值范围 x_max − x_min，x_max 才会映射到 1。"}},
        {"id": "not-shifted", "answer": "x/(x_max - x_min)",
         "feedback": {"en": "Subtract x_min first, so that x_min maps to 0.", "zh": "先减去 x_min，x_min 才会映射到 0。"}},
        {"id": "reversed", "answer": "(x_max - x)/(x_max - x_min)",
         "feedback": {"en": "That maps x_max to 0 and x_min to 1: the order is reversed.", "zh": "这会把 x_max 映射到 0、x_min 映射到 1：顺序反了。"}},
    ],
    "min-max-symmetric": [
        {"id": "no-shift", "answer": "2*(x - x_min)/(x_max - x_min)",
         "feedback": {"en": "That ranges over [0, 2]; subtract 1.", "zh": "这得到的范围是 [0, 2]；还要减去 1。"}},
        {"id": "no-factor", "answer": "(x - x_min)/(x_max - x_min) - 1",
         "feedback": {"en": "That ranges over [−1, 0]; the [0, 1] value must be doubled before subtracting 1.",
                      "zh": "这得到的范围是 [−1, 0]；要先把 [0, 1] 的值乘以 2 再减 1。"}},
        {"id": "halved", "answer": "(x - x_min)/(x_max - x_min) - 1/2",
         "feedback": {"en": "That ranges over [−1/2, 1/2]; use 2·(…) − 1.", "zh": "这得到的范围是 [−1/2, 1/2]；应为 2·(…) − 1。"}},
    ],
    "standardize": [
        {"id": "variance", "answer": "(x - mu)/sigma^2",
         "feedback": {"en": "Divide by the standard deviation σ, not the variance σ².", "zh": "要除以标准差 σ，而不是方差 σ²。"}},
        {"id": "not-centred", "answer": "x/sigma",
         "feedback": {"en": "Subtract the mean first, to get mean 0.", "zh": "先减去均值，才能得到均值 0。"}},
        {"id": "sqrt-std", "answer": "(x - mu)/sqrt(sigma)",
         "feedback": {"en": "σ already is the standard deviation: do not take its square root.", "zh": "σ 本身就是标准差：不要再开方。"}},
    ],
}

OPTION_FEEDBACK = {
    "whitening": {
        "C": {"en": "Whitening gives unit variance, not a bounded range; values outside [0, 1] remain.", "zh": "白化得到单位方差，而不是有界的范围；仍会有 [0, 1] 以外的值。"},
        "D": {"en": "Whitening is linear: it changes the covariance, not the shape of the distribution.", "zh": "白化是线性变换：它改变协方差，不改变分布的形状。"},
    },
    "test-statistics": {
        "B": {"en": "The test data must go through the very transformation the model was trained with.", "zh": "测试数据必须经过与训练时完全相同的变换。"},
        "C": {"en": "Using test data to fit the preprocessing leaks information from the test set.", "zh": "用测试数据拟合预处理会泄漏测试集的信息。"},
    },
}

SELF_TESTS = {
    "min-max": {
        "accept": ["(x - x_min)/(x_max - x_min)", r"\frac{x - x_{min}}{x_{max} - x_{min}}", "(x - xmin)/(xmax - xmin)"],
        "reject": [("(x - x_min)/x_max", "divide-by-max"), ("x/(x_max - x_min)", "not-shifted"),
                   ("(x_max - x)/(x_max - x_min)", "reversed"), "(x - x_min)/(x_max + x_min)"],
        "invalid": ["(x - x_min)/(x_max - x_min", "(x - min)/(max - min)"],
    },
    "min-max-symmetric": {
        "accept": ["2*(x - x_min)/(x_max - x_min) - 1", "(2*x - x_min - x_max)/(x_max - x_min)",
                   r"\frac{2(x - x_{min})}{x_{max} - x_{min}} - 1"],
        "reject": [("2*(x - x_min)/(x_max - x_min)", "no-shift"), ("(x - x_min)/(x_max - x_min) - 1", "no-factor"),
                   ("(x - x_min)/(x_max - x_min) - 1/2", "halved"), "(x - x_min)/(x_max - x_min)"],
        "invalid": ["2*(x - x_min)/(x_max - x_min) -", "2(x - a)/(b - a) - 1"],
    },
    "standardize": {
        "accept": ["(x - mu)/sigma", r"\frac{x-\mu}{\sigma}", "(x - μ)/σ", "x/sigma - mu/sigma"],
        "reject": [("(x - mu)/sigma^2", "variance"), ("x/sigma", "not-centred"), ("(x - mu)/sqrt(sigma)", "sqrt-std"),
                   "(x - mu)*sigma"],
        "invalid": ["(x - mu)/", "(x - m)/s"],
    },
    "whitening": {"accept": ["A, B", "AB"], "reject": ["C", "D", "C, D"], "partial": ["A", "B", "A, B, C"]},
    "test-statistics": {"accept": ["A"], "reject": ["B", "C"]},
}


def generate(rng):
    col = [int(v) for v in rng.choice(np.arange(-9, 30), size=5, replace=False)]
    return {"col": col, "col_text": ", ".join(str(v) for v in col), "x2": col[1]}


def _z(p, ddof=0):
    c = np.array(p["col"], dtype=float)
    return float((c[1] - c.mean()) / c.std(ddof=ddof))


ANSWERS["min-max-value"] = lambda p: (p["x2"] - min(p["col"])) / (max(p["col"]) - min(p["col"]))
ANSWERS["z-value"] = _z
MISCONCEPTIONS["min-max-value"] = [
    {"id": "divide-by-max", "answer": lambda p: (p["x2"] - min(p["col"])) / max(p["col"]),
     "feedback": MISCONCEPTIONS["min-max"][0]["feedback"]},
    {"id": "reversed", "answer": lambda p: (max(p["col"]) - p["x2"]) / (max(p["col"]) - min(p["col"])),
     "feedback": MISCONCEPTIONS["min-max"][2]["feedback"]},
]
MISCONCEPTIONS["z-value"] = [
    {"id": "sample-std", "answer": lambda p: _z(p, ddof=1),
     "feedback": {"en": "The question asks for the population standard deviation (divide by N), not the sample one (N − 1).",
                  "zh": "题目要求总体标准差（除以 N），而不是样本标准差（除以 N − 1）。"}},
    {"id": "variance", "answer": lambda p: float((p["x2"] - np.mean(p["col"])) / np.var(p["col"])),
     "feedback": MISCONCEPTIONS["standardize"][0]["feedback"]},
]


# -- code part -------------------------------------------------------------------

def min_max_scale(X):
    X = np.asarray(X, dtype=float)
    lo, span = X.min(axis=0), np.ptp(X, axis=0)
    return np.where(span > 0, (X - lo) / np.where(span > 0, span, 1.0), 0.0)


def standardize(X):
    X = np.asarray(X, dtype=float)
    sd = X.std(axis=0)
    return np.where(sd > 0, (X - X.mean(axis=0)) / np.where(sd > 0, sd, 1.0), 0.0)


def zca_whiten(X, eps=1e-5):
    Xc = np.asarray(X, dtype=float) - np.mean(X, axis=0)
    lam, U = np.linalg.eigh(Xc.T @ Xc / Xc.shape[0])
    return Xc @ (U * (1.0 / np.sqrt(lam + eps))) @ U.T


def _data(rng, n, d):
    """Correlated features with different scales and offsets."""
    A = rng.normal(size=(d, d)) * rng.uniform(0.5, 3, size=d)
    return rng.normal(size=(n, d)) @ A + rng.uniform(-5, 5, size=d)


def _constant_column(rng):
    X = _data(rng, 8, 3)
    X[:, 1] = 2.5
    return X


def _t(test_id, fn, points, en, zh, inputs, **extra):
    return {"id": test_id, "function": fn, "kind": "values", "points": points, "name": {"en": en, "zh": zh},
            "inputs": inputs, **extra}


CODE_TESTS = {
    "code": [
        _t("min-max", "min_max_scale", 1, "min_max_scale on correlated features", "在相关特征上计算 min_max_scale",
           lambda rng: [(_data(rng, 10, 3),), (_data(rng, 5, 4),)]),
        _t("min-max-constant", "min_max_scale", 1, "min_max_scale with a constant column", "min_max_scale：含常数列",
           lambda rng: [(_constant_column(rng),)]),
        _t("standardize", "standardize", 1, "standardize on correlated features", "在相关特征上计算 standardize",
           lambda rng: [(_data(rng, 10, 3),), (_data(rng, 6, 2),)]),
        _t("standardize-constant", "standardize", 1, "standardize with a constant column", "standardize：含常数列",
           lambda rng: [(_constant_column(rng),)]),
        _t("zca", "zca_whiten", 2, "zca_whiten with its default and a given eps", "zca_whiten（默认与给定 eps）",
           lambda rng: [(_data(rng, 40, 3),), (_data(rng, 25, 2), 0.1)], rtol=1e-6, atol=1e-9),
    ],
}

_FNS = {
    "mm": ("def min_max_scale(X):\n    lo, span = X.min(axis=0), X.max(axis=0) - X.min(axis=0)\n"
           "    return np.where(span > 0, (X - lo)/np.where(span > 0, span, 1), 0.0)\n"),
    "sd": ("def standardize(X):\n    sd = X.std(axis=0)\n"
           "    return np.where(sd > 0, (X - X.mean(axis=0))/np.where(sd > 0, sd, 1), 0.0)\n"),
    "zca": ("def zca_whiten(X, eps=1e-5):\n    Xc = X - X.mean(axis=0)\n    lam, U = np.linalg.eigh(Xc.T @ Xc/len(X))\n"
            "    return Xc @ U @ np.diag(1/np.sqrt(lam + eps)) @ U.T\n"),
}


def _wrong(why, fails, **replace):
    return {"why": why, "fails": fails, "source": "import numpy as np\n" + "".join({**_FNS, **replace}.values())}


SELF_TESTS["code"] = {"reject": [
    _wrong("min_max_scale: one minimum and maximum for the whole matrix", {"min-max": "values"},
           mm="def min_max_scale(X): return (X - X.min())/(X.max() - X.min())\n"),
    _wrong("min_max_scale: 0/0 on a constant column", {"min-max-constant": None},
           mm="def min_max_scale(X): return (X - X.min(axis=0))/(X.max(axis=0) - X.min(axis=0))\n"),
    _wrong("standardize: the sample standard deviation (ddof=1)", {"standardize": "values"},
           sd=_FNS["sd"].replace("X.std(axis=0)", "X.std(axis=0, ddof=1)")),
    _wrong("standardize: centres X in place", {"standardize": "mutated"},
           sd="def standardize(X):\n    X -= X.mean(axis=0)\n    sd = X.std(axis=0)\n"
              "    return np.where(sd > 0, X/np.where(sd > 0, sd, 1), 0.0)\n"),
    _wrong("zca_whiten: PCA whitening (not rotated back by Uᵀ)", {"zca": "values"},
           zca=_FNS["zca"].replace(" @ U.T\n", "\n")),
    _wrong("zca_whiten: ε outside the square root", {"zca": "values"},
           zca=_FNS["zca"].replace("1/np.sqrt(lam + eps)", "1/(np.sqrt(lam) + eps)")),
    _wrong("zca_whiten: the covariance of uncentred data", {"zca": "values"},
           zca=_FNS["zca"].replace("Xc = X - X.mean(axis=0)", "Xc = X")),
]}

# SymPy certifies the [-1, 1] reference against the centre / half-range form of the same map
DERIVED_FROM = {"min-max-symmetric": {"op": "same", "expr": "(x - (x_max + x_min)/2)/((x_max - x_min)/2)"}}
