"""The functions a formula may call: names, spellings, arity and LaTeX.

Their numeric meaning lives in ``evaluate.py``; this table is what the
resolver and the renderers need.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Builtin:
    name: str
    min_args: int
    max_args: int
    latex: str            # LaTeX of the function name; "sqrt" and friends are special-cased
    elementwise: bool = True


BUILTINS: dict[str, Builtin] = {b.name: b for b in [
    Builtin("sigma", 1, 1, r"\sigma"),
    Builtin("sigma_prime", 1, 1, r"\sigma'"),
    Builtin("tanh", 1, 1, r"\tanh"),
    Builtin("tanh_prime", 1, 1, r"\tanh'"),
    Builtin("exp", 1, 1, r"\exp"),
    Builtin("log", 1, 1, r"\log"),
    Builtin("sqrt", 1, 1, r"\sqrt"),
    Builtin("sin", 1, 1, r"\sin"),
    Builtin("cos", 1, 1, r"\cos"),
    Builtin("sinh", 1, 1, r"\sinh"),
    Builtin("cosh", 1, 1, r"\cosh"),
    Builtin("sech", 1, 1, r"\operatorname{sech}"),
    Builtin("abs", 1, 1, r"\operatorname{abs}"),
    Builtin("sign", 1, 1, r"\operatorname{sign}"),
    Builtin("relu", 1, 1, r"\operatorname{ReLU}"),
    Builtin("floor", 1, 1, r"\operatorname{floor}"),
    Builtin("ceil", 1, 1, r"\operatorname{ceil}"),
    Builtin("max", 2, 2, r"\max"),
    Builtin("min", 2, 2, r"\min"),
    Builtin("softmax", 1, 1, r"\operatorname{softmax}", elementwise=False),
    Builtin("sum", 1, 1, r"\sum", elementwise=False),
    Builtin("diag", 1, 1, r"\operatorname{diag}", elementwise=False),
    Builtin("concat", 2, 8, r"\operatorname{concat}", elementwise=False),
]}

# every spelling (after canon(): no backslash) of a built-in
SPELLINGS: dict[str, str] = {
    "sigma": "sigma", "sigmoid": "sigma", "logistic": "sigma", "sigma'": "sigma_prime",
    "sigmoid'": "sigma_prime", "tanh": "tanh", "tanh'": "tanh_prime", "exp": "exp",
    "log": "log", "ln": "log", "sqrt": "sqrt", "sin": "sin", "cos": "cos", "sinh": "sinh",
    "cosh": "cosh", "sech": "sech", "abs": "abs", "sign": "sign", "sgn": "sign",
    "relu": "relu", "ReLU": "relu", "ReLu": "relu", "max": "max", "min": "min",
    "softmax": "softmax", "Softmax": "softmax", "sum": "sum", "Sum": "sum", "diag": "diag",
    "concat": "concat", "floor": "floor", "ceil": "ceil", "ceiling": "ceil",
}

# names that are operations, not expressions: never evaluated, named in feedback
NOT_ALLOWED = {
    "diff", "derivative", "Derivative", "grad", "gradient", "D", "integrate", "Integral",
    "int", "lim", "limit", "solve", "simplify", "subs", "eval", "exec", "open", "import",
    "print", "input", "system", "getattr", "compile", "partial", "nabla", "prod", "iint", "oint", "Prod",
}

CONSTANTS = {"e": "e", "pi": "pi"}
TRANSPOSE_MARKS = {"T", "top", "intercal"}
