"""A student's quiz kit: the handout page, an answers.yaml template and a solution.py stub.

Nothing from solutions/ goes into a kit unless ``key=True`` (the instructor's copy).
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import yaml

from .bank import Bank
from .check import resolve
from .messages import LANGS, pick, text
from .quiz import Assigned, Quiz, assignment
from .report import render_handout

FORMAT_HINT = {kind: {lang: text(f"hint_{kind}", lang) for lang in LANGS}      # from the catalog
               for kind in ("formula", "numeric", "matrix", "choice", "choices", "derivation", "text")}


def write_kit(bank: Bank, quiz: Quiz, student: str, out: Path, lang: str | None = None, key: bool = False,
              templates: str | None = None) -> list[Path]:
    """Write handout.html, answers.yaml and solution.py for ``student`` into ``out``."""
    lang = lang or quiz.lang
    out.mkdir(parents=True, exist_ok=True)
    assigned = assignment(quiz, bank, student)
    answers = key_answers(assigned, lang) if key else {}
    files = {
        "handout.html": render_handout(quiz, student, assigned, lang, key, answers, templates),
        "answers.yaml": answers_template(assigned, lang),
    }
    stub = solution_stub(assigned, lang)
    if stub:
        files["solution.py"] = stub
    written = []
    for name, text in files.items():
        (out / name).write_text(text, encoding="utf-8")
        written.append(out / name)
    return written


def answers_template(assigned: list[Assigned], lang: str) -> str:
    lines = ["# " + text("kit_answers_header", lang)]
    for item in assigned:
        parts = [p for p in item.parts if p.type != "code"]
        if not parts:
            continue
        lines.append(f"{item.question.id}:")
        for part in parts:
            kind = "choices" if part.type == "choice" and part.spec.get("multiple") else part.type
            hint = FORMAT_HINT[kind][lang]
            if part.type == "choice":
                hint += f" ({', '.join(part.spec['option_ids'])})"
            empty = "[]" if part.type == "derivation" else '""'
            lines.append(f"  {part.id}: {empty}    # {hint}")
    return "\n".join(lines) + "\n"


def solution_stub(assigned: list[Assigned], lang: str) -> str:
    functions = [fn for item in assigned for p in item.parts if p.type == "code" for fn in p.spec.get("functions", [])]
    if not functions:
        return ""
    out = [f'"""{text("kit_solution_doc", lang)}"""', "import numpy as np", ""]
    for fn in functions:
        doc = fn.get("doc", {}).get(lang) or fn.get("doc", {}).get("en", "")
        out += ["", f"def {fn['signature']}:", f'    """{doc}"""', "    raise NotImplementedError", ""]
    return "\n".join(out)


def key_answers(assigned: list[Assigned], lang: str = "en") -> dict[str, str]:
    """The instructor's key: each part's reference as text."""
    out = {}
    for item in assigned:
        for part in item.parts:
            ref = resolve(part.reference.answer, item.params)
            if part.type == "code":
                text = "reference: " + ", ".join(part.reference.functions)
            elif part.type == "text":
                text = "; ".join(i["idea"]["en"] for i in part.reference.rubric)
            elif isinstance(ref, (list, tuple, np.ndarray)) and part.type != "formula":
                text = yaml.safe_dump(np.asarray(ref).tolist() if part.type == "matrix" else list(ref),
                                      default_flow_style=True).strip()
            else:
                text = str(ref[0] if isinstance(ref, list) else ref)
            out[f"{item.question.id}/{part.id}"] = text
    return out
