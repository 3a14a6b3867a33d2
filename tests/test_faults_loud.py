"""Grader faults are loud everywhere and never a student's mistake (issue 8, item 3).

Each test forces a real fault inside a real run: the sandbox raising SandboxError for one
submission, a sandbox worker that cannot start (bubblewrap's `execvp` failure of issue 8), a
checker that raises, a submission the grader cannot grade at all. Then it reads what the
instructor and the student see: the exit status and the console, results.json, index.html,
grades.csv, the student's page, JUnit, GitHub Classroom and Gradescope.
"""
from __future__ import annotations

import csv
import json
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
import yaml
from bs4 import BeautifulSoup
from click.testing import CliRunner

from grader.results import grading
from grader.cli import cli
from grader.messages import CATALOG, text
from grader.results.class_run import EXIT_GRADER_ERROR
from grader.sandbox import Sandbox, SandboxError

from .conftest import ROOT

ENV = {"NNGRADE_BANK": str(ROOT)}
SCHEMA = json.loads((ROOT / "grader" / "schemas" / "results.schema.json").read_text(encoding="utf-8"))
MARKER = "# FORCE-GRADER-FAULT"
CAUSE = "the sandbox worker did not start (test): bwrap: execvp /tmp/venv/bin/python3: No such file or directory"
CODE_PARTS = ["sigmoid-derivative/code", "stable-sigmoid/code"]
ANSWERS = {"sigmoid-derivative": {"in-sigma": "sigma(x)(1 - sigma(x))", "max": "1/4", "argmax": "0"},
           "init-symmetry": {"zero": "B", "constant": "B", "why": ["A", "B", "E"],
                             "explain": "Hidden units are symmetric: identical gradients; random init breaks it."}}


def invoke(*args, env=None):
    return CliRunner().invoke(cli, [str(a) for a in args], env={**ENV, **(env or {})},
                                              catch_exceptions=False)


def write_student(folder: Path, fault: bool = False) -> None:
    folder.mkdir(parents=True)
    (folder / "answers.yaml").write_text(yaml.safe_dump(ANSWERS), encoding="utf-8")
    source = (ROOT / "submissions" / "s01-all-right" / "solution.py").read_text(encoding="utf-8")
    (folder / "solution.py").write_text(source + (f"\n{MARKER}\n" if fault else ""), encoding="utf-8")


@pytest.fixture
def quiz(tmp_path):
    path = tmp_path / "quiz.yaml"
    path.write_text(yaml.safe_dump({"id": "faults", "title": {"en": "Faults", "zh": "故障"}, "seed": 7, "lang": "en",
                                    "questions": ["sigmoid-derivative", "stable-sigmoid", "init-symmetry"]}),
                    encoding="utf-8")
    return path


@pytest.fixture
def klass(tmp_path):
    subs = tmp_path / "subs"
    write_student(subs / "alice")
    write_student(subs / "bob")
    write_student(subs / "carol", fault=True)
    return subs


@pytest.fixture
def broken_sandbox(monkeypatch):
    """The sandbox fails (SandboxError, as when its worker cannot start) for submissions holding MARKER only."""
    real_run = Sandbox.run

    def run(self, source, *args, **kwargs):
        if MARKER in source:
            raise SandboxError(CAUSE)
        return real_run(self, source, *args, **kwargs)
    monkeypatch.setattr(Sandbox, "run", run)


def parts(results: dict, student: str) -> dict:
    s = next(s for s in results["students"] if s["student"] == student)
    return {f"{q['question']}/{p['part']}": p for q in s["questions"] for p in q["parts"]}


def scores(results: dict, student: str) -> dict:
    """(verdict, score) per part: what must match between equal submissions (test inputs differ per student)."""
    return {a: (p["verdict"], p["score"]) for a, p in parts(results, student).items()}


def test_a_sandbox_fault_is_loud_in_every_output_of_a_class_run(klass, quiz, tmp_path, broken_sandbox):
    out = tmp_path / "out"
    res = invoke("grade", klass, "--quiz", quiz, "--out", out, "--jobs", 1, "--quiet")
    assert res.exit_code == EXIT_GRADER_ERROR == 3
    assert "GRADER ERROR: 2 part(s) of 1 student(s)" in res.stderr and CAUSE in res.stderr and "carol" in res.stderr
    # results.json: the errors list, by student and part, with the cause; every student still written
    data = json.loads((out / "results.json").read_text(encoding="utf-8"))
    jsonschema.validate(data, SCHEMA)
    assert [(e["student"], e["part"]) for e in data["errors"]] == [("carol", p) for p in CODE_PARTS]
    assert all(CAUSE in e["cause"] for e in data["errors"])
    assert sorted(s["student"] for s in data["students"]) == ["alice", "bob", "carol"]
    honest, faulty = parts(data, "alice"), parts(data, "carol")
    assert scores(data, "bob") == scores(data, "alice") and all(honest[p]["verdict"] == "correct" for p in CODE_PARTS)
    for address, p in faulty.items():            # only the code parts are the grader's; the rest as alice's
        assert p["verdict"] == ("error" if address in CODE_PARTS else honest[address]["verdict"])
    # index.html opens with a banner listing student, part and cause
    soup = BeautifulSoup((out / "index.html").read_text(encoding="utf-8"), "html.parser")
    banner = soup.find("main").find(True)
    assert "grader-errors" in banner["class"] and banner.get("role") == "alert"
    rows = [[td.get_text(strip=True) for td in tr.find_all("td")] for tr in banner.find_all("tr")[1:]]
    assert [(r[0], r[1]) for r in rows] == [("carol", p) for p in CODE_PARTS] and all(CAUSE in r[2] for r in rows)
    # grades.csv: the faulty cells say error, not 0
    table = {r["student"]: r for r in csv.DictReader((out / "grades.csv").open(encoding="utf-8"))}
    assert [table["carol"][p] for p in CODE_PARTS] == ["error", "error"]
    assert all(float(table["alice"][p]) > 0 for p in CODE_PARTS)
    # and a total that counts our faults as zeros is no grade: carol's total says error, alice's is a number
    assert table["carol"]["score"] == table["carol"]["percent"] == "error" and float(table["alice"]["score"]) > 0
    # LMS grade files leave carol's grade blank (unchanged in the LMS) and give alice hers
    assert invoke("export", "canvas-grades", out / "results.json", "-o", out / "canvas.csv").exit_code == 0
    canvas = {r[2]: r[5] for r in csv.reader((out / "canvas.csv").open(encoding="utf-8")) if len(r) > 5}
    assert canvas["carol"] == "" and float(canvas["alice"]) == float(table["alice"]["score"])
    # the student's page: the grader's fault, said truthfully (nobody "has been told")
    page = (out / "carol" / "feedback.html").read_text(encoding="utf-8")
    assert "fault of the grader, not of your answer" in page and "grader error" in page
    assert "been told" not in page and "not graded (grader error)" in page
    assert BeautifulSoup(page, "html.parser").find(id="grader-errors") is not None
    assert BeautifulSoup((out / "alice" / "feedback.html").read_text(encoding="utf-8"),
                         "html.parser").find(id="grader-errors") is None


def test_a_grader_fault_is_retried_and_clears_once_fixed(klass, quiz, tmp_path, monkeypatch):
    out = tmp_path / "out"
    real_run = Sandbox.run
    monkeypatch.setattr(Sandbox, "run", lambda self, source, *a, **k: (_ for _ in ()).throw(SandboxError(CAUSE))
                        if MARKER in source else real_run(self, source, *a, **k))
    assert invoke("grade", klass, "--quiz", quiz, "--out", out, "--jobs", 1, "--quiet").exit_code == 3
    monkeypatch.setattr(Sandbox, "run", real_run)                     # the machine is fixed
    res = invoke("grade", klass, "--quiz", quiz, "--out", out, "--jobs", 1, "--quiet")
    assert res.exit_code == 0, res.output + res.stderr
    assert res.output.startswith("3 students: 2 questions graded")        # carol's two code questions, nobody else
    data = json.loads((out / "results.json").read_text(encoding="utf-8"))
    assert data["errors"] == [] and scores(data, "carol") == scores(data, "alice")
    assert BeautifulSoup((out / "index.html").read_text(encoding="utf-8"), "html.parser").find(id="grader-errors") is None
    res = invoke("grade", klass, "--quiz", quiz, "--out", out, "--jobs", 1, "--quiet")     # nothing changed: still 0
    assert res.exit_code == 0 and "0 questions graded" in res.output


def test_a_worker_that_cannot_start_fails_every_code_part_loudly(klass, quiz, tmp_path, monkeypatch):
    """Issue 8's bubblewrap case: the worker dies at start with `execvp` on stderr; the cause reaches the console."""
    from grader import isolation
    dead = [sys.executable, "-c", "import sys; sys.stderr.write('bwrap: execvp /tmp/venv/bin/python3: "
                                  "No such file or directory\\n'); sys.exit(1)"]
    monkeypatch.setattr(isolation, "direct_command", lambda *a, **k: dead)
    monkeypatch.setattr(isolation, "bwrap_command", lambda *a, **k: dead)
    out = tmp_path / "out"
    res = invoke("grade", klass, "--quiz", quiz, "--out", out, "--jobs", 1, "--quiet")
    assert res.exit_code == 3
    assert "GRADER ERROR: 6 part(s) of 3 student(s)" in res.stderr and "execvp" in res.stderr
    data = json.loads((out / "results.json").read_text(encoding="utf-8"))
    assert {(e["student"], e["part"]) for e in data["errors"]} == {(s, p) for s in ("alice", "bob", "carol")
                                                                   for p in CODE_PARTS}
    assert all("execvp" in e["cause"] for e in data["errors"])
    assert parts(data, "alice")["sigmoid-derivative/in-sigma"]["verdict"] == "correct"   # other parts unharmed


def test_a_checker_that_raises_is_a_grader_error_not_a_wrong_answer(klass, quiz, tmp_path, monkeypatch):
    from grader import checks as check

    def broken(*args, **kwargs):
        raise ZeroDivisionError("checker bug")
    monkeypatch.setitem(check.CHECKERS, "numeric", broken)
    out = tmp_path / "out"
    res = invoke("grade", klass, "--quiz", quiz, "--out", out, "--jobs", 1, "--quiet")
    assert res.exit_code == 3 and "ZeroDivisionError: checker bug" in res.stderr
    data = json.loads((out / "results.json").read_text(encoding="utf-8"))
    assert {e["part"] for e in data["errors"]} == {"sigmoid-derivative/max", "sigmoid-derivative/argmax"}
    assert "fault of the grader" in parts(data, "bob")["sigmoid-derivative/max"]["feedback"]


def test_a_submission_the_grader_cannot_grade_is_listed_and_others_are_published(klass, quiz, tmp_path, monkeypatch):
    from grader.results import grading
    real = grading.grade_items

    def grade_items(items, sub, lang):
        if sub.student == "bob":
            raise RuntimeError("decoder exploded")
        return real(items, sub, lang)
    monkeypatch.setattr(grading, "grade_items", grade_items)
    out = tmp_path / "out"
    res = invoke("grade", klass, "--quiz", quiz, "--out", out, "--jobs", 1, "--quiet")
    assert res.exit_code == 3 and "decoder exploded" in res.stderr
    data = json.loads((out / "results.json").read_text(encoding="utf-8"))
    jsonschema.validate(data, SCHEMA)
    assert [(e["student"], e["part"]) for e in data["errors"]] == [("bob", "*")]
    assert "decoder exploded" in data["errors"][0]["cause"]
    bob = next(s for s in data["students"] if s["student"] == "bob")
    notes = [p for p in bob["problems"] if "decoder exploded" in p["message"]]
    assert len(notes) == 1 and notes[0]["kind"] == "grader"              # one note for the student, marked
    assert parts(data, "alice")["stable-sigmoid/code"]["verdict"] == "correct"
    banner = BeautifulSoup((out / "index.html").read_text(encoding="utf-8"), "html.parser").find(id="grader-errors")
    assert "bob" in banner.get_text() and "decoder exploded" in banner.get_text()


def test_single_mode_marks_grader_faults_as_errors_in_junit_classroom_and_exit(klass, quiz, tmp_path, broken_sandbox):
    out = tmp_path / "report"
    res = invoke("grade", klass / "carol", "--single", "--student", "carol", "--quiz", quiz, "--out", out,
                 "--junit", tmp_path / "junit.xml", "--classroom", tmp_path / "classroom.json",
                 env={"GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md")})
    assert res.exit_code == 3 and CAUSE in res.stderr
    suite = ET.parse(tmp_path / "junit.xml").getroot().find("testsuite")
    cases = {c.get("name").split(" ")[0]: c for c in suite.iter("testcase")}
    errored = {name: c.find("error") for name, c in cases.items() if c.find("error") is not None}
    failed = [name for name, c in cases.items() if c.find("failure") is not None]
    assert suite.get("errors") == "2" and suite.get("failures") == str(len(failed))
    assert sorted(errored) == CODE_PARTS and all(CAUSE in e.get("message") for e in errored.values())
    assert not set(failed) & set(CODE_PARTS)
    classroom = json.loads((tmp_path / "classroom.json").read_text(encoding="utf-8"))
    assert classroom["status"] == "error"
    assert sorted(t["name"] for t in classroom["tests"] if t["status"] == "error") == CODE_PARTS
    data = json.loads((out / "results.json").read_text(encoding="utf-8"))
    jsonschema.validate(data, SCHEMA)
    assert [e["part"] for e in data["errors"]] == CODE_PARTS
    summary = (tmp_path / "summary.md").read_text(encoding="utf-8")
    assert "**Grader error**: 2 part(s)" in summary and summary.count("| grader error |") == 2
    # the honest submission in the same mode: exit 0, no errors anywhere
    res = invoke("grade", klass / "alice", "--single", "--student", "alice", "--quiz", quiz, "--out", tmp_path / "a",
                 "--junit", tmp_path / "a.xml")
    assert res.exit_code == 0 and ET.parse(tmp_path / "a.xml").getroot().get("errors") == "0"


def test_single_mode_turns_a_crash_of_the_grader_into_a_listed_error(klass, quiz, tmp_path, monkeypatch):
    monkeypatch.setattr(grading, "grade_items", lambda *a, **k: (_ for _ in ()).throw(ValueError("bad reply")))
    res = invoke("grade", klass / "alice", "--single", "--student", "alice", "--quiz", quiz, "--out", tmp_path / "r",
                 "--junit", tmp_path / "j.xml", "--classroom", tmp_path / "c.json")
    assert res.exit_code == 3 and "Traceback" not in res.output + res.stderr and "bad reply" in res.stderr
    suite = ET.parse(tmp_path / "j.xml").getroot().find("testsuite")
    assert suite.get("errors") == "1" and "bad reply" in suite.find("testcase/error").get("message")
    assert json.loads((tmp_path / "c.json").read_text(encoding="utf-8"))["status"] == "error"


def test_gradescope_marks_grader_faults_apart_from_wrong_answers(klass, quiz, broken_sandbox):
    from grader.bank import load_bank
    from grader.publish import to_gradescope
    from grader.quiz import load_quiz
    bank = load_bank(ROOT)
    the_quiz = load_quiz(quiz, bank)
    results = to_gradescope(grading.grade_one(bank, the_quiz, klass / "carol", "carol"), the_quiz)
    assert results["output"].startswith("<p><strong>Grader error: 2 part(s) were not graded")
    faulty = [t for t in results["tests"] if "(grader error)" in t["name"]]
    assert sorted(t["name"].split(" ")[0] for t in faulty) == CODE_PARTS
    for t in faulty:
        assert t["status"] == "failed" and t["score"] == 0
        assert BeautifulSoup(t["output"], "html.parser").get_text().startswith("Grader error: this part was not graded")
    assert all("(grader error)" not in t["name"] for t in to_gradescope(
        grading.grade_one(bank, the_quiz, klass / "alice", "alice"), the_quiz)["tests"])


@pytest.mark.parametrize("key", ["sandbox_error", "internal_error"])
def test_grader_fault_messages_are_truthful_in_both_languages(key):
    en, zh = text(key, "en", detail="X"), text(key, "zh", detail="X")
    assert "fault of the grader, not of your answer" in en and "评分器的问题" in zh
    assert "told" not in en and "通知" not in zh


def test_no_message_claims_someone_was_told():
    for key, (en, zh) in CATALOG.items():
        assert "been told" not in en and "已通知" not in zh, key
