"""Verdicts cached per (part, variant, answer) inside a run: a class's formula checks cost one check per
distinct answer.

Two levels, both kept in the part's own ``cache`` (so they live and die with the loaded bank, and a
bank loaded again, edited or not, never sees another's verdicts):

* the answer text as typed (after trimming), with the reference text (the variant) and the language;
* the answer's canonical form (:mod:`grader.formula.canonical`), so ``σ(x)(1−σ(x))`` and
  ``(1−σ(x))·σ(x)`` share one check; a hit keeps the student's own "interpreted as" rendering.

Only settled verdicts are kept (never ``error``: a grader fault or a time-out is checked again), each
part holds at most :data:`MAX_PER_PART` entries, and a hit hands out a copy of the details, so no
caller can change a cached outcome. ``NNGRADE_ANSWER_CACHE=0`` switches it off.
"""
from __future__ import annotations

import dataclasses
import os

from grader.outcome import Outcome

MAX_PER_PART = 4096
KEEP = ("correct", "partial", "incorrect", "invalid")
_SLOT = "answer-cache"


class Stats:
    hits = 0
    misses = 0

    @classmethod
    def reset(cls) -> None:
        cls.hits = cls.misses = 0


def enabled() -> bool:
    return os.environ.get("NNGRADE_ANSWER_CACHE", "1") != "0"


def _feedback_kind() -> bool:
    """Whether SymPy's notes are on: an outcome made without them is not one made with them."""
    from grader.formula.explain import budget
    return budget() > 0


def text_key(reference, answer, lang: str):
    """The key of an answer as typed, or None when it is not cacheable (not text, or the cache is off)."""
    if not isinstance(answer, str) or not enabled():
        return None
    refs = (reference,) if isinstance(reference, str) or reference is None else tuple(map(str, reference))
    return ("text", refs, lang, _feedback_kind(), answer.strip())


def canonical_key(reference_key, canonical_form, lang: str):
    """The key of an answer's canonical form against one compiled reference."""
    if not enabled():
        return None
    return ("canonical", reference_key, lang, _feedback_kind(), canonical_form)


def get(part, key) -> Outcome | None:
    if key is None:
        return None
    found = part.cache.get(_SLOT, {}).get(key)
    if found is None:
        Stats.misses += key[0] == "text"          # one miss per answer checked, at its first level
        return None
    Stats.hits += 1
    return dataclasses.replace(found, details=_copy(found.details))


def put(part, key, outcome: Outcome) -> Outcome:
    """Keep ``outcome`` under ``key`` (when settled and there is room); returns it, for ``return put(...)``."""
    if key is not None and outcome.verdict in KEEP:
        slot = part.cache.setdefault(_SLOT, {})
        if len(slot) < MAX_PER_PART:
            slot[key] = dataclasses.replace(outcome, details=_copy(outcome.details))
    return outcome


def _copy(value):
    """A copy of plain details (dicts and lists of numbers and text; tuples and the rest are immutable)."""
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value


def clear(part) -> None:
    part.cache.pop(_SLOT, None)
