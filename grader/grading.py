"""Grading one student: every assigned part checked, every file problem recorded.

Returns plain data (dicts and lists) that the gradebook stores and the reports read.
"""
from __future__ import annotations

import hashlib
import json
import time
from functools import lru_cache
from pathlib import Path

from . import __version__
from .bank import Bank
from .check import check_answer
from .messages import text
from .quiz import Assigned, Quiz
from .submission import Submission


def question_key(item: Assigned, sub: Submission, quiz: Quiz, bank: Bank, lang: str) -> str:
    """What a question's grade depends on; an unchanged key means the stored grade is still right."""
    q = item.question
    h = hashlib.sha256()
    for rel in (q.path, q.solution_path):
        h.update(file_digest(str(bank.root / rel)).encode())
    h.update(json.dumps(sub.answers.get(q.id), sort_keys=True, default=str).encode())
    if any(p.type == "code" for p in item.parts):
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
    from .check import to_result
    from .checks.code import TOTAL_SECONDS, check_code_parts
    parts = [p for item in items for p in item.parts if p.type == "code"]
    if not parts or sub.source is None:
        return {}
    parts = _within(parts, budget, TOTAL_SECONDS)
    try:
        outcomes = check_code_parts(parts, sub.source, lang)
        return {p.address: to_result(p, outcomes[p.address]) for p in parts}
    except Exception:  # noqa: BLE001 - a grader fault: find the part it belongs to
        results = {}
        for part in parts:
            try:
                results[part.address] = to_result(part, check_code_parts([part], sub.source, lang)[part.address])
            except Exception as exc:  # noqa: BLE001
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
    from .result import Result
    detail = f"{type(exc).__name__}: {str(exc)[:300]}"
    return Result(part.question_id, part.id, "error", 0.0, part.points, (text("grading_failed", lang, detail=detail),),
                  None, {"error": "internal", "exception": detail})


def _budget_used(part, lang: str, seconds: float):
    from .result import Result
    return Result(part.question_id, part.id, "incorrect", 0.0, part.points,
                  (text("budget_used", lang, seconds=f"{seconds:g}"),), None, {"error": "budget"})


def grade_items(items: list[Assigned], sub: Submission, lang: str, budget: float | None = -1.0) -> list[dict]:
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
            if part.type != "code":
                done[part.address] = _guarded(part, lang, lambda: check_answer(part, given.get(part.id), lang,
                                                                              params=item.params))
    left = None if budget is None else budget - (time.monotonic() - start)
    code_items = [item for item in items if any(p.type == "code" for p in item.parts)]
    if code_items and (left is None or left > 0):
        try:
            done.update(grade_code(code_items, sub, lang, left))
        except Exception as exc:  # noqa: BLE001 - anything else: the code parts only
            done.update({p.address: _fault(p, exc, lang) for item in code_items for p in item.parts
                         if p.type == "code"})
    return [grade_question(item, sub, lang, done, left, budget) for item in items]


def _guarded(part, lang: str, check):
    try:
        return check()
    except Exception as exc:  # noqa: BLE001 - a fault in one part's check is that part's error
        return _fault(part, exc, lang)


def grade_question(item: Assigned, sub: Submission, lang: str, code: dict | None = None,
                   left: float | None = None, budget: float | None = None) -> dict:
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
            parts.append(_part_row(_grade_part(item, part, sub, given, lang, code, left, budget).to_json()))
        except Exception as exc:  # noqa: BLE001
            parts.append(_part_row(_fault(part, exc, lang).to_json()))
    return {"question": q.id, "parts": parts, "params": _jsonable(item.params)}


def _grade_part(item, part, sub, given, lang, code, left, budget):
    if code and part.address in code:
        return code[part.address]
    if part.type == "code":
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


def _part_row(data: dict) -> dict:
    row = {k: data[k] for k in ("part", "verdict", "score", "max_score", "feedback", "interpreted")}
    row["details"] = _jsonable(data.get("details") or {})
    return row


def _jsonable(value):
    return json.loads(json.dumps(value, default=_default))


def _default(obj):
    import numpy as np
    if isinstance(obj, np.ndarray):
        return obj.tolist()
    if isinstance(obj, np.generic):
        return obj.item()
    return str(obj)


def student_problems(sub: Submission, assigned: list[Assigned]) -> list[dict]:
    """File problems plus answers to questions or parts that this student's quiz does not have."""
    problems = list(sub.problems)
    for qid in sorted(q for q in sub.answers if q not in {a.question.id for a in assigned}):
        problems.append({"file": "answers.yaml", "severity": "warning",
                         "message": f"{qid}: not a question of this quiz (ignored)"})
    for item in assigned:
        wanted = {p.id for p in item.parts if p.type != "code"}
        for pid in sorted(set(sub.answers.get(item.question.id, {})) - wanted):
            problems.append({"file": "answers.yaml", "severity": "warning",
                             "message": f"{item.question.id}/{pid}: not a part of this quiz (ignored)"})
    return problems
