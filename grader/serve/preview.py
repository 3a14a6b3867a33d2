"""The live preview: how the grader reads a formula, number or matrix as it is typed.

It uses the grading code itself (``parse_formula`` with the part's symbol table, shape inference,
``read_number``, ``read_matrix``) and the same catalog messages, so "read as" here is what grading
will read; nothing is evaluated at random points and nothing is scored. The text is never eval'd.
"""
from __future__ import annotations

from grader.checks.formula import invalid
from grader.checks.numeric import read_matrix, read_number
from grader.formula.compare import fmt
from grader.formula.evaluate import ShapeMismatch, fmt_shape, infer_shapes
from grader.formula.render import symbol_latex, to_latex
from grader.formula.resolve import parse_formula
from grader.formula.syntax import FormulaInvalid
from grader.messages import text
from grader.model import Part
from grader.publish.pages import to_mathml

PREVIEW_TYPES = ("formula", "numeric", "matrix")
MAX_PREVIEW = 4000          # characters; the formula reader itself reads at most 1000


def preview(part: Part, answer: str, lang: str) -> dict:
    """``{"state": "empty"|"ok"|"error", "mathml", "latex", "message", "caret"}`` for typed ``answer``."""
    if not isinstance(answer, str) or not answer.strip():
        return {"state": "empty"}
    answer = answer[:MAX_PREVIEW]
    try:
        if part.type == "formula":
            return _formula(part, answer, lang)
        if part.type == "numeric":
            return _numeric(answer, lang)
        if part.type == "matrix":
            return _matrix(answer, lang)
    except RecursionError:
        return _error(text("too_deep", lang, limit="—"))
    return {"state": "none"}


def _ok(latex: str, note: str = "") -> dict:
    return {"state": "ok", "latex": latex, "mathml": to_mathml(latex, True), "message": note}


def _error(message: str, caret: str = "", latex: str | None = None) -> dict:
    out = {"state": "error", "message": message, "caret": caret}
    if latex:
        out.update(latex=latex, mathml=to_mathml(latex, True))
    return out


def _invalid(exc: FormulaInvalid, answer: str, lang: str) -> dict:
    outcome = invalid(exc, answer, lang)          # the grader's own message and caret
    return _error(" ".join(outcome.feedback), outcome.details.get("caret", ""))


def _formula(part: Part, answer: str, lang: str) -> dict:
    try:
        node = parse_formula(answer, part.table)
    except FormulaInvalid as exc:
        return _invalid(exc, answer, lang)
    try:
        shapes = infer_shapes(node, part.table)
    except ShapeMismatch as exc:
        return _error(text(exc.key, lang, **exc.params), latex=to_latex(node, part.table))
    shape = shapes[id(node)]
    note = "" if shape == (1, 1) else text("serve_preview_shape", lang, shape=fmt_shape(shape))
    return _ok(to_latex(node, part.table, shapes), note)


def _numeric(answer: str, lang: str) -> dict:
    try:
        value, latex = read_number(answer)
    except FormulaInvalid as exc:
        if exc.key in ("unknown_symbol", "unknown_symbol_hint"):
            exc = FormulaInvalid("number_expected", exc.pos, names=exc.params["name"])
        return _invalid(exc, answer, lang)
    return _ok(latex or fmt(value), text("serve_preview_value", lang, value=fmt(value)))


def _matrix(answer: str, lang: str) -> dict:
    try:
        arr = read_matrix(answer)
    except FormulaInvalid as exc:
        return _error(text(exc.key, lang, **exc.params))
    rows = [" & ".join(fmt(float(x)) for x in row) for row in arr]
    latex = r"\begin{bmatrix}" + r" \\ ".join(rows) + r"\end{bmatrix}"
    return _ok(latex, text("serve_preview_shape", lang, shape=fmt_shape(arr.shape)))


def hints(part: Part) -> list[dict]:
    """The part's symbols and functions as the student may type them, with their printed form."""
    out = []
    if part.type != "formula":
        return out
    table = part.table
    for name, spec in sorted(table.symbols.items()):
        shape = getattr(spec, "shape", None)
        out.append({"name": name, "kind": "symbol", "mathml": to_mathml(symbol_latex(name, table)),
                    "shape": fmt_shape(tuple(shape)) if shape and tuple(shape) != (1, 1) else ""})
    for name in sorted(table.functions):
        out.append({"name": name + "(…)", "kind": "function", "mathml": to_mathml(symbol_latex(name, table)),
                    "shape": ""})
    return out
