"""Quizzes: which parts a student answers, and with which numbers.

A quiz file (contract in DESIGN.md) lists question ids or ``question/part``
entries; it may also list pools (``{pool: [ids], pick: N}``) from which each
student gets N questions, chosen by the quiz seed and the student id.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import yaml

from grader.bank import Bank, schema
from grader.errors import GraderError
from grader.messages import ref
from grader.model import Part, Question
from grader.said import Joined, Said, SaidError
from grader.variants import stable_seed, variant_rng


class QuizError(SaidError, GraderError):
    """A quiz file that cannot be used; the message lists every problem (``str()`` in English,
    ``message(lang)`` in the instructor's language)."""


@dataclass
class Quiz:
    id: str
    title: dict[str, str]
    seed: int | str
    entries: list            # str ("q" or "q/p") or {"pool": [...], "pick": n}
    path: str
    lang: str = "en"
    duration: int | None = None
    digest: str = ""
    instructions: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)     # "key: message"; fatal under --strict


@dataclass
class Assigned:
    """One question as one student gets it: its parts in the quiz and the student's numbers."""

    question: Question
    parts: list[Part]
    params: dict


def load_quiz(path: str | Path, bank: Bank) -> Quiz:
    """Read and check a quiz against the bank; :class:`QuizError` lists every problem."""
    path = Path(path)
    try:
        raw = path.read_bytes()
        data = yaml.safe_load(raw.decode("utf-8"))
    except FileNotFoundError:
        raise QuizError(ref("quiz_missing", path=str(path))) from None
    except UnicodeDecodeError as exc:
        raise QuizError(ref("quiz_not_utf8", path=str(path), byte=exc.start)) from None
    except yaml.MarkedYAMLError as exc:           # where the parser stopped, and why (the parser's own words)
        mark = exc.problem_mark
        if mark is None:
            raise QuizError(ref("quiz_unreadable", path=str(path), error=str(exc))) from None
        raise QuizError(ref("quiz_yaml_at", path=str(path), line=mark.line + 1, column=mark.column + 1,
                            problem=exc.problem or exc.context or "")) from None
    except (OSError, yaml.YAMLError) as exc:
        raise QuizError(ref("quiz_unreadable", path=str(path),
                            error=getattr(exc, "strerror", None) or str(exc))) from None
    if not isinstance(data, dict):
        raise QuizError(ref("quiz_not_mapping", path=str(path)))
    problems: list[str] = []             # each a Said: English text that keeps its catalog reference
    for key, kind, name in (("id", str, "quiz_type_str"), ("seed", (int, str), "quiz_type_int_or_str"),
                            ("questions", list, "quiz_type_list")):
        if not isinstance(data.get(key), kind):
            problems.append(Said(ref("quiz_expected", field=key, expected=ref(name), got=repr(data.get(key)))))
    title = data.get("title")
    if not (isinstance(title, dict) and title.get("en") and title.get("zh")):
        problems.append(Said(ref("quiz_title", got=repr(title))))
    if data.get("lang", "en") not in ("en", "zh"):
        problems.append(Said(ref("quiz_lang", got=repr(data.get("lang")))))
    for i, entry in enumerate(data.get("questions") or []):
        problems += [Said(ref("quiz_entry", i=i, problem=m)) for m in _check_entry(entry, bank)]
    if not problems and isinstance(data.get("questions"), list):
        problems += fairness_problems(data["questions"], bank)
    issues = schema.check_quiz(data)
    problems += [Said(ref("quiz_schema", field=i.key, message=i.message))     # the schema's words are English
                 for i in issues if i.level == schema.ERROR and not _said(i, problems)]
    if problems:
        raise QuizError(ref("quiz_problems", path=str(path), n=len(problems), problems=Joined(tuple(problems))))
    assert isinstance(title, dict)                      # else a problem above
    return Quiz(data["id"], title, data["seed"], data["questions"], str(path), data.get("lang", "en"),
                data.get("duration"), hashlib.sha256(raw).hexdigest(), data.get("instructions") or {},
                [Said(ref("quiz_warning", field=i.key, message=i.message))
                 for i in issues if i.level == schema.WARNING])


def _said(issue: schema.Issue, problems: list[str]) -> bool:
    """A wrong type the checks above already named (at this key, or around it) is said once."""
    keys = [p.split(": ", 1)[0] for p in problems]
    return issue.kind == "type" and any(issue.key == k or issue.key.startswith((k + ".", k + "["))
                                        or k.startswith((issue.key + ".", issue.key + "[")) for k in keys)


def _check_entry(entry, bank: Bank) -> list[Said]:
    if isinstance(entry, str):
        return _check_id(entry, bank)
    if isinstance(entry, dict) and isinstance(entry.get("pool"), list):
        problems = [m for item in entry["pool"] for m in _check_id(str(item), bank)]
        pick = entry.get("pick", 1)
        if not isinstance(pick, int) or not 1 <= pick <= len(entry["pool"]):
            problems.append(Said(ref("quiz_pick", n=len(entry["pool"]), got=repr(pick))))
        return problems
    return [Said(ref("quiz_bad_entry", got=repr(entry)))]


def item_points(entry: str, bank: Bank) -> float:
    """The points one quiz entry ("q" or "q/p") is worth."""
    qid, _, pid = entry.partition("/")
    question = bank.questions[qid]
    return sum(p.points for p in question.parts if not pid or p.id == pid)


def fairness_problems(entries: list, bank: Bank) -> list[Said]:
    """Why two students of this quiz could have different maxima (empty when every student has the same).

    Every student's maximum is the same exactly when each pool's items carry equal points and nothing a
    pool can draw overlaps another item the same student could get (a second copy of a part is merged into
    the first, so the student who draws it would have fewer points to earn)."""
    problems: list[Said] = []
    places: list[tuple] = []           # (entry index, item, pooled, pick)
    for i, entry in enumerate(entries):
        if isinstance(entry, dict):
            items = [str(x) for x in entry["pool"]]
            places += [(i, item, True, entry.get("pick", 1)) for item in items]
            worth = {item: item_points(item, bank) for item in items}
            if len(set(worth.values())) > 1:
                listed = ", ".join(f"{item}: {points:g}" for item, points in worth.items())
                problems.append(Said(ref("quiz_pool_points", i=i, listed=listed)))
        else:
            places.append((i, str(entry), False, 1))
    for a in range(len(places)):
        for b in range(a + 1, len(places)):
            (i, x, x_pooled, pick), (j, y, y_pooled, _) = places[a], places[b]
            if not (x_pooled or y_pooled) or not _overlap(x, y) or (i == j and pick == 1):
                continue
            problems.append(Said(ref("quiz_overlap", i=i, j=j, x=repr(x), y=repr(y))))
    return problems


def _overlap(x: str, y: str) -> bool:
    (qx, _, px), (qy, _, py) = x.partition("/"), y.partition("/")
    return qx == qy and (not px or not py or px == py)


def _check_id(entry: str, bank: Bank) -> list[Said]:
    qid, _, pid = entry.partition("/")
    if qid not in bank.questions:
        return [Said(ref("quiz_unknown_question", qid=repr(qid)))]
    if pid and bank.questions[qid].part(pid) is None:
        parts = ", ".join(p.id for p in bank.questions[qid].parts)
        return [Said(ref("quiz_no_part", qid=repr(qid), pid=repr(pid), parts=parts))]
    return []


def assignment(quiz: Quiz, bank: Bank, student: str) -> list[Assigned]:
    """The questions, parts and numbers of ``student`` (stable across runs and machines)."""
    chosen: dict[str, list[str] | None] = {}
    for i, entry in enumerate(quiz.entries):
        if isinstance(entry, dict):
            rng = np.random.default_rng(stable_seed("pool", quiz.seed, student, i))
            pool = [str(x) for x in entry["pool"]]
            for item in sorted(rng.choice(len(pool), size=int(entry.get("pick", 1)), replace=False)):
                _add(chosen, pool[int(item)])
        else:
            _add(chosen, entry)
    out = []
    for qid, part_ids in chosen.items():
        question = bank.questions[qid]
        parts = question.parts if part_ids is None else [p for p in question.parts if p.id in part_ids]
        params = question.variant(variant_rng(quiz.seed, student, qid)) if question.variant else {}
        out.append(Assigned(question, parts, params or {}))
    return out


def _add(chosen: dict, entry: str) -> None:
    qid, _, pid = entry.partition("/")
    if not pid:
        chosen[qid] = None
    elif chosen.get(qid, []) is not None:
        chosen.setdefault(qid, []).append(pid)
