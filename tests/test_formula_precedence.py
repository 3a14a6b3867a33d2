"""Implicit multiplication binds looser than powers, transposes and indices (issue 11, item 2).

A glued name (``yz``, ``ss``, ``ab``) is split into declared symbols by the
resolver; a power, transpose or index written after it belongs to its last
factor only, as mathematicians read ``yz^2 = y·z²`` and ``ss^⊤ = s·sᵀ``. Values
are checked against NumPy computed here, not against the engine.
"""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from grader.checks import check_answer
from grader.formula.evaluate import evaluate, infer_shapes, sample_env
from grader.formula.render import to_text
from grader.formula.resolve import parse_formula
from grader.formula.symbols import SymbolSpec, SymbolTable
from grader.model import Part, Reference

SCALARS = "abcdy"
TABLE = SymbolTable.build(
    [SymbolSpec(n, domain=(0.3, 2.0)) for n in SCALARS]
    + [SymbolSpec("b_t", domain=(0.3, 2.0)), SymbolSpec("bhat", domain=(0.3, 2.0)), SymbolSpec("z", domain=(0.3, 2.0)),
       SymbolSpec("s", (3, 1)), SymbolSpec("u", (3, 1)), SymbolSpec("v", (4, 1))],
    [],
)
ENV = sample_env(TABLE, 12, seed=7)
V = ENV.values


def value(text: str) -> np.ndarray:
    node = parse_formula(text, TABLE)
    return evaluate(node, ENV, infer_shapes(node, TABLE))


def same(text: str, expected: np.ndarray) -> bool:
    got = value(text)
    return got.shape == expected.shape and np.allclose(got, expected, rtol=1e-12, atol=1e-12)


# -- the cases the issue names ---------------------------------------------------------

def test_issue_examples_read_as_mathematicians_do():
    a, b, y, z = V["a"], V["b"], V["y"], V["z"]
    assert same("yz^2", y * z ** 2)
    assert same("ab^2", a * b ** 2)
    assert same("ab_{t}", a * V["b_t"])
    assert same("ab_t", a * V["b_t"])
    assert same(r"a\hat{b}", a * V["bhat"])
    assert same("2z^2", 2 * z ** 2)
    assert same("a(b)^2", a * b ** 2)
    s = V["s"]
    assert same("ss^T", s @ np.swapaxes(s, 1, 2))
    assert same(r"ss^\top", s @ np.swapaxes(s, 1, 2))
    assert same("ss.T", s @ np.swapaxes(s, 1, 2))
    assert same("ssᵀ", s @ np.swapaxes(s, 1, 2))


def test_what_a_glued_power_is_not():
    """The old reading (yz)² differs from y·z² at the sample points: the test above can fail."""
    y, z = V["y"], V["z"]
    assert not np.allclose((y * z) ** 2, y * z ** 2)
    assert to_text(parse_formula("yz^2", TABLE)) == "y z^2"
    assert to_text(parse_formula("(yz)^2", TABLE)) == "(y z)^2"


def test_softmax_jacobian_graded_right_with_its_shape():
    """The textbook softmax Jacobian diag(s) − ssᵀ: a 3×3 matrix, full marks."""
    part = Part("demo", "jac", "formula", 1.0, {"en": "J", "zh": "J"}, {},
                SymbolTable.build([SymbolSpec("s", (3, 1), domain=(0.05, 0.95))], []),
                Reference(answer="diag(s) - s @ s.T"))
    for answer in (r"\mathrm{diag}(s) - ss^\top", r"\operatorname{diag}(s) - ss^T", "diag(s) - ssᵀ",
                   r"$\text{diag}(\mathbf{s}) - \mathbf{s}\mathbf{s}^\top$"):
        out = check_answer(part, answer)
        assert out.verdict == "correct", (answer, out.feedback)
    wrong = check_answer(part, r"\mathrm{diag}(s) - s^\top s")
    assert wrong.verdict == "incorrect"


# -- properties ---------------------------------------------------------------------

names = st.lists(st.sampled_from(SCALARS), min_size=2, max_size=4)


@settings(max_examples=60, deadline=None)
@given(names, st.integers(min_value=2, max_value=4))
def test_power_binds_to_the_last_glued_factor(letters, k):
    glued = "".join(letters)
    if glued in TABLE.lookup:                      # a declared name is that name, not a product
        return
    expected = np.prod([V[c] for c in letters[:-1]], axis=0) * V[letters[-1]] ** k
    for power in (f"^{k}", f"^{{{k}}}", f"**{k}"):
        assert same(glued + power, expected), glued + power


@settings(max_examples=40, deadline=None)
@given(names)
def test_index_binds_to_the_last_glued_factor(letters):
    letters = letters[:-1] + ["b"]
    glued = "".join(letters[:-1])
    expected = np.prod([V[c] for c in letters[:-1]], axis=0) * V["b_t"]
    for index in ("b_t", "b_{t}"):
        assert same(glued + index, expected), glued + index
    expected_hat = np.prod([V[c] for c in letters[:-1]], axis=0) * V["bhat"]
    assert same(glued + r"\hat{b}", expected_hat)
    assert same(glued + r"\hat b", expected_hat)


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(["u", "s"]), st.sampled_from(["s", "u", "v"]),
       st.sampled_from(["^T", "^{T}", r"^\top", r"^{\top}", ".T", "ᵀ", r"^\intercal"]))
def test_transpose_binds_to_the_last_glued_factor(left, right, mark):
    """``uv^T`` is the outer product u·vᵀ (3×4), never (uv)ᵀ, which has no shape."""
    expected = V[left] @ np.swapaxes(V[right], 1, 2)
    assert same(left + right + mark, expected)


@settings(max_examples=40, deadline=None)
@given(st.integers(min_value=1, max_value=9), st.sampled_from(SCALARS), st.integers(min_value=2, max_value=3))
def test_number_coefficient_and_bracket_power(c, x, k):
    assert same(f"{c}{x}^{k}", c * V[x] ** k)
    assert same(f"{c}({x})^{k}", c * V[x] ** k)
    other = "a" if x != "a" else "b"
    assert same(f"{other}({x})^{k}", V[other] * V[x] ** k)
    assert same(f"({other}{x})^{k}", (V[other] * V[x]) ** k)


@pytest.mark.parametrize(("text", "reads"), [
    ("ab^2", "a b^2"), ("ab^T", "a b.T"), ("ab_{t}", "a b_t"), (r"a\hat{b}", "a bhat"),
    ("2y^2", "2 y^2"), ("a(b)^2", "a b^2"), ("abc^2", "a b c^2"), ("ab^{-1}", "a b^(-1)"),
])
def test_reads_as(text, reads):
    assert to_text(parse_formula(text, TABLE)) == reads
