"""The grading run end to end on the shipped demo class: outputs, gradebook, re-runs, overrides, bad input."""
from __future__ import annotations

import csv
import re
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner

from grader.cli import cli

from .conftest import ROOT

QUIZ = ROOT / "quizzes" / "midterm-exam.yaml"
ENV = {"NNGRADE_BANK": str(ROOT)}


def grade(*args):
    return CliRunner().invoke(cli, ["grade", *map(str, args), "--quiet"], env=ENV, catch_exceptions=False)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The demo class graded once: (submissions copy, report folder, CLI output)."""
    base = tmp_path_factory.mktemp("demo")
    subs = base / "submissions"
    shutil.copytree(ROOT / "submissions", subs)
    out = base / "report"
    result = grade(subs, "--quiz", QUIZ, "--out", out, "--jobs", "2")
    assert result.exit_code == 0, result.output
    return subs, out, result.output


def results(out: Path) -> dict:
    return json.loads((out / "results.json").read_text(encoding="utf-8"))


def by_student(out: Path) -> dict:
    return {s["student"]: s for s in results(out)["students"]}


def test_results_json_follows_the_contract(demo):
    subs, out, _ = demo
    data = results(out)
    assert data["quiz"] == "midterm-exam"
    names = sorted(p.name for p in subs.iterdir())
    assert sorted(s["student"] for s in data["students"]) == names
    for s in data["students"]:
        assert {"student", "score", "max_score", "questions"} <= set(s)
        for q in s["questions"]:
            for p in q["parts"]:
                assert {"part", "verdict", "score", "max_score", "feedback"} <= set(p)
                assert p["verdict"] in ("correct", "partial", "incorrect", "invalid", "error", "missing")
                assert 0 <= p["score"] <= p["max_score"]
        assert s["score"] == pytest.approx(sum(p["score"] for q in s["questions"] for p in q["parts"]))


def test_right_students_get_full_marks_and_mistakes_cost(demo):
    _, out, _ = demo
    s = by_student(out)
    assert s["s01-all-right"]["score"] == s["s01-all-right"]["max_score"]
    assert s["s02-latex-and-chinese"]["score"] == s["s02-latex-and-chinese"]["max_score"]
    for name in ("s03-sign-errors", "s04-missing-transposes", "s05-swapped-lstm-gates",
                 "s06-adam-without-bias-correction", "s07-overflowing-sigmoid", "s08-zero-initialisation"):
        assert 0 < s[name]["score"] < s[name]["max_score"], name
    parts = {f"{q['question']}/{p['part']}": p for q in s["s05-swapped-lstm-gates"]["questions"] for p in q["parts"]}
    assert parts["lstm-cell/cell"]["details"]["misconception"] == "swapped-f-i"


def test_bad_submissions_cost_only_their_parts_and_are_named(demo):
    _, out, _ = demo
    s = by_student(out)
    assert s["s10-empty"]["score"] == 0
    assert any("answers.yaml" in p["message"] for p in s["s10-empty"]["problems"])
    malformed = " ".join(p["message"] for p in s["s11-malformed"]["problems"])
    # the midterm's language is Chinese: file problems are in the run's language (en and zh in the catalogue)
    assert "YAML 语法错误（第 3 行" in malformed and "solution.py 不是 UTF-8" in malformed
    wrong = " ".join(p["message"] for p in s["s13-wrong-types"]["problems"])
    assert "no-such-question" in wrong and "no-such-part" in wrong and "notes.txt" in wrong
    parts = {f"{q['question']}/{p['part']}": p for q in s["s13-wrong-types"]["questions"] for p in q["parts"]}
    assert parts["init-symmetry/why"]["verdict"] == "invalid"
    assert "forward()" in str(parts["fnn-forward/code"]["details"]) and parts["fnn-forward/code"]["score"] == 0
    hostile = {f"{q['question']}/{p['part']}": p for q in s["s12-hostile"]["questions"] for p in q["parts"]}
    assert hostile["sigmoid-derivative/in-sigma"]["verdict"] == "invalid"
    assert hostile["stable-sigmoid/code"]["score"] == 0 and hostile["sigmoid-derivative/code"]["score"] == 0


def test_grades_csv(demo):
    _, out, _ = demo
    rows = list(csv.reader((out / "grades.csv").open(encoding="utf-8")))
    assert rows[0][:4] == ["student", "score", "max_score", "percent"]
    assert len(rows) == 1 + len(results(out)["students"])
    assert "sigmoid-derivative/in-sigma" in rows[0]


def test_feedback_pages_are_self_contained_html(demo):
    _, out, _ = demo
    html = (out / "s07-overflowing-sigmoid" / "feedback.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(html, "html.parser")
    assert soup.find("math") is not None and soup.find("svg") is not None
    assert "overflow" in soup.get_text()
    assert not [t for t in soup.find_all(["script", "link", "img"]) if t.get("src") or t.get("href")]
    assert not re.search(r"""(src|href)=["']?https?:|url\(https?:|@import""", html)
    bad = BeautifulSoup((out / "s11-malformed" / "feedback.html").read_text(encoding="utf-8"), "html.parser")
    assert "YAML" in bad.find(class_="problems").get_text()
    index = BeautifulSoup((out / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert index.find("svg") is not None
    assert "s11-malformed" in index.find(class_="problems").get_text()
    assert "swapped-f-i" in index.get_text()


def test_a_rerun_with_nothing_changed_regrades_nothing(demo, tmp_path):
    subs, out, _ = demo
    result = grade(subs, "--quiz", QUIZ, "--out", out, "--jobs", "2")
    assert " 0 questions graded" in result.output and " 0 reports written" in result.output


def test_a_changed_answer_regrades_only_its_question(demo, tmp_path):
    subs, out, _ = demo
    work = tmp_path / "subs"
    shutil.copytree(subs, work)
    shutil.copy(out / "gradebook.sqlite", tmp_path / "gb.sqlite")
    grade(work, "--quiz", QUIZ, "--out", tmp_path / "out", "--db", tmp_path / "gb.sqlite", "--jobs", "1")
    answers = work / "s03-sign-errors" / "answers.yaml"
    answers.write_text(answers.read_text(encoding="utf-8").replace("y - sigma(z)", "sigma(z) - y"), encoding="utf-8")
    result = grade(work, "--quiz", QUIZ, "--out", tmp_path / "out", "--db", tmp_path / "gb.sqlite", "--jobs", "1")
    assert " 1 questions graded" in result.output, result.output
    result = grade(work, "--quiz", QUIZ, "--out", tmp_path / "out", "--db", tmp_path / "gb.sqlite", "--force", "--jobs", "2")
    assert " 0 unchanged" in result.output


def test_override_survives_regrades_and_shows_everywhere(demo, tmp_path):
    subs, out, _ = demo
    work_out = tmp_path / "out"
    grade(subs, "--quiz", QUIZ, "--out", work_out, "--jobs", "2")
    runner = CliRunner()
    res = runner.invoke(cli, ["gradebook", "override", "s08-zero-initialisation", "init-symmetry/explain", "1.5",
                              "--comment", "partly right", "--db", str(work_out / "gradebook.sqlite")])
    assert res.exit_code == 0, res.output
    grade(subs, "--quiz", QUIZ, "--out", work_out, "--force", "--jobs", "2")
    s = by_student(work_out)["s08-zero-initialisation"]
    part = next(p for q in s["questions"] for p in q["parts"] if q["question"] == "init-symmetry" and p["part"] == "explain")
    assert part["score"] == 1.5 and part["override"]["comment"] == "partly right" and part["auto_score"] == 0
    row = next(r for r in csv.DictReader((work_out / "grades.csv").open(encoding="utf-8")) if r["student"] == s["student"])
    assert row["init-symmetry/explain"] == "1.5"
    assert "partly right" in (work_out / s["student"] / "feedback.html").read_text(encoding="utf-8")
    bad = runner.invoke(cli, ["gradebook", "override", "s08-zero-initialisation", "init-symmetry/explain", "99",
                              "--db", str(work_out / "gradebook.sqlite")])
    assert bad.exit_code == 2 and "between 0 and 2" in bad.output


def _cmdline_has(pid: str, marker: bytes) -> bool:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as fh:
            return marker in fh.read()
    except OSError:
        return False


def test_kill_9_mid_run_loses_and_duplicates_nothing(demo, tmp_path):
    subs, out, _ = demo
    db = tmp_path / "gb.sqlite"
    cmd = [sys.executable, "-m", "grader", "grade", str(subs), "--quiz", str(QUIZ), "--out", str(tmp_path / "out"),
           "--db", str(db), "--jobs", "1", "--quiet"]
    proc = subprocess.Popen(cmd, env={**ENV, "PATH": "/usr/bin:/bin"}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 60
    stored = 0
    while time.time() < deadline and proc.poll() is None:
        if db.exists():
            try:
                with sqlite3.connect(db) as con:
                    stored = con.execute("SELECT COUNT(DISTINCT student) FROM students").fetchone()[0]
            except sqlite3.Error:
                stored = 0
            if stored >= 3:
                break
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert 0 < stored < 13, "the run should have been killed part-way"
    # its worker processes (and their sandboxes) end with it: nothing of the run is left behind
    marker = str(tmp_path / "out").encode()
    left = []
    for _ in range(100):
        left = [pid for pid in os.listdir("/proc") if pid.isdigit() and _cmdline_has(pid, marker)]
        if not left:
            break
        time.sleep(0.05)
    assert left == [], "worker processes outlived a killed run"
    result = grade(subs, "--quiz", QUIZ, "--out", tmp_path / "out", "--db", db, "--jobs", "2")
    assert result.exit_code == 0
    with sqlite3.connect(db) as con:
        rows = con.execute("SELECT student, question, COUNT(*) FROM questions GROUP BY student, question").fetchall()
    assert all(n == 1 for _, _, n in rows)
    resumed = {s["student"]: s["score"] for s in results(tmp_path / "out")["students"]}
    assert resumed == {s["student"]: s["score"] for s in results(out)["students"]}


def test_clear_errors_for_a_bad_quiz_or_folder(tmp_path):
    assert grade(tmp_path / "nope", "--quiz", QUIZ).exit_code == 2
    (tmp_path / "subs").mkdir()
    res = grade(tmp_path / "subs", "--quiz", tmp_path / "missing.yaml")
    assert res.exit_code == 2 and "no such quiz file" in res.output
    broken = tmp_path / "broken.yaml"
    broken.write_text("id: x\ntitle: {en: a, zh: b}\nseed: 1\nquestions: [no-such-question, sigmoid-derivative/nope]\n")
    res = grade(tmp_path / "subs", "--quiz", broken)
    assert res.exit_code == 2 and "no-such-question" in res.output and "has no part 'nope'" in res.output


def test_a_course_can_override_a_template(tmp_path):
    course = tmp_path / "course-templates"
    course.mkdir()
    (course / "_style.html").write_text("<style>body { background: #123456; }</style>", encoding="utf-8")
    subs = tmp_path / "subs"
    shutil.copytree(ROOT / "submissions" / "s01-all-right", subs / "s01-all-right")
    res = grade(subs, "--quiz", QUIZ, "--out", tmp_path / "out", "--templates", course, "--jobs", "1")
    assert res.exit_code == 0
    html = (tmp_path / "out" / "s01-all-right" / "feedback.html").read_text(encoding="utf-8")
    assert "#123456" in html and "<math" in html          # the course's partial, the project's other templates
