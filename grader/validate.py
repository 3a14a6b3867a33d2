"""Validating one question against its solution: every reference and misconception must be usable."""
from __future__ import annotations

import numpy as np

from .checks.formula import compile_reference
from .checks.numeric import read_matrix, read_number
from .checks.choice import read_choices
from .formula.compare import compare
from .formula.evaluate import ShapeMismatch
from .formula.syntax import FormulaInvalid
from .messages import text
from .model import Question

NEEDS_SELF_TESTS = {"formula": ("accept", "reject", "invalid"), "numeric": ("accept", "reject"),
                    "choice": ("accept", "reject"), "derivation": ("accept", "reject"),
                    "matrix": ("accept", "reject"), "text": ("accept",), "code": ("reject",)}


def validate_question(q: Question) -> list[tuple[str, str, str]]:
    """(file, key, message) for every problem of question ``q`` and its solution."""
    problems = []
    samples = [q.variant(np.random.default_rng(seed)) for seed in range(3)] if q.variant else [{}]
    for part in q.parts:
        key = f"parts[{part.id}]"
        if callable(part.reference.answer):
            problems += [(q.solution_path, f"ANSWERS[{part.id!r}]", m) for m in _check_variant(part, samples)]
            continue
        try:
            problems += [(q.solution_path, f"{k}[{part.id!r}]", m) for k, m in _check_part(part)]
        except (FormulaInvalid, ShapeMismatch) as exc:
            problems.append((q.solution_path, f"ANSWERS[{part.id!r}]", _describe(exc)))
        except Exception as exc:  # an author's reference the engine cannot use
            problems.append((q.solution_path, f"ANSWERS[{part.id!r}]", f"unusable: {type(exc).__name__}: {exc}"))
        for kind in NEEDS_SELF_TESTS.get(part.type, ()):
            if not part.reference.self_tests.get(kind):
                problems.append((q.solution_path, f"SELF_TESTS[{part.id!r}]", f"expected a non-empty {kind!r} list"))
        if part.type == "choice" and len(part.spec.get("options") or []) < 2:
            problems.append((q.path, f"{key}.options", "expected at least two options"))
        if part.type == "choice":
            for i, opt in enumerate(part.spec.get("options") or []):
                if not (isinstance(opt, dict) and opt.get("en") and opt.get("zh")):
                    problems.append((q.path, f"{key}.options[{i}]", "expected {en: ..., zh: ...}"))
    return problems


def _check_variant(part, samples: list[dict]) -> list[str]:
    """A per-student reference must give a usable value for every sample variant."""
    if part.type not in ("numeric", "matrix"):
        return [f"per-student references are for numeric and matrix parts, not {part.type}"]
    problems = []
    for params in samples:
        try:
            value = part.reference.answer(params)
            arr = np.asarray(value, dtype=float)
            if not np.isfinite(arr).all() or (part.type == "numeric" and arr.ndim != 0) or \
                    (part.type == "matrix" and arr.ndim != 2):
                problems.append(f"gives {value!r} for variant {params!r}")
        except Exception as exc:
            problems.append(f"fails for variant {params!r}: {type(exc).__name__}: {exc}")
    return problems


def _describe(exc) -> str:
    return "cannot be read: " + text(exc.key, "en", **{"pos": "?", **exc.params})


def _check_part(part) -> list[tuple[str, str]]:
    ref = part.reference
    if part.type == "code":
        return _check_code(part)
    if part.type == "text":
        ok = ref.rubric and all(i.get("en") and i.get("zh") and i.get("idea") for i in ref.rubric)
        return [] if ok else [("RUBRICS", "expected ideas with en and zh keywords and an idea text")]
    if ref.answer is None:
        return [("ANSWERS", "missing reference answer")]
    if part.type == "formula":
        return _check_formula(part)
    if part.type == "derivation":
        for k in ("start",):
            if not part.spec.get(k):
                return [("start", "a derivation part needs a start expression")]
        compile_reference(part, part.spec["start"], [])
        compile_reference(part, ref.answer, [])
        return []
    if part.type == "numeric":
        read_number(ref.answer)
    elif part.type == "matrix":
        read_matrix(ref.answer)
    elif part.type == "choice":
        chosen = read_choices(ref.answer)
        bad = [c for c in chosen if c not in part.spec["option_ids"]]
        if bad or not chosen:
            return [("ANSWERS", f"options {bad or chosen} are not among {part.spec['option_ids']}")]
        if len(chosen) > 1 and not part.spec.get("multiple"):
            return [("ANSWERS", "several right options, but the part is not 'multiple: true'")]
    return []


def _check_formula(part) -> list[tuple[str, str]]:
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
            problems.append((f"MISCONCEPTIONS[{i}]", _describe(exc)))
            continue
        if mc.shape == compiled.shape and compare(mc.values, compiled.values, compiled.mask).equal:
            problems.append((f"MISCONCEPTIONS[{i}]", f"{mis['answer']!r} equals the reference on the sample points"))
    if len(part.reference.misconceptions) < 2:
        problems.append(("MISCONCEPTIONS", "expected at least two misconceptions per formula part"))
    if not np.isfinite(compiled.values[compiled.mask]).all():  # pragma: no cover - mask guarantees it
        problems.append(("ANSWERS", "non-finite reference values"))
    return problems


def _check_code(part) -> list[tuple[str, str]]:
    problems = []
    declared = [f.get("name") for f in part.spec.get("functions") or [] if isinstance(f, dict)]
    if not declared:
        return [("functions", "a code part must list its functions (name, signature, doc)")]
    for name in declared:
        if name not in part.reference.functions:
            problems.append(("ANSWERS", f"no reference function {name}() in the solution"))
    if not part.reference.code_tests:
        problems.append(("CODE_TESTS", "expected a non-empty list of tests"))
    for i, test in enumerate(part.reference.code_tests):
        kind = test.get("kind", "values")
        if test.get("function") not in declared:
            problems.append((f"CODE_TESTS[{i}]", f"function {test.get('function')!r} is not among {declared}"))
        if kind in ("values", "stable", "gradient") and not callable(test.get("inputs")):
            problems.append((f"CODE_TESTS[{i}]", "expected inputs: a function of rng returning argument tuples"))
        if kind == "gradient" and test.get("loss") not in part.reference.functions:
            problems.append((f"CODE_TESTS[{i}]", "a gradient test needs loss: the name of a reference function"))
        if kind == "statistics" and not callable(test.get("check")):
            problems.append((f"CODE_TESTS[{i}]", "a statistics test needs check(value, args) -> None or message"))
        if kind not in ("values", "stable", "gradient", "statistics", "reproducible"):
            problems.append((f"CODE_TESTS[{i}]", f"unknown kind {kind!r}"))
    return problems
