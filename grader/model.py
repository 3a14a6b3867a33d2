"""The bank's plain data: questions, parts and their private references."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from grader.formula.symbols import SymbolTable

Bilingual = dict[str, str]


def __getattr__(name: str):
    if name == "ANSWER_TYPES":       # the answer types' names, from their registry (grader/checks)
        from grader.checks import TYPES
        return tuple(TYPES)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@dataclass
class Reference:
    """What ``solutions/<question_id>.py`` says about one part (private)."""

    answer: Any = None                       # formula text, number text, option ids, rubric…
    misconceptions: list[dict] = field(default_factory=list)
    option_feedback: dict[str, Bilingual] = field(default_factory=dict)
    rubric: list[dict] = field(default_factory=list)
    self_tests: dict[str, list] = field(default_factory=dict)
    functions: dict[str, Any] = field(default_factory=dict)     # code parts: reference implementations
    code_tests: list[dict] = field(default_factory=list)


@dataclass
class Part:
    """One answerable part, addressed as ``question-id/part-id``."""

    question_id: str
    id: str
    type: str
    points: float
    prompt: Bilingual
    spec: dict[str, Any]                     # type-specific public settings (options, tolerance, …)
    table: SymbolTable
    reference: Reference = field(default_factory=Reference)
    bank_root: str = ""
    cache: dict = field(default_factory=dict, repr=False, compare=False)   # compiled references

    @property
    def address(self) -> str:
        return f"{self.question_id}/{self.id}"


@dataclass
class Question:
    id: str
    topic: str
    title: Bilingual
    prompt: Bilingual
    parts: list[Part]
    path: str
    solution_path: str
    variant: Any = None                      # the solution's generate(rng), if any

    def part(self, part_id: str) -> Part | None:
        return next((p for p in self.parts if p.id == part_id), None)
