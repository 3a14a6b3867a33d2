"""Short free text: a provisional score from bilingual rubric keywords, flagged for review."""
from __future__ import annotations

from grader.checks.base import AnswerType, Context
from grader.messages import pick, text
from grader.model import Part
from grader.outcome import Outcome


def check_text(part: Part, answer, lang: str, reference=None) -> Outcome:
    if not isinstance(answer, str) or not answer.strip():
        return Outcome("missing", 0.0, (text("missing_answer", lang),), None, {"needs_review": True})
    rubric = reference if reference is not None else part.reference.rubric
    lowered = answer.lower()
    found: list[dict] = []               # the rubric's ideas
    missing: list[dict] = []
    for idea in rubric:
        words = [w.lower() for lang_words in (idea.get("en", []), idea.get("zh", [])) for w in lang_words]
        (found if any(w in lowered for w in words) else missing).append(idea)
    fraction = len(found) / len(rubric) if rubric else 0.0
    lines = [text("text_review", lang, found=len(found), total=len(rubric))]
    lines += [text("text_missing_idea", lang, idea=pick(idea["idea"], lang)) for idea in missing]
    verdict = "correct" if fraction == 1 else "partial" if fraction > 0 else "incorrect"
    return Outcome(verdict, fraction, tuple(lines), None,
                   {"needs_review": True, "provisional": True, "ideas_found": [pick(i["idea"], "en") for i in found]})


# -- the answer type ------------------------------------------------------------------------------

class TextType(AnswerType):
    """Free text scored provisionally by the rubric's keywords, and flagged for review."""

    name, order = "text", 60
    needs_answer = False
    self_test_kinds = ("accept",)
    input_widget = "textarea"    # nngrade serve

    def check(self, part: Part, answer, ctx: Context) -> Outcome:
        return check_text(part, answer, ctx.lang, ctx.reference)

    def validate(self, part: Part) -> list[tuple[str, str]]:
        rubric = part.reference.rubric
        ok = rubric and all(i.get("en") and i.get("zh") and i.get("idea") for i in rubric)
        return [] if ok else [("RUBRICS", "expected ideas with en and zh keywords and an idea text")]

    def reference_answers(self, part: Part) -> list:
        return []

    def key_text(self, part: Part, ref, lang: str = "en") -> str:
        return "; ".join(pick(i["idea"], lang) for i in part.reference.rubric)


ANSWER_TYPE = TextType()
