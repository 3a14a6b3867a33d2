"""What an answer really uses: its functions once dead sub-expressions are removed.

Form rules ("in terms of σ", "no tanh", "of the form σ(…)") must judge the
expression, not its text: ``g + 0*σ(x)``, ``g + σ(x) - σ(x)`` or
``g * σ(x)/σ(x)`` do not use σ. A sub-expression is dead when removing it
leaves the value unchanged at every sample point:

- a sub-expression whose value is one constant (``0*σ(x)``, ``σ(x)^0``,
  ``exp(0*σ(x))``, ``(σ(x) - σ(x))*h``);
- terms of a sum that add up to nothing (``σ(x) - σ(x)``, ``σ(x) + σ(-x) - 1``,
  ``1e-12*σ(x)``), factors of a product that multiply to one (``σ(x)/σ(x)``);
- an operation whose value is one of its operands (``max(g, σ(x) - 9)``, ``g^(σ/σ)``).

A function is live when it survives that pruning *and* the value changes when
that function alone is perturbed; the second test catches cancellations of any
size or shape (``log(σ·g) - log(σ)``). Both use the part's own sample points
and the vectorised evaluator, so the cost is a few array operations.
"""
from __future__ import annotations

from itertools import combinations

import numpy as np

from grader.formula.compare import ATOL, RTOL, median
from grader.formula.evaluate import Env, evaluate
from grader.formula.nodes import Node

FULL_SEARCH = 10          # terms (or factors) up to which every subset is tried
PAIR_SEARCH = 120         # above this, only single terms and per-function groups
EPS = 1e-3                # relative size of a perturbation


def _perturbed(out: np.ndarray) -> np.ndarray:
    return out * (1.0 + EPS * np.sin(7.0 * out + 0.7))


class Liveness:
    """Dead-term analysis of one parsed answer at a part's sample points."""

    def __init__(self, node: Node, env: Env, shapes: dict, mask: np.ndarray,
                 keep=frozenset(), drop=frozenset()):
        """``keep``/``drop``: the part's required/forbidden functions, to break ties between
        equally small cancelling groups (see :func:`_best_subset`)."""
        self.node, self.env, self.shapes = node, env, shapes
        self.keep, self.drop = set(keep), set(drop)
        self.values: dict[int, np.ndarray] = {}
        evaluate(node, env, shapes, memo=self.values)
        self.mask = mask & np.isfinite(self.full(node)).all(axis=(1, 2))
        self._live: dict[int, frozenset] = {}
        self._kept: dict[int, list] = {}

    # -- values ---------------------------------------------------------------
    def full(self, n: Node, shape=None) -> np.ndarray:
        shape = (self.env.n,) + tuple(shape or self.shapes[id(n)])
        v = self.values[id(n)]
        if v.shape == shape:                # most values: no broadcast view needed (read-only use only)
            return v
        return np.broadcast_to(v, shape)

    def flat(self, n: Node, shape=None) -> np.ndarray:
        return self.full(n, shape)[self.mask].reshape(-1)

    def constant(self, n: Node) -> bool:
        v = self.flat(n)
        if v.size == 0 or not np.isfinite(v).all():
            return False
        c = median(v)
        return bool(np.all(np.abs(v - c) <= ATOL * max(1.0, abs(c)) + RTOL * abs(c)))

    def same(self, a: Node, b: Node) -> bool:
        """Is ``a``'s value ``b``'s (same shape) at every point?"""
        if self.shapes[id(a)] != self.shapes[id(b)]:
            return False
        va, vb = self.flat(a), self.flat(b)
        return bool(vb.size and np.isfinite(va).all() and _close(va, vb).all())

    # -- structure ------------------------------------------------------------
    def kept(self, n: Node) -> list[tuple[Node, int]]:
        """The live terms of a sum, or factors of a product, with their sign or exponent."""
        if id(n) not in self._kept:
            if _is_sum(n):
                self._kept[id(n)] = self._prune(n, _terms(n, 1), additive=True)
            else:
                self._kept[id(n)] = self._prune(n, _factors(n, 1, self.shapes), additive=False)
        return self._kept[id(n)]

    def _prune(self, n: Node, items: list[tuple[Node, int]], additive: bool) -> list[tuple[Node, int]]:
        shape = self.shapes[id(n)]
        total = self.flat(n)
        rows = []
        for item, k in items:
            v = self.flat(item, shape) if self.shapes[id(item)] == shape or self.shapes[id(item)] == (1, 1) else None
            if v is not None:
                with np.errstate(all="ignore"):
                    v = k * v if additive else (v if k > 0 else 1.0 / v)
            rows.append(v if v is not None else np.full(total.shape, np.nan))
        functions = [item.functions() for item, _ in items]
        pref = [bool(f & self.drop) - bool(f & self.keep) for f in functions]
        dead = _dead_subset(np.array(rows).reshape(len(items), -1), total, additive, functions, pref)
        return [it for i, it in enumerate(items) if i not in dead]

    def passthrough(self, n: Node) -> Node | None:
        """An operand with the operation's own value (the operation is then dead)."""
        for a in n.args:
            if self.same(a, n):
                return a
        return None

    def live(self, n: Node) -> frozenset:
        """The functions ``n`` really uses (structural pruning only)."""
        key = id(n)
        if key not in self._live:
            self._live[key] = self._live_of(n)
        return self._live[key]

    def _live_of(self, n: Node) -> frozenset:
        if not n.args or self.constant(n):
            return frozenset()
        if _is_sum(n) or _is_product(n, self.shapes):
            return frozenset().union(*(self.live(t) for t, _ in self.kept(n)))
        through = self.passthrough(n)
        if through is not None:
            return self.live(through)
        own = {n.value} if n.op in ("call", "afunc") else set()
        return frozenset(own).union(*(self.live(a) for a in n.args))

    def depends(self, n: Node, name: str) -> bool:
        """Does ``n``'s value change when function ``name`` alone is perturbed?"""
        changed = evaluate(n, self.env, self.shapes, perturb={name: _perturbed})[self.mask].reshape(-1)
        base = self.flat(n)
        ok = np.isfinite(changed)
        if not ok.any():
            return True                     # cannot tell: trust the structural answer
        return not bool(_close(changed[ok], base[ok]).all())

    def uses(self, name: str, n: Node | None = None) -> bool:
        """Is function ``name`` live in ``n`` (default: the whole answer)?"""
        n = self.node if n is None else n
        return name in self.live(n) and self.depends(n, name)

    def used(self, names, n: Node | None = None) -> set[str]:
        return {name for name in names if self.uses(name, n)}

    def core(self) -> Node:
        """The answer with dead wrappers removed: ``σ(-x)*1 + 0*h`` → ``σ(-x)``."""
        n = self.node
        while n.args and not self.constant(n):
            if _is_sum(n) or _is_product(n, self.shapes):
                kept = self.kept(n)
                if len(kept) != 1 or kept[0][1] != 1:
                    return n
                n = kept[0][0]
                continue
            through = self.passthrough(n)
            if through is None:
                return n
            n = through
        return n


def _close(got: np.ndarray, ref: np.ndarray) -> np.ndarray:
    with np.errstate(all="ignore"):
        scale = median(np.abs(ref)) if ref.size else 1.0
        return np.abs(got - ref) <= ATOL * max(1.0, scale) + RTOL * np.abs(ref)


def _is_sum(n: Node) -> bool:
    return n.op in ("add", "sub", "neg")


def _is_product(n: Node, shapes) -> bool:
    if n.op in ("mul", "hadamard", "div"):
        return True
    return n.op == "matmul" and any(shapes[id(a)] == (1, 1) for a in n.args)


def _terms(n: Node, sign: int) -> list[tuple[Node, int]]:
    if n.op == "add":
        return _terms(n.args[0], sign) + _terms(n.args[1], sign)
    if n.op == "sub":
        return _terms(n.args[0], sign) + _terms(n.args[1], -sign)
    if n.op == "neg":
        return _terms(n.args[0], -sign)
    return [(n, sign)]


def _factors(n: Node, power: int, shapes) -> list[tuple[Node, int]]:
    if _is_product(n, shapes):
        second = -power if n.op == "div" else power
        return _factors(n.args[0], power, shapes) + _factors(n.args[1], second, shapes)
    return [(n, power)]


def _dead_subset(rows: np.ndarray, total: np.ndarray, additive: bool, functions: list[set],
                 pref: list[int]) -> set[int]:
    """The largest set of items whose removal leaves ``total`` unchanged.

    ``rows`` holds each item's contribution (a signed term, or a factor to its
    power) at every point; unusable rows (NaN) are never removed. Every subset
    is tried for up to FULL_SEARCH items; beyond that, single items, pairs, and
    the group of items using each function (alone, then with the constant items),
    then every subset of what is left.
    """
    k = len(rows)
    usable = [i for i in range(k) if rows[i].size and np.isfinite(rows[i]).all()
              and (additive or (rows[i] != 0).all())]
    if not usable or total.size == 0:
        return set()
    tol = ATOL * max(1.0, median(np.abs(total))) + RTOL * np.abs(total)
    signs = None if additive else np.sign(rows)
    logs = None
    if not additive:
        with np.errstate(all="ignore"):
            logs = np.log(np.abs(rows))

    def removable(idx) -> bool:
        idx = list(idx)
        if additive:
            return bool((np.abs(rows[idx].sum(axis=0)) <= tol).all())
        assert logs is not None and signs is not None     # both are computed when not additive
        prod = np.exp(logs[idx].sum(axis=0)) * np.prod(signs[idx], axis=0)
        return bool((np.abs(total - total / prod) <= tol).all()) and bool((np.abs(prod - 1) <= 1e-6).all())

    dead: set[int] = set()
    live = list(usable)
    if len(live) > FULL_SEARCH:
        for size in (1, 2):
            if size == 2 and len(live) > PAIR_SEARCH:
                break
            for combo in combinations(list(live), size):
                if not dead.intersection(combo) and removable(sorted(dead) + list(combo)):
                    dead.update(combo)
            live = [i for i in live if i not in dead]
        constants = [i for i in live if np.ptp(rows[i]) <= tol.max()]
        for name in sorted(set().union(*(functions[i] for i in live)) if live else ()):
            group = [i for i in live if name in functions[i]]
            for candidate in (group, sorted(set(group) | set(constants))):
                if candidate and not dead.intersection(candidate) and removable(sorted(dead) + candidate):
                    dead.update(candidate)
                    live = [i for i in live if i not in dead]
                    constants = [i for i in constants if i not in dead]
                    break
    if 0 < len(live) <= FULL_SEARCH:
        dead |= _best_subset(live, sorted(dead), removable, rows, tol, additive, logs, signs, total, pref)
    return dead


def _best_subset(live, already, removable, rows, tol, additive, logs, signs, total, pref) -> set[int]:
    """Every subset of ``live`` (≤ FULL_SEARCH items) at once; removes the smallest cancelling groups first.

    Smallest first reads ``g + h - h`` as ``g`` plus a dead pair even when ``h`` happens
    to equal ``g``; among groups of one size, those holding forbidden functions go
    first and those holding required ones last (the student wrote both forms, and
    the remainder is an answer of the right form they wrote).
    """
    k = len(live)
    masks = ((np.arange(1, 2 ** k)[:, None] >> np.arange(k)) & 1).astype(float)      # (2^k - 1, k)
    if additive:
        ok = (np.abs(masks @ rows[live]) <= tol).all(axis=1)
    else:
        with np.errstate(all="ignore"):
            logp = masks @ logs[live]
            neg = masks @ (signs[live] < 0).astype(float)
            prod = np.exp(logp) * np.where(neg % 2 == 1, -1.0, 1.0)
            ok = ((np.abs(prod - 1) <= 1e-6) & (np.abs(total - total / prod) <= tol)).all(axis=1)
    candidates = np.flatnonzero(ok)
    if not candidates.size:
        return set()
    weight = masks[candidates] @ np.array([pref[i] for i in live], dtype=float)
    order = sorted(range(len(candidates)), key=lambda j: (masks[candidates[j]].sum(), -weight[j], candidates[j]))
    dead: set[int] = set()
    for j in order:
        group = {live[i] for i in range(k) if masks[candidates[j], i]}
        if not group & dead and removable(sorted(set(already) | dead | group)):
            dead |= group
    return dead


# -- symbols: "in terms of δ", and the quantity the part asks for -------------------------------

def symbols_used(node: Node, env: Env, shapes: dict, mask: np.ndarray, names) -> set[str]:
    """The symbols among ``names`` that the answer's value really depends on.

    Each is perturbed alone (by about ε, zeros too); a name that is
    written but cancels (``δ - δ``, ``0·δ``) leaves the value unchanged and is not used.
    """
    names = set(names)
    if names:                       # most answers ask about no symbol: no walk of the tree then
        names &= node.symbols()
    if not names:
        return set()
    base = evaluate(node, env, shapes)[mask].reshape(-1)
    with np.errstate(all="ignore"):
        finite = np.isfinite(base)
        tol = ATOL * max(1.0, median(np.abs(base[finite])) if finite.any() else 1.0) + RTOL * np.abs(base)
    used = set()
    for name in sorted(names):
        values = dict(env.values)
        v = values[name]
        values[name] = v * (1.0 + EPS * np.sin(7.0 * v + 0.7)) + EPS * np.cos(5.0 * v + 0.3)
        changed = evaluate(node, Env(env.n, values, env.functions), shapes)[mask].reshape(-1)
        with np.errstate(all="ignore"):
            ok = np.isfinite(changed) & finite
            if not ok.any() or bool((np.abs(changed[ok] - base[ok]) > tol[ok]).any()):
                used.add(name)
    return used


def asked_symbols(table, env: Env, reference: Node, values: np.ndarray, mask: np.ndarray) -> set[str]:
    """Defined symbols whose value is the reference's (the quantity the part asks for),
    when the reference does not use them itself: an answer may not give the name for its definition."""
    out = set()
    own = reference.symbols()
    for name, spec in table.symbols.items():
        if not spec.definition or name in own or spec.shape != values.shape[1:]:
            continue
        mine = np.broadcast_to(env.values[name], values.shape)[mask].reshape(-1)
        ref = values[mask].reshape(-1)
        if ref.size and bool(_close(mine, ref).all()):
            out.add(name)
    return out
