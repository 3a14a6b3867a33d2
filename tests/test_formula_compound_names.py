"""Names the course prints as two LaTeX tokens (Δθ_t) and primes on a layer-indexed function (f^{(l)}'),
read as declared; anything not declared stays a positioned unknown name."""
from __future__ import annotations

import pytest

from grader.checks import check_answer

ACC = "adadelta/accumulate"          # D_t = ρ D_{t-1} + (1-ρ) Δθ_t², Δθ_t declared as dtheta_t
DELTA = "backprop-formulas/delta"    # δ^{(l)} = f'(z^{(l)}) ⊙ W^{(l+1)ᵀ} δ^{(l+1)}


@pytest.mark.parametrize("answer", [
    r"\rho D_{t-1} + (1-\rho)\Delta\theta_t^2",           # the power on the second token is the compound's
    r"\rho D_{t-1} + (1-\rho)\Delta\theta_t^{2}",
    r"\rho D_{t-1} + (1-\rho)(\Delta\theta_t)^2",
    r"\rho D_{t-1} + (1-\rho)\Delta \theta_t \odot \Delta\theta_{t}",   # a space between the tokens
    r"\rho D_{t-1} + \Delta\theta_t^2 (1-\rho)",
    r"(1-\rho)\Delta\theta_t\Delta\theta_t + \rho D_{t-1}",
])
def test_a_compound_symbol_in_two_tokens_is_the_declared_symbol(bank, answer):
    result = check_answer(bank.part(ACC), answer)
    assert result.verdict == "correct", (answer, result.feedback)


@pytest.mark.parametrize("answer", [
    r"\rho D_{t-1} + (1-\rho)\Delta\theta_t",             # not squared: wrong, and still read
    r"\rho D_{t-1} + (1-\rho)^2\Delta\theta_t",
])
def test_a_wrong_answer_with_the_compound_stays_wrong(bank, answer):
    assert check_answer(bank.part(ACC), answer).verdict == "incorrect"


@pytest.mark.parametrize("answer, name", [
    (r"\rho D_{t-1} + (1-\rho)\Delta g_t^2", "Delta"),     # Δg_t is declared nowhere: Δ alone is unknown
    (r"\rho D_{t-1} + (1-\rho)\Delta\theta^2", "Delta"),
])
def test_an_undeclared_compound_is_an_unknown_name_at_its_place(bank, answer, name):
    result = check_answer(bank.part(ACC), answer)
    assert result.verdict == "invalid" and name in result.feedback[0]
    assert result.details.get("caret", "").splitlines()[1].index("^") == answer.index("\\Delta")


@pytest.mark.parametrize("answer, verdict", [
    (r"f^{(l)\,'}(z^{(l)}) \odot (W^{(l+1)})^T \delta^{(l+1)}", "correct"),    # as the course prints it
    (r"f^{(l)'}(z^{(l)}) \odot (W^{(l+1)})^T \delta^{(l+1)}", "correct"),
    (r"f'^{(l)}(z^{(l)}) \odot (W^{(l+1)})^T \delta^{(l+1)}", "correct"),
    (r"f^{(l)'}(z^{(l)}) \odot W^{(l+1)} \delta^{(l+1)}", "incorrect"),          # read, and wrong (no transpose)
    (r"f^{(l+1)'}(z^{(l)}) \odot (W^{(l+1)})^T \delta^{(l+1)}", "invalid"),      # another layer's f' is not declared
])
def test_a_layer_indexed_derivative_reads_as_fprime(bank, answer, verdict):
    assert check_answer(bank.part(DELTA), answer).verdict == verdict
