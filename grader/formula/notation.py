"""The course's LaTeX, as printed, rewritten to the grammar's spelling before lexing.

Every rewrite keeps a position map (for each output character, the index of
the student's character it came from), so errors still point at the right
place. What is rewritten, as kinds rather than a list of examples:

- math delimiters around the whole answer (``$…$``, ``$$…$$``, ``\\(…\\)``,
  ``\\[…\\]``) are blanked;
- font commands around a name are transparent (``\\mathbf{z}``,
  ``\\boldsymbol{\\delta}``, ``\\text{diag}``, ``\\operatorname{sigmoid}``,
  ``\\mathrm{d}``, ``\\bm``, ``\\mathsf{T}``, …);
- accents become the name's suffix, with or without braces (``\\hat y``,
  ``\\hat{y}``, ``\\tilde{C}_t`` → ``yhat``, ``yhat``, ``Ctilde_t``; ``\\vec`` is
  transparent);
- primes written as superscripts are primes (``F^\\prime``, ``\\sigma^{'}``);
- a transpose mark inside a superscript group that carries an index is a
  transpose of the indexed name (``W^{(l+1)\\top}`` → ``W^{(l+1)}^T``);
- one-token arguments of ``\\frac`` and ``\\sqrt`` get their braces
  (``\\frac12``, ``\\sqrt x``); ``\\ast`` is ``*`` and ``~`` a space.

- spacing and sizing commands (``\\,`` ``\\;`` ``\\!`` ``\\quad`` ``\\left`` ``\\big`` ``\\limits``…) are
  blanked wherever they stand, also inside a declared spelling (``f^{(i)\\,'}`` is ``f^{(i)}'``);
- an index then primes in one superscript are the indexed name primed (``f^{(i)'}`` → ``f^{(i)}'``).

Unbraced superscripts and subscripts take ONE token, as LaTeX renders them, in both
input styles; the live preview (render.to_latex) shows the reading:

- a letter, a command or a name: ``e^xy`` is eˣ·y, ``x^\\alpha\\beta`` is x^α·β, ``e^x(1+x)`` is
  eˣ·(1+x) (resolve.py; in ASCII one *declared* name: ``e^alpha`` is e^α, ``n_in`` stays n_in);
  a function keeps its argument (``e^\\sigma(x)`` is e^σ(x), nobody means e^σ·(x));
- digits: in LaTeX input (the text has a command, a brace or a ``$``) one digit, so
  ``{x}^23`` is x²·3 and ``\\beta x_12`` is β·x₁·2, exactly as it prints; in ASCII input a
  whole number, as every calculator and CAS reads it (``x^23`` is x²³, ``x**2y`` is x²·y,
  ``e^2x`` is e²·x in both);
- in LaTeX input a subscript written after a superscript belongs to the base, as it
  renders (``y^{(k)}_{i}`` is ``y_{i}^{(k)}``, ``x^2_1`` is x₁²); in ASCII a name carries
  its subscript (``e^x_1`` is e^(x₁)).

A rewritten name is kept apart from letters around it (``x\\mathbf{y}`` is
``x y``, never the name ``xy``). Commands this module does not know are left
alone, so the grammar reports them at their place.
"""
from __future__ import annotations

import re
from functools import lru_cache

FONTS = ("mathbf", "boldsymbol", "bm", "pmb", "mathrm", "mathit", "mathsf", "mathnormal", "text", "textrm",
         "textbf", "textit", "textsf", "operatorname", "mathcal", "mathbb", "mathscr", "mathfrak", "mathtt",
         "textnormal", "texttt", "mathbfit", "symbf", "symcal", "symbb", "symrm")
ACCENTS = {"hat": "hat", "widehat": "hat", "tilde": "tilde", "widetilde": "tilde", "bar": "bar",
           "overline": "bar", "vec": "", "overrightarrow": ""}

_NAME = r"\\?[A-Za-z][A-Za-z0-9]*"
_SUB = r"(?:_(?:\{[A-Za-z0-9,+\- ]*\}|[A-Za-z0-9]))?"
_IDX = r"(?:\^\{\([^(){}]*\)\})?"
_FONT = re.compile(r"\\(?:%s)\*?\s*\{\s*(%s'*%s%s'*)\s*\}" % ("|".join(FONTS), _NAME, _SUB, _IDX))
_COMMAND = r"\\(?!(?:%s)(?![A-Za-z]))[A-Za-z]+" % "|".join(tuple(ACCENTS) + FONTS + ("frac", "dfrac", "tfrac", "sqrt"))
# \mathbf x, \boldsymbol\delta: a font command without braces takes one letter or one command, as LaTeX does
_FONT_BARE = re.compile(r"\\(?:%s)(?![A-Za-z])\*?(?:\s+([A-Za-z])|\s*(%s)(?![A-Za-z]))" % ("|".join(FONTS), _COMMAND))
_ACCENT = re.compile(r"\\(%s)(?![A-Za-z])(?:\s*\{\s*(%s|[A-Za-z][A-Za-z0-9]*)\s*\}|\s*(%s)|\s+([A-Za-z]))"
                     % ("|".join(ACCENTS), _COMMAND, _COMMAND))
_PRIME = re.compile(r"\^\s*(?:\\prime(?![A-Za-z])|\{\s*((?:\\prime(?![A-Za-z])\s*|'\s*)+)\})")
_INDEX_T = re.compile(r"\^\{\s*(\([^(){}]*\))\s*(?:\\top|\\intercal|T|\\mathsf\s*\{\s*T\s*\})\s*\}")
_BRACED = r"\{(?:[^{}]|\{(?:[^{}]|\{[^{}]*\})*\})*\}"          # a group, up to three levels deep
_FRAC_ARG = r"\s*(%s|[0-9A-Za-z]|\\[A-Za-z]+)" % _BRACED
# \frac12, \frac{\epsilon}K, \frac\alpha{2}: an unbraced argument of \frac is one token, as LaTeX reads it
_FRAC = re.compile(r"\\([dt]?frac)(?![A-Za-z])" + _FRAC_ARG + _FRAC_ARG)
_SQRT = re.compile(r"\\sqrt(?![A-Za-z])\s*([0-9A-Za-z]|\\[A-Za-z]+)")
_SMALL = re.compile(r"\\ast(?![A-Za-z])|~|\\prime(?![A-Za-z])")
_INDEX_PRIME = re.compile(r"\^\{\s*(\([^(){}]*\))\s*((?:(?:'|\\prime(?![A-Za-z]))\s*)+)\}")
# a superscript written before the subscript (y^{(k)}_i, x^2_t): the subscript goes first, as it renders
_SUP_SUB = re.compile(r"(?:(?<![A-Za-z0-9\\])|(?<=[A-Za-z0-9])(?=\\))"   # also after a command: \alpha\theta^2_t
                      r"(\\?[A-Za-z][A-Za-z0-9]*'*)(\^\s*(?:\{[^{}]*\}|[A-Za-z0-9]|\\[A-Za-z]+))"
                      r"\s*(_\s*(?:\{[^{}]*\}|[A-Za-z0-9]))")
# LaTeX input: an unbraced ^ or _ takes one digit (x^23 is x²·3, as it renders)
_LATEX_INPUT = re.compile(r"\\[A-Za-z]|[{}$]")
_COMMAND_SUB = re.compile(r"_\s*(\\[A-Za-z]+)")     # x_\tau is x_{\tau}: a subscript command is one token
_DIGIT_SCRIPT = re.compile(r"([\^_])\s*(\d)(?=[\d.])")
# LaTeX that only sizes or spaces: blanked (syntax.normalize) or dropped (name_key)
SPACING = re.compile(r"\\(?:left|right|middle)\s*\.(?!\d)"
                     r"|\\(?:left|right|middle|bigl|bigr|bigm|Bigl|Bigr|Bigm|biggl|biggr|biggm|Biggl|Biggr|Biggm"
                     r"|big|Big|bigg|Bigg)(?![A-Za-z])"
                     r"|\\(?:quad|qquad|enspace|enskip|thinspace|medspace|thickspace|negthinspace|negmedspace"
                     r"|negthickspace|displaystyle|textstyle|limits|nolimits)(?![A-Za-z])"
                     r"|\\[,;:! >]|\\color\{[A-Za-z]*\}"
                     # a length only (\hspace{2pt}): anything else in the braces is the student's text, never hidden
                     r"|\\hspace\*?\{\s*[-+]?(?:\d+\.?\d*|\.\d+)\s*(?:pt|em|ex|mm|cm|in|mu|px|bp|pc|sp|dd|cc)\s*\}")
_FLOOR = re.compile(r"(?:\\(?:left|right|bigl|bigr|Bigl|Bigr|big|Big)\s*)?\\([lr])(floor|ceil)(?![A-Za-z])")
_PAIRS = {"$$": "$$", "$": "$", "\\(": "\\)", "\\[": "\\]"}
_FONT_HINTS = ("\\math", "\\text", "\\bold", "\\bm", "\\pmb", "\\operatorname", "\\sym")
_ACCENT_HINTS = tuple("\\" + a for a in ACCENTS)

Piece = "str | tuple[int, int]"     # new text (placed at the match) or a span of the input kept as is


def _sub(pattern: re.Pattern, repl, text: str, where: list[int]) -> tuple[str, list[int]]:
    """``pattern.sub`` that keeps the position map; ``repl(m)`` returns pieces (see :data:`Piece`)."""
    out: list[str] = []
    wout: list[int] = []
    last = 0
    for m in pattern.finditer(text):
        out.append(text[last:m.start()])
        wout.extend(where[last:m.start()])
        at = where[m.start()] if m.start() < len(where) else (where[-1] if where else 0)
        for piece in repl(m):
            if isinstance(piece, tuple):
                out.append(text[piece[0]:piece[1]])
                wout.extend(where[piece[0]:piece[1]])
            else:
                out.append(piece)
                wout.extend([at] * len(piece))
        last = m.end()
    if not out:
        return text, where
    out.append(text[last:])
    wout.extend(where[last:])
    return "".join(out), wout


def _apart(text: str, m: re.Match, pieces: list) -> list:
    """Keep a rewritten name apart from letters, digits or commands glued to it."""
    before = text[m.start() - 1] if m.start() else ""
    after = text[m.end()] if m.end() < len(text) else ""
    if before.isalnum():
        pieces = [" "] + pieces
    if after.isalnum() or after == "\\":
        pieces = pieces + [" "]
    return pieces


def _font_bare(text: str):
    return lambda m: _apart(text, m, [(m.start(1), m.end(1)) if m.group(1) else (m.start(2), m.end(2))])


def _font(text: str):
    return lambda m: _apart(text, m, [(m.start(1), m.end(1))])


def _accent(text: str):
    def repl(m):
        base = (m.group(2) or m.group(3) or m.group(4)).lstrip("\\")
        return _apart(text, m, [base + ACCENTS[m.group(1)]])
    return repl


def _frac(m):
    """``\\frac`` with both arguments braced (an unbraced one gets its braces; braced ones are kept)."""
    if m.group(2).startswith("{") and m.group(3).startswith("{"):
        return [(m.start(0), m.end(0))]
    pieces: list = [(m.start(0), m.end(1))]
    for k in (2, 3):
        span = (m.start(k), m.end(k))
        pieces += [span] if m.group(k).startswith("{") else ["{", span, "}"]
    return pieces


def _prime_count(marks: str) -> str:
    return "'" * (marks.count("'") + marks.count("prime"))


def _prime(m):
    inner = m.group(1)
    return ["'" * (inner.count("'") + inner.count("prime") if inner else 1)]


def _strip_delimiters(text: str, where: list[int]) -> tuple[str, list[int]]:
    """Blank ``$…$``, ``$$…$$``, ``\\(…\\)`` or ``\\[…\\]`` around the whole answer."""
    body = text.strip()
    for left, right in _PAIRS.items():
        if len(body) > len(left) + len(right) and body.startswith(left) and body.endswith(right):
            start = text.index(left)
            end = text.rindex(right)
            inside = text[start + len(left):end]
            text = text[:start] + " " * len(left) + inside + " " * len(right) + text[end + len(right):]
            return text, where
    return text, where


def is_latex_input(text: str) -> bool:
    """LaTeX input (a command, a brace or a ``$`` in the student's own text): unbraced scripts take one digit."""
    return _LATEX_INPUT.search(text) is not None


def rewrite(text: str, where: list[int], latex: bool | None = None) -> tuple[str, list[int]]:
    """The course's LaTeX → the grammar's spelling, keeping the position map.

    ``latex`` says whether the student's text was LaTeX input (see :func:`is_latex_input`; by
    default judged on ``text``, which for Unicode answers is the mapped text)."""
    latex = ("^" in text or "_" in text) and (is_latex_input(text) if latex is None else latex)
    if "$" in text or "\\(" in text or "\\[" in text:
        text, where = _strip_delimiters(text, where)
    if "\\" not in text and "^" not in text and "~" not in text:
        return text, where
    fonts = any(c in text for c in _FONT_HINTS)
    accents = any(c in text for c in _ACCENT_HINTS)
    if fonts:          # before accents are rewritten: \mathbf yhat (typed) is bold y, then hat
        text, where = _sub(_FONT_BARE, _font_bare(text), text, where)
    for _ in range(4 if fonts or accents else 0):     # nested: \hat{\mathbf{y}}, \boldsymbol{\hat{y}}
        before = text
        text, where = _sub(_FONT, _font(text), text, where)
        text, where = _sub(_ACCENT, _accent(text), text, where)
        if text == before:
            break
    if "^" in text:
        if "prime" in text or "'" in text:
            if "^{(" in text:
                text, where = _sub(_INDEX_PRIME, lambda m: ["^{", (m.start(1), m.end(1)), "}",
                                                            _prime_count(m.group(2))], text, where)
            text, where = _sub(_PRIME, _prime, text, where)
        if "^{(" in text:
            text, where = _sub(_INDEX_T, lambda m: ["^{", (m.start(1), m.end(1)), "}^T"], text, where)
    if "_\\" in text or "_ \\" in text:
        text, where = _sub(_COMMAND_SUB, lambda m: ["_{", (m.start(1), m.end(1)), "}"], text, where)
    if "^" in text and "_" in text:        # in ASCII only a braced one (Unicode ⁽ᵏ⁾ᵢ): e^x_1 is e^(x₁)
        text, where = _sub(_SUP_SUB, lambda m: [(m.start(1), m.end(1)), (m.start(3), m.end(3)),
                                                 (m.start(2), m.end(2))]
                           if latex or "{" in m.group(2) else [(m.start(0), m.end(0))], text, where)
    if latex:
        text, where = _sub(_DIGIT_SCRIPT, lambda m: [m.group(1), "{", (m.start(2), m.end(2)), "}"], text, where)
    if "floor" in text or "ceil" in text:           # \lfloor x \rfloor (and ⌊x⌋, made \lfloor by syntax) is floor(x)
        text, where = _sub(_FLOOR, lambda m: [m.group(2) + "(" if m.group(1) == "l" else ")"], text, where)
    if "frac" in text:
        text, where = _sub(_FRAC, _frac, text, where)
    if "\\sqrt" in text:
        text, where = _sub(_SQRT, lambda m: ["\\sqrt{", (m.start(1), m.end(1)), "}"], text, where)
    if "~" in text or "\\ast" in text or "\\prime" in text:
        text, where = _sub(_SMALL, lambda m: [{"~": " ", "\\prime": "'"}.get(m.group(0), "*")], text, where)
    return text, where


_GREEK_SUB = re.compile(r"_\{\\([A-Za-z]+)\}")
_PRIMES_INSIDE = re.compile(r"^([A-Za-z][A-Za-z0-9]*)('+)([_^][^']+)$")


@lru_cache(maxsize=4096)
def name_key(spelling: str) -> str:
    """A declared or typed spelling in the grammar's terms: ``\\hat{y}`` → ``yhat``,
    ``\\mathbf{z}^{(l)}`` → ``z^{(l)}``, ``f^\\prime`` → ``f'``; primes go after the
    subscript (``f'_l`` and ``f_l'`` are one name)."""
    s = spelling
    if "\\" in s:
        s = SPACING.sub("", s)
    if "\\" in s or "^" in s:
        s, _ = rewrite(s, list(range(len(s))))
    s = s.replace(" ", "")
    if s.startswith("\\"):
        s = s[1:]
    if "_{\\" in s:                         # g_{\tau} is g_tau, however the subscript was typed
        s = _GREEK_SUB.sub(r"_\1", s)
    m = _PRIMES_INSIDE.match(s)
    if m:
        s = m.group(1) + m.group(3) + m.group(2)
    return s
