"""The live preview: how the grader reads a formula, number or matrix as it is typed.

Each answer type says how it reads typed text (``AnswerType.preview`` in its module of grader/checks,
with the grading code's own readers and catalog messages), so "read as" here is what grading will
read; nothing is evaluated at random points and nothing is scored. The text is never eval'd. This
module bounds the text and prints the type's LaTeX as MathML.
"""
from __future__ import annotations

from grader.checks import Context, answer_type
from grader.messages import text
from grader.model import Part
from grader.publish.pages import to_mathml

MAX_PREVIEW = 4000          # characters; the formula reader itself reads at most 1000


def previews(part: Part) -> bool:
    """The part's page shows a live preview of what is typed."""
    return answer_type(part.type).previews


def preview(part: Part, answer: str, lang: str) -> dict:
    """``{"state": "empty"|"ok"|"error"|"none", "mathml", "latex", "message", "caret"}`` for typed ``answer``."""
    if not isinstance(answer, str) or not answer.strip():
        return {"state": "empty"}
    try:
        out = dict(answer_type(part.type).preview(part, answer[:MAX_PREVIEW], Context(lang)))
    except RecursionError:
        return {"state": "error", "message": text("too_deep", lang, limit="—"), "caret": ""}
    if out.get("latex"):
        out["mathml"] = to_mathml(out["latex"], True)
    return out


def hints(part: Part) -> list[dict]:
    """The part's symbols and functions as the student may type them, with their printed form."""
    return [{**h, "mathml": to_mathml(h["latex"])} for h in answer_type(part.type).typed_names(part)]
