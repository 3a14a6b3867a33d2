"""Giving the raw parse tree meaning with a question's symbol table.

Decides what each name is (variable, built-in or abstract function, constant),
what a call and a juxtaposition mean (``x(1-x)`` is a product, ``\\tanh^2 x``
a power of a call), and where ``^T`` is a transpose.
"""
from __future__ import annotations

import difflib
import itertools
import math

from lark import Token, Tree

from grader.formula.builtins import BUILTINS, NOT_ALLOWED, SPELLINGS, TRANSPOSE_MARKS
from grader.formula.nodes import Node
from grader.formula.render import to_text
from grader.formula.symbols import SymbolTable, canon
from grader.formula.syntax import FormulaInvalid, parse

_BINARY = {"add": "add", "sub": "sub", "mul": "mul", "div": "div", "matmul": "matmul",
           "hadamard": "hadamard", "frac": "div"}
_DECOR_SUFFIX = {r"\hat": "hat", r"\tilde": "tilde", r"\bar": "bar"}


def parse_formula(text: str, table: SymbolTable) -> Node:
    """Student (or reference) text → a resolved :class:`Node`, or :class:`FormulaInvalid`."""
    tree, where = parse(text)
    return Resolver(table, where).node(tree)


class Resolver:
    def __init__(self, table: SymbolTable, where: list[int] | None = None):
        self.table = table
        self.where = where or []

    def pos(self, t) -> int | None:
        """The position in the student's text where tree or token ``t`` starts."""
        tok = t if isinstance(t, Token) else next((c for c in t.scan_values(lambda v: isinstance(v, Token))), None)
        if tok is None or tok.start_pos is None or tok.start_pos >= len(self.where):
            return None
        return self.where[tok.start_pos]

    # -- dispatch -------------------------------------------------------
    def node(self, t) -> Node:
        if isinstance(t, Token):
            raise FormulaInvalid("unexpected_token", None, token=str(t))
        kind = t.data
        kids = [c for c in t.children if not (isinstance(c, Token) and c.type in
                                               ("MATMUL", "HADAMARD", "POW", "FRAC", "SQRT"))]
        if kind in _BINARY:
            value = None
            return Node(_BINARY[kind], (self.node(kids[0]), self.node(kids[1])), value)
        if kind == "number":
            value = float(str(t.children[0]))
            if not math.isfinite(value):
                raise FormulaInvalid("number_too_large", self.pos(t), text=str(t.children[0])[:20])
            return Node("num", (), value)
        if kind == "neg":
            inner = self.node(kids[0])
            return Node("neg", (inner,))
        if kind == "group":
            return self.node(kids[0])
        if kind == "sqrt":
            return Node("call", (self.node(kids[0]),), "sqrt")
        if kind == "root":
            index, radicand = self.node(kids[0]), self.node(kids[1])
            return Node("pow", (radicand, Node("div", (Node("num", (), 1.0), index))))
        if kind == "transpose":
            glued = self.glued(kids[0], lambda n: Node("transpose", (n,)))
            return glued if glued is not None else Node("transpose", (self.node(kids[0]),))
        if kind == "stack":
            items = tuple(self.node(c) for c in kids[0].children if isinstance(c, Tree))
            return items[0] if len(items) == 1 else Node("stack", items)
        if kind == "pow":
            return self.power(kids[0], kids[1])
        if kind == "juxt":
            return self.juxtaposition(t)
        if kind == "call":
            return self.call(kids[0], [c for c in kids[1].children if isinstance(c, Tree)])
        if kind in ("plain_name", "decorated_name"):
            return self.name(t)
        raise FormulaInvalid("unexpected_token", None, token=kind)  # pragma: no cover

    # -- names ------------------------------------------------------------
    def spelling(self, t: Tree) -> str:
        if t.data == "plain_name":
            return str(t.children[0])
        decor, base = str(t.children[0]), str(t.children[1])
        sub = str(t.children[2]) if len(t.children) > 2 else ""
        return base.lstrip("\\") + _DECOR_SUFFIX.get(decor, "") + sub

    def classify(self, t) -> tuple[str, str] | None:
        if isinstance(t, Tree) and t.data in ("plain_name", "decorated_name"):
            return self.table.find(self.spelling(t))
        return None

    def name(self, t: Tree) -> Node:
        spelling = self.spelling(t)
        found = self.table.find(spelling)
        try:
            if found is None:
                return self.unknown_name(spelling)
        except FormulaInvalid as exc:
            exc.pos = self.pos(t)
            raise
        kind, name = found
        if kind == "sym":
            return Node("sym", (), name)
        if kind == "const":
            return Node("const", (), name)
        raise FormulaInvalid("function_needs_argument", self.pos(t), name=spelling.lstrip("\\"))

    def split_name(self, t) -> list[Node] | None:
        """The factors of an undeclared name glued from declared ones (``ss``, ``ab_t``), else None."""
        if not (isinstance(t, Tree) and t.data == "plain_name"):
            return None
        key = canon(self.spelling(t))
        if self.table.find(key) is not None:
            return None
        parts = _split(key, self.table.spellings_for_split(), self.table.is_symbol_spelling)
        return [Node("sym", (), self.table.lookup[p][1]) for p in parts] if parts else None

    def glued(self, t, last) -> Node | None:
        """``ss^T`` is s·sᵀ, ``yz^2`` is y·z²: a power, transpose or index binds to the last
        glued factor only (``last`` makes that factor's node)."""
        nodes = self.split_name(t)
        if nodes is None:
            return None
        return _implicit(nodes[:-1] + [last(nodes[-1])])

    def unknown_name(self, spelling: str) -> Node:
        key = canon(spelling)
        parts = _split(key, self.table.spellings_for_split(), self.table.is_symbol_spelling)
        if parts:
            return _implicit([Node("sym", (), self.table.lookup[p][1]) for p in parts])
        if key in NOT_ALLOWED:
            raise FormulaInvalid("not_allowed_function", None, name=key)
        if key in TRANSPOSE_MARKS:
            raise FormulaInvalid("unexpected_token", None, token=spelling)
        known = self.table.known_names()
        hints = difflib.get_close_matches(key, known + sorted(SPELLINGS), n=2, cutoff=0.6)
        if hints:
            return _raise("unknown_symbol_hint", name=spelling, hint=" / ".join(hints),
                          known=", ".join(known) or "—")
        return _raise("unknown_symbol", name=spelling, known=", ".join(known) or "—")

    # -- calls and juxtaposition --------------------------------------------
    def call(self, name_tree: Tree, arg_trees: list) -> Node:
        spelling = self.spelling(name_tree)
        found = self.table.find(spelling)
        if found is None:
            key = canon(spelling)
            if key in NOT_ALLOWED:
                raise FormulaInvalid("not_allowed_function", self.pos(name_tree), name=key)
            if _split(key, self.table.spellings_for_split(), self.table.is_symbol_spelling):
                return self.product(self.unknown_name(spelling), arg_trees, spelling)
            raise FormulaInvalid("unknown_function", self.pos(name_tree), name=spelling.lstrip("\\"),
                                 known=", ".join(self.function_names()))
        kind, name = found
        args = [self.node(a) for a in arg_trees]
        if kind in ("sym", "const"):
            return self.product(Node(kind, (), name), arg_trees, spelling)
        return self.apply(kind, name, args)

    def product(self, left: Node, arg_trees: list, spelling: str) -> Node:
        if len(arg_trees) != 1:
            raise FormulaInvalid("symbol_called", None, name=spelling)
        return Node("matmul", (left, self.node(arg_trees[0])), "implicit")

    def apply(self, kind: str, name: str, args: list[Node]) -> Node:
        if kind == "afunc":
            if len(args) != 1:
                raise FormulaInvalid("arity", None, name=name, expected=1, got=len(args))
            return Node("afunc", tuple(args), name)
        spec = BUILTINS[name]
        if not spec.min_args <= len(args) <= spec.max_args:
            expected = spec.min_args if spec.min_args == spec.max_args else f"{spec.min_args}–{spec.max_args}"
            raise FormulaInvalid("arity", None, name=name, expected=expected, got=len(args))
        if name == "concat":
            return Node("stack", tuple(args))
        return Node("call", tuple(args), name)

    def function_names(self) -> list[str]:
        return sorted(set(BUILTINS) - {"sigma_prime", "tanh_prime"} | set(self.table.functions))

    def juxtaposition(self, t: Tree) -> Node:
        items = _flatten_juxt(t)
        factors: list[Node] = []
        i = 0
        while i < len(items):
            item = items[i]
            fn, power = self.function_head(item)
            if fn is None:
                factors.append(self.node(item))
                i += 1
                continue
            if i + 1 >= len(items):
                raise FormulaInvalid("function_needs_argument", None, name=fn[1])
            arg = items[i + 1]
            applied = self.apply(fn[0], fn[1], [self.node(arg)])
            factors.append(Node("pow", (applied, power)) if power is not None else applied)
            i += 2
        for left, right in itertools.pairwise(factors):
            if left.op == "num" and right.op == "num":
                raise FormulaInvalid("adjacent_numbers", self.pos(t), a=to_text(left), b=to_text(right))
        out = factors[0]
        for f in factors[1:]:
            out = Node("matmul", (out, f), "implicit")
        return out

    def function_head(self, t) -> tuple[tuple[str, str] | None, Node | None]:
        """A bare function name (``\\log``) or its power (``\\tanh^2``) that applies to what follows."""
        found = self.classify(t)
        if found and found[0] in ("builtin", "afunc"):
            return found, None
        if isinstance(t, Tree) and t.data == "pow":
            kids = [c for c in t.children if not isinstance(c, Token)]
            found = self.classify(kids[0])
            if found and found[0] in ("builtin", "afunc"):
                return found, self.node(kids[1])
        return None, None

    def power(self, base_tree, exp_tree) -> Node:
        if isinstance(base_tree, Tree) and base_tree.data == "call":
            found = self.classify(base_tree.children[0])
            args = [c for c in base_tree.children[1].children if isinstance(c, Tree)]
            if found and found[0] in ("sym", "const") and len(args) == 1:
                # x(y)^2 is x·y², not (x·y)²: the power binds to the bracket
                inner = Tree("pow", [Tree("group", [args[0]]), exp_tree])
                return Node("matmul", (Node(found[0], (), found[1]), self.node(inner)), "implicit")
        if self.is_transpose_mark(exp_tree):
            glued = self.glued(base_tree, lambda n: Node("transpose", (n,)))
            return glued if glued is not None else Node("transpose", (self.node(base_tree),))
        glued = self.glued(base_tree, lambda n: Node("pow", (n, self.node(exp_tree))))
        if glued is not None:
            return glued
        found = self.classify(base_tree)
        if found and found[0] in ("builtin", "afunc"):
            raise FormulaInvalid("function_needs_argument", None, name=found[1])
        return Node("pow", (self.node(base_tree), self.node(exp_tree)))

    def is_transpose_mark(self, t) -> bool:
        while isinstance(t, Tree) and t.data == "group":
            t = t.children[0]
        if isinstance(t, Tree) and t.data == "plain_name":
            key = canon(str(t.children[0]))
            return key in TRANSPOSE_MARKS and self.table.find(key) is None
        return False


def _flatten_juxt(t: Tree) -> list:
    items = []
    while isinstance(t, Tree) and t.data == "juxt":
        items.append(t.children[1])
        t = t.children[0]
    items.append(t)
    return items[::-1]


def _implicit(nodes: list[Node]) -> Node:
    out = nodes[0]
    for n in nodes[1:]:
        out = Node("matmul", (out, n), "implicit")
    return out


def _split(key: str, spellings: list[str], is_symbol=None) -> list[str] | None:
    """Split ``xy`` into declared symbols (longest first), or None.

    Letters and digits glue; the last piece may also be any declared spelling with
    an index (``ab_t`` → a, b_t; ``ab^{(l)}`` → a, b^{(l)}), as a reader takes it.
    """
    head = key
    cut = min((i for i in (key.find("_"), key.find("^"), key.find("'")) if i >= 0), default=-1)
    if cut >= 0:
        head = key[:cut]
    if not head or not head.isalnum() or len(key) > 40 or len(head) > 24:
        return None
    memo: dict[int, list[str] | None] = {}

    def go(i: int) -> list[str] | None:
        if i == len(key):
            return []
        if i in memo:
            return memo[i]
        memo[i] = None
        if i and cut >= 0 and is_symbol is not None and is_symbol(key[i:]):
            memo[i] = [key[i:]]
            return memo[i]
        for s in spellings:
            if key.startswith(s, i):
                rest = go(i + len(s))
                if rest is not None:
                    memo[i] = [s] + rest
                    break
        return memo[i]

    parts = go(0)
    return parts if parts and len(parts) > 1 else None


def _raise(key: str, **params):
    raise FormulaInvalid(key, None, **params)
