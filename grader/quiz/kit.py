"""The student's self-check kit: public test vectors, and the local check that runs them.

``bundle()`` writes the handout kit plus ``selfcheck/``: the public question
files of the quiz (for reading formulas the same way the grader does) and, for
each visible code test, its inputs and the expected outputs computed from the
reference now. The kit's inputs are drawn in their own namespace ("kit"); graded
inputs are drawn afresh from a secret per run, so the published vectors are never
the graded ones and a table of them earns nothing. No reference code, hidden test, statistical check or
misconception goes in. ``selfcheck()`` runs the student's solution.py against
the vectors (in the sandbox) and reads answers.yaml with the grader's grammar.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import yaml

from grader.bank import Bank, _table
from grader.checks import answer_type
from grader.checks.code import compare_output
from grader.messages import text
from grader.quiz import Quiz, assignment
from grader.quiz.handout import write_kit
from grader.sandbox import Rng
from grader.variants import stable_seed

FOLDER = "selfcheck"


def bundle(bank: Bank, quiz: Quiz, student: str, out: Path, lang: str | None = None) -> list[Path]:
    files = write_kit(bank, quiz, student, out, lang)
    kit = out / FOLDER
    (kit / "questions").mkdir(parents=True, exist_ok=True)
    vectors, formula_parts = [], []
    for item in assignment(quiz, bank, student):
        shutil.copy(bank.root / item.question.path, kit / "questions" / f"{item.question.id}.yaml")
        for part in item.parts:
            kind = answer_type(part.type)
            vectors += kind.kit_vectors(part, kit_seed(quiz.id, student))     # tolerances: the type's own
            if kind.reads_as_formula:
                formula_parts.append({"question": item.question.id, "part": part.id, "type": part.type})
    (kit / "vectors.json").write_text(json.dumps({"quiz": quiz.id, "student": student, "tests": vectors}),
                                      encoding="utf-8")
    (kit / "parts.json").write_text(json.dumps(formula_parts, ensure_ascii=False, indent=1), encoding="utf-8")
    return files + [kit / "vectors.json", kit / "parts.json"]


def kit_seed(quiz_id: str, student: str) -> int:
    """The published vectors' seed (public: it gives nothing away, graded inputs come from elsewhere)."""
    return stable_seed("selfcheck-kit", quiz_id, student)


def selfcheck(folder: Path, lang: str = "en") -> list[dict]:
    """Rows (part, check, ok, message) for the public checks of the kit in ``folder``."""
    from grader.sandbox import Sandbox, SandboxError, decode_value
    kit = folder / FOLDER
    rows = []
    data = json.loads((kit / "vectors.json").read_text(encoding="utf-8"))
    rows += _check_answers(folder, kit, lang)
    if not data["tests"]:
        return rows
    source_path = folder / "solution.py"
    if not source_path.is_file():
        return rows + [{"part": t["part"], "check": t["name"][lang], "ok": False, "message": text("sc_no_source", lang)}
                       for t in data["tests"]]
    source = source_path.read_text(encoding="utf-8", errors="replace")
    calls, index = [], []
    for t in data["tests"]:
        for case in t["cases"]:
            calls.append({"fn": t["function"], "args": [decode_value(a) if not _is_rng(a) else Rng(a["seed"])
                                                        for a in case["args"]]})
            index.append((t, case))
    try:
        with Sandbox(own_machine=True) as box:      # the student's own code on their own machine
            run = box.run(source, calls)
    except SandboxError as exc:
        return rows + [{"part": "solution.py", "check": "sandbox", "ok": False, "message": str(exc)}]
    if run.isolation.get("level") == "unsafe":
        rows.append({"part": "solution.py", "check": "isolation", "ok": True,
                     "message": text("sc_unsafe", lang)})
    if not run.loaded:
        return rows + [{"part": "solution.py", "check": "load", "ok": False, "message": run.load_error or ""}]
    verdicts: dict[int, dict] = {}
    for (t, case), result in zip(index, run.calls):
        row = verdicts.setdefault(id(t), {"part": t["part"], "check": t["name"].get(lang) or t["name"]["en"],
                                          "ok": True, "message": text("code_test_passed", lang)})
        if not row["ok"]:
            continue
        if not result.ok:
            row.update(ok=False, message=result.error or text("sc_failed", lang))
            continue
        failure = compare_output(result.value, decode_value(case["expected"]), t["rtol"], t["atol"], lang)
        if failure is not None and t["kind"] == "stable" and failure["reason"] == "values":   # as in grading
            failure["message"] = text("code_unstable", lang, message=failure["message"])
        if failure is not None:
            row.update(ok=False, message=" ".join(filter(None, (failure["message"], failure.get("worst")))))
        elif t["kind"] == "stable" and result.warnings:  # advice, as in grading: warnings are never scored
            row["message"] = text("code_warnings_advice", lang, warnings="; ".join(result.warnings))
    return rows + list(verdicts.values())


def _is_rng(value) -> bool:
    return isinstance(value, dict) and value.get("t") == "rng"


def _check_answers(folder: Path, kit: Path, lang: str) -> list[dict]:
    """Formulas read with the grader's grammar and the question's public symbols (no right answers here)."""
    from grader.formula.evaluate import ShapeMismatch, infer_shapes
    from grader.formula.render import to_text
    from grader.formula.resolve import parse_formula
    from grader.formula.syntax import FormulaInvalid
    from grader.messages import text
    parts = json.loads((kit / "parts.json").read_text(encoding="utf-8"))
    try:
        answers = yaml.safe_load((folder / "answers.yaml").read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        return [{"part": "answers.yaml", "check": "readable", "ok": False, "message": str(exc)[:200]}]
    rows = []
    for p in parts:
        answer = (answers.get(p["question"]) or {}).get(p["part"]) if isinstance(answers, dict) else None
        if answer in (None, "", []):
            continue
        question = yaml.safe_load((kit / "questions" / f"{p['question']}.yaml").read_text(encoding="utf-8"))
        pdata = next(x for x in question["parts"] if x["id"] == p["part"])
        table = _table({**(question.get("symbols") or {}), **(pdata.get("symbols") or {})},
                       {**(question.get("functions") or {}), **(pdata.get("functions") or {})}, "", "", [])
        if table is None:                   # the kit's symbols are the bank's, checked by `nngrade bank check`
            continue
        lines = answer if isinstance(answer, list) else [answer]
        for line in lines:
            try:
                node = parse_formula(str(line), table)
                infer_shapes(node, table)
                rows.append({"part": f"{p['question']}/{p['part']}", "check": "readable", "ok": True,
                             "message": text("sc_read_as", lang, formula=to_text(node))})
            except (FormulaInvalid, ShapeMismatch) as exc:
                rows.append({"part": f"{p['question']}/{p['part']}", "check": "readable", "ok": False,
                             "message": text(exc.key, lang, **{"pos": "?", **exc.params})})
    return rows
