"""The checks stage: one module per answer type, found by the registry, and the one entry point.

Each module of this package that defines ``ANSWER_TYPE`` (an :class:`~grader.checks.base.AnswerType`)
is an answer type: ``formula``, ``numeric``, ``matrix``, ``choice``, ``derivation``, ``text``, ``code``.
Adding a type is adding a module (see README, "Adding an answer type"). Everything else (the
schema, validation, self-tests, handouts, kits, exports) loops over :data:`TYPES` or asks
:func:`answer_type`; only the type modules know a type by its name.

:func:`check_part` checks one answer for one part in a :class:`Context`; ``grader.checks.check_answer``
is its keyword form. It never raises for anything a student can type.
"""
from __future__ import annotations

import importlib
import logging
import pkgutil

from grader import messages  # not ``text``: the submodule checks.text would shadow it
from grader.checks.base import CHECK_SECONDS, AnswerType, Context, EssayItem, LmsItem, SelfTestRun
from grader.errors import CheckTimeout
from grader.model import Part
from grader.outcome import Outcome, Result
from grader.timeouts import deadline

log = logging.getLogger(__name__)

__all__ = ["CHECKERS", "CHECK_SECONDS", "TYPES", "AnswerType", "Context", "EssayItem", "LmsItem", "SelfTestRun",
           "answer_type", "check_answer", "check_part", "is_missing", "resolve", "to_result"]


def discover(path, package: str) -> dict[str, AnswerType]:
    """Every ``ANSWER_TYPE`` of the modules of ``package`` (found on ``path``), in their ``order``."""
    found = []
    for info in pkgutil.iter_modules(path):
        module = importlib.import_module(f"{package}.{info.name}")
        kind = getattr(module, "ANSWER_TYPE", None)
        if isinstance(kind, AnswerType):
            found.append(kind)
    return {k.name: k for k in sorted(found, key=lambda k: (k.order, k.name))}


TYPES: dict[str, AnswerType] = discover(__path__, __name__)
# name -> checker(part, answer, ctx); the one table check_part dispatches through (tests may patch it)
CHECKERS = {name: kind.check for name, kind in TYPES.items()}
_NO_TYPE = AnswerType()      # the defaults, for a part whose type is missing or unknown


def answer_type(name: str | None, default: AnswerType | None = None) -> AnswerType:
    """The answer type called ``name``; ``default`` (or KeyError) when there is none."""
    if name in TYPES:
        return TYPES[name]
    if default is not None:
        return default
    raise KeyError(f"no answer type {name!r}; the types are {', '.join(TYPES)}")


def loose(name) -> AnswerType:
    """The answer type called ``name``, or the defaults (for files still being validated)."""
    return TYPES.get(name, _NO_TYPE) if isinstance(name, str) else _NO_TYPE


def is_missing(answer) -> bool:
    return answer is None or (isinstance(answer, (str, list)) and not answer)


def resolve(value, params: dict | None):
    """A reference that depends on the student's variant: ``value(params)`` when callable."""
    return value(params or {}) if callable(value) else value


def check_part(part: Part, answer, ctx: Context = Context(), seconds: float | None = None) -> Result:
    """Grade ``answer`` for ``part``; never raises for anything a student can type.

    ``seconds`` bounds the check in process (default: the type's ``check_seconds``; code parts
    are bounded by the sandbox, so there it is only a backstop)."""
    kind = TYPES.get(part.type)
    if seconds is None:
        seconds = kind.check_seconds if kind else CHECK_SECONDS
    if ctx.reference is None and callable(part.reference.answer):
        ctx = Context(ctx.lang, ctx.params, resolve(part.reference.answer, ctx.params))
    if is_missing(answer):
        outcome = Outcome("missing", 0.0, (messages.text("missing_answer", ctx.lang),))
    elif part.type not in CHECKERS:
        fault = messages.text("internal_error", ctx.lang, detail=f"no checker for {part.type}")
        outcome = Outcome("error", 0.0, (fault,))
    else:
        outcome = _run(part, answer, ctx, seconds)
    return to_result(part, outcome)


def to_result(part: Part, outcome: Outcome) -> Result:
    """A checker's outcome with the part's ids and points attached."""
    return Result(part.question_id, part.id, outcome.verdict, round(outcome.fraction * part.points, 6),
                  part.points, outcome.feedback, outcome.interpreted, outcome.details)


def _run(part: Part, answer, ctx: Context, seconds: float) -> Outcome:
    lang = ctx.lang
    try:
        with deadline(seconds):
            return CHECKERS[part.type](part, answer, ctx)
    except CheckTimeout:
        return Outcome("error", 0.0, (messages.text("timeout", lang),), None, {"error": "timeout"})
    except RecursionError:
        return Outcome("invalid", 0.0, (messages.text("too_deep", lang, limit="—"),), None, {"error": "too_deep"})
    except Exception as exc:  # a grader bug must cost one part, not the run
        log.exception("checking %s failed", part.address)
        return Outcome("error", 0.0, (messages.text("internal_error", lang, detail=type(exc).__name__),), None,
                       {"error": "internal", "exception": f"{type(exc).__name__}: {exc}"})


def check_answer(part: Part, answer, lang: str = "en", reference=None, seconds: float | None = None,
                 params: dict | None = None) -> Result:
    """Grade ``answer`` for ``part``; never raises for anything a student can type.

    For code parts ``answer`` is the text of the student's solution.py; the
    sandbox bounds its time, so the in-process bound is only a backstop there.
    """
    return check_part(part, answer, Context(lang, params, reference), seconds)
