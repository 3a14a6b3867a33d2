"""``nngrade check --batch``: JSON lines in, one result object per line out, in order."""
from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

from grader.bank import Bank
from grader.checks import check_answer
from grader.errors import UnknownPart


def check_lines(bank: Bank, lines: Iterable[str], lang: str, source: str = "<batch>") -> Iterator[dict]:
    """One result dict per input line; a bad line yields an ``error`` row naming the line."""
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            address, answer = row["part"], row["answer"]
            if not isinstance(address, str):
                raise KeyError("part")
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            yield _error(None, f"{source}:{number}: expected a JSON object "
                               f'{{"part": "question/part", "answer": ...}} ({type(exc).__name__}: {exc})')
            continue
        try:
            part = bank.part(address)
        except UnknownPart as exc:
            yield _error(address, f"{source}:{number}: {exc}")
            continue
        yield check_answer(part, answer, row.get("lang", lang)).to_json()


def _error(address: str | None, message: str) -> dict:
    qid, _, pid = (address or "").partition("/")
    return {"question": qid or None, "part": pid or None, "verdict": "error", "score": 0.0,
            "max_score": 0.0, "feedback": message, "interpreted": None, "details": {"error": "input"}}
