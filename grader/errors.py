"""The grader's exceptions: faults of the author, the system or the input files.

Student mistakes are never exceptions: a checker returns a verdict. These are
for problems the caller must stop on (a broken bank, a missing file).
"""
from __future__ import annotations


class GraderError(Exception):
    """Base of every error the CLI turns into a clear message."""


class BankError(GraderError):
    """The question bank has problems; ``problems`` lists (path, key, message)."""

    def __init__(self, problems: list[tuple[str, str, str]]):
        self.problems = problems
        lines = [f"{path}: {key}: {msg}" if key else f"{path}: {msg}" for path, key, msg in problems]
        super().__init__(f"the question bank has {len(problems)} problem(s):\n" + "\n".join(lines))


class UnknownPart(GraderError):
    """A question or part id that the bank does not have."""


class CheckTimeout(GraderError):
    """A check ran past its time bound."""
