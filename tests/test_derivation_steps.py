"""Derivations (grader/checks/derivation.py): required intermediate forms (``steps``) and the lines after
the first wrong one (a wrong step, a carried error, the start reached again without a valid step)."""
from __future__ import annotations

import dataclasses

import pytest

from grader.bank.schema import PART
from grader.checks import answer_type, check_answer

SQUARE = "vanishing-gradient-proof/square"
SYMMETRY = "sigmoid-symmetry/proof"
PLOT = "sigmoid-plot/proof"


def _zh(lines) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in " ".join(lines))


def with_spec(part, **spec):
    return dataclasses.replace(part, spec={**part.spec, **spec}, cache={})


# -- the bank's proofs: a derivation that skips the required step is partial, one that shows it is full ----

SHOWN_AND_SKIPPED = [
    (SQUARE, ["sigma(x)*(1 - sigma(x))", "sigma(x) - sigma(x)^2", "1/4 - (sigma(x) - 1/2)^2"],
     ["sigma(x)*(1 - sigma(x))", "1/4 - (sigma(x) - 1/2)^2"], "σ(x) − σ(x)²"),
    (SQUARE, ["sigma(x)*(1 - sigma(x))", "-sigma(x)*sigma(x) + sigma(x)", "1/4 - (sigma(x) - 1/2)^2"],
     ["sigma(x)*(1 - sigma(x))", "(1 - sigma(x))*sigma(x)", "1/4 - (sigma(x) - 1/2)^2"], "σ(x)²"),
    # the square completed from the expansion inside the bracket: the expansion is shown
    (SQUARE, ["sigma(x)*(1 - sigma(x))", "1/4 - (sigma(x)^2 - sigma(x) + 1/4)", "1/4 - (sigma(x) - 1/2)^2"],
     ["sigma(x)*(1 - sigma(x))", "sigma(x)*(1 - sigma(x)) + 0*x", "1/4 - (sigma(x) - 1/2)^2"], "σ(x)²"),
    (SYMMETRY, ["1 - sigma(x)", "1/(1 + exp(x))", "sigma(-x)"],
     ["1 - sigma(x)", "sigma(-x)"], "e^{−x}/(1 + e^{−x})"),
    (SYMMETRY, ["1 - sigma(x)", "exp(-x)/(exp(-x) + 1)", "sigma(-x)"],
     ["1 - sigma(x)", "1 - 1/(1 + exp(-x))", "sigma(-x)"], "one fraction"),
    (PLOT, ["exp(-x)/(1 + exp(-x))^2", "sigma(x)*exp(-x)/(1 + exp(-x))", "sigma(x)*(1 - sigma(x))"],
     ["exp(-x)/(1 + exp(-x))^2", "1/(1 + exp(-x)) * exp(-x)/(1 + exp(-x))", "sigma(x)*(1 - sigma(x))"], "σ(x)"),
    (PLOT, ["exp(-x)/(1 + exp(-x))^2", "sigma(x)*(1 - 1/(1 + exp(-x)))", "sigma(x)*(1 - sigma(x))"],
     ["exp(-x)/(1 + exp(-x))^2", "sigma(x)*sigma(x)*exp(-x)/sigma(x)^2 * sigma(x) / (1 + exp(-x))*0 + "
      "sigma(x)*(1 - sigma(x))", "sigma(x)*(1 - sigma(x))"], "exponentials"),
]


@pytest.mark.parametrize("address, shown, skipped, word", SHOWN_AND_SKIPPED)
def test_a_skipped_step_is_partial_and_named(bank, address, shown, skipped, word):
    part = bank.part(address)
    full = check_answer(part, shown)
    assert full.verdict == "correct" and full.score == part.points, full.feedback
    assert full.details["steps_shown"][0] is not None
    en, zh = check_answer(part, skipped, "en"), check_answer(part, skipped, "zh")
    assert en.verdict == "partial" and en.score == pytest.approx(part.points * 0.5), en.feedback
    assert en.details["steps_missing"] == [1]
    assert word in " ".join(en.feedback), en.feedback
    assert _zh(zh.feedback) and zh.feedback != en.feedback and zh.score == en.score


def test_a_wrong_derivation_is_still_judged_by_its_first_wrong_line(bank):
    result = check_answer(bank.part(SQUARE), ["sigma(x)*(1 - sigma(x))", "sigma(x) + sigma(x)^2",
                                              "1/4 - (sigma(x) - 1/2)^2"])
    assert result.details["first_wrong_line"] == 2 and "steps_missing" not in result.details


def test_held_functions_are_not_expanded(bank):
    """σ held as written: a line in exponentials does not show a step written with σ, and σ's own identity
    (σ(−x) = 1 − σ(x)) does not carry one to the other, while algebra valid for any function does."""
    part = with_spec(bank.part(SYMMETRY), steps=[{"form": "sigma(x)*(1 - sigma(x))/sigma(x)"}])
    assert answer_type("derivation").validate_reference(part) == [("steps[0]", "the start already shows "
                                                                    "'sigma(x)*(1 - sigma(x))/sigma(x)': the step "
                                                                    "requires nothing")]
    part = with_spec(bank.part(SYMMETRY), steps=[{"form": "sigma(-x)*1"}])
    assert answer_type("derivation").validate_reference(part) == []
    assert check_answer(part, ["1 - sigma(x)", "1/(1 + exp(x))"]).details["steps_shown"] == [None]
    assert check_answer(part, ["1 - sigma(x)", "sigma(-x)"]).details["steps_shown"] == [2]
    # the default list held, unless the part says which functions it holds
    loose = with_spec(bank.part(SYMMETRY), steps=[{"form": "sigma(-x)*1", "as_written": []}])
    assert answer_type("derivation").validate_reference(loose) != []        # σ expanded: the start shows it


def test_steps_in_order(bank):
    both = [{"form": "1/4 - (sigma(x) - 1/2)^2", "match": "terms", "name": {"en": "the square", "zh": "平方"}},
            {"form": "sigma(x) - sigma(x)^2", "match": "terms", "name": {"en": "the expansion", "zh": "展开"}}]
    lines = ["sigma(x)*(1 - sigma(x))", "sigma(x) - sigma(x)^2", "1/4 - (sigma(x) - 1/2)^2"]
    loose = with_spec(bank.part(SQUARE), steps=both)
    assert check_answer(loose, lines).verdict == "correct"
    strict = with_spec(bank.part(SQUARE), steps=both, steps_in_order=True, steps_credit=0.2)
    assert answer_type("derivation").validate_reference(strict) == []
    for lang in ("en", "zh"):
        result = check_answer(strict, lines, lang)
        assert result.verdict == "partial" and result.details["steps_shown"] == [3, None]
        assert result.score == pytest.approx(strict.points * (0.2 + 0.8 / 2))
        said = " ".join(result.feedback)
        assert ("the expansion" in said and "the square" in said) if lang == "en" else ("展开" in said and _zh(said))
    assert check_answer(strict, lines[:1] + lines[2:] + lines[1:]).verdict == "correct"   # square, then expansion


def test_step_validation(bank):
    part = with_spec(bank.part(SYMMETRY), steps=[{"form": "exp(x)"}, {"form": "1 +"}, {"form": "1 - sigma(x)"},
                                                 {"form": "exp(-x)/(1 + exp(-x))", "match": "terms"}])
    problems = dict(answer_type("derivation").validate_reference(part))
    assert set(problems) == {"steps[0]", "steps[1]", "steps[2]"}
    misspelt = with_spec(bank.part(SYMMETRY), steps=[{"form": "exp(-x)/(1 + exp(-x))", "as_written": ["sigmoid"]}])
    assert "sigmoid" in dict(answer_type("derivation").validate_reference(misspelt))["steps[0]"]
    assert "not equal to the start" in problems["steps[0]"] and "cannot be read" in problems["steps[1]"]
    assert "already shows" in problems["steps[2]"]


def test_the_schema_declares_the_keys():
    base = {"id": "p", "type": "derivation", "prompt": {"en": "a", "zh": "b"}, "start": "x"}
    ok = {**base, "steps": [{"form": "x", "match": "terms", "name": {"en": "a", "zh": "b"}, "as_written": ["sigma"]}],
          "steps_in_order": True, "steps_credit": 0.25}
    assert PART.check(ok, "parts[p]") == []
    for bad, key in [({"steps": [{"fom": "x"}]}, "fom"), ({"steps": [{"form": "x", "match": "shape"}]}, "match"),
                     ({"steps": []}, "steps"), ({"steps_credit": 2}, "steps_credit"),
                     ({"steps": [{"name": {"en": "a", "zh": "b"}}]}, "form")]:
        issues = PART.check({**base, **bad}, "parts[p]")
        assert issues and any(key in i.key for i in issues), (bad, issues)


# -- after the first wrong line: a wrong step, a carried error, the start again -----------------------------

def test_a_carried_error_is_said_not_marked_wrong(bank):
    part = bank.part(SYMMETRY)
    lines = ["1 - sigma(x)", "1 + 1/(1+exp(-x))", "(2 + exp(-x))/(1 + exp(-x))", "1 + sigma(x)",
             "2 + sigma(x)", "2 + 1/(1 + exp(-x))"]
    for lang in ("en", "zh"):
        result = check_answer(part, lines, lang)
        assert result.details["first_wrong_line"] == 2
        assert result.details["carried_lines"] == [3, 4, 6]        # each equal to the line before
        assert result.details["wrong_lines"] == [2, 5]             # 5 is a new error on top of the first
        said = " ".join(result.feedback)
        if lang == "en":
            assert "3, 4, 6" in said and "carry the error made on line 2" in said
            assert "line(s) 5" in said
        else:
            assert _zh(said) and "3, 4, 6" in said


def test_the_start_reached_again_without_a_valid_step(bank):
    part = bank.part(SYMMETRY)
    lines = ["1 - sigma(x)", "2 - sigma(x)", "2 - sigma(x) + 0", "1 - sigma(x)", "sigma(-x)"]
    result = check_answer(part, lines)
    assert result.details["carried_lines"] == [3] and result.details["back_lines"] == [4]
    assert result.details["wrong_lines"] == [2, 4]
    assert "5" not in " ".join(result.feedback[1:])     # line 5 follows from line 4, which equals the start
    assert "Line(s) 4 equal the start again" in " ".join(result.feedback)


def test_a_line_of_another_shape_is_a_wrong_step_not_a_grader_fault():
    from grader.formula.symbols import SymbolSpec, SymbolTable
    from grader.model import Part, Reference
    table = SymbolTable.build([SymbolSpec("A", (2, 3)), SymbolSpec("x", (1, 1))], [])
    part = Part("demo", "p", "derivation", 2.0, {"en": "?", "zh": "?"}, {"start": "A + 0*A"}, table,
                Reference(answer="A"))
    for lines, first in ((["A + 0*A", "A^T", "A"], 2), (["A + 0*A", "x", "A"], 2), (["A + 0*A", "A", "A^T"], 3),
                         (["A^T", "A"], 1)):
        for lang in ("en", "zh"):
            result = check_answer(part, lines, lang)
            assert result.verdict in ("incorrect", "partial"), result.feedback
            assert result.details["first_wrong_line"] == first
    said = " ".join(check_answer(part, ["A + 0*A", "A^T", "A"]).feedback)
    assert "3×2" in said and "2×3" in said
    assert check_answer(part, ["A + 0*A", "A"]).verdict == "correct"


def test_a_skipped_step_and_a_missed_target_compound(bank):
    part = bank.part(SYMMETRY)
    result = check_answer(part, ["1 - sigma(x)", "1 - sigma(x) + 0"])          # valid, neither step nor target
    assert result.verdict == "partial" and result.score == pytest.approx(part.points * 0.5 * 0.5)
    assert len(result.feedback) == 2 and result.details["steps_missing"] == [1]
    shown = check_answer(part, ["1 - sigma(x)", "1/(1 + exp(x))"])              # the step, not the σ form
    assert shown.score == pytest.approx(part.points * 0.5) and "steps_missing" not in shown.details
