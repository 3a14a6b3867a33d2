"""A derivation's length is bounded as the student's input, never as a check time-out (a grader fault)."""
from __future__ import annotations

from grader.checks import check_answer
from grader.checks.derivation import MAX_LINES

SYMMETRY = "sigmoid-symmetry/proof"
RIGHT = ["1 - sigma(x)", "1/(1 + exp(x))", "sigma(-x)"]


def test_an_overlong_derivation_is_the_students_invalid_answer_in_both_languages(bank):
    part = bank.part(SYMMETRY)
    flood = RIGHT[:1] + ["1 - sigma(x)"] * (20 * MAX_LINES) + RIGHT[1:]
    for lang, word in (("en", str(MAX_LINES)), ("zh", "行")):
        result = check_answer(part, flood, lang)
        assert result.verdict == "invalid" and result.score == 0
        assert result.details["error"] == "too_long"
        assert word in result.feedback[0] and str(len(flood)) in result.feedback[0]
    as_text = check_answer(part, "\n".join(flood))            # one text with a line per row: the same bound
    assert as_text.verdict == "invalid" and as_text.details["error"] == "too_long"


def test_a_derivation_at_the_bound_is_still_read(bank):
    part = bank.part(SYMMETRY)
    padded = RIGHT[:1] + ["1 - sigma(x)"] * (MAX_LINES - len(RIGHT)) + RIGHT[1:]
    assert len(padded) == MAX_LINES
    result = check_answer(part, padded)
    assert result.verdict != "invalid" and result.score > 0
