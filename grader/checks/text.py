"""Short free text: a provisional score from bilingual rubric keywords, flagged for review."""
from __future__ import annotations

from ..messages import pick, text
from ..model import Part
from ..result import Outcome


def check_text(part: Part, answer, lang: str, reference=None) -> Outcome:
    if not isinstance(answer, str) or not answer.strip():
        return Outcome("missing", 0.0, (text("missing_answer", lang),), None, {"needs_review": True})
    rubric = reference if reference is not None else part.reference.rubric
    lowered = answer.lower()
    found, missing = [], []
    for idea in rubric:
        words = [w.lower() for lang_words in (idea.get("en", []), idea.get("zh", [])) for w in lang_words]
        (found if any(w in lowered for w in words) else missing).append(idea)
    fraction = len(found) / len(rubric) if rubric else 0.0
    lines = [text("text_review", lang, found=len(found), total=len(rubric))]
    lines += [text("text_missing_idea", lang, idea=pick(idea["idea"], lang)) for idea in missing]
    verdict = "correct" if fraction == 1 else "partial" if fraction > 0 else "incorrect"
    return Outcome(verdict, fraction, tuple(lines), None,
                   {"needs_review": True, "provisional": True, "ideas_found": [pick(i["idea"], "en") for i in found]})
