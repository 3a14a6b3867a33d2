"""Reading formula text: Unicode clean-up, bounds, bracket checks and the Lark parse.

The output is Lark's raw tree; ``resolve.py`` gives it meaning. Every failure
is a :class:`FormulaInvalid` with a message key and the position in the
student's own text, so that feedback can point at it with a caret.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

from lark import Lark, Tree
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

from grader.formula.notation import SPACING, is_latex_input, rewrite

MAX_LENGTH = 1000        # characters of student text that are read
MAX_BRACKET_DEPTH = 40   # nesting of (), [], {}
MAX_TREE_DEPTH = 120     # nesting of the parse tree (chains like a^a^a^... or ---x)
MAX_NODES = 600


class FormulaInvalid(Exception):
    """Student text that cannot be read; ``key``/``params`` name the message."""

    def __init__(self, key: str, pos: int | None = None, **params):
        self.key = key
        self.pos = pos
        self.params = params
        super().__init__(key, pos, params)


GREEK = {
    "α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "epsilon", "ϵ": "epsilon",
    "ζ": "zeta", "η": "eta", "θ": "theta", "ι": "iota", "κ": "kappa", "λ": "lambda",
    "μ": "mu", "ν": "nu", "ξ": "xi", "π": "pi", "ρ": "rho", "σ": "sigma", "τ": "tau",
    "υ": "upsilon", "φ": "phi", "ϕ": "phi", "χ": "chi", "ψ": "psi", "ω": "omega",
    "Γ": "Gamma", "Δ": "Delta", "Θ": "Theta", "Λ": "Lambda", "Ξ": "Xi", "Π": "Pi",
    "Σ": "Sigma", "Φ": "Phi", "Ψ": "Psi", "Ω": "Omega",
    "µ": "mu", "ϑ": "theta", "ϱ": "rho", "ϖ": "pi",
}
SYMBOLS = {
    "−": "-", "–": "-", "＋": "+", "－": "-", "×": r"\times ", "·": r"\cdot ", "⋅": r"\cdot ",
    "∙": r"\cdot ",
    "⌊": r"\lfloor ", "⌋": r"\rfloor ", "⌈": r"\lceil ", "⌉": r"\rceil ",
    "⊙": r"\odot ", "∘": r"\circ ", "ᵀ": "^T", "⊤": r"\top ", "²": "^2", "³": "^3",
    "（": "(", "）": ")", "，": ",", "；": ";", "【": "[", "】": "]", "／": "/", "＊": "*",
    "＾": "^", "＝": "=", "’": "'", "′": "'", "\u00a0": " ", "\u3000": " ",
    "″": "''", "⊺": r"\top ", "∗": "*", "÷": "/", "‐": "-", "‑": "-", "‒": "-", "ˆ": "^", "、": ",",
    "\u2009": " ", "\u200b": "", "\u2061": "", "\u2062": "", "\ufeff": "",
}
# n-ary summation and product signs (not the Greek letters Σ, Π): commands, spaced like Greek letters
NARY = {"∑": "sum", "∏": "prod"}
# superscript and subscript characters: a run of them is one ^{…} or _{…} group
SUPERSCRIPTS = dict(zip("⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁽⁾ⁿⁱᵀᵃᵇᶜᵈᵉᶠᵍʰʲᵏˡᵐᵒᵖʳˢᵗᵘᵛʷˣʸᶻ",
                        "0123456789+-()niTabcdefghjklmoprstuvwxyz"))
SUBSCRIPTS = dict(zip("₀₁₂₃₄₅₆₇₈₉₊₋₍₎ₐₑₒₓₜᵢⱼₖₗₘₙ", "0123456789+-()aeoxtijklmn"))
# combining accents (typed after a letter, or inside a precomposed letter such as ŷ)
COMBINING = {"\u0302": "hat", "\u0303": "tilde", "\u0304": "bar", "\u0305": "bar", "\u20d7": "vec"}
# letters of other scripts that look like Latin ones: rejected with a hint
CONFUSABLE = {
    "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "х": "x", "у": "y", "і": "i", "ј": "j",
    "ѕ": "s", "ԁ": "d", "ɡ": "g", "һ": "h", "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M",
    "Н": "H", "О": "O", "Р": "P", "С": "C", "Т": "T", "Х": "X", "Ү": "Y", "Ι": "I", "Κ": "K",
    "Μ": "M", "Ν": "N", "Ο": "O", "Ρ": "P", "Τ": "T", "Χ": "X", "Υ": "Y", "Ζ": "Z", "ο": "o",
    "ℯ": "e", "ⅹ": "x",
}
# LaTeX that only sizes or spaces (\left, \big, \, \; \! \quad, \limits...): blanked out, keeping every position
_BLANK = SPACING
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")   # what the loop below refuses in ASCII text
_OPEN = {"(": ")", "[": "]", "{": "}"}
_CLOSE = {v: k for k, v in _OPEN.items()}


def normalize(text: str) -> tuple[str, list[int]]:
    """Map Unicode math to the grammar's ASCII/LaTeX, keeping a position map.

    Returns the new text and, for each of its characters, the index of the
    character of ``text`` it came from.
    """
    if text.isascii() and not _CONTROL.search(text):      # most answers: nothing to map, one position each
        joined = _BLANK.sub(lambda m: " " * len(m.group(0)), text) if "\\" in text else text
        return rewrite(joined, list(range(len(text))))
    out: list[str] = []
    where: list[int] = []
    for i, ch in enumerate(text):
        if ch in SUPERSCRIPTS or ch in SUBSCRIPTS:
            table, mark = (SUPERSCRIPTS, "^") if ch in SUPERSCRIPTS else (SUBSCRIPTS, "_")
            if i and text[i - 1] in table and out and out[-1].endswith("}"):   # the run goes on
                out[-1] = out[-1][:-1] + table[ch] + "}"
                where.insert(len(where) - 1, i)
                continue
            rep = mark + "{" + table[ch] + "}"
        elif ch in COMBINING:
            if not (out and len(out[-1]) == 1 and out[-1].isascii() and out[-1].isalpha()):
                raise FormulaInvalid("bad_char", i, char=ch, uname=_uname(ch))
            start = where.pop()
            rep = _accented(out.pop(), COMBINING[ch])
            out.append(rep)
            where.extend([start] * len(rep))
            continue
        elif ch == "√":
            rep = " sqrt "
        elif ch in GREEK or ch in NARY:
            rep = "\\" + (GREEK.get(ch) or NARY[ch])
            nxt = text[i + 1] if i + 1 < len(text) else ""
            if (nxt.isalnum() and nxt not in SUBSCRIPTS and nxt not in SUPERSCRIPTS) or nxt == "\\":
                rep += " "              # β₁ᵗ stays one name with its index: \beta_{1}^{t}, never \beta _{1}
        elif ch in SYMBOLS:
            rep = SYMBOLS[ch]
        elif "\uff01" <= ch <= "\uff5e":          # full-width ASCII from Chinese input methods
            rep = chr(ord(ch) - 0xFEE0)
        elif ch in CONFUSABLE:
            raise FormulaInvalid("homoglyph", i, char=ch, latin=CONFUSABLE[ch], uname=_uname(ch))
        elif ord(ch) > 126 and (compatible := _compatible(ch)) is not None:
            rep = compatible
        elif ord(ch) > 126 or (ord(ch) < 32 and ch not in "\t\n\r"):
            raise FormulaInvalid("bad_char", i, char=ch, uname=_uname(ch))
        else:
            rep = ch
        out.append(rep)
        where.extend([i] * len(rep))
    joined = "".join(out)
    joined = _BLANK.sub(lambda m: " " * len(m.group(0)), joined)
    return rewrite(joined, where, is_latex_input(text))     # the student's text decides, not what Unicode became


def _accented(letter: str, accent: str) -> str:
    return letter if accent == "vec" else "\\" + accent + "{" + letter + "}"


def _compatible(ch: str) -> str | None:
    """A letter that only looks different: ŷ (a precomposed accent), 𝑥 or ℎ (math alphabets)."""
    parts = unicodedata.normalize("NFD", ch)
    if len(parts) == 2 and parts[0].isascii() and parts[0].isalpha() and parts[1] in COMBINING:
        return _accented(parts[0], COMBINING[parts[1]])
    name = unicodedata.name(ch, "")
    if name.startswith("MATHEMATICAL") or name == "PLANCK CONSTANT":
        plain = unicodedata.normalize("NFKC", ch)
        if len(plain) == 1 and plain.isascii() and plain.isalnum():
            return plain
        if plain in GREEK:
            return "\\" + GREEK[plain] + " "
    return None


def _uname(ch: str) -> str:
    return unicodedata.name(ch, f"U+{ord(ch):04X}")


def check_brackets(text: str, where: list[int]) -> None:
    """Report the first unbalanced or mismatched bracket, and bound the nesting."""
    stack: list[tuple[str, int]] = []
    for i, ch in enumerate(text):
        if ch in _OPEN:
            stack.append((ch, i))
            if len(stack) > MAX_BRACKET_DEPTH:
                raise FormulaInvalid("too_deep", where[i], limit=MAX_BRACKET_DEPTH)
        elif ch in _CLOSE:
            if not stack:
                raise FormulaInvalid("unbalanced_close", where[i], char=ch)
            opener, at = stack.pop()
            if _OPEN[opener] != ch:
                raise FormulaInvalid("mismatched", where[i], char=ch, open=opener, open_pos=where[at] + 1)
    if stack:
        opener, at = stack[-1]
        raise FormulaInvalid("unbalanced_open", where[at], char=opener)


@lru_cache(maxsize=1)
def parser() -> Lark:
    grammar = (Path(__file__).with_name("grammar.lark")).read_text(encoding="utf-8")
    return Lark(grammar, parser="lalr", maybe_placeholders=False, propagate_positions=False)


def parse(text: str) -> tuple[Tree, list[int]]:
    """Parse student text into Lark's raw tree, or raise :class:`FormulaInvalid`.

    Also returns the position map from :func:`normalize` for later messages.
    """
    if not isinstance(text, str):
        raise FormulaInvalid("empty")
    if len(text) > MAX_LENGTH:
        raise FormulaInvalid("too_long", None, n=len(text), limit=MAX_LENGTH)
    if not text.strip():
        raise FormulaInvalid("empty")
    clean, where = normalize(text)
    if not clean.strip():
        raise FormulaInvalid("empty")
    check_brackets(clean, where)
    try:
        tree = parser().parse(clean)
    except UnexpectedInput as exc:
        raise _explain(exc, clean, where) from None
    _check_size(tree)
    return tree, where


def _explain(exc: UnexpectedInput, clean: str, where: list[int]) -> FormulaInvalid:
    if isinstance(exc, UnexpectedEOF) or (isinstance(exc, UnexpectedToken) and exc.token.type == "$END"):
        return FormulaInvalid("unexpected_end", len(where) and where[-1] + 1)
    pos = getattr(exc, "pos_in_stream", None)
    if isinstance(exc, UnexpectedToken):
        pos = exc.token.start_pos
        token = str(exc.token)
    elif isinstance(exc, UnexpectedCharacters):
        token = clean[pos] if pos is not None and pos < len(clean) else "?"
    else:
        token = "?"
    orig = where[pos] if pos is not None and pos < len(where) else None
    if token in ("'", '"'):
        return FormulaInvalid("unexpected_quote", orig, token=token)
    return FormulaInvalid("unexpected_token", orig, token=token)


def _check_size(tree) -> None:
    count = 0
    stack = [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        count += 1
        if depth > MAX_TREE_DEPTH:
            raise FormulaInvalid("too_deep", None, limit=MAX_TREE_DEPTH)
        if count > MAX_NODES:
            raise FormulaInvalid("too_long", None, n=count, limit=MAX_NODES)
        if isinstance(node, Tree):
            stack.extend((child, depth + 1) for child in node.children)


def caret(text: str, pos: int | None) -> str:
    """The student's text with a caret under position ``pos`` (plain text, two lines)."""
    if pos is None or not isinstance(text, str) or len(text) > 200:
        return ""
    line = text.replace("\n", " ")
    # East Asian wide characters take two columns in a monospaced font
    pad = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line[:pos])
    return f"{line}\n{' ' * pad}^"
