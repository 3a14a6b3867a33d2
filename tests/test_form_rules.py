"""Form rules (require / forbid / outer) judge the expression after dead terms are removed (issue 9).

The classes: a function used only in a sub-expression that is a constant
(``0*σ``, ``σ^0``, ``exp(0·σ)``), in terms that cancel (``σ - σ``, ``σ + σ(-x) - 1``,
``log σ - log σ``), in factors that divide out (``σ/σ``), under an operation that
passes another operand through (``max``), or in an argument that undoes an outer
function (``σ(log((1-σ)/σ))``). The reverse: honest answers keep full credit.
"""
from __future__ import annotations

import pytest

from grader.checks import check_answer
from grader.checks.formula import compile_reference
from grader.formula.evaluate import infer_shapes
from grader.formula.live import Liveness
from grader.formula.resolve import parse_formula
from grader.messages import text

D_SIGMA = "exp(-x)/(1+exp(-x))^2"                       # σ'(x) without σ
TANH = "(exp(x)-exp(-x))/(exp(x)+exp(-x))"              # tanh(x) without tanh or σ
FILLER = " + ".join(f"sin({i}x)" for i in range(2, 16))  # 14 live-looking terms, cancelled below


def check(bank, address, answer, lang="en"):
    return check_answer(bank.part(address), answer, lang)


# -- require: σ only where it does not change the value --------------------------------

DEAD_SIGMA = [
    f"{D_SIGMA} + 0*sigma(x)",
    f"0*sigma(x) + {D_SIGMA}",
    f"{D_SIGMA} + sigma(x) - sigma(x)",
    f"{D_SIGMA} - (sigma(x) - sigma(x))",
    f"{D_SIGMA} * sigma(x)/sigma(x)",
    f"sigma(x)/sigma(x) * {D_SIGMA}",
    f"sigma(x)^0 * ({D_SIGMA})",
    f"{D_SIGMA} * exp(0*sigma(x))",
    f"{D_SIGMA} + log(sigma(x)) - log(sigma(x))",
    f"{D_SIGMA} + (sigma(x) - sigma(x))*x",
    f"({D_SIGMA}) * (1 + sigma(x) - sigma(x))",
    f"({D_SIGMA})^(sigma(x)/sigma(x))",
    f"{D_SIGMA} + sigma(x)*1 + 0 - sigma(x)",
    f"{D_SIGMA} + sigma(x) + sigma(-x) - 1",                        # σ's own identity, three terms
    f"{D_SIGMA} + sigma(x) + sigma(x) + sigma(x) - 3*sigma(x)",
    f"{D_SIGMA} + 1e-13*sigma(x)",                                  # numerically nothing
    f"max({D_SIGMA}, sigma(x) - 9)",                                # the max passes the other operand
    f"{D_SIGMA} + min(0, sigma(x))",
    f"{D_SIGMA} + relu(-sigma(x))",
    f"{D_SIGMA} + abs(sigma(x)) - sigma(x)",
    f"exp(log({D_SIGMA}) + log(sigma(x)) - log(sigma(x)))",
    f"exp(log(sigma(x)*{D_SIGMA}) - log(sigma(x)))",               # cancels for any σ: perturbation
    f"{D_SIGMA} + {FILLER} + sigma(x) + sigma(-x) - 1 - ({FILLER})",  # beyond the full subset search
    f"{D_SIGMA} + " + " + ".join(["sigma(x)"] * 40) + " - 40*sigma(x)",
]


@pytest.mark.parametrize("answer", DEAD_SIGMA)
def test_dead_required_function_does_not_count(bank, answer):
    result = check(bank, "sigmoid-derivative/in-sigma", answer)
    assert (result.verdict, result.score, result.details.get("form")) == ("partial", 1.0, "missing-required"), \
        result.feedback
    assert result.feedback[0] == text("missing_required_dead", "en", names="σ")


@pytest.mark.parametrize("answer", [f"{TANH} + 0*sigma(x)", f"{TANH} + sigma(2x) - sigma(2x)",
                                    f"{TANH} * sigma(x)/sigma(x)", f"{TANH} + sigma(x) + sigma(-x) - 1"])
def test_dead_sigma_in_tanh_part(bank, answer):
    result = check(bank, "tanh-sigmoid/tanh-in-sigma", answer, "zh")
    assert (result.verdict, result.score) == ("partial", 1.0)
    assert result.feedback[0] == text("missing_required_dead", "zh", names="σ")


def test_required_function_never_written_keeps_the_plain_message(bank):
    result = check(bank, "sigmoid-derivative/in-sigma", D_SIGMA)
    assert result.feedback[0] == text("missing_required", "en", names="σ")


# -- honest answers: the required function is live -------------------------------------

HONEST = [
    ("sigmoid-derivative/in-sigma", "sigma(x)*(1 - sigma(x))*1"),
    ("sigmoid-derivative/in-sigma", "(sigma(x) - sigma(x)^2)/1 + 0"),
    ("sigmoid-derivative/in-sigma", "sigma(x)*sigma(-x)"),
    ("sigmoid-derivative/in-sigma", "exp(-x)*sigma(x)^2"),
    ("sigmoid-derivative/in-sigma", "sigma(x) - sigma(x)*sigma(x)"),
    ("sigmoid-derivative/in-sigma", "sigma(x)/(1 + exp(x))"),
    ("sigmoid-derivative/in-sigma", "sigma(x)(1-sigma(x)) + sigma'(x) - sigma'(x)"),
    ("sigmoid-derivative/in-sigma", "sigma(x)*(1 - sigma(x)) + 0*sigma'(x)"),
    ("tanh-sigmoid/tanh-in-sigma", "2 sigma(2x) - 1 + 0"),
    ("tanh-sigmoid/tanh-in-sigma", "sigma(2x) + sigma(2x) - 1"),
    ("tanh-sigmoid/tanh-in-sigma", "-(1 - 2 sigma(2x))"),
    ("tanh-sigmoid/tanh-in-sigma", "4*sigma(2x)/2 - 1"),
    ("tanh-sigmoid/tanh-in-sigma", "(sigma(2x) - sigma(-2x))*1"),
    ("tanh-sigmoid/tanh-in-sigma", "2 sigma(2x) - 1 + tanh(x) - tanh(x)"),   # dead tanh is not a use of tanh
    ("tanh-sigmoid/tanh-in-sigma", "2 sigma(2x) - 1 + 0*tanh(x)"),
    ("tanh-sigmoid/tanh-derivative", "(1 - tanh(x))*(1 + tanh(x))"),
    ("tanh-sigmoid/tanh-derivative", "1 - tanh(x)*tanh(x)"),
    ("sigmoid-symmetry/identity", "sigma(-x)"),
    ("sigmoid-symmetry/identity", "sigma(0 - x)"),
    ("sigmoid-symmetry/identity", "sigma(-x)*1 + 0"),
    ("sigmoid-symmetry/identity", "1*sigma(-x)"),
    ("sigmoid-symmetry/identity", "sigma(-x) + 0*sigma(x)"),
    ("sigmoid-symmetry/identity", "sigma(-x) + sigma(x) - sigma(x)"),
    ("sigmoid-symmetry/identity", "sigma(-x + sigma(x) - sigma(x))"),
    ("sigmoid-symmetry/identity", "sigma(-log(exp(x)))"),
    ("sigmoid-symmetry/identity", "sigma(x - 2x)"),
    ("backprop-formulas/delta", "fprime(z_l) * (W_next.T @ delta_next) + (W_next - W_next).T @ delta_next"),
    ("backprop-formulas/delta", "diag(fprime(z_l)) @ W_next.T @ delta_next"),
]


@pytest.mark.parametrize(("address", "answer"), HONEST)
def test_honest_answers_keep_full_credit(bank, address, answer):
    result = check(bank, address, answer)
    assert (result.verdict, result.score) == ("correct", bank.part(address).points), result.feedback


def test_every_self_test_of_a_form_rule_part_keeps_its_verdict(bank):
    """The bank's own accept / partial / reject answers of parts with form rules, through the live pass."""
    seen = 0
    for part in bank.parts():
        if part.type != "formula" or not {"require", "forbid", "outer"} & set(part.spec):
            continue
        tests = part.reference.self_tests
        for kind, verdicts in (("accept", {"correct"}), ("partial", {"partial"}),
                               ("reject", {"incorrect", "partial"})):
            for case in tests.get(kind, []):
                answer = case[0] if isinstance(case, tuple) else case
                result = check_answer(part, answer)
                assert result.verdict in verdicts, (part.address, answer, result.feedback)
                seen += 1
    assert seen > 40


# -- forbid: a live forbidden function stays forbidden, however it is wrapped ----------

@pytest.mark.parametrize("answer", ["tanh(x) + sigma(x) - sigma(x)", "tanh(x) - (2*sigma(2x)-1) + (2*sigma(2x)-1)",
                                    "tanh(x)*sigma(x)/sigma(x)", "tanh(x) + 0*sigma(x)", "tanh(x)*1 + 0"])
def test_live_forbidden_function_hidden_among_dead_terms(bank, answer):
    result = check(bank, "tanh-sigmoid/tanh-in-sigma", answer)
    assert (result.verdict, result.score, result.details.get("form")) == ("incorrect", 0.0, "forbidden")


def test_forbidden_derivative_function_with_dead_sigma(bank):
    result = check(bank, "sigmoid-derivative/in-sigma", "sigma'(x) + 0*sigma(x)")
    assert (result.verdict, result.details.get("form")) == ("incorrect", "forbidden")


# -- outer: σ(…) must be σ of an expression that does not use σ to undo it ------------

UNDOING = ["sigma(log((1-sigma(x))/sigma(x)))", "sigma(log(1/sigma(x) - 1))", "sigma(-log(sigma(x)/(1-sigma(x))))",
           "sigma(log(sigma(-x)) - log(sigma(x)))", "sigma(log((1-sigma(x))/sigma(x)))*1 + 0*sigma(x)"]


@pytest.mark.parametrize("answer", UNDOING)
def test_outer_argument_that_undoes_the_outer_function(bank, answer):
    result = check(bank, "sigmoid-symmetry/identity", answer)
    assert (result.verdict, result.score, result.details.get("form")) == ("partial", 1.0, "outer-argument"), \
        result.feedback
    assert result.feedback[0] == text("outer_argument", "en", name="σ", names="σ")
    zh = check(bank, "sigmoid-symmetry/identity", answer, "zh")
    assert zh.feedback[0] == text("outer_argument", "zh", name="σ", names="σ")


@pytest.mark.parametrize("answer", ["1 - sigma(x) + 0*sigma(-x)", "0*sigma(-x) + 1 - sigma(x)",
                                    "1 - sigma(x) + sigma(-x) - sigma(-x)", "(1 - sigma(x))*sigma(x)/sigma(x)"])
def test_outer_looks_through_dead_terms_not_into_them(bank, answer):
    result = check(bank, "sigmoid-symmetry/identity", answer)
    assert (result.verdict, result.score, result.details.get("form")) == ("partial", 1.0, "outer")


# -- the analysis itself ---------------------------------------------------------------

def liveness(bank, address, answer):
    part = bank.part(address)
    ref = compile_reference(part, part.reference.answer if isinstance(part.reference.answer, str)
                            else part.reference.answer[0])
    node = parse_formula(answer, ref.table)
    return Liveness(node, ref.env, infer_shapes(node, ref.table), ref.mask)


@pytest.mark.parametrize(("answer", "uses"), [
    ("x + 0*sigma(x)", False), ("x + sigma(x)*(x - x)", False), ("x*sigma(x)/sigma(x)", False),
    ("x + sigma(x) + sigma(-x) - 1", False), ("x + sigma(2x) + sigma(-2x) + sigma(x) + sigma(-x) - 2", False),
    ("x*exp(log(sigma(x)) - log(sigma(x)))", False), ("x + sigma(0)*0", False), ("x + sign(sigma(x)) - 1", False),
    ("x*sigma(x)", True), ("sigma(x) - sigma(x)^2", True), ("log(sigma(x))", True), ("x + sigma(x) - 1/2", True),
    ("sigma(2x) - sigma(-2x)", True), ("x + sigma(x) + sigma(-x)", True),
])
def test_uses(bank, answer, uses):
    assert liveness(bank, "sigmoid-derivative/in-sigma", answer).uses("sigma") is uses


@pytest.mark.parametrize(("answer", "uses"), [
    ("W_next.T @ delta_next + 0*fprime(z_l)", False),
    ("W_next.T @ delta_next + ((W_next - W_next).T @ delta_next) * fprime(z_l)", False),
    ("W_next.T @ delta_next + fprime(z_l) - fprime(z_l)", False),
    ("W_next.T @ delta_next * fprime(z_l)/fprime(z_l)", False),
    ("fprime(z_l) * (W_next.T @ delta_next)", True),
    ("diag(fprime(z_l)) @ W_next.T @ delta_next", True),
])
def test_uses_with_matrices_and_abstract_functions(bank, answer, uses):
    assert liveness(bank, "backprop-formulas/delta", answer).uses("fprime") is uses


def test_core_strips_dead_wrappers(bank):
    core = liveness(bank, "sigmoid-symmetry/identity", "1*(sigma(-x) + 0*x)*(x/x) + sigma(x) - sigma(x)").core()
    assert (core.op, core.value) == ("call", "sigma")
    core = liveness(bank, "sigmoid-symmetry/identity", "-sigma(x) + 1").core()
    assert core.op != "call"


# -- derivations: the last line's "of the form σ(…)" is judged the same way ------------------

@pytest.mark.parametrize(("last", "score"), [
    ("sigma(-x)", 3.0), ("sigma(-x) + sigma(x) - sigma(x)", 3.0), ("1*sigma(-x) + 0", 3.0),
    ("sigma(log((1-sigma(x))/sigma(x)))", 1.5), ("1/(1+exp(x))", 1.5), ("sigma(-x)*0 + 1/(1+exp(x))", 1.5),
])
def test_derivation_last_outer(bank, last, score):
    result = check(bank, "sigmoid-symmetry/proof", ["1 - sigma(x)", "exp(-x)/(1+exp(-x))", last])
    assert result.score == score, result.feedback
