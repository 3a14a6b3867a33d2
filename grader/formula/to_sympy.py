"""A formula tree as a SymPy expression (scalars) or Matrix (column-vector notation).

Used for cheap exact proofs and by the benchmark's naive baseline. Only trusted
trees reach it: they come from our own parser, never from ``sympify``.
"""
from __future__ import annotations

import sympy

from grader.formula.nodes import Node
from grader.formula.symbols import SymbolTable

MAX_EXPONENT = 64        # larger literal powers are not expanded symbolically


class NotConvertible(Exception):
    """The tree is too large or too wild for an exact treatment."""


def to_sympy(node: Node, table: SymbolTable):
    return _Converter(table).go(node)


def _ew(fn, *args):
    """Apply ``fn`` element-wise; scalars broadcast over a matrix argument."""
    mats = [a for a in args if isinstance(a, sympy.MatrixBase)]
    if not mats:
        return fn(*args)
    shape = mats[0].shape
    if any(m.shape != shape for m in mats):
        raise NotConvertible("shape")
    def entry(i, j):
        return fn(*(a[i, j] if isinstance(a, sympy.MatrixBase) else a for a in args))
    return sympy.Matrix(shape[0], shape[1], entry)


class _Converter:
    def __init__(self, table: SymbolTable):
        self.table = table
        self.functions = {name: sympy.Function(name) for name in table.functions}

    def symbol(self, name: str):
        spec = self.table.symbols[name]
        lo, _hi = spec.domain
        assumptions = {"real": True}
        if lo > 0:
            assumptions["positive"] = True
        if spec.integer:
            assumptions["integer"] = True
        if spec.is_scalar:
            return sympy.Symbol(name, **assumptions)
        rows, cols = spec.shape
        return sympy.Matrix(rows, cols, lambda i, j: sympy.Symbol(f"{name}_{i}{j}", **assumptions))

    def go(self, node: Node):
        op = node.op
        if op == "num":
            v = node.value
            return sympy.Integer(int(v)) if v == int(v) and abs(v) < 1e15 else sympy.Rational(repr(v))
        if op == "const":
            return sympy.E if node.value == "e" else sympy.pi
        if op == "sym":
            return self.symbol(node.value)
        args = [self.go(a) for a in node.args]
        if op in ("add", "sub", "mul", "hadamard", "div", "pow"):
            return self.binary(op, node, *args)
        if op == "neg":
            return -args[0]
        if op == "transpose":
            return args[0].T if isinstance(args[0], sympy.MatrixBase) else args[0]
        if op == "matmul":
            a, b = args
            if isinstance(a, sympy.MatrixBase) and isinstance(b, sympy.MatrixBase):
                if a.shape[1] != b.shape[0]:
                    raise NotConvertible("shape")
                return a * b
            return a * b
        if op == "stack":
            mats = [a if isinstance(a, sympy.MatrixBase) else sympy.Matrix([[a]]) for a in args]
            return sympy.Matrix.vstack(*mats)
        if op == "afunc":
            return _ew(self.functions[node.value], args[0])
        return self.builtin(node.value, args)

    def binary(self, op, node, a, b):
        if op == "pow" and node.args[1].op == "num" and abs(node.args[1].value) > MAX_EXPONENT:
            raise NotConvertible("large exponent")
        fns = {"add": lambda x, y: x + y, "sub": lambda x, y: x - y, "mul": lambda x, y: x * y,
               "hadamard": lambda x, y: x * y, "div": lambda x, y: x / y, "pow": lambda x, y: x ** y}
        return _ew(fns[op], a, b)

    def builtin(self, name: str, args):
        x = args[0]
        sig = lambda t: 1 / (1 + sympy.exp(-t))  # noqa: E731
        table = {
            "sigma": sig, "sigma_prime": lambda t: sig(t) * (1 - sig(t)), "tanh": sympy.tanh,
            "tanh_prime": lambda t: 1 - sympy.tanh(t) ** 2, "exp": sympy.exp, "log": sympy.log, "sqrt": sympy.sqrt,
            "sin": sympy.sin, "cos": sympy.cos, "sinh": sympy.sinh, "cosh": sympy.cosh, "sech": sympy.sech,
            "abs": sympy.Abs, "sign": sympy.sign, "relu": lambda t: sympy.Max(0, t),
            "floor": sympy.floor, "ceil": sympy.ceiling,
        }
        if name in table:
            return _ew(table[name], x)
        if name in ("max", "min"):
            return _ew(sympy.Max if name == "max" else sympy.Min, *args)
        if name == "sum":
            return sum(x) if isinstance(x, sympy.MatrixBase) else x
        if name == "softmax":
            e = x.applyfunc(sympy.exp) if isinstance(x, sympy.MatrixBase) else sympy.exp(x)
            return e / (sum(e) if isinstance(e, sympy.MatrixBase) else e)
        if name == "diag":
            return sympy.diag(*list(x)) if isinstance(x, sympy.MatrixBase) else x
        raise NotConvertible(name)
