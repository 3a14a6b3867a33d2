"""Grading one submission: every assigned part checked, every file problem recorded.

:func:`grade_submission` is the one way a submission is graded (a class run's worker, ``grade
--single``, Gradescope, GitHub Classroom); it returns the results model (grader/results/__init__.py) that the
gradebook stores and the publish stage (grader/publish/__init__.py) formats.
"""
from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass, field
from functools import lru_cache, partial
from pathlib import Path

from grader import __version__
from grader.bank import Bank
from grader.checks import answer_type, check_answer
from grader.messages import problem, text
from grader.quiz import Assigned, Quiz, assignment
from grader.results import PartResult, Problem, QuestionResult, StudentResult, answer_digest
from grader.submission import Submission, load_submission


def question_key(item: Assigned, sub: Submission, quiz: Quiz, bank: Bank, lang: str) -> str:
    """What a question's grade depends on; an unchanged key means the stored grade is still right."""
    q = item.question
    h = hashlib.sha256()
    for rel in (q.path, q.solution_path):
        h.update(file_digest(str(bank.root / rel)).encode())
    h.update(json.dumps(sub.answers.get(q.id), sort_keys=True, default=str).encode())
    if any(not answer_type(p.type).in_answers_file for p in item.parts):      # a part answered in solution.py
        h.update(sub.source_digest.encode())
    h.update(json.dumps([p.id for p in item.parts]).encode())
    h.update(f"{quiz.seed}|{sub.student}|{lang}|{__version__}".encode())
    return h.hexdigest()


@lru_cache(maxsize=512)
def file_digest(path: str) -> str:
    """A bank file's digest, read once per process (the bank does not change during a run)."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


STUDENT_SECONDS = 120.0       # the whole of one student's grading (code and the rest), by default


def grade_code(items: list[Assigned], sub: Submission, lang: str, budget: float | None = None) -> dict:
    """Every code part of these questions in one sandbox run: {address: Result}.

    ``budget`` caps the sandbox run's total time (the student's remaining time budget):
    calls it leaves unrun come back as "not run: time budget used up", the student's own
    verdict. A grader fault while scoring (say a ``ValueError`` decoding one reply) costs
    only the part it hit: the parts are then run and scored one by one, and the one that
    fails again gets verdict ``error``.
    """
    from grader.checks import to_result
    from grader.checks.code import TOTAL_SECONDS, check_code_parts
    parts = [p for item in items for p in item.parts if answer_type(p.type).batched]
    if not parts or sub.source is None:
        return {}
    parts = _within(parts, budget, TOTAL_SECONDS)
    try:
        outcomes = check_code_parts(parts, sub.source, lang)
        return {p.address: to_result(p, outcomes[p.address]) for p in parts}
    except Exception:  # a grader fault: find the part it belongs to
        results = {}
        for part in parts:
            try:
                results[part.address] = to_result(part, check_code_parts([part], sub.source, lang)[part.address])
            except Exception as exc:
                results[part.address] = _fault(part, exc, lang)
        return results


def _within(parts: list, budget: float | None, default: float) -> list:
    """The parts with their sandbox seconds scaled down so that together they fit in ``budget``."""
    import dataclasses
    total = sum(p.spec.get("seconds", default) for p in parts)
    if budget is None or total <= budget:
        return parts
    scale = max(budget, 0.0) / total
    return [dataclasses.replace(p, spec={**p.spec, "seconds": p.spec.get("seconds", default) * scale}) for p in parts]


def _fault(part, exc: BaseException, lang: str):
    """A part the grader failed on: verdict ``error`` with the cause, never the student's fault."""
    from grader.outcome import Result
    detail = f"{type(exc).__name__}: {str(exc)[:300]}"
    return Result(part.question_id, part.id, "error", 0.0, part.points, (text("grading_failed", lang, detail=detail),),
                  None, {"error": "internal", "exception": detail})


def _budget_used(part, lang: str, seconds: float):
    from grader.outcome import Result
    return Result(part.question_id, part.id, "incorrect", 0.0, part.points,
                  (text("budget_used", lang, seconds=f"{seconds:g}"),), None, {"error": "budget"})


def grade_items(items: list[Assigned], sub: Submission, lang: str,
                budget: float | None = -1.0) -> list[QuestionResult]:
    """These questions of one student graded, with all their code parts in one sandbox run.

    ``budget`` (seconds; default :data:`STUDENT_SECONDS`, None for no bound) bounds the whole student.
    The other parts are graded first (each check is bounded on its own), then the code parts in
    one sandbox run within what is left; calls it leaves unrun are "not run: time budget used up",
    and code parts reached with nothing left are "time budget used up" (incorrect: the student's
    own code or answers used the time).
    """
    if budget is not None and budget < 0:
        budget = STUDENT_SECONDS
    start = time.monotonic()
    done: dict = {}
    for item in items:
        given = sub.answers.get(item.question.id, {})
        given = given if isinstance(given, dict) else {}
        for part in item.parts:
            if not answer_type(part.type).batched:
                check = partial(check_answer, part, given.get(part.id), lang, params=item.params)
                done[part.address] = _guarded(part, lang, check)
    left = None if budget is None else budget - (time.monotonic() - start)
    code_items = [item for item in items if any(answer_type(p.type).batched for p in item.parts)]
    if code_items and (left is None or left > 0):
        try:
            done.update(grade_code(code_items, sub, lang, left))
        except Exception as exc:  # anything else: the code parts only
            done.update({p.address: _fault(p, exc, lang) for item in code_items for p in item.parts
                         if answer_type(p.type).batched})
    return [grade_question(item, sub, lang, done, left, budget) for item in items]


def _guarded(part, lang: str, check):
    try:
        return check()
    except Exception as exc:  # a fault in one part's check is that part's error
        return _fault(part, exc, lang)


def grade_question(item: Assigned, sub: Submission, lang: str, code: dict | None = None,
                   left: float | None = None, budget: float | None = None) -> QuestionResult:
    """All assigned parts of one question for one student (parts already graded are taken from ``code``).

    Each part is graded on its own: whatever goes wrong in one part's check is that part's ``error``.
    """
    q = item.question
    given = sub.answers.get(q.id, {})
    if not isinstance(given, dict):
        given = {}
    parts = []
    for part in item.parts:
        try:
            result = _part_result(_grade_part(item, part, sub, given, lang, code, left, budget))
        except Exception as exc:
            result = _part_result(_fault(part, exc, lang))
        # what was graded, as a digest: an instructor's override binds to it (grader/results Override.answer)
        answered = given.get(part.id) if answer_type(part.type).in_answers_file else sub.source
        result.details.setdefault("answer_sha", answer_digest(answered))
        parts.append(result)
    return QuestionResult(q.id, parts, _jsonable(item.params))


def _grade_part(item, part, sub, given, lang, code, left, budget):
    if code and part.address in code:
        return code[part.address]
    if not answer_type(part.type).in_answers_file:        # answered in solution.py
        if sub.source is None:
            result = check_answer(part, None, lang)
            return dataclasses_replace(result, feedback=(text("code_no_source", lang, fns=", ".join(
                f["name"] for f in part.spec.get("functions", []))),))
        if left is not None and left <= 0:
            return _budget_used(part, lang, budget)
        return check_answer(part, sub.source, lang)
    return check_answer(part, given.get(part.id), lang, params=item.params)


def dataclasses_replace(obj, **changes):
    import dataclasses
    return dataclasses.replace(obj, **changes)


def _part_result(result) -> PartResult:
    return PartResult.from_check(result, _jsonable(result.details or {}))


def _jsonable(value):
    return json.loads(json.dumps(value, default=_default))


def _default(obj):
    import numpy as np
    if isinstance(obj, np.ndarray):
        return obj.tolist()
    if isinstance(obj, np.generic):
        return obj.item()
    return str(obj)


def pooled(quiz: Quiz | None) -> set[str]:
    """What the quiz's pools can draw: question ids and 'question/part' addresses (with their question)."""
    out: set[str] = set()
    for entry in quiz.entries if quiz is not None else ():
        if isinstance(entry, dict) and isinstance(entry.get("pool"), list):
            for item in map(str, entry["pool"]):
                out.update({item, item.split("/", 1)[0]})
    return out


def student_problems(sub: Submission, assigned: list[Assigned], quiz: Quiz | None = None) -> list[dict]:
    """File problems plus answers to questions or parts that this student's quiz does not have; an answer
    to something the quiz's pools hold but did not draw for this student is said as such."""
    problems = list(sub.problems)
    pool = pooled(quiz)
    for qid in sorted(q for q in sub.answers if q not in {a.question.id for a in assigned}):
        if qid in pool:
            problems.append(problem("answers.yaml", "sub_not_drawn", sub.lang, "warning", address=qid))
        else:
            problems.append(problem("answers.yaml", "sub_not_question", sub.lang, "warning", question=qid))
    for item in assigned:
        wanted = {p.id for p in item.parts if answer_type(p.type).in_answers_file}
        for pid in sorted(set(sub.answers.get(item.question.id, {})) - wanted):
            address = f"{item.question.id}/{pid}"
            key = "sub_not_drawn" if address in pool else "sub_not_part"
            problems.append(problem("answers.yaml", key, sub.lang, "warning", address=address))
    return problems


# -- one submission, whoever asks ---------------------------------------------------------------

@dataclass
class Graded:
    """One submission graded: the questions graded now, each with the key it was graded under."""

    student: str
    graded: list[tuple[str, str, QuestionResult]]      # (question id, key, result)
    questions: list[str]                               # every assigned question id
    problems: list[Problem] = field(default_factory=list)
    error: str | None = None                           # the grader could not grade this submission at all
    seconds: float = 0.0

    def result(self, overrides: dict | None = None) -> StudentResult:
        """The student's results from what was graded here (a single submission: everything was)."""
        return StudentResult.build(self.student, [q for _, _, q in self.graded], self.problems, overrides,
                                   seconds=self.seconds)

    @property
    def fault_parts(self) -> bool:
        return any(p.is_grader_fault for _, _, q in self.graded for p in q.parts)


def grade_submission(bank: Bank, quiz: Quiz, folder: Path, student: str, lang: str | None = None, *,
                     stored: dict[str, str] | None = None, force: bool = True) -> Graded:
    """Grade one submission folder as every mode does; never raises.

    ``stored`` maps question ids to the keys they were last graded under (a class run's gradebook):
    questions whose key is unchanged are not graded again unless ``force``. A grader fault in one
    part is that part's verdict ``error``; one that stops the whole submission (loading, assignment,
    anything) is returned as ``error`` with a grader-fault problem, and costs only this student.
    """
    lang = lang or quiz.lang
    start = time.perf_counter()
    problems: list[dict] = []
    try:
        sub = load_submission(Path(folder), student, lang)       # links (solution.py -> ...) are refused
        problems = sub.problems
        assigned = assignment(quiz, bank, sub.student)
        todo = []
        for item in assigned:
            key = question_key(item, sub, quiz, bank, lang)
            if force or stored is None or stored.get(item.question.id) != key:
                todo.append((item, key))
        rows = grade_items([item for item, _ in todo], sub, lang)
        graded = [(item.question.id, key, row) for (item, key), row in zip(todo, rows)]
        return Graded(sub.student, graded, [a.question.id for a in assigned],
                      [Problem.from_json(p) for p in student_problems(sub, assigned, quiz)],
                      seconds=time.perf_counter() - start)
    except Exception as exc:  # a grader fault costs this student's grading, reported, never the class
        return failed(student, f"{type(exc).__name__}: {str(exc)[:500]}", lang,
                      [Problem.from_json(p) for p in problems], seconds=time.perf_counter() - start)


def failed(student: str, cause: str, lang: str, problems: list[Problem] | None = None, key: str = "student_failed",
           seconds: float = 0.0) -> Graded:
    """A submission that could not be graded at all: no parts, and a grader-fault note with the cause."""
    note = Problem.grader_fault(cause, text(key, lang, detail=cause), key, {"detail": cause})
    return Graded(student, [], [], list(problems or []) + [note], cause, seconds)


def grade_one(bank: Bank, quiz: Quiz, folder: Path, student: str, lang: str | None = None) -> StudentResult:
    """One submission graded as in a class run, without a gradebook (``grade --single``, Gradescope)."""
    return grade_submission(bank, quiz, folder, student, lang).result()
