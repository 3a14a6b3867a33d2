"""Grading whole classes of the midterm exam: from scratch, and again with nothing changed.

    python benchmarks/bench_class.py [--sizes 100 300 1000] [--jobs 2] [--cache]

Each synthetic class mixes right answers, the course's typical mistakes, partial,
empty, malformed and hostile submissions (in the demo class's proportions, with
every student's own variant numbers). Prints students per second, the growth of
cost with class size (seconds per student at each size), and the no-change re-run time.

With ``--cache``, the answer cache's effect on the same class (grader/checks/cache.py): the first run
(which fills the gradebook's answer cache) against a forced regrade served by it (every question graded
again, formula verdicts read from the gradebook) and a forced regrade with the cache off
(``NNGRADE_ANSWER_CACHE=0``, another output folder); the formula checks each computed (a spy in the
workers) and whether the three results.json are the same (code inputs fixed by NNGRADE_CODE_SEED; the
sandbox's per-run user id aside).
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from make_demo_class import HOSTILE_CODE, student_files, write  # noqa: E402

from grader.bank import load_bank  # noqa: E402
from grader.checks import formula as formula_check  # noqa: E402
from grader.quiz import load_quiz  # noqa: E402
from grader.results.class_run import run_grading  # noqa: E402

MIX = [  # (weight, kind)
    (40, dict()), (8, dict(style="latex")), (8, dict(mistakes=["sign"], bugs=["sign"])),
    (8, dict(mistakes=["transpose"])), (6, dict(mistakes=["lstm"], bugs=["lstm"])),
    (6, dict(mistakes=["adam"], bugs=["adam"])), (6, dict(bugs=["overflow"])),
    (6, dict(mistakes=["init"], bugs=["init"])), (8, dict(skip=0.5)), (2, "empty"), (1, "malformed"), (1, "hostile"),
]


def make_class(bank, quiz, n: int, root: Path) -> None:
    cycle = [kind for weight, kind in MIX for _ in range(weight)]
    for i in range(n):
        name, kind = f"st{i:04d}", cycle[i % len(cycle)]
        folder = root / name
        if kind == "empty":
            folder.mkdir(parents=True)
        elif kind == "malformed":
            write(folder, raw_answers=b"sigmoid-derivative: {in-sigma: [oops\n", raw_source=b"\xff\xfe not utf-8")
        elif kind == "hostile":
            answers, _ = student_files(bank, quiz, name)
            write(folder, answers, HOSTILE_CODE)
        else:
            answers, source = student_files(bank, quiz, name, seed=i, **kind)
            write(folder, answers, source)


def _results(out: Path) -> str:
    return re.sub(r'"uid": \d+', '"uid": 0', (out / "results.json").read_text(encoding="utf-8"))


def cache_effect(bank, quiz, work: Path, first_seconds: float, jobs: int) -> None:
    """The class of ``work`` graded from scratch already (into work/out): regraded with the gradebook's
    answer cache, and without any cache; the formula checks computed in each, counted by a spy."""
    log = work / "formula-checks.log"
    real = formula_check._check_formula

    def counted(part, answer, lang, reference=None):
        with open(log, "a", encoding="utf-8") as f:
            f.write("x\n")
        return real(part, answer, lang, reference)
    formula_check._check_formula = counted
    timings = {}
    try:
        for name, out, cache in (("first", work / "first", "1"), ("second", work / "out", "1"),
                                 ("off", work / "off", "0")):
            os.environ["NNGRADE_ANSWER_CACHE"] = cache
            if name == "first":                                     # first run's checks, counted: a copy
                shutil.rmtree(out, ignore_errors=True)
            log.write_text("")
            t = time.perf_counter()
            stats = run_grading(load_bank.__wrapped__(ROOT), quiz, work / "subs", out, jobs=jobs, force=True,
                                progress=False)
            timings[name] = (time.perf_counter() - t, len(log.read_text().splitlines()), stats.graded_questions)
    finally:
        formula_check._check_formula = real
        os.environ.pop("NNGRADE_ANSWER_CACHE", None)
    from grader.results.gradebook import Gradebook
    with Gradebook(work / "out" / "gradebook.sqlite") as book:
        rows = book.cached_answers()
    same = _results(work / "first") == _results(work / "out") == _results(work / "off")
    labels = {"first": "first run (fills the cache)", "second": "second run (gradebook cache)",
              "off": "no cache"}
    for name, (seconds, checks, questions) in timings.items():
        print(f"      {labels[name]:<30} {seconds:7.1f} s  {checks:6d} formula checks computed, "
              f"{questions} questions graded", flush=True)
    print(f"      (the benchmark's own from-scratch run above: {first_seconds:.1f} s, cache on); "
          f"answer_cache rows: {rows}; identical results.json: {'yes' if same else 'NO'}", flush=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[100, 300, 1000])
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--cache", action="store_true", help="also: second run served by the answer cache, and no cache")
    args = ap.parse_args()
    if args.cache:
        os.environ.setdefault("NNGRADE_CODE_SEED", "2026")          # the code parts' inputs: the same in every run
        os.environ.pop("NNGRADE_ANSWER_CACHE", None)
    bank = load_bank(ROOT)
    quiz = load_quiz(ROOT / "quizzes" / "midterm-exam.yaml", bank)
    rows = []
    for n in args.sizes:
        work = Path(tempfile.mkdtemp(prefix=f"nngrade-class{n}-"))
        try:
            make_class(bank, quiz, n, work / "subs")
            t = time.perf_counter()
            first = run_grading(bank, quiz, work / "subs", work / "out", jobs=args.jobs, progress=False)
            scratch = time.perf_counter() - t
            t = time.perf_counter()
            again = run_grading(bank, quiz, work / "subs", work / "out", jobs=args.jobs, progress=False)
            rerun = time.perf_counter() - t
            assert again.graded_questions == 0 and again.reports_written == 0
            rows.append((n, scratch, rerun, first.graded_questions))
            print(f"{n:5d} students: from scratch {scratch:7.1f} s ({n / scratch:5.1f} students/s, "
                  f"{1000 * scratch / n:6.1f} ms/student, {first.graded_questions} questions); "
                  f"no-change re-run {rerun:5.2f} s", flush=True)
            if args.cache:
                cache_effect(bank, quiz, work, scratch, args.jobs)
        finally:
            shutil.rmtree(work, ignore_errors=True)
    if len(rows) > 1:
        base = rows[0][1] / rows[0][0]
        print("growth (cost per student relative to the smallest class): "
              + ", ".join(f"{n}: {s / n / base:.2f}x" for n, s, _, _ in rows))
    for n, scratch, rerun, _ in rows:
        if n == 300:
            print(f"targets (300 students, {args.jobs} jobs): from scratch <= 60 s "
                  f"{'met' if scratch <= 60 else 'MISSED'}; "
                  f"no-change re-run <= 5 s {'met' if rerun <= 5 else 'MISSED'}")


if __name__ == "__main__":
    main()
