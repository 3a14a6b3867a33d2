"""Every notation the course prints or a keyboard produces reads as the course means it (issue 11, item 1).

The corpus below is the LaTeX of the course texts (/work/shared/seeds: the
notes on backpropagation, RNNs, LSTM/GRU, initialisation, optimisers, batch
normalisation and the sigmoid), each beside the ASCII spelling of the same
formula; a reading is right when both agree at random points. The classes:
font commands transparent around a name, accents with or without braces,
transposes inside an indexed superscript, primes as superscripts and on
aliases, math delimiters, Unicode (super/subscripts, precomposed or combining
accents, math alphabets, full width). Unknown commands and unreadable text stay
a positioned ``invalid`` error, within the same bounds. Last, quantities
declared by their definitions (item 3): sampled consistently, judged by value
when written out, with the form rules on symbols.
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
from grader.formula.symbols import FunctionSpec, SymbolSpec, SymbolTable
from grader.formula.syntax import MAX_LENGTH, FormulaInvalid
from grader.model import Part, Reference

S = SymbolSpec
TABLES = {
    "backprop": SymbolTable.build([
        S("z_l", (3, 1), aliases=("z^{(l)}",)), S("W_next", (4, 3), aliases=("W^{(l+1)}",)),
        S("delta_next", (4, 1), aliases=(r"\delta^{(l+1)}",)), S("delta_l", (3, 1), aliases=(r"\delta^{(l)}",)),
        S("a_prev", (2, 1), aliases=("a^{(l-1)}",)), S("b_l", (3, 1), aliases=("b^{(l)}",)),
        S("W", (3, 2), aliases=("W^{(l)}",)), S("alpha"), S("lambda")],
        [FunctionSpec("fprime", "f'", aliases=("f'_l", "f'_i"))]),
    "lstm": SymbolTable.build([
        S("h_prev", (3, 1), aliases=("h_{t-1}",)), S("x_t", (2, 1)), S("W_f", (3, 5)), S("W_i", (3, 5)),
        S("W_C", (3, 5)), S("W_o", (3, 5)), S("b_f", (3, 1)), S("b_i", (3, 1)), S("b_C", (3, 1)), S("b_o", (3, 1)),
        S("C_prev", (3, 1), aliases=("C_{t-1}", "c_{t-1}")), S("f_t", (3, 1)), S("i_t", (3, 1)), S("o_t", (3, 1)),
        S("Ctilde_t", (3, 1), aliases=(r"\tilde{c}_t",)), S("C_t", (3, 1), aliases=("c_t",))], []),
    "gru": SymbolTable.build([
        S("h_prev", (3, 1), aliases=("h_{t-1}",)), S("x_t", (2, 1)), S("W_z", (3, 5)), S("W_r", (3, 5)),
        S("W_h", (3, 5)), S("z_t", (3, 1)), S("r_t", (3, 1)), S("htilde_t", (3, 1))], []),
    "rnn": SymbolTable.build([
        S("U", (3, 3)), S("h_km1", (3, 1), aliases=("h_{k-1}",)), S("W", (3, 2)), S("x_k", (2, 1)), S("b", (3, 1)),
        S("z_k", (3, 1)), S("delta_tk1", (3, 1), aliases=(r"\delta_{t,k+1}",))], [FunctionSpec("fprime", "f'")]),
    "scalar": SymbolTable.build(
        [S(n) for n in ("x", "X", "W_x", "X_1", "W_s", "S_0", "b_1", "W_o", "S_1", "b_2", "Y_t", "O_t", "o_t",
                        "y_t", "s_t", "alpha", "beta", "gamma", "xhat_k", "M_t", "g_t")]
        + [S("y", domain=(0.05, 0.95)), S("yhat", domain=(0.05, 0.95), latex=r"\hat{y}"),
           S("n_in", domain=(1, 9)), S("n_out", domain=(1, 9)), S("Ghat_t", domain=(0.1, 2)),
           S("epsilon", domain=(0.01, 0.1)), S("beta1", domain=(0.1, 0.9)), S("t", domain=(1, 9), integer=True),
           S("G_prev", aliases=("G_{t-1}",))],
        [FunctionSpec("F"), FunctionSpec("Fprime")]),
}

# (table, the course's LaTeX as printed in the seeds, the same formula in ASCII)
SEED_CORPUS = [
    ("backprop", r"\text{diag}(f'_l(\mathbf{z}^{(l)})) \cdot (W^{(l+1)})^T \cdot \delta^{(l+1)}",
     "diag(fprime(z_l)) @ W_next.T @ delta_next"),
    ("backprop", r"f'_l(\mathbf{z}^{(l)}) \odot ((W^{(l+1)})^T \delta^{(l+1)})", "fprime(z_l) * (W_next.T @ delta_next)"),
    ("backprop", r"f'_i(z^{(l)}) \odot (W^{(l+1)})^T \delta^{(l+1)}", "fprime(z_l) * (W_next.T @ delta_next)"),
    ("backprop", r"\delta^{(l)} (\mathbf{a}^{(l-1)})^\top", "delta_l @ a_prev.T"),
    ("backprop", r"\delta^{(l)} (\mathbf{a}^{(l-1)})^T", "delta_l @ a_prev.T"),
    ("backprop", r"W^{(l)} - \alpha (\delta^{(l)} (\mathbf{a}^{(l-1)})^\top + \lambda W^{(l)})",
     "W - alpha*(delta_l @ a_prev.T + lambda*W)"),
    ("backprop", r"\mathbf{b}^{(l)} - \alpha \delta^{(l)}", "b_l - alpha*delta_l"),
    ("lstm", r"\sigma(W_f \cdot [h_{t-1}, x_t] + b_f)", "sigma(W_f @ [h_prev; x_t] + b_f)"),
    ("lstm", r"\sigma(W_i \cdot [h_{t-1}; x_t] + b_i)", "sigma(W_i @ [h_prev; x_t] + b_i)"),
    ("lstm", r"\tanh(W_C \cdot [h_{t-1}, x_t] + b_C)", "tanh(W_C @ [h_prev; x_t] + b_C)"),
    ("lstm", r"f_t * C_{t-1} + i_t * \tilde{C}_t", "f_t*C_prev + i_t*Ctilde_t"),
    ("lstm", r"f_t \circ C_{t-1} + i_t \circ \tilde{c}_t", "f_t*C_prev + i_t*Ctilde_t"),
    ("lstm", r"\sigma(W_o [h_{t-1}, x_t] + b_o)", "sigma(W_o @ [h_prev; x_t] + b_o)"),
    ("lstm", r"o_t * \tanh(C_t)", "o_t*tanh(C_t)"),
    ("lstm", r"o_t \circ \tanh(C_t)", "o_t*tanh(C_t)"),
    ("gru", r"\sigma(W_z \cdot [h_{t-1}, x_t])", "sigma(W_z @ [h_prev; x_t])"),
    ("gru", r"\sigma(W_r \cdot [h_{t-1}, x_t])", "sigma(W_r @ [h_prev; x_t])"),
    ("gru", r"\tanh(W_h \cdot [r_t * h_{t-1}, x_t])", "tanh(W_h @ [r_t*h_prev; x_t])"),
    ("gru", r"(1 - z_t) * h_{t-1} + z_t * \tilde{h}_t", "(1 - z_t)*h_prev + z_t*htilde_t"),
    ("rnn", r"U\mathbf{h}_{k-1} + W\mathbf{x}_k + \mathbf{b}", "U @ h_km1 + W @ x_k + b"),
    ("rnn", r"\text{diag}(f'(\mathbf{z}_k)) U^T \delta_{t,k+1}", "diag(fprime(z_k)) @ U.T @ delta_tk1"),
    ("rnn", r"\text{diag} f'(z_k)U^T \delta_{t,k+1}", "diag(fprime(z_k)) @ U.T @ delta_tk1"),
    ("scalar", r"W_x X_1 + W_s S_0 + b_1", "W_x*X_1 + W_s*S_0 + b_1"),
    ("scalar", r"W_o S_1 + b_2", "W_o*S_1 + b_2"),
    ("scalar", r"\frac{1}{2} (Y_t - O_t)^2", "(Y_t - O_t)^2/2"),
    ("scalar", r"(o_t-y_t)s_t", "(o_t - y_t)*s_t"),
    ("scalar", r"\tanh(W_x X_1 + W_s S_0 + b_1)", "tanh(W_x*X_1 + W_s*S_0 + b_1)"),
    ("scalar", r"\frac{1}{1+e^{-x}}", "sigma(x)"),
    ("scalar", r"(1 + e^{-x})^{-1}", "sigma(x)"),
    ("scalar", r"\frac{e^{-x}}{(1 + e^{-x})^2}", "sigma(x)*(1 - sigma(x))"),
    ("scalar", r"\text{sigmoid}(x)(1 - \text{sigmoid}(x))", "sigma(x)*(1 - sigma(x))"),
    ("scalar", r"\sigma^{'}(x)", "sigma(x)*(1 - sigma(x))"),
    ("scalar", r"1 - \frac{1}{1+e^{-X}}", "sigma(-X)"),
    ("scalar", r"\frac{e^{-X}}{1+e^{-X}}", "sigma(-X)"),
    ("scalar", r"-(y\log\hat{y} + (1-y)\log(1-\hat{y}))", "-(y*log(yhat) + (1 - y)*log(1 - yhat))"),
    ("scalar", r"-\log y", "-log(y)"),
    ("scalar", r"\sqrt{\frac{2}{n_{in} + n_{out}}}", "sqrt(2/(n_in + n_out))"),
    ("scalar", r"4\sqrt{\frac{6}{n_{in} + n_{out}}}", "4*sqrt(6/(n_in + n_out))"),
    ("scalar", r"-\frac{\alpha}{\sqrt{\hat{G}_t + \epsilon}} \odot \mathbf{g}_t", "-alpha/sqrt(Ghat_t + epsilon)*g_t"),
    ("scalar", r"\frac{M_t}{1 - \beta_1^t}", "M_t/(1 - beta1^t)"),
    ("scalar", r"\beta G_{t-1} + (1 - \beta) \mathbf{g}_t \odot \mathbf{g}_t", "beta*G_prev + (1 - beta)*g_t*g_t"),
    ("scalar", r"\gamma \hat{x}_k + \beta", "gamma*xhat_k + beta"),
]

# (table, what a student pastes or types, the same formula in ASCII)
TYPED_CORPUS = [
    # font commands around a known name, and accents without braces
    ("backprop", r"\boldsymbol{\delta}^{(l)}", "delta_l"),
    ("backprop", r"\mathbf{W}^{(l+1)}", "W_next"),
    ("scalar", r"\hat y - y", "yhat - y"),
    ("scalar", r"\hat{\mathbf{y}} - \mathbf{y}", "yhat - y"),
    ("scalar", r"\boldsymbol{\hat{y}}", "yhat"),
    ("scalar", r"\operatorname{sigmoid}(x)", "sigma(x)"),
    ("scalar", r"\mathrm{exp}(x) + \exp(x)", "2*exp(x)"),
    ("scalar", r"\operatorname{ReLU}(x) + \text{relu}(x)", "2*relu(x)"),
    ("scalar", r"x\mathbf{X}", "x*X"),
    ("scalar", r"\mathbf{x}\mathbf{X}", "x*X"),
    # transposes inside an indexed superscript, in every spelling
    ("backprop", r"W^{(l+1)\top}\delta^{(l+1)}", "W_next.T @ delta_next"),
    ("backprop", r"W^{(l+1)T}\delta^{(l+1)}", "W_next.T @ delta_next"),
    ("backprop", r"W^{(l+1) \intercal}\delta^{(l+1)}", "W_next.T @ delta_next"),
    ("backprop", r"W^{(l+1)\mathsf{T}}\delta^{(l+1)}", "W_next.T @ delta_next"),
    ("backprop", r"{W^{(l+1)}}^T\delta^{(l+1)}", "W_next.T @ delta_next"),
    ("backprop", r"\boldsymbol{\delta}^{(l)} \mathbf{a}^{(l-1)\top}", "delta_l @ a_prev.T"),
    # primes: superscript primes, primes on aliases and on a declared function's spellings
    ("scalar", r"F^\prime(x)", "Fprime(x)"),
    ("scalar", r"F^{\prime}(x) + F'(x) + F\prime(x)", "3*Fprime(x)"),
    ("backprop", r"f_l'(z^{(l)})", "fprime(z_l)"),
    ("backprop", r"f^{\prime}(z^{(l)})", "fprime(z_l)"),
    ("scalar", r"\sigma^\prime(x)", "sigma(x)*(1 - sigma(x))"),
    # delimiters
    ("scalar", "$x^2$", "x^2"), ("scalar", "$$x^2$$", "x^2"), ("scalar", r"\(x^2\)", "x^2"),
    ("scalar", r"\[x^2\]", "x^2"), ("scalar", r"  $ \sigma(x) $  ", "sigma(x)"),
    # unbraced arguments
    ("scalar", r"\frac12 x", "x/2"), ("scalar", r"\sqrt x", "sqrt(x)"), ("scalar", r"\sqrt\alpha", "sqrt(alpha)"),
    ("scalar", r"x \ast X", "x*X"), ("scalar", "x~X", "x*X"),
    # Unicode from a keyboard
    ("scalar", "σ(x)(1−σ(x))", "sigma(x)*(1 - sigma(x))"),
    ("scalar", "ŷ − y", "yhat - y"),                         # precomposed
    ("scalar", "y\u0302 \u2212 y", "yhat - y"),              # combining circumflex
    ("scalar", "√(2/(n_in+n_out))", "sqrt(2/(n_in + n_out))"),
    ("scalar", "√x + 1", "sqrt(x) + 1"),
    ("scalar", "2√x", "2*sqrt(x)"),
    ("scalar", "x² + x³ + x⁻¹", "x^2 + x^3 + 1/x"),
    ("scalar", "e⁻ˣ", "exp(-x)"),
    ("scalar", "b₁ + b₂", "b_1 + b_2"),
    ("backprop", "W⁽ˡ⁺¹⁾ᵀδ⁽ˡ⁺¹⁾", "W_next.T @ delta_next"),
    ("backprop", "δ⁽ˡ⁾ (a⁽ˡ⁻¹⁾)ᵀ", "delta_l @ a_prev.T"),
    ("backprop", "f′(z⁽ˡ⁾) ⊙ (W⁽ˡ⁺¹⁾)ᵀ δ⁽ˡ⁺¹⁾", "fprime(z_l) * (W_next.T @ delta_next)"),
    ("scalar", "σ（x）＋ｘ", "sigma(x) + x"),                 # full width
    ("scalar", "𝜎(𝑥) + 𝑋", "sigma(x) + X"),                 # math italic
    ("scalar", "x ∗ X ÷ x", "X"),
    ("lstm", "f_t ⊙ C_{t-1} + i_t ⊙ c̃_t", "f_t*C_prev + i_t*Ctilde_t"),
]


def _values(table: SymbolTable, text: str) -> np.ndarray:
    node = parse_formula(text, table)
    env = sample_env(table, 16, seed=3)
    return evaluate(node, env, infer_shapes(node, table))


@pytest.mark.parametrize(("table", "latex", "ascii"), SEED_CORPUS + TYPED_CORPUS,
                         ids=[c[1][:40] for c in SEED_CORPUS + TYPED_CORPUS])
def test_reads_as_the_course_means(table, latex, ascii):
    got, want = _values(TABLES[table], latex), _values(TABLES[table], ascii)
    assert got.shape == want.shape
    assert np.isfinite(want).mean() > 0.4                  # enough points where the value exists
    assert np.allclose(got, want, rtol=1e-10, atol=1e-12, equal_nan=True), (latex, ascii)


def test_corpus_covers_the_seed_texts():
    """The seed corpus is the course's LaTeX: its commands are those the texts use."""
    used = " ".join(latex for _, latex, _ in SEED_CORPUS)
    for command in (r"\text{", r"\mathbf{", r"\tilde{", r"\hat{", r"\frac", r"\sqrt", r"\cdot", r"\odot",
                    r"\circ", r"^\top", r"^{'}", r"\log", r"\tanh", r"\sigma"):
        assert command in used, command
    assert len(SEED_CORPUS) >= 40


@pytest.mark.parametrize(("text", "reads"), [
    (r"\text{diag}(f'_l(\mathbf{z}^{(l)})) \cdot (W^{(l+1)})^T \cdot \delta^{(l+1)}",
     "diag(fprime(z_l)) @ W_next.T @ delta_next"),
    (r"W^{(l+1)\top}", "W_next.T"),
    (r"\boldsymbol{\delta}^{(l)}", "delta_l"),
    (r"f'_l(z^{(l)})", "fprime(z_l)"),
])
def test_structure(text, reads):
    assert to_text(parse_formula(text, TABLES["backprop"])) == reads


def test_nfc_and_nfd_accents_read_alike():
    import unicodedata
    for word in ("ŷ - y", "ȳ + y"):
        for form in ("NFC", "NFD"):
            text = unicodedata.normalize(form, word)
            table = SymbolTable.build([S("y"), S("yhat"), S("ybar")], [])
            assert to_text(parse_formula(text, table)) in ("yhat - y", "ybar + y"), (form, word)


def test_bank_parts_accept_the_course_latex(bank):
    """Declared aliases include the spellings the course uses (lower- and upper-case c for the cell)."""
    cases = [
        ("backprop-formulas/delta", r"\text{diag}(f'_l(\mathbf{z}^{(l)})) \cdot (W^{(l+1)})^T \cdot \delta^{(l+1)}"),
        ("backprop-formulas/delta", r"f'_l(\mathbf{z}^{(l)}) \odot ((W^{(l+1)})^T \delta^{(l+1)})"),
        ("backprop-formulas/grad-w", r"\delta^{(l)} (\mathbf{a}^{(l-1)})^\top"),
        ("lstm-cell/cell", r"f_t \circ C_{t-1} + i_t \circ \tilde{c}_t"),
        ("lstm-cell/cell", r"f_t * C_{t-1} + i_t * \tilde{C}_t"),
        ("lstm-cell/forget", r"\sigma(W_f \cdot [h_{t-1}, x_t] + b_f)"),
        ("gru-cell/hidden", r"(1 - z_t) * h_{t-1} + z_t * \tilde{h}_t"),
        ("binary-cross-entropy/grad-logit", r"\hat y - y"),
    ]
    for address, answer in cases:
        out = check_answer(bank.part(address), answer)
        assert out.verdict == "correct", (address, answer, out.feedback)


# -- bad input: positioned, invalid, bounded ---------------------------------------------

ERRORS = [
    (r"\foo(x)", "unknown_function", 0),
    (r"x + \mathcal{L}", "unknown_symbol", 13),    # \mathcal is a font: the caret is under L
    (r"\mathbf{q} + x", "unknown_symbol", 8),       # the caret is under q, inside the font command
    (r"\hat{x + X}", "unexpected_token", None),
    ("$x", "unexpected_token", 0),
    ("x + $", "unexpected_token", 4),
    ("\u0302x", "bad_char", 0),                     # an accent with no letter before it
    ("x\u0302\u0302", "bad_char", 2),               # a second accent on one letter
    ("é", "bad_char", 0),                           # an accent with no meaning here
    ("x²³ + q", "unknown_symbol", 6),               # positions survive a superscript run
    ("ŷ + q", "unknown_symbol", 4),
    (r"\sqrt", "unexpected_end", None),
]


@pytest.mark.parametrize(("text", "key", "pos"), ERRORS, ids=[e[0] for e in ERRORS])
def test_unreadable_is_positioned(text, key, pos):
    with pytest.raises(FormulaInvalid) as err:
        parse_formula(text, TABLES["scalar"])
    assert err.value.key == key
    if pos is not None:
        assert err.value.pos == pos


def test_bounds_hold_for_the_new_notations():
    with pytest.raises(FormulaInvalid) as err:
        parse_formula(r"\mathbf{x}+" * (MAX_LENGTH // 11 + 1), TABLES["scalar"])
    assert err.value.key == "too_long"
    with pytest.raises(FormulaInvalid) as err:
        parse_formula(r"\hat{" * 60 + "x" + "}" * 60, TABLES["scalar"])
    assert err.value.key in ("too_deep", "unexpected_token")
    with pytest.raises(FormulaInvalid) as err:
        parse_formula("x" + "⁽" * 50 + "⁾" * 50, TABLES["scalar"])
    assert err.value.key in ("too_deep", "unexpected_token", "unknown_symbol")


def test_answers_are_graded_invalid_not_crashing(bank):
    part = bank.part("backprop-formulas/delta")
    for answer in (r"\foo(z^{(l)})", r"\mathbf{", "$", r"\hat{}", "ᵀ", "√", r"W^{(l+1)\top"):
        out = check_answer(part, answer)
        assert out.verdict == "invalid", (answer, out)
        assert out.score == 0


PIECES = [r"\mathbf{x}", r"\hat y", r"\hat{", "}", "{", "$", r"\(", r"\)", "^", "_", "'", r"\prime", r"\top", "T",
          "(", ")", "[", "]", "x", "X", "2", "+", "-", r"\cdot", r"\frac", r"\sqrt", "ŷ", "\u0302", "²", "ᵀ", "⁽",
          "√", "σ", "（", " ", r"\text{", r"\operatorname{sigmoid}", "y", "e", "^{(l)}", r"\left(", r"\right)"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=14))
def test_any_mix_reads_or_is_a_positioned_error(pieces):
    text = "".join(pieces)
    try:
        parse_formula(text, TABLES["scalar"])
    except FormulaInvalid as exc:
        assert exc.pos is None or 0 <= exc.pos <= len(text), (text, exc.pos)


# -- quantities written by their definitions (issue 11, item 3) ------------------------------

def _gates_table(**extra):
    defs = {"f": "sigma(W_f @ [h; x] + b_f)", "i": "sigma(W_i @ [h; x] + b_i)", "g": "tanh(W_g @ [h; x] + b_g)",
            "C": "f*C_prev + i*g"}
    defs.update(extra)
    specs = [S("h", (3, 1)), S("x", (2, 1)), S("C_prev", (3, 1))]
    specs += [S(f"W_{k}", (3, 5)) for k in "fig"] + [S(f"b_{k}", (3, 1)) for k in "fig"]
    specs += [S(name, (3, 1), definition=text) for name, text in defs.items()]
    return SymbolTable.build(specs, [])


def test_defined_symbols_are_computed_in_dependency_order():
    """C = f·C_prev + i·g with f, i, g themselves defined: every point is consistent (NumPy here)."""
    from grader.formula.evaluate import sample_env as sample
    env = sample(_gates_table(), 9, seed=11)
    v = env.values
    hx = np.concatenate([v["h"], v["x"]], axis=1)
    sig = lambda z: 1 / (1 + np.exp(-z))  # noqa: E731
    f, i, g = sig(v["W_f"] @ hx + v["b_f"]), sig(v["W_i"] @ hx + v["b_i"]), np.tanh(v["W_g"] @ hx + v["b_g"])
    assert np.allclose(v["f"], f) and np.allclose(v["g"], g)
    assert np.allclose(v["C"], f * v["C_prev"] + i * g)


def test_bad_definitions_are_named():
    from grader.formula.evaluate import DefinitionError, sample_env as sample
    with pytest.raises(DefinitionError, match="cycle"):
        sample(_gates_table(f="sigma(C)", C="f*C_prev"), 4, seed=1)
    with pytest.raises(DefinitionError, match="3×3"):
        sample(_gates_table(C="C_prev @ C_prev.T"), 4, seed=1)
    with pytest.raises(DefinitionError, match="unreadable"):
        sample(_gates_table(C="f*C_prev +"), 4, seed=1)


def _part(answer: str, table: SymbolTable, **spec) -> Part:
    return Part("demo", "p", "formula", 2.0, {"en": "?", "zh": "?"}, spec, table, Reference(answer=answer))


def test_written_out_answers_are_judged_by_value():
    table = _gates_table()
    part = _part("o*tanh(C)", SymbolTable.build(list(table.symbols.values()) + [S("o", (3, 1))], []))
    for answer in ("o*tanh(C)", "o*tanh(f*C_prev + i*g)",
                   r"o \odot \tanh(\sigma(W_f [h; x] + b_f) \odot C_{prev} + i \odot \tanh(W_g [h; x] + b_g))"):
        assert check_answer(part, answer).verdict == "correct", answer
    assert check_answer(part, "o*tanh(f*C_prev + g*i + f)").verdict == "incorrect"


def test_the_asked_quantity_by_name_scores_zero_with_a_reason():
    part = _part("f*C_prev + i*g", _gates_table())
    out = check_answer(part, "C")
    assert out.verdict == "incorrect" and out.score == 0
    assert out.details.get("form") == "asked-quantity"
    assert "C" in out.feedback[0]
    assert check_answer(part, "C", "zh").feedback[0] != out.feedback[0]          # both languages
    assert check_answer(part, "C - C + f*C_prev + i*g").verdict == "correct"   # a dead use is no use
    assert check_answer(part, "i*g + f*C_prev").verdict == "correct"


def test_in_terms_of_a_symbol_gives_partial_credit_with_a_reason():
    part = _part("f*C_prev + i*g", _gates_table(), require=["f", "g"])
    full = check_answer(part, "f*C_prev + i*g")
    assert full.verdict == "correct"
    for answer in ("sigma(W_f @ [h; x] + b_f)*C_prev + i*g", "0*f + sigma(W_f [h; x] + b_f)*C_prev + i*g",
                   "f*C_prev + i*tanh(W_g [h; x] + b_g)"):
        out = check_answer(part, answer)
        assert out.verdict == "partial" and out.score == pytest.approx(1.0), answer      # half of 2 points
        assert out.details.get("form") == "missing-required"
    wrong = check_answer(part, "sigma(W_f @ [h; x] + b_f)*C_prev")
    assert wrong.verdict == "incorrect"


def test_a_cyclic_definition_is_a_bank_load_problem(tmp_path):
    from grader.bank import load_bank
    from grader.errors import BankError
    (tmp_path / "questions" / "demo").mkdir(parents=True)
    (tmp_path / "solutions").mkdir()
    (tmp_path / "questions" / "demo" / "cyc.yaml").write_text(
        'id: cyc\ntitle: {en: c, zh: c}\nprompt: {en: p, zh: p}\n'
        'symbols:\n  a: {definition: "sigma(b)"}\n  b: {definition: "a + 1"}\n  c: {}\n'
        'parts:\n  - id: f\n    type: formula\n    points: 1\n    prompt: {en: p, zh: p}\n', encoding="utf-8")
    (tmp_path / "solutions" / "cyc.py").write_text('ANSWERS = {"f": "c"}\n', encoding="utf-8")
    with pytest.raises(BankError) as err:
        load_bank(tmp_path)
    assert any("cycle" in msg and path.endswith("cyc.yaml") for path, _, msg in err.value.problems)
