"""Named mistakes (grader/formula/diagnose.py): each kind on several bank questions, in both languages,
verified independently, and never claimed for an unrelated wrong answer."""
from __future__ import annotations

import math

import pytest

from grader.checks import check_answer
from grader.formula.diagnose import MAX_TREE, reference_candidates, simple_number
from grader.formula.resolve import parse_formula
from grader.messages import text


def check(bank, address, answer, lang="en"):
    return check_answer(bank.part(address), answer, lang)


# (part, wrong answer, kind, words the English message must name)
CASES = [
    # two symbols of the same kind swapped, z ↔ 1 − z, one symbol for another, σ for tanh
    ("lstm-cell/hidden", "o_t*tanh(C_prev)", "substitute", ["C_prev", "C_t"]),
    ("gru-cell/update", "sigma(W_h [h_prev; x_t])", "substitute", ["W_h", "W_z"]),
    ("gru-cell/hidden", "z_t*h_prev + z_t*htilde_t", "substitute", ["1 - z_t"]),
    ("gru-cell/hidden", "(1 - z_t)*htilde_t + z_t*h_prev", None, None),       # hand-written: PyTorch's convention
    ("lstm-cell/forget", "sigma(W_f @ [h_prev; x_t] + b_i)", "substitute", ["b_i", "b_f"]),
    ("rnn-gradient-dynamics/jacobian", "(1 - sigma(W_x*X_j + W_s*S_prev + b)^2)*W_s", "function", ["tanh", "σ"]),
    ("lstm-cell/cell", "f_t*C_prev + i_t*C_prev", "substitute", ["C_prev", "Ctilde_t"]),
    ("rnn-gradient-dynamics/jacobian", "(1 - tanh(W_s*X_j + W_x*S_prev + b)^2)*W_s", "swap", ["W_s", "W_x"]),
    ("binary-cross-entropy/grad-yhat", "-yhat/y + (1 - yhat)/(1 - y)", "swap", ["y", "yhat"]),
    # transposes
    ("backprop-formulas/delta", "fprime(z_l) * (W_next delta_next)", "missing_transpose", ["W_next"]),
    ("backprop-formulas/grad-w", "delta_l a_prev", "missing_transpose", ["a_prev"]),
    ("backprop-formulas/sgd-l2", "W - alpha*(delta_l @ a_prev + lambda*W)", "missing_transpose", ["a_prev"]),
    ("backprop-formulas/delta", "fprime(z_l) * (W_next^T delta_next)^T", "extra_transpose", ["delta_next"]),
    # a factor or a term missing, or one too many
    ("sigmoid-derivative/in-sigma", "sigma(x)", "missing_factor", ["1 - σ(x)"]),
    ("tanh-sigmoid/tanh-in-sigma", "sigma(2x) - 1", "missing_factor", ["2"]),
    ("lstm-cell/hidden", "tanh(C_t)", "missing_factor", ["o_t"]),
    ("backprop-formulas/sgd-l2", "W - alpha*(delta_l @ a_prev.T)", None, None),   # hand-written: no-decay
    ("backprop-formulas/sgd-l2", "W - alpha*lambda*W", "missing_term", ["delta_l @ a_prev.T"]),
    ("normalization/bn-formula", "(x - mu)/sqrt(sigma^2 + epsilon) - mu", "extra_term", ["-mu"]),
    ("residual-gradient/formula", "dE_dxL*(1 + Fprime(x_l))*x_l", "extra_factor", ["x_l"]),
    ("binary-cross-entropy/grad-yhat", "-y/yhat + (1 - y)/(1 - yhat) + y", "extra_term", ["y"]),
    ("normalization/bn-formula", "(x - mu)/sqrt(sigma^2 - epsilon)", "sign_term", ["sigma^2 + epsilon"]),
    ("residual-gradient/formula", "dE_dxL*(1 - Fprime(x_l))", "sign_term", ["1 + Fprime(x_l)"]),
    # signs
    ("tanh-sigmoid/tanh-in-sigma", "2 sigma(2x) + 1", "sign_term", ["2 * σ(2 * x) + 1"]),
    ("binary-cross-entropy/formula", "-(y*log(yhat) - (1 - y)*log(1 - yhat))", "sign_term", ["log(1 - yhat)"]),
    ("residual-gradient/formula", "-dE_dxL*(1 + Fprime(x_l))", "sign", []),
    # constant factors, named exactly
    ("tanh-sigmoid/tanh-in-sigma", "sqrt(3)*(2 sigma(2x) - 1)", "factor", ["√3"]),
    ("tanh-sigmoid/tanh-in-sigma", "(2 sigma(2x) - 1)/4", "factor", ["1/4"]),
    ("weight-init/xavier-normal-var", "1/(n_in + n_out)", "factor", ["1/2"]),
    ("rnn-bptt/grad-wo-formula", "3 (O3 - Y3) S3", "factor", ["3"]),
    # exponents off by one
    ("vanishing-gradient/bound-formula", "(1/4)^(D-1)", "exponent", ["(1/4)^D"]),
    ("optimizers/adam-bias-correction", "m_t/(1 - beta1^(t+1))", "exponent", ["beta1^t"]),
    ("tanh-sigmoid/tanh-derivative", "1 - tanh(x)^3", "exponent", ["tanh(x)^2"]),
]


@pytest.mark.parametrize("address, answer, kind, words", CASES)
def test_each_kind_is_named(bank, address, answer, kind, words):
    en = check(bank, address, answer, "en")
    zh = check(bank, address, answer, "zh")
    assert en.verdict == "incorrect" and en.score == 0
    assert en.details.get("diagnosis") == kind
    if kind is None:
        assert en.details.get("misconception")
        return
    said = " ".join(en.feedback)
    for word in words:
        assert word in said, (word, said)
    assert zh.details.get("diagnosis") == kind
    assert len(en.feedback) == len(zh.feedback) and en.feedback != zh.feedback
    assert any("\u4e00" <= ch <= "\u9fff" for ch in " ".join(zh.feedback))


UNRELATED = [
    ("sigmoid-derivative/in-sigma", "cos(x)"),
    ("sigmoid-derivative/in-sigma", "x^3 + 1"),
    ("tanh-sigmoid/tanh-derivative", "exp(x)"),
    ("gru-cell/hidden", "z_t*z_t*h_prev"),
    ("gru-cell/hidden", "tanh(h_prev + htilde_t)"),
    ("lstm-cell/cell", "C_prev"),
    ("backprop-formulas/delta", "z_l"),
    ("backprop-formulas/grad-w", "delta_l delta_l^T"),
    # ("backprop-formulas/sgd-l2", "W - delta_l @ a_prev.T + lambda*W") is two verified mistakes now (α missing,
    # a sign): named as a pair, tested in tests/test_diagnose_more.py
    ("weight-init/xavier-uniform-r", "sqrt(6/(n_in - n_out))"),     # a sign, but undefined at many points: no claim
    ("binary-cross-entropy/formula", "y*yhat"),
    ("normalization/bn-formula", "x*mu*epsilon"),
    ("weight-init/he-normal-std", "n_in^2"),
    ("softmax-cross-entropy/grad", "exp(z)"),
    ("optimizers/adam-bias-correction", "m_t*beta1"),
]


@pytest.mark.parametrize("address, answer", UNRELATED)
def test_no_diagnosis_for_an_unrelated_wrong_answer(bank, address, answer):
    result = check(bank, address, answer)
    assert result.verdict == "incorrect"
    assert "diagnosis" not in result.details, result.feedback
    assert not any("your answer equals the expected one" in line for line in result.feedback)


def test_a_right_answer_gets_no_diagnosis(bank):
    for address, answer in [("gru-cell/hidden", "h_prev + z_t*(htilde_t - h_prev)"),
                            ("backprop-formulas/grad-w", "delta_l a_prev^T")]:
        result = check(bank, address, answer)
        assert result.verdict == "correct" and "diagnosis" not in result.details


# -- each named edit checked independently: the fix it names makes the answer right -----------

FIXES = [
    # (part, wrong answer, kind, the answer with the named fix applied by hand)
    ("sigmoid-derivative/in-sigma", "sigma(x)", "missing_factor", "sigma(x)*(1 - sigma(x))"),
    ("gru-cell/update", "sigma(W_h [h_prev; x_t])", "substitute", "sigma(W_z [h_prev; x_t])"),
    ("gru-cell/hidden", "h_prev", "substitute", "(1 - z_t)*h_prev + z_t*htilde_t"),
    ("binary-cross-entropy/grad-yhat", "-yhat/y + (1 - yhat)/(1 - y)", "swap", "-y/yhat + (1 - y)/(1 - yhat)"),
    ("lstm-cell/hidden", "tanh(C_t)", "missing_factor", "o_t*tanh(C_t)"),
    ("backprop-formulas/grad-w", "delta_l a_prev", "missing_transpose", "delta_l a_prev^T"),
    ("binary-cross-entropy/grad-yhat", "-y/yhat + (1 - y)/(1 - yhat) + y", "extra_term", "-y/yhat + (1 - y)/(1 - yhat)"),
    ("vanishing-gradient/bound-formula", "(1/4)^(D-1)", "exponent", "(1/4)^D"),
]


@pytest.mark.parametrize("address, answer, kind, fixed", FIXES)
def test_the_named_fix_makes_the_answer_right(bank, address, answer, kind, fixed):
    assert check(bank, address, answer).details.get("diagnosis") == kind
    assert check(bank, address, fixed).verdict == "correct"


def test_the_named_factor_is_the_true_ratio(bank):
    part = bank.part("weight-init/xavier-normal-var")
    result = check_answer(part, "1/(n_in + n_out)")
    point = result.details["counterexample"]
    assert point["got"] / point["expected"] == pytest.approx(0.5, rel=1e-12)
    assert "1/2" in " ".join(result.feedback)


def test_a_factor_that_is_not_simple_is_never_called_exact(bank):
    result = check(bank, "tanh-sigmoid/tanh-in-sigma", "1.2345*(2 sigma(2x) - 1)")
    assert result.details.get("diagnosis") == "extra_factor"        # the factor written out: named as written
    assert "1.2345" in " ".join(result.feedback) and "exactly" not in " ".join(result.feedback)
    result = check(bank, "tanh-sigmoid/tanh-in-sigma", "2.469 sigma(2x) - 1.2345")
    assert result.details.get("diagnosis") == "factor"
    assert "1.2345" in " ".join(result.feedback) and "exactly" not in " ".join(result.feedback)


def test_simple_numbers():
    assert simple_number(2.0) == "2"
    assert simple_number(0.25) == "1/4"
    assert simple_number(-0.5) == "-1/2"
    assert simple_number(math.sqrt(3)) == "√3"
    assert simple_number(math.sqrt(2) / 2) == "√2/2"
    assert simple_number(1 / math.sqrt(3)) == "√3/3"
    assert simple_number(1.2345) is None
    assert simple_number(math.pi) is None


# -- a missing transpose is never sold as * or ⊙ ------------------------------------------------

def test_a_missing_transpose_is_not_told_to_use_elementwise_product(bank):
    for lang in ("en", "zh"):
        result = check(bank, "backprop-formulas/grad-w", "delta_l a_prev", lang)
        assert result.details.get("error") == "shape"
        assert text("juxt_hint", lang) not in result.feedback
    # where ⊙ is the fix (two vectors of one shape side by side), the hint stays
    result = check(bank, "gru-cell/hidden", "(1 - z_t) h_prev + z_t*htilde_t")
    assert text("juxt_hint", "en") in result.feedback


# -- derivations: the first wrong line and every later one -----------------------------------------

def test_derivation_reports_every_wrong_step_with_a_diagnosis(bank):
    part = bank.part("sigmoid-symmetry/proof")
    lines = ["1 - sigma(x)", "1 + 1/(1+exp(-x))", "exp(-x)/(1+exp(-x))", "2/(exp(x)+1)", "sigma(-x)"]
    for lang in ("en", "zh"):
        result = check_answer(part, lines, lang)
        assert result.details["first_wrong_line"] == 2
        assert result.details["wrong_lines"] == [2, 3, 4, 5]
        assert result.details["diagnosis"] == "sign_term"
        # lines 3 and 5 equal the start again without following from the line before: named apart
        assert result.details["back_lines"] == [3, 5] and result.details["carried_lines"] == []
        assert len(result.feedback) == 4
    good = ["1 - sigma(x)", "1 - 1/(1+exp(-x))", "exp(-x)/(1+exp(-x))", "1/(exp(x)+1)", "sigma(-x)"]
    assert check_answer(part, good).verdict == "correct"
    late = good[:3] + ["2/(exp(x)+1)", "sigma(-x)"]
    result = check_answer(part, late)
    assert result.details["wrong_lines"] == [4, 5] and result.details["diagnosis"] == "factor"
    assert "2" in result.feedback[1]


# -- bounded work -------------------------------------------------------------------------------------

def test_large_references_are_not_edited(bank):
    part = bank.part("sigmoid-derivative/in-sigma")
    big = " + ".join(f"sigma(x)^{k}" for k in range(1, MAX_TREE // 3))
    node = parse_formula(big, part.table)
    from grader.checks.formula import points
    from grader.formula.evaluate import evaluate, infer_shapes
    env = points(part)
    values = evaluate(node, env, infer_shapes(node, part.table))
    assert reference_candidates(node, values, part.table, env).values is None
    result = check_answer(part, big)          # a wrong answer of that size is still graded, without a claim
    assert result.verdict == "incorrect"
