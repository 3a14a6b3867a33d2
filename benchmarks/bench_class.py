"""Grading whole classes of the midterm exam: from scratch, and again with nothing changed.

    python benchmarks/bench_class.py [--sizes 100 300 1000] [--jobs 2]

Each synthetic class mixes right answers, the course's typical mistakes, partial,
empty, malformed and hostile submissions (in the demo class's proportions, with
every student's own variant numbers). Prints students per second, the growth of
cost with class size (seconds per student at each size), and the no-change re-run time.
"""
from __future__ import annotations

import argparse
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


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[100, 300, 1000])
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args()
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
        finally:
            shutil.rmtree(work, ignore_errors=True)
    if len(rows) > 1:
        base = rows[0][1] / rows[0][0]
        print("growth (cost per student relative to the smallest class): "
              + ", ".join(f"{n}: {s / n / base:.2f}x" for n, s, _, _ in rows))
    for n, scratch, rerun, _ in rows:
        if n == 300:
            print(f"targets (300 students, {args.jobs} jobs): from scratch <= 60 s "
                  f"{'met' if scratch <= 60 else 'MISSED'}; no-change re-run <= 5 s {'met' if rerun <= 5 else 'MISSED'}")


if __name__ == "__main__":
    main()
