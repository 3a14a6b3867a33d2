"""Checking one answer for one part: the single entry point every caller uses."""
from __future__ import annotations

import logging

from .checks.choice import check_choice
from .checks.code import check_code
from .checks.derivation import check_derivation
from .checks.formula import check_formula
from .checks.numeric import check_matrix, check_numeric
from .checks.text import check_text
from .errors import CheckTimeout
from .messages import text
from .model import Part
from .result import Outcome, Result
from .timeouts import deadline

log = logging.getLogger(__name__)
CHECK_SECONDS = 5.0

CHECKERS = {
    "formula": check_formula,
    "numeric": check_numeric,
    "matrix": check_matrix,
    "choice": check_choice,
    "derivation": check_derivation,
    "text": check_text,
    "code": check_code,
}


def is_missing(answer) -> bool:
    return answer is None or (isinstance(answer, (str, list)) and not answer)


def resolve(value, params: dict | None):
    """A reference that depends on the student's variant: ``value(params)`` when callable."""
    return value(params or {}) if callable(value) else value


def check_answer(part: Part, answer, lang: str = "en", reference=None, seconds: float | None = None,
                 params: dict | None = None) -> Result:
    """Grade ``answer`` for ``part``; never raises for anything a student can type.

    For code parts ``answer`` is the text of the student's solution.py; the
    sandbox bounds its time, so the in-process bound is only a backstop there.
    """
    if seconds is None:
        seconds = CHECK_SECONDS if part.type != "code" else 0
    if reference is None and callable(part.reference.answer):
        reference = resolve(part.reference.answer, params)
    if is_missing(answer):
        outcome = Outcome("missing", 0.0, (text("missing_answer", lang),))
    elif part.type not in CHECKERS:
        outcome = Outcome("error", 0.0, (text("internal_error", lang, detail=f"no checker for {part.type}"),))
    else:
        outcome = _run(part, answer, lang, reference, seconds, params)
    return to_result(part, outcome)


def to_result(part: Part, outcome: Outcome) -> Result:
    """A checker's outcome with the part's ids and points attached."""
    return Result(part.question_id, part.id, outcome.verdict, round(outcome.fraction * part.points, 6),
                  part.points, outcome.feedback, outcome.interpreted, outcome.details)


def _run(part: Part, answer, lang: str, reference, seconds: float, params) -> Outcome:
    try:
        with deadline(seconds):
            if part.type in ("numeric", "matrix"):
                return CHECKERS[part.type](part, answer, lang, reference, params=params)
            return CHECKERS[part.type](part, answer, lang, reference)
    except CheckTimeout:
        return Outcome("error", 0.0, (text("timeout", lang),), None, {"error": "timeout"})
    except RecursionError:
        return Outcome("invalid", 0.0, (text("too_deep", lang, limit="—"),), None, {"error": "too_deep"})
    except Exception as exc:  # a grader bug must cost one part, not the run
        log.exception("checking %s failed", part.address)
        return Outcome("error", 0.0, (text("internal_error", lang, detail=type(exc).__name__),), None,
                       {"error": "internal", "exception": f"{type(exc).__name__}: {exc}"})
