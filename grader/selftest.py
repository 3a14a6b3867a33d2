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
