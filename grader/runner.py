"""A grading run: every student folder graded (in parallel), stored, and written out.

    students → (unchanged questions reused from the gradebook) → grade the rest in
    worker processes → store each student atomically → results.json, grades.csv,
    feedback.html per student (only where something changed), index.html
"""
from __future__ import annotations

import csv
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

from .bank import Bank
from .gradebook import Gradebook
from .grading import file_digest, grade_items, question_key, student_problems
from .quiz import Quiz, assignment
from .submission import Entry, discover, load_submission, page_name, raw_digest
from .summary import GRADER_FAULT, class_summary, grader_errors, grader_fault_problem, student_result

EXIT_GRADER_ERROR = 3        # `nngrade grade` when any part ended in a grader error (results are still written)


@dataclass
class RunSummary:
    students: int = 0
    graded_questions: int = 0
    reused_questions: int = 0
    reports_written: int = 0
    out: str = ""
    problems: list[str] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)     # grader faults: {"student", "part", "cause"}


def run_stamp(bank: Bank, quiz: Quiz, lang: str) -> str:
    """Everything besides a submission that its grades depend on: bank, quiz, grader version, language."""
    from . import __version__
    h = hashlib.sha256(f"{quiz.digest}|{lang}|{__version__}|{quiz.seed}".encode())
    for q in sorted(bank.questions.values(), key=lambda q: q.id):
        for rel in (q.path, q.solution_path):
            h.update(file_digest(str(bank.root / rel)).encode())
    return h.hexdigest()


def student_folders(root: Path) -> list[Entry]:
    """The class's students: id, folder and page folder each (see grader/submission.py for the rules)."""
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
    from .checks import code
    _die_with_parent()
    code._BOX.clear()                       # a forked worker starts its own sandbox
    if bank is not None:
        _STATE.update(bank=bank, quiz=quiz, lang=lang)
    if _STATE.get("student_seconds") is not None:
        from . import grading
        grading.STUDENT_SECONDS = _STATE["student_seconds"]


def grade_student(folder: str, stored: dict[str, str], force: bool, student: str | None = None) -> dict:
    """Grade what changed for one student; plain data back to the parent. Never raises."""
    bank, quiz, lang = _STATE["bank"], _STATE["quiz"], _STATE["lang"]
    student = student if student is not None else Path(folder).name
    problems: list[dict] = []
    try:
        sub = load_submission(Path(folder), student, lang)
        problems = sub.problems
        assigned = assignment(quiz, bank, sub.student)
        todo = []
        for item in assigned:
            key = question_key(item, sub, quiz, bank, lang)
            if force or stored.get(item.question.id) != key:
                todo.append((item, key))
        rows = grade_items([item for item, _ in todo], sub, lang)
        graded = [(item.question.id, key, row) for (item, key), row in zip(todo, rows)]
        problems = student_problems(sub, assigned)
        return {"student": sub.student, "graded": graded, "problems": problems,
                "questions": [a.question.id for a in assigned]}
    except Exception as exc:  # a grader fault costs this student's run, reported, never the class
        return _failed(student, f"{type(exc).__name__}: {str(exc)[:500]}", problems)


def _failed(student: str, cause: str, problems: list[dict] | None = None, key: str = "student_failed") -> dict:
    """The result of a student who could not be graded at all: no parts, a problem note, the cause."""
    from .messages import text
    lang = _STATE.get("lang") or "en"
    return {"student": student, "graded": [], "questions": [], "error": cause,
            "problems": list(problems or []) + [{"file": "", "severity": "error", "kind": GRADER_FAULT,
                                                 "message": text(key, lang, detail=cause)}]}


# -- the run -------------------------------------------------------------------------------------

def run_grading(bank: Bank, quiz: Quiz, submissions: Path, out: Path, db_path: Path | None = None,
                jobs: int | None = None, force: bool = False, lang: str | None = None,
                templates: str | None = None, progress: bool = True,
                student_seconds: float | None = None) -> RunSummary:
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
    summary = RunSummary(students=len(folders), out=str(out))
    with Gradebook(db_path) as book:
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
            if result["student"] in bad_names:
                from .messages import text
                result["problems"].insert(0, {"file": "", "severity": "warning",
                                              "message": text("sub_bad_name", lang, student=result["student"])})
            _mark_grader_faults(result)
            key = sub_keys[result["student"]] if "error" not in result and "error_parts" not in result else None
            book.store(quiz.id, result["student"], result["graded"], result["problems"], key)
            summary.graded_questions += len(result["graded"])
            summary.reused_questions += len(result["questions"]) - len(result["graded"])
            if "error" in result:
                summary.problems.append(f"{result['student']}: {result['error']}")
        outputs_stamp = hashlib.sha256(json.dumps([sub_keys, book.overrides_digest(quiz.id), lang,
                                                   _templates_stamp(templates)]).encode()).hexdigest()
        stamp_file = out / ".nngrade-outputs"
        fresh = (not tasks and stamp_file.exists() and stamp_file.read_text() == outputs_stamp
                 and (out / "results.json").exists() and (out / "index.html").exists())
        if not fresh:
            students = _collect(book, quiz, bank, [f.student for f in folders])
            summary.reports_written = write_outputs(book, quiz, bank, students, out, lang, templates, jobs)
            _atomic_write(stamp_file, outputs_stamp)
            summary.errors = grader_errors(students)
        else:
            summary.errors = json.loads((out / "results.json").read_text(encoding="utf-8")).get("errors", [])
        book.remember_run(quiz.id, quiz_path=str(Path(quiz.path).resolve()), bank=str(bank.root),
                          submissions=str(submissions.resolve()), out=str(out.resolve()), lang=lang,
                          templates=templates)
    return summary


def _mark_grader_faults(result: dict) -> None:
    """Make a run's grader faults loud and retried: a submission the grader could not grade carries a
    grader-fault problem, and a question with a part in verdict ``error`` is stored under no key, so the
    next run grades it again instead of reusing the fault."""
    if "error" in result and not any(p.get("kind") == GRADER_FAULT for p in result["problems"]):
        notes = [p for p in result["problems"] if p.get("severity") == "error" and result["error"] in p["message"]]
        if notes:                               # the student's own note of the failure, marked as the grader's
            notes[-1].update(kind=GRADER_FAULT, cause=result["error"])
        else:
            result["problems"].append(grader_fault_problem(result["error"]))
    if any(p["verdict"] == "error" for _, _, row in result["graded"] for p in row["parts"]):
        result["error_parts"] = True
        result["graded"] = [(qid, "" if any(p["verdict"] == "error" for p in row["parts"]) else key, row)
                            for qid, key, row in result["graded"]]


def refresh_outputs(book: Gradebook, quiz_id: str) -> str | None:
    """Rewrite a quiz's outputs from the gradebook (after an override); the folder, or None."""
    from .bank import load_bank
    from .quiz import load_quiz
    run = book.last_run(quiz_id)
    if not run or not Path(run["submissions"]).is_dir():
        return None
    bank = load_bank(run["bank"])
    quiz = load_quiz(run["quiz_path"], bank)
    out = Path(run["out"])
    students = _collect(book, quiz, bank, [f.student for f in student_folders(Path(run["submissions"]))])
    write_outputs(book, quiz, bank, students, out, run["lang"], run["templates"])
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
    from . import grading
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(tasks) or 1))
    budget = grading.STUDENT_SECONDS if student_seconds is None else student_seconds
    hard = budget + 60.0                    # the sandbox and the checks bound themselves well within this
    _STATE.update(bank=bank, quiz=quiz, lang=lang, student_seconds=student_seconds)
    bar = tqdm(total=len(tasks), unit="student", desc="grading", disable=not progress, leave=False)
    crashes: Counter = Counter()
    queue = list(tasks)
    try:
        while queue:
            broken: list[tuple] = []
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
                    cause = (f"grading took longer than {hard:g} s; the process was stopped" if killed else
                             "a grading process died (BrokenProcessPool: killed by a signal, out of memory, "
                             "or a crash)")
                    broken[:] = [cause, [t for t, _ in flight.values()], pending]
                    return
                except Exception as exc:  # noqa: BLE001 - grade_student never raises; a result that cannot be
                    result = _failed(task[2], f"{type(exc).__name__}: {exc}")      # sent back costs its student
                yield result
            now = time.monotonic()
            if any(now - started > hard for _, started in flight.values()):
                killed = True
                for proc in list(getattr(pool, "_processes", {}).values()):
                    proc.kill()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _collect(book: Gradebook, quiz: Quiz, bank: Bank, names: list[str]) -> list[dict]:
    students = []
    for name in names:
        qids = [a.question.id for a in assignment(quiz, bank, name)]
        rows = book.results(quiz.id, name, qids)
        students.append(student_result(name, rows, book.overrides(quiz.id, name), book.problems(quiz.id, name)))
    return students


def write_outputs(book: Gradebook, quiz: Quiz, bank: Bank, students: list[dict], out: Path, lang: str,
                  templates: str | None = None, jobs: int | None = None) -> int:
    """results.json, grades.csv, index.html, and feedback.html where a student's result changed."""
    from .report import render_index
    entries = [{**_contract(s), "page": f"{page_name(s['student'])}/feedback.html"} for s in students]
    results = {"quiz": quiz.id, "errors": grader_errors(students), "students": entries}
    _atomic_write(out / "results.json", json.dumps(results, ensure_ascii=False, indent=1))
    write_grades_csv(out / "grades.csv", students)
    template_stamp = _templates_stamp(templates)
    todo = []
    for s in students:
        key = hashlib.sha256((json.dumps(s, sort_keys=True, ensure_ascii=False) + lang + template_stamp).encode()).hexdigest()
        page = out / page_name(s["student"]) / "feedback.html"
        if book.report_key(quiz.id, s["student"]) != key or not page.exists():
            todo.append((s, key, page))
    for s, key, page in _render_all(todo, quiz, bank, lang, templates, jobs):
        book.set_report_key(quiz.id, s["student"], key)
    _atomic_write(out / "index.html", render_index(students, class_summary(students), quiz, lang, templates))
    return len(todo)


_RENDER: dict = {}


def _render_one(args) -> None:
    s, page = args
    from .report import render_feedback
    page.parent.mkdir(parents=True, exist_ok=True)
    _atomic_write(page, render_feedback(s, _RENDER["quiz"], _RENDER["bank"], _RENDER["lang"], _RENDER["templates"]))


def _render_all(todo, quiz, bank, lang, templates, jobs):
    """Write the feedback pages, in parallel when there are many; yields what was written.

    The bank holds functions loaded from files, so workers inherit it by fork instead of by pickle.
    """
    jobs = max(1, jobs or os.cpu_count() or 1)
    _RENDER.update(quiz=quiz, bank=bank, lang=lang, templates=templates)
    work = [(s, page) for s, _, page in todo]
    if jobs == 1 or len(todo) < 8:
        for args in work:
            _render_one(args)
    else:
        with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork")) as pool:
            list(pool.map(_render_one, work, chunksize=8))
    yield from todo


def _contract(s: dict) -> dict:
    """A student as results.json's contract has it (plus problems and the details of each part)."""
    return {"student": s["student"], "score": s["score"], "max_score": s["max_score"], "problems": s["problems"],
            "questions": [{"question": q["question"], "parts": [
                {**{k: v for k, v in p.items() if k in ("part", "verdict", "score", "max_score", "feedback",
                                                        "interpreted", "auto_score", "override")},
                 "details": {k: v for k, v in (p.get("details") or {}).items() if k != "curves"}}
                for p in q["parts"]]} for q in s["questions"]]}


def write_grades_csv(path: Path, students: list[dict]) -> None:
    """grades.csv: one row per student; ids and headers neutralised for spreadsheets, scores as numbers."""
    from .escaping import csv_row
    from .exports import score_cell
    columns = sorted({f"{q['question']}/{p['part']}" for s in students for q in s["questions"] for p in q["parts"]})
    tmp = path.with_suffix(".tmp")
    with tmp.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(csv_row(["student", "score", "max_score", "percent"] + columns))
        for s in students:
            scores = {f"{q['question']}/{p['part']}": "error" if p["verdict"] == "error" else score_cell(p["score"])
                      for q in s["questions"] for p in q["parts"]}       # a grader fault is no zero of the student's
            pct = 100 * s["score"] / s["max_score"] if s["max_score"] else 0.0
            writer.writerow(csv_row([s["student"], score_cell(s["score"]), score_cell(s["max_score"]), round(pct, 1)]
                                    + [scores.get(c, "") for c in columns]))
    os.replace(tmp, path)


def _atomic_write(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def _templates_stamp(extra: str | None) -> str:
    from .report import template_dirs
    h = hashlib.sha256()
    for d in template_dirs(extra):
        for p in sorted(Path(d).glob("*.html")):
            h.update(p.name.encode())
            h.update(p.read_bytes())
    return h.hexdigest()
