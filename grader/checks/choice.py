"""Single and multiple choice; option ids are the letters A, B, … in the order listed."""
from __future__ import annotations

import re

from ..messages import pick, text
from ..model import Part
from ..result import Outcome


def read_choices(answer) -> list[str]:
    """``"B"``, ``"A, B, E"``, ``"ABE"`` or ``["A", "B"]`` → upper-case option ids, in order, once each."""
    if isinstance(answer, str):
        items = [s for s in re.split(r"[\s,;，、]+", answer.strip()) if s]
        if len(items) == 1 and items[0].isalpha() and len(items[0]) > 1 and items[0].isupper():
            items = list(items[0])
    elif isinstance(answer, list):
        items = [str(a).strip() for a in answer]
    else:
        items = [str(answer)]
    seen: list[str] = []
    for item in items:
        item = item.upper().strip("()（）.")
        if item not in seen:
            seen.append(item)
    return seen


def check_choice(part: Part, answer, lang: str, reference=None) -> Outcome:
    options = part.spec["option_ids"]
    right = set(read_choices(reference if reference is not None else part.reference.answer))
    chosen = read_choices(answer)
    unknown = [c for c in chosen if c not in options]
    if unknown or not chosen:
        return Outcome("invalid", 0.0, (text("choice_unknown", lang, got=unknown[0] if unknown else "",
                                             options=", ".join(options)),), None, {"error": "option"})
    multiple = bool(part.spec.get("multiple"))
    if not multiple and len(chosen) != 1:
        return Outcome("invalid", 0.0, (text("choice_single", lang, n=len(chosen)),), None, {"error": "count"})
    notes = _option_notes(part, chosen, right, lang)
    details = {"chosen": chosen}
    if set(chosen) == right:
        return Outcome("correct", 1.0, (text("correct", lang),) + notes, ", ".join(chosen), details)
    if not multiple:
        return Outcome("incorrect", 0.0, (text("choice_wrong", lang),) + notes, ", ".join(chosen), details)
    hits = len(right & set(chosen))
    wrong = len(set(chosen) - right)
    # each right option earns 1/|right|, each wrong one costs as much; never below zero
    fraction = max(0.0, (hits - wrong) / len(right))
    verdict = "partial" if fraction > 0 else "incorrect"
    line = text("choice_partial", lang, right=hits, total=len(right), wrong=wrong)
    return Outcome(verdict, fraction, (line,) + notes, ", ".join(chosen), details)


def _option_notes(part: Part, chosen: list[str], right: set[str], lang: str) -> tuple[str, ...]:
    """The solution's explanation of each wrongly chosen option."""
    notes = []
    for opt in chosen:
        if opt not in right and opt in part.reference.option_feedback:
            notes.append(text("choice_option_feedback", lang, opt=opt,
                              text=pick(part.reference.option_feedback[opt], lang)))
    return tuple(notes)
