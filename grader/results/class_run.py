"""A grading run: every student folder graded (in parallel), stored, and handed to the publish stage.

    students → (unchanged questions reused from the gradebook) → grade the rest in worker
    processes (grading.grade_submission) → store each student atomically → the class's
    results model (grader/results/__init__.py) → publish (grader/publish/__init__.py: results.json, grades.csv,
    feedback.html per student where something changed, index.html)
"""
from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import time
from collections import Counter
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

from grader.bank import Bank
from grader.checks import cache as answer_cache
from grader.messages import text
from grader.quiz import Quiz, assignment
from grader.results import ClassResults, GraderError, Problem, QuestionResult, StudentResult, grading
from grader.results.gradebook import Gradebook
from grader.results.grading import Graded, file_digest
from grader.submission import Entry, discover, page_name, raw_digest

EXIT_GRADER_ERROR = 3        # `nngrade grade` when any part ended in a grader error (results are still written)


@dataclass
class RunStats:
    students: int = 0
    graded_questions: int = 0
    reused_questions: int = 0
    reports_written: int = 0
    out: str = ""
    problems: list[str] = field(default_factory=list)
    errors: list[GraderError] = field(default_factory=list)     # grader faults
    results: ClassResults | None = None                         # what was published


# what a stored part holds; a change regrades what older versions stored (2: every part's details.answer_sha, the
# digest of the answer graded, which an instructor's override is bound to)
RESULTS_FORMAT = 2


def run_stamp(bank: Bank, quiz: Quiz, lang: str) -> str:
    """Everything besides a submission that its grades depend on: bank, quiz, grader version, language."""
    from grader import __version__
    h = hashlib.sha256(f"{quiz.digest}|{lang}|{__version__}|{quiz.seed}|results{RESULTS_FORMAT}".encode())
    for q in sorted(bank.questions.values(), key=lambda q: q.id):
        for rel in (q.path, q.solution_path):
            h.update(file_digest(str(bank.root / rel)).encode())
    return h.hexdigest()


def student_folders(root: Path) -> list[Entry]:
    """The class's students: id, folder and page folder each (see grader/submission/__init__.py for the rules)."""
    return discover(root)


# -- the work one student needs (runs in a worker process) ---------------------------------

_STATE: dict = {}


def _die_with_parent() -> None:
    """A worker process ends when the run's process does (kill -9 included), with its sandbox."""
    try:
        import ctypes
        import signal
        ctypes.CDLL(None).prctl(1, signal.SIGKILL, 0, 0, 0)     # PR_SET_PDEATHSIG
    except (OSError, AttributeError):       # not Linux: the pool's own shutdown is all there is
        pass


def _init_worker(bank: Bank | None, quiz: Quiz | None, lang: str | None) -> None:
    from grader.checks import code
    _die_with_parent()
    code._BOX.clear()                       # a forked worker starts its own sandbox
    if bank is not None:
        _STATE.update(bank=bank, quiz=quiz, lang=lang)
    if _STATE.get("student_seconds") is not None:
        grading.STUDENT_SECONDS = _STATE["student_seconds"]


def grade_student(folder: str, stored: dict[str, str], force: bool, student: str | None = None) -> Graded:
    """Grade what changed for one student (the one "grade a submission" function); never raises."""
    student = student if student is not None else Path(folder).name
    return grading.grade_submission(_STATE["bank"], _STATE["quiz"], Path(folder), student, _STATE["lang"],
                                    stored=stored, force=force)


def _failed(student: str, cause: str, key: str = "student_failed") -> Graded:
    return grading.failed(student, cause, _STATE.get("lang") or "en", key=key)


# -- the run -------------------------------------------------------------------------------------

def run_grading(bank: Bank, quiz: Quiz, submissions: Path, out: Path, db_path: Path | None = None,
                jobs: int | None = None, force: bool = False, lang: str | None = None,
                templates: str | None = None, progress: bool | tuple[str, str] = True,
                student_seconds: float | None = None) -> RunStats:
    """Grade every student folder of ``submissions`` into ``out``.

    ``student_seconds`` bounds each student's whole grading (default ``$NNGRADE_STUDENT_SECONDS`` or
    120 s); a worker process that dies or overruns it costs only the students it held (see ``_execute``).
    """
    lang = lang or quiz.lang
    if student_seconds is None and os.environ.get("NNGRADE_STUDENT_SECONDS"):
        student_seconds = float(os.environ["NNGRADE_STUDENT_SECONDS"])
    out.mkdir(parents=True, exist_ok=True)
    db_path = db_path or out / "gradebook.sqlite"
    folders = student_folders(submissions)
    summary = RunStats(students=len(folders), out=str(out))
    with Gradebook(db_path) as book, answer_cache.persisted(book):       # verdicts reused across runs
        stored: dict[str, dict[str, str]] = {}
        for (student, question), key in book.all_keys(quiz.id).items():
            stored.setdefault(student, {})[question] = key
        known = book.submission_keys(quiz.id)
        stamp = run_stamp(bank, quiz, lang)
        sub_keys = {f.student: hashlib.sha256((raw_digest(f.path) + stamp).encode()).hexdigest() for f in folders}
        changed = [f for f in folders if force or known.get(f.student) != sub_keys[f.student]]
        tasks = [(str(f.path), stored.get(f.student, {}), f.student) for f in changed]
        unchanged = set(sub_keys) - {f.student for f in changed}
        summary.reused_questions += sum(len(stored.get(name, {})) for name in unchanged)
        bad_names = {f.student for f in folders if f.bad_name}
        for result in _execute(tasks, bank, quiz, lang, jobs, force, progress, student_seconds):
            if result.student in bad_names:
                from grader.messages import problem
                result.problems.insert(0, Problem.from_json(problem("", "sub_bad_name", lang, "warning",
                                                                    student=result.student)))
            key = sub_keys[result.student] if result.error is None and not result.fault_parts else None
            book.store(quiz.id, result.student, _storable(result), result.problems, key)
            summary.graded_questions += len(result.graded)
            summary.reused_questions += len(result.questions) - len(result.graded)
            if result.error is not None:
                summary.problems.append(f"{result.student}: {result.error}")
        from grader.publish import atomic_write, templates_stamp
        outputs_stamp = hashlib.sha256(json.dumps([sub_keys, book.overrides_digest(quiz.id), lang,
                                                   templates_stamp(templates)]).encode()).hexdigest()
        stamp_file = out / ".nngrade-outputs"
        fresh = (not tasks and stamp_file.exists() and stamp_file.read_text() == outputs_stamp
                 and (out / "results.json").exists() and (out / "index.html").exists())
        results = ClassResults(quiz.id, _collect(book, quiz, bank, [f.student for f in folders]))
        if not fresh:
            summary.reports_written = _publish(book, results, quiz, bank, out, lang, templates, jobs)
            atomic_write(stamp_file, outputs_stamp)
        summary.errors = results.errors
        summary.results = results
        book.remember_run(quiz.id, quiz_path=str(Path(quiz.path).resolve()), bank=str(bank.root),
                          submissions=str(submissions.resolve()), out=str(out.resolve()), lang=lang,
                          templates=templates)
    return summary


def _storable(result: Graded) -> list[tuple[str, str, QuestionResult]]:
    """What the gradebook keeps: a question with a part in verdict ``error`` is stored under no key,
    so the next run grades it again instead of reusing the grader's fault."""
    return [(qid, "" if any(p.is_grader_fault for p in row.parts) else key, row) for qid, key, row in result.graded]


def _publish(book: Gradebook, results: ClassResults, quiz: Quiz, bank: Bank, out: Path, lang: str,
             templates: str | None, jobs: int | None = None) -> int:
    """Publish a class's results; the gradebook remembers which feedback pages are up to date."""
    from grader.publish import publish_class
    page_keys = {s.student: book.report_key(quiz.id, s.student) for s in results.students}
    written = publish_class(results, quiz, bank, out, lang, templates, jobs, page_keys)
    for student, key in written.items():
        book.set_report_key(quiz.id, student, key)
    return len(written)


def refresh_outputs(book: Gradebook, quiz_id: str) -> str | None:
    """Rewrite a quiz's outputs from the gradebook (after an override); the folder, or None."""
    from grader.bank import load_bank
    from grader.quiz import load_quiz
    run = book.last_run(quiz_id)
    if not run or not Path(run["submissions"]).is_dir():
        return None
    bank = load_bank(run["bank"])
    quiz = load_quiz(run["quiz_path"], bank)
    out = Path(run["out"])
    results = ClassResults(quiz.id, _collect(book, quiz, bank,
                                             [f.student for f in student_folders(Path(run["submissions"]))]))
    _publish(book, results, quiz, bank, out, run["lang"], run["templates"])
    return str(out)


def _execute(tasks, bank, quiz, lang, jobs, force, progress, student_seconds=None):
    """Grade ``tasks`` in worker processes; yields one result per task, whatever happens to the workers.

    Every student is graded in a forked worker (also with ``--jobs 1``), at most ``jobs`` at a time.
    A worker that dies (a segfault, the OOM killer, ``BrokenProcessPool``) or holds one student
    past the hard limit (its time budget plus a margin; the worker is then killed) breaks the pool:
    the students it held are retried one at a time in a fresh worker, so the innocent ones are
    graded normally and a student who brings a worker down a second time gets the error, with the
    cause. The other students and the run go on.
    """
    from tqdm import tqdm

    from grader.results import grading
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(tasks) or 1))
    budget = grading.STUDENT_SECONDS if student_seconds is None else student_seconds
    hard = budget + 60.0                    # the sandbox and the checks bound themselves well within this
    _STATE.update(bank=bank, quiz=quiz, lang=lang, student_seconds=student_seconds)
    # progress: on/off, or the bar's (label, unit) in the instructor's language
    desc, unit = progress if isinstance(progress, tuple) else ("grading", "student")
    bar = tqdm(total=len(tasks), unit=unit, desc=desc, disable=not progress, leave=False)
    crashes: Counter = Counter()
    queue = list(tasks)
    try:
        while queue:
            broken: list = []               # [cause, tasks in flight, tasks not started] when a worker died
            for result in _pool_pass(queue, jobs, force, hard, broken):
                bar.update()
                yield result
            if not broken:
                break
            cause, held, rest = broken[0], broken[1], broken[2]
            for task in held:                   # suspects, one at a time
                crashes[task[2]] += 1
                result = None
                if crashes[task[2]] < 2:
                    again: list = []
                    results = list(_pool_pass([task], 1, force, hard, again))
                    if results:
                        result = results[0]
                    else:
                        crashes[task[2]] += 1
                        cause = again[0]
                if result is None:
                    result = _failed(task[2], cause, key="worker_died")
                bar.update()
                yield result
            queue = rest
    finally:
        bar.close()


def _pool_pass(tasks, width, force, hard, broken: list):
    """Run ``tasks`` in one pool, ``width`` at a time, yielding results. If the pool breaks, stop and
    fill ``broken`` with [cause, tasks in flight, tasks not started]."""
    ctx = multiprocessing.get_context("fork")
    pending = list(tasks)
    flight: dict = {}                       # future -> (task, started)
    pool = ProcessPoolExecutor(width, mp_context=ctx, initializer=_init_worker, initargs=(None, None, None))
    killed = False
    try:
        while pending or flight:
            while pending and len(flight) < width:
                task = pending.pop(0)
                flight[pool.submit(grade_student, task[0], task[1], force, task[2])] = (task, time.monotonic())
            done, _ = wait(list(flight), timeout=5.0, return_when=FIRST_COMPLETED)
            for future in done:
                task, _ = flight.pop(future)
                try:
                    result = future.result()
                except BrokenProcessPool:
                    flight[future] = (task, 0.0)
                    lang = _STATE.get("lang") or "en"
                    cause = (text("cause_overran", lang, seconds=f"{hard:g}") if killed else
                             text("cause_pool_died", lang))
                    broken[:] = [cause, [t for t, _ in flight.values()], pending]
                    return
                except Exception as exc:  # grade_student never raises; a result that cannot be
                    result = _failed(task[2], f"{type(exc).__name__}: {exc}")      # sent back costs its student
                yield result
            now = time.monotonic()
            if any(now - started > hard for _, started in flight.values()):
                killed = True
                for proc in list(getattr(pool, "_processes", {}).values()):
                    proc.kill()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _collect(book: Gradebook, quiz: Quiz, bank: Bank, names: list[str]) -> list[StudentResult]:
    """Each student's results as stored, with the instructor's overrides applied."""
    students = []
    for name in names:
        qids = [a.question.id for a in assignment(quiz, bank, name)]
        students.append(StudentResult.build(name, book.results(quiz.id, name, qids), book.problems(quiz.id, name),
                                            book.overrides(quiz.id, name), page=f"{page_name(name)}/feedback.html"))
    return students
