"""Grading one student: every assigned part checked, every file problem recorded.

Returns plain data (dicts and lists) that the gradebook stores and the reports read.
"""
from __future__ import annotations

import hashlib
import json

from . import __version__
from .bank import Bank
from .check import check_answer, is_missing
from .messages import text
from .quiz import Assigned, Quiz
from .submission import Submission


def question_key(item: Assigned, sub: Submission, quiz: Quiz, bank: Bank, lang: str) -> str:
    """What a question's grade depends on; an unchanged key means the stored grade is still right."""
    q = item.question
    h = hashlib.sha256()
    for rel in (q.path, q.solution_path):
        h.update((bank.root / rel).read_bytes())
    h.update(json.dumps(sub.answers.get(q.id), sort_keys=True, default=str).encode())
    if any(p.type == "code" for p in item.parts):
        h.update(sub.source_digest.encode())
    h.update(json.dumps([p.id for p in item.parts]).encode())
    h.update(f"{quiz.seed}|{sub.student}|{lang}|{__version__}".encode())
    return h.hexdigest()


def grade_question(item: Assigned, sub: Submission, lang: str) -> dict:
    """All assigned parts of one question for one student."""
    q = item.question
    given = sub.answers.get(q.id, {})
    parts = []
    for part in item.parts:
        if part.type == "code":
            answer = sub.source
            if answer is None:
                result = check_answer(part, None, lang)
                result_json = result.to_json()
                result_json["feedback"] = text("code_no_source", lang, fns=", ".join(
                    f["name"] for f in part.spec.get("functions", [])))
                parts.append(_part_row(result_json))
                continue
        else:
            answer = given.get(part.id)
        result = check_answer(part, answer, lang, params=item.params)
        parts.append(_part_row(result.to_json()))
    return {"question": q.id, "parts": parts, "params": _jsonable(item.params)}


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
