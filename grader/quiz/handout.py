"""A student's quiz kit: the handout page, an answers.yaml template and a solution.py stub.

Nothing from solutions/ goes into a kit unless ``key=True`` (the instructor's copy).
"""
from __future__ import annotations

from pathlib import Path

from grader.bank import Bank
from grader.checks import answer_type, resolve
from grader.messages import text
from grader.publish.pages import render_handout
from grader.quiz import Assigned, Quiz, assignment


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
    for name, content in files.items():
        (out / name).write_text(content, encoding="utf-8")
        written.append(out / name)
    return written


def answers_template(assigned: list[Assigned], lang: str) -> str:
    lines = ["# " + text("kit_answers_header", lang)]
    for item in assigned:
        parts = [p for p in item.parts if answer_type(p.type).in_answers_file]
        if not parts:
            continue
        lines.append(f"{item.question.id}:")
        for part in parts:
            kind = answer_type(part.type)
            lines.append(f"  {part.id}: {kind.empty_answer}    # {kind.hint(part, lang)}")
    return "\n".join(lines) + "\n"


def solution_stub(assigned: list[Assigned], lang: str) -> str:
    functions = [fn for item in assigned for p in item.parts for fn in answer_type(p.type).stub_functions(p)]
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
            out[f"{item.question.id}/{part.id}"] = answer_type(part.type).key_text(part, ref, lang)
    return out
