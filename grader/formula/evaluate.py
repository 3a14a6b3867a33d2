"""Shapes and numbers: type-checking a formula's shapes and evaluating it at many points.

Every value is a float64 array of shape (N, rows, cols): N random points at
once, so a check costs a handful of vectorised NumPy operations. Scalars are
(N, 1, 1); constants are (1, 1, 1) and broadcast.
"""
from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from grader.formula.builtins import BUILTINS
from grader.formula.nodes import Node
from grader.formula.symbols import SymbolTable

Shape = tuple[int, int]
SCALAR: Shape = (1, 1)
_OP_SIGN = {"add": "+", "sub": "-", "mul": "*", "hadamard": "⊙", "div": "/", "max": "max", "min": "min"}


class ShapeMismatch(Exception):
    """A formula whose shapes do not fit; ``key``/``params`` name the message."""

    def __init__(self, key: str, **params):
        self.key = key
        self.params = params
        super().__init__(key, params)


def fmt_shape(shape: Shape) -> str:
    return f"{shape[0]}×{shape[1]}"


def infer_shapes(node: Node, table: SymbolTable) -> dict[int, Shape]:
    """The shape of every node (by ``id``), or :class:`ShapeMismatch` at the first misfit."""
    shapes: dict[int, Shape] = {}
    _infer(node, table, shapes)
    return shapes


def _infer(node: Node, table: SymbolTable, shapes: dict[int, Shape]) -> Shape:
    kids = [_infer(a, table, shapes) for a in node.args]
    shape = _shape_of(node, kids, table)
    shapes[id(node)] = shape
    return shape


def _shape_of(node: Node, kids: list[Shape], table: SymbolTable) -> Shape:
    op = node.op
    if op in ("num", "const"):
        return SCALAR
    if op == "sym":
        return table.symbols[node.value].shape
    if op in ("neg", "afunc"):
        return kids[0]
    if op == "transpose":
        return (kids[0][1], kids[0][0])
    if op in ("add", "sub", "mul", "hadamard", "div"):
        return _elementwise(node, kids, _OP_SIGN[op])
    if op == "matmul":
        a, b = kids
        if a == SCALAR:
            return b
        if b == SCALAR:
            return a
        if a[1] != b[0]:
            raise _mismatch("shape_matmul", node, kids, ia=a[1], ib=b[0], implicit=node.value == "implicit")
        return (a[0], b[1])
    if op == "pow":                       # element-wise, as e^{z} for a vector z
        return _elementwise(node, kids, "^")
    if op == "stack":
        cols = {k[1] for k in kids}
        if len(cols) != 1:
            from grader.formula.render import to_text
            raise ShapeMismatch("shape_stack", items=", ".join(to_text(a) for a in node.args),
                                shapes=", ".join(fmt_shape(k) for k in kids))
        return (sum(k[0] for k in kids), kids[0][1])
    if op == "call":
        return _call_shape(node, kids)
    raise ValueError(f"unknown node {op}")  # pragma: no cover


def _call_shape(node: Node, kids: list[Shape]) -> Shape:
    name = node.value
    if name in ("max", "min"):
        return _elementwise(node, kids, name)
    if name == "sum":
        return SCALAR
    if name == "softmax":
        if kids[0][1] != 1:
            raise _need(node.args[0], kids[0], "shape_vector_needed", "softmax")
        return kids[0]
    if name == "diag":
        n, m = kids[0]
        if min(n, m) != 1:
            raise _need(node.args[0], kids[0], "shape_vector_needed", "diag")
        return (max(n, m), max(n, m))
    return kids[0]


def _elementwise(node: Node, kids: list[Shape], sign: str) -> Shape:
    a, b = kids
    if a == b or b == SCALAR:
        return a
    if a == SCALAR:
        return b
    raise _mismatch("shape_elementwise", node, kids, op=sign)


def _operand(node: Node) -> str:
    from grader.formula.render import prec, to_text
    return f"({to_text(node)})" if prec(node) < 3 else to_text(node)


def _mismatch(key: str, node: Node, kids: list[Shape], **extra) -> ShapeMismatch:
    return ShapeMismatch(key, a=_operand(node.args[0]), b=_operand(node.args[1]),
                         sa=fmt_shape(kids[0]), sb=fmt_shape(kids[1]), **extra)


def _need(arg: Node, shape: Shape, key: str, what: str) -> ShapeMismatch:
    from grader.formula.render import to_text
    return ShapeMismatch(key, what=what, a=to_text(arg), sa=fmt_shape(shape))


# -- numbers ---------------------------------------------------------------

@dataclass
class Env:
    """Sample points: each symbol's values (N, r, c) and each abstract function's parameters."""

    n: int
    values: dict[str, np.ndarray]
    functions: dict[str, tuple[np.ndarray, ...]]


def sample_env(table: SymbolTable, n: int, seed: int) -> Env:
    """N random points in every symbol's domain, and N random smooth abstract functions.

    Symbols with a ``definition`` (ŷ = σ(z), δ^{(l)} = f'(z) ⊙ Wᵀδ^{(l+1)}) are not
    sampled but computed from it, in dependency order, so every point is consistent
    and an answer that writes a quantity out in full has the value of its name.
    """
    rng = np.random.default_rng(seed)
    values = {}
    for name in sorted(table.symbols):
        spec = table.symbols[name]
        if spec.definition:
            continue
        lo, hi = spec.domain
        size = (n,) + spec.shape
        if spec.integer:
            values[name] = rng.integers(int(lo), int(hi) + 1, size=size).astype(float)
        elif spec.sampling == "onehot":
            hot = np.zeros(size)
            hot[np.arange(n), rng.integers(0, spec.shape[0], size=n), 0] = 1.0
            values[name] = hot
        else:
            draw = rng.uniform(lo, hi, size=size)
            if spec.sampling == "signed":
                draw *= rng.choice([-1.0, 1.0], size=size)
            values[name] = draw
    functions: dict[str, tuple[np.ndarray, ...]] = {}
    for name in sorted(table.functions):
        col = (n, 1, 1)
        functions[name] = (rng.uniform(-1, 1, col), rng.uniform(-1, 1, col), rng.uniform(0.5, 1.5, col),
                           rng.uniform(0.5, 2.0, col), rng.uniform(0, 2 * math.pi, col), rng.uniform(-1, 1, col))
    env = Env(n, values, functions)
    for name, node in definitions(table):
        env.values[name] = evaluate(node, env, infer_shapes(node, table))
    return env


class DefinitionError(ValueError):
    """A bank author's definition that cannot be used: unreadable, cyclic or of the wrong shape."""


def definition_problem(table: SymbolTable) -> str | None:
    """Why the table's definitions cannot be computed (for the bank's load report), or None."""
    try:
        definitions(table)
    except DefinitionError as exc:
        return str(exc)
    return None


def definitions(table: SymbolTable) -> list[tuple[str, Node]]:
    """The defined symbols with their parsed definitions, each after those it uses.

    Cached on the table; :class:`DefinitionError` names the symbol and the fault.
    """
    cached = table.__dict__.get("_definitions")
    if cached is not None:
        return cached
    from grader.formula.resolve import parse_formula  # resolve does not import this module
    from grader.formula.syntax import FormulaInvalid
    parsed: dict[str, Node] = {}
    for name, spec in table.symbols.items():
        if spec.definition:
            try:
                parsed[name] = parse_formula(spec.definition, table)
            except FormulaInvalid as exc:
                raise DefinitionError(f"{name}: definition {spec.definition!r} is unreadable ({exc.key})") from None
    order: list[tuple[str, Node]] = []
    state: dict[str, int] = {}

    def visit(name: str, path: tuple[str, ...]) -> None:
        if state.get(name) == 2:
            return
        if state.get(name) == 1:
            raise DefinitionError("definitions form a cycle: " + " → ".join(path + (name,)))
        state[name] = 1
        for used in sorted(parsed[name].symbols() & set(parsed)):
            visit(used, path + (name,))
        state[name] = 2
        order.append((name, parsed[name]))

    for name in sorted(parsed):
        visit(name, ())
    for name, node in order:
        try:
            shape = infer_shapes(node, table)[id(node)]
        except ShapeMismatch as exc:
            definition = table.symbols[name].definition
            raise DefinitionError(f"{name}: definition {definition!r} has no shape ({exc.key})") from None
        declared = table.symbols[name].shape
        if shape != declared:
            raise DefinitionError(f"{name}: definition is {fmt_shape(shape)}, the symbol {fmt_shape(declared)}")
    table.__dict__["_definitions"] = order
    return order


def evaluate(node: Node, env: Env, shapes: dict[int, Shape], memo: dict | None = None,
             perturb: dict | None = None) -> np.ndarray:
    """The formula's value at every sample point: shape (N, rows, cols), float64.

    ``memo`` (optional) receives every node's value by ``id``; ``perturb`` maps a
    function name to a change of its output (to test whether the formula depends on it).
    """
    with np.errstate(all="ignore"):
        out = _eval(node, env, shapes, memo, perturb)
    full = (env.n,) + shapes[id(node)]
    if out.shape == full and out.dtype == _FLOAT and node.op != "sym":
        out.flags.writeable = False     # read-only, as broadcast_to's view (a symbol's own array is left alone)
        return out
    return np.broadcast_to(out, full).astype(float, copy=False)


_FLOAT = np.dtype(float)


def _eval(node: Node, env: Env, shapes, memo=None, perturb=None) -> np.ndarray:
    if memo is None and perturb is None:
        return _node_value(node, env, shapes)
    out = _node_value(node, env, shapes, memo, perturb)
    if perturb and node.op in ("call", "afunc") and node.value in perturb:
        out = perturb[node.value](out)
    if memo is not None:
        memo[id(node)] = out
    return out


_CONSTANTS: dict[float, np.ndarray] = {}


def _constant(value: float) -> np.ndarray:
    """``np.full((1, 1, 1), value)``, read-only and shared (no operation writes into its operands)."""
    out = _CONSTANTS.get(value)
    if out is None:
        out = np.full((1, 1, 1), value)
        out.flags.writeable = False
        if len(_CONSTANTS) < 1024 and (value or math.copysign(1.0, value) > 0):    # -0.0 == 0.0 as a key
            _CONSTANTS[value] = out
    return out


def _node_value(node: Node, env: Env, shapes, memo=None, perturb=None) -> np.ndarray:
    op = node.op
    if op == "num":
        return _constant(node.value)
    if op == "const":
        return _constant(math.e if node.value == "e" else math.pi)
    if op == "sym":
        return env.values[node.value]
    if memo is None and perturb is None:                 # the plain path: no bookkeeping per node
        args = [_node_value(a, env, shapes) for a in node.args]
    else:
        args = [_eval(a, env, shapes, memo, perturb) for a in node.args]
    if op == "add":
        return args[0] + args[1]
    if op == "sub":
        return args[0] - args[1]
    if op in ("mul", "hadamard"):
        return args[0] * args[1]
    if op == "div":
        return args[0] / args[1]
    if op == "neg":
        return -args[0]
    if op == "pow":
        return np.power(args[0], args[1])
    if op == "transpose":
        return np.swapaxes(args[0], -1, -2)
    if op == "matmul":
        a, b = (shapes[id(x)] for x in node.args)
        if a == SCALAR or b == SCALAR:
            return args[0] * args[1]
        return np.matmul(args[0], args[1])
    if op == "stack":
        full = [np.broadcast_to(v, (env.n,) + shapes[id(a)]) for v, a in zip(args, node.args)]
        return np.concatenate(full, axis=1)
    if op == "afunc":
        return _abstract(args[0], env.functions[node.value])
    return _builtin(node.value, args, shapes[id(node)], env.n)


def _abstract(t: np.ndarray, p: tuple[np.ndarray, ...]) -> np.ndarray:
    c0, c1, c2, w, phi, c3 = p
    return c0 + c1 * t + c2 * np.sin(w * t + phi) + c3 * np.tanh(t)


def _sigma(x: np.ndarray) -> np.ndarray:
    z = np.exp(-np.abs(x))
    d = 1.0 + z                                   # computed once (the same value for both branches)
    return np.where(x >= 0, 1.0 / d, z / d)


_ELEMENTWISE: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "sigma": _sigma,
    "sigma_prime": lambda x: _sigma(x) * _sigma(-x),
    "tanh": np.tanh,
    "tanh_prime": lambda x: 1.0 - np.tanh(x) ** 2,
    "exp": np.exp, "log": np.log, "sqrt": np.sqrt, "sin": np.sin, "cos": np.cos,
    "sinh": np.sinh, "cosh": np.cosh, "sech": lambda x: 1.0 / np.cosh(x),
    "abs": np.abs, "sign": np.sign, "relu": lambda x: np.maximum(x, 0.0),
    "floor": np.floor, "ceil": np.ceil,
}


def _builtin(name: str, args: list[np.ndarray], shape: Shape, n: int) -> np.ndarray:
    if name in _ELEMENTWISE:
        return _ELEMENTWISE[name](args[0])
    if name == "max":
        return np.maximum(args[0], args[1])
    if name == "min":
        return np.minimum(args[0], args[1])
    x = args[0]
    if name == "sum":
        return x.sum(axis=(1, 2), keepdims=True)
    if name == "softmax":
        e = np.exp(x - x.max(axis=(1, 2), keepdims=True))
        return e / e.sum(axis=(1, 2), keepdims=True)
    if name == "diag":
        flat = np.broadcast_to(x, (n,) + x.shape[1:]).reshape(n, -1)
        out = np.zeros((n,) + shape)
        idx = np.arange(shape[0])
        out[:, idx, idx] = flat
        return out
    raise ValueError(f"no numeric meaning for {name}")  # pragma: no cover


assert set(_ELEMENTWISE) | {"max", "min", "sum", "softmax", "diag", "concat"} == set(BUILTINS)
