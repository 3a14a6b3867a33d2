"""Grading while serving: a bounded pool of worker processes, never the web process.

Two kinds of job run there: a code part's *visible* tests on the student's saved ``solution.py``
(through the same sandbox as every grade: ``check_answer`` on the part with only its visible tests),
and the grading of a submitted attempt (``grade_submission`` on a folder written from the attempt's
answers, stored with ``Gradebook.store``). The web process only queues jobs and reads their
outcome; the queue is bounded and its length is shown on the instructor's page.
"""
from __future__ import annotations

import contextlib
import dataclasses
import multiprocessing
import os
import secrets
import tempfile
import threading
import time
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import yaml

CODE_KEY = "_code"           # the address under which the student's solution.py is saved
MAX_QUEUE = 1000             # jobs waiting or running; beyond it a request gets 503

_STATE: dict = {}


def _die_with_parent() -> None:
    try:
        import ctypes
        import signal
        ctypes.CDLL(None).prctl(1, signal.SIGKILL, 0, 0, 0)     # PR_SET_PDEATHSIG: SIGKILL of the server ends us
    except (OSError, AttributeError):
        pass


def _init(bank_root: str | None, quiz_path: str, db_path: str) -> None:
    _die_with_parent()
    with contextlib.suppress(OSError, AttributeError):
        os.nice(10)          # grading yields the CPU to the web process: previews and saves answer first
    from grader.bank import load_bank
    from grader.quiz import load_quiz
    bank = load_bank(bank_root)
    _STATE.update(bank=bank, quiz=load_quiz(quiz_path, bank), db=db_path)


def _warm() -> int:
    return 1


def _timed(fn, *args):
    """(when the job started in the worker, its result): the parent measures the queue wait."""
    return time.time(), fn(*args)


def visible_part(part):
    """The part with only its visible tests (what a student may run before submitting)."""
    tests = [t for t in part.reference.code_tests if t.get("visible", True)]
    return dataclasses.replace(part, reference=dataclasses.replace(part.reference, code_tests=tests), cache={})


def run_visible(address: str, source: str, lang: str) -> dict:
    """Run a code part's visible tests on ``source`` in the sandbox; plain data for the page."""
    from grader.checks import check_answer
    part = visible_part(_STATE["bank"].part(address))
    result = check_answer(part, source, lang)
    tests = [{k: t.get(k) for k in ("name", "passed", "message", "input", "points", "max_points")}
             for t in (result.details or {}).get("tests", []) if t.get("visible", True)]
    return {"verdict": result.verdict, "feedback": list(result.feedback), "tests": tests,
            "traceback": (result.details or {}).get("traceback") or "",
            "stdout": (result.details or {}).get("stdout") or ""}


def submission_folder(answers: dict, folder: Path) -> None:
    """answers.yaml and solution.py of an attempt, as a student would have written them."""
    nested: dict = {}
    for address, value in answers.items():
        if address == CODE_KEY:
            continue
        qid, _, pid = address.partition("/")
        nested.setdefault(qid, {})[pid] = value
    (folder / "answers.yaml").write_text(yaml.safe_dump(nested, allow_unicode=True), encoding="utf-8")
    if isinstance(answers.get(CODE_KEY), str) and answers[CODE_KEY].strip():
        (folder / "solution.py").write_text(answers[CODE_KEY], encoding="utf-8")


def graded_attempt(student: str, answers: dict, lang: str) -> dict:
    """Grade an attempt as a class run grades a submission; the results to store, as plain picklable data."""
    from grader.results.grading import grade_submission
    with tempfile.TemporaryDirectory(prefix="nngrade-serve-") as tmp:
        folder = Path(tmp)
        submission_folder(answers, folder)
        graded = grade_submission(_STATE["bank"], _STATE["quiz"], folder, student, lang)
    return {"error": graded.error, "faults": graded.fault_parts, "quiz": _STATE["quiz"].id, "student": student,
            "graded": graded.graded, "problems": graded.problems}


def store_graded(db_path, out: dict) -> dict:
    """Write what :func:`graded_attempt` returned into the gradebook; ``{"error", "faults"}``."""
    from grader.results.gradebook import Gradebook
    with Gradebook(db_path) as book:
        book.store(out["quiz"], out["student"], out["graded"], out["problems"])
    return {"error": out["error"], "faults": out["faults"]}


def grade_attempt(student: str, answers: dict, lang: str) -> dict:
    """Grade an attempt as a class run grades a submission, and store it in the gradebook."""
    return store_graded(_STATE["db"], graded_attempt(student, answers, lang))


class _Stored:
    """A finished grading whose result, when read (in the web process), is first written to the gradebook."""

    def __init__(self, unwrapped: _Unwrapped, db_path):
        self.unwrapped, self.db_path = unwrapped, db_path

    def cancelled(self) -> bool:
        return self.unwrapped.cancelled()

    def result(self):
        return store_graded(self.db_path, self.unwrapped.result())


class _Unwrapped:
    """A finished future's result without the start time :func:`_timed` added."""

    def __init__(self, future):
        self.future = future

    def cancelled(self) -> bool:
        return self.future.cancelled()

    def result(self):
        return self.future.result()[1]


class Jobs:
    """The pool and what the web process knows of its jobs."""

    def __init__(self, bank_root, quiz_path, db_path, workers: int = 2):
        self.db_path = db_path
        ctx = multiprocessing.get_context("spawn")
        self.pool = ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_init,
                                        initargs=(str(bank_root) if bank_root else None, str(quiz_path), str(db_path)))
        # start every worker now, from this (the main) thread: a worker dies with the thread that made it
        for f in [self.pool.submit(_warm) for _ in range(workers)]:
            f.result()
        self.lock = threading.Lock()
        self.active = 0
        self.runs: dict[str, dict] = {}          # student -> {address: run state}
        self.waits: deque = deque(maxlen=20000)   # seconds from queued to started (the instructor page shows them)

    def queue_length(self) -> int:
        return self.active

    def _submit(self, fn, *args, done=None):
        with self.lock:
            if self.active >= MAX_QUEUE:
                return None
            self.active += 1
        queued = time.time()
        future = self.pool.submit(_timed, fn, *args)

        def finished(f):
            with self.lock:
                self.active -= 1
            if not f.cancelled() and f.exception() is None:
                self.waits.append(max(0.0, f.result()[0] - queued))
            if done is not None:
                done(_Unwrapped(f))
        future.add_done_callback(finished)
        return future

    def wait_stats(self) -> dict:
        """Queue wait (queued to started) over recent jobs: count, p50, p95, max, in seconds."""
        with self.lock:
            waits = sorted(self.waits)
        if not waits:
            return {"count": 0}
        def pick(q: float) -> float:
            return waits[min(len(waits) - 1, int(q * len(waits)))]
        return {"count": len(waits), "p50": pick(0.5), "p95": pick(0.95), "max": waits[-1]}

    def run_code(self, student: str, address: str, source: str, lang: str) -> dict | None:
        """Queue a visible-tests run; a run already pending for this part is returned instead."""
        with self.lock:
            state = self.runs.setdefault(student, {}).get(address)
            if state and state["status"] in ("queued", "running"):
                return state
            state = {"id": secrets.token_hex(8), "status": "queued", "queued_at": time.time(), "result": None}
            self.runs[student][address] = state

        def done(f):
            try:
                state["result"] = f.result()
                state["status"] = "done"
            except Exception as exc:      # the pool itself failed: a grader fault, shown as one
                state["result"] = {"verdict": "error", "feedback": [f"{type(exc).__name__}: {exc}"], "tests": []}
                state["status"] = "error"
        if self._submit(run_visible, address, source, lang, done=done) is None:
            with self.lock:
                self.runs[student].pop(address, None)
            return None
        return state

    def run_state(self, student: str) -> dict:
        with self.lock:
            return {a: dict(s) for a, s in self.runs.get(student, {}).items()}

    def grade(self, student: str, answers: dict, lang: str, done) -> bool:
        """Queue the grading of an attempt; ``done(f)``: ``f.result()`` stores it and returns ``{"error", "faults"}``.

        The worker only grades; the gradebook is written here, in the web process, so that a niced worker
        never holds the database's write lock while an answer's save waits for it."""
        return self._submit(graded_attempt, student, answers, lang,
                            done=lambda f: done(_Stored(f, self.db_path))) is not None

    def close(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)
