"""Giving the raw parse tree meaning with a question's symbol table.

Decides what each name is (variable, built-in or abstract function, constant),
what a call and a juxtaposition mean (``x(1-x)`` is a product, ``\\tanh^2 x``
a power of a call), and where ``^T`` is a transpose.

An unbraced exponent is one token (see notation.py): ``e^xy`` is eˣ·y, ``x^yz^2`` is
x^y·z², ``u^Tw`` is uᵀ·w, ``e^x(1+x)`` is eˣ·(1+x); an undeclared ``x_1y`` is x₁·y. ``E[x]``/``\\mathbb{E}[x]``
call a declared function (``E[x]^2`` is (E[x])²); an undeclared name before a bracket
is an unknown *function*. ``\\sum_{i=1}^{n} body`` (also ``\\sum_i``, ``\\sum_{i,j}``,
``i=0..n-1``) is ``sum(body)`` where every name indexed by i is an entry of a vector the
part declares (``x_i`` for a declared vector x, or a declared alias such as ``y_k``) and the
body's products are entry-wise; a part that declares no such vector gets
``sum_not_supported``, any other range ``sum_range``, a bare index ``sum_index_alone``.
That reading is taken only where it IS the sum over the index (see :meth:`Resolver.sum`):
entries carry exactly the sum's indices, what does not depend on them is a scalar, the body
is element-wise in them, and the upper bound is no declared quantity; anything else is
``sum_not_entrywise`` (or ``sum_range``) at the sum.
"""
from __future__ import annotations

import difflib
import itertools
import math
import re

from lark import Token, Tree

from grader.formula.builtins import BUILTINS, NOT_ALLOWED, SPELLINGS, TRANSPOSE_MARKS
from grader.formula.nodes import Node
from grader.formula.render import to_text
from grader.formula.symbols import SymbolTable, canon
from grader.formula.syntax import FormulaInvalid, parse

_BINARY = {"add": "add", "sub": "sub", "mul": "mul", "div": "div", "matmul": "matmul",
           "hadamard": "hadamard", "frac": "div"}
_DECOR_SUFFIX = {r"\hat": "hat", r"\tilde": "tilde", r"\bar": "bar"}


def parse_formula(text: str, table: SymbolTable, notes: list | None = None) -> Node:
    """Student (or reference) text → a resolved :class:`Node`, or :class:`FormulaInvalid`.

    An answer written per entry, the way the course prints a gradient (``\\hat y_i - y_i``: entries of
    declared vectors, all with one free index that is no declared symbol), is read as the whole vector
    when it is element-wise in that index (see :meth:`Resolver.entrywise`); ``notes`` (when given)
    then receives ``("entrywise", index)``."""
    tree, where = parse(text)
    try:
        return Resolver(table, where).node(tree)
    except FormulaInvalid as exc:
        if exc.key not in ("unknown_symbol", "unknown_symbol_hint", "unknown_function", "entry_outside"):
            raise
        index = Resolver(table, where).free_index(tree)
        if index is None:
            raise
        node = Resolver(table, where).entrywise(tree, index, exc)
        if notes is not None:
            notes.append(("entrywise", "".join(index)))
        return node


class Resolver:
    def __init__(self, table: SymbolTable, where: list[int] | None = None):
        self.table = table
        self.where = where or []
        self.indices: list[tuple[str, ...]] = []   # each sum's indices as written, innermost last
        self.entries: set[int] = set()        # ids of the nodes read as entries (x_i) of the innermost sum
        self.sum_at: list[int | None] = []    # where each of those sums starts

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
        if kind == "sum":
            return self.sum(t)
        if kind == "subscripted":
            return self.subscripted(t)
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
        if self.indices:
            entry = self.entry(spelling, t)
            if entry is not None:
                return entry
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
        if parts:
            return [Node("sym", (), self.table.lookup[p][1]) for p in parts]
        return self.one_letter_factors(key)        # C_0f^k is C₀·fᵏ, x_1y^T is x₁·yᵀ

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
        glued = self.one_letter_subscript(key)
        if glued is not None:
            return glued
        head = re.split(r"[_^]", key, maxsplit=1)[0]
        if key in NOT_ALLOWED or head in ("prod", "int", "lim", "iint", "oint"):     # \prod_{k=1}^{n}, \int_0^1
            raise FormulaInvalid("not_allowed_function", None, name=head)
        if key in TRANSPOSE_MARKS:
            raise FormulaInvalid("unexpected_token", None, token=spelling)
        known = self.table.known_names()
        hints = difflib.get_close_matches(key, known + sorted(SPELLINGS), n=2, cutoff=0.6) \
            or [k for k in known if k.lower() == key.lower()][:2]          # U for u: difflib sees no likeness
        if hints:
            return _raise("unknown_symbol_hint", name=spelling, hint=" / ".join(hints),
                          known=", ".join(known) or "—")
        return _raise("unknown_symbol", name=spelling, known=", ".join(known) or "—")

    def first_token(self, key: str) -> tuple[str, str] | None:
        """An undeclared exponent name cut after its first declared name (``yz`` → y | z) or after a
        transpose mark (``Tv`` → T | v), when what is left reads as declared names; else None."""
        parts = _split(key, self.table.spellings_for_split(), self.table.is_symbol_spelling)
        if parts:
            return parts[0], "".join(parts[1:])
        if key[:1] == "T" and self.table.find("T") is None and self.glued_name(key[1:]) is not None:
            return "T", key[1:]
        return None

    def glued_name(self, key: str) -> Node | None:
        """A declared name, or declared names glued together, else None (never raises)."""
        found = self.table.find(key) if key else None
        if found is not None:
            return Node(found[0], (), found[1]) if found[0] in ("sym", "const") else None
        parts = _split(key, self.table.spellings_for_split(), self.table.is_symbol_spelling) if key else None
        if parts:
            return _implicit([Node("sym", (), self.table.lookup[p][1]) for p in parts])
        return self.one_letter_subscript(key) if key else None

    def one_letter_subscript(self, key: str) -> Node | None:
        """``x_1y`` is x₁·y: an unbraced subscript takes one letter or digit, as LaTeX renders it
        (only when the whole spelling is not declared and both pieces are)."""
        factors = self.one_letter_factors(key)
        return _implicit(factors) if factors else None

    def one_letter_factors(self, key: str) -> list[Node] | None:
        """The factors of :meth:`one_letter_subscript` (a power or transpose binds to the last one)."""
        m = _UNBRACED_SUB.fullmatch(key) if len(key) <= 60 else None
        if m is None:
            return None
        head, rest = self.table.find(m.group(1)), m.group(2)
        if head is None or head[0] not in ("sym", "const"):
            return None
        found = self.table.find(rest)
        if found is not None and found[0] in ("sym", "const"):
            tail = [Node(found[0], (), found[1])]
        else:
            parts = _split(rest, self.table.spellings_for_split(), self.table.is_symbol_spelling)
            if parts:
                tail = [Node("sym", (), self.table.lookup[p][1]) for p in parts]
            else:                                       # S_3O_3, x_1y_2z_3: the rest is glued the same way
                more = self.one_letter_factors(rest)
                if more is None:
                    return None
                tail = more
        return [Node(head[0], (), head[1])] + tail

    # -- sums -----------------------------------------------------------------
    def sum(self, t: Tree) -> Node:
        """``\\sum_{i=1}^{n} x_i y_i`` is sum(x ⊙ y) where the part declares x and y as vectors
        (their entries x_i, y_i range over i); without an index, ``\\sum x`` is sum(x).

        That reading is exact only when the body is element-wise in the index: every entry carries
        exactly the sum's own indices (``x_i`` under ``\\sum_i``, ``W_{ij}`` under ``\\sum_{i,j}``, the
        same order for all), and whatever does not depend on the index is a scalar. Anything else
        (``y_i z_j`` under ``\\sum_{i,j}``, ``W_{ii}``, ``W_{ij}`` under ``\\sum_i``, an outer index in an
        inner sum, a vector or softmax(z_i) in the body, a range up to a declared quantity) is refused
        at the sum, never read as something else."""
        head, body = t.children[0], t.children[1]
        at = self.pos(head)
        index, lower, upper = _sum_bounds(str(head))
        if index is None:
            if upper is not None:
                raise FormulaInvalid("sum_not_supported", at)
            return Node("call", (self.node(body),), "sum")
        if not _whole_range(lower, upper) or not self.free_bound(upper, index):
            raise FormulaInvalid("sum_range", at, lower=lower or "", upper=upper or "")
        if set(index) & set().union(*self.indices):       # \sum_i ... \sum_i: one index bound twice
            raise FormulaInvalid("sum_not_entrywise", at)
        outer = self.entries
        self.indices.append(index)
        self.sum_at.append(at)
        self.entries = set()
        try:
            inner = self.node(body)
            used = self.entries
        finally:
            self.indices.pop()
            self.sum_at.pop()
            self.entries = outer
        if not used:
            raise FormulaInvalid("sum_not_supported", at)
        if not self.elementwise_body(inner, used):
            raise FormulaInvalid("sum_not_entrywise", at)
        return Node("call", (_entrywise(inner, used),), "sum")

    def free_bound(self, upper: str | None, index: tuple[str, ...]) -> bool:
        """An upper bound names the vector's length: not the index itself, nor a declared quantity
        (``\\sum_{\\tau=1}^{t} g_\\tau`` with a declared t is a sum over time, not over g's entries)."""
        if upper is None:
            return True
        name = upper[:-2] if upper.endswith("-1") else upper
        key = canon(name).replace("\\", "")
        return key not in index and self.table.find(name) is None and self.table.find(key) is None

    def elementwise_body(self, node: Node, entries: set[int]) -> bool:
        """Whether sum(body read entry-wise) is the sum over the index: the parts that depend on the
        index use element-wise operations only, and the parts that do not are scalars."""
        depends: dict[int, bool] = {}
        for n in reversed(list(node.walk())):          # children before their parents
            depends[id(n)] = id(n) in entries or any(depends[id(a)] for a in n.args)
        stack = [node]
        while stack:
            n = stack.pop()
            if id(n) in entries:
                continue
            if not depends[id(n)]:
                if not self.scalar(n):
                    return False
                continue
            if n.op in ("stack", "transpose") or (n.op == "call" and not BUILTINS[n.value].elementwise):
                return False                # softmax(z_i), diag(x_i), sum(x_i + y), [x_i; y_i], x_i^T
            stack.extend(n.args)
        return True

    def free_index(self, tree: Tree) -> tuple[str, ...] | None:
        """The one index every per-entry name carries (``i`` in ``\\hat y_i - y_i``), or None when the text
        has no such names. A per-entry name is an undeclared ``base_index`` whose base is a declared vector
        (one index letter) or matrix (two), and whose index letters are no declared symbols (``y_t`` with a
        declared t is y at time t, not an entry). Entries with different indices are an error of their own."""
        found: dict[tuple[str, ...], int | None] = {}
        bound: set[str] = set()             # indices of the sums in the text: not free (Σ_j e^{z_j})
        for t in tree.iter_subtrees():
            if t.data == "sum":
                bound.update(_sum_bounds(str(t.children[0]))[0] or ())
        for t in tree.iter_subtrees():
            if t.data == "subscripted":         # softmax(z)_k: an entry of an expression
                letters = _subscript_letters(t.children[1])
                if letters and all(c.isalpha() and self.table.find(c) is None and c not in bound for c in letters):
                    found.setdefault(letters, self.pos(t.children[1]))
                continue
            if t.data not in ("plain_name", "decorated_name"):
                continue
            key = canon(self.spelling(t)).replace("\\", "")
            m = _INDEXED_ENTRY.fullmatch(key)
            if m is None or self.table.find(key) is not None:
                continue
            base = self.table.find(m.group(1) + m.group(3))
            if base is None or base[0] != "sym" or self.table.symbols[base[1]].is_scalar:
                continue
            index = tuple(m.group(2).replace(",", ""))
            dims = sum(1 for d in self.table.symbols[base[1]].shape if d > 1) or 1
            if len(index) != dims or any(self.table.find(letter) is not None or letter in bound for letter in index):
                continue
            found.setdefault(index, self.pos(t))
        if len(found) > 1:
            (first, _), (second, at) = list(found.items())[:2]
            raise FormulaInvalid("entry_indices_differ", at, first="".join(first), second="".join(second))
        for index, at in found.items():
            if list(index) != sorted(index):
                # W_{ji} alone says nothing of which is the row: the course writes W_{ij} (row i, column j), so it
                # reads as Wᵀ to some and as W to others; neither reading is taken
                raise FormulaInvalid("entry_order", at, index="".join(index), usual="".join(sorted(index)))
        return next(iter(found), None)

    def entrywise(self, tree: Tree, index: tuple[str, ...], unknown: FormulaInvalid) -> Node:
        """``tree`` read with ``index`` free: each entry ``x_i`` stands for the vector x, and the whole is
        the vector whose entry i the text gives. As with a sum (:meth:`sum`), only where that IS the
        reading: every entry carries exactly the index, what does not carry it is a number, the operations
        on entries are element-wise; anything else is refused (``entry_not_entrywise``), never read
        as something else. Without any entry read, the original error ``unknown`` stands."""
        self.indices.append(index)
        self.sum_at.append(None)
        self.entries = set()
        try:
            inner = self.node(tree)
        except FormulaInvalid as exc:
            if exc.key == "sum_index_alone":
                raise FormulaInvalid("entry_index_alone", exc.pos, index="".join(index)) from None
            if exc.key in ("sum_not_entrywise", "sum_not_supported"):
                raise FormulaInvalid("entry_not_entrywise", exc.pos, index="".join(index)) from None
            raise
        if not self.entries:
            raise unknown
        if not self.elementwise_body(inner, self.entries):
            raise FormulaInvalid("entry_not_entrywise", None, index="".join(index))
        return _entrywise(inner, self.entries)

    def subscripted(self, t: Tree) -> Node:
        """``softmax(z)_k``, ``(W x)_i``: entry k of a vector-valued expression, as the course prints it
        (``L = -\\sum_k y_k \\log\\operatorname{softmax}(z)_k``). Read only under a sum over k or in an
        answer written per entry in k (the expression then stands for itself, entry-wise); the index must
        be exactly the innermost one, one letter for a vector and two for a matrix."""
        at = self.pos(t.children[1])
        written = _subscript_letters(t.children[1])
        if not self.indices:
            raise FormulaInvalid("entry_outside", at, index="".join(written))
        # the bracket holds a whole vector (or matrix): no entry may be read inside it (softmax(z_i)_i is no
        # entry of softmax(z)); what it holds is kept as written (W x stays a matrix product: _entrywise)
        outer, self.entries = self.entries, set()
        try:
            inner = self.node(t.children[0])
            inside = self.entries
        finally:
            self.entries = outer
        if inside:
            raise FormulaInvalid("sum_not_entrywise", self._sum_or(t))
        from grader.formula.evaluate import ShapeMismatch, infer_shapes
        try:
            shape = infer_shapes(inner, self.table)[id(inner)]
        except ShapeMismatch:
            shape = None
        dims = None if shape is None or shape == (1, 1) else sum(1 for d in shape if d > 1) or 1
        if written != self.indices[-1] or dims != len(written) or len(set(written)) != len(written):
            raise FormulaInvalid("sum_not_entrywise", self._sum_or(t))       # (W)_{ii}: a diagonal, not W
        if len(written) == 1 and shape is not None and shape[0] == 1 < shape[1]:
            inner = Node("transpose", (inner,))   # (ŷᵀ)_i is ŷ_i: the entries of a row, read as a column's
        self.entries.add(id(inner))
        return inner

    def _sum_or(self, t) -> int | None:
        """Where the innermost sum starts; for an answer read per entry (no sum), where ``t`` is."""
        return self.sum_at[-1] if self.sum_at[-1] is not None else self.pos(t)

    def scalar(self, node: Node) -> bool:
        """A conservative test that a node without entries is a scalar (a vector there is refused)."""
        if node.op == "sym":
            return self.table.symbols[node.value].is_scalar
        if node.op == "call" and node.value == "sum":
            return True
        if node.op == "stack" or (node.op == "call" and node.value in ("softmax", "diag")):
            return False
        return all(self.scalar(a) for a in node.args)

    def entry(self, spelling: str, t) -> Node | None:
        """Inside a sum over i: ``x_i`` (or a declared alias such as ``y_k``) is an entry of the
        vector x; a bare index outside a subscript is refused. An entry must carry exactly the
        innermost sum's indices (one for a vector, two for a matrix), else the sum is refused."""
        key = canon(spelling).replace("\\", "")
        active = set().union(*self.indices)
        if key in active:
            raise FormulaInvalid("sum_index_alone", self.pos(t), index=key)
        m = _INDEXED_ENTRY.fullmatch(key)
        if m is None:
            return None
        index = m.group(2)
        written = (index,) if index in active else tuple(index.replace(",", ""))
        if not set(written) & active:
            return None
        whole, base = self.table.find(key), self.table.find(m.group(1) + m.group(3))
        if whole is not None and whole != base:
            # a name of its own (x_t, the input at time t; x_k a number): Σ_t x_t is a sum over time, not x's entries
            raise FormulaInvalid("sum_not_entrywise", self._sum_or(t))
        if base is not None and base[0] == "sym" and not self.table.symbols[base[1]].is_scalar:
            shape = self.table.symbols[base[1]].shape
            dims = sum(1 for d in shape if d > 1) or 1
            if written == self.indices[-1] and len(written) == dims and len(set(written)) == len(written):
                node = Node("sym", (), base[1])
                self.entries.add(id(node))
                return node
            # W_{ii}, y_{ij} of a vector, y_i z_j under \sum_{i,j}, an outer index: not this sum's entries
            raise FormulaInvalid("sum_not_entrywise", self._sum_or(t))
        # an entry of something the part does not declare as a vector: the part has no such range
        raise FormulaInvalid("sum_not_supported", self._sum_or(t))

    # -- calls and juxtaposition --------------------------------------------
    def call(self, name_tree: Tree, arg_trees: list) -> Node:
        spelling = self.spelling(name_tree)
        if self.indices:                    # \sum_i u_i (x + 1): an entry before a bracket multiplies it
            entry = self.entry(spelling, name_tree)
            if entry is not None:
                return self.product(entry, arg_trees, spelling)
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
        items = self.compound_names(_flatten_juxt(t))
        factors: list[Node] = []
        i = 0
        while i < len(items):
            item = items[i]
            fn, power = self.function_head(item)
            if fn is None and i + 1 < len(items):
                self.unknown_before_bracket(item, items[i + 1])
            if fn is None:
                factors.append(self.node(item))
                i += 1
                continue
            if i + 1 >= len(items):
                raise FormulaInvalid("function_needs_argument", None, name=fn[1])
            arg = items[i + 1]
            rows = _bracket_rows(arg)
            if fn[0] == "afunc" and rows > 1:       # E[x, y] is E called with two arguments, as E(x, y) is
                raise FormulaInvalid("arity", self.pos(item), name=fn[1], expected=1, got=rows)
            if power is None and _bracket_power(arg):
                # E[x]^2 is (E[x])²: a bracketed argument keeps its power outside the call
                kids = [c for c in arg.children if not isinstance(c, Token)]
                applied = self.apply(fn[0], fn[1], [self.node(kids[0])])
                factors.append(Node("pow", (applied, self.node(kids[1]))))
                i += 2
                continue
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

    def compound_names(self, items: list) -> list:
        """Two names side by side that together spell a declared symbol are that symbol, as printed:
        ``\\Delta\\theta_t`` (or ``\\Delta \\theta_t``) where the part declares Δθ_t; a power or transpose
        on the second name applies to the compound (``\\Delta\\theta_t^2`` is (Δθ_t)²)."""
        out: list = []
        for item in items:
            prev = out[-1] if out else None
            if prev is not None and _is_plain(prev) and isinstance(item, Tree):
                head = item if _is_plain(item) else (
                    item.children[0] if item.data in ("pow", "transpose") and item.children
                    and _is_plain(item.children[0]) else None)
                if head is not None:
                    merged = str(prev.children[0]) + str(head.children[0])
                    found = self.table.find(merged)
                    if found is not None and found[0] == "sym":
                        first = prev.children[0]
                        name = Tree("plain_name", [Token(first.type, merged, start_pos=first.start_pos)])
                        out[-1] = name if head is item else Tree(item.data, [name, *item.children[1:]])
                        continue
            out.append(item)
        return out

    def unknown_before_bracket(self, item, following) -> None:
        """``E[x]``, ``\\mathbb{E}[x]``: an undeclared name right before a bracket is taken as a function."""
        if not (isinstance(item, Tree) and item.data == "plain_name" and isinstance(following, Tree)
                and following.data in ("stack", "group")):
            return
        spelling = self.spelling(item)
        if self.table.find(spelling) is not None or self.indices:
            return
        key = canon(spelling)
        if _split(key, self.table.spellings_for_split(), self.table.is_symbol_spelling) \
                or self.one_letter_subscript(key) is not None:
            return
        if key in NOT_ALLOWED:
            raise FormulaInvalid("not_allowed_function", self.pos(item), name=key)
        if key.lower() in {k.lower() for k in self.table.known_names()}:
            return          # W[h; x] for a declared w: a mistyped symbol, named as one (with its hint)
        raise FormulaInvalid("unknown_function", self.pos(item), name=spelling.lstrip("\\"),
                             known=", ".join(self.function_names()))

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
        """``base^exp``; an unbraced exponent is one token (``e^xy`` is eˣ·y, ``e^x(1+x)`` is eˣ·(1+x)):
        what follows the exponent's first name multiplies the power."""
        exp_tree, rest = self.one_token_exponent(exp_tree)
        if rest:
            return _implicit([self.power(base_tree, exp_tree)] + rest)
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

    def one_token_exponent(self, exp_tree) -> tuple:
        """The exponent's first token and the factors after it, which multiply the power."""
        signs = 0
        core = exp_tree
        while isinstance(core, Tree) and core.data == "neg":
            signs += 1
            core = core.children[0]
        if not isinstance(core, Tree):
            return exp_tree, []
        rest: list[Node] = []
        if core.data == "plain_name" and self.table.find(self.spelling(core)) is None \
                and not self.is_transpose_mark(core):
            cut = self.first_token(canon(self.spelling(core)))
            if cut is None:
                return exp_tree, []
            tail_node = self.glued_name(cut[1])
            if tail_node is None:
                return exp_tree, []
            first = Tree("plain_name", [Token("NAME", cut[0], start_pos=_start(core))])
            rest = [tail_node]
        elif core.data == "pow" and isinstance(core.children[0], Tree) and core.children[0].data == "plain_name" \
                and self.table.find(self.spelling(core.children[0])) is None:
            cut = self.first_token(canon(self.spelling(core.children[0])))       # x^yz^2 is x^y·z²
            if cut is None:
                return exp_tree, []
            at = _start(core)
            first = Tree("plain_name", [Token("NAME", cut[0], start_pos=at)])
            tail = Tree("plain_name", [Token("NAME", cut[1], start_pos=at)])
            rest = [self.node(Tree("pow", [tail] + core.children[1:]))]
        elif core.data == "call":
            found = self.classify(core.children[0])
            args = [c for c in core.children[1].children if isinstance(c, Tree)]
            if not (found and found[0] in ("sym", "const") and len(args) == 1):
                return exp_tree, []
            first = core.children[0]
            rest = [self.node(args[0])]
        else:
            return exp_tree, []
        for _ in range(signs):
            first = Tree("neg", [first])
        return first, rest

    def is_transpose_mark(self, t) -> bool:
        while isinstance(t, Tree) and t.data == "group":
            t = t.children[0]
        if isinstance(t, Tree) and t.data == "plain_name":
            key = canon(str(t.children[0]))
            return key in TRANSPOSE_MARKS and self.table.find(key) is None
        return False


_UNBRACED_SUB = re.compile(r"(\\?[A-Za-z][A-Za-z0-9]*'*_[A-Za-z0-9])([A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9_{}]*)?)")
_INDEXED_ENTRY = re.compile(r"(.+?)_\{?([A-Za-z](?:,?[A-Za-z])*)\}?('*)")   # x_i, W_{ij}, g_{tau}, y_k'

_SUM_HEAD = re.compile(r"\\sum\s*((?:[_^]\s*(?:\{[^{}]*\}|\\?[A-Za-z0-9]+)\s*)*)")
_SCRIPT = re.compile(r"([_^])\s*(\{[^{}]*\}|\\?[A-Za-z0-9]+)")


def _start(t) -> int | None:
    tok = next((c for c in t.scan_values(lambda v: isinstance(v, Token))), None)
    return tok.start_pos if tok is not None else None


def _sum_bounds(head: str) -> tuple[tuple[str, ...] | None, str | None, str | None]:
    """The index letters, lower and upper bound of ``\\sum_{i=1}^{n}`` (None where not written)."""
    sub = sup = None
    for mark, text in _SCRIPT.findall(head[4:]):
        text = text.strip("{}").replace(" ", "")
        if mark == "_":
            sub = text
        else:
            sup = text
    if not sub:
        return None, None, sup
    var, _, lower = sub.partition("=")
    if re.fullmatch(r"\\[A-Za-z]+", var):          # a Greek index: \sum_{\tau=1}^{T}
        return (var[1:],), lower or None, sup
    letters = var.replace(",", "")
    if not letters.isalpha():
        return None, None, sup if sup is not None else sub
    return tuple(letters), lower or None, sup


def _whole_range(lower: str | None, upper: str | None) -> bool:
    """Only a sum over the whole declared range: i=1..n or i=0..n-1 (or no bounds)."""
    if lower is None:
        return upper is None
    if upper is None:
        return False
    name = re.fullmatch(r"\\?[A-Za-z][A-Za-z0-9_]*", upper) is not None
    if lower == "1":
        return name
    if lower == "0":
        return re.fullmatch(r"\\?[A-Za-z][A-Za-z0-9_]*-1", upper) is not None
    return False


def _subscript_letters(token) -> tuple[str, ...]:
    """The index letters of a SUBSCRIPT token after an expression: ``_k`` → (k,), ``_{i,j}`` → (i, j)."""
    return tuple(str(token)[1:].strip("{}").replace(",", "").replace(" ", ""))


def _entrywise(node: Node, entries: set[int]) -> Node:
    """Inside a sum, products of entries are products of numbers: element-wise. An entry itself stays as it
    is written: (W x)_i is entry i of the matrix product W x."""
    if id(node) in entries:
        return node
    args = tuple(_entrywise(a, entries) for a in node.args)
    if node.op in ("matmul", "hadamard"):
        return Node("mul", args)
    return Node(node.op, args, node.value) if args != node.args else node


def _bracket_rows(t) -> int:
    """How many entries a bracket ``[a, b]`` (also raised to a power: ``[a, b]^2``) lists; 0 for anything else."""
    if isinstance(t, Tree) and t.data == "pow":
        t = t.children[0]
    if not (isinstance(t, Tree) and t.data == "stack"):
        return 0
    return sum(1 for c in t.children[0].children if isinstance(c, Tree)) if isinstance(t.children[0], Tree) \
        and t.children[0].data == "rows" else 1


def _bracket_power(t) -> bool:
    if not (isinstance(t, Tree) and t.data == "pow"):
        return False
    base = t.children[0]
    return isinstance(base, Tree) and base.data == "stack"


def _is_plain(t) -> bool:
    return isinstance(t, Tree) and t.data == "plain_name" and len(t.children) == 1 and isinstance(t.children[0], Token)


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
