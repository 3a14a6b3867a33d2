"""Comparing sampled values: tolerances, counterexamples and simple diagnoses."""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

RTOL = 1e-7
ATOL = 1e-10


@dataclass(frozen=True)
class Comparison:
    equal: bool
    sample: int | None = None        # index of a failing point
    entry: tuple[int, int] | None = None
    expected: float | None = None
    got: float | None = None
    undefined: bool = False          # the answer is NaN/inf where the reference is finite
    valid: int = 0                   # how many points were compared


def valid_mask(ref: np.ndarray) -> np.ndarray:
    """Points where the reference is finite everywhere (others are skipped, as WeBWorK does)."""
    return np.isfinite(ref).all(axis=(1, 2))


def median(values) -> float:
    """``np.median`` of a flat sample, a few times faster on the small arrays a check compares (partition, not
    sort); NaN if any value is NaN, as ``np.median``."""
    a = np.asarray(values, dtype=float).ravel()
    n = a.size
    if n == 0 or np.isnan(a).any():
        return float("nan")
    k = n // 2
    part = np.partition(a, k)
    return float(part[k]) if n % 2 else float((part[k] + part[:k].max()) / 2)


def close(got: np.ndarray, ref: np.ndarray, scale: float) -> np.ndarray:
    with np.errstate(all="ignore"):
        return np.abs(got - ref) <= ATOL * max(1.0, scale) + RTOL * np.abs(ref)


def scale_of(ref: np.ndarray, mask: np.ndarray) -> float:
    """The size the absolute tolerance is relative to: the median magnitude of ``ref`` where it is valid.
    A reference's scale never changes, so a compiled reference computes it once and passes it to :func:`compare`."""
    return median(np.abs(ref[mask])) if mask.any() else 0.0


def compare(got: np.ndarray, ref: np.ndarray, mask: np.ndarray | None = None,
            scale: float | None = None) -> Comparison:
    """Do ``got`` and ``ref`` (N, r, c) agree at every point where ``ref`` is finite? (``scale``: see
    :func:`scale_of`; computed here when not given.)"""
    mask = valid_mask(ref) if mask is None else mask
    n_valid = int(mask.sum())
    if n_valid == 0:
        return Comparison(False, undefined=False, valid=0)
    r, g = ref[mask], got[mask]
    scale = median(np.abs(r)) if scale is None else scale
    ok = close(g, r, scale)
    if ok.all():
        return Comparison(True, valid=n_valid)
    bad = np.argwhere(~ok)[0]
    index = int(np.flatnonzero(mask)[bad[0]])
    value = float(g[tuple(bad)])
    return Comparison(False, index, (int(bad[1]), int(bad[2])), float(r[tuple(bad)]), value,
                      undefined=not np.isfinite(value), valid=n_valid)


class Target:
    """The reference's side of :func:`compare`, prepared once: ``Target(ref, mask, scale).compare(got)`` is
    ``compare(got, ref, mask, scale)``. The valid points, the masked reference and each point's tolerance are
    computed here, so a compiled reference compared with many answers does only the answer's side (and, when
    every point is valid, no masking at all)."""

    __slots__ = ("equal", "mask", "r", "tol", "valid", "whole")

    def __init__(self, ref: np.ndarray, mask: np.ndarray | None = None, scale: float | None = None):
        mask = valid_mask(ref) if mask is None else mask
        self.mask = mask
        self.valid = int(mask.sum())
        self.r = ref[mask]
        self.whole = self.valid == len(mask)              # ``got[mask]`` would be all of ``got``
        self.equal = Comparison(True, valid=self.valid)   # immutable: one for every answer that agrees
        if self.valid:
            scale = median(np.abs(self.r)) if scale is None else scale
            with np.errstate(all="ignore"):
                self.tol = ATOL * max(1.0, scale) + RTOL * np.abs(self.r)     # as close() computes it

    def _ok(self, got: np.ndarray) -> np.ndarray:
        g = got if self.whole and got.shape == self.r.shape else got[self.mask]
        with np.errstate(all="ignore"):
            return np.abs(g - self.r) <= self.tol

    def equal_to(self, got: np.ndarray) -> bool:
        """``compare(got, ...).equal``, without looking for the first failing point."""
        return bool(self.valid) and bool(self._ok(got).all())

    def compare(self, got: np.ndarray) -> Comparison:
        if self.valid == 0:
            return Comparison(False, undefined=False, valid=0)
        ok = self._ok(got)
        if ok.all():
            return self.equal
        # the first failing entry in C order (np.argwhere(~ok)[0]): argmin of a bool array is its first False
        _, rows, cols = ok.shape
        k = int(ok.argmin(axis=None))
        i, j, c = k // (rows * cols), (k // cols) % rows, k % cols
        index = i if self.whole else int(np.flatnonzero(self.mask)[i])
        g = got[index] if self.whole and got.shape == self.r.shape else got[self.mask][i]
        value = float(g[j, c])
        return Comparison(False, index, (j, c), float(self.r[i, j, c]), value,
                          undefined=not math.isfinite(value), valid=self.valid)


def same_up_to_factor(got: np.ndarray, ref: np.ndarray, mask: np.ndarray) -> float | None:
    """The constant c with got = c·ref at every point, if there is one (c ≠ 1)."""
    with np.errstate(all="ignore"):
        r, g = ref[mask], got[mask]
        nz = np.abs(r) > 1e-9
        if nz.sum() < 3 or not np.isfinite(g).all():
            return None
        ratios = g[nz] / r[nz]
        c = median(ratios)
        if not np.isfinite(c) or abs(c) < 1e-12 or abs(c - 1) < 1e-6:
            return None
        return c if close(g, c * r, median(np.abs(r))).all() else None


def fmt(value: float) -> str:
    """A number for feedback: 6 significant figures."""
    if value is None:
        return "—"
    if not (math.isfinite(value) if isinstance(value, float) else np.isfinite(value)):
        return str(value)
    return f"{value:.6g}"
