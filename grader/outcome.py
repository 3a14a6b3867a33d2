"""The outcome of checking one answer: plain data that every output format reads."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

VERDICTS = ("correct", "partial", "incorrect", "invalid", "error", "missing")


@dataclass(frozen=True)
class Result:
    """One part's verdict. ``feedback`` is plain text lines in the student's language."""

    question: str
    part: str
    verdict: str
    score: float
    max_score: float
    feedback: tuple[str, ...] = ()
    interpreted: str | None = None          # LaTeX of the answer as the grader read it
    details: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """The contract object of ``nngrade check --json`` (plus ``details``)."""
        return {"question": self.question, "part": self.part, "verdict": self.verdict,
                "score": round(self.score, 6), "max_score": self.max_score, "feedback": "\n".join(self.feedback),
                "interpreted": self.interpreted, "details": self.details}


@dataclass(frozen=True)
class Outcome:
    """What a type checker decides, before points and ids are attached."""

    verdict: str
    fraction: float                         # of the part's points, in [0, 1]
    feedback: tuple[str, ...] = ()
    interpreted: str | None = None
    details: dict[str, Any] = field(default_factory=dict)
