"""SymPy explanations (grader/formula/explain.py): their own p50 / p99 / time-outs, outside the check's budget.

The corpus is bench_formulas.py's: every formula part's self-tests that read and have the reference's
shape. Wrong answers ask for a difference or ratio, right answers in another form than the reference's
canonical one for a proof. Each pair is explained once with an empty cache (the first SymPy use in the
process, its warm-up, is timed apart), then once more to show the cache.

    python benchmarks/bench_explain.py [--seconds 0.5]
"""
from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_formulas import corpus, percentile  # noqa: E402

from grader.bank import load_bank  # noqa: E402
from grader.formula import explain as E  # noqa: E402
from grader.formula.canonical import canonical  # noqa: E402
from grader.formula.evaluate import ShapeMismatch, infer_shapes  # noqa: E402
from grader.formula.resolve import parse_formula  # noqa: E402


def pairs(bank):
    out = []
    for part, ref, answer, truth in corpus(bank):
        try:
            r, a = parse_formula(ref, part.table), parse_formula(answer, part.table)
            rs, as_ = infer_shapes(r, part.table), infer_shapes(a, part.table)
        except (ShapeMismatch, Exception):  # noqa: BLE001 - unreadable or misshapen: nothing to explain
            continue
        if rs[id(r)] != as_[id(a)]:
            continue
        if truth and canonical(a, as_) == canonical(r, rs):
            continue                                  # already an exact proof: no SymPy needed
        out.append((part, r, a, truth))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=E.DEFAULT_SECONDS, help="budget per explanation")
    args = ap.parse_args()
    bank = load_bank(ROOT)
    rows = pairs(bank)
    t = time.perf_counter()
    E._warm()
    warm = time.perf_counter() - t
    E._CACHE.clear()
    E.Stats.reset()
    ms, kinds = [], Counter()
    for part, r, a, truth in rows:
        t = time.perf_counter()
        found = E.explain(r, a, part.table, truth, args.seconds)
        ms.append((time.perf_counter() - t) * 1000)
        kinds[(("right" if truth else "wrong"), found.kind if found else "none")] += 1
    timeouts = E.Stats.timeouts
    t = time.perf_counter()
    for part, r, a, truth in rows:
        E.explain(r, a, part.table, truth, args.seconds)
    cached_ms = (time.perf_counter() - t) * 1000 / max(1, len(rows))
    right = sum(1 for row in rows if row[3])
    print(f"corpus  : {len(rows)} pairs ({right} right in another form, {len(rows) - right} wrong); "
          f"budget {args.seconds:g} s each; SymPy warm-up once per process {warm:.2f} s")
    print(f"explain : p50 {percentile(ms, 0.5):7.1f} ms   p99 {percentile(ms, 0.99):7.1f} ms   "
          f"max {max(ms):7.1f} ms   time-outs {timeouts}/{len(rows)}")
    print(f"cached  : {cached_ms:.3f} ms per explanation on a second pass")
    print("found   : " + ", ".join(f"{k[0]}→{k[1]} {v}" for k, v in sorted(kinds.items())))


if __name__ == "__main__":
    main()
