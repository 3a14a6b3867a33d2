"""Hostile formula input: rejected as invalid, quickly, with no side effects."""
from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from grader.checks import check_answer
from grader.outcome import VERDICTS

MARKER = Path("/tmp/nngrade-hostile-marker")

HOSTILE = [
    f"__import__('os').system('touch {MARKER}')",
    "().__class__.__bases__[0].__subclasses__()",
    f"open('{MARKER}', 'w')",
    "lambda x: x",
    r"\input{/etc/passwd}",
    r"\include{solutions/sigmoid_derivative}",
    "exec('import os')",
    "eval('1')",
    "sigmа(x)",                      # Cyrillic a
    "ѕigma(x)",                      # Cyrillic dze
    "x" * 100_000,
    "(" * 10_000 + "x" + ")" * 10_000,
    "[" * 5_000 + "x" + "]" * 5_000,
    "-" * 999 + "x",
    "x\x00",
    "sigma(x)\u202e",                # right-to-left override
    "x; import os",
    "$(touch /tmp/x)",
    "`id`",
]


@pytest.mark.parametrize("answer", HOSTILE)
def test_hostile_answers_are_invalid_fast_and_harmless(bank, answer):
    start = time.perf_counter()
    result = check_answer(bank.part("sigmoid-derivative/in-sigma"), answer)
    elapsed = time.perf_counter() - start
    assert result.verdict == "invalid", result.feedback
    assert result.score == 0 and result.feedback
    assert elapsed < 2.0            # a bound on hanging, not a speed target
    assert not MARKER.exists()


@pytest.mark.parametrize("answer", ["9^9^9^9", "9^9^9^9^9^9^9^9", "x^(10^400)", "exp(exp(exp(exp(exp(x)))))",
                                    "(x+1)^1000000", "1e308 * 1e308 * x"])
def test_runaway_arithmetic_finishes_and_is_graded(bank, answer):
    start = time.perf_counter()
    result = check_answer(bank.part("sigmoid-derivative/in-sigma"), answer)
    assert time.perf_counter() - start < 2.0
    assert result.verdict == "incorrect"


def test_a_check_that_runs_too_long_is_stopped(bank, monkeypatch):
    import grader.checks as check_module

    def slow(*args):
        while True:
            time.sleep(0.01)
    monkeypatch.setitem(check_module.CHECKERS, "formula", slow)
    start = time.perf_counter()
    result = check_answer(bank.part("sigmoid-derivative/in-sigma"), "x", seconds=0.2)
    assert result.verdict == "error" and result.details["error"] == "timeout"
    assert time.perf_counter() - start < 1.0


def test_a_grader_bug_costs_one_part_not_the_run(bank, monkeypatch):
    import grader.checks as check_module

    def broken(*args):
        raise ZeroDivisionError("boom")
    monkeypatch.setitem(check_module.CHECKERS, "formula", broken)
    result = check_answer(bank.part("sigmoid-derivative/in-sigma"), "x")
    assert result.verdict == "error" and "ZeroDivisionError" in result.feedback[0]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=st.sampled_from(list("xyz()[]{}^*/+-_.,;'\\σ⊙ 0123456789eTabcdefgsigmatanhlog@")), max_size=40))
def test_no_text_ever_raises(bank, text):
    result = check_answer(bank.part("backprop-formulas/delta"), text)
    assert result.verdict in VERDICTS and result.verdict != "error", (text, result.feedback)
