"""Validating one question against its solution: every reference and misconception must be usable.

What "usable" means for each answer type is said by its module in ``grader/checks`` (``validate``,
``validate_spec``, ``self_test_kinds``, ``per_student``); this module walks the parts."""
from __future__ import annotations

import numpy as np

from grader.bank.schema import listed
from grader.checks import TYPES, answer_type
from grader.checks.base import describe_invalid
from grader.formula.evaluate import ShapeMismatch
from grader.formula.syntax import FormulaInvalid
from grader.messages import ref
from grader.model import Question
from grader.said import Said

# type name -> the SELF_TESTS lists its parts must fill (read from the answer types)
NEEDS_SELF_TESTS = {name: kind.self_test_kinds for name, kind in TYPES.items()}


def validate_question(q: Question) -> list[tuple[str, str, str]]:
    """(file, key, message) for every problem of question ``q`` and its solution."""
    problems = []
    samples = [q.variant(np.random.default_rng(seed)) for seed in range(3)] if q.variant else [{}]
    for part in q.parts:
        kind = answer_type(part.type)
        key = f"parts[{part.id}]"
        if callable(part.reference.answer):
            problems += [(q.solution_path, f"ANSWERS[{part.id!r}]", m) for m in _check_variant(part, samples)]
            continue
        try:
            problems += [(q.solution_path, f"{k}[{part.id!r}]", m) for k, m in kind.validate(part)]
        except (FormulaInvalid, ShapeMismatch) as exc:
            problems.append((q.solution_path, f"ANSWERS[{part.id!r}]", _unreadable(exc)))
        except Exception as exc:  # an author's reference the engine cannot use
            problems.append((q.solution_path, f"ANSWERS[{part.id!r}]",
                             Said(ref("bank_unusable", error=f"{type(exc).__name__}: {exc}"))))
        for wanted in kind.self_test_kinds:
            if not part.reference.self_tests.get(wanted):
                problems.append((q.solution_path, f"SELF_TESTS[{part.id!r}]",
                                 Said(ref("bank_self_tests_needed", kind=repr(wanted)))))
        problems += [(q.path, f"{key}.{k}", m) for k, m in kind.validate_spec(part)]
    return problems


def _check_variant(part, samples: list[dict]) -> list[str]:
    """A per-student reference must give a usable value for every sample variant."""
    kind = answer_type(part.type)
    if not kind.per_student:
        allowed = [name for name, t in TYPES.items() if t.per_student]
        return [Said(ref("bank_per_student", names=listed(allowed), type=part.type))]
    problems: list[str] = []
    for params in samples:
        try:
            value = part.reference.answer(params)
            if not kind.variant_value_ok(value):
                problems.append(Said(ref("bank_variant_gives", value=repr(value), params=repr(params))))
        except Exception as exc:
            problems.append(Said(ref("bank_variant_fails", params=repr(params), error=f"{type(exc).__name__}: {exc}")))
    return problems


_describe = describe_invalid


def _unreadable(exc) -> str:
    """``describe_invalid``'s words (a reference the formula engine cannot read), in any language."""
    if not isinstance(getattr(exc, "key", None), str) or not isinstance(getattr(exc, "params", None), dict):
        return _describe(exc)
    return Said(ref("bank_reference_unreadable", detail=ref(exc.key, **{"pos": "?", **exc.params})))
