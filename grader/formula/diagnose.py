"""Naming the mistake in a wrong answer: small edits of the reference (or the answer), verified numerically.

For a wrong answer that no hand-written misconception matched, we try a bounded
set of candidate edits: of the reference (swap two symbols, use one symbol for
another, σ for tanh, add or drop a transpose, flip a sign, change an exponent by
one, drop a factor or a term) and of the answer (drop a factor or a term, add or
drop a transpose). An edit is reported only when it is *verified*: the edited
reference equals the answer (or the edited answer equals the reference) at every
sample point. A global constant factor is named exactly when it is a simple
number (2, 1/4, √3, −1/2 …), else approximately.

The reference's candidates are evaluated once per compiled reference and kept
stacked in one array, so diagnosing one answer is a single vectorised comparison;
edits of the answer are few (``MAX_ANSWER_EDITS``) and only tried when no edit of
the reference matched.

When no single edit explains the answer, combinations of two are tried, each verified
the same way before it is named (kind ``"<first>+<second>"``, both named in the message):

* a global sign or a simple constant factor on top of one edit of the reference
  (``-σ(x)`` for ``σ(x)(1 − σ(x))``: the sign, and the factor ``1 − σ(x)`` missing):
  no new evaluation, array arithmetic on the stacked candidates;
* a transpose added to or dropped from the answer, whose result is one edit of the
  reference (or its negative): at most ``MAX_ANSWER_EDITS`` evaluations per answer;
* two edits of the reference, the second a local change (transpose, swap, z for 1 − z,
  σ for tanh, sign of a term, exponent) applied to the first's result; two deletions and two
  symbol-for-symbol substitutions are never paired
  (two missing pieces explain any fragment of the reference). Computed once per reference,
  only when first needed, and capped: at most ``MAX_PAIR_EDITS`` candidate evaluations and
  ``MAX_PAIR_TRIES`` generated trees.

So the work per reference is at most ``MAX_REFERENCE_EDITS + MAX_PAIR_EDITS`` evaluations
(cached), and per wrong answer at most ``MAX_ANSWER_EDITS`` evaluations plus array work
proportional to the number of candidates.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np

from grader.formula.compare import ATOL, RTOL, median, same_up_to_factor
from grader.formula.evaluate import Env, ShapeMismatch, evaluate, infer_shapes
from grader.formula.nodes import Node
from grader.formula.render import to_text
from grader.formula.symbols import SymbolTable
from grader.messages import text

MAX_REFERENCE_EDITS = 400       # candidate edits of one reference (evaluated once)
MAX_ANSWER_EDITS = 16           # candidate edits of one answer (evaluated per wrong answer)
MAX_TREE = 80                   # larger trees are not edited node by node
MAX_PAIR_EDITS = 600            # candidate pairs of reference edits evaluated (once per reference)
MAX_PAIR_TRIES = 4000           # candidate pairs generated, evaluated or not (once per reference)

# the order in which kinds are preferred when several edits explain the same answer
PRIORITY = ("sign", "factor", "missing_transpose", "extra_transpose", "swap", "substitute", "function",
            "sign_term", "exponent", "missing_factor", "missing_term", "extra_factor", "extra_term")
_SWAP_FUNCTIONS = {"sigma": ("tanh", "relu"), "tanh": ("sigma",), "sigma_prime": ("tanh_prime",),
                   "tanh_prime": ("sigma_prime",), "exp": ("log",), "log": ("exp",), "relu": ("sigma",)}
_DISPLAY = {"sigma": "σ", "sigma_prime": "σ'", "tanh_prime": "tanh'"}


# edits that change one place without removing anything: the second edit of a pair is one of these
LOCAL = ("missing_transpose", "extra_transpose", "swap", "substitute", "function", "sign_term", "exponent")
DELETIONS = ("missing_factor", "missing_term")


@dataclass(frozen=True)
class Diagnosis:
    """A verified mistake: ``kind`` (one of :data:`PRIORITY`, or ``"a+b"`` for two of them, ``parts``
    then holding both), a message key and its parameters."""

    kind: str
    key: str
    params: dict = field(default_factory=dict)
    parts: tuple = ()

    def message(self, lang: str) -> str:
        if self.parts:
            first, second = (p.short(lang) for p in self.parts)
            return text("diag_pair", lang, first=first, second=second)
        return text(self.key, lang, **self.params)

    def short(self, lang: str) -> str:
        """The mistake as a clause, for a pair's message."""
        return text(_SHORT.get(self.key, "diag_short_" + self.key.removeprefix("diag_")), lang, **self.params)


_SHORT = {"sign_error": "diag_short_sign", "diag_factor_exact": "diag_short_factor"}


def _pair(first: Diagnosis, second: Diagnosis) -> Diagnosis:
    """Two mistakes, in the order of :data:`PRIORITY` (whichever was found first): one kind per pair."""
    if PRIORITY.index(second.kind) < PRIORITY.index(first.kind):
        first, second = second, first
    return Diagnosis(f"{first.kind}+{second.kind}", "diag_pair", {}, (first, second))


@dataclass
class Candidates:
    """A reference's candidate edits, with their values stacked: (K, N, rows, cols). ``trees`` are the
    edited references (for pairs); ``pairs`` the candidate pairs, computed when first needed."""

    items: list[Diagnosis]
    values: np.ndarray | None
    trees: list = field(default_factory=list)
    pairs: Candidates | None = None


# -- tree edits --------------------------------------------------------------------------------

def _nodes(root: Node):
    """(path, node) for every node, preorder; a path is the tuple of argument indices."""
    stack: list[tuple[tuple[int, ...], Node]] = [((), root)]
    while stack:
        path, node = stack.pop()
        yield path, node
        for i in range(len(node.args) - 1, -1, -1):
            stack.append((path + (i,), node.args[i]))


def _at(root: Node, path) -> Node:
    for i in path:
        root = root.args[i]
    return root


def _replace(root: Node, path, new: Node) -> Node:
    if not path:
        return new
    i = path[0]
    args = list(root.args)
    args[i] = _replace(args[i], path[1:], new)
    return Node(root.op, tuple(args), root.value)


def _map(root: Node, fn) -> Node:
    """``root`` with every node for which ``fn`` returns a node replaced (not looked into further)."""
    new = fn(root)
    if new is not None:
        return new
    if not root.args:
        return root
    return Node(root.op, tuple(_map(a, fn) for a in root.args), root.value)


def _num(v: float) -> Node:
    return Node("num", (), float(v))


ONE = _num(1)


def _show(node: Node, table: SymbolTable) -> str:
    out = to_text(node, table)
    for name, shown in _DISPLAY.items():
        out = out.replace(f"{name}(", f"{shown}(")
    return out


# -- simple numbers ------------------------------------------------------------------------------

def simple_number(c: float) -> str | None:
    """``c`` as a simple exact number (``2``, ``-1/4``, ``√3``, ``√2/2``, ``1/√3``), or None."""
    if not math.isfinite(c) or c == 0:
        return None
    sign = "-" if c < 0 else ""
    a = abs(c)
    for q in range(1, 13):                       # p/q
        p = round(a * q)
        if 1 <= p <= 144 and math.isclose(a, p / q, rel_tol=1e-9):
            f = Fraction(p, q)
            return sign + (str(f.numerator) if f.denominator == 1 else f"{f.numerator}/{f.denominator}")
    for n in (2, 3, 5, 6, 7, 8, 10, 11, 12):         # p·√n/q and p/(q·√n)
        for q in range(1, 13):
            p = round(a * q / math.sqrt(n))
            if 1 <= p <= 12 and math.isclose(a, p * math.sqrt(n) / q, rel_tol=1e-9):
                f = Fraction(p, q)
                num = ("" if f.numerator == 1 else str(f.numerator)) + f"√{n}"
                return sign + (num if f.denominator == 1 else f"{num}/{f.denominator}")
    return None


# -- candidates --------------------------------------------------------------------------------

def _reference_edits(ref: Node, table: SymbolTable, shapes: dict, second: bool = False):
    """(kind, params, edited tree) for the reference's candidate edits, most specific kinds first.
    ``second``: only the local edits a pair's second edit may be, without one symbol for another of
    the table (their number grows with the table's size)."""
    show = lambda n: _show(n, table)  # noqa: E731
    nodes = list(_nodes(ref))
    if len(nodes) > MAX_TREE:
        return
    # transposes: the answer lacks one the reference has, or has one the reference lacks
    for path, n in nodes:
        if n.op == "transpose":
            yield "missing_transpose", {"name": show(n.args[0]), "fixed": show(n)}, _replace(ref, path, n.args[0])
    for path, n in nodes:
        shape = shapes.get(id(n), (1, 1))
        if n.op == "transpose" or shape == (1, 1) or n.op not in ("sym", "afunc", "call", "stack", "matmul"):
            continue
        if not path or _at(ref, path[:-1]).op != "transpose":
            yield "extra_transpose", {"name": show(n), "got": show(Node("transpose", (n,)))}, \
                _replace(ref, path, Node("transpose", (n,)))
    # two symbols swapped; z and 1 − z swapped
    used = sorted(ref.symbols())
    for i, a in enumerate(used):
        for b in used[i + 1:]:
            def swap(n, a=a, b=b):
                if n.op == "sym" and n.value in (a, b):
                    return Node("sym", (), b if n.value == a else a)
                return None
            yield "swap", {"a": a, "b": b}, _map(ref, swap)
    seen = set()
    for _path, n in nodes:
        if n.op == "sub" and n.args[0] == ONE and n.args[1] not in seen:
            x = n.args[1]
            seen.add(x)
            def flip(m, x=x, n=n):
                if m == n:
                    return x
                if m == x:
                    return n
                return None
            yield "swap", {"a": show(x), "b": show(n)}, _map(ref, flip)
    # one occurrence of z used for 1 − z, or of 1 − z for z
    complements = {n.args[1]: n for _, n in nodes if n.op == "sub" and n.args[0] == ONE}
    for path, n in nodes:
        if n in complements:
            yield "substitute", {"got": show(complements[n]), "expected": show(n)}, _replace(ref, path, complements[n])
        elif n.op == "sub" and n.args[0] == ONE:
            yield "substitute", {"got": show(n.args[1]), "expected": show(n)}, _replace(ref, path, n.args[1])
    # operands of an ordered operation swapped: [a; b] → [b; a], A B → B A
    for path, n in nodes:
        if n.op in ("stack", "matmul") and len(n.args) == 2 and n.args[0] != n.args[1]:
            yield "swap", {"a": show(n.args[0]), "b": show(n.args[1])}, \
                _replace(ref, path, Node(n.op, n.args[::-1], n.value))
    # one symbol used for another of the same shape; σ for tanh
    for a in used if not second else ():
        for b in sorted(table.symbols):
            if b != a and table.symbols[b].shape == table.symbols[a].shape:
                def sub(n, a=a, b=b):
                    return Node("sym", (), b) if n.op == "sym" and n.value == a else None
                yield "substitute", {"got": b, "expected": a}, _map(ref, sub)
    for name in sorted(ref.functions()):
        for other in _SWAP_FUNCTIONS.get(name, ()):
            def fsub(n, name=name, other=other):
                if n.op == "call" and n.value == name:
                    return Node("call", tuple(_map(a, fsub) for a in n.args), other)
                return None
            yield "function", {"got": _DISPLAY.get(other, other), "expected": _DISPLAY.get(name, name)}, _map(ref, fsub)
    # one sign flipped: a + b ↔ a − b, −x ↔ x
    for path, n in nodes:
        flipped = None
        if n.op == "add":
            flipped = Node("sub", n.args)
        elif n.op == "sub":
            flipped = Node("add", n.args)
        elif n.op == "neg" and path:
            flipped = n.args[0]
        if flipped is not None:
            yield "sign_term", {"expected": show(n), "got": show(flipped)}, _replace(ref, path, flipped)
    # an exponent off by one (a missing or an extra square included)
    for path, n in nodes:
        if n.op == "pow":
            e = n.args[1]
            for d in (1, -1):
                if e.op == "num":
                    new_e = _num(e.value + d)
                else:
                    new_e = Node("add" if d > 0 else "sub", (e, ONE))
                new = Node("pow", (n.args[0], new_e)) if not (e.op == "num" and e.value + d == 1) else n.args[0]
                yield "exponent", {"base": show(n.args[0]), "expected": show(n), "got": show(new)}, \
                    _replace(ref, path, new)
        elif n.op in ("sym", "call", "afunc") and shapes.get(id(n), (1, 1)) == (1, 1):
            new = Node("pow", (n, _num(2)))
            yield "exponent", {"base": show(n), "expected": show(n), "got": show(new)}, _replace(ref, path, new)
    if second:
        return
    # a factor or a term missing from the answer
    def located(kind, params, path, n, new):
        """Inside the reference, say where: the part of it that the answer has in another form."""
        if path:
            kind_params = {**params, "expected": show(n), "got": show(new)}
            return kind + "_in", kind_params, _replace(ref, path, new)
        return kind, params, new

    for path, n in nodes:
        if n.op in ("mul", "hadamard", "matmul"):
            for keep, drop in ((0, 1), (1, 0)):
                if n.args[drop].op != "num" or n.args[drop].value not in (1.0, -1.0):
                    yield located("missing_factor", {"factor": show(n.args[drop])}, path, n, n.args[keep])
        elif n.op == "div":
            yield located("missing_factor", {"factor": _reciprocal(n.args[1], table)}, path, n, n.args[0])
        elif n.op == "add":
            for keep, drop in ((0, 1), (1, 0)):
                yield located("missing_term", {"term": show(n.args[drop])}, path, n, n.args[keep])
        elif n.op == "sub":
            subtrahend = n.args[1]
            if subtrahend.op in ("sym", "call", "afunc", "num"):
                minus = "-" + show(subtrahend)
            else:
                minus = f"-({show(subtrahend)})"
            yield located("missing_term", {"term": minus}, path, n, n.args[0])
            yield located("missing_term", {"term": show(n.args[0])}, path, n, Node("neg", (n.args[1],)))


def _answer_edits(node: Node, table: SymbolTable, shapes: dict | None, transposes_only: bool = False):
    """(kind, params, edited answer) for edits of the answer: drop a factor or a term, add or drop a transpose."""
    show = lambda n: _show(n, table)  # noqa: E731
    nodes = list(_nodes(node))
    if len(nodes) > MAX_TREE:
        return
    for path, n in nodes:
        if n.op == "transpose":
            yield "extra_transpose", {"name": show(n.args[0]), "got": show(n)}, _replace(node, path, n.args[0])
        elif (n.op == "sym" and table.symbols[n.value].shape != (1, 1)
              and (not path or _at(node, path[:-1]).op != "transpose")):
            yield "missing_transpose", {"name": show(n), "fixed": show(Node("transpose", (n,)))}, \
                _replace(node, path, Node("transpose", (n,)))
    if transposes_only:
        return
    for path, n in sorted(nodes, key=lambda pn: len(pn[0])):      # nearest the top first
        if n.op in ("mul", "hadamard", "matmul"):
            for keep, drop in ((0, 1), (1, 0)):
                yield "extra_factor", {"factor": show(n.args[drop])}, _replace(node, path, n.args[keep])
        elif n.op == "div":
            yield "extra_factor", {"factor": _reciprocal(n.args[1], table)}, _replace(node, path, n.args[0])
        elif n.op in ("add", "sub"):
            for keep, drop in ((0, 1), (1, 0)):
                if n.op == "sub" and drop == 0:
                    new = Node("neg", (n.args[1],))
                else:
                    new = n.args[keep]
                term = show(n.args[drop]) if not (n.op == "sub" and drop == 1) else "-" + show(n.args[1])
                yield "extra_term", {"term": term}, _replace(node, path, new)


def _reciprocal(n: Node, table: SymbolTable) -> str:
    inner = _show(n, table)
    return f"1/{inner}" if n.op in ("sym", "num", "call", "afunc", "const") else f"1/({inner})"


# -- matching ----------------------------------------------------------------------------------

_KEYS = {"missing_transpose": "diag_missing_transpose", "extra_transpose": "diag_extra_transpose",
         "swap": "diag_swap", "substitute": "diag_substitute", "function": "diag_substitute",
         "sign_term": "diag_sign_term", "exponent": "diag_exponent", "missing_factor": "diag_missing_factor",
         "missing_term": "diag_missing_term", "extra_factor": "diag_extra_factor", "extra_term": "diag_extra_term",
         "missing_factor_in": "diag_missing_factor_in", "missing_term_in": "diag_missing_term_in"}


def reference_candidates(ref: Node, ref_values: np.ndarray, table: SymbolTable, env: Env) -> Candidates:
    """Every candidate edit of ``ref`` that type-checks to the reference's shape and changes its value."""
    shapes = infer_shapes(ref, table)
    shape = shapes[id(ref)]
    items, values, trees, seen = [], [], [], set()
    for count, (kind, params, edited) in enumerate(_reference_edits(ref, table, shapes)):
        if count >= MAX_REFERENCE_EDITS:
            break
        if edited == ref or edited in seen:
            continue
        seen.add(edited)
        v = _value_of_shape(edited, shape, table, env)
        if v is None:
            continue
        items.append(Diagnosis(kind.removesuffix("_in"), _KEYS[kind], params))
        values.append(v)
        trees.append(edited)
    stacked = np.stack(values) if values else None
    return Candidates(items, stacked, trees)


def pair_candidates(ref: Node, cands: Candidates, table: SymbolTable, env: Env) -> Candidates:
    """Pairs of edits of ``ref``: each single edit followed by one local edit of its result (never two
    deletions), verified to type-check to the reference's shape and to differ from the reference and from
    every single edit. Bounded by :data:`MAX_PAIR_EDITS` evaluations and :data:`MAX_PAIR_TRIES` trees."""
    if cands.pairs is not None:
        return cands.pairs
    shape = infer_shapes(ref, table)[id(ref)]
    seen = {ref, *cands.trees}
    items: list[Diagnosis] = []
    values: list[np.ndarray] = []
    tries = 0
    order = sorted(range(len(cands.items)), key=lambda k: PRIORITY.index(cands.items[k].kind))
    for k in order:
        first, tree = cands.items[k], cands.trees[k]
        try:
            tshapes = infer_shapes(tree, table)
        except (ShapeMismatch, KeyError):
            continue
        for kind, params, edited in _reference_edits(tree, table, tshapes, second=True):
            tries += 1
            if tries > MAX_PAIR_TRIES or len(values) >= MAX_PAIR_EDITS:
                break
            base = kind.removesuffix("_in")
            if base not in LOCAL or edited in seen:
                continue
            seen.add(edited)
            v = _value_of_shape(edited, shape, table, env)
            if v is None:
                continue
            values.append(v)
            items.append(_pair(first, Diagnosis(base, _KEYS[kind], params)))
        else:
            continue
        break
    cands.pairs = Candidates(items, np.stack(values) if values else None)
    return cands.pairs


def _matches(answer: np.ndarray, cands: np.ndarray, ref: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """For each candidate (K, N, r, c): does it equal ``answer`` at every point where it and the reference
    are defined?"""
    with np.errstate(all="ignore"):
        scale = median(np.abs(ref[mask])) if mask.any() else 1.0
        finite = np.isfinite(cands).all(axis=(2, 3)) & mask[None, :]            # (K, N)
        ok = np.abs(cands - answer[None]) <= ATOL * max(1.0, scale) + RTOL * np.abs(cands)
        ok = ok.all(axis=(2, 3)) | ~finite
        enough = finite.sum(axis=1) >= max(3, int(0.8 * mask.sum()))
        return ok.all(axis=1) & enough


def _rank(d: Diagnosis) -> int:
    """Simpler first: one mistake before two; of two, the earlier kinds, and a transpose of a whole
    expression (a roundabout name for a swap) after one of a symbol."""
    if d.parts:
        return len(PRIORITY) + sum(_rank(p) + 2 * _compound_transpose(p) for p in d.parts)
    return PRIORITY.index(d.kind)


def _compound_transpose(d: Diagnosis) -> bool:
    return d.kind.endswith("transpose") and any(ch in str(d.params.get("name", "")) for ch in " @*()+-/^[;")


def _best(found: list[Diagnosis]) -> Diagnosis | None:
    if not found:
        return None
    return min(found, key=_rank)


def diagnose(answer: Node, answer_values: np.ndarray | None, ref: Node, ref_values: np.ndarray,
             mask: np.ndarray, table: SymbolTable, env: Env, candidates: Candidates | None = None) -> Diagnosis | None:
    """The verified mistake that turns ``ref`` into ``answer``, or None.

    ``answer_values`` is None when the answer does not type-check to the reference's shape
    (then only edits of the answer are tried). ``candidates`` are the reference's, if cached.
    """
    if answer_values is not None:
        factor = _global(answer_values, ref_values, mask) if mask.sum() >= 3 else None
        if factor is not None and factor.kind == "sign":
            return factor
        if candidates is None:
            candidates = reference_candidates(ref, ref_values, table, env)
        if candidates.values is not None:
            hits = _matches(answer_values, candidates.values, ref_values, mask)
            found = [candidates.items[i] for i in np.flatnonzero(hits)]
            if found:
                return _best(found)
        if factor is not None:
            return factor
        single = _extra_top_level(answer, answer_values, ref_values, mask, table, env)
        if single is not None:
            return single
        return _two(answer, answer_values, ref, ref_values, mask, table, env, candidates)
    single = _answer_side(answer, ref_values, mask, table, env)
    if single is not None:
        return single
    candidates = candidates or reference_candidates(ref, ref_values, table, env)
    return _two(answer, None, ref, ref_values, mask, table, env, candidates)


# -- two mistakes ---------------------------------------------------------------------------------

def _two(answer: Node, values, ref: Node, ref_values, mask, table, env, cands: Candidates) -> Diagnosis | None:
    """Two verified mistakes (see the module's docstring), the simplest pair first; or None."""
    if mask.sum() < 3:
        return None
    found: list[Diagnosis] = []
    if values is not None and cands.values is not None:
        found += _scaled_single(values, ref_values, mask, cands)
    found += _answer_edit_then_single(answer, ref_values, mask, table, env, cands)
    if not found and values is not None:
        pairs = pair_candidates(ref, cands, table, env)
        if pairs.values is not None:
            hits = _matches(values, pairs.values, ref_values, mask)
            found = [pairs.items[i] for i in np.flatnonzero(hits)]
    return _best(found)


def _scaled_single(values, ref_values, mask, cands: Candidates) -> list[Diagnosis]:
    """The answer = λ × (one edit of the reference), λ = −1 (a sign) or a simple number (a number never with
    a factor or term missing: a piece replaced by a number is one mistake, not two)."""
    assert cands.values is not None
    with np.errstate(all="ignore"):
        c = cands.values
        ratios = values[None] / c
        usable = mask[None, :, None, None] & (np.abs(c) > 1e-9) & np.isfinite(ratios)
        flat = np.sort(np.where(usable, ratios, np.nan).reshape(len(c), -1), axis=1)     # NaN sorted last
        count = usable.reshape(len(c), -1).sum(axis=1)
        enough = count >= 3
        lam = flat[np.arange(len(c)), np.maximum(count - 1, 0) // 2]      # a median (verified below)
        lam = np.where(enough & np.isfinite(lam) & (np.abs(lam) > 1e-12), lam, 1.0)
        verified = _matches(values, lam[:, None, None, None] * c, ref_values, mask)
    out = []
    for k in np.flatnonzero(verified & ~np.isclose(lam, 1.0, rtol=1e-6, atol=0)):
        factor, first = float(lam[k]), cands.items[k]
        if math.isclose(factor, -1.0, rel_tol=1e-9):
            out.append(_pair(Diagnosis("sign", "sign_error", {}), first))
            continue
        exact = simple_number(factor)
        if exact is not None and first.kind not in DELETIONS:
            out.append(_pair(Diagnosis("factor", "diag_factor_exact", {"factor": exact}), first))
    return out


def _answer_edit_then_single(answer: Node, ref_values, mask, table, env, cands: Candidates) -> list[Diagnosis]:
    """One edit of the answer (≤ MAX_ANSWER_EDITS evaluations) whose result is one edit of the reference,
    or the reference's negative."""
    out = []
    # (an extra factor or term of the answer with one more edit explains too much: not paired)
    for kind, params, v in _shaped_edits(answer, ref_values, table, env, transposes_only=True):
        mine = Diagnosis(kind, _KEYS[kind], params)
        if _equal(-v, ref_values, mask):
            out.append(_pair(mine, Diagnosis("sign", "sign_error", {})))
        if cands.values is not None:
            hits = _matches(v, cands.values, ref_values, mask)
            out += [_pair(mine, cands.items[i]) for i in np.flatnonzero(hits)]
    return out


def _extra_top_level(answer: Node, values, ref_values, mask, table, env) -> Diagnosis | None:
    """An extra term of the answer's top-level sum, or an extra factor of its top-level product.

    One evaluation of the answer (every sub-expression's value kept), then array arithmetic only:
    answer − term (or answer ÷ factor) compared with the reference."""
    try:
        shapes = infer_shapes(answer, table)
    except (ShapeMismatch, KeyError):
        return None
    memo: dict = {}
    evaluate(answer, env, shapes, memo)
    show = lambda n: _show(n, table)  # noqa: E731
    n_points = values.shape[0]

    def value(node):
        return np.broadcast_to(memo[id(node)], (n_points,) + shapes[id(node)])

    terms = _flatten_signed(answer, ("add", "sub"))
    if len(terms) > 1:
        for sign, term in terms:
            with np.errstate(all="ignore"):
                rest = values - sign * value(term)
            if _equal(rest, ref_values, mask):
                return Diagnosis("extra_term", _KEYS["extra_term"], {"term": ("-" if sign < 0 else "") + show(term)})
    factors = _flatten_signed(answer, ("mul", "hadamard", "div"), shapes)
    if len(factors) > 1:
        for sign, f in factors:
            with np.errstate(all="ignore"):
                rest = values / value(f) if sign > 0 else values * value(f)
            if _equal(rest, ref_values, mask):
                name = show(f) if sign > 0 else _reciprocal(f, table)
                return Diagnosis("extra_factor", _KEYS["extra_factor"], {"factor": name})
    return None


def _flatten_signed(node: Node, ops, shapes=None) -> list[tuple[int, Node]]:
    """The operands of a chain of ``ops`` at the top, with +1 / −1 for subtracted terms (or divisors)."""
    out: list[tuple[int, Node]] = []
    stack = [(1, node)]
    while stack and len(out) < MAX_ANSWER_EDITS:
        sign, n = stack.pop()
        elementwise = shapes is None or n.op != "matmul"
        if n.op in ops and elementwise:
            second = -sign if n.op in ("sub", "div") else sign
            stack.append((second, n.args[1]))
            stack.append((sign, n.args[0]))
        elif n.op == "matmul" and shapes is not None and "mul" in ops and \
                any(shapes.get(id(a)) == (1, 1) for a in n.args):
            stack.append((sign, n.args[1]))
            stack.append((sign, n.args[0]))
        else:
            out.append((sign, n))
    return out


def _global(values: np.ndarray, ref: np.ndarray, mask: np.ndarray) -> Diagnosis | None:
    factor = same_up_to_factor(values, ref, mask)
    if factor is None:
        return None
    if math.isclose(factor, -1.0, rel_tol=1e-9):
        return Diagnosis("sign", "sign_error", {})
    exact = simple_number(factor)
    if exact is not None:
        return Diagnosis("factor", "diag_factor_exact", {"factor": exact})
    return None          # an unnamed factor: the caller's approximate message


def _shaped_edits(answer: Node, ref_values, table, env, transposes_only: bool = False):
    """(kind, params, values) of the answer's edits (the first MAX_ANSWER_EDITS) that have the reference's shape."""
    target = ref_values.shape[1:]
    for count, (kind, params, edited) in enumerate(_answer_edits(answer, table, None, transposes_only=transposes_only)):
        if count >= MAX_ANSWER_EDITS:
            return
        v = _value_of_shape(edited, target, table, env)
        if v is not None:
            yield kind, params, v


def _value_of_shape(edited: Node, shape, table: SymbolTable, env: Env) -> np.ndarray | None:
    """The values of an edited tree at the sample points, or None when it does not type-check to ``shape``."""
    try:
        shapes = infer_shapes(edited, table)
    except (ShapeMismatch, KeyError):
        return None
    return evaluate(edited, env, shapes) if shapes[id(edited)] == tuple(shape) else None


def _answer_side(answer: Node, ref_values, mask, table, env) -> Diagnosis | None:
    found = []
    for kind, params, v in _shaped_edits(answer, ref_values, table, env):
        if _equal(v, ref_values, mask):
            found.append(Diagnosis(kind, _KEYS[kind], params))
            if kind in ("missing_transpose", "extra_transpose"):
                break
    return _best(found)


def _equal(v: np.ndarray, ref: np.ndarray, mask: np.ndarray) -> bool:
    return bool(_matches(v, ref[None], ref, mask)[0])
