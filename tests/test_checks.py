"""Verdicts, scores and feedback of every answer type, through the public entry point."""
from __future__ import annotations

import pytest

from grader.checks import check_answer
from grader.outcome import VERDICTS


def check(bank, address, answer, lang="en"):
    return check_answer(bank.part(address), answer, lang)


FORMULA_TABLE = [
    ("sigmoid-derivative/in-sigma", "σ(x)(1−σ(x))", "correct", 2.0),
    ("sigmoid-derivative/in-sigma", "exp(-x)/(1+exp(-x))^2", "partial", 1.0),
    ("sigmoid-derivative/in-sigma", "sigma(x)^2", "incorrect", 0.0),
    ("sigmoid-derivative/in-sigma", "sigma(x)(1-sigma(x)", "invalid", 0.0),
    ("tanh-sigmoid/tanh-in-sigma", "tanh(x)", "incorrect", 0.0),
    ("tanh-sigmoid/tanh-in-sigma", "2 sigma(2x) - 1", "correct", 2.0),
    ("sigmoid-symmetry/identity", "1 - sigma(x)", "partial", 1.0),
    ("backprop-formulas/delta", "diag(fprime(z_l)) @ W_next.T @ delta_next", "correct", 3.0),
    ("backprop-formulas/delta", "W_next.T @ delta_next", "incorrect", 0.0),
    ("lstm-cell/cell-gradient", "diag(f_t)", "correct", 2.0),
    ("lstm-cell/cell-gradient", "f_t", "correct", 2.0),
    ("binary-cross-entropy/grad-logit", r"\hat{y} - y", "correct", 3.0),
    ("softmax-cross-entropy/grad", "exp(z)/sum(exp(z)) - y", "correct", 3.0),
]


@pytest.mark.parametrize(("address", "answer", "verdict", "score"), FORMULA_TABLE)
def test_formula_table(bank, address, answer, verdict, score):
    result = check(bank, address, answer)
    assert (result.verdict, result.score) == (verdict, score), result.feedback


def test_misconception_gets_targeted_feedback(bank):
    result = check(bank, "sigmoid-derivative/in-sigma", "1 - sigma(x)^2")
    assert result.details["misconception"] == "tanh-pattern"
    assert "tanh" in result.feedback[0]
    zh = check(bank, "sigmoid-derivative/in-sigma", "1 - sigma(x)^2", "zh")
    assert "tanh" in zh.feedback[0] and "导数" in zh.feedback[0]


def test_counterexample_is_a_real_counterexample(bank):
    result = check(bank, "tanh-sigmoid/tanh-derivative", "1 - tanh(x)^3")
    ce = result.details["counterexample"]
    import math
    x = ce["point"]["x"]
    assert ce["expected"] == pytest.approx(1 - math.tanh(x) ** 2, rel=1e-12)
    assert ce["got"] == pytest.approx(1 - math.tanh(x) ** 3, rel=1e-12)
    assert ce["expected"] != pytest.approx(ce["got"])


def test_generic_diagnoses(bank):
    sign = check(bank, "residual-gradient/formula", "-dE_dxL*(1 + F'(x_l))")
    assert sign.details.get("diagnosis") == "sign"
    factor = check(bank, "rnn-bptt/grad-wo-formula", "3 (O3 - Y3) S3")
    assert factor.details.get("diagnosis") == "factor" and "3" in " ".join(factor.feedback)


def test_shape_errors_are_incorrect_not_invalid(bank):
    result = check(bank, "backprop-formulas/delta", "fprime(z_l) * (W_next @ delta_next)")
    assert result.verdict == "incorrect" and result.details["error"] == "shape"
    assert "4×3" in result.feedback[0] and "4×1" in result.feedback[0]
    transposed = check(bank, "backprop-formulas/grad-w", "a_prev @ delta_l.T")
    assert "transpose" in " ".join(transposed.feedback)


def test_interpreted_as_is_latex(bank):
    result = check(bank, "lstm-cell/hidden", "o_t*tanh(C_t)")
    assert result.interpreted and r"\tanh" in result.interpreted and "o_{t}" in result.interpreted


def test_abstract_function_must_be_structurally_right(bank):
    # F' is a random smooth function: F itself, or F' at another point, cannot pass
    assert check(bank, "residual-gradient/formula", "dE_dxL (1 + F(x_l))").verdict == "incorrect"
    assert check(bank, "residual-gradient/formula", "dE_dxL (1 + F'(2 x_l))").verdict == "incorrect"
    assert check(bank, "residual-gradient/formula", "dE_dxL + F'(x_l) dE_dxL").verdict == "correct"


def test_numeric_tolerances(bank):
    assert check(bank, "sigmoid-derivative/max", "1/4").verdict == "correct"
    assert check(bank, "sigmoid-derivative/max", "0.2500000001").verdict == "correct"
    assert check(bank, "sigmoid-derivative/max", "0.251").verdict == "incorrect"
    assert check(bank, "sigmoid-derivative/max", "x").verdict == "invalid"
    assert check(bank, "sigmoid-derivative/max", 0.25).verdict == "correct"


def test_sigfig_tolerance():
    from grader.checks.numeric import within
    assert within(0.731, 0.7310585786, {"sigfigs": 3})
    assert not within(0.732, 0.7310585786, {"sigfigs": 3})
    assert within(-1230, -1234.5, {"sigfigs": 3})


def test_matrix_reading_and_feedback(bank):
    from grader.checks.numeric import read_matrix
    assert read_matrix("[1 2; 3 4]").tolist() == [[1, 2], [3, 4]]
    assert read_matrix("[[1, 2], [3, 1/4]]").tolist() == [[1, 2], [3, 0.25]]
    assert read_matrix([[1, 2.5]]).tolist() == [[1, 2.5]]
    from grader.checks.numeric import check_matrix
    p = bank.part("sigmoid-derivative/max")             # any part: the reference is passed in
    ok = check_matrix(p, "[1 2; 3 4]", "en", reference=[[1, 2], [3, 4]])
    assert ok.verdict == "correct"
    bad = check_matrix(p, "[1 2; 3 5]", "en", reference=[[1, 2], [3, 4]])
    assert bad.verdict == "incorrect" and bad.details["wrong_entries"] == [[2, 2]]
    shape = check_matrix(p, "[1 3; 2 4; 0 0]", "en", reference=[[1, 2, 0], [3, 4, 0]])
    assert shape.verdict == "incorrect" and "transpose" in " ".join(shape.feedback)
    ragged = check_matrix(p, [[1, 2], [3]], "en", reference=[[1, 2], [3, 4]])
    assert ragged.verdict == "invalid" and "Row 2" in ragged.feedback[0]


def test_choice_single_and_multiple(bank):
    assert check(bank, "init-symmetry/zero", "B").score == 1
    wrong = check(bank, "init-symmetry/zero", "A")
    assert wrong.verdict == "incorrect" and "W2 = 0" in " ".join(wrong.feedback)
    assert check(bank, "init-symmetry/zero", "A, B").verdict == "invalid"
    assert check(bank, "init-symmetry/why", ["A", "B", "E"]).score == 3
    two = check(bank, "init-symmetry/why", "A, B")
    assert two.verdict == "partial" and two.score == pytest.approx(2.0)
    # a wrong pick cancels a right one
    assert check(bank, "init-symmetry/why", "A, B, C").score == pytest.approx(1.0)
    assert check(bank, "init-symmetry/why", "C, D").score == 0
    assert check(bank, "init-symmetry/why", "A, Z").verdict == "invalid"


def test_derivation_names_the_first_wrong_line(bank):
    lines = ["1 - sigma(x)", "exp(-x)/(1+exp(-x))", "exp(x)/(1+exp(x))", "sigma(-x)"]
    result = check(bank, "sigmoid-symmetry/proof", lines)
    assert result.verdict == "partial" and result.details["first_wrong_line"] == 3
    assert "Line 3" in result.feedback[0]
    good = check(bank, "sigmoid-symmetry/proof", ["1 - sigma(x)", "1/(1+exp(x))", "sigma(-x)"])
    assert good.verdict == "correct"
    short = check(bank, "sigmoid-symmetry/proof", ["1 - sigma(x)", "1/(1+exp(x))"])
    assert short.verdict == "partial"   # every step right, but the target is not reached in σ form
    unreadable = check(bank, "sigmoid-symmetry/proof", ["1 - sigma(x)", "1/(1+exp(x)"])
    assert unreadable.verdict == "invalid" and unreadable.details["line"] == 2


def test_text_is_provisional_and_flagged(bank):
    result = check(bank, "init-symmetry/explain", "Units are symmetric, so they get the same gradient; use random init.")
    assert result.details["needs_review"] and result.score == 2
    partial = check(bank, "init-symmetry/explain", "因为对称。")
    assert partial.verdict == "partial" and partial.details["needs_review"]


@pytest.mark.parametrize("answer", [None, "", []])
def test_missing(bank, answer):
    assert check(bank, "sigmoid-derivative/in-sigma", answer).verdict == "missing"


@pytest.mark.parametrize("answer", [42, {"a": 1}, ["x"], True])
def test_wrong_types_are_invalid_not_crashes(bank, answer):
    result = check(bank, "sigmoid-derivative/in-sigma", answer)
    assert result.verdict in ("invalid",) and result.score == 0


def test_verdicts_are_from_the_contract(bank):
    for address, answer, *_ in FORMULA_TABLE:
        assert check(bank, address, answer).verdict in VERDICTS
