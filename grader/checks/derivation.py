"""Derivations: a chain of expressions, each equal to the one before, from a start to a target."""
from __future__ import annotations

from grader.checks.base import AnswerType, Context
from grader.checks.formula import compile_reference, counterexample, outer_undone
from grader.formula.compare import compare, valid_mask
from grader.formula.diagnose import diagnose
from grader.formula.evaluate import ShapeMismatch, evaluate, infer_shapes
from grader.formula.live import Liveness
from grader.formula.render import to_latex
from grader.formula.resolve import parse_formula
from grader.formula.syntax import FormulaInvalid
from grader.messages import text
from grader.model import Part
from grader.outcome import Outcome


def split_lines(answer) -> list[str]:
    """A list of lines, or one text with a line per row (a leading '=' is dropped)."""
    if isinstance(answer, str):
        answer = answer.splitlines()
    if not isinstance(answer, list):
        return []
    lines = [str(a).strip() for a in answer]
    return [line[1:].strip() if line.startswith("=") else line for line in lines if line]


def check_derivation(part: Part, answer, lang: str, reference=None) -> Outcome:
    lines = split_lines(answer)
    if len(lines) < 2:
        return Outcome("invalid", 0.0, (text("derivation_empty", lang),), None, {"error": "empty"})
    start = compile_reference(part, part.spec["start"], [])
    target = compile_reference(part, reference if reference is not None else part.reference.answer, [])
    table = start.table
    values, nodes = [], []
    for i, line in enumerate(lines, 1):
        try:
            node = parse_formula(line, table)
            shapes = infer_shapes(node, table)
        except (FormulaInvalid, ShapeMismatch) as exc:
            detail = text(exc.key, lang, **{"pos": "?", **exc.params})
            return Outcome("invalid", 0.0, (text("derivation_line_invalid", lang, line=i, detail=detail),),
                           None, {"error": "line", "line": i})
        nodes.append(node)
        values.append(evaluate(node, start.env, shapes))
    latex = " \\\\ ".join("= " + to_latex(n, table) if k else to_latex(n, table) for k, n in enumerate(nodes))
    steps = len(lines) - 1
    if not compare(values[0], start.values, start.mask).equal:
        return Outcome("incorrect", 0.0, (text("derivation_start", lang, start=part.spec["start"]),), latex,
                       {"first_wrong_line": 1})
    wrong = [i for i in range(1, len(lines))          # every step not equal to the line before it
             if not compare(values[i], values[i - 1], valid_mask(values[i - 1]) & start.mask).equal]
    for i in wrong[:1]:
        mask = valid_mask(values[i - 1]) & start.mask
        result = compare(values[i], values[i - 1], mask)
        ce = counterexample(nodes[i], start, result, lang)
        detail = ce["message"] if ce else ""
        fraction = 0.5 * (i - 1) / steps
        diag = diagnose(nodes[i], values[i], nodes[i - 1], values[i - 1], mask, table, start.env)
        feedback: tuple[str, ...] = (text("derivation_step", lang, line=i + 1, prev=i, detail=detail),)
        feedback += (text("derivation_diagnosis", lang, prev=i, detail=diag.message(lang)),) if diag else ()
        if len(wrong) > 1:
            feedback += (text("derivation_later_steps", lang, lines=", ".join(str(k + 1) for k in wrong[1:])),)
        return Outcome("partial" if fraction else "incorrect", fraction, feedback, latex,
                       {"first_wrong_line": i + 1, "wrong_lines": [k + 1 for k in wrong],
                        **({"diagnosis": diag.kind} if diag else {})})
    last = nodes[-1]
    reached = compare(values[-1], target.values, target.mask).equal
    outer = part.spec.get("last_outer")
    form_ok = not outer or outer_undone(Liveness(last, start.env, shapes, start.mask), outer) == []
    if not reached or not form_ok:
        return Outcome("partial", 0.5, (text("derivation_end", lang, target=part.reference.answer),), latex,
                       {"first_wrong_line": None})
    return Outcome("correct", 1.0, (text("derivation_ok", lang),), latex, {})


# -- the answer type ------------------------------------------------------------------------------

class DerivationType(AnswerType):
    """A chain of expressions from the part's ``start`` to the reference, each equal to the one before."""

    name, order = "derivation", 50
    reads_as_formula = True
    empty_answer = "[]"
    input_widget = "steps"       # nngrade serve: a text area, one step a line
    answer_list = True

    def part_keys(self) -> dict:
        from grader.bank.schema import FORMULA_TABLE, Key, Str
        return {**FORMULA_TABLE,
                "start": Key(Str(), "the expression the derivation starts from", True),
                "last_outer": Key(Str(), "the last line must be this function of an expression")}

    def check(self, part: Part, answer, ctx: Context) -> Outcome:
        return check_derivation(part, answer, ctx.lang, ctx.reference)

    def validate_reference(self, part: Part) -> list[tuple[str, str]]:
        if not part.spec.get("start"):
            return [("start", "a derivation part needs a start expression")]
        compile_reference(part, part.spec["start"], [])
        compile_reference(part, part.reference.answer, [])
        return []

    def reference_answers(self, part: Part) -> list:
        return []          # the reference is the target, not a derivation


ANSWER_TYPE = DerivationType()
