"""The results model (grader/results/__init__.py) and the publish stage (grader/publish/__init__.py).

The model's JSON follows the shipped JSON Schema and round-trips (``from_json(to_json(x)) == x``);
results.json is the model without its private parts; grading produces the model once, and every
mode (a class run, ``--single``, Gradescope) grades through the same function.
"""
from __future__ import annotations

import ast
import csv
import json
import shutil
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from grader import publish
from grader.results import grading
from grader.cli import cli
from grader.results import (ClassResults, GraderError, Override, PartResult, Problem, QuestionResult,
                            StudentResult)

from .conftest import ROOT

SCHEMA = json.loads((ROOT / "grader" / "schemas" / "results.schema.json").read_text(encoding="utf-8"))
WEEK1 = ROOT / "quizzes" / "week1-activations.yaml"
CURVE = {"function": "sigmoid", "x": [0.0, 1.0], "reference": [0.5, 0.731], "student": [0.5, None]}


def _alice() -> StudentResult:
    code = PartResult("code", "partial", 1.5, 3, "2 of 3 tests passed\nsee below", None,
                      {"tests": [{"name": "t1", "visible": True, "passed": True, "points": 1, "max_points": 1},
                                 {"name": "t2", "visible": False, "passed": False, "points": 0, "max_points": 1}],
                       "curves": [CURVE], "tampered": ["forged reply"]})
    formula = PartResult("in-sigma", "incorrect", 0.0, 2, "Check the sign.", r"\sigma(x)(1+\sigma(x))",
                         {"misconception": "sign", "needs_review": True})
    essay = PartResult("explain", "partial", 1.0, 2, "", None, {"needs_review": True})
    questions = [QuestionResult("sigmoid-derivative", [formula, code], {"W": [[1.0, 2.0]], "n": 3}),
                 QuestionResult("init-symmetry", [essay])]
    problems = [Problem("answers.yaml", "bad key", "warning", key="sub_not_part", params={"question": "q"})]
    return StudentResult.build("alice", questions, problems, {"init-symmetry/explain": Override(5.0, "clear")},
                               seconds=1.25)


def _bob() -> StudentResult:
    broken = PartResult("max", "error", 0.0, 1, "This part could not be graded", None,
                        {"error": "internal", "exception": "ZeroDivisionError: checker bug"})
    right = PartResult("in-sigma", "correct", 2.0, 2, "", "x", {})
    return StudentResult.build("bob", [QuestionResult("sigmoid-derivative", [right, broken])],
                               [Problem.grader_fault("RuntimeError: boom", "grading failed: boom")], page="bob/feedback.html")


def _run() -> ClassResults:
    return ClassResults("week1", [_alice(), _bob()])


# -- the model and its JSON ---------------------------------------------------------------------------

@pytest.mark.parametrize("make", [lambda: _alice().questions[0].parts[1], lambda: _alice().questions[0],
                                  lambda: _alice().problems[0], _alice, _bob, _run])
def test_from_json_of_to_json_is_the_same_object(make):
    x = make()
    data = json.loads(json.dumps(x.to_json()))          # through real JSON text, as a file holds it
    assert type(x).from_json(data) == x


def test_the_model_json_and_results_json_follow_the_shipped_schema():
    run = _run()
    jsonschema.validate(json.loads(json.dumps(run.to_json())), SCHEMA)
    published = json.loads(publish.results_json(run))
    jsonschema.validate(published, SCHEMA)
    # results.json is the model without plot data, variant numbers and timing, and reads back as exactly that
    assert ClassResults.from_json(published) == run.public()
    text = json.dumps(published)
    assert "curves" not in text and "params\": {\"W" not in text and "seconds" not in text
    assert [e["part"] for e in published["errors"]] == ["*", "sigmoid-derivative/max"]


def test_a_bad_verdict_is_refused_where_it_is_made():
    with pytest.raises(ValueError, match="verdict"):
        PartResult("p", "wrongish", 0.0, 1)


def test_overrides_are_applied_capped_and_marked():
    alice = _alice()
    explain = alice.questions[1].parts[0]
    assert (explain.auto_score, explain.score, explain.override) == (1.0, 2, Override(5.0, "clear"))
    assert alice.score == pytest.approx(0 + 1.5 + 2) and alice.max_score == 7
    assert not explain.needs_review and alice.questions[0].parts[0].needs_review


def test_grader_faults_the_class_summary_and_the_named_mistakes():
    run = _run()
    assert run.errors == [GraderError("bob", "*", "RuntimeError: boom"),
                          GraderError("bob", "sigmoid-derivative/max", "ZeroDivisionError: checker bug")]
    assert not _alice().grading_broke and _bob().grading_broke
    summary = run.summary()
    assert summary.count == 2 and summary.percents == pytest.approx([100 * 3.5 / 7, 100 * 2 / 3])
    assert summary.mean == pytest.approx((50 + 200 / 3) / 2) and summary.median == pytest.approx(200 / 3)
    by = {p.address: p for p in summary.parts}
    assert by["sigmoid-derivative/in-sigma"].verdicts == {"incorrect": 1, "correct": 1}
    assert by["sigmoid-derivative/in-sigma"].misconceptions == [("sign", 1)]
    assert by["sigmoid-derivative/in-sigma"].mean == pytest.approx(0.5)
    assert summary.needs_review == 1                         # alice's essay was overridden: reviewed
    assert [(f.student, f.errors) for f in summary.flagged] == [("alice", 0), ("bob", 1)]
    assert [(t.student, t.part, t.what) for t in summary.tampered] == [("alice", "sigmoid-derivative/code",
                                                                          "forged reply")]


# -- the publish stage: formatters of the model ----------------------------------------------------

def test_grades_csv_and_lms_grades_come_from_the_model(tmp_path):
    run = _run()
    publish.write_grades_csv(tmp_path / "grades.csv", run.students)
    rows = list(csv.DictReader((tmp_path / "grades.csv").open(encoding="utf-8")))
    assert rows[1]["sigmoid-derivative/max"] == "error" and rows[0]["init-symmetry/explain"] == "2"
    assert rows[0]["percent"] == "50"
    publish.canvas_grades(run, tmp_path / "canvas.csv", "Week 1")
    canvas = list(csv.reader((tmp_path / "canvas.csv").open(encoding="utf-8")))
    assert canvas[1][-1] == "7" and canvas[2][0] == "alice" and canvas[2][-1] == "3.5"
    assert rows[1]["score"] == rows[1]["percent"] == "error"        # bob: grader errors, so no total
    assert [r[-1] for r in canvas[2:]] == ["3.5", ""]                  # and no grade in the LMS (left unchanged)
    publish.moodle_grades(run, tmp_path / "moodle.csv", "Week 1")
    moodle = {r["ID number"]: r for r in csv.DictReader((tmp_path / "moodle.csv").open(encoding="utf-8"))}
    assert moodle["alice"]["Feedback"] == "50.0% in nngrade"
    assert moodle["bob"]["Week 1"] == "" and moodle["bob"]["Feedback"].startswith("not graded")


def test_ci_and_gradescope_formats_come_from_the_model():
    bob = _bob()
    bob.seconds = 2.5
    xml = publish.junit_xml(bob, "week1")
    assert 'errors="2"' in xml and 'time="2.500"' in xml and "ZeroDivisionError: checker bug" in xml
    classroom = publish.classroom_result(bob)
    assert classroom["status"] == "error" and [t["status"] for t in classroom["tests"]] == ["pass", "error", "error"]

    class Quiz:
        title = {"en": "Week 1"}
    gradescope = publish.to_gradescope(_alice(), Quiz())
    names = [t["name"] for t in gradescope["tests"]]
    assert "sigmoid-derivative/code (hidden tests)" in names
    hidden = next(t for t in gradescope["tests"] if t["name"].endswith("(hidden tests)"))
    assert hidden["max_score"] == 1.5 and hidden["visibility"] == "after_published"
    assert gradescope["score"] == 3.5


# -- one way to grade a submission -------------------------------------------------------------------

def test_runner_and_other_modes_import_no_output_code():
    """The class run hands the model to the publish stage; it imports no report or export code itself."""
    for name in ("results/class_run", "results/grading", "results/gradebook", "results/__init__",
                 "platforms/github", "platforms/classroom"):
        tree = ast.parse((ROOT / "grader" / f"{name}.py").read_text(encoding="utf-8"))
        imported = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
        imported |= {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        assert not imported & {"grader.publish.pages", "grader.publish.lms", "jinja2"}, name


def test_every_mode_grades_through_grade_submission(tmp_path, monkeypatch):
    """A class run (in a forked worker) and --single (as Gradescope, through grading.grade_one) call
    grading.grade_submission, and agree on the result."""
    calls = tmp_path / "calls"
    real = grading.grade_submission

    def spy(bank, quiz, folder, student, lang=None, **kw):
        with calls.open("a", encoding="utf-8") as fh:
            fh.write(student + "\n")
        return real(bank, quiz, folder, student, lang, **kw)
    monkeypatch.setattr(grading, "grade_submission", spy)
    subs = tmp_path / "subs"
    shutil.copytree(ROOT / "submissions" / "s01-all-right", subs / "ann")
    env = {"NNGRADE_BANK": str(ROOT)}
    runner = CliRunner()
    res = runner.invoke(cli, ["grade", str(subs), "--quiz", str(WEEK1), "--out", str(tmp_path / "class"),
                              "--jobs", "1", "--quiet"], env=env)
    assert res.exit_code == 0, res.output
    res = runner.invoke(cli, ["grade", str(subs / "ann"), "--single", "--student", "ann", "--quiz", str(WEEK1),
                              "--out", str(tmp_path / "single")], env=env)
    assert res.exit_code == 0, res.output
    assert calls.read_text(encoding="utf-8").split() == ["ann", "ann"]
    whole = ClassResults.from_json(json.loads((tmp_path / "class" / "results.json").read_text(encoding="utf-8")))
    single = ClassResults.from_json(json.loads((tmp_path / "single" / "results.json").read_text(encoding="utf-8")))
    strip = [(a, p.verdict, p.score) for a, p in whole.students[0].parts()]
    assert strip == [(a, p.verdict, p.score) for a, p in single.students[0].parts()]
    assert whole.students[0].score == single.students[0].score > 0
