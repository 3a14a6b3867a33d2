"""The answer cache on a class: a formula-only quiz for N students, graded with and without the cache.

Each student answers every formula part of the bank; answers are drawn (seeded) from the part's
self-tests, right and wrong, with the skew real classes show (a few answers are given by most students),
in the student's own spacing now and then. Both runs use a freshly loaded bank and the same answers,
in the same process, so the only difference is the cache.

    python benchmarks/bench_answer_cache.py [--students 300] [--lang en]

Prints the wall time of each run, the checks actually computed, the distinct answers, and the speed-up;
checks the two runs gave identical results.
"""
from __future__ import annotations

import argparse
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from grader import answer_cache  # noqa: E402
from grader.bank import load_bank  # noqa: E402
from grader.checks import check_answer  # noqa: E402


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
    for s in range(students):
        row = []
        for part in parts:
            cases, weights = pools[part.address]
            answer = rng.choices(cases, weights)[0]
            if rng.random() < 0.2:                                  # the student's own spacing
                answer = answer.replace(" ", "") if " " in answer else answer.replace("+", " + ")
            row.append((part.address, answer))
        sheet.append(row)
    return sheet


def run(sheet, lang: str, cached: bool):
    os.environ["NNGRADE_ANSWER_CACHE"] = "1" if cached else "0"
    bank = load_bank.__wrapped__(ROOT)              # fresh parts: empty caches, compiled references not shared
    answer_cache.Stats.reset()
    t = time.perf_counter()
    results = [[check_answer(bank.part(address), answer, lang) for address, answer in row] for row in sheet]
    seconds = time.perf_counter() - t
    return seconds, results, answer_cache.Stats.hits


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--students", type=int, default=300)
    ap.add_argument("--lang", default="en")
    args = ap.parse_args()
    bank = load_bank(ROOT)
    sheet = answers_for(bank, args.students)
    total = sum(len(row) for row in sheet)
    distinct = len({(a, x.strip()) for row in sheet for a, x in row})
    off_s, off, _ = run(sheet, args.lang, cached=False)
    on_s, on, hits = run(sheet, args.lang, cached=True)
    os.environ.pop("NNGRADE_ANSWER_CACHE", None)
    same = [[(r.verdict, r.score, r.feedback, r.interpreted) for r in row] for row in on] == \
           [[(r.verdict, r.score, r.feedback, r.interpreted) for r in row] for row in off]
    print(f"class: {args.students} students x {len(sheet[0])} formula parts = {total} answers, "
          f"{distinct} distinct (part, answer text)")
    print(f"without cache: {off_s:7.2f} s  ({off_s / args.students * 1000:6.1f} ms per student, {total} checks)")
    print(f"with cache   : {on_s:7.2f} s  ({on_s / args.students * 1000:6.1f} ms per student, "
          f"{total - hits} checks computed, {hits} served from the cache)")
    print(f"speed-up     : {off_s / on_s:.1f}x; identical results: {'yes' if same else 'NO'}")
    if not same:
        sys.exit(1)


if __name__ == "__main__":
    main()
