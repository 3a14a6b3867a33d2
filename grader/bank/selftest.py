"""Running every question's self-tests: answers to accept, to reject, and that are unreadable.

Which answers a part's self-tests are, and how they run, is its answer type's
(``self_test_runs`` in ``grader/checks/<type>.py``): for most types the reference and the
solution's ``SELF_TESTS`` lists, each checked once. Code parts list, beside their reference,
at least :data:`MIN_WRONG_CODE` typical wrong implementations under ``SELF_TESTS["code"]["reject"]``.
Each is the text of a solution.py, or a dict ``{"why": ..., "source": ..., "fails": {test_id: reason}}``
which must also fail the named tests (``CODE_TESTS`` entries with that ``id``) for that reason
(``values``, ``mutated``, ``unstable``, ``statistics``, ``seed_ignored``, ``not_finite``, ``structure``...,
a list of them for any of those; None for any reason). They run on fixed inputs (:data:`SELF_TEST_SEED`),
so a bank check is deterministic. Per-student parts are tested on a few variants.
"""
from __future__ import annotations

from dataclasses import dataclass

from grader.bank import Bank
from grader.checks import answer_type, check_answer
from grader.checks.base import SelfTestRun
from grader.checks.code import MIN_WRONG_CODE, SELF_TEST_SEED

__all__ = ["EXPECT", "MIN_WRONG_CODE", "SELF_TEST_SEED", "SelfTestFailure", "run_self_tests"]

EXPECT = {"accept": ("correct",), "reject": ("incorrect", "partial"), "partial": ("partial",),
          "invalid": ("invalid",)}


@dataclass(frozen=True)
class SelfTestFailure:
    part: str
    kind: str
    answer: object
    expected: str
    got: str
    feedback: str


def run_self_tests(bank: Bank, lang: str = "en") -> tuple[int, list[SelfTestFailure]]:
    """Run every part's self-tests (and its reference as an accepted answer); (count, failures)."""
    count, failures = 0, []
    for part in bank.parts():
        if callable(part.reference.answer):
            runs = _variant_runs(bank, part, lang)
        else:
            runs = answer_type(part.type).self_test_runs(part, lang, bank)
        for run in runs:
            count += 1
            problem = run.problem or _judge(run.kind, run.result, run.misconception) or \
                (run.more(run.result) if run.more else None)
            if problem:
                result = run.result
                failures.append(SelfTestFailure(part.address, run.label or run.kind, run.answer, problem,
                                                result.verdict if result else run.got,
                                                " ".join(result.feedback) if result else ""))
    return count, failures


def _judge(kind: str, result, misconception) -> str | None:
    if result.verdict not in EXPECT.get(kind, ()):
        return f"verdict {'/'.join(EXPECT.get(kind, ('?',)))}"
    if misconception and result.details.get("misconception") != misconception:
        return f"misconception {misconception!r} (got {result.details.get('misconception')!r})"
    return None


def _variant_runs(bank: Bank, part, lang: str):
    """Per-student parts: for a few variants, the reference (typed as a student would) is accepted,
    a perturbed value is rejected, and each misconception is recognised."""
    import numpy as np
    generate = bank.questions[part.question_id].variant
    kind = answer_type(part.type)
    for seed in range(3):
        params = generate(np.random.default_rng(seed))
        ref = part.reference.answer(params)
        typed, wrong = kind.variant_forms(ref)
        cases = [("accept", typed, None), ("accept", ref, None), ("reject", wrong, None)]
        for mis in part.reference.misconceptions:
            value = mis["answer"](params) if callable(mis["answer"]) else mis["answer"]
            if abs(float(value) - float(ref)) > 1e-3 * max(1.0, abs(float(ref))):
                cases.append(("reject", float(value), mis.get("id")))
        for case_kind, answer, misconception in cases:
            result = check_answer(part, answer, lang, params=params)
            yield SelfTestRun(case_kind, answer, result, misconception, label=f"{case_kind} (variant {seed})")
