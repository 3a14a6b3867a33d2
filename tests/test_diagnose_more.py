"""Two mistakes at once (grader/formula/diagnose.py): each kind of pair named in both languages, the named
fixes checked independently (applied by hand, the answer is right), unrelated answers left unnamed, and
the work bounded by counted evaluations."""
from __future__ import annotations

import pytest

import grader.formula.diagnose as diagnose_module
from grader.checks import check_answer
from grader.checks.formula import points
from grader.formula.diagnose import MAX_ANSWER_EDITS, pair_candidates, reference_candidates
from grader.formula.evaluate import evaluate, infer_shapes
from grader.formula.resolve import parse_formula
from grader.formula.symbols import SymbolSpec, SymbolTable
from grader.model import Part, Reference

# (part, answer with two mistakes, kind, words the English message must name, the answer with both fixed by hand)
PAIRS = [
    # a global sign or a simple factor on top of one edit of the reference
    ("sigmoid-derivative/in-sigma", "-sigma(x)", "sign+missing_factor", ["sign", "1 - σ(x)"],
     "sigma(x)*(1 - sigma(x))"),
    ("residual-gradient/formula", "-dE_dxL*(1 - Fprime(x_l))", "sign+sign_term", ["sign", "1 + Fprime(x_l)"],
     "dE_dxL*(1 + Fprime(x_l))"),
    ("tanh-sigmoid/tanh-derivative", "-(1 - tanh(x)^3)", "sign+exponent", ["tanh(x)^2", "tanh(x)^3"],
     "1 - tanh(x)^2"),
    ("tanh-sigmoid/tanh-derivative", "2*(1 - tanh(x)^3)", "factor+exponent", ["multiplied by 2", "tanh(x)^3"],
     "1 - tanh(x)^2"),
    ("weight-init/xavier-normal-var", "1/(n_in - n_out)", "factor+sign_term", ["1/2", "n_in - n_out"],
     "2/(n_in + n_out)"),
    # a transpose of the answer, then one edit of the reference (or its sign)
    ("backprop-formulas/grad-w", "-delta_l a_prev", "sign+missing_transpose", ["a_prev", "sign"],
     "delta_l a_prev^T"),
    ("backprop-formulas/delta", "-fprime(z_l) * (W_next delta_next)", "sign+missing_transpose", ["W_next"],
     "fprime(z_l) * (W_next^T delta_next)"),
    ("backprop-formulas/sgd-l2", "W + alpha*(delta_l @ a_prev + lambda*W)", "missing_transpose+sign_term",
     ["a_prev", "sign"], "W - alpha*(delta_l @ a_prev^T + lambda*W)"),
    # two edits of the reference
    ("lstm-cell/forget", "sigma(W_f @ [x_t; h_prev] + b_i)", "swap+substitute", ["h_prev", "x_t", "b_i", "b_f"],
     "sigma(W_f @ [h_prev; x_t] + b_f)"),
    ("binary-cross-entropy/grad-yhat", "-yhat/y - (1 - yhat)/(1 - y)", "swap+sign_term", ["y", "yhat"],
     "-y/yhat + (1 - y)/(1 - yhat)"),
    ("gru-cell/hidden", "z_t*h_prev - (1 - z_t)*htilde_t", "swap+sign_term", ["1 - z_t"],
     "(1 - z_t)*h_prev + z_t*htilde_t"),
    ("backprop-formulas/sgd-l2", "W - delta_l @ a_prev.T + lambda*W", "sign_term+missing_factor", ["alpha"],
     "W - alpha*(delta_l @ a_prev.T + lambda*W)"),
    ("rnn-gradient-dynamics/jacobian", "(1 - sigma(W_s*X_j + W_x*S_prev + b)^2)*W_s", "swap+function",
     ["W_s", "W_x", "tanh", "σ"], "(1 - tanh(W_x*X_j + W_s*S_prev + b)^2)*W_s"),
]


def _zh(lines) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in " ".join(lines))


@pytest.mark.parametrize("address, answer, kind, words, fixed", PAIRS)
def test_each_pair_is_named_and_its_fixes_make_the_answer_right(bank, address, answer, kind, words, fixed):
    part = bank.part(address)
    en, zh = check_answer(part, answer, "en"), check_answer(part, answer, "zh")
    assert en.verdict == "incorrect" and en.details.get("diagnosis") == kind, (en.details, en.feedback)
    said = " ".join(en.feedback)
    assert "Two mistakes" in said and "With both fixed" in said
    for word in words:
        assert word in said, (word, said)
    assert zh.details.get("diagnosis") == kind and _zh(zh.feedback) and "两处错误" in " ".join(zh.feedback)
    # independently: with both named fixes applied by hand, the answer is right
    assert check_answer(part, fixed).verdict == "correct"
    # and neither mistake alone explains it (else the single one would be named)
    assert "+" in kind


def _matrix_part(answer: str) -> Part:
    table = SymbolTable.build([SymbolSpec("A", (3, 3)), SymbolSpec("B", (3, 3)), SymbolSpec("x", (3, 1))], [])
    return Part("demo", "p", "formula", 2.0, {"en": "?", "zh": "?"}, {}, table, Reference(answer=answer))


def test_a_swap_plus_a_transpose():
    part = _matrix_part("A^T @ B @ x")
    result = check_answer(part, "B @ A @ x")
    assert result.details.get("diagnosis") == "missing_transpose+swap"
    said = " ".join(result.feedback)
    assert "A" in said and "transpose" in said and "swapped" in said
    assert check_answer(part, "B @ A^T @ x").verdict == "incorrect"           # one fix alone: still wrong
    assert check_answer(part, "A^T @ B @ x").verdict == "correct"


UNRELATED = [
    ("sigmoid-derivative/in-sigma", "-2*sigma(x)"),                 # a factor replaced by a number: not two
    ("sigmoid-derivative/in-sigma", "sigma(x)^3 - 1"),
    ("lstm-cell/forget", "sigma(W_i @ [x_t; h_prev] + b_i)"),       # three edits
    ("lstm-cell/cell", "C_prev"),                                   # two pieces missing: never paired
    ("gru-cell/hidden", "z_t*z_t*h_prev"),
    ("backprop-formulas/grad-w", "a_prev delta_l^T"),               # the whole transposed, not two edits
    ("tanh-sigmoid/tanh-derivative", "3*(1 + tanh(x)^3)"),          # three
    ("binary-cross-entropy/formula", "y*yhat"),
    ("normalization/bn-formula", "x*mu*epsilon"),
]


@pytest.mark.parametrize("address, answer", UNRELATED)
def test_no_pair_for_an_unrelated_answer(bank, address, answer):
    result = check_answer(bank.part(address), answer)
    assert result.verdict == "incorrect"
    assert "+" not in str(result.details.get("diagnosis", "")), result.feedback
    assert not any("With both fixed" in line for line in result.feedback)


def test_a_derivation_step_with_two_mistakes_is_named(bank):
    part = bank.part("sigmoid-symmetry/proof")
    result = check_answer(part, ["1 - sigma(x)", "-1 - 1/(1+exp(-x))"])
    assert result.details["first_wrong_line"] == 2
    assert result.details.get("diagnosis") == "sign+sign_term", result.feedback


# -- bounded work: evaluations are counted and capped ---------------------------------------------------

@pytest.fixture
def counted(monkeypatch):
    calls = {"n": 0}
    real = diagnose_module.evaluate

    def counting(*args, **kwargs):
        calls["n"] += 1
        return real(*args, **kwargs)

    monkeypatch.setattr(diagnose_module, "evaluate", counting)
    return calls


def _compiled(bank, address):
    part = bank.part(address)
    node = parse_formula(part.reference.answer if isinstance(part.reference.answer, str)
                         else part.reference.answer[0], part.table)
    env = points(part)
    return part, node, env, evaluate(node, env, infer_shapes(node, part.table))


@pytest.mark.parametrize("cap", [0, 5, 40])
def test_pairs_are_capped(bank, counted, monkeypatch, cap):
    part, node, env, values = _compiled(bank, "lstm-cell/forget")
    cands = reference_candidates(node, values, part.table, env)
    counted["n"] = 0
    monkeypatch.setattr(diagnose_module, "MAX_PAIR_EDITS", cap)
    pairs = pair_candidates(node, cands, part.table, env)
    assert counted["n"] <= cap and len(pairs.items) <= cap
    assert pair_candidates(node, cands, part.table, env) is pairs      # computed once per reference


def test_the_default_cap_holds_and_is_reached_only_by_big_references(bank, counted):
    part, node, env, values = _compiled(bank, "lstm-cell/forget")
    cands = reference_candidates(node, values, part.table, env)
    counted["n"] = 0
    pairs = pair_candidates(node, cands, part.table, env)
    assert 0 < counted["n"] <= diagnose_module.MAX_PAIR_EDITS and len(pairs.items) == counted["n"]


def test_per_answer_work_is_bounded_once_the_reference_is_cached(bank, counted):
    part = bank.part("lstm-cell/forget")
    check_answer(part, "sigma(W_f @ [x_t; h_prev] + b_i)")          # the reference's singles and pairs cached
    for answer in ("sigma(W_f @ [x_t; h_prev] + b_i + 1)", "sigma(W_i @ [x_t; h_prev] + b_i)",
                   "tanh(W_f @ [x_t; h_prev] + b_i)"):
        counted["n"] = 0
        check_answer(part, answer)
        assert counted["n"] <= MAX_ANSWER_EDITS + 1, (answer, counted["n"])
