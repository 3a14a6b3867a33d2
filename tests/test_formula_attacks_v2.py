"""Attacks on the formula language's new notation (unbraced scripts, fonts, spacing, E[x], \\sum).

Each class is a way a hostile or confused student's text could be read as something it does
not mean. The worst kind gives credit to a wrong answer; every case here is a kind, tested with
cases of its own, and each is checked by value against an independent ASCII spelling or by
its positioned refusal.
"""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from grader.formula.evaluate import evaluate, infer_shapes, sample_env
from grader.formula.resolve import parse_formula
from grader.formula.symbols import FunctionSpec, SymbolSpec, SymbolTable
from grader.formula.syntax import FormulaInvalid

S = SymbolSpec
POSITIVE = (0.3, 1.5)
TABLE = SymbolTable.build(
    [S(n, domain=POSITIVE) for n in ("x", "a", "b", "t", "alpha")]
    + [S("u", (3, 1), POSITIVE), S("w", (3, 1), POSITIVE), S("v", (3, 1), POSITIVE, aliases=("v_k",)),
       S("M", (3, 3), POSITIVE), S("N", (3, 3), POSITIVE), S("g", (3, 1), POSITIVE, aliases=(r"\mathbf{g}",))],
    [FunctionSpec("f"), FunctionSpec("E", aliases=(r"\mathbb{E}",))])


def values(text: str, table: SymbolTable = TABLE) -> np.ndarray:
    node = parse_formula(text, table)
    return evaluate(node, sample_env(table, 12, seed=7), infer_shapes(node, table))


def same(text: str, ascii_form: str, table: SymbolTable = TABLE) -> None:
    got, want = values(text, table), values(ascii_form, table)
    assert got.shape == want.shape, (text, ascii_form)
    assert np.allclose(got, want, rtol=1e-12, atol=1e-12), (text, ascii_form)


def invalid(text: str, table: SymbolTable = TABLE) -> FormulaInvalid:
    with pytest.raises(FormulaInvalid) as err:
        parse_formula(text, table)
    return err.value


# -- 1. a sum is read as sum(body entry-wise) only where that IS the sum over the index ------------
# Before: the body was made entry-wise whatever it held, so a vector that does not depend on the
# index, a non-element-wise function of an entry, entries by another index, a matrix's diagonal,
# a free second index or a range up to a declared quantity were all silently read as a full sum.

NOT_A_SUM_OVER_ENTRIES = [
    r"\sum_i \operatorname{softmax}(u_i)",     # softmax of a number is 1: Σ = n, not Σ softmax(u) = 1
    r"\sum_i \operatorname{diag}(u_i) w",      # diag of an entry, and a vector beside it
    r"\sum_i [u_i; w_i]",                      # a stack of entries is a 2-vector, not 2n entries
    r"\sum_i \sum(u_i + w)",                   # sum() of something holding a whole vector
    r"\sum_i u_i w",                           # Σ_i u_i·w = (Σu)·w, a vector
    r"x - \sum_k v_k u",                       # the same, after a minus
    r"\sum_{i,j} u_i w_j",                     # (Σu)(Σw), not Σ u⊙w
    r"\sum_{i,j} M_{ij} N_{ji}",               # trace(MN), not Σ M⊙N
    r"\sum_i M_{ii}",                          # the trace, not Σ M
    r"\sum_i M_{ij}",                          # j is free: a vector of column sums
    r"\sum_{i} u_{ii}",                        # a vector has one index
    r"\sum_{i,j} u_{ij}",
    r"\sum_i \sum_j u_i w_j",                  # the outer index inside the inner sum
    r"\sum_i u_i \sum_i w_i",                  # one index bound twice
]


@pytest.mark.parametrize("text", NOT_A_SUM_OVER_ENTRIES)
def test_a_sum_that_is_not_entrywise_is_refused_at_the_sum(text):
    err = invalid(text)
    assert err.key == "sum_not_entrywise"
    assert err.pos in [i for i in range(len(text)) if text.startswith(r"\sum", i)]    # at a sum it names


RANGE_NOT_THE_LENGTH = [
    (r"\sum_{i=1}^{t} u_i", 0),                # t is a declared quantity: a sum over time, not over u
    (r"\sum_{\tau=1}^{t} \mathbf{g}_\tau", 0),
    (r"x + \sum_{k=1}^{k} v_k", 4),            # the index as its own bound
    (r"\sum_{i=0}^{i-1} u_i", 0),
    (r"\sum_{i=1}^{e} u_i", 0),                # Euler's e is no length
    (r"\sum_{i=1}^{\alpha} u_i", 0),
]


@pytest.mark.parametrize(("text", "pos"), RANGE_NOT_THE_LENGTH)
def test_a_range_up_to_a_declared_quantity_is_refused(text, pos):
    err = invalid(text)
    assert err.key == "sum_range"
    assert err.pos == pos


STILL_SUMS = [
    (r"\sum_i u_i (x + \sum_j w_j)", "sum(u)*(x + sum(w))"),
    (r"\sum_i u_i \cdot \sum(w)", "sum(u)*sum(w)"),
    (r"\sum_{i=1}^{n} x\, u_i^2 f(w_i)", "x*sum(u^2*f(w))"),
    (r"\sum_{i,j} M_{ij} N_{ij}", "sum(M*N)"),
    (r"\sum_{j,i} M_{ji}", "sum(M)"),
    (r"\sum_{\tau=1}^{T} \mathbf{g}_\tau^2", "sum(g^2)"),
    (r"\sum_{k=0}^{K-1} e^{v_k} - \sum u", "sum(exp(v)) - sum(u)"),
]


@pytest.mark.parametrize(("text", "ascii_form"), STILL_SUMS)
def test_sums_over_entries_still_read(text, ascii_form):
    same(text, ascii_form)


def test_bank_softmax_part_gives_no_credit_to_a_sum_of_softmaxes_of_entries(bank):
    """Σ_i softmax(z_i) is K (each softmax of one number is 1), so ŷ − y·Σ_i softmax(z_i) = ŷ − K·y is
    wrong; it was read as ŷ − y·Σ softmax(z) = ŷ − y and given full credit."""
    from grader.checks import check_answer
    part = bank.part("softmax-cross-entropy/grad")
    for wrong in (r"\hat{y} - y \sum_i \operatorname{softmax}(z_i)", r"\hat y - y\sum_{i} y_{ii}",
                  r"\hat y - y \sum_{k=1}^{k} y_k"):
        out = check_answer(part, wrong)
        assert out.verdict == "invalid", (wrong, out)
        assert out.score == 0
    from grader.messages import text as message
    for lang in ("en", "zh"):                # the reason, not "sums are not supported in this part"
        out = check_answer(part, r"\hat y - y \sum_{i,j} y_i \hat y_j", lang)
        assert out.verdict == "invalid"
        assert out.feedback[0].startswith(message("sum_not_entrywise", lang, pos=12)[:20])
    # and the right one in the course's notation still is
    assert check_answer(part, r"\frac{e^{z}}{\sum_{k=1}^{K} e^{z_k}} - y").verdict == "correct"


# -- 2. a power or transpose after a one-letter subscript binds to the last factor -------------------
# x_1y is x₁·y (LaTeX renders the unbraced subscript as one letter); before, x_1y^2 was (x₁·y)²,
# so C_0f^k (the course's C₀fᵏ) was marked wrong, and S_3O_3 (S₃·O₃) was an unknown symbol.

GLUED = SymbolTable.build(
    [S(n, domain=POSITIVE) for n in ("C_0", "f", "k", "O3", "S3", "beta", "alpha0")] + [S("u_1", (3, 1), POSITIVE),
                                                                                         S("w", (3, 1), POSITIVE)], [])

GLUED_CASES = [
    ("C_0f^k", "C_0*f^k"), ("C_0f^{k}", "C_0*f^k"), ("alpha0beta^k", "alpha0*beta^k"),
    ("S_3O_3", "S3*O3"), ("O_3S_3^2", "O3*S3^2"), ("S_3O_3f", "S3*O3*f"),
    ("u_1w^T", "u_1 @ w.T"), ("u_1w.T", "u_1 @ w.T"), ("(C_0f)^k", "(C_0*f)^k"),
]


@pytest.mark.parametrize(("text", "ascii_form"), GLUED_CASES)
def test_a_power_after_a_one_letter_subscript_binds_to_the_last_factor(text, ascii_form):
    same(text, ascii_form, GLUED)


def test_bank_retention_formula_reads_c0_f_to_the_k(bank):
    from grader.checks import check_answer
    part = bank.part("lstm-memory/retention-formula")
    assert check_answer(part, "C_0f^k").verdict == "correct"
    assert check_answer(part, "(C_0f)^k").verdict == "incorrect"


# -- 3. a Unicode Greek letter keeps its Unicode subscript or superscript --------------------------
# β₁ᵗ, θₜ₋₁, α₀: the Greek letter became "\beta " (a space before a following letter), which cut
# the name from its index: "Unexpected '_{1}'" for right answers typed on a phone or an IME.

UNICODE = SymbolTable.build(
    [S(n, domain=POSITIVE) for n in ("beta1", "t", "m_t", "alpha0", "beta", "x")]
    + [S("theta_prev", domain=POSITIVE, aliases=(r"\theta_{t-1}",))], [])


@pytest.mark.parametrize(("text", "ascii_form"), [
    ("m_t/(1-β₁ᵗ)", "m_t/(1 - beta1^t)"), ("α₀βᵗ", "alpha0*beta^t"), ("θₜ₋₁ + x", "theta_prev + x"),
    ("β²x", "beta^2*x"), ("βx", "beta*x"), ("β₁x", "beta1*x"),
])
def test_a_unicode_greek_letter_keeps_its_index(text, ascii_form):
    same(text, ascii_form, UNICODE)


def test_bank_unicode_greek_with_an_index(bank):
    from grader.checks import check_answer
    assert check_answer(bank.part("optimizers/adam-bias-correction"), "m_t/(1-β₁ᵗ)").verdict == "correct"
    assert check_answer(bank.part("adam-update/update"), "θₜ₋₁ - α mhat_t/(√vhat_t + ε)").verdict == "correct"


# -- 4. LaTeX's one-token arguments and scripts after a command --------------------------------------
# \frac{\epsilon}K and \frac\alpha2 render as ε/K and α/2 (an unbraced argument is one token) but only
# \frac12 (both unbraced) was read; \theta^2_t right after another command or a digit (2\beta^t_1,
# \alpha\theta^2_t) kept its subscript after the superscript: "Unexpected '_t'".

LATEX = SymbolTable.build(
    [S(n, domain=POSITIVE) for n in ("epsilon", "K", "alpha", "beta_1", "theta_t", "y_k", "x")], [])


@pytest.mark.parametrize(("text", "ascii_form"), [
    (r"\frac{\epsilon}K", "epsilon/K"), (r"\frac K{\epsilon}", "K/epsilon"), (r"\frac\alpha2", "alpha/2"),
    (r"\frac\alpha\epsilon", "alpha/epsilon"), (r"\dfrac{\sqrt{x}}2", "sqrt(x)/2"), (r"\frac12 x", "x/2"),
    (r"\tfrac{1}{2}3", "3/2"), (r"y_k(1-\epsilon)+\frac{\epsilon}K", "y_k*(1 - epsilon) + epsilon/K"),
    (r"2\beta^x_1", "2*beta_1^x"), (r"\alpha\theta^2_t", "alpha*theta_t^2"), (r"x\beta^{2}_{1}", "x*beta_1^2"),
])
def test_latex_one_token_arguments_and_scripts_after_a_command(text, ascii_form):
    same(text, ascii_form, LATEX)


def test_a_frac_argument_too_deep_for_the_reader_stays_a_positioned_error():
    err = invalid(r"\frac{{{{x}}}}K", LATEX)
    assert err.pos is not None and 0 <= err.pos < len(r"\frac{{{{x}}}}K")


# -- 5. a font command without braces takes one letter or one command, as LaTeX does ---------------
# \boldsymbol\delta^{(l+1)}, \mathbf x_i: valid LaTeX the course's readers type; they were "Unexpected".

FONTS = SymbolTable.build(
    [S("x", (3, 1), POSITIVE, aliases=("x_i",)), S("y", (3, 1), POSITIVE), S("W", (3, 3), POSITIVE),
     S("delta_next", (3, 1), POSITIVE, aliases=(r"\delta^{(l+1)}",)), S("a", domain=POSITIVE)], [])


@pytest.mark.parametrize(("text", "ascii_form"), [
    (r"\boldsymbol\delta^{(l+1)}", "delta_next"), (r"\mathbf{W}^T\boldsymbol\delta^{(l+1)}", "W.T @ delta_next"),
    (r"\mathbf x + \mathbf y", "x + y"), (r"a\mathbf x", "a*x"), (r"\mathbf xa", "x*a"),
    (r"\bm y^T \mathbf x", "y.T @ x"), (r"\mathbf x_i", "x"),
])
def test_an_unbraced_font_command_takes_one_token(text, ascii_form):
    same(text, ascii_form, FONTS)


@pytest.mark.parametrize("text", [r"\mathbf 1^T x", r"\mathbf\mathbf x", r"\mathbf", r"\mathbf\frac12"])
def test_an_unbraced_font_command_on_no_name_is_a_positioned_error(text):
    err = invalid(text, FONTS)
    assert err.pos is not None and 0 <= err.pos <= len(text)


# -- 6. spacing commands never hide the student's text ----------------------------------------------
# \hspace{...} was blanked whatever its braces held, so "x \hspace{-2y}" was graded as x while the
# teacher reading the answer sees a term in -2y. Only a length is spacing; anything else is refused.

@pytest.mark.parametrize("text", [r"x \hspace{+a}", r"x\hspace{-2a} + a", r"x \hspace*{a}", r"x\hspace{}"])
def test_hspace_with_anything_but_a_length_is_refused(text):
    err = invalid(text)
    assert err.pos is not None and text.index(r"\hspace") <= err.pos < len(text)


@pytest.mark.parametrize("text", [r"x \hspace{1cm}", r"x\hspace*{ -0.5em } ", r"x \hspace{2pt}\,\quad\!"])
def test_hspace_with_a_length_is_spacing(text):
    same(text, "x")


# -- 7. an error after the new notation points at the student's own character -------------------------

POS_TABLE = SymbolTable.build(
    [S(n, domain=POSITIVE) for n in ("x", "a", "alpha", "xhat", "yhat", "beta_1", "t", "theta_t", "x_tau", "L",
                                     "alpha_0")]
    + [S("u", (3, 1), POSITIVE), S("w", (3, 1), POSITIVE), S("theta_prev", domain=POSITIVE, aliases=(r"\theta_{t-1}",)),
       S("x_k", domain=POSITIVE, aliases=("x^{(k)}",))],
    [FunctionSpec("f"), FunctionSpec("fprime", "f'"), FunctionSpec("E", aliases=(r"\mathbb{E}",))])
PREFIXES = [r"x\,", r"x\quad", r"\left(x\right)", r"\big(x\big)", r"\color{red} x", r"\hspace{2pt} x", r"\mathbf{x}",
            r"\mathbf x",
            r"\boldsymbol\alpha", r"\hat x", "x²", "β₁ᵗ", "θₜ₋₁", "ŷ", "ŷ", r"\frac{a}x", r"\frac\alpha2", r"\sqrt x",
            r"e^xa", r"\alpha\theta^2_t", r"\sum_i u_i", r"\sum_{i=1}^{n} u_i w_i", r"\mathbb{E}[x]", r"E[x]", r"f'(x)",
            r"x_\tau", "（x）", "x\u3000", r"u^Tw", r"\sum\limits_i u_i", r"\mathcal{L}", "x^{(k)}", "α₀", "√x", "xᵀx",
            r"\beta^2_1"]


@pytest.mark.parametrize("prefix", PREFIXES)
def test_an_error_after_new_notation_points_at_the_students_character(prefix):
    parse_formula(prefix, POS_TABLE)                      # the prefix itself reads
    for tail, mark in ((" + q", "q"), (" - (q", "("), (r" \cdot \hat{q}", "\\hat")):
        text = prefix + tail
        err = invalid(text, POS_TABLE)
        assert err.pos == text.rindex(mark), (text, err.key, err.pos)


def test_a_name_declared_as_a_number_is_not_an_entry_of_a_vector():
    """x_k declared as a scalar of its own (and x as a vector): Σ_k x_k is not Σ x (it was read so)."""
    table = SymbolTable.build([S("x", (3, 1), POSITIVE), S("x_k", domain=POSITIVE), S("g", (3, 1), POSITIVE)], [])
    err = invalid(r"\sum_k x_k", table)
    assert (err.key, err.pos) == ("sum_not_entrywise", 0)
    same(r"\sum_k g_k + x_k", "sum(g) + x_k", table)


# -- 8. any mix of the new tokens reads or is a positioned error (never another exception) -------------

MIX = [r"\mathbf ", r"\boldsymbol", r"\bm ", r"\frac", r"\frac{", r"\dfrac", "}", "{", "x", "a", r"\alpha", "u_i",
       "w_{ij}", "M_{ii}", "M_{ij}", r"\sum_{i,j}", r"\sum_i", r"\sum_{k=1}^{K}", r"\sum_{k=0}^{k-1}",
       r"\sum_{i=1}^{t}", "v_k", r"\hspace{", "1cm}", "-2a}", r"\color{red}", r"\operatorname{softmax}", "(", ")",
       "[", "]", ",", ";", "+", "-", r"\cdot", " ", "β₁ᵗ", "θₜ₋₁", "α₀", "ŷ", "²", "ᵀ", r"\hat", r"\mathbb{E}", "E[",
       "'", "^", "_", "2", "1", "t",
       "^{(l)}", "C_0f", "S_3O_3", "f^k", "^T", r"\top", "e^", r"\left(", r"\right)", r"\,", "f(", r"\theta^2_t"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(MIX), max_size=16))
def test_any_mix_of_new_tokens_reads_or_is_positioned(pieces):
    text = "".join(pieces)
    try:
        node = parse_formula(text, TABLE)
    except FormulaInvalid as exc:
        assert exc.pos is None or 0 <= exc.pos <= len(text), (text, exc.pos)
        return
    try:
        evaluate(node, sample_env(TABLE, 4, seed=1), infer_shapes(node, TABLE))
    except Exception as exc:          # shapes are the checker's business; nothing else may escape
        assert type(exc).__name__ in ("ShapeMismatch", "FloatingPointError", "DefinitionError"), (text, exc)


# -- 9. a declared function written with square brackets takes them as its argument list ------------
# E(x, y) was an arity error but E[x, y] read as E of the stacked vector [x; y] (the same for f[x; y]).

@pytest.mark.parametrize(("text", "pos", "got"), [
    ("E[x, a]", 0, 2), ("E[x; a]", 0, 2), (r"a + \mathbb{E}[x,a]^2", 12, 2), ("f[x, a]", 0, 2),
    (r"x\,E\left[x, a, x\right]", 3, 3),
])
def test_a_bracketed_call_with_several_arguments_is_an_arity_error(text, pos, got):
    err = invalid(text)
    assert (err.key, err.pos, err.params["got"]) == ("arity", pos, got)


def test_a_bracketed_call_with_one_argument_still_reads():
    same("E[x + a]^2", "E(x + a)^2")
    same(r"\mathbb{E}\left[u\right]", "E(u)")


# -- 10. the n-ary summation sign typed as Unicode is \sum (it was 'bad character') ------------------

@pytest.mark.parametrize(("text", "ascii_form"), [
    ("∑ᵢ uᵢ wᵢ", "sum(u*w)"), ("x∑ₖ vₖ", "x*sum(v)"), ("∑u - a", "sum(u) - a"),
])
def test_the_unicode_summation_sign_is_sum(text, ascii_form):
    same(text, ascii_form)


def test_the_unicode_product_sign_is_a_named_operation():
    err = invalid("∏ᵢ uᵢ")
    assert (err.key, err.pos) == ("not_allowed_function", 0)


def test_a_name_whose_own_subscript_is_the_index_is_not_an_entry():
    """x_t declared as a vector of its own (the input at time t, as in the GRU/LSTM parts): Σ_t x_t is a sum
    over time steps, not over x_t's entries; it was read as sum(x_t). A vector declared with an entry alias
    (v and v_k) still reads."""
    table = SymbolTable.build([S("x_t", (3, 1), POSITIVE), S("c_t", (3, 1), POSITIVE, aliases=("C_t",)),
                               S("v", (3, 1), POSITIVE, aliases=("v_k",))], [])
    for text in (r"\sum_t x_t", r"\sum_{t=1}^{T} c_t", r"\sum_t C_t^2"):
        err = invalid(text, table)
        assert (err.key, err.pos) == ("sum_not_entrywise", 0), text
    same(r"\sum_k v_k", "sum(v)", table)
