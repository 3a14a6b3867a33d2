"""Formula checking speed and accuracy against the naive `simplify(reference - answer) == 0`.

The corpus is every formula part's self-tests: answers to accept (truth: equal to
the reference) and to reject (truth: not equal), leaving out rejects that are
rejected only for their form (they use a function the part forbids, so their
value is right by design) and unreadable ones. Both methods see the same pairs.

    python benchmarks/bench_formulas.py [--naive-seconds 3]

Prints p50/p99 ms per check for our engine (after warm-up), the same for the
naive method, the ratio, and each method's verdict accuracy.
"""
from __future__ import annotations

import argparse
import signal
import statistics
import sys
import time
from pathlib import Path

import sympy

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from grader.bank import load_bank  # noqa: E402
from grader.check import check_answer  # noqa: E402
from grader.formula.evaluate import ShapeMismatch  # noqa: E402
from grader.formula.resolve import parse_formula  # noqa: E402
from grader.formula.syntax import FormulaInvalid  # noqa: E402
from grader.formula.to_sympy import NotConvertible, to_sympy  # noqa: E402


def corpus(bank):
    rows = []
    for part in bank.parts():
        if part.type != "formula":
            continue
        forbid = set(part.spec.get("forbid", ()))
        refs = part.reference.answer
        ref = refs if isinstance(refs, str) else refs[0]
        for kind, truth in (("accept", True), ("reject", False)):
            for case in part.reference.self_tests.get(kind, []):
                answer = case[0] if isinstance(case, tuple) else case
                try:
                    node = parse_formula(answer, part.table)
                except FormulaInvalid:
                    continue
                if node.functions() & forbid:
                    continue
                rows.append((part, ref, answer, truth))
    return rows


def percentile(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


class Timeout(Exception):
    pass


def naive_equal(part, ref, answer, seconds):
    """The naive method: SymPy simplify of the difference, no numeric fallback."""
    def expire(*_):
        raise Timeout()
    signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        a = to_sympy(parse_formula(ref, part.table), part.table)
        b = to_sympy(parse_formula(answer, part.table), part.table)
        if isinstance(a, sympy.MatrixBase) != isinstance(b, sympy.MatrixBase):
            return False, "ok"
        if isinstance(a, sympy.MatrixBase):
            if a.shape != b.shape:
                return False, "ok"
            return all(sympy.simplify(x) == 0 for x in (a - b)), "ok"
        return sympy.simplify(a - b) == 0, "ok"
    except Timeout:
        return False, "timeout"
    except (NotConvertible, ShapeMismatch, TypeError, ValueError):
        return False, "error"
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--naive-seconds", type=float, default=3.0, help="time cap per naive check")
    ap.add_argument("--repeat", type=int, default=5, help="timed passes of our engine over the corpus")
    args = ap.parse_args()
    bank = load_bank(ROOT)
    rows = corpus(bank)
    print(f"corpus: {len(rows)} answers ({sum(r[3] for r in rows)} right, {sum(not r[3] for r in rows)} wrong) "
          f"over {len({r[0].address for r in rows})} formula parts")

    for part, _, answer, _ in rows:                      # warm-up: compile references, caches
        check_answer(part, answer)
    ours_ms, ours_right = [], 0
    for rep in range(args.repeat):
        for part, _, answer, truth in rows:
            t = time.perf_counter()
            result = check_answer(part, answer)
            ours_ms.append((time.perf_counter() - t) * 1000)
            if rep == 0:
                ours_right += (result.details.get("method") is not None) == truth

    naive_ms, naive_right, naive_status = [], 0, {"ok": 0, "timeout": 0, "error": 0}
    for part, ref, answer, truth in rows:
        t = time.perf_counter()
        equal, status = naive_equal(part, ref, answer, args.naive_seconds)
        naive_ms.append((time.perf_counter() - t) * 1000)
        naive_status[status] += 1
        naive_right += equal == truth

    n = len(rows)
    p50, p99 = percentile(ours_ms, 0.5), percentile(ours_ms, 0.99)
    n50, n99 = percentile(naive_ms, 0.5), percentile(naive_ms, 0.99)
    print(f"nngrade : p50 {p50:7.3f} ms   p99 {p99:8.3f} ms   mean {statistics.mean(ours_ms):7.3f} ms   "
          f"accuracy {ours_right}/{n} = {ours_right / n:.1%}")
    print(f"naive   : p50 {n50:7.3f} ms   p99 {n99:8.3f} ms   mean {statistics.mean(naive_ms):7.3f} ms   "
          f"accuracy {naive_right}/{n} = {naive_right / n:.1%}   "
          f"(timeouts at {args.naive_seconds:g} s: {naive_status['timeout']}, errors: {naive_status['error']})")
    print(f"speed-up: p50 {n50 / p50:.0f}x, mean {statistics.mean(naive_ms) / statistics.mean(ours_ms):.0f}x")
    print(f"targets : p50 <= 2 ms {'met' if p50 <= 2 else 'MISSED'}; p99 <= 20 ms {'met' if p99 <= 20 else 'MISSED'}; "
          f">= 10x faster {'met' if n50 / p50 >= 10 else 'MISSED'}; more accurate "
          f"{'met' if ours_right > naive_right else 'MISSED'}")


if __name__ == "__main__":
    main()
