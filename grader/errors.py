"""The grader's exceptions: faults of the author, the system or the input files.

Student mistakes are never exceptions: a checker returns a verdict. These are
for problems the caller must stop on (a broken bank, a missing file).
"""
from __future__ import annotations


class GraderError(Exception):
    """Base of every error the CLI turns into a clear message."""


class BankError(GraderError):
    """The question bank has problems; ``problems`` lists (path, key, message). A message is a ``str``, English;
    one that is a :class:`grader.said.Said` can also be said in another language: ``message(lang)``."""

    def __init__(self, problems: list[tuple[str, str, str]]):
        self.problems = problems
        super().__init__(self.message("en"))

    def lines(self, lang: str) -> str:
        """The problems, one a line (``file: key: message``), each message in ``lang`` when it can be."""
        from grader.said import said
        return "\n".join(f"{path}: {key}: {said(msg, lang)}" if key else f"{path}: {said(msg, lang)}"
                         for path, key, msg in self.problems)

    def message(self, lang: str) -> str:
        from grader.messages import text
        return text("cli_bank_problems", lang, n=len(self.problems), lines=self.lines(lang))


class UnknownPart(GraderError):
    """A question or part id that the bank does not have."""


class CheckTimeout(GraderError):
    """A check ran past its time bound."""
