"""Running every question's self-tests: answers to accept, to reject, and that are unreadable."""
from __future__ import annotations

from dataclasses import dataclass

from .bank import Bank
from .check import check_answer

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
        if part.type == "code":               # the solution file itself must pass every test
            source = (bank.root / bank.questions[part.question_id].solution_path).read_text(encoding="utf-8")
            cases = {**cases, "accept": [source] + list(cases.get("accept", []))}
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
