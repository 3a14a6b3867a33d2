"""The publish stage: every output is a pure formatter of the results model (grader/results/__init__.py).

    ClassResults → results.json, grades.csv, index.html + <student>/feedback.html (through report.py)
    StudentResult → results.json + feedback.html (``--single``), JUnit XML, the GitHub Classroom
                    result, the step summary, Gradescope's results.json
    ClassResults → Canvas / Moodle grade import CSVs

Nothing here grades, reads a submission or opens the gradebook: a class run (grader/results/class_run.py) and
``grade --single`` (grader/cli.py) hand over the model and where to write.
"""
from __future__ import annotations

import base64
import csv
import hashlib
import json
import multiprocessing
import os
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from markupsafe import Markup, escape

from grader.messages import text
from grader.publish.escaping import csv_row, markdown_text, visible, xml_string
from grader.results import ClassResults, PartResult, StudentResult


def atomic_write(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def score_cell(value: float) -> float:
    """A score as a CSV number (up to 4 decimals); numbers are never neutralised as formulas."""
    return round(float(value), 4)


# -- a class ---------------------------------------------------------------------------------------

def results_json(run: ClassResults) -> str:
    """results.json (the contract of grader/schemas/results.schema.json): no plot data or variant numbers."""
    return json.dumps(run.public().to_json(), ensure_ascii=False, indent=1)


def write_grades_csv(path: Path, students: list[StudentResult]) -> None:
    """grades.csv: one row per student; ids and headers neutralised for spreadsheets, scores as numbers."""
    columns = sorted({address for s in students for address, _ in s.parts()})
    tmp = path.with_suffix(".tmp")
    with tmp.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(csv_row(["student", "score", "max_score", "percent"] + columns))
        for s in students:
            scores = {a: "error" if p.is_grader_fault else score_cell(p.score)     # a grader fault is no zero
                      for a, p in s.parts()}
            # a student the grader failed has no total: a sum that counts our faults as zeros is no grade
            total = ["error", score_cell(s.max_score), "error"] if s.grader_errors() else \
                [score_cell(s.score), score_cell(s.max_score), round(s.percent, 1)]
            writer.writerow(csv_row([s.student] + total + [scores.get(c, "") for c in columns]))
    os.replace(tmp, path)


def templates_stamp(extra: str | None) -> str:
    """What the pages' look depends on besides the results: every template file in use."""
    from grader.publish.pages import template_dirs
    h = hashlib.sha256()
    for d in template_dirs(extra):
        for p in sorted(Path(d).glob("*.html")):
            h.update(p.name.encode())
            h.update(p.read_bytes())
    return h.hexdigest()


def page_key(student: StudentResult, lang: str, stamp: str) -> str:
    """A feedback page's key: an unchanged key means the page on disk is still right."""
    return hashlib.sha256((json.dumps(student.to_json(), sort_keys=True, ensure_ascii=False) + lang + stamp)
                          .encode()).hexdigest()


def publish_class(run: ClassResults, quiz, bank, out: Path, lang: str, templates: str | None = None,
                  jobs: int | None = None, page_keys: Mapping[str, str | None] | None = None) -> dict[str, str]:
    """results.json, grades.csv, index.html, and feedback.html where a student's page key changed.

    ``page_keys`` are the keys the pages on disk were written under (``{}``: write every page);
    returns the keys of the pages written now.
    """
    from grader.publish.pages import render_index
    from grader.submission import page_name
    page_keys = page_keys or {}
    for s in run.students:
        s.page = f"{page_name(s.student)}/feedback.html"
    atomic_write(out / "results.json", results_json(run))
    write_grades_csv(out / "grades.csv", run.students)
    stamp = templates_stamp(templates)
    todo = []
    for s in run.students:
        key = page_key(s, lang, stamp)
        page = out / page_name(s.student) / "feedback.html"
        if page_keys.get(s.student) != key or not page.exists():
            todo.append((s, key, page))
    _render_all(todo, quiz, bank, lang, templates, jobs)
    atomic_write(out / "index.html", render_index(run.students, run.summary(), quiz, lang, templates))
    return {s.student: key for s, key, _ in todo}


_RENDER: dict = {}


def _render_one(args) -> None:
    from grader.publish.pages import render_feedback
    s, page = args
    page.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(page, render_feedback(s, _RENDER["quiz"], _RENDER["bank"], _RENDER["lang"], _RENDER["templates"]))


def _render_all(todo, quiz, bank, lang, templates, jobs) -> None:
    """Write the feedback pages, in parallel when there are many.

    The bank holds functions loaded from files, so workers inherit it by fork instead of by pickle.
    """
    jobs = max(1, jobs or os.cpu_count() or 1)
    _RENDER.update(quiz=quiz, bank=bank, lang=lang, templates=templates)
    work = [(s, page) for s, _, page in todo]
    if jobs == 1 or len(todo) < 8:
        for args in work:
            _render_one(args)
    else:
        with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork")) as pool:
            list(pool.map(_render_one, work, chunksize=8))


# -- one submission (grade --single) ---------------------------------------------------------------

def publish_single(result: StudentResult, quiz, bank, out: Path, lang: str, templates: str | None = None,
                   junit: Path | None = None, classroom: Path | None = None,
                   env: Mapping[str, str] | None = None) -> None:
    """OUT/results.json and OUT/feedback.html; JUnit XML and the Classroom result where asked; and, in
    GitHub Actions ($GITHUB_OUTPUT, $GITHUB_STEP_SUMMARY), the encoded result and the step summary."""
    from grader.publish.pages import render_feedback
    env = os.environ if env is None else env
    out.mkdir(parents=True, exist_ok=True)
    atomic_write(out / "results.json", results_json(ClassResults(quiz.id, [result])))
    atomic_write(out / "feedback.html", render_feedback(result, quiz, bank, lang, templates))
    if junit:
        junit.parent.mkdir(parents=True, exist_ok=True)
        junit.write_text(junit_xml(result, quiz.id), encoding="utf-8")
    encoded = classroom_base64(result)
    if classroom:
        classroom.parent.mkdir(parents=True, exist_ok=True)
        classroom.write_text(json.dumps(classroom_result(result), ensure_ascii=False, indent=1), encoding="utf-8")
        classroom.with_suffix(".b64").write_text(encoded, encoding="ascii")
    if env.get("GITHUB_OUTPUT"):
        with open(env["GITHUB_OUTPUT"], "a", encoding="utf-8") as fh:
            fh.write(f"result={encoded}\n")
    if env.get("GITHUB_STEP_SUMMARY"):
        with open(env["GITHUB_STEP_SUMMARY"], "a", encoding="utf-8") as fh:
            fh.write(step_summary(result, quiz, lang))


def junit_xml(result: StudentResult, quiz_id: str) -> str:
    """One test case per part: a wrong answer is a <failure>, a grader fault an <error> (counted in
    ``errors=``). JUnit has no points: they are in the name. Any text is made XML 1.0-safe."""
    parts = list(result.parts())
    faults = result.submission_faults()
    failures = sum(1 for _, p in parts if p.verdict not in ("correct", "error"))
    errors = sum(1 for _, p in parts if p.is_grader_fault) + len(faults)
    tests = str(len(parts) + len(faults))
    suites = ET.Element("testsuites", name=quiz_id, tests=tests, failures=str(failures), errors=str(errors))
    suite = ET.SubElement(suites, "testsuite", name=f"{quiz_id}:{result.student}", tests=tests,
                          failures=str(failures), errors=str(errors), time=f"{result.seconds or 0:.3f}")
    for address, p in parts:
        case = ET.SubElement(suite, "testcase", name=f"{address} ({p.score:g}/{p.max_score:g})",
                             classname=address.split("/")[0], time="0")
        if p.is_grader_fault:
            ET.SubElement(case, "error", message=f"grader error: {p.cause}", type="grader").text = p.feedback
        elif p.verdict != "correct":
            ET.SubElement(case, "failure", message=f"{p.verdict}: {p.score:g}/{p.max_score:g}").text = p.feedback
    for fault in faults:
        case = ET.SubElement(suite, "testcase", name="submission", classname="submission", time="0")
        ET.SubElement(case, "error", message=f"grader error: {fault.cause}", type="grader").text = fault.cause
    return xml_string(suites)


def classroom_result(result: StudentResult) -> dict:
    """The GitHub Classroom grader result (version 1): a grader fault is status "error", never "fail"."""
    tests = []
    for address, p in result.parts():
        status = "pass" if p.verdict == "correct" else "error" if p.is_grader_fault else "fail"
        message = p.feedback if status != "error" else f"grader error: {p.cause}\n{p.feedback}"
        tests.append({"name": address, "status": status, "score": p.score, "message": message[:1000],
                      "duration": 0})
    for fault in result.submission_faults():
        tests.append({"name": "submission", "status": "error", "score": 0,
                      "message": f"grader error: {fault.cause}"[:1000], "duration": 0})
    status = "error" if result.grading_broke else "pass" if result.score >= result.max_score else "fail"
    return {"version": 1, "status": status, "max_score": result.max_score, "tests": tests}


def classroom_base64(result: StudentResult) -> str:
    return base64.b64encode(json.dumps(classroom_result(result)).encode()).decode()


def notice(result: StudentResult) -> str:
    """The annotation the Classroom reporter posts, as a workflow command."""
    points = json.dumps({"totalPoints": round(result.score, 4), "maxPoints": result.max_score})
    return f"::notice title=Autograding report::{points}"


def step_summary(result: StudentResult, quiz, lang: str) -> str:
    """Markdown for $GITHUB_STEP_SUMMARY; student text is one escaped line per cell (no links or markup)."""
    title = quiz.title.get(lang) or quiz.title["en"]
    lines = [f"## {markdown_text(title)}: {result.score:g} / {result.max_score:g}", ""]
    errors = result.grader_errors()
    if errors:
        lines += ["> " + text("summary_grader_error", lang, n=len(errors), part=markdown_text(errors[0].part),
                              cause=markdown_text(errors[0].cause)[:300]), ""]
    lines += [text("summary_head", lang), "|---|---|---|---|"]
    for address, p in result.parts():
        verdict = text("summary_fault_verdict", lang) if p.is_grader_fault else text(f"verdict_{p.verdict}", lang)
        lines.append(f"| {markdown_text(address)} | {verdict} | {p.score:g}/{p.max_score:g} | "
                     f"{markdown_text(p.first_line[:160])} |")
    for problem in result.problems:
        lines.append(f"\n> **{markdown_text(problem.file or text('summary_submission', lang))}**: "
                     f"{markdown_text(problem.message_in(lang))}")
    return "\n".join(lines) + "\n"


# -- Gradescope --------------------------------------------------------------------------------

def _part_html(p: PartResult, lang: str = "en") -> str:
    from grader.publish.pages import to_mathml
    html = ""
    if p.is_grader_fault:
        html = str(Markup("<p><strong>{}</strong></p>").format(text("gs_part_fault", lang, cause=visible(p.cause))))
    html += str(Markup("<p><strong>{}</strong> ({}/{})</p>").format(text(f"verdict_{p.verdict}", lang),
                                                                  f"{p.score:g}", f"{p.max_score:g}"))
    if p.interpreted:
        html += str(Markup("<p>{} ").format(text("gs_read_as", lang))) + to_mathml(p.interpreted) + "</p>"
    if p.feedback:
        html += "<ul>" + "".join(str(Markup("<li>{}</li>").format(visible(line)))
                                 for line in p.feedback.splitlines()) + "</ul>"
    return html


def to_gradescope(result: StudentResult, quiz) -> dict:
    """Gradescope's results.json: one test per part; a code part's hidden tests become a test shown
    after publishing; a grader fault is one failed test that says so."""
    tests = []
    lang = getattr(quiz, "lang", None) or "en"
    for name, p in result.parts():
        code_tests = p.code_tests
        hidden = [t for t in code_tests if not t.visible]
        if p.is_grader_fault:      # a grader fault: one failed test that says so, never split
            tests.append(_test(f"{name} ({text('gs_fault_test', lang)})", 0.0, p.max_score, _part_html(p, lang),
                               "visible"))
        elif hidden:
            scale = p.max_score / (sum(t.max_points for t in code_tests) or 1)
            hid_max = sum(t.max_points for t in hidden) * scale
            hid_score = sum(t.points for t in hidden) * scale
            tests.append(_test(name, p.score - hid_score, p.max_score - hid_max, _part_html(p, lang), "visible"))
            tests.append(_test(f"{name} ({text('gs_hidden_tests', lang)})", hid_score, hid_max,
                               str(escape(", ".join(f"{t.name}: {text('gs_passed' if t.passed else 'gs_failed', lang)}"
                                                    for t in hidden))), "after_published"))
        else:
            tests.append(_test(name, p.score, p.max_score, _part_html(p, lang), "visible"))
    problems = "".join(str(Markup("<li><code>{}</code>: {}</li>").format(
        visible(x.file or text("summary_submission", lang)), visible(x.message_in(lang))))
        for x in result.problems)
    output = str(Markup("<p>{}: {} / {}</p>").format(quiz.title.get(lang) or quiz.title.get("en"), f"{result.score:g}",
                                                     f"{result.max_score:g}"))
    errors = result.grader_errors()
    if errors:     # loud, first line: these points are missing because of the grader, not the student
        output = str(Markup("<p><strong>{}</strong></p>").format(text(
            "gs_grader_error", lang, n=len(errors), part=errors[0].part, cause=visible(errors[0].cause)))) + output
    if problems:
        output += "<ul>" + problems + "</ul>"
    return {"score": round(result.score, 4), "output": output, "output_format": "html", "visibility": "visible",
            "stdout_visibility": "hidden", "tests": tests}


def _test(name, score, max_score, output, visibility) -> dict:
    return {"name": name, "score": round(max(score, 0.0), 4), "max_score": round(max_score, 4),
            "status": "passed" if score >= max_score - 1e-9 else "failed", "output": output,
            "output_format": "html", "visibility": visibility}


# -- LMS gradebooks --------------------------------------------------------------------------------

def _on_common_scale(s: StudentResult, possible: float) -> float:
    """A score on the assignment's one maximum, keeping the student's own percentage.

    Canvas and Moodle hold one maximum per assignment; a student whose own maximum differs (a result
    graded under an older quiz file: a quiz with unfair pools no longer loads) is scaled, never distorted."""
    return s.score * possible / s.max_score if s.max_score and s.max_score != possible else s.score


def canvas_grades(run: ClassResults, out: Path, title: str, assignment_id: str | None = None) -> None:
    """Canvas gradebook import CSV: students matched by SIS User ID; a Points Possible row."""
    column = f"{title} ({assignment_id})" if assignment_id else title
    possible = max((s.max_score for s in run.students), default=0)
    with out.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(csv_row(["Student", "ID", "SIS User ID", "SIS Login ID", "Section", column]))
        w.writerow(csv_row(["    Points Possible", "", "", "", "", score_cell(possible)]))
        for s in run.students:     # a blank grade leaves the LMS unchanged: the grader failed, nobody was graded
            grade = "" if s.grader_errors() else score_cell(_on_common_scale(s, possible))
            w.writerow(csv_row([s.student, "", s.student, s.student, "", grade]))


def moodle_grades(run: ClassResults, out: Path, title: str) -> None:
    """Moodle grade import CSV: users matched by ID number, one grade column."""
    possible = max((s.max_score for s in run.students), default=0)
    with out.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(csv_row(["ID number", title, "Feedback"]))
        for s in run.students:     # a blank grade leaves the LMS unchanged: the grader failed, nobody was graded
            if s.grader_errors():
                w.writerow(csv_row([s.student, "", "not graded: nngrade failed on this submission (see its report)"]))
            else:
                w.writerow(csv_row([s.student, score_cell(_on_common_scale(s, possible)),
                                    f"{s.percent:.1f}% in nngrade"]))


def read_results(path: Path) -> ClassResults:
    """A results.json written by ``nngrade grade`` (raises OSError, ValueError, KeyError or TypeError)."""
    return ClassResults.from_json(json.loads(Path(path).read_text(encoding="utf-8")))
