"""Where courses run: CI single mode, Gradescope, Canvas/Moodle exports, the self-check kit, the schema."""
from __future__ import annotations

import base64
import csv
import inspect
import json
import os
import shutil
import subprocess
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import jsonschema
import pytest
import yaml
from click.testing import CliRunner

from grader.cli import cli

from .conftest import ROOT

ENV = {"NNGRADE_BANK": str(ROOT)}
WEEK1 = ROOT / "quizzes" / "week1-activations.yaml"
MIDTERM = ROOT / "quizzes" / "midterm-exam.yaml"
SCHEMA = json.loads((ROOT / "grader" / "schemas" / "results.schema.json").read_text(encoding="utf-8"))


def run(*args, env=None):
    return CliRunner().invoke(cli, [str(a) for a in args], env={**ENV, **(env or {})}, catch_exceptions=False)


# -- CI / GitHub Classroom ---------------------------------------------------------------------

def test_single_mode_writes_junit_classroom_summary_and_notice(tmp_path):
    summary, output = tmp_path / "summary.md", tmp_path / "gh_output"
    res = run("grade", ROOT / "submissions" / "s03-sign-errors", "--single", "--student", "s03-sign-errors",
              "--quiz", MIDTERM, "--out", tmp_path / "report", "--junit", tmp_path / "junit.xml",
              "--classroom", tmp_path / "classroom.json",
              env={"GITHUB_STEP_SUMMARY": str(summary), "GITHUB_OUTPUT": str(output)})
    assert res.exit_code == 0, res.output                    # a low score is not a failure by default
    suites = ET.parse(tmp_path / "junit.xml").getroot()
    suite = suites.find("testsuite")
    cases = suite.findall("testcase")
    assert suites.tag == "testsuites" and int(suite.get("tests")) == len(cases) > 20
    failed = [c for c in cases if c.find("failure") is not None]
    assert int(suite.get("failures")) == len(failed) > 0
    assert any("binary-cross-entropy/grad-logit" in c.get("name") for c in failed)
    classroom = json.loads((tmp_path / "classroom.json").read_text(encoding="utf-8"))
    assert classroom["version"] == 1 and classroom["status"] == "fail"
    assert {t["status"] for t in classroom["tests"]} <= {"pass", "fail", "error"}
    encoded = output.read_text().strip().removeprefix("result=")
    assert json.loads(base64.b64decode(encoded)) == classroom
    assert (tmp_path / "classroom.b64").read_text() == encoded
    assert "| 小题 | 结果 | 得分 | 反馈 |" in summary.read_text(encoding="utf-8")     # the midterm's language
    notice = next(line for line in res.output.splitlines() if line.startswith("::notice"))
    points = json.loads(notice.split("::", 2)[2])
    assert points["maxPoints"] == classroom["max_score"]
    assert points["totalPoints"] == pytest.approx(sum(t["score"] for t in classroom["tests"]), abs=1e-3)
    jsonschema.validate(json.loads((tmp_path / "report" / "results.json").read_text(encoding="utf-8")), SCHEMA)


def test_fail_under_sets_the_exit_code(tmp_path):
    args = ["grade", ROOT / "submissions" / "s03-sign-errors", "--single", "--student", "s03-sign-errors",
            "--quiz", MIDTERM, "--out", tmp_path]
    assert run(*args, "--fail-under", 95).exit_code == 1
    assert run(*args, "--fail-under", 50).exit_code == 0
    assert run("grade", ROOT / "submissions", "--quiz", MIDTERM, "--junit", tmp_path / "x.xml").exit_code == 2


# `ci init` (the student's self-check workflow, no secret) is tested in tests/test_classroom.py.


# -- Gradescope ----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def autograder(tmp_path_factory):
    base = tmp_path_factory.mktemp("gs")
    res = run("export", "gradescope", WEEK1, "-o", base / "autograder.zip")
    assert res.exit_code == 0
    with zipfile.ZipFile(base / "autograder.zip") as zf:
        names = zf.namelist()
        assert {"setup.sh", "run_autograder"} <= set(names)
        assert zf.getinfo("run_autograder").external_attr >> 16 & 0o111
        zf.extractall(base / "source")
    return base


def layout(autograder: Path, tmp: Path, files: dict, metadata: dict | None) -> Path:
    root = tmp / "autograder"
    shutil.copytree(autograder / "source", root / "source")
    (root / "submission").mkdir(parents=True)
    for name, data in files.items():
        (root / "submission" / name).write_bytes(data)
    if metadata is not None:
        (root / "submission_metadata.json").write_text(json.dumps(metadata), encoding="utf-8")
    return root


def run_autograder(root: Path) -> dict:
    env = {"PATH": os.environ["PATH"], "NNGRADE_AUTOGRADER_ROOT": str(root), "HOME": str(root)}
    subprocess.run(["bash", str(root / "source" / "run_autograder")], env=env, check=True, capture_output=True,
                   timeout=300)
    return json.loads((root / "results" / "results.json").read_text(encoding="utf-8"))


def check_gradescope_schema(results: dict) -> None:
    assert isinstance(results["score"], (int, float)) and results["output_format"] == "html"
    for t in results["tests"]:
        assert {"name", "score", "max_score", "status", "output", "output_format", "visibility"} <= set(t)
        assert t["status"] in ("passed", "failed") and t["output_format"] == "html"
        assert t["visibility"] in ("hidden", "after_due_date", "after_published", "visible")
        assert 0 <= t["score"] <= t["max_score"] + 1e-9


def test_run_autograder_grades_a_submission(autograder, tmp_path):
    sub = ROOT / "submissions" / "s01-all-right"
    answers = yaml.safe_load((sub / "answers.yaml").read_text(encoding="utf-8"))
    from grader.bank import load_bank
    from grader.quiz import assignment, load_quiz
    bank = load_bank(ROOT)
    # a student of week 1 with the midterm's right answers for the shared questions, and the right code
    files = {"answers.yaml": yaml.safe_dump(answers, allow_unicode=True).encode(),
             "solution.py": (sub / "solution.py").read_bytes()}
    root = layout(autograder, tmp_path, files, {"id": 7, "users": [{"name": "Ann", "email": "ann@x.edu", "sid": "s77"}]})
    results = run_autograder(root)
    check_gradescope_schema(results)
    assert results["score"] == pytest.approx(sum(t["score"] for t in results["tests"]), abs=1e-3)
    names = [t["name"] for t in results["tests"]]
    assert "sigmoid-derivative/in-sigma" in names
    hidden = [t for t in results["tests"] if t["visibility"] == "after_published"]
    assert hidden and all(t["name"].endswith("(hidden tests)") for t in hidden)
    quiz = load_quiz(WEEK1, bank)
    assert {f"{a.question.id}/{p.id}" for a in assignment(quiz, bank, "s77") for p in a.parts} <= set(names)
    part = next(t for t in results["tests"] if t["name"] == "sigmoid-derivative/in-sigma")
    assert part["status"] == "passed" and "<math" in part["output"]


@pytest.mark.parametrize(("case", "reason"), [
    ("no metadata", "submission_metadata.json"),
    ("no answers", None),
    ("unknown quiz", "cannot be used"),
    ("broken zip", "cannot be read as a zip"),
])
def test_run_autograder_never_crashes(autograder, tmp_path, case, reason):
    files = {"answers.yaml": b"sigmoid-derivative: {in-sigma: 'sigma(x)'}\n"}
    metadata = {"users": [{"sid": "s1"}]}
    if case == "no metadata":
        metadata = None
    if case == "no answers":
        files = {"notes.txt": b"hello"}
    if case == "broken zip":
        files = {"upload.zip": b"PK\x03\x04 this is not a zip"}
    root = layout(autograder, tmp_path, files, metadata)
    if case == "unknown quiz":
        (root / "source" / "nngrade" / "nngrade-autograder.json").write_text('{"quiz": "quizzes/nope.yaml"}')
    results = run_autograder(root)
    assert "score" in results and isinstance(results["tests"], list)
    check_gradescope_schema(results)
    if reason:
        assert results["score"] == 0 and reason in results["output"]
    else:
        assert "answers.yaml" in results["output"]


# -- Canvas and Moodle -----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def results_file(tmp_path_factory):
    out = tmp_path_factory.mktemp("lms") / "report"
    res = run("grade", ROOT / "submissions", "--quiz", MIDTERM, "--out", out, "--jobs", "2", "--quiet")
    assert res.exit_code == 0
    data = json.loads((out / "results.json").read_text(encoding="utf-8"))
    jsonschema.validate(data, SCHEMA)                       # every produced results file follows the schema
    return out / "results.json"


def test_canvas_and_moodle_grade_csvs(results_file, tmp_path):
    assert run("export", "canvas-grades", results_file, "-o", tmp_path / "c.csv", "--assignment-id", "123").exit_code == 0
    rows = list(csv.reader((tmp_path / "c.csv").open(encoding="utf-8")))
    assert rows[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "midterm-exam (123)"]
    assert rows[1][0].strip() == "Points Possible" and float(rows[1][5]) > 0
    data = json.loads(results_file.read_text(encoding="utf-8"))
    assert {r[2]: float(r[5]) for r in rows[2:]} == {s["student"]: pytest.approx(s["score"]) for s in data["students"]}
    assert run("export", "moodle-grades", results_file, "-o", tmp_path / "m.csv").exit_code == 0
    mrows = list(csv.DictReader((tmp_path / "m.csv").open(encoding="utf-8")))
    assert mrows[0]["ID number"] and "midterm-exam" in mrows[0]
    bad = tmp_path / "bad.json"
    bad.write_text("[1, 2]")
    assert run("export", "canvas-grades", bad, "-o", tmp_path / "x.csv").exit_code == 2


def test_canvas_qti_package(tmp_path):
    res = run("export", "canvas-qti", ROOT / "quizzes" / "week3-fnn.yaml", "-o", tmp_path / "q.zip")
    assert res.exit_code == 0 and "warning: backprop-formulas/delta" in res.output
    with zipfile.ZipFile(tmp_path / "q.zip") as zf:
        manifest = ET.fromstring(zf.read("imsmanifest.xml"))
        href = manifest.find(".//{*}file").get("href")
        assessment = ET.fromstring(zf.read(href))
    ns = {"q": "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"}
    items = {i.get("title"): i for i in assessment.findall(".//q:item", ns)}

    def qtype(item):
        for field in item.findall(".//q:qtimetadatafield", ns):
            if field.find("q:fieldlabel", ns).text == "question_type":
                return field.find("q:fieldentry", ns).text
    assert qtype(items["init-symmetry/zero"]) == "multiple_choice_question"
    assert items["init-symmetry/zero"].find(".//q:varequal", ns).text == "B"
    assert qtype(items["init-symmetry/why"]) == "multiple_answers_question"
    chosen = [v.text for v in items["init-symmetry/why"].findall(".//q:and/q:varequal", ns)]
    assert chosen == ["A", "B", "E"]
    assert qtype(items["backprop-formulas/delta"]) == "essay_question"
    assert qtype(items["fnn-forward/z2"]) == "essay_question"          # per-student numbers


def test_moodle_xml(tmp_path):
    res = run("export", "moodle-xml", ROOT / "quizzes" / "week1-activations.yaml", "-o", tmp_path / "m.xml")
    assert res.exit_code == 0
    root = ET.parse(tmp_path / "m.xml").getroot()
    questions = {q.find("name/text").text: q for q in root.findall("question") if q.get("type") != "category"}
    mx = questions["sigmoid-derivative/max"]
    assert mx.get("type") == "numerical" and float(mx.find("answer/text").text) == 0.25
    assert float(mx.find("answer/tolerance").text) > 0
    assert questions["sigmoid-derivative/in-sigma"].get("type") == "essay"
    fractions = [float(a.get("fraction")) for a in questions["sigmoid-derivative/argmax"].findall("answer")]
    assert fractions == [100.0]
    res = run("export", "moodle-xml", ROOT / "quizzes" / "week3-fnn.yaml", "-o", tmp_path / "f.xml")
    named = {q.find("name/text").text: q for q in ET.parse(tmp_path / "f.xml").getroot().findall("question")
             if q.get("type") != "category"}
    why = named["init-symmetry/why"]
    assert why.get("type") == "multichoice" and why.find("single").text == "false"
    assert sum(float(a.get("fraction")) for a in why.findall("answer") if float(a.get("fraction")) > 0) == pytest.approx(100, abs=1e-3)
    assert named["init-symmetry/zero"].get("type") == "truefalse"


# -- the self-check kit --------------------------------------------------------------------------

def test_bundle_has_no_solutions_and_selfcheck_runs(bank, tmp_path):
    kit = tmp_path / "kit"
    assert run("quiz", "bundle", WEEK1, "--student", "s001", "-o", kit).exit_code == 0
    text = "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in kit.rglob("*") if p.is_file())
    public = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "questions").rglob("*.yaml"))
    secrets = set()
    for part in bank.parts():
        ref = part.reference
        for mis in ref.misconceptions:
            secrets.update(mis["feedback"].values())
        for fn in ref.functions.values():
            secrets.update(line.strip() for line in inspect.getsource(fn).splitlines()[1:] if len(line.strip()) > 15)
        for test in ref.code_tests:
            if not test.get("visible", True):
                secrets.update(test["name"].values())
    leaked = [s for s in secrets if s in text and s not in public]
    assert leaked == []
    # the all-right student's code passes; a broken one fails, with the failing check named
    import sys
    sys.path.insert(0, str(ROOT / "scripts"))
    from make_demo_class import GOOD
    (kit / "solution.py").write_text("import numpy as np\n\n" + "\n\n".join(GOOD.values()), encoding="utf-8")
    res = run("selfcheck", kit)
    assert res.exit_code == 0, res.output
    (kit / "solution.py").write_text("import numpy as np\ndef sigmoid(x):\n    return 1/(1+np.exp(-x))\n")
    res = run("selfcheck", kit)
    assert res.exit_code == 1 and "overflow" in res.output and "does not define a function relu()" in res.output
    assert run("selfcheck", tmp_path).exit_code == 2
