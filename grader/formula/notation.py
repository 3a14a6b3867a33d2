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

A rewritten name is kept apart from letters around it (``x\\mathbf{y}`` is
``x y``, never the name ``xy``). Commands this module does not know are left
alone, so the grammar reports them at their place.
"""
from __future__ import annotations

import re
from functools import lru_cache

FONTS = ("mathbf", "boldsymbol", "bm", "pmb", "mathrm", "mathit", "mathsf", "mathnormal", "text", "textrm",
         "textbf", "textit", "textsf", "operatorname")
ACCENTS = {"hat": "hat", "widehat": "hat", "tilde": "tilde", "widetilde": "tilde", "bar": "bar",
           "overline": "bar", "vec": "", "overrightarrow": ""}

_NAME = r"\\?[A-Za-z][A-Za-z0-9]*"
_SUB = r"(?:_(?:\{[A-Za-z0-9,+\- ]*\}|[A-Za-z0-9]))?"
_IDX = r"(?:\^\{\([^(){}]*\)\})?"
_FONT = re.compile(r"\\(?:%s)\*?\s*\{\s*(%s'*%s%s'*)\s*\}" % ("|".join(FONTS), _NAME, _SUB, _IDX))
_COMMAND = r"\\(?!(?:%s)(?![A-Za-z]))[A-Za-z]+" % "|".join(tuple(ACCENTS) + FONTS + ("frac", "dfrac", "tfrac", "sqrt"))
_ACCENT = re.compile(r"\\(%s)(?![A-Za-z])(?:\s*\{\s*(%s|[A-Za-z][A-Za-z0-9]*)\s*\}|\s*(%s)|\s+([A-Za-z]))"
                     % ("|".join(ACCENTS), _COMMAND, _COMMAND))
_PRIME = re.compile(r"\^\s*(?:\\prime(?![A-Za-z])|\{\s*((?:\\prime(?![A-Za-z])\s*|'\s*)+)\})")
_INDEX_T = re.compile(r"\^\{\s*(\([^(){}]*\))\s*(?:\\top|\\intercal|T|\\mathsf\s*\{\s*T\s*\})\s*\}")
_FRAC = re.compile(r"\\([dt]?frac)\s*([0-9A-Za-z])\s*([0-9A-Za-z])")
_SQRT = re.compile(r"\\sqrt(?![A-Za-z])\s*([0-9A-Za-z]|\\[A-Za-z]+)")
_SMALL = re.compile(r"\\ast(?![A-Za-z])|~|\\prime(?![A-Za-z])")
_FLOOR = re.compile(r"(?:\\(?:left|right|bigl|bigr|Bigl|Bigr|big|Big)\s*)?\\([lr])(floor|ceil)(?![A-Za-z])")
_PAIRS = {"$$": "$$", "$": "$", "\\(": "\\)", "\\[": "\\]"}
_FONT_HINTS = ("\\math", "\\text", "\\bold", "\\bm", "\\pmb", "\\operatorname")
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


def _font(text: str):
    return lambda m: _apart(text, m, [(m.start(1), m.end(1))])


def _accent(text: str):
    def repl(m):
        base = (m.group(2) or m.group(3) or m.group(4)).lstrip("\\")
        return _apart(text, m, [base + ACCENTS[m.group(1)]])
    return repl


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


def rewrite(text: str, where: list[int]) -> tuple[str, list[int]]:
    """The course's LaTeX → the grammar's spelling, keeping the position map."""
    if "$" in text or "\\(" in text or "\\[" in text:
        text, where = _strip_delimiters(text, where)
    if "\\" not in text and "^" not in text and "~" not in text:
        return text, where
    fonts = any(c in text for c in _FONT_HINTS)
    accents = any(c in text for c in _ACCENT_HINTS)
    for _ in range(4 if fonts or accents else 0):     # nested: \hat{\mathbf{y}}, \boldsymbol{\hat{y}}
        before = text
        text, where = _sub(_FONT, _font(text), text, where)
        text, where = _sub(_ACCENT, _accent(text), text, where)
        if text == before:
            break
    if "^" in text:
        if "prime" in text or "'" in text:
            text, where = _sub(_PRIME, _prime, text, where)
        if "^{(" in text:
            text, where = _sub(_INDEX_T, lambda m: ["^{", (m.start(1), m.end(1)), "}^T"], text, where)
    if "floor" in text or "ceil" in text:           # \lfloor x \rfloor (and ⌊x⌋, made \lfloor by syntax) is floor(x)
        text, where = _sub(_FLOOR, lambda m: [m.group(2) + "(" if m.group(1) == "l" else ")"], text, where)
    if "frac" in text:
        text, where = _sub(_FRAC, lambda m: ["\\" + m.group(1) + "{", (m.start(2), m.end(2)), "}{",
                                             (m.start(3), m.end(3)), "}"], text, where)
    if "\\sqrt" in text:
        text, where = _sub(_SQRT, lambda m: ["\\sqrt{", (m.start(1), m.end(1)), "}"], text, where)
    if "~" in text or "\\ast" in text or "\\prime" in text:
        text, where = _sub(_SMALL, lambda m: [{"~": " ", "\\prime": "'"}.get(m.group(0), "*")], text, where)
    return text, where


_PRIMES_INSIDE = re.compile(r"^([A-Za-z][A-Za-z0-9]*)('+)(_.+)$")


@lru_cache(maxsize=4096)
def name_key(spelling: str) -> str:
    """A declared or typed spelling in the grammar's terms: ``\\hat{y}`` → ``yhat``,
    ``\\mathbf{z}^{(l)}`` → ``z^{(l)}``, ``f^\\prime`` → ``f'``; primes go after the
    subscript (``f'_l`` and ``f_l'`` are one name)."""
    s = spelling
    if "\\" in s or "^" in s:
        s, _ = rewrite(s, list(range(len(s))))
    s = s.replace(" ", "")
    if s.startswith("\\"):
        s = s[1:]
    m = _PRIMES_INSIDE.match(s)
    if m:
        s = m.group(1) + m.group(3) + m.group(2)
    return s
