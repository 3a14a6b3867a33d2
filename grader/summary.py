"""Moved: the results model and the class summary live in grader/results.py, the outputs in grader/publish.py.

Kept only so that code written against the old names still imports; nothing in the package uses it.
"""
from __future__ import annotations

from .results import GRADER_FAULT, ClassResults, Problem, StudentResult

__all__ = ["GRADER_FAULT", "ClassResults", "Problem", "StudentResult", "grader_fault_problem"]


def grader_fault_problem(cause: str) -> dict:
    """The problem note of a submission the grader could not grade at all (see ``Problem.grader_fault``)."""
    return Problem.grader_fault(cause).to_json()
