"""Sandbox overhead per submission, against a fresh `python -c "import numpy"` per submission.

    python benchmarks/bench_sandbox.py [--runs 60]

Prints, in one run, for every isolation mode this machine has (bubblewrap,
Landlock): the warm overhead of our sandbox for a trivial one-call submission
(median and p95; "paced" leaves 20 ms between submissions, as grading does
between students, so the pre-forked processes are ready; "back-to-back" does
not), the cost of each further call (every call runs in a fresh process), the
same for a fresh interpreter per submission, their ratio, and the time to grade
one full reference submission of every code part in the bank.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from grader.bank import load_bank  # noqa: E402
from grader.checks import check_answer  # noqa: E402
from grader import isolation  # noqa: E402
from grader.sandbox import Sandbox  # noqa: E402

TRIVIAL = "def f(x):\n    return x\n"


def pct(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def time_sandbox(box, runs, gap):
    out = []
    for _ in range(runs):
        time.sleep(gap)
        t = time.perf_counter()
        result = box.run(TRIVIAL, [{"fn": "f", "args": [1.0]}])
        out.append((time.perf_counter() - t) * 1000)
        assert result.calls[0].value == 1.0
    return out


def time_fresh(runs):
    out = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import numpy"], check=True)
        out.append((time.perf_counter() - t) * 1000)
    return out


def time_calls(box, runs, calls):
    out = []
    for _ in range(runs):
        time.sleep(0.02)
        t = time.perf_counter()
        result = box.run(TRIVIAL, [{"fn": "f", "args": [float(i)]} for i in range(calls)])
        out.append((time.perf_counter() - t) * 1000 / calls)
        assert [c.value for c in result.calls] == [float(i) for i in range(calls)]
    return out


def baseline(args):
    """The sandbox of an earlier revision, timed in this run: (deny-list bubblewrap, one fork per submission)."""
    import importlib.util
    import shutil
    import tempfile
    folder = Path(tempfile.mkdtemp(prefix="nngrade-baseline-"))
    try:
        for name in ("sandbox.py", "sandbox_child.py"):
            text = subprocess.run(["git", "-C", str(ROOT), "show", f"{args.baseline}:grader/{name}"],
                                  capture_output=True, text=True, check=True).stdout
            (folder / name).write_text(text)
        spec = importlib.util.spec_from_file_location("baseline_sandbox", folder / "sandbox.py")
        old = importlib.util.module_from_spec(spec)
        sys.modules["baseline_sandbox"] = old             # dataclasses look their module up there
        spec.loader.exec_module(old)
        bwrap = isolation.bwrap_candidates()
        path = os.environ.get("PATH", "")
        if bwrap:
            os.environ["PATH"] = f"{Path(bwrap[0]).parent}:{path}"
        try:
            with old.Sandbox() as box:
                time_sandbox(box, 5, 0.02)
                paced = time_sandbox(box, args.runs, 0.02)
                back = time_sandbox(box, args.runs, 0.0)
                per_call = time_calls(box, max(5, args.runs // 6), 10)
                level = box.level
        finally:
            os.environ["PATH"] = path
        print(f"[baseline {args.baseline}, {level}] one submission, paced        : median "
              f"{statistics.median(paced):6.2f} ms   p95 {pct(paced, .95):6.2f} ms")
        print(f"[baseline {args.baseline}, {level}] one submission, back-to-back : median "
              f"{statistics.median(back):6.2f} ms   p95 {pct(back, .95):6.2f} ms")
        print(f"[baseline {args.baseline}, {level}] each further call (10 a run) : median "
              f"{statistics.median(per_call):6.2f} ms")
    except (subprocess.CalledProcessError, OSError) as exc:
        print(f"[baseline {args.baseline}] not run: {exc}")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=60)
    ap.add_argument("--baseline", default="4d74e18", help="git revision whose sandbox is timed the same way "
                    "in this run, for comparison (the design before the PID-namespace, process-per-call one); "
                    "'' to skip")
    args = ap.parse_args()
    fresh = time_fresh(max(10, args.runs // 3))
    print(f"fresh python + numpy  : median {statistics.median(fresh):6.2f} ms   p95 {pct(fresh, .95):6.2f} ms"
          "   (the baseline: a new interpreter per submission)")
    for mode in ("bwrap", "landlock"):
        os.environ["NNGRADE_SANDBOX"] = mode
        mech = isolation.choose(refresh=True)
        if mech.level != mode:
            print(f"[{mode}] not available here: {'; '.join(mech.why)}")
            continue
        with Sandbox() as box:
            time_sandbox(box, 5, 0.02)                      # warm-up
            paced = time_sandbox(box, args.runs, 0.02)
            back = time_sandbox(box, args.runs, 0.0)
            per_call = time_calls(box, max(5, args.runs // 6), 10)
        print(f"[{mode}] {mech.bwrap or 'Landlock'}")
        print(f"[{mode}] one submission, paced        : median {statistics.median(paced):6.2f} ms   "
              f"p95 {pct(paced, .95):6.2f} ms")
        print(f"[{mode}] one submission, back-to-back : median {statistics.median(back):6.2f} ms   "
              f"p95 {pct(back, .95):6.2f} ms")
        print(f"[{mode}] each further call (10 a run) : median {statistics.median(per_call):6.2f} ms")
        ratio = statistics.median(fresh) / statistics.median(paced)
        print(f"[{mode}] ratio (fresh / paced)        : {ratio:.1f}x")
        print(f"[{mode}] targets: warm median <= 5 ms {'met' if statistics.median(paced) <= 5 else 'MISSED'}; "
              f"back-to-back <= 8 ms {'met' if statistics.median(back) <= 8 else 'MISSED'}")
    os.environ.pop("NNGRADE_SANDBOX", None)
    isolation.choose(refresh=True)
    if args.baseline:
        baseline(args)

    bank = load_bank(ROOT)
    total = 0.0
    print("full reference submission per code part:")
    for part in bank.parts():
        if part.type != "code":
            continue
        source = (ROOT / bank.questions[part.question_id].solution_path).read_text(encoding="utf-8")
        check_answer(part, source)                      # warm the part's caches
        t = time.perf_counter()
        result = check_answer(part, source)
        ms = (time.perf_counter() - t) * 1000
        total += ms
        print(f"  {part.address:<32} {ms:7.1f} ms  {len(result.details['tests'])} tests  {result.verdict}")
    print(f"  all code parts: {total:.0f} ms")


if __name__ == "__main__":
    main()
