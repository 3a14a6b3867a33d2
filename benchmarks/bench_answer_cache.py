"""The answer cache on a class: a formula-only quiz for N students, graded with no cache, then a first run
that fills a gradebook, then a second run (a new process's view: a freshly loaded bank) served by it.

Each student answers every formula part of the bank; answers are drawn (seeded) from the part's
self-tests, right and wrong, with the skew real classes show (a few answers are given by most students),
in the student's own spacing now and then. Every run uses a freshly loaded bank and the same answers, in
the same process (after a short warm-up), so the only differences are the caches.

    python benchmarks/bench_answer_cache.py [--students 300] [--lang en]

Prints the wall time of each run, the answers parsed and judged, those served by the in-run cache and by
the gradebook, and the speed-ups; exits 1 unless the three runs gave identical results (details in order).
"""
from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
from contextlib import nullcontext
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from grader.bank import load_bank  # noqa: E402
from grader.checks import cache as answer_cache  # noqa: E402
from grader.checks import check_answer  # noqa: E402
from grader.checks import formula as formula_check  # noqa: E402
from grader.results.gradebook import Gradebook  # noqa: E402


def answers_for(bank, students: int, seed: int = 0):
    rng = random.Random(seed)
    parts = [p for p in bank.parts() if p.type == "formula"]
    pools = {}
    for part in parts:
        cases = []
        for kind in ("accept", "reject", "partial", "invalid"):
            cases += [c[0] if isinstance(c, tuple) else c for c in part.reference.self_tests.get(kind, [])]
        weights = [1.0 / (i + 1) for i in range(len(cases))]          # Zipf-like: the first forms are common
        pools[part.address] = (cases, weights)
    sheet = []
    for _ in range(students):
        row = []
        for part in parts:
            cases, weights = pools[part.address]
            answer = rng.choices(cases, weights)[0]
            if rng.random() < 0.2:                                  # the student's own spacing
                answer = answer.replace(" ", "") if " " in answer else answer.replace("+", " + ")
            row.append((part.address, answer))
        sheet.append(row)
    return sheet


class Judged:
    """Counts the answers that reach the judge (parsed and compared, not served by a text-level hit)."""

    calls = 0

    def __init__(self):
        self.real = formula_check._check_formula

    def __call__(self, *args, **kwargs):
        Judged.calls += 1
        return self.real(*args, **kwargs)


def run(sheet, lang: str, cached: bool, book: Gradebook | None):
    os.environ["NNGRADE_ANSWER_CACHE"] = "1" if cached else "0"
    bank = load_bank.__wrapped__(ROOT)              # fresh parts: empty caches, compiled references not shared
    answer_cache.Stats.reset()
    Judged.calls = 0
    with answer_cache.persisted(book) if book is not None else nullcontext():
        t = time.perf_counter()
        results = [[check_answer(bank.part(address), answer, lang) for address, answer in row] for row in sheet]
        seconds = time.perf_counter() - t
    stats = answer_cache.Stats
    return seconds, results, dict(parsed=Judged.calls, hits=stats.hits, loaded=stats.loaded, stored=stats.stored,
                                  rejected=stats.rejected)


def plain(results):
    return [[(r.verdict, r.score, r.feedback, r.interpreted, json.dumps(r.details)) for r in row] for row in results]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--students", type=int, default=300)
    ap.add_argument("--lang", default="en")
    args = ap.parse_args()
    os.environ.pop("NNGRADE_EXPLAIN_SECONDS", None)             # as `nngrade grade` runs by default
    formula_check._check_formula = Judged()
    bank = load_bank(ROOT)
    sheet = answers_for(bank, args.students)
    total = sum(len(row) for row in sheet)
    distinct = len({(a, x) for row in sheet for a, x in row})
    run(sheet[:10], args.lang, cached=False, book=None)          # warm-up: imports, grammar, interned tables
    with tempfile.TemporaryDirectory(prefix="nngrade-bench-cache-") as tmp, \
            Gradebook(Path(tmp) / "gradebook.sqlite") as book:
        off_s, off, off_n = run(sheet, args.lang, cached=False, book=None)
        first_s, first, first_n = run(sheet, args.lang, cached=True, book=book)
        second_s, second, second_n = run(sheet, args.lang, cached=True, book=book)
        rows = book.cached_answers()
        size = (Path(tmp) / "gradebook.sqlite").stat().st_size
    os.environ.pop("NNGRADE_ANSWER_CACHE", None)
    same = plain(first) == plain(off) == plain(second)
    print(f"class: {args.students} students x {len(sheet[0])} formula parts = {total} answers, "
          f"{distinct} distinct (part, answer text)")

    def line(name, seconds, n):
        return (f"{name}: {seconds:7.2f} s  ({seconds / args.students * 1000:6.1f} ms per student); "
                f"{n['parsed']} answers parsed, {n['hits']} served by a cache ({n['loaded']} by the gradebook), "
                f"{n['stored']} verdicts stored")
    print(line("no cache              ", off_s, off_n))
    print(line("first run  (fills it) ", first_s, first_n))
    print(line("second run (gradebook)", second_s, second_n))
    print(f"gradebook answer_cache: {rows} rows, database {size / 1024:.0f} KiB")
    print(f"speed-up over no cache: first run {off_s / first_s:.1f}x, second run {off_s / second_s:.1f}x; "
          f"identical results: {'yes' if same else 'NO'}")
    if not same:
        sys.exit(1)


if __name__ == "__main__":
    main()
