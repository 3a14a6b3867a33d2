"""Shapes and numeric evaluation, checked against values computed independently."""
from __future__ import annotations

import math

import numpy as np
import pytest

from grader.formula.evaluate import ShapeMismatch, evaluate, infer_shapes, sample_env
from grader.formula.resolve import parse_formula
from grader.formula.symbols import FunctionSpec, SymbolSpec, SymbolTable

TABLE = SymbolTable.build(
    [SymbolSpec("x"), SymbolSpec("W_next", (4, 3)), SymbolSpec("delta_next", (4, 1)), SymbolSpec("z", (4, 1)),
     SymbolSpec("a", (3, 1)), SymbolSpec("v", (3, 1)), SymbolSpec("y", (4, 1), sampling="onehot"),
     SymbolSpec("k", (1, 1), (1, 5), integer=True)],
    [FunctionSpec("f"), FunctionSpec("g")],
)
ENV = sample_env(TABLE, 16, 7)


def value(text):
    node = parse_formula(text, TABLE)
    return evaluate(node, ENV, infer_shapes(node, TABLE))


def test_scalar_functions_match_the_math_library():
    x = ENV.values["x"][:, 0, 0]
    np.testing.assert_allclose(value("sigma(x)")[:, 0, 0], [1 / (1 + math.exp(-t)) for t in x], rtol=1e-14)
    np.testing.assert_allclose(value("tanh(x)")[:, 0, 0], [math.tanh(t) for t in x], rtol=1e-14)
    np.testing.assert_allclose(value("sigma'(x)")[:, 0, 0],
                               [math.exp(-t) / (1 + math.exp(-t)) ** 2 for t in x], rtol=1e-12)
    np.testing.assert_allclose(value(r"\frac{e^{x}}{2}")[:, 0, 0], [math.exp(t) / 2 for t in x], rtol=1e-14)


def test_sigma_is_stable_far_out():
    table = SymbolTable.build([SymbolSpec("x", domain=(-800, -700))], [])
    env = sample_env(table, 8, 1)
    node = parse_formula("sigma(x)", table)
    out = evaluate(node, env, infer_shapes(node, table))
    assert np.all(out >= 0) and np.all(np.isfinite(out))


def test_matrix_product_and_transpose():
    got = value("W_next.T @ delta_next")
    want = np.einsum("nij,nik->njk", ENV.values["W_next"], ENV.values["delta_next"])
    np.testing.assert_allclose(got, want, rtol=1e-14)
    assert got.shape == (16, 3, 1)


def test_softmax_sums_to_one_and_diag_is_diagonal():
    s = value("softmax(z)")
    np.testing.assert_allclose(s.sum(axis=(1, 2)), 1.0, rtol=1e-14)
    d = value("diag(v)")
    assert d.shape == (16, 3, 3)
    np.testing.assert_allclose(np.diagonal(d, axis1=1, axis2=2), ENV.values["v"][:, :, 0])
    assert np.count_nonzero(d - d * np.eye(3)) == 0


def test_onehot_and_integer_domains():
    y = ENV.values["y"]
    assert set(np.unique(y)) <= {0.0, 1.0} and np.all(y.sum(axis=(1, 2)) == 1)
    k = ENV.values["k"]
    assert np.all(k == np.round(k)) and k.min() >= 1 and k.max() <= 5


def test_abstract_functions_are_random_and_distinct():
    f, g = value("f(x)"), value("g(x)")
    assert not np.allclose(f, g)
    assert not np.allclose(f, value("x"))
    np.testing.assert_allclose(value("f(x)"), f)       # the same points give the same function


@pytest.mark.parametrize(("text", "key", "words"), [
    ("W_next @ delta_next", "shape_matmul", ("W_next", "4×3", "delta_next", "4×1")),
    ("a + z", "shape_elementwise", ("3×1", "4×1")),
    ("[a; W_next]", "shape_stack", ("3×1", "4×3")),
    ("softmax(W_next)", "shape_vector_needed", ("softmax", "4×3")),
])
def test_shape_errors_name_operands_and_shapes(text, key, words):
    node = parse_formula(text, TABLE)
    with pytest.raises(ShapeMismatch) as info:
        infer_shapes(node, TABLE)
    assert info.value.key == key
    flat = " ".join(str(v) for v in info.value.params.values())
    for word in words:
        assert word in flat


def test_huge_powers_overflow_to_inf_quickly():
    out = value("9^9^9^9")
    assert np.all(np.isinf(out))
