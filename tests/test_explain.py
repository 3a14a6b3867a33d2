"""SymPy's exact reasons (grader/formula/explain.py) and the bank's derived_from proofs.

Budgets in these tests are generous (seconds, not the default fraction of one) so that a loaded
machine cannot change what is asserted; the time-out itself is tested with a budget nothing meets.
"""
from __future__ import annotations

import os

import pytest
from click.testing import CliRunner

from grader.bank import load_bank
from grader.checks import check_answer
from grader.cli import cli
from grader.formula import explain as E
from grader.formula.resolve import parse_formula
from tests.conftest import ROOT

GENEROUS = 60.0


def reason(part, answer, right=False, seconds=GENEROUS):
    ref = part.reference.answer if isinstance(part.reference.answer, str) else part.reference.answer[0]
    return E.explain(parse_formula(ref, part.table), parse_formula(answer, part.table), part.table, right, seconds)


def test_a_wrong_answer_gets_its_simplified_difference(bank):
    found = reason(bank.part("sigmoid-derivative/in-sigma"), "sigma(x)*(1 + sigma(x))")
    assert found.kind == "difference" and found.params["expr"] == "2·σ(x)^2"
    assert found.message("en") == "SymPy: your answer − expected = 2·σ(x)^2."
    assert "你的答案 − 期望答案 = 2·σ(x)^2" in found.message("zh")
    found = reason(bank.part("tanh-sigmoid/tanh-derivative"), "1 - tanh(x)")
    assert found.kind == "difference"
    # the difference shown is the true one: check it at a few points independently
    import math
    expr = found.params["expr"].replace("·", "*").replace("^", "**")
    for x in (-1.3, 0.2, 2.1):
        assert eval(expr, {"tanh": math.tanh, "x": x}) == pytest.approx((1 - math.tanh(x)) - (1 - math.tanh(x) ** 2))


@pytest.mark.parametrize("address, answer, factor", [
    ("sigmoid-derivative/in-sigma", "-sigma(x)*(1 - sigma(x))", "-1"),
    ("weight-init/xavier-normal-var", "1/(n_in + n_out)", "1/2"),
    ("softmax-cross-entropy/grad", "2*(softmax(z) - y)", "2"),          # a vector answer: entry by entry
])
def test_a_constant_ratio_is_named(bank, address, answer, factor):
    found = reason(bank.part(address), answer)
    assert found.kind == "ratio" and found.params["factor"] == factor


@pytest.mark.parametrize("address, answer", [
    ("sigmoid-derivative/in-sigma", "sigma(x)*sigma(-x)"),
    ("tanh-sigmoid/tanh-in-sigma", "(exp(x) - exp(-x))/(exp(x) + exp(-x))"),
    ("gru-cell/hidden", "h_prev + z_t*(htilde_t - h_prev)"),
    ("binary-cross-entropy/grad-yhat", "(yhat - y)/(yhat*(1 - yhat))"),
])
def test_a_right_answer_in_another_form_is_proved(bank, address, answer):
    assert reason(bank.part(address), answer, right=True).kind == "proved"


def test_nothing_is_claimed_when_nothing_short_is_true(bank):
    assert reason(bank.part("sigmoid-derivative/in-sigma"), "cos(x)*exp(x) + log(2 + sin(x))^3") is None


def _children() -> set[int]:
    """This process's children, running or unreaped (other tests' long-lived ones, e.g. a sandbox worker, too)."""
    out = set()
    for task in os.listdir(f"/proc/{os.getpid()}/task"):
        with open(f"/proc/{os.getpid()}/task/{task}/children") as fh:
            out |= {int(pid) for pid in fh.read().split()}
    return out


def test_the_budget_is_a_hard_stop_and_leaves_no_process(bank):
    before, children = E.Stats.timeouts, _children()
    found = reason(bank.part("tanh-sigmoid/tanh-in-sigma"), "sinh(x)/cosh(x)^3 + sigma(x)^5", seconds=1e-4)
    assert found is None and E.Stats.timeouts == before + 1
    assert _children() <= children                    # no child of this explanation is left, running or unreaped


def test_results_are_cached_by_canonical_form(bank):
    part = bank.part("weight-init/xavier-normal-var")
    first = reason(part, "1/(n_in + n_out)")
    cached = E.Stats.cached
    again = reason(part, "1/(n_out + n_in)")                 # another order, the same canonical form
    assert again == first and E.Stats.cached == cached + 1


def test_off_by_default_and_on_with_the_variable(monkeypatch):
    monkeypatch.delenv("NNGRADE_EXPLAIN_SECONDS", raising=False)
    fresh = load_bank.__wrapped__(ROOT)
    off = check_answer(fresh.part("sigmoid-derivative/in-sigma"), "sigma(x)*(1 + sigma(x))")
    assert "sympy" not in off.details and not any("SymPy" in line for line in off.feedback)
    monkeypatch.setenv("NNGRADE_EXPLAIN_SECONDS", str(GENEROUS))
    # the same bank: the answer cache must not hand out the outcome made without SymPy's note
    for lang, words in (("en", "your answer − expected = 2·σ(x)^2"), ("zh", "你的答案 − 期望答案 = 2·σ(x)^2")):
        on = check_answer(fresh.part("sigmoid-derivative/in-sigma"), "sigma(x)*(1 + sigma(x))", lang,
                          seconds=GENEROUS)                   # the check's own deadline, generous too
        assert on.verdict == off.verdict == "incorrect" and on.score == off.score == 0     # never the verdict
        assert on.details["sympy"] == "difference" and any(words in line for line in on.feedback)
    right = check_answer(fresh.part("sigmoid-derivative/in-sigma"), "sigma(x)*sigma(-x)", seconds=GENEROUS)
    assert right.verdict == "correct" and right.details["sympy"] == "proved"
    exact = check_answer(fresh.part("sigmoid-derivative/in-sigma"), "(1 - sigma(x))*sigma(x)", seconds=GENEROUS)
    assert "sympy" not in exact.details                     # the canonical form is already an exact proof


def test_nngrade_check_shows_the_reason(monkeypatch):
    monkeypatch.setenv("NNGRADE_EXPLAIN_SECONDS", str(GENEROUS))       # only to be generous on a loaded machine
    E._warm()                                                            # SymPy's first import is not the check's time
    out = CliRunner().invoke(cli, ["check", "sigmoid-derivative/in-sigma", "sigma(x)*(1+sigma(x))"],
                             env={"NNGRADE_BANK": str(ROOT)})
    assert "SymPy: your answer − expected = 2·σ(x)^2." in out.output
    assert E.budget() == GENEROUS and not E._ON                # the command's own switch is undone after it


# -- derived_from: a typo in a reference can never ship --------------------------------------------

def _bank_copy(tmp_path, name):
    from tests.test_bank import _copy_bank
    return _copy_bank(tmp_path / "bank", name)


def _bank_check(root, tmp_path):
    load_bank.cache_clear()                              # the bank is read again, as a new process would
    return CliRunner().invoke(cli, ["bank", "check", "--bank", str(root)],
                              env={"NNGRADE_CACHE_DIR": str(tmp_path / "cache")})


def test_every_shipped_derived_from_is_proved(tmp_path, monkeypatch):
    monkeypatch.setenv("NNGRADE_CACHE_DIR", str(tmp_path / "cache"))         # no remembered proofs: prove all
    count, unproved = E.prove_bank(load_bank(ROOT))
    assert count >= 20 and unproved == []
    assert len((tmp_path / "cache" / "proofs.txt").read_text().split()) == count


@pytest.mark.parametrize("name, solution, old, new, address, file", [
    # a public source (in the question file)
    ("sigmoid-derivative", "sigmoid_derivative", '"in-sigma": "sigma(x)*(1 - sigma(x))"',
     '"in-sigma": "sigma(x)*(2 - sigma(x))"', "sigmoid-derivative/in-sigma", "questions/activations/sigmoid-derivative.yaml"),
    # a private source (in the solution file): He's constant with a typo
    ("weight-init", "weight_init", '"sqrt(2/n_in)"', '"sqrt(2/n_out)"', "weight-init/he-normal-std",
     "questions/training/weight-init.yaml"),
])
def test_a_wrong_reference_fails_bank_check_naming_file_and_part(tmp_path, name, solution, old, new, address, file):
    root = _bank_copy(tmp_path, name)
    assert _bank_check(root, tmp_path).exit_code == 0
    path = root / "solutions" / f"{solution}.py"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    import shutil
    shutil.rmtree(root / "solutions" / "__pycache__", ignore_errors=True)   # same size, same second: no stale bytecode
    result = _bank_check(root, tmp_path)
    assert result.exit_code == 1
    line = next(l for l in result.output.splitlines() if "derived_from" in l)
    assert line.startswith(f"FAIL {file}: {address}: derived_from: the reference")


def test_a_malformed_source_is_a_failure_not_a_traceback(tmp_path):
    root = _bank_copy(tmp_path, "relu-family")
    q = root / "questions" / "activations" / "relu-family.yaml"
    q.write_text(q.read_text(encoding="utf-8").replace(
        'derived_from: {op: diff, expr: "log(1 + exp(x))", wrt: x}',
        'derived_from: {op: solve, equation: "log(1 + exp(x))", unknown: x}'), encoding="utf-8")
    result = _bank_check(root, tmp_path)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "relu-family/softplus-derivative: derived_from: cannot be read" in result.output
