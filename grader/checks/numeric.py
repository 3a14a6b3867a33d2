"""Numbers and numeric matrices: typed as numbers or constant expressions (``1/4``, ``0.25^3``).

The numeric answer type is here; the matrix type (``matrix.py``) reads its entries with :func:`read_number`.
"""
from __future__ import annotations

import math
import re

import numpy as np

from grader.checks.base import AnswerType, Context, LmsItem
from grader.checks.formula import invalid
from grader.formula.compare import fmt
from grader.formula.evaluate import evaluate, infer_shapes, sample_env
from grader.formula.render import to_latex
from grader.formula.resolve import parse_formula
from grader.formula.symbols import SymbolTable
from grader.formula.syntax import FormulaInvalid
from grader.messages import ref, text
from grader.model import Part
from grader.outcome import Outcome

_CONSTANTS = SymbolTable()       # a number may use e and pi, and no symbols


def read_number(answer) -> tuple[float, str | None]:
    """The value of a number or constant expression, and its LaTeX; :class:`FormulaInvalid` if unreadable."""
    if isinstance(answer, bool):
        raise FormulaInvalid("number_expected", None, names=repr(answer))
    if isinstance(answer, (int, float)):
        return float(answer), None
    if not isinstance(answer, str):
        raise FormulaInvalid("number_expected", None, names=type(answer).__name__)
    node = parse_formula(answer, _CONSTANTS)
    shapes = infer_shapes(node, _CONSTANTS)
    value = float(evaluate(node, sample_env(_CONSTANTS, 1, 0), shapes)[0, 0, 0])
    if not math.isfinite(value):
        raise FormulaInvalid("not_a_number", None)
    return value, to_latex(node, _CONSTANTS, shapes)


def within(got: float, expected: float, tol: dict) -> bool:
    """Inside the part's tolerance: ``abs``, ``rel`` or ``sigfigs`` (any one suffices)."""
    if "sigfigs" in tol and expected != 0:
        digits = int(tol["sigfigs"])
        magnitude = math.floor(math.log10(abs(expected)))
        if abs(got - expected) <= 0.5 * 10 ** (magnitude - digits + 1) * (1 + 1e-9):
            return True
    return abs(got - expected) <= tol.get("abs", 1e-9) + tol.get("rel", 1e-6) * abs(expected)


def tolerance_text(tol: dict, lang: str = "en") -> str:
    if "sigfigs" in tol:
        return text("tol_sigfigs", lang, n=tol["sigfigs"])
    return text("tol_abs_rel", lang, abs=fmt(tol.get("abs", 1e-9)), rel=fmt(tol.get("rel", 1e-6)))


def check_numeric(part: Part, answer, lang: str, reference=None, params=None) -> Outcome:
    expected, _ = read_number(reference if reference is not None else part.reference.answer)
    try:
        got, latex = read_number(answer)
    except FormulaInvalid as exc:
        if exc.key in ("unknown_symbol", "unknown_symbol_hint"):
            exc = FormulaInvalid("number_expected", exc.pos, names=exc.params["name"])
        return invalid(exc, answer if isinstance(answer, str) else "", lang)
    tol = part.spec.get("tolerance", {})
    details = {"value": got}
    if within(got, expected, tol):
        return Outcome("correct", 1.0, (text("numeric_close", lang, tol=tolerance_text(tol, lang)),), latex, details)
    lines = [text("numeric_off", lang, got=fmt(got), tol=tolerance_text(tol, lang))]
    for mis in part.reference.misconceptions:
        try:
            value = mis["answer"](params or {}) if callable(mis["answer"]) else mis["answer"]
            if within(got, read_number(value)[0], tol):
                lines = [mis["feedback"].get(lang) or mis["feedback"]["en"]] + lines
                details["misconception"] = mis.get("id", mis["answer"])
                break
        except FormulaInvalid:
            continue
    return Outcome("incorrect", 0.0, tuple(lines), latex, details)


_ROW_SPLIT = re.compile(r"\s*;\s*|\n")


def read_matrix(answer) -> np.ndarray:
    """Nested lists of numbers, or text ``[1 2; 3 4]`` / ``[[1, 2], [3, 4]]``, as a 2-D array."""
    rows = answer
    if isinstance(answer, str):
        s = answer.strip()
        if s.startswith("[[") or s.startswith("[ ["):
            rows = [r for r in re.findall(r"\[([^\[\]]*)\]", s)]
            rows = [re.split(r"\s*,\s*|\s+", r.strip()) for r in rows]
        else:
            s = s.strip("[]")
            rows = [re.split(r"\s*,\s*|\s+", r.strip()) for r in _ROW_SPLIT.split(s) if r.strip()]
    if isinstance(rows, (int, float, str)) and not isinstance(rows, bool):
        rows = [[rows]]
    if not isinstance(rows, list) or not rows:
        raise FormulaInvalid("matrix_parse", None)
    if not all(isinstance(r, list) for r in rows):
        rows = [rows]                       # a single row typed as a flat list
    width = len(rows[0])
    out = np.empty((len(rows), width))
    for i, row in enumerate(rows):
        if len(row) != width:
            raise FormulaInvalid("matrix_ragged", None, row=i + 1, got=len(row), expected=width)
        for j, entry in enumerate(row):
            try:
                out[i, j] = read_number(entry)[0]
            except FormulaInvalid as exc:
                raise FormulaInvalid("matrix_entry_bad", None, row=i + 1, col=j + 1,
                                     detail=ref(exc.key, **_safe(exc.params))) from None
    return out


def _safe(params: dict) -> dict:
    return {k: v for k, v in params.items()} | {"pos": "?"}


def check_matrix(part: Part, answer, lang: str, reference=None, params=None) -> Outcome:
    expected = np.asarray(reference if reference is not None else part.reference.answer, dtype=float)
    try:
        got = read_matrix(answer)
    except FormulaInvalid as exc:
        return Outcome("invalid", 0.0, (text(exc.key, lang, **exc.params),), None, {"error": exc.key})
    if got.shape != expected.shape:
        sizes = {"got": "×".join(map(str, got.shape)), "expected": "×".join(map(str, expected.shape))}
        said = [text("matrix_shape", lang, **sizes)]
        if got.shape == expected.shape[::-1]:
            said.append(text("shape_transposed", lang))
        return Outcome("incorrect", 0.0, tuple(said), None, {"error": "shape"})
    tol = part.spec.get("tolerance", {})
    ok = np.vectorize(lambda g, e: within(float(g), float(e), tol))(got, expected)
    if ok.all():
        return Outcome("correct", 1.0, (text("numeric_close", lang, tol=tolerance_text(tol, lang)),))
    bad = np.argwhere(~ok)
    shown = ", ".join(f"({i + 1}, {j + 1}): {fmt(got[i, j])}" for i, j in bad[:4])
    lines = (text("matrix_entries", lang, n=len(bad), total=got.size, entries=shown),)
    return Outcome("incorrect", 0.0, lines, None, {"wrong_entries": [[int(i) + 1, int(j) + 1] for i, j in bad]})


# -- the answer type ------------------------------------------------------------------------------

class NumericType(AnswerType):
    """A number, or a constant expression, within the part's tolerance."""

    name, order = "numeric", 20
    per_student = True

    def part_keys(self) -> dict:
        from grader.bank.schema import TOLERANCE, Key
        return {"tolerance": Key(TOLERANCE, "how close a number must be")}

    def check(self, part: Part, answer, ctx: Context) -> Outcome:
        return check_numeric(part, answer, ctx.lang, ctx.reference, params=ctx.params)

    def validate_reference(self, part: Part) -> list[tuple[str, str]]:
        read_number(part.reference.answer)
        return []

    def variant_value_ok(self, value) -> bool:
        arr = np.asarray(value, dtype=float)
        return bool(np.isfinite(arr).all()) and arr.ndim == 0

    def variant_forms(self, ref):
        return f"{ref:.6g}", ref * 1.5 + 1

    input_widget = "line"
    checked_at_once = True

    def preview(self, part: Part, answer: str, ctx: Context) -> dict:
        from grader.checks.formula import preview_invalid, preview_ok
        try:
            value, latex = read_number(answer)
        except FormulaInvalid as exc:
            if exc.key in ("unknown_symbol", "unknown_symbol_hint"):
                exc = FormulaInvalid("number_expected", exc.pos, names=exc.params["name"])
            return preview_invalid(exc, answer, ctx.lang)
        return preview_ok(latex or fmt(value), text("serve_preview_value", ctx.lang, value=fmt(value)))

    def lms_item(self, part: Part, base: dict, lang: str) -> LmsItem | None:
        ref = part.reference.answer
        if callable(ref):
            return None
        tol = part.spec.get("tolerance", {})
        value = read_number(ref)[0]
        return NumericItem(**base, value=value, tolerance=max(tol.get("abs", 1e-9), tol.get("rel", 1e-6) * abs(value)))


class NumericItem(LmsItem):
    """A number within a tolerance: Canvas numerical_question, Moodle numerical."""

    qti_type, moodle_type = "numerical_question", "numerical"

    def __init__(self, id: str, title: str, text: str, points: float, value: float, tolerance: float):
        super().__init__(id, title, text, points)
        self.value, self.tolerance = value, tolerance

    def qti_response(self, pres, proc) -> None:
        import xml.etree.ElementTree as ET
        resp = ET.SubElement(pres, "response_str", ident="response1", rcardinality="Single")
        ET.SubElement(ET.SubElement(resp, "render_fib", fibtype="Decimal"), "response_label", ident="answer1")
        condition = ET.SubElement(proc, "respcondition", {"continue": "No"})
        either = ET.SubElement(ET.SubElement(condition, "conditionvar"), "or")
        ET.SubElement(either, "varequal", respident="response1").text = repr(self.value)
        between = ET.SubElement(either, "and")
        ET.SubElement(between, "vargte", respident="response1").text = repr(self.value - self.tolerance)
        ET.SubElement(between, "varlte", respident="response1").text = repr(self.value + self.tolerance)
        ET.SubElement(condition, "setvar", action="Set", varname="SCORE").text = "100"

    def moodle_answers(self, q, lang: str) -> None:
        import xml.etree.ElementTree as ET
        ans = ET.SubElement(q, "answer", fraction="100")
        ET.SubElement(ans, "text").text = repr(self.value)
        ET.SubElement(ans, "tolerance").text = repr(self.tolerance)


ANSWER_TYPE = NumericType()
