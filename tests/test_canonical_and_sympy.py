"""Exact equality by canonical form, and the SymPy conversion (checked against our evaluator)."""
from __future__ import annotations

import numpy as np
import pytest
import sympy

from grader.checks import check_answer
from grader.formula.canonical import canonical
from grader.formula.evaluate import evaluate, infer_shapes
from grader.formula.resolve import parse_formula
from grader.formula.to_sympy import NotConvertible, to_sympy


@pytest.mark.parametrize(("address", "answer", "method"), [
    ("sigmoid-derivative/in-sigma", "(1 - σ(x)) σ(x)", "exact"),
    ("sigmoid-derivative/in-sigma", "sigma(x) - sigma(x)^2", "numeric"),
    ("lstm-cell/cell", r"i_t \odot \tilde{C}_t + C_{t-1} * f_t", "exact"),
    ("backprop-formulas/grad-w", r"\delta^{(l)} (a^{(l-1)})^T", "exact"),
    ("backprop-formulas/sgd-l2", "W - alpha*(lambda*W + delta_l @ a_prev.T)", "exact"),
    ("backprop-formulas/sgd-l2", "(1 - alpha lambda) W - alpha delta_l a_prev^T", "numeric"),
])
def test_method_reports_exact_or_numeric(bank, address, answer, method):
    result = check_answer(bank.part(address), answer)
    assert result.verdict == "correct" and result.details["method"] == method


def test_canonical_keeps_matrix_products_ordered(bank):
    table = bank.part("backprop-formulas/grad-w").table
    a = parse_formula("delta_l @ a_prev.T", table)
    b = parse_formula("(a_prev @ delta_l.T).T", table)
    c = parse_formula("delta_l a_prev^T", table)
    assert canonical(a, infer_shapes(a, table)) != canonical(b, infer_shapes(b, table))
    assert canonical(a, infer_shapes(a, table)) == canonical(c, infer_shapes(c, table))


@pytest.mark.parametrize(("address", "text"), [
    ("binary-cross-entropy/formula", "-(y*log(yhat) + (1 - y)*log(1 - yhat))"),
    ("lstm-cell/forget", "sigma(W_f @ [h_prev; x_t] + b_f)"),
    ("softmax-cross-entropy/grad", "softmax(z) - y"),
    ("weight-init/xavier-uniform-r", "sqrt(6/(n_in + n_out))"),
    ("lstm-cell/cell-gradient", "diag(f_t)"),
])
def test_sympy_conversion_agrees_with_the_numeric_evaluator(bank, address, text):
    part = bank.part(address)
    from grader.checks.formula import points
    env = points(part)
    node = parse_formula(text, part.table)
    ours = evaluate(node, env, infer_shapes(node, part.table))[0]
    expr = to_sympy(node, part.table)
    values = {}
    for name, spec in part.table.symbols.items():
        v = env.values[name][0]
        for i in range(spec.shape[0]):
            for j in range(spec.shape[1]):
                values[name if spec.is_scalar else f"{name}_{i}{j}"] = v[i, j]
    free = expr.free_symbols
    got = expr.subs({sym: values[sym.name] for sym in free})
    got = np.array((got if isinstance(got, sympy.MatrixBase) else sympy.Matrix([[got]])).evalf(), dtype=float)
    np.testing.assert_allclose(got, ours, rtol=1e-12)


def test_huge_exponents_are_not_expanded(bank):
    part = bank.part("sigmoid-derivative/in-sigma")
    with pytest.raises(NotConvertible):
        to_sympy(parse_formula("x^1000000", part.table), part.table)
