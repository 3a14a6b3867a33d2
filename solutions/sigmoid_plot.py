"""Reference for sigmoid-plot (private). The assignment (seed 004, Q3.2: 证明 σ'(x) = σ(x)(1 − σ(x)) and
画图 σ(x), σ'(x)). The code part's grid tests carry curve: "always", so every report draws both curves."""
import math

import numpy as np

ANSWERS = {"proof": "sigma(x)*(1 - sigma(x))", "shape": ["A", "B", "D", "E"]}

OPTION_FEEDBACK = {"shape": {"C": {"en": "σ(−x) = 1 − σ(x), not −σ(x): σ is symmetric about the point (0, ½), not about the origin.",
                                   "zh": "σ(−x) = 1 − σ(x)，而不是 −σ(x)：σ 关于点 (0, ½) 对称，而不是关于原点对称。"}}}

SELF_TESTS = {
    "proof": {
        "accept": [["exp(-x)/(1 + exp(-x))^2", "1/(1 + exp(-x)) * exp(-x)/(1 + exp(-x))", "sigma(x)*exp(-x)/(1 + exp(-x))",
                    "sigma(x)*(1 - 1/(1 + exp(-x)))", "sigma(x)*(1 - sigma(x))"],
                   "\\frac{e^{-x}}{(1+e^{-x})^2}\n= \\frac{1}{1+e^{-x}} \\cdot \\frac{e^{-x}}{1+e^{-x}}\n"
                   "= \\sigma(x) \\frac{e^{-x}}{1+e^{-x}}\n= \\sigma(x)(1 - \\sigma(x))"],
        # valid, but σ(x) is never recognised while the other factor is still in exponentials
        "partial": ["\\frac{e^{-x}}{(1+e^{-x})^2}\n= \\frac{1}{1+e^{-x}} \\cdot \\frac{e^{-x}}{1+e^{-x}}\n= \\sigma(x)(1 - \\sigma(x))",
                    ["exp(-x)/(1 + exp(-x))^2", "sigma(x)*(1 - sigma(x))"]],
        "reject": [["exp(-x)/(1 + exp(-x))^2", "sigma(x)*exp(-x)", "sigma(x)*(1 - sigma(x))"],
                   ["exp(-x)/(1 + exp(-x))", "sigma(x)*(1 - sigma(x))"],
                   ["exp(-x)/(1 + exp(-x))^2", "1/(1 + exp(-x)) * exp(-x)/(1 + exp(-x))", "sigma(x)*sigma(x)"]],
        "invalid": [["exp(-x)/(1 + exp(-x))^2", "sigma(x)*(1 - sigma(x)"], ["sigma(x)*(1 - sigma(x))"]],
    },
    "shape": {"accept": ["A, B, D, E", "ABDE"], "reject": ["C", "C, E"], "partial": ["A, B", "A, B, C, D, E", "B"],
              "invalid": ["A, B, F"]},
}


def generate(rng):
    return {"x0": float(np.round(rng.uniform(-4, 4), 1))}


def _s(x):
    return 1.0 / (1.0 + math.exp(-x))


ANSWERS["value"] = lambda p: _s(p["x0"]) * (1 - _s(p["x0"]))
MISCONCEPTIONS = {"value": [
    {"id": "sigma-itself", "answer": lambda p: _s(p["x0"]),
     "feedback": {"en": "That is σ(x₀); the question asks for σ'(x₀) = σ(x₀)(1 − σ(x₀)).", "zh": "这是 σ(x₀)；题目要的是 σ'(x₀) = σ(x₀)(1 − σ(x₀))。"}},
    {"id": "tanh-pattern", "answer": lambda p: 1 - _s(p["x0"]) ** 2,
     "feedback": {"en": "1 − σ² is the pattern of tanh' (1 − tanh²); for σ it is σ(1 − σ).", "zh": "1 − σ² 是 tanh' 的形式（1 − tanh²）；σ 的导数是 σ(1 − σ)。"}},
]}


# -- code part -------------------------------------------------------------------

def sigma_values(x):
    return 1.0 / (1.0 + np.exp(-np.asarray(x, dtype=float)))


def sigma_prime_values(x):
    s = sigma_values(x)
    return s * (1.0 - s)


def _grid(rng, lo, hi, n):
    """An evenly spaced grid, shifted a little per seed so no fixed table of values passes."""
    return np.linspace(lo, hi, n) + rng.uniform(-0.3, 0.3) * (hi - lo) / (n - 1)


CODE_TESTS = {
    "code": [
        {"id": "sigma-curve", "function": "sigma_values", "kind": "values", "points": 1, "curve": "always",
         "name": {"en": "σ on a grid from −8 to 8 (drawn)", "zh": "在 −8 到 8 的网格上计算 σ（作图）"},
         "inputs": lambda rng: [(_grid(rng, -8.0, 8.0, 161),)]},
        {"id": "prime-curve", "function": "sigma_prime_values", "kind": "values", "points": 1, "curve": "always",
         "name": {"en": "σ′ on a grid from −8 to 8 (drawn)", "zh": "在 −8 到 8 的网格上计算 σ′（作图）"},
         "inputs": lambda rng: [(_grid(rng, -8.0, 8.0, 161),)]},
        {"id": "arrays", "function": "sigma_prime_values", "kind": "values", "points": 1,
         "name": {"en": "σ′ on random arrays of several shapes, up to |x| = 30", "zh": "多种形状的随机数组上的 σ′（|x| 至多 30）"},
         "inputs": lambda rng: [(rng.normal(0, 3, size=(4, 5)),), (rng.uniform(-30, 30, size=9),)]},
        {"id": "sigma-arrays", "function": "sigma_values", "kind": "values", "points": 1, "visible": False,
         "name": {"en": "hidden: σ on a 3-d array", "zh": "隐藏测试：三维数组上的 σ"},
         "inputs": lambda rng: [(rng.normal(0, 4, size=(2, 3, 4)),)]},
    ],
}

_FILE = ("import numpy as np\n"
         "def sigma_values(x):\n    return 1/(1 + np.exp(-x))\n"
         "def sigma_prime_values(x):\n    s = sigma_values(x)\n    return s*(1 - s)\n")


def _wrong(why, fails, old, new):
    assert old in _FILE
    return {"why": why, "fails": fails, "source": _FILE.replace(old, new)}


SELF_TESTS["code"] = {"reject": [
    _wrong("σ′ as σ(1 + σ)", {"prime-curve": "values"}, "s*(1 - s)", "s*(1 + s)"),
    _wrong("σ′ with the tanh pattern 1 − σ²", {"prime-curve": "values"}, "s*(1 - s)", "1 - s*s"),
    _wrong("σ mirrored: 1/(1 + e^x)", {"sigma-curve": "values"}, "1/(1 + np.exp(-x))", "1/(1 + np.exp(x))"),
    _wrong("σ′ by finite differences on the plotted grid (np.gradient)", {"prime-curve": "values"},
           "    s = sigma_values(x)\n    return s*(1 - s)\n",
           "    return np.gradient(sigma_values(x), x) if x.ndim == 1 and x.size > 1 else sigma_values(x)*(1 - sigma_values(x))\n"),
]}
