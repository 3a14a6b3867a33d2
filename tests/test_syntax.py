"""The grammar: what the course's ASCII and LaTeX spellings are read as."""
from __future__ import annotations

import pytest

from grader.formula.render import to_text
from grader.formula.resolve import parse_formula
from grader.formula.symbols import FunctionSpec, SymbolSpec, SymbolTable
from grader.formula.syntax import MAX_LENGTH, FormulaInvalid, caret

TABLE = SymbolTable.build(
    [SymbolSpec("x"), SymbolSpec("y"), SymbolSpec("lambda"), SymbolSpec("alpha"), SymbolSpec("W", (3, 2)),
     SymbolSpec("h_prev", (3, 1), aliases=("h_{t-1}",)), SymbolSpec("x_t", (2, 1)), SymbolSpec("yhat"),
     SymbolSpec("Ctilde_t", (3, 1)), SymbolSpec("z_l", (3, 1), aliases=("z^{(l)}",)), SymbolSpec("beta1"),
     SymbolSpec("n_in")],
    [FunctionSpec("fprime")],
)

READS_AS = [
    ("sigma(x)(1-sigma(x))", "sigma(x) (1 - sigma(x))"),
    ("σ(x)(1−σ(x))", "sigma(x) (1 - sigma(x))"),
    (r"\sigma(x)\left(1-\sigma(x)\right)", "sigma(x) (1 - sigma(x))"),
    ("2x", "2 x"),
    ("xy", "x y"),
    ("x^2", "x^2"),
    ("x**2", "x^2"),
    ("-x^2", "-x^2"),
    ("e^{-x}", "e^(-x)"),
    (r"\frac{1}{1+e^{-x}}", "1/(1 + e^(-x))"),
    (r"\sqrt{x}", "sqrt(x)"),
    (r"\tanh^2(x)", "tanh(x)^2"),
    ("tanh^2 x", "tanh(x)^2"),
    (r"\log\hat{y}", "log(yhat)"),
    (r"\ln(x)", "log(x)"),
    (r"\lambda W", "lambda W"),
    ("λ W", "lambda W"),
    ("α x", "alpha x"),
    (r"\alpha x", "alpha x"),
    ("W.T", "W.T"),
    ("W^T", "W.T"),
    ("W^{T}", "W.T"),
    (r"W^\top", "W.T"),
    ("Wᵀ", "W.T"),
    ("[h_prev; x_t]", "[h_prev; x_t]"),
    ("[h_{t-1}, x_t]", "[h_prev; x_t]"),
    ("concat(h_prev, x_t)", "[h_prev; x_t]"),
    (r"\tilde{C}_t", "Ctilde_t"),
    ("z^{(l)}", "z_l"),
    (r"\beta_1", "beta1"),
    ("beta_1", "beta1"),
    ("n_{in}", "n_in"),
    ("f'(x)", "fprime(x)"),
    ("x ⊙ y", "x ⊙ y"),
    (r"x \odot y", "x ⊙ y"),
    (r"x \cdot y", "x @ y"),
    ("x(1-x)", "x (1 - x)"),
    ("sigma'(x)", "sigma'(x)"),
    ("（x）", "x"),
    ("x^-1", "x^(-1)"),
]


@pytest.mark.parametrize(("text", "expected"), READS_AS)
def test_reads_as(text, expected):
    assert to_text(parse_formula(text, TABLE)) == expected


ERRORS = [
    ("sigma(x", "unbalanced_open", 5),
    ("x)", "unbalanced_close", 1),
    ("(x]", "mismatched", 2),
    ("foo(x)", "unknown_function", 0),
    ("q + x", "unknown_symbol", 0),
    ("sigmx", "unknown_symbol_hint", 0),
    ("", "empty", None),
    ("   ", "empty", None),
    ("x +", "unexpected_end", None),
    ("sigmа(x)", "homoglyph", 4),
    ("x 💥", "bad_char", 2),
    ("diff(x)", "not_allowed_function", 0),
    ("sigma + 1", "function_needs_argument", None),
    ("2 3", "adjacent_numbers", None),
    ("x(1, 2)", "symbol_called", None),
]


@pytest.mark.parametrize(("text", "key", "pos"), ERRORS)
def test_errors_name_the_problem_and_place(text, key, pos):
    with pytest.raises(FormulaInvalid) as info:
        parse_formula(text, TABLE)
    assert info.value.key == key
    if pos is not None:
        assert info.value.pos == pos


def test_unknown_symbol_lists_the_questions_symbols():
    with pytest.raises(FormulaInvalid) as info:
        parse_formula("q", TABLE)
    assert "h_prev" in info.value.params["known"] and "x" in info.value.params["known"]


def test_bounds():
    with pytest.raises(FormulaInvalid) as info:
        parse_formula("x" * (MAX_LENGTH + 1), TABLE)
    assert info.value.key == "too_long"
    with pytest.raises(FormulaInvalid) as info:
        parse_formula("(" * 300 + "x" + ")" * 300, TABLE)
    assert info.value.key == "too_deep"
    with pytest.raises(FormulaInvalid) as info:
        parse_formula("x^" * 200 + "x", TABLE)
    assert info.value.key == "too_deep"


def test_caret_points_under_the_place():
    assert caret("sigma(x", 5) == "sigma(x\n     ^"
    # a full-width character takes two columns
    assert caret("（x", 1) == "（x\n  ^"
