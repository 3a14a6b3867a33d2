"""Checking a formula answer against the reference: parse, shapes, values, form, misconceptions."""
from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field

import numpy as np

from grader.checks import cache as answer_cache
from grader.checks.base import AnswerType, Context, describe_invalid
from grader.formula.canonical import canonical
from grader.formula.compare import Target, compare, fmt, same_up_to_factor, scale_of, valid_mask
from grader.formula.evaluate import Env, ShapeMismatch, evaluate, fmt_shape, infer_shapes, sample_env
from grader.formula.live import Liveness, asked_symbols, symbols_used
from grader.formula.nodes import Node
from grader.formula.render import to_latex
from grader.formula.resolve import parse_formula
from grader.formula.symbols import SymbolTable
from grader.formula.syntax import FormulaInvalid, caret
from grader.messages import pick, text
from grader.model import Part
from grader.outcome import Outcome
from grader.variants import stable_seed

N_POINTS = 40


@dataclass
class Compiled:
    """A part's reference, evaluated once: the points, its values and its misconceptions'."""

    table: SymbolTable
    node: Node
    shape: tuple[int, int]
    env: Env
    values: np.ndarray
    mask: np.ndarray
    canonical: tuple = ()
    misconceptions: list[tuple[dict, np.ndarray]] = field(default_factory=list)
    scale: float | None = None                      # compare()'s scale of ``values``, computed once
    misconception_scales: list[float] = field(default_factory=list)
    target: Target | None = None                    # compare(·, values, mask, scale), prepared once
    misconception_targets: list[Target] = field(default_factory=list)
    negated: Target | None = None                   # the same for −values (the sign check), made when first needed
    form_ok: bool | None = None                     # the reference passes the part's form rules (see _right_value)

    def compare(self, got: np.ndarray):
        """``compare(got, values, mask, scale)``."""
        if self.target is None:
            self.target = Target(self.values, self.mask, self.scale)
        return self.target.compare(got)

    def equals_negated(self, got: np.ndarray) -> bool:
        """``compare(got, -values, mask, scale).equal`` (|−ref| has ref's scale)."""
        if self.negated is None:
            self.negated = Target(-self.values, self.mask, self.scale)
        return self.negated.equal_to(got)


def points(part: Part) -> Env:
    """The part's sample points (the same for every check), with defined symbols computed."""
    cache = part.cache
    if "env" not in cache:
        # defined symbols (ŷ = σ(z)) are computed from their definitions, in dependency order
        cache["env"] = sample_env(part.table, N_POINTS, stable_seed("points", part.address))
    return cache["env"]


def compile_reference(part: Part, answer: str, misconceptions: list[dict] | None = None) -> Compiled:
    """Parse and evaluate a (trusted) reference formula; cached per part and text."""
    key = ("ref", answer, misconceptions is None)
    if key in part.cache:
        return part.cache[key]
    table = part.table
    node = parse_formula(answer, table)
    shapes = infer_shapes(node, table)
    env = points(part)
    values = evaluate(node, env, shapes)
    mask = valid_mask(values)
    compiled = Compiled(table, node, shapes[id(node)], env, values, mask, canonical(node, shapes))
    for mis in misconceptions if misconceptions is not None else part.reference.misconceptions:
        mnode = parse_formula(mis["answer"], table)
        mshapes = infer_shapes(mnode, table)
        if mshapes[id(mnode)] == compiled.shape:
            mvalues = evaluate(mnode, env, mshapes)
            compiled.misconceptions.append((mis, mvalues))
            compiled.misconception_scales.append(scale_of(mvalues, mask))
            compiled.misconception_targets.append(Target(mvalues, mask, compiled.misconception_scales[-1]))
    compiled.scale = scale_of(values, mask)
    compiled.target = Target(values, mask, compiled.scale)
    part.cache[key] = compiled
    return compiled


def invalid(exc: FormulaInvalid, answer: str, lang: str) -> Outcome:
    """The outcome for unreadable text: a message and a caret under the place."""
    lines = [text(exc.key, lang, **_positioned(exc))]
    pointer = caret(answer, exc.pos)
    details = {"error": exc.key}
    if pointer:
        details["caret"] = pointer
    return Outcome("invalid", 0.0, tuple(lines), None, details)


def _positioned(exc: FormulaInvalid) -> dict:
    params = dict(exc.params)
    if exc.pos is not None:
        params.setdefault("pos", exc.pos + 1)
    return params


def check_formula(part: Part, answer, lang: str, reference: str | None = None) -> Outcome:
    """Grade formula text ``answer`` for ``part`` (reference text from the solution unless given)."""
    key = answer_cache.text_key(reference if reference is not None else part.reference.answer, answer, lang)
    hit = answer_cache.get(part, key)
    return hit if hit is not None else answer_cache.put(part, key, _check_formula(part, answer, lang, reference))


def _check_formula(part: Part, answer, lang: str, reference: str | None = None) -> Outcome:
    if not isinstance(answer, str):
        return Outcome("invalid", 0.0, (text("wrong_answer_type", lang, expected="a formula (text)",
                                             got=type(answer).__name__),))
    refs = reference if reference is not None else part.reference.answer
    refs = [refs] if isinstance(refs, str) else list(refs)
    ref = compile_reference(part, refs[0])
    forbid = set(part.spec.get("forbid", ()))
    notes: list = []
    try:
        node = parse_formula(answer, ref.table, notes)
    except FormulaInvalid as exc:
        if exc.key == "not_allowed_function" and exc.params.get("name") in forbid:
            why = pick(part.spec.get("forbid_reason"), lang)
            msg = text("forbidden_function", lang, name=exc.params["name"], why=why).strip()
            return Outcome("incorrect", 0.0, (msg,), None, {"error": "forbidden"})
        return invalid(exc, answer, lang)
    if len(refs) > 1:                        # equally right forms of other shapes (f_t or diag(f_t))
        try:
            shape = infer_shapes(node, ref.table)[id(node)]
            ref = next((c for c in (compile_reference(part, r) for r in refs) if c.shape == shape), ref)
        except ShapeMismatch:
            pass
    outcome = judge(part, node, ref, lang)
    return _with_notes(outcome, notes, ref, lang) if notes else outcome


def _with_notes(outcome: Outcome, notes: list, ref: Compiled, lang: str) -> Outcome:
    """Say how the text was read where the reading is not the usual one (an answer written per entry)."""
    lines = list(outcome.feedback)
    details = dict(outcome.details)
    for kind, index in notes:
        if kind == "entrywise":
            lines.append(text("read_entrywise", lang, index=index))
            details["read"] = "entrywise"
            if details.get("error") == "shape" and ref.shape == (1, 1):
                lines.append(text("entrywise_scalar_hint", lang, index=index))
    return dataclasses.replace(outcome, feedback=tuple(lines), details=details)


def judge(part: Part, node: Node, ref: Compiled, lang: str) -> Outcome:
    """Shapes, then values, then form: the verdict for a parsed answer."""
    try:
        shapes = infer_shapes(node, ref.table)
    except ShapeMismatch as exc:
        lines: tuple[str, ...] = (text(exc.key, lang, **exc.params),)
        diag = _diagnose(part, node, None, ref)           # a missing transpose, not * or ⊙, when that is the fault
        if diag is not None:
            return Outcome("incorrect", 0.0, lines + (diag.message(lang),), to_latex(node, ref.table),
                           {"error": "shape", "diagnosis": diag.kind})
        if exc.params.get("implicit") and exc.params.get("sa") == exc.params.get("sb"):
            lines += (text("juxt_hint", lang),)
        return Outcome("incorrect", 0.0, lines, to_latex(node, ref.table), {"error": "shape"})
    shape = shapes[id(node)]
    latex = to_latex(node, ref.table, shapes)
    if shape != ref.shape:
        said = [text("shape_result", lang, sa=fmt_shape(shape), sb=fmt_shape(ref.shape))]
        details = {"error": "shape"}
        diag = _diagnose(part, node, None, ref)
        if diag is not None:
            said.append(diag.message(lang))
            details["diagnosis"] = diag.kind
        elif shape == ref.shape[::-1]:
            said.append(text("shape_transposed", lang))
        return Outcome("incorrect", 0.0, tuple(said), latex, details)
    # the canonical form keys the answer cache (the same answer in another order: one check); without the
    # cache only a right value needs it (exact or numeric), so a wrong one skips it
    form = canonical(node, shapes) if answer_cache.enabled() else None
    key = None if form is None else answer_cache.canonical_key(id(ref), form, lang)
    hit = answer_cache.get(part, key)
    if hit is not None:
        return dataclasses.replace(hit, interpreted=latex)
    values = evaluate(node, ref.env, shapes)
    result = ref.compare(values)
    if result.equal:
        exact = (canonical(node, shapes) if form is None else form) == ref.canonical
        return answer_cache.put(part, key, _right_value(part, node, shapes, ref, latex, lang, exact))
    return answer_cache.put(part, key, _wrong_value(node, ref, values, result, latex, lang, part))


def _explain(ref: Compiled, node: Node, right: bool):
    """SymPy's exact reason (grader/formula/explain.py), or None (off, over budget, or nothing short)."""
    from grader.formula.explain import explain
    return explain(ref.node, node, ref.table, right)


def _diagnose(part: Part, node: Node, values, ref: Compiled):
    """A verified named mistake (grader/formula/diagnose.py), the reference's edits cached per part."""
    from grader.formula.diagnose import diagnose, reference_candidates
    key = ("diagnose", id(ref))
    if key not in part.cache:           # once per reference: answers of another shape try pairs with them too
        part.cache[key] = reference_candidates(ref.node, ref.values, ref.table, ref.env)
    return diagnose(node, values, ref.node, ref.values, ref.mask, ref.table, ref.env, part.cache.get(key))


def _right_value(part: Part, node: Node, shapes: dict, ref: Compiled, latex: str, lang: str,
                 exact: bool) -> Outcome:
    valid = ref.target.valid if ref.target is not None else int(ref.mask.sum())     # counted once per reference
    details = {"method": "exact" if exact else "numeric", "points": valid}
    # the reference's own form, up to the order of terms and factors (exact): it uses, names and wraps the same
    # functions and symbols as the reference, so the form rules say what they say of the reference, which is
    # judged once; only other forms are judged themselves (the liveness analysis costs more than the check)
    form = None if exact and _reference_form_ok(part, ref, lang) else _form_verdict(part, node, shapes, ref, lang)
    if form is not None:
        verdict, credit, key, lines = form
        return Outcome(verdict, credit, lines, latex, {**details, "form": key})
    message = text("correct_exact", lang) if exact else text("correct_numeric", lang, n=details["points"])
    proof = None if exact else _explain(ref, node, True)     # SymPy, within its budget: a note, never the verdict
    if proof is not None:
        details["sympy"] = proof.kind
    return Outcome("correct", 1.0, (message,) + ((proof.message(lang),) if proof else ()), latex, details)


def _reference_form_ok(part: Part, ref: Compiled, lang: str) -> bool:
    if ref.form_ok is None:
        ref.form_ok = _form_verdict(part, ref.node, infer_shapes(ref.node, ref.table), ref, lang) is None
    return ref.form_ok


def _form_verdict(part: Part, node: Node, shapes: dict, ref: Compiled, lang: str):
    """(verdict, credit, form key, lines) when a form rule fails, judged on the live expression, else None.

    Dead sub-expressions (``+ 0*σ(x)``, ``σ(x) - σ(x)``, ``σ(x)/σ(x)``, see
    :mod:`grader.formula.live`) neither satisfy ``require`` nor break ``forbid``,
    and ``outer`` looks through them: ``σ(-x)*1 + 0`` is ``σ(-x)``, but
    ``σ(log((1-σ(x))/σ(x)))`` is not ``σ`` of an expression, since its inside uses σ to undo it.
    """
    spec = part.spec
    outer = spec.get("outer")
    forbid = set(spec.get("forbid", ()))
    require = set(spec.get("require", ()))
    symbol_rule = symbol_form(part, node, shapes, ref, require & set(ref.table.symbols), lang)
    if symbol_rule is not None:
        return symbol_rule
    require -= set(ref.table.symbols)
    written = node.functions()
    if not outer and not (written & forbid) and not require:
        return None
    live = Liveness(node, ref.env, shapes, ref.mask, keep=require, drop=forbid)
    form_credit = float(spec.get("form_credit", 0.5))
    if outer:
        undone = outer_undone(live, outer, forbid)
        if undone is None:
            return "partial", form_credit, "outer", (text("outer_form", lang, name=_display(outer)),)
        if undone:
            names = ", ".join(_display(m) for m in undone)
            said = text("outer_argument", lang, name=_display(outer), names=names)
            return "partial", form_credit, "outer-argument", (said,)
    forbidden = sorted(live.used(written & forbid))
    if forbidden:
        credit = float(spec.get("forbid_credit", 0.0))
        msg = text("used_forbidden", lang, names=", ".join(forbidden))
        reason = pick(spec.get("forbid_reason"), lang)
        return "partial" if credit else "incorrect", credit, "forbidden", (msg,) + ((reason,) if reason else ())
    missing = sorted(require - live.used(written & require))
    if missing:
        names = ", ".join(_display(m) for m in missing)
        key = "missing_required_dead" if set(missing) & written else "missing_required"
        return "partial", form_credit, "missing-required", (text(key, lang, names=names),)
    return None


def symbol_form(part: Part, node: Node, shapes: dict, ref: Compiled, require: set, lang: str):
    """Form rules on symbols: the answer may not name the defined quantity the part asks for
    (δ^{(l)} when asked for δ^{(l)}), and must use live each symbol ``require`` lists
    ("in terms of δ"), even where writing it out has the same value."""
    written = node.symbols()
    key = ("asked", ref.canonical)
    if key not in part.cache:
        part.cache[key] = asked_symbols(ref.table, ref.env, ref.node, ref.values, ref.mask)
    asked = symbols_used(node, ref.env, shapes, ref.mask, part.cache[key] & written)
    if asked:
        names = ", ".join(sorted(_symbol_display(ref.table, n) for n in asked))
        return "incorrect", 0.0, "asked-quantity", (text("uses_asked_quantity", lang, names=names),)
    missing = sorted(require - symbols_used(node, ref.env, shapes, ref.mask, require & written))
    if missing:
        names = ", ".join(_symbol_display(ref.table, n) for n in missing)
        credit = float(part.spec.get("form_credit", 0.5))
        return "partial", credit, "missing-required", (text("missing_required_symbol", lang, names=names),)
    return None


def _symbol_display(table: SymbolTable, name: str) -> str:
    spec = table.symbols.get(name)
    return spec.latex if spec is not None and spec.latex else name


def outer_undone(live: Liveness, outer: str, forbid=frozenset()) -> list[str] | None:
    """None when the live answer is not ``outer(…)``; else the functions its argument
    uses live that may not be there (``outer`` itself, which would undo it, or a forbidden one)."""
    core = live.core()
    if not (core.op == "call" and core.value == outer):
        return None
    inside = set().union(*(a.functions() for a in core.args)) & ({outer} | set(forbid))
    return sorted(set().union(*(live.used(inside, a) for a in core.args)))


def _display(name: str) -> str:
    return {"sigma": "σ", "tanh": "tanh"}.get(name, name)


def _wrong_value(node: Node, ref: Compiled, values, result, latex: str, lang: str, part: Part | None = None) -> Outcome:
    lines: list[str] = []
    details: dict = {}
    for (mis, _), target in zip(ref.misconceptions, ref.misconception_targets):
        if target.equal_to(values):
            lines.append(pick(mis["feedback"], lang))
            details["misconception"] = mis.get("id", mis["answer"])
            break
    else:
        diag = _diagnose(part, node, values, ref) if part is not None else None
        if diag is not None:
            lines.append(diag.message(lang))
            details["diagnosis"] = diag.kind
        elif ref.equals_negated(values):
            lines.append(text("sign_error", lang))
            details["diagnosis"] = "sign"
        else:
            factor = same_up_to_factor(values, ref.values, ref.mask)
            if factor is not None:
                lines.append(text("constant_factor", lang, factor=fmt(factor)))
                details["diagnosis"] = "factor"
    if not lines:
        lines.append(text("incorrect", lang))
    why = _explain(ref, node, False) if details.get("diagnosis") not in ("sign", "factor") else None
    if why is not None:
        lines.append(why.message(lang))
        details["sympy"] = why.kind
    counter = counterexample(node, ref, result, lang)
    if counter:
        lines.append(counter["message"])
        details["counterexample"] = {k: v for k, v in counter.items() if k != "message"}
    return Outcome("incorrect", 0.0, tuple(lines), latex, details)


def counterexample(node: Node, ref: Compiled, result, lang: str) -> dict | None:
    """A point where the answer differs: the symbols' values there, expected and got."""
    if result.sample is None:
        return None
    i = result.sample
    names = sorted(ref.node.symbols() | node.symbols())
    point = {}
    for name in names:
        if ref.table.symbols[name].is_scalar:
            point[name] = float(ref.env.values[name][i, 0, 0])
    point_text = ", ".join(f"{k} = {fmt(v)}" for k, v in point.items()) or "a random point"
    key = "student_undefined" if result.undefined else "counterexample"
    if ref.shape != (1, 1) and not result.undefined:
        entry = f"({result.entry[0] + 1}, {result.entry[1] + 1})"
        message = text("counterexample_entry", lang, entry=entry, expected=fmt(result.expected), got=fmt(result.got))
    else:
        message = text(key, lang, point=point_text, expected=fmt(result.expected), got=fmt(result.got))
    return {"message": message, "point": point, "expected": result.expected,
            "got": result.got if math.isfinite(result.got) else str(result.got),
            "entry": list(result.entry) if ref.shape != (1, 1) else None}


# -- the answer type ------------------------------------------------------------------------------

class FormulaType(AnswerType):
    """A formula typed in ASCII or LaTeX, compared with the reference by value at sample points."""

    name, order = "formula", 10
    self_test_kinds = ("accept", "reject", "invalid")
    reads_as_formula = True

    def part_keys(self) -> dict:
        from grader.bank.schema import BILINGUAL, FORMULA_TABLE, NAMES, UNIT_CREDIT, Key, OneOf, Str
        return {**FORMULA_TABLE,
                "require": Key(NAMES, "functions the answer must use (live)"),
                "forbid": Key(NAMES, "functions the answer must not use"),
                "forbid_reason": Key(OneOf((BILINGUAL, Str()), ((dict,), (str,))), "why a forbidden function is"),
                "forbid_credit": Key(UNIT_CREDIT, "credit of a right value using a forbidden function (default 0)"),
                "form_credit": Key(UNIT_CREDIT, "credit of a right value in the wrong form (default 0.5)"),
                "outer": Key(Str(), "the answer must be this function of an expression")}

    def check(self, part: Part, answer, ctx: Context) -> Outcome:
        return check_formula(part, answer, ctx.lang, ctx.reference)

    def validate_reference(self, part: Part) -> list[tuple[str, str]]:
        problems = []
        answers = part.reference.answer
        answers = [answers] if isinstance(answers, str) else list(answers)
        for alternative in answers[1:]:
            compile_reference(part, alternative, [])
        compiled = compile_reference(part, answers[0], [])
        if compiled.mask.sum() < len(compiled.mask) // 2:
            problems.append(("ANSWERS", "the reference is undefined at most sample points: check the symbols' domains"))
        for i, mis in enumerate(part.reference.misconceptions):
            if not isinstance(mis, dict) or "answer" not in mis or not isinstance(mis.get("feedback"), dict):
                problems.append((f"MISCONCEPTIONS[{i}]", "expected {id, answer, feedback: {en, zh}}"))
                continue
            try:
                mc = compile_reference(part, mis["answer"], [])
            except (FormulaInvalid, ShapeMismatch) as exc:
                problems.append((f"MISCONCEPTIONS[{i}]", describe_invalid(exc)))
                continue
            if mc.shape == compiled.shape and compare(mc.values, compiled.values, compiled.mask).equal:
                problems.append((f"MISCONCEPTIONS[{i}]",
                                 f"{mis['answer']!r} equals the reference on the sample points"))
        if len(part.reference.misconceptions) < 2:
            problems.append(("MISCONCEPTIONS", "expected at least two misconceptions per formula part"))
        if not np.isfinite(compiled.values[compiled.mask]).all():  # pragma: no cover - mask guarantees it
            problems.append(("ANSWERS", "non-finite reference values"))
        return problems

    def reference_answers(self, part: Part) -> list:
        refs = part.reference.answer
        return [] if refs is None else list(refs) if isinstance(refs, list) else [refs]

    def key_text(self, part: Part, ref, lang: str = "en") -> str:
        return str(ref[0] if isinstance(ref, list) else ref)

    # -- nngrade serve ----------------------------------------------------------------------------

    input_widget = "line"
    checked_at_once = True

    def preview(self, part: Part, answer: str, ctx: Context) -> dict:
        notes: list = []
        try:
            node = parse_formula(answer, part.table, notes)
        except FormulaInvalid as exc:
            return preview_invalid(exc, answer, ctx.lang)
        try:
            shapes = infer_shapes(node, part.table)
        except ShapeMismatch as exc:
            return preview_error(text(exc.key, ctx.lang, **exc.params), latex=to_latex(node, part.table))
        shape = shapes[id(node)]
        said = [] if shape == (1, 1) else [text("serve_preview_shape", ctx.lang, shape=fmt_shape(shape))]
        said += [text("read_entrywise", ctx.lang, index=index) for kind, index in notes if kind == "entrywise"]
        return preview_ok(to_latex(node, part.table, shapes), " ".join(said))

    def typed_names(self, part: Part) -> list[dict]:
        from grader.formula.render import symbol_latex
        table = part.table
        out = []
        for name, spec in sorted(table.symbols.items()):
            shape = getattr(spec, "shape", None)
            out.append({"name": name, "kind": "symbol", "latex": symbol_latex(name, table),
                        "shape": fmt_shape(tuple(shape)) if shape and tuple(shape) != (1, 1) else ""})
        for name in sorted(table.functions):
            out.append({"name": name + "(…)", "kind": "function", "latex": symbol_latex(name, table), "shape": ""})
        return out


# -- previews (nngrade serve): what the formula, numeric and matrix types show as a student types -------

def preview_ok(latex: str, note: str = "") -> dict:
    return {"state": "ok", "latex": latex, "message": note}


def preview_error(message: str, caret: str = "", latex: str | None = None) -> dict:
    out = {"state": "error", "message": message, "caret": caret}
    if latex:
        out["latex"] = latex
    return out


def preview_invalid(exc: FormulaInvalid, answer: str, lang: str) -> dict:
    """Unreadable text as grading reports it: the grader's own message and caret."""
    outcome = invalid(exc, answer, lang)
    return preview_error(" ".join(outcome.feedback), outcome.details.get("caret", ""))


ANSWER_TYPE = FormulaType()
