"""The formula tree: small immutable nodes that every other formula module reads."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Node:
    """One node of a parsed formula.

    ``op`` is one of: ``num`` (value: float), ``const`` (value: "e" | "pi"),
    ``sym`` (value: symbol name), ``add``, ``sub``, ``mul`` (``*``, element-wise),
    ``hadamard`` (``⊙``), ``matmul`` (``@``, ``\\cdot``; value "implicit" for
    juxtaposition), ``div``, ``neg``, ``pow``, ``transpose``, ``stack``,
    ``call`` (value: built-in function name), ``afunc`` (value: abstract
    function name).
    """

    op: str
    args: tuple[Node, ...] = ()
    value: Any = None            # its type follows ``op`` (float, a name, "implicit"…), which no annotation can say

    def walk(self):
        """Yield this node and every node below it (iteratively)."""
        stack = [self]
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed(node.args))

    def functions(self) -> set[str]:
        """Names of the built-in and abstract functions this formula calls."""
        out = set()
        stack = [self]                     # walk() without the generator: this runs several times a check
        while stack:
            node = stack.pop()
            if node.op == "call" or node.op == "afunc":
                out.add(node.value)
            stack.extend(node.args)
        return out

    def symbols(self) -> set[str]:
        out = set()
        stack = [self]
        while stack:
            node = stack.pop()
            if node.op == "sym":
                out.add(node.value)
            else:
                stack.extend(node.args)
        return out
