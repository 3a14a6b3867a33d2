"""More of the course's notation (issue 11, item 1), each as a class with cases of its own.

1. An unbraced superscript or subscript is one token, as LaTeX renders it: one name
   (one letter in LaTeX, one declared name in ASCII), one command, one digit in LaTeX input
   (a whole number in ASCII: ``x^23`` is x²³ typed, x²·3 in LaTeX); what follows multiplies.
2. Spacing and sizing commands anywhere, font commands (``\\mathcal``, ``\\mathbb``...)
   transparent around declared names, declared functions written with brackets or font
   commands, an index and a superscript in either order, primes after an index, sums over a
   declared range, ``\\log x`` as printed. Anything else stays a positioned ``invalid``.

Every reading is checked by value against an independent ASCII spelling of the same formula.
"""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from grader.formula.evaluate import evaluate, infer_shapes, sample_env
from grader.formula.render import to_latex, to_text
from grader.formula.resolve import parse_formula
from grader.formula.symbols import FunctionSpec, SymbolSpec, SymbolTable
from grader.formula.syntax import MAX_LENGTH, FormulaInvalid
from grader.messages import text as message

S = SymbolSpec
POSITIVE = (0.3, 1.5)
SCALARS = ("x", "y", "z", "a", "b", "t", "alpha", "beta", "n_in", "x_1", "x_2", "lambda")
TABLE = SymbolTable.build(
    [S(n, domain=(0.3, 1.5)) for n in SCALARS]
    + [S("v", (3, 1), POSITIVE, aliases=("v_k",)), S("u", (3, 1), POSITIVE),
       S("yhat", (3, 1), POSITIVE, latex=r"\hat{y}"), S("w", (3, 1), POSITIVE), S("M", (3, 3)),
       S("y_ik", domain=(0.3, 1.5), aliases=("y_i^{(k)}",)), S("W_l", (3, 3), aliases=("W^{(l)}",)),
       S("L", domain=(0.3, 1.5), aliases=(r"\mathcal{L}",))],
    [FunctionSpec("f", aliases=("f^{(i)}",)), FunctionSpec("fprime"), FunctionSpec("Var"),
     FunctionSpec("E", aliases=(r"\mathbb{E}",))])


def values(text: str, table: SymbolTable = TABLE) -> np.ndarray:
    node = parse_formula(text, table)
    return evaluate(node, sample_env(table, 12, seed=5), infer_shapes(node, table))


def same(text: str, ascii_form: str, table: SymbolTable = TABLE) -> None:
    got, want = values(text, table), values(ascii_form, table)
    assert got.shape == want.shape, (text, ascii_form)
    assert np.isfinite(want).all()
    assert np.allclose(got, want, rtol=1e-12, atol=1e-12), (text, ascii_form)


def invalid(text: str, table: SymbolTable = TABLE) -> FormulaInvalid:
    with pytest.raises(FormulaInvalid) as err:
        parse_formula(text, table)
    return err.value


# -- 1. an unbraced superscript or subscript is one token ---------------------------------------

ONE_TOKEN = [
    # letters: the first letter (LaTeX) or the first declared name (ASCII) is the exponent
    ("e^xy", "exp(x)*y"), ("e^{x}y", "exp(x)*y"), ("e^{xy}", "exp(x*y)"),
    ("x^ab", "x^a*b"), ("x^yz^2", "x^y*z^2"), ("e^-xy", "exp(-x)*y"), ("x^\\alpha\\beta", "x^alpha*beta"),
    ("e^alphax", "exp(alpha)*x"), ("e^alpha x", "exp(alpha)*x"), ("e^{alpha x}", "exp(alpha*x)"),
    # a transpose mark is one letter too: u^Tw is uᵀ·w
    ("u^Tw", "u.T @ w"), ("M^Tv", "M.T @ v"), ("u^Tu + w^T w", "u.T @ u + w.T @ w"), ("M^Tvu^T", "M.T @ v @ u.T"),
    # a symbol written with brackets after the exponent is a product, as in print
    ("e^x(1+x)", "exp(x)*(1 + x)"), ("e^{x}(1+x)", "exp(x)*(1 + x)"), ("e^{x(1+x)}", "exp(x*(1 + x))"),
    # a function keeps its argument (nobody means e^σ·(x))
    ("e^\\sigma(x)", "exp(sigma(x))"), ("e^{-\\tanh(x)}", "exp(-tanh(x))"),
    # numbers: one digit in LaTeX input, the whole number in ASCII
    ("e^2x", "exp(2)*x"), ("x**2y", "x^2*y"), ("x^2y", "x^2*y"), ("x^23", "x^23"), ("x**23", "x^23"),
    ("x^2.5", "x^2.5"), ("{x}^23", "x^2*3"), ("\\alpha^23", "alpha^2*3"), ("\\frac{1}{x^23}", "1/(x^2*3)"),
    ("{x}^{23}", "x^23"), ("\\sqrt{x}^23", "sqrt(x)^2*3"),
    # subscripts: the whole declared name in ASCII, else one letter (x_1y is x₁·y)
    ("x_1y", "x_1*y"), ("x_1 y", "x_1*y"), ("x_2ab", "x_2*a*b"), ("n_in", "n_in"), ("n_{in}x", "n_in*x"),
    (r"\beta x_12", "beta*x_1*2"),
    # an index and a superscript, in either order
    ("y_{i}^{(k)}", "y_ik"), ("y^{(k)}_{i}", "y_ik"), ("y^{(k)}_i", "y_ik"), ("\\beta + x^2_1", "beta + x_1^2"),
    ("x^{2}_{1}", "x_1^2"), ("x_1^2", "x_1^2"),
    # Unicode scripts are rendered glyphs: read in their printed order; ASCII digits stay ASCII
    ("x²₁", "x_1^2"), ("y⁽ᵏ⁾ᵢ", "y_ik"), ("x²3", "x^2*3"), ("𝑥^23", "x^23"),
]


@pytest.mark.parametrize(("text", "ascii_form"), ONE_TOKEN, ids=[c[0] for c in ONE_TOKEN])
def test_unbraced_scripts_take_one_token(text, ascii_form):
    same(text, ascii_form)


def test_the_preview_shows_the_reading():
    """The live preview renders the tree: ``e^xy`` shows the power on x alone, ``x^23`` (ASCII) x²³."""
    assert to_latex(parse_formula("e^xy", TABLE), TABLE) == "{e}^{x}\\,y"
    assert to_text(parse_formula("e^xy", TABLE)) == "e^x y"
    assert to_latex(parse_formula("x^23", TABLE), TABLE) == "{x}^{23}"
    assert to_latex(parse_formula(r"{x}^23", TABLE), TABLE) == "{x}^{2} \\cdot 3"
    assert to_text(parse_formula("e^x(1+x)", TABLE)) == "e^x (1 + x)"


def test_ascii_subscripted_exponent_keeps_its_name():
    """In ASCII a name carries its subscript (e^x_1 is e^(x₁)); in LaTeX input the subscript
    written after a superscript belongs to the base, as it renders (x^2_1 is x₁²)."""
    same("e^x_1", "exp(x_1)")
    same(r"x^{2}_1", "x_1^2")
    assert invalid("x_12").params["name"] == "x_12"      # ASCII: one name, not declared here
    err = invalid(r"e^{x}_1")                      # e₁ˣ: e₁ is no symbol of this part
    assert err.key in ("unknown_symbol", "unknown_symbol_hint") and err.pos == 0


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(["x", "y", "z", "a", "b", "t"]), st.sampled_from(["x", "y", "z", "a", "b", "t"]),
       st.sampled_from(["x", "y", "z", "a", "b", "t"]), st.sampled_from(["^", "**"]))
def test_exponent_is_the_first_letter(base, first, second, op):
    """``b^pq`` is b^p·q for any declared letters, in either power spelling."""
    same(f"{base}{op}{first}{second}", f"({base}^{first})*{second}")
    same(f"{base}^{{{first}{second}}}", f"{base}^({first}*{second})")


@settings(max_examples=100, deadline=None)
@given(st.integers(0, 9), st.integers(0, 9))
def test_digits_latex_one_ascii_whole(d1, d2):
    same(f"x^{d1}{d2}", f"x^({10 * d1 + d2})")
    same(rf"\beta^{d1}{d2}", f"beta^{d1}*{d2}")


# -- 2. spacing and sizing anywhere -------------------------------------------------------------

SPACES = [r"\,", r"\;", r"\!", r"\:", r"\quad", r"\qquad", r"\ ", r"\enspace", r"\thinspace", r"\medspace", ""]
SPACED = [  # (LaTeX whose tokens are joined by a space command, the ASCII reading)
    ([r"\frac", "{", "x", "}", "{", "y", "}"], "x/y"),
    ([r"\sigma", r"\left(", "x", r"\right)", "+", "z"], "sigma(x) + z"),
    ([r"\mathbf{W}^{(l)}", r"\mathbf{v}"], "W_l @ v"),
    ([r"f^{(i)", "'", "}", "(", "x", ")"], "fprime(x)"),
    (["x", r"\cdot", "y", r"\times", "z"], "x*y*z"),
    ([r"\log", "x", "+", r"\exp", "y"], "log(x) + exp(y)"),
]


@settings(max_examples=120, deadline=None)
@given(st.sampled_from(range(len(SPACED))), st.data())
def test_spaces_anywhere(which, data):
    tokens, ascii_form = SPACED[which]
    gaps = data.draw(st.lists(st.sampled_from(SPACES), min_size=len(tokens) - 1, max_size=len(tokens) - 1))
    # a command followed by a letter needs a space (\quadz, \expy are other commands)
    text = tokens[0] + "".join((g + " " if g[-1:].isalpha() or not g else g) + t
                               for g, t in zip(gaps, tokens[1:], strict=True))
    same(text, ascii_form)


SIZES = [
    (r"\left( x + y \right) z", "(x + y)*z"), (r"\big( x + y \big) z", "(x + y)*z"),
    (r"\Bigl[ x \Bigr] + y", "x + y"), (r"\bigg(x\bigg)^2", "x^2"), (r"\left. x \right.", "x"),
    (r"\displaystyle \dfrac{x}{y} + \tfrac12", "x/y + 1/2"), (r"x \cdot y", "x*y"), (r"x \times y", "x*y"),
    (r"\mathbf{M} \cdot \mathbf{v}", "M @ v"), (r"\mathbf{M} \times \mathbf{v}", "M @ v"),
]


@pytest.mark.parametrize(("text", "ascii_form"), SIZES, ids=[c[0] for c in SIZES])
def test_sizes_and_products(text, ascii_form):
    same(text, ascii_form)


# -- fonts, accents and declared functions ----------------------------------------------------------

FONT_COMMANDS = ["mathcal", "mathbb", "mathscr", "mathfrak", "mathtt", "mathbf", "mathrm", "text", "operatorname",
                 "boldsymbol", "textnormal"]


@pytest.mark.parametrize("font", FONT_COMMANDS)
def test_fonts_are_transparent_around_known_names(font):
    same(rf"\{font}{{L}} + \{font}{{x}}", "L + x")
    same(rf"\{font}{{Var}}(x) + \{font}{{E}}[y]", "Var(x) + E(y)")
    err = invalid(rf"x + \{font}{{Q}}")
    assert err.key in ("unknown_symbol", "unknown_symbol_hint")
    assert err.pos == len(rf"x + \{font}{{")              # the caret under Q, inside the font command


FUNCTIONS = [
    (r"\text{Var}(x)", "Var(x)"), (r"\operatorname{Var}(x)", "Var(x)"), (r"\mathrm{Var}(x)", "Var(x)"),
    (r"\operatorname*{Var}[x]", "Var(x)"), ("E[x]", "E(x)"), (r"\mathbb{E}[x]", "E(x)"),
    (r"\mathbb{E}\left[ x \right]", "E(x)"), (r"\mathbb{E}\big[x^2\big] - \mathbb{E}[x]^2", "E(x^2) - E(x)^2"),
    (r"\mathcal{L} + \lambda x", "L + lambda*x"), (r"\mathbf{W}^{(l)}", "W_l"),
    (r"f^{(i)\,'}(x)", "fprime(x)"), (r"f^{(i)'}(x)", "fprime(x)"),
    (r"f'^{(i)}(x)", "fprime(x)"), (r"f^{(i)\prime}(x)", "fprime(x)"),
]


@pytest.mark.parametrize(("text", "ascii_form"), FUNCTIONS, ids=[c[0] for c in FUNCTIONS])
def test_declared_functions_and_names(text, ascii_form):
    same(text, ascii_form)


UNKNOWN = [  # (text, key, position of the caret)
    (r"\text{Cov}(x, y)", "unknown_function", 6), (r"\operatorname{Cov}(x)", "unknown_function", 14),
    ("G[x]", "unknown_function", 0), (r"\mathbb{P}[x]", "unknown_function", 8),
    (r"x + \mathbb{P}\left[ x \right]", "unknown_function", 12), (r"\mathcal{J}", "unknown_symbol", 9),
    (r"\foo x", "unknown_symbol", 0), (r"\int x", "not_allowed_function", 0),
    ("U[x; y]", "unknown_symbol", 0),                   # a mistyped symbol (u) before a bracket is named as one
]


@pytest.mark.parametrize(("text", "key", "pos"), UNKNOWN, ids=[c[0] for c in UNKNOWN])
def test_undeclared_names_are_positioned(text, key, pos):
    err = invalid(text)
    assert err.key.startswith(key), err.key
    assert err.pos == pos


# -- functions written as printed ----------------------------------------------------------------

PRINTED = [
    (r"\log x", "log(x)"), (r"\ln x + 1", "log(x) + 1"), (r"\exp x", "exp(x)"), (r"\exp x^2", "exp(x^2)"),
    (r"-\log x - \log(2 - z)", "-log(x) - log(2 - z)"), (r"\log xy", "log(x*y)"),
    (r"\exp \alpha", "exp(alpha)"), (r"\log^2 x", "log(x)^2"), (r"\tanh x \cdot y", "tanh(x)*y"),
]


@pytest.mark.parametrize(("text", "ascii_form"), PRINTED, ids=[p[0] for p in PRINTED])
def test_functions_without_brackets(text, ascii_form):
    same(text, ascii_form)


# -- sums ------------------------------------------------------------------------------------------

SUMS = [
    (r"\sum_{k=1}^{K} v_k u_k", "sum(v*u)"), (r"\sum_k v_k \log u_k + 1", "sum(v*log(u)) + 1"),
    (r"\sum_{i=1}^{n} u_i w_i", "sum(u*w)"), (r"\sum_{i=0}^{n-1} u_i", "sum(u)"), (r"\sum_i \hat{y}_i", "sum(yhat)"),
    (r"\sum\limits_{i=1}^{n} u_i^2", "sum(u^2)"), (r"\sum^{n}_{i=1} u_i", "sum(u)"),
    (r"x \sum_i u_i", "x*sum(u)"), (r"-\sum_{k} v_k \log \hat{y}_k", "-sum(v*log(yhat))"),
    (r"\sum_{i,j} M_{ij}", "sum(M)"), (r"\sum_{ij} M_{ij}^2", "sum(M*M)"), (r"\sum u", "sum(u)"),
    (r"\sum_i u_i \cdot w_i", "sum(u*w)"), (r"\sum_i (u_i - w_i)^2", "sum((u - w)^2)"),
    (r"\sum_i u_i \sum_j w_j", "sum(u)*sum(w)"),
]


@pytest.mark.parametrize(("text", "ascii_form"), SUMS, ids=[c[0] for c in SUMS])
def test_sums_over_a_declared_range(text, ascii_form):
    same(text, ascii_form)


BAD_SUMS = [  # (text, key, caret)
    (r"\sum_{i=1}^{n} x_i", "sum_not_supported", 0),       # x is a scalar: no range is declared
    (r"z + \sum_i q_i", "sum_not_supported", 4),
    (r"\sum_{i=2}^{n} u_i", "sum_range", 0), (r"\sum_{i=1}^{3} u_i", "sum_range", 0),
    (r"\sum_{i=0}^{n} u_i", "sum_range", 0), (r"\sum_{i=1} u_i", "sum_range", 0),
    (r"\sum_i i u_i", "sum_index_alone", 7), (r"\sum^{n} u", "sum_not_supported", 0),
    (r"\sum_i", "unexpected_end", None),
]


@pytest.mark.parametrize(("text", "key", "pos"), BAD_SUMS, ids=[c[0] for c in BAD_SUMS])
def test_unreadable_sums_are_positioned(text, key, pos):
    err = invalid(text)
    assert err.key == key
    if pos is not None:
        assert err.pos == pos
    for lang in ("en", "zh"):
        params = dict(err.params, pos=(err.pos or 0) + 1)
        assert message(key, lang, **params)


def test_sums_need_a_declared_vector():
    table = SymbolTable.build([S("x"), S("y")], [])
    assert invalid(r"\sum_{i=1}^{n} x_i y_i", table).key == "sum_not_supported"
    assert to_text(parse_formula(r"\sum x", table)) == "sum(x)"


# -- bounds and hostile mixes ----------------------------------------------------------------------

def test_bounds_hold():
    assert invalid(r"\sum_i u_i + " * (MAX_LENGTH // 12 + 1)).key == "too_long"
    assert invalid(r"\sum_i " * 130 + "u_i").key in ("too_deep", "too_long")
    assert invalid(r"\, " * 400 + "x" + r"\quad" * 200).key == "too_long"


PIECES = ["e", "^", "_", "x", "y", "u_i", "2", "3", "{", "}", "(", ")", "[", "]", r"\sum", r"\sum_{i=1}^{n}", "_i",
          r"\,", r"\quad", r"\left(", r"\right)", r"\mathbb{E}", r"\mathcal{L}", "E", r"\text{Var}", "'", r"\prime",
          "^{(k)}", "^{(i)", r"\log", r"\exp", " ", "=", "-", r"\cdot", r"\times", r"\limits", r"\dfrac"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=14))
def test_any_mix_reads_or_is_a_positioned_error(pieces):
    text = "".join(pieces)
    try:
        parse_formula(text, TABLE)
    except FormulaInvalid as exc:
        assert exc.pos is None or 0 <= exc.pos <= len(text), (text, exc.pos)
        for lang in ("en", "zh"):
            message(exc.key, lang, **dict(exc.params, pos=(exc.pos or 0) + 1))


# -- 3. the course texts (/work/shared/seeds), formulas whose names the bank declares -----------------
# Each (LaTeX as printed in the seed, the ASCII reading). The first group was refused before this
# work (\mathcal{D}, f^{(i)\,'}, \color, sums over a declared range, E[x]/Var[x], x_\tau); the rest
# read before and must still read the same way.

SEED_TABLE = SymbolTable.build(
    [S("D", domain=POSITIVE), S("u", (3, 1), aliases=("u^{(i)}",)), S("y_prev", (2, 1), aliases=("y^{(i-1)}",)),
     S("W", (3, 2), aliases=("W^{(i)}",)), S("b", (3, 1), aliases=("b^{(i)}",)), S("x_k", domain=POSITIVE),
     S("xhat_k"), S("g", (4, 1), aliases=(r"\mathbf{g}",)), S("beta", domain=(0.1, 0.9)), S("U", (3, 3)),
     S("x_3", (3, 1)), S("s_2", (3, 1)), S("V", (2, 3)), S("s_t", (3, 1)), S("o_t", (2, 1)), S("y_t", (2, 1)),
     S("gamma", domain=POSITIVE), S("t", domain=(1, 9), integer=True), S("k", domain=(1, 9), integer=True),
     S("delta_tt", (3, 1), aliases=(r"\delta_{t,t}",)), S("z_i", (3, 1)), S("x", (1, 2)), S("W_1", (2, 3)),
     S("b_1", (1, 3))],
    [FunctionSpec("f", aliases=("f^{(i)}",)), FunctionSpec("fprime", "f'"), FunctionSpec("E"),
     FunctionSpec("Var")])

SEED_FORMULAS = [
    # refused before, read now
    (r"\mathcal{D}", "D"),
    (r"\left[f^{(i)\,'}(u^{(i)})\right] \left[y^{(i-1)}\right]^{\! \top}", "fprime(u) @ y_prev.T"),
    (r"f^{(i)\,'}(u^{(i)})", "fprime(u)"),
    (r"\frac{x_k - E[x_k]}{\sqrt{\text{Var}[x_k]}}", "(x_k - E(x_k))/sqrt(Var(x_k))"),
    (r"\sum_{\tau=1}^T \mathbf{g}_{\tau} \odot \mathbf{g}_{\tau}", "sum(g*g)"),
    (r"\color{red} U x_3", "U @ x_3"),
    # read before, read the same now
    (r"f^{(i)} (u^{(i)})", "f(u)"),
    (r"W^{(i)} y^{(i-1)} + b^{(i)}", "W @ y_prev + b"),
    (r"f(Ux_3+Us_2)", "f(U @ x_3 + U @ s_2)"),
    (r"(o_t-y_t)s_t^T", "(o_t - y_t) @ s_t.T"),
    (r"V s_t", "V @ s_t"),
    (r"\gamma^{t-k} \delta_{t,t}", "gamma^(t - k)*delta_tt"),
    (r"\text{diag}(f'(z_i)) U^T", "diag(fprime(z_i)) @ U.T"),
    (r"\text{sigmoid}'(x_k)", "sigma(x_k)*(1 - sigma(x_k))"),
    (r"x\cdot W_1+b_1", "x @ W_1 + b_1"),
    (r"\gamma \hat{x}_k + \beta", "gamma*xhat_k + beta"),
]


@pytest.mark.parametrize(("text", "ascii_form"), SEED_FORMULAS, ids=[c[0][:40] for c in SEED_FORMULAS])
def test_seed_formulas_read_as_the_course_means(text, ascii_form):
    got, want = values(text, SEED_TABLE), values(ascii_form, SEED_TABLE)
    assert got.shape == want.shape
    assert np.isfinite(want).mean() > 0.3
    assert np.allclose(got, want, rtol=1e-12, atol=1e-12, equal_nan=True), (text, ascii_form)


SEED_REFUSED = [  # outside the formula language: refused, positioned, with the right reason
    (r"\frac{\partial E_3}{\partial V}", "not_allowed_function", 6),
    (r"\prod_{k=i+1}^D x_k", "not_allowed_function", 0),
    (r"(\mathbf{x}^{(n)}, y^{(n)})", "unexpected_token", 17),           # a pair is no expression
    (r"\alpha{||W||}^2", "unexpected_token", 7),                         # norms
    # sums over time steps up to a declared t (not over a vector's entries): attacks_v2
    (r"\sum_{\tau=1}^t \mathbf{g}_{\tau} \odot \mathbf{g}_{\tau}", "sum_range", 0),
    (r"(1 - \beta) \sum_{\tau=1}^t \beta^{t-\tau} \mathbf{g}_{\tau}", "sum_range", 12),
    (r"\sum_{t=1}^T \sum_{k=1}^t \delta_{t,k}", "sum_range", 13),
    (r"\begin{bmatrix} x_k & x_k \end{bmatrix}", "unexpected_token", 20),
    (r"\mathcal{N}(0, \sqrt{\frac{2}{n_{in} + n_{out}}})", "unknown_function", 9),
]


@pytest.mark.parametrize(("text", "key", "pos"), SEED_REFUSED, ids=[c[0][:40] for c in SEED_REFUSED])
def test_seed_formulas_outside_the_language_are_refused(text, key, pos):
    err = invalid(text, SEED_TABLE)
    assert err.key == key
    assert err.pos == pos


def test_a_bank_part_with_vectors_reads_sums(bank):
    """softmax-cross-entropy/grad declares y (one-hot, K×1): Σ_k y_k = 1 there, so these are right."""
    from grader.checks import check_answer
    part = bank.part("softmax-cross-entropy/grad")
    for answer in (r"\operatorname{softmax}(z) \sum_{k=1}^{K} y_k - y", r"\mathrm{softmax}(z)\,\sum_k y_k - y"):
        assert check_answer(part, answer).verdict == "correct", answer
    assert check_answer(part, r"\operatorname{softmax}(z) - \sum_k y_k").verdict == "incorrect"
    for lang in ("en", "zh"):
        out = check_answer(part, r"\sum_{k=2}^{K} y_k", lang)
        assert out.verdict == "invalid" and out.score == 0
        assert "2" in out.feedback[0] and "K" in out.feedback[0]
    scalar_part = bank.part("binary-cross-entropy/grad-logit")
    out = check_answer(scalar_part, r"\sum_i \hat{y}_i - y")
    assert out.verdict == "invalid"
    assert out.feedback[0].startswith(message("sum_not_supported", "en", pos=1).split("(")[0])
