"""Running every question's self-tests: answers to accept, to reject, and that are unreadable.

Code parts list, beside their reference, at least :data:`MIN_WRONG_CODE` typical wrong
implementations under ``SELF_TESTS["code"]["reject"]``. Each is the text of a solution.py,
or a dict ``{"why": ..., "source": ..., "fails": {test_id: reason}}`` which must also fail
the named tests (``CODE_TESTS`` entries with that ``id``) for that reason (``values``,
``mutated``, ``unstable``, ``statistics``, ``seed_ignored``, ``not_finite``, ``structure``...,
a list of them for any of those; None for any reason). They run on fixed inputs (:data:`SELF_TEST_SEED`), so a bank check is
deterministic.
"""
from __future__ import annotations

from dataclasses import dataclass

from .bank import Bank
from .check import check_answer, to_result

MIN_WRONG_CODE = 3
SELF_TEST_SEED = 20260101

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
            count, failures = _variant_tests(bank, part, lang, count, failures)
            continue
        cases = dict(part.reference.self_tests)
        if part.type == "code":
            count, failures = _code_tests(bank, part, lang, count, failures)
            continue
        elif part.type not in ("text", "derivation") and part.reference.answer is not None:
            refs = part.reference.answer
            refs = list(refs) if part.type == "formula" and isinstance(refs, list) else [refs]
            cases = {**cases, "accept": refs + list(cases.get("accept", []))}
        for kind, answers in cases.items():
            for case in answers:
                answer, misconception = (case if isinstance(case, tuple) else (case, None))
                result = check_answer(part, answer, lang)
                count += 1
                problem = _judge(kind, result, misconception)
                if problem:
                    failures.append(SelfTestFailure(part.address, kind, answer, problem, result.verdict,
                                                    " ".join(result.feedback)))
    return count, failures


def _code_tests(bank: Bank, part, lang: str, count: int, failures: list):
    """The solution file itself passes every test; each wrong implementation loses points, for its reason."""
    from .checks.code import check_code_parts
    cases = part.reference.self_tests
    source = (bank.root / bank.questions[part.question_id].solution_path).read_text(encoding="utf-8")
    wrong = list(cases.get("reject", []))
    if len(wrong) < MIN_WRONG_CODE:
        count += 1
        failures.append(SelfTestFailure(part.address, "reject", f"{len(wrong)} wrong implementations",
                                        f"at least {MIN_WRONG_CODE} wrong implementations", "too few", ""))
    known = {t.get("id") for t in part.reference.code_tests if t.get("id")}
    runs = [("accept", s, None, None) for s in [source] + list(cases.get("accept", []))]
    for case in wrong:
        if isinstance(case, dict):
            runs.append(("reject", case.get("source", ""), case.get("why"), case.get("fails") or {}))
        else:
            runs.append(("reject", case, None, None))
    for kind, answer, why, fails in runs:
        outcome = check_code_parts([part], answer, lang, seed=SELF_TEST_SEED, reveal=True)[part.address]
        result = to_result(part, outcome)
        count += 1
        problem = _judge(kind, result, None) or _failed_for(fails, result, known)
        if problem:
            failures.append(SelfTestFailure(part.address, kind, why or answer, problem, result.verdict,
                                            " ".join(result.feedback)))
    return count, failures


def _failed_for(fails, result, known: set) -> str | None:
    """Why a wrong implementation did not fail the tests it stands for, or None."""
    if not fails:
        return None
    if not isinstance(fails, dict):
        fails = {test_id: None for test_id in fails}
    reports = {}
    for report in result.details.get("tests", []):
        reports.setdefault(report.get("id"), []).append(report)
    for test_id, reason in fails.items():
        if test_id not in known:
            return f"a test with id {test_id!r} (no such test)"
        failed = [r for r in reports.get(test_id, []) if not r["passed"]]
        if not failed:
            return f"failing test {test_id!r}"
        reasons = tuple(reason) if isinstance(reason, (list, tuple)) else (reason,)
        if reason and not any(r.get("reason") in reasons for r in failed):
            return f"failing test {test_id!r} for {reason!r} (got {[r.get('reason') for r in failed]})"
    return None


def _judge(kind: str, result, misconception) -> str | None:
    if result.verdict not in EXPECT.get(kind, ()):
        return f"verdict {'/'.join(EXPECT.get(kind, ('?',)))}"
    if misconception and result.details.get("misconception") != misconception:
        return f"misconception {misconception!r} (got {result.details.get('misconception')!r})"
    return None


def _variant_tests(bank: Bank, part, lang: str, count: int, failures: list):
    """Per-student parts: for a few variants, the reference (typed as a student would) is accepted,
    a perturbed value is rejected, and each misconception is recognised."""
    import numpy as np
    generate = bank.questions[part.question_id].variant
    for seed in range(3):
        params = generate(np.random.default_rng(seed))
        ref = part.reference.answer(params)
        typed = f"{ref:.6g}" if part.type == "numeric" else "[" + "; ".join(" ".join(f"{v:.6g}" for v in row) for row in ref) + "]"
        wrong = ref * 1.5 + 1 if part.type == "numeric" else (np.asarray(ref) * 1.5 + 1).tolist()
        cases = [("accept", typed, None), ("accept", ref, None), ("reject", wrong, None)]
        for mis in part.reference.misconceptions:
            value = mis["answer"](params) if callable(mis["answer"]) else mis["answer"]
            if abs(float(value) - float(ref)) > 1e-3 * max(1.0, abs(float(ref))):
                cases.append(("reject", float(value), mis.get("id")))
        for kind, answer, misconception in cases:
            result = check_answer(part, answer, lang, params=params)
            count += 1
            problem = _judge(kind, result, misconception)
            if problem:
                failures.append(SelfTestFailure(part.address, f"{kind} (variant {seed})", answer, problem,
                                                result.verdict, " ".join(result.feedback)))
    return count, failures
