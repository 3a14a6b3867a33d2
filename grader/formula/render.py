"""Rendering a formula tree: LaTeX for "interpreted as", plain text for messages."""
from __future__ import annotations

import re
from functools import lru_cache

from grader.formula.builtins import BUILTINS
from grader.formula.nodes import Node
from grader.formula.symbols import SymbolTable

_PREC = {"add": 1, "sub": 1, "mul": 2, "div": 2, "matmul": 2, "hadamard": 2, "neg": 2,
         "pow": 4, "transpose": 4}
GREEK_NAMES = {"alpha", "beta", "gamma", "delta", "epsilon", "varepsilon", "zeta", "eta", "theta",
               "iota", "kappa", "lambda", "mu", "nu", "xi", "pi", "rho", "sigma", "tau",
               "upsilon", "phi", "chi", "psi", "omega", "Gamma", "Delta", "Theta", "Lambda",
               "Xi", "Pi", "Sigma", "Phi", "Psi", "Omega"}


def prec(node: Node) -> int:
    if node.op == "num" and node.value < 0:
        return 1
    return _PREC.get(node.op, 5)


def symbol_latex(name: str, table: SymbolTable | None = None) -> str:
    """A symbol's LaTeX: the question's own spelling, else a readable default."""
    spec = table.symbols.get(name) if table else None
    if spec is not None and spec.latex:
        return spec.latex
    fspec = table.functions.get(name) if table else None
    if fspec is not None and fspec.latex:
        return fspec.latex
    if name.endswith("prime") and len(name) > 5:
        return symbol_latex(name[:-5], table) + "'"
    return _default_latex(name)


@lru_cache(maxsize=4096)
def _default_latex(name: str) -> str:
    """The readable default of a name without a spelling of its own (a function of the name alone)."""
    base, _, sub = name.partition("_")
    m = re.fullmatch(r"([A-Za-z]+?)([0-9]+)", base)
    if m and not sub:
        base, sub = m.group(1), m.group(2)
    for deco in ("hat", "tilde", "bar"):
        if base.endswith(deco) and len(base) > len(deco):
            base = f"\\{deco}{{{_greek(base[:-len(deco)])}}}"
            break
    else:
        base = _greek(base)
    if sub:
        sub = ", ".join(_greek(s) for s in sub.split("_"))
        return f"{base}_{{{sub}}}"
    return base


def _greek(s: str) -> str:
    return "\\" + s if s in GREEK_NAMES else s


def _num(value: float, latex: bool) -> str:
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    text = repr(value)
    if "e" in text and latex:
        mant, exp = text.split("e")
        return f"{mant} \\times 10^{{{int(exp)}}}"
    return text


def to_latex(node: Node, table: SymbolTable | None = None, shapes: dict | None = None) -> str:
    """LaTeX of the formula as the grader read it."""
    return _Renderer(True, table, shapes).go(node)


def to_text(node: Node, table: SymbolTable | None = None) -> str:
    """Plain-text (ASCII) form of the formula, for messages."""
    return _Renderer(False, table, None).go(node)


class _Renderer:
    def __init__(self, latex: bool, table, shapes):
        self.latex, self.table, self.shapes = latex, table, shapes

    def wrap(self, node: Node, limit: int) -> str:
        inner = self.go(node)
        if prec(node) <= limit:
            return f"\\left({inner}\\right)" if self.latex else f"({inner})"
        return inner

    def scalar(self, node: Node) -> bool:
        return self.shapes is None or self.shapes.get(id(node), (1, 1)) == (1, 1)

    def go(self, node: Node) -> str:
        op, a, L = node.op, node.args, self.latex
        if op == "num":
            return _num(node.value, L)
        if op == "const":
            return ("\\pi" if node.value == "pi" else "e") if L else node.value
        if op == "sym":
            return symbol_latex(node.value, self.table) if L else node.value
        if op in ("add", "sub"):
            sign = " + " if op == "add" else " - "
            return self.wrap(a[0], 0) + sign + self.wrap(a[1], 1 if op == "sub" else 0)
        if op == "neg":
            return "-" + self.wrap(a[0], 2 if a[0].op != "mul" else 1)
        if op == "div":
            if L:
                return f"\\frac{{{self.go(a[0])}}}{{{self.go(a[1])}}}"
            return self.wrap(a[0], 1) + "/" + self.wrap(a[1], 2)
        if op in ("mul", "hadamard", "matmul"):
            return self.product(node)
        if op == "pow":
            base = self.wrap(a[0], 4) if a[0].op != "call" or not L else self.go(a[0])
            if L:
                return f"{{{base}}}^{{{self.go(a[1])}}}"
            return f"{base}^{self.wrap(a[1], 4)}"
        if op == "transpose":
            base = self.wrap(a[0], 4)
            return f"{{{base}}}^{{\\top}}" if L else f"{base}.T"
        if op == "stack":
            if L:
                return "\\begin{bmatrix}" + " \\\\ ".join(self.go(x) for x in a) + "\\end{bmatrix}"
            return "[" + "; ".join(self.go(x) for x in a) + "]"
        if op == "afunc":
            name = symbol_latex(node.value, self.table) if L else node.value
            return self.call_text(name, a)
        return self.builtin(node)

    def product(self, node: Node) -> str:
        op, a, L = node.op, node.args, self.latex
        left, right = self.wrap(a[0], 1), self.wrap(a[1], 2 if op != "matmul" else 1)
        if not L:
            sign = {"mul": " * ", "hadamard": " ⊙ "}.get(op) or (" " if node.value == "implicit" else " @ ")
            return left + sign + right
        if op == "hadamard" or (op == "mul" and not (self.scalar(a[0]) or self.scalar(a[1]))):
            return f"{left} \\odot {right}"
        if op == "mul" or node.value != "implicit" or a[1].op == "num":
            return f"{left} \\cdot {right}"
        return f"{left}\\,{right}"

    def call_text(self, name: str, args) -> str:
        inner = ", ".join(self.go(x) for x in args)
        return f"{name}\\left({inner}\\right)" if self.latex else f"{name}({inner})"

    def builtin(self, node: Node) -> str:
        name, L = node.value, self.latex
        if L and name == "sqrt":
            return f"\\sqrt{{{self.go(node.args[0])}}}"
        if L and name == "abs":
            return f"\\left|{self.go(node.args[0])}\\right|"
        if L and name in ("floor", "ceil"):
            return f"\\left\\l{name}{self.go(node.args[0])}\\right\\r{name}"
        if not L:
            plain = {"sigma_prime": "sigma'", "tanh_prime": "tanh'"}.get(name, name)
            return self.call_text(plain, node.args)
        return self.call_text(BUILTINS[name].latex, node.args)
