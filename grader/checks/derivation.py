"""Derivations: a chain of expressions, each equal to the one before, from a start to a target.

A part may also require intermediate forms (``steps``): each is a formula that one of the
student's lines must match, with the course's named functions held *as written* (σ, tanh,
softmax … are replaced by fixed, generic functions of their argument at every sample, so only
algebra that holds for any function carries a line to the form: ``σ(x) − σ(x)²`` matches
``σ(x)(1 − σ(x))`` but ``e^{−x}/(1+e^{−x})²`` does not). ``match: terms`` matches the top-level
sum term by term instead (so ``σ − σ²`` is told apart from ``σ(1 − σ)``). ``steps_in_order``
asks the forms to appear in the listed order. A valid derivation that misses some earns
``steps_credit`` plus its share of the rest for each step shown, and the feedback names each
missing step.

After the first wrong line every later line is judged too: a step not equal to the line before
is wrong; a line equal to the line before but not to the start carries the earlier error (said
so, not marked wrong); a line equal to the start again that does not follow from the line before
is named as such.
"""
from __future__ import annotations

import zlib
from dataclasses import dataclass

import numpy as np

from grader.checks.base import AnswerType, Context
from grader.checks.formula import compile_reference, counterexample, outer_undone
from grader.formula.builtins import BUILTINS
from grader.formula.compare import compare, valid_mask
from grader.formula.diagnose import diagnose
from grader.formula.evaluate import ShapeMismatch, evaluate, fmt_shape, infer_shapes
from grader.formula.live import Liveness
from grader.formula.nodes import Node
from grader.formula.render import to_latex
from grader.formula.resolve import parse_formula
from grader.formula.syntax import FormulaInvalid
from grader.messages import text
from grader.model import Part
from grader.outcome import Outcome

# functions held as written by default when matching a required step (``as_written`` overrides)
AS_WRITTEN = ("sigma", "sigma_prime", "tanh", "tanh_prime", "sinh", "cosh", "sech", "relu", "softmax")
MAX_TERMS = 12                  # a line (or form) with more top-level terms never matches term by term
STEPS_CREDIT = 0.5              # credit of a valid derivation that shows none of the required steps
MAX_LINES = 100                 # a longer derivation is refused as the student's (never a check time-out)


def split_lines(answer) -> list[str]:
    """A list of lines, or one text with a line per row (a leading '=' is dropped)."""
    if isinstance(answer, str):
        answer = answer.splitlines()
    if not isinstance(answer, list):
        return []
    lines = [str(a).strip() for a in answer]
    return [line[1:].strip() if line.startswith("=") else line for line in lines if line]


# -- required steps ----------------------------------------------------------------------------------

def _held(names) -> dict:
    """Each held function's output passed through its own fixed, asymmetric map s ↦ s(1 + a·s)/(1 + a):
    a generic function of the argument, so σ(−x) ≠ 1 − σ(x) and σ ≠ 1/(1 + e^{−x}) once held."""
    def bend(a: float):
        return lambda out: out * (1.0 + a * out) / (1.0 + a)
    return {name: bend(0.25 + (zlib.crc32(name.encode()) % 97) / 200.0) for name in names}


def _signed_terms(node: Node) -> list[tuple[int, Node]]:
    """The terms of the top-level sum, nested sums and minus signs flattened, each with its sign."""
    out: list[tuple[int, Node]] = []
    stack = [(1, node)]
    while stack:
        sign, n = stack.pop()
        if n.op == "add":
            stack += [(sign, n.args[1]), (sign, n.args[0])]
        elif n.op == "sub":
            stack += [(-sign, n.args[1]), (sign, n.args[0])]
        elif n.op == "neg":
            stack.append((-sign, n.args[0]))
        else:
            out.append((sign, n))
    return out


@dataclass
class Written:
    """A line's (or a form's) values with the held functions held: the whole, and term by term
    (the constant terms summed into one)."""

    value: np.ndarray
    terms: list[np.ndarray] | None
    constant: np.ndarray


def _written(node: Node, shapes: dict, env, held: dict) -> Written:
    value = evaluate(node, env, shapes, perturb=held)
    terms = _signed_terms(node)
    constant = np.zeros_like(value)
    varying: list[np.ndarray] | None = []
    if len(terms) > MAX_TERMS:
        return Written(value, None, constant)
    for sign, term in terms:
        v = sign * evaluate(term, env, shapes, perturb=held)
        if not term.symbols() and not any(n.op == "afunc" for n in term.walk()):
            constant = constant + v
        elif varying is not None:
            varying.append(np.broadcast_to(v, value.shape))
    return Written(value, varying, constant)


def _eq(a: np.ndarray, b: np.ndarray, mask: np.ndarray) -> bool:
    """Equal at every point of ``mask`` (values of different shapes never are)."""
    return a.shape == b.shape and bool(compare(a, b, mask).equal)


def _same(a: np.ndarray, b: np.ndarray, mask: np.ndarray) -> bool:
    return _eq(a, b, mask & valid_mask(b))


def _pairs(got: list[np.ndarray], want: list[np.ndarray], mask: np.ndarray) -> bool:
    """Can the terms be paired one to one, each equal to its partner? (bipartite matching, ≤ MAX_TERMS)"""
    if len(got) != len(want):
        return False
    equal = [[_same(g, w, mask) for w in want] for g in got]
    partner: dict[int, int] = {}

    def place(i: int, seen: set) -> bool:
        for j in range(len(want)):
            if equal[i][j] and j not in seen:
                seen.add(j)
                if j not in partner or place(partner[j], seen):
                    partner[j] = i
                    return True
        return False

    return all(place(i, set()) for i in range(len(got)))


def _matches(line: Written, form: Written, mode: str, mask: np.ndarray) -> bool:
    if mode != "terms":
        return _same(line.value, form.value, mask)
    if line.terms is None or form.terms is None:
        return False
    return _same(line.constant, form.constant, mask) and _pairs(line.terms, form.terms, mask)


def _step_name(step: dict, lang: str) -> str:
    name = step.get("name")
    if isinstance(name, dict):
        return str(name.get(lang) or name.get("en") or step["form"])
    return str(step["form"])


def _compiled_steps(part: Part, start) -> list[tuple[dict, Written, dict]]:
    """(step, its form's written values, the held functions) for each required step; cached per part."""
    key = ("derivation-steps",)
    if key not in part.cache:
        out = []
        for step in part.spec.get("steps") or []:
            held = _held(step.get("as_written", AS_WRITTEN))
            node = parse_formula(step["form"], start.table)
            out.append((step, _written(node, infer_shapes(node, start.table), start.env, held), held))
        part.cache[key] = out
    return part.cache[key]


def steps_shown(part: Part, nodes: list[Node], shapes: list[dict], start) -> tuple[list[int | None], list[int]]:
    """For each required step, the (1-based) line that shows it, or None; and the steps shown out of order."""
    steps = _compiled_steps(part, start)
    in_order = bool(part.spec.get("steps_in_order"))
    cache: dict = {}
    lines: list[int | None] = []
    misplaced: list[int] = []
    after = 1                                   # line 1 is the given start: it shows nothing
    for k, (step, form, held) in enumerate(steps):
        mode = step.get("match", "value")
        hits = []
        for i in range(1, len(nodes)):
            key = (i, tuple(sorted(held)))
            if key not in cache:
                cache[key] = _written(nodes[i], shapes[i], start.env, held)
            if _matches(cache[key], form, mode, start.mask):
                hits.append(i + 1)
        if in_order:
            later = [i for i in hits if i >= after]
            if hits and not later:
                misplaced.append(k)
            hits = later
        lines.append(hits[0] if hits else None)
        if hits and in_order:
            after = hits[0]
    return lines, misplaced


def _steps_feedback(part: Part, shown: list[int | None], misplaced: list[int], lang: str) -> tuple[str, ...]:
    steps = part.spec.get("steps") or []
    out = []
    for k, line in enumerate(shown):
        if line is not None:
            continue
        name = _step_name(steps[k], lang)
        if k in misplaced:
            before = next((_step_name(steps[j], lang) for j in range(k - 1, -1, -1) if shown[j] is not None),
                          _step_name(steps[k - 1], lang) if k else "")
            out.append(text("derivation_step_order", lang, step=name, after=before))
        else:
            out.append(text("derivation_step_missing", lang, step=name))
    return tuple(out)


def _steps_fraction(part: Part, shown: list[int | None]) -> float:
    if not shown:
        return 1.0
    credit = float(part.spec.get("steps_credit", STEPS_CREDIT))
    return credit + (1.0 - credit) * sum(line is not None for line in shown) / len(shown)


# -- the check ------------------------------------------------------------------------------------------

def _later_lines(values, start, first: int) -> tuple[list[int], list[int], list[int]]:
    """After the first wrong step (0-based ``first``): (wrong steps, lines carrying an earlier error,
    lines equal to the start again without following from the line before), 1-based."""
    wrong: list[int] = []
    carried: list[int] = []
    back: list[int] = []
    for k in range(first + 1, len(values)):
        follows = _eq(values[k], values[k - 1], valid_mask(values[k - 1]) & start.mask)
        right = _eq(values[k], start.values, start.mask)
        if follows and not right:
            carried.append(k + 1)
        elif not follows:
            (back if right else wrong).append(k + 1)
    return wrong, carried, back


def check_derivation(part: Part, answer, lang: str, reference=None) -> Outcome:
    lines = split_lines(answer)
    if len(lines) < 2:
        return Outcome("invalid", 0.0, (text("derivation_empty", lang),), None, {"error": "empty"})
    if len(lines) > MAX_LINES:
        return Outcome("invalid", 0.0, (text("derivation_too_long", lang, n=len(lines), limit=MAX_LINES),), None,
                       {"error": "too_long"})
    start = compile_reference(part, part.spec["start"], [])
    target = compile_reference(part, reference if reference is not None else part.reference.answer, [])
    table = start.table
    values, nodes, all_shapes = [], [], []
    for i, line in enumerate(lines, 1):
        try:
            node = parse_formula(line, table)
            shapes = infer_shapes(node, table)
        except (FormulaInvalid, ShapeMismatch) as exc:
            detail = text(exc.key, lang, **{"pos": "?", **exc.params})
            return Outcome("invalid", 0.0, (text("derivation_line_invalid", lang, line=i, detail=detail),),
                           None, {"error": "line", "line": i})
        nodes.append(node)
        all_shapes.append(shapes)
        values.append(evaluate(node, start.env, shapes))
    latex = " \\\\ ".join("= " + to_latex(n, table) if k else to_latex(n, table) for k, n in enumerate(nodes))
    steps = len(lines) - 1
    if not _eq(values[0], start.values, start.mask):
        return Outcome("incorrect", 0.0, (text("derivation_start", lang, start=part.spec["start"]),), latex,
                       {"first_wrong_line": 1})
    first = next((i for i in range(1, len(lines))
                  if not _eq(values[i], values[i - 1], valid_mask(values[i - 1]) & start.mask)), None)
    if first is not None:
        i = first
        mask = valid_mask(values[i - 1]) & start.mask
        fraction = 0.5 * (i - 1) / steps
        if values[i].shape != values[i - 1].shape:          # a line of another shape: no point to compare
            detail = text("shape_result", lang, sa=fmt_shape(values[i].shape[1:]), sb=fmt_shape(start.shape))
            diag = None
        else:
            ce = counterexample(nodes[i], start, compare(values[i], values[i - 1], mask), lang)
            detail = ce["message"] if ce else ""
            diag = diagnose(nodes[i], values[i], nodes[i - 1], values[i - 1], mask, table, start.env)
        later, carried, back = _later_lines(values, start, i)
        feedback: tuple[str, ...] = (text("derivation_step", lang, line=i + 1, prev=i, detail=detail),)
        feedback += (text("derivation_diagnosis", lang, prev=i, detail=diag.message(lang)),) if diag else ()
        if later:
            feedback += (text("derivation_later_steps", lang, lines=", ".join(map(str, later))),)
        if carried:
            feedback += (text("derivation_carried", lang, lines=", ".join(map(str, carried)), line=i + 1),)
        if back:
            feedback += (text("derivation_back", lang, lines=", ".join(map(str, back))),)
        return Outcome("partial" if fraction else "incorrect", fraction, feedback, latex,
                       {"first_wrong_line": i + 1, "wrong_lines": sorted([i + 1] + later + back),
                        "carried_lines": carried, "back_lines": back,
                        **({"diagnosis": diag.kind} if diag else {})})
    last = nodes[-1]
    reached = _eq(values[-1], target.values, target.mask)
    outer = part.spec.get("last_outer")
    form_ok = not outer or outer_undone(Liveness(last, start.env, all_shapes[-1], start.mask), outer) == []
    shown, misplaced = steps_shown(part, nodes, all_shapes, start) if part.spec.get("steps") else ([], [])
    missing = _steps_feedback(part, shown, misplaced, lang)
    step_details = {"steps_shown": shown} if shown else {}
    if missing:
        step_details["steps_missing"] = [k + 1 for k, line in enumerate(shown) if line is None]
    fraction = _steps_fraction(part, shown)
    if not reached or not form_ok:
        return Outcome("partial", 0.5 * fraction, (text("derivation_end", lang, target=part.reference.answer),)
                       + missing, latex, {"first_wrong_line": None, **step_details})
    if missing:
        return Outcome("partial", fraction, missing, latex, step_details)
    return Outcome("correct", 1.0, (text("derivation_ok", lang),), latex, step_details)


# -- the answer type ------------------------------------------------------------------------------

class DerivationType(AnswerType):
    """A chain of expressions from the part's ``start`` to the reference, each equal to the one before."""

    name, order = "derivation", 50
    reads_as_formula = True
    empty_answer = "[]"
    input_widget = "steps"       # nngrade serve: a text area, one step a line
    answer_list = True

    def part_keys(self) -> dict:
        from grader.bank import schema as s
        Bool, Enum, Key, ListOf, Record, Str = s.Bool, s.Enum, s.Key, s.ListOf, s.Record, s.Str
        step = Record("a required step", {
            "form": Key(Str(), "a formula one of the lines must equal, the named functions held as written", True),
            "name": Key(s.BILINGUAL, "how the feedback names the step when it is missing (default: the form)"),
            "match": Key(Enum("value", "terms"), "value (default): the whole line; terms: the top-level sum, "
                                                 "term by term (σ − σ² is not σ(1 − σ))"),
            "as_written": Key(s.NAMES, "functions held as written (default: " + ", ".join(AS_WRITTEN) + ")"),
        })
        return {**s.FORMULA_TABLE,
                "start": Key(Str(), "the expression the derivation starts from", True),
                "last_outer": Key(Str(), "the last line must be this function of an expression"),
                "steps": Key(ListOf(step, nonempty=True), "intermediate forms the derivation must show"),
                "steps_in_order": Key(Bool(), "the required steps must appear in the listed order"),
                "steps_credit": Key(s.UNIT_CREDIT, "credit of a valid derivation showing none of the steps "
                                                 "(default 0.5; each step shown earns its share of the rest)")}

    def check(self, part: Part, answer, ctx: Context) -> Outcome:
        return check_derivation(part, answer, ctx.lang, ctx.reference)

    def validate_reference(self, part: Part) -> list[tuple[str, str]]:
        if not part.spec.get("start"):
            return [("start", "a derivation part needs a start expression")]
        start = compile_reference(part, part.spec["start"], [])
        compile_reference(part, part.reference.answer, [])
        return self._validate_steps(part, start)

    def _validate_steps(self, part: Part, start) -> list[tuple[str, str]]:
        """Each required step is readable, equal to the start (so a valid derivation can pass through it),
        and not already shown by the start line itself."""
        problems: list[tuple[str, str]] = []
        for k, step in enumerate(part.spec.get("steps") or []):
            where = f"steps[{k}]"
            try:
                node = parse_formula(step["form"], start.table)
                shapes = infer_shapes(node, start.table)
            except (FormulaInvalid, ShapeMismatch) as exc:
                problems.append((where, f"the form {step['form']!r} cannot be read ({exc.key})"))
                continue
            if not _eq(evaluate(node, start.env, shapes), start.values, start.mask):
                problems.append((where, f"the form {step['form']!r} is not equal to the start: "
                                        "no valid derivation can pass through it"))
                continue
            unknown = sorted(set(step.get("as_written") or ()) - set(BUILTINS) - set(start.table.functions))
            if unknown:
                problems.append((where, f"as_written names no function of the part: {', '.join(unknown)}"))
                continue
            held = _held(step.get("as_written", AS_WRITTEN))
            first = _written(start.node, infer_shapes(start.node, start.table), start.env, held)
            form = _written(node, shapes, start.env, held)
            if _matches(first, form, step.get("match", "value"), start.mask):
                problems.append((where, f"the start already shows {step['form']!r}: the step requires nothing"))
        return problems

    def reference_answers(self, part: Part) -> list:
        return []          # the reference is the target, not a derivation


ANSWER_TYPE = DerivationType()
