"""A canonical form of a formula tree: equal forms are an exact proof of equality.

Sums and element-wise products are flattened and sorted, subtraction becomes
addition of a negation, scalar "matrix" products become products. Cheap (linear
in the tree), so it runs on every right answer; where it does not match, the
numeric comparison has already decided.
"""
from __future__ import annotations

from grader.formula.nodes import Node

_COMMUTATIVE = {"add", "mul"}


def canonical(node: Node, shapes: dict[int, tuple[int, int]]):
    """A hashable, order-independent key of ``node``."""
    return _key(node, shapes)


def _key(node: Node, shapes):
    op = node.op
    if op in ("num", "const", "sym"):
        return (op, node.value)
    if op == "sub":
        return _flat("add", [node.args[0], Node("neg", (node.args[1],))], shapes)
    if op == "hadamard":
        return _flat("mul", list(node.args), shapes)
    if op == "matmul" and any(shapes.get(id(a), (1, 1)) == (1, 1) for a in node.args):
        return _flat("mul", list(node.args), shapes)
    if op in _COMMUTATIVE:
        return _flat(op, list(node.args), shapes)
    if op == "neg":
        inner = _key(node.args[0], shapes)
        return inner[1] if inner[0] == "neg" else ("neg", inner)
    value = None if op == "matmul" else node.value      # implicit or explicit: the same product
    return (op, value, tuple(_key(a, shapes) for a in node.args))


def _flat(op: str, args: list[Node], shapes):
    terms = []
    for a in args:
        k = _key(a, shapes)
        if k[0] == op:
            terms.extend(k[1])
        else:
            terms.append(k)
    return (op, tuple(sorted(terms, key=repr)))
