"""Numeric matrices: nested lists or ``[1 2; 3 4]``, each entry within the part's tolerance.

The checker and the reader live beside the numbers' in ``numeric.py`` (a matrix is read entry by
entry as numbers); this module is the answer type."""
from __future__ import annotations

import numpy as np
import yaml

from grader.checks.base import AnswerType, Context
from grader.checks.numeric import check_matrix, read_matrix
from grader.messages import text
from grader.model import Part
from grader.outcome import Outcome


class MatrixType(AnswerType):
    name, order = "matrix", 30
    per_student = True

    def part_keys(self) -> dict:
        from grader.bank.schema import TOLERANCE, Key
        return {"tolerance": Key(TOLERANCE, "how close each entry must be")}

    def check(self, part: Part, answer, ctx: Context) -> Outcome:
        return check_matrix(part, answer, ctx.lang, ctx.reference, params=ctx.params)

    def validate_reference(self, part: Part) -> list[tuple[str, str]]:
        read_matrix(part.reference.answer)
        return []

    def variant_value_ok(self, value) -> bool:
        arr = np.asarray(value, dtype=float)
        return bool(np.isfinite(arr).all()) and arr.ndim == 2

    def variant_forms(self, ref):
        typed = "[" + "; ".join(" ".join(f"{v:.6g}" for v in row) for row in ref) + "]"
        return typed, (np.asarray(ref) * 1.5 + 1).tolist()

    input_widget = "line"
    checked_at_once = True

    def preview(self, part: Part, answer: str, ctx: Context) -> dict:
        from grader.checks.formula import preview_error, preview_ok
        from grader.formula.compare import fmt
        from grader.formula.evaluate import fmt_shape
        from grader.formula.syntax import FormulaInvalid
        try:
            arr = read_matrix(answer)
        except FormulaInvalid as exc:
            return preview_error(text(exc.key, ctx.lang, **exc.params))
        rows = [" & ".join(fmt(float(x)) for x in row) for row in arr]
        latex = r"\begin{bmatrix}" + r" \\ ".join(rows) + r"\end{bmatrix}"
        return preview_ok(latex, text("serve_preview_shape", ctx.lang, shape=fmt_shape(arr.shape)))

    def key_text(self, part: Part, ref, lang: str = "en") -> str:
        if isinstance(ref, (list, tuple, np.ndarray)):
            return yaml.safe_dump(np.asarray(ref).tolist(), default_flow_style=True).strip()
        return str(ref)


ANSWER_TYPE = MatrixType()
