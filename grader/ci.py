"""Grading one repository in CI: GitHub Classroom results, JUnit XML, a step summary, a workflow file.

The student repository holds one submission at its root (answers.yaml,
solution.py). Nothing private ever runs there: the student's workflow (see
``workflow()``) runs only the public self-check kit, and official grading runs
centrally (``nngrade classroom grade``, grader/classroom.py). The functions
below serve ``grade --single`` wherever the instructor runs it.
"""
from __future__ import annotations

import base64
import json
import time
import xml.etree.ElementTree as ET
from pathlib import Path

from .bank import Bank
from .grading import grade_items, student_problems
from .quiz import Quiz, assignment
from .escaping import markdown_text, xml_string
from .submission import load_submission
from .messages import text
from .summary import grader_errors, grader_fault_problem, part_cause, student_result


def grade_single(bank: Bank, quiz: Quiz, folder: Path, student: str, lang: str | None = None) -> dict:
    """One submission graded as in a class run, without a gradebook; ``seconds`` per part is recorded."""
    lang = lang or quiz.lang
    start = time.perf_counter()
    sub = load_submission(folder, student, lang)      # links (solution.py -> ../.nngrade/...) are refused
    try:
        assigned = assignment(quiz, bank, student)
        rows = grade_items(assigned, sub, lang)       # a fault in one part is that part's error
        result = student_result(student, rows, {}, student_problems(sub, assigned))
    except Exception as exc:  # noqa: BLE001 - a grader fault: reported in the result, never a traceback
        cause = f"{type(exc).__name__}: {str(exc)[:500]}"
        result = student_result(student, [], {}, sub.problems + [{**grader_fault_problem(cause),
                                                                  "message": text("student_failed", lang, detail=cause)}])
    result["seconds"] = time.perf_counter() - start
    return result


def _parts(result: dict):
    for q in result["questions"]:
        for p in q["parts"]:
            yield f"{q['question']}/{p['part']}", p


def grading_broke(result: dict) -> bool:
    """True when the grader itself failed (a part in verdict ``error``, or the whole submission),
    never when the student's answer was wrong."""
    return bool(grader_errors([result]))


def _submission_faults(result: dict) -> list[dict]:
    """Grader faults that belong to no single part (the grader could not grade the submission at all)."""
    return [e for e in grader_errors([result]) if e["part"] == "*"]


def junit_xml(result: dict, quiz_id: str) -> str:
    """One test case per part: a wrong answer is a <failure>, a grader fault an <error> (counted in
    ``errors=``). JUnit has no points: they are in the name. Any text is made XML 1.0-safe."""
    parts = list(_parts(result))
    faults = _submission_faults(result)
    failures = sum(1 for _, p in parts if p["verdict"] not in ("correct", "error"))
    errors = sum(1 for _, p in parts if p["verdict"] == "error") + len(faults)
    tests = str(len(parts) + len(faults))
    suites = ET.Element("testsuites", name=quiz_id, tests=tests, failures=str(failures), errors=str(errors))
    suite = ET.SubElement(suites, "testsuite", name=f"{quiz_id}:{result['student']}", tests=tests,
                          failures=str(failures), errors=str(errors), time=f"{result.get('seconds', 0):.3f}")
    for address, p in parts:
        case = ET.SubElement(suite, "testcase", name=f"{address} ({p['score']:g}/{p['max_score']:g})",
                             classname=address.split("/")[0], time="0")
        if p["verdict"] == "error":
            ET.SubElement(case, "error", message=f"grader error: {part_cause(p)}", type="grader").text = p["feedback"]
        elif p["verdict"] != "correct":
            ET.SubElement(case, "failure", message=f"{p['verdict']}: {p['score']:g}/{p['max_score']:g}").text = p["feedback"]
    for fault in faults:
        case = ET.SubElement(suite, "testcase", name="submission", classname="submission", time="0")
        ET.SubElement(case, "error", message=f"grader error: {fault['cause']}", type="grader").text = fault["cause"]
    return xml_string(suites)


def classroom_result(result: dict) -> dict:
    """The GitHub Classroom grader result (version 1): a grader fault is status "error", never "fail"."""
    tests = []
    for address, p in _parts(result):
        status = "pass" if p["verdict"] == "correct" else "error" if p["verdict"] == "error" else "fail"
        message = p["feedback"] if status != "error" else f"grader error: {part_cause(p)}\n{p['feedback']}"
        tests.append({"name": address, "status": status, "score": p["score"], "message": message[:1000],
                      "duration": 0})
    for fault in _submission_faults(result):
        tests.append({"name": "submission", "status": "error", "score": 0, "message": f"grader error: {fault['cause']}"[:1000],
                      "duration": 0})
    status = "error" if grading_broke(result) else "pass" if result["score"] >= result["max_score"] else "fail"
    return {"version": 1, "status": status, "max_score": result["max_score"], "tests": tests}


def classroom_base64(result: dict) -> str:
    return base64.b64encode(json.dumps(classroom_result(result)).encode()).decode()


def notice(result: dict) -> str:
    """The annotation the Classroom reporter posts, as a workflow command."""
    points = json.dumps({"totalPoints": round(result["score"], 4), "maxPoints": result["max_score"]})
    return f"::notice title=Autograding report::{points}"


def step_summary(result: dict, quiz: Quiz, lang: str) -> str:
    """Markdown for $GITHUB_STEP_SUMMARY; student text is one escaped line per cell (no links or markup)."""
    title = quiz.title.get(lang) or quiz.title["en"]
    lines = [f"## {markdown_text(title)}: {result['score']:g} / {result['max_score']:g}", ""]
    errors = grader_errors([result])
    if errors:
        lines += [f"> **Grader error**: {len(errors)} part(s) were not graded because the grader failed, not because "
                  f"of the answers (first: {markdown_text(errors[0]['part'])}: {markdown_text(errors[0]['cause'])[:300]}).",
                  ""]
    lines += ["| part | verdict | score | feedback |", "|---|---|---|---|"]
    for address, p in _parts(result):
        first = p["feedback"].splitlines()[0] if p["feedback"] else ""
        verdict = "grader error" if p["verdict"] == "error" else p["verdict"]
        lines.append(f"| {markdown_text(address)} | {verdict} | {p['score']:g}/{p['max_score']:g} | "
                     f"{markdown_text(first[:160])} |")
    for problem in result["problems"]:
        lines.append(f"\n> **{markdown_text(problem['file'] or 'submission')}**: {markdown_text(problem['message'])}")
    return "\n".join(lines) + "\n"


def workflow(quiz_rel: str, install: str = "nngrade") -> str:
    """The student repository's workflow: the public self-check kit only, no secret, nothing private fetched.

    ``install`` is what pip installs on the student's runner (a package name, a wheel URL or a
    ``git+https://`` URL of the public grader); it never holds a bank.
    """
    if any(c in install for c in "\r\n\"'`$\\"):
        raise ValueError(f"--install {install!r}: give a plain package name, wheel URL or git URL")
    return f"""# nngrade self-check. Written by `nngrade ci init` for the quiz {quiz_rel}.
#
# This workflow runs ONLY the public self-check kit committed in this repository
# (answers.yaml, solution.py and selfcheck/, written by `nngrade quiz bundle`):
# the visible tests, with expected outputs computed in advance. It uses no secret
# and fetches nothing private, so the reference solutions never reach this
# repository or its runner.
#
# It is quick feedback, not a grade: anyone who can push here can edit this file.
# Official grading is central: the instructor runs `nngrade classroom grade`,
# which fetches the last commit before the deadline, grades it with the roster id
# as the variant seed, and may post the result back as a commit status named
# "nngrade/<quiz id>".
name: nngrade self-check
on: [push, workflow_dispatch]
permissions:
  contents: read
jobs:
  selfcheck:
    runs-on: ubuntu-latest
    timeout-minutes: 10
    steps:
      - uses: actions/checkout@v4
        with:
          persist-credentials: false
      - uses: actions/setup-python@v5
        with:
          python-version: "3.11"
      - name: Install nngrade (the public grader; no questions or solutions)
        run: pip install "{install}"
      - name: Self-check (public tests only; not your grade)
        run: nngrade selfcheck .
"""
