"""⌊x⌋ and ⌈x⌉ as the course's sizes need them (a convolution's output width): every spelling reads as floor or
ceil, values agree with Python's math.floor/ceil, SymPy and the rendering know them, and a half-written one is a
positioned invalid answer."""
from __future__ import annotations

import math

import numpy as np
import pytest
import sympy

from grader.formula.evaluate import evaluate, infer_shapes, sample_env
from grader.formula.render import to_latex
from grader.formula.resolve import parse_formula
from grader.formula.symbols import SymbolSpec, SymbolTable
from grader.formula.syntax import FormulaInvalid
from grader.formula.to_sympy import to_sympy

TABLE = SymbolTable.build([SymbolSpec("x", domain=(-7.0, 7.0)), SymbolSpec("S", domain=(1.0, 4.0))], [])


def values(text: str) -> tuple[np.ndarray, dict]:
    node = parse_formula(text, TABLE)
    env = sample_env(TABLE, 64, seed=11)
    return evaluate(node, env, infer_shapes(node, TABLE)).ravel(), env


@pytest.mark.parametrize("text", ["floor(x/S) + 1", r"\lfloor x/S \rfloor + 1",
                                  r"\left\lfloor \frac{x}{S} \right\rfloor + 1", "⌊x/S⌋ + 1",
                                  r"1 + \bigl\lfloor x/S \bigr\rfloor", r"$\lfloor x / S\rfloor + 1$"])
def test_every_spelling_of_floor_is_math_floor(text):
    got, env = values(text)
    xs, ss = (np.asarray(env.values[name]).ravel() for name in ("x", "S"))
    assert np.array_equal(got, np.array([math.floor(a / b) + 1 for a, b in zip(xs, ss)], dtype=float))


@pytest.mark.parametrize("text", ["ceil(x)", "ceiling(x)", r"\lceil x \rceil", "⌈x⌉"])
def test_every_spelling_of_ceil_is_math_ceil(text):
    got, env = values(text)
    assert np.array_equal(got, np.array([math.ceil(a) for a in np.asarray(env.values["x"]).ravel()], dtype=float))


def test_sympy_and_latex_know_them():
    node = parse_formula(r"\lfloor x \rfloor - \lceil x \rceil", TABLE)
    expr = to_sympy(node, TABLE)
    (x,) = expr.free_symbols
    assert sympy.simplify(expr - (sympy.floor(x) - sympy.ceiling(x))) == 0
    assert r"\lfloor" in to_latex(node, TABLE) and r"\rceil" in to_latex(node, TABLE)


@pytest.mark.parametrize("text", [r"\lfloor x", "⌊x", r"x \rfloor", "floor(x, S)"])
def test_a_half_written_floor_is_invalid_with_a_position(text):
    with pytest.raises(FormulaInvalid) as info:
        parse_formula(text, TABLE)
    assert info.value.pos is not None or info.value.key == "arity", (info.value.key, info.value.params)
