"""Checking one answer for one part: the keyword form of :func:`grader.checks.check_part`.

Every caller may use ``check_answer(part, answer, lang, reference=..., seconds=..., params=...)``;
the checking itself (dispatch through the answer-type registry, bounds, faults) is in ``grader/checks``.
"""
from __future__ import annotations

from .checks import CHECK_SECONDS, CHECKERS, Context, check_part, is_missing, resolve, to_result
from .model import Part
from .result import Result

__all__ = ["CHECKERS", "CHECK_SECONDS", "check_answer", "is_missing", "resolve", "to_result"]


def check_answer(part: Part, answer, lang: str = "en", reference=None, seconds: float | None = None,
                 params: dict | None = None) -> Result:
    """Grade ``answer`` for ``part``; never raises for anything a student can type.

    For code parts ``answer`` is the text of the student's solution.py; the
    sandbox bounds its time, so the in-process bound is only a backstop there.
    """
    return check_part(part, answer, Context(lang, params, reference), seconds)
