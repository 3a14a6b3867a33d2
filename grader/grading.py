"""Grading one student: every assigned part checked, every file problem recorded.

Returns plain data (dicts and lists) that the gradebook stores and the reports read.
"""
from __future__ import annotations

import hashlib
import json
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


def grade_code(items: list[Assigned], sub: Submission, lang: str) -> dict:
    """Every code part of these questions in one sandbox run: {address: Result}."""
    from .check import to_result
    from .checks.code import check_code_parts
    parts = [p for item in items for p in item.parts if p.type == "code"]
    if not parts or sub.source is None:
        return {}
    outcomes = check_code_parts(parts, sub.source, lang)
    return {p.address: to_result(p, outcomes[p.address]) for p in parts}


def grade_items(items: list[Assigned], sub: Submission, lang: str) -> list[dict]:
    """These questions of one student graded, with all their code parts in one sandbox run."""
    code = grade_code(items, sub, lang)
    return [grade_question(item, sub, lang, code) for item in items]


def grade_question(item: Assigned, sub: Submission, lang: str, code: dict | None = None) -> dict:
    """All assigned parts of one question for one student (code parts from ``code`` when given)."""
    q = item.question
    given = sub.answers.get(q.id, {})
    parts = []
    for part in item.parts:
        if code and part.address in code:
            parts.append(_part_row(code[part.address].to_json()))
            continue
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
