"""A wheel works like a checkout: built, installed into a fresh virtual environment outside the
checkout, and run from a course folder elsewhere, it grades the demo class and a --single
submission exactly as the checkout does.

The environment is made with ``--system-site-packages`` and the wheel installed with
``--no-index --no-deps``, so no network is needed: the dependencies come from the Python that
runs the tests. The package itself must come from the venv, never from the checkout (the
editable install's finder sits after the path finder, and we check ``grader.__file__``).
"""
from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from .conftest import ROOT

QUIZ = "quizzes/midterm-exam.yaml"
STUDENT = "s01-all-right"
COURSE_DIRS = ("submissions", "questions", "solutions", "quizzes")


def _clean_env(**extra) -> dict:
    """The environment of a user who never saw the checkout: no bank, templates or import paths pointing at it."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("NNGRADE_COURSE", "NNGRADE_BANK", "NNGRADE_TEMPLATES", "PYTHONPATH", "PYTHONHOME",
                        "VIRTUAL_ENV")}
    env.update(extra)
    return env


def _run(cmd, cwd, **env) -> subprocess.CompletedProcess:
    return subprocess.run([str(c) for c in cmd], cwd=cwd, env=_clean_env(**env), capture_output=True, text=True,
                          timeout=600)


def _can_build_offline() -> bool:
    """setuptools >= 68 and wheel installed here: the wheel builds without fetching a build environment."""
    if importlib.util.find_spec("wheel") is None:
        return False
    import setuptools
    return int(setuptools.__version__.split(".")[0]) >= 68


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """(wheel path, venv bin folder). The source is copied first: pip builds in the tree, and the checkout is shared."""
    work = tmp_path_factory.mktemp("wheel")
    src = work / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, src / name)
    shutil.copytree(ROOT / "grader", src / "grader", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    dist = work / "dist"
    cmd = [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", dist, src]
    if _can_build_offline():
        cmd.insert(5, "--no-build-isolation")
    res = _run(cmd, work)
    assert res.returncode == 0, f"building the wheel failed:\n{res.stdout}\n{res.stderr}"
    wheel = next(dist.glob("nngrade-*.whl"))
    venv = work / "venv"
    res = _run([sys.executable, "-m", "venv", "--system-site-packages", venv], work)
    assert res.returncode == 0, res.stderr
    py = venv / "bin" / "python"
    if sys.prefix != sys.base_prefix:
        # these tests run inside a virtual environment: --system-site-packages reaches the base Python's packages,
        # not this environment's, so the new one is told where this one keeps the dependencies
        site = subprocess.run([py, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                              capture_output=True, text=True, check=True).stdout.strip()
        here = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
        Path(site, "outer-environment.pth").write_text("\n".join(sorted(here)) + "\n")
    res = _run([py, "-m", "pip", "install", "-q", "--no-index", "--no-deps", "--ignore-installed", wheel], work)
    assert res.returncode == 0, f"installing the wheel failed:\n{res.stdout}\n{res.stderr}"
    return wheel, venv / "bin"


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """A course folder outside the checkout holding a copy of the demo class and the bank."""
    folder = tmp_path_factory.mktemp("course")
    for name in COURSE_DIRS:
        shutil.copytree(ROOT / name, folder / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    return folder


def test_every_file_of_the_package_is_in_the_wheel(built):
    """Not a list of today's data files: whatever lives in grader/ (templates, schemas, grammar, worker) ships."""
    wheel, _ = built
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {p.relative_to(ROOT).as_posix() for p in (ROOT / "grader").rglob("*")
                if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"}
    assert {"grader/templates/feedback.html", "grader/sandbox_child.py", "grader/formula/grammar.lark",
            "grader/schemas/results.schema.json"} <= expected
    assert sorted(expected - names) == []


def test_the_installed_package_is_the_wheel_not_the_checkout(built, course):
    _, bin_dir = built
    res = _run([bin_dir / "python", "-c", "import grader, grader.publish.pages as r, grader.sandbox as s; "
                "print(grader.__file__); print(r.DEFAULT_TEMPLATES); print(s.WORKER)"], course)
    assert res.returncode == 0, res.stderr
    venv = bin_dir.parent.resolve()
    for line in res.stdout.split():
        path = Path(line).resolve()
        assert venv in path.parents, f"{path} is not inside the virtual environment {venv}"
        assert ROOT not in path.parents
        assert path.exists()


def _scores(results: Path) -> dict:
    data = json.loads(results.read_text(encoding="utf-8"))
    return {s["student"]: (s["score"], s["max_score"],
                           [(q["question"], p["part"], p["verdict"], p["score"]) for q in s["questions"] for p in q["parts"]])
            for s in data["students"]}


def test_wheel_grades_the_demo_class_like_the_checkout(built, course):
    _, bin_dir = built
    wheel_run = _run([bin_dir / "nngrade", "grade", "submissions", "--quiz", QUIZ, "--out", "report-wheel",
                      "--quiet", "--jobs", "2"], course)
    checkout_run = _run([sys.executable, "-m", "grader", "grade", "submissions", "--quiz", QUIZ,
                         "--out", "report-checkout", "--quiet", "--jobs", "2"], course, PYTHONPATH=str(ROOT))
    assert "Traceback" not in wheel_run.stderr + wheel_run.stdout, wheel_run.stderr
    assert wheel_run.returncode == checkout_run.returncode, (wheel_run.stderr, checkout_run.stderr)
    out = course / "report-wheel"
    students = sorted(p.name for p in (course / "submissions").iterdir() if p.is_dir())
    for name in ["results.json", "index.html", "grades.csv"] + [f"{s}/feedback.html" for s in students]:
        assert (out / name).is_file(), f"the wheel's run did not write {name}"
    wheel_scores = _scores(out / "results.json")
    assert sorted(wheel_scores) == students
    assert wheel_scores == _scores(course / "report-checkout" / "results.json")


def test_wheel_grades_a_single_submission_and_renders_kits(built, course, tmp_path):
    _, bin_dir = built
    single = tmp_path / "single"
    res = _run([bin_dir / "nngrade", "grade", course / "submissions" / STUDENT, "--single", "--student", STUDENT,
                "--quiz", QUIZ, "--out", single, "--junit", single / "junit.xml",
                "--classroom", single / "classroom.json"], course)
    assert "TemplateNotFound" not in res.stderr and "Traceback" not in res.stderr, res.stderr
    for name in ("results.json", "feedback.html", "junit.xml", "classroom.json"):
        assert (single / name).is_file(), f"--single did not write {name}: {res.stderr}"
    assert "<html" in (single / "feedback.html").read_text(encoding="utf-8").lower()
    reference = _run([sys.executable, "-m", "grader", "grade", course / "submissions" / STUDENT, "--single",
                      "--student", STUDENT, "--quiz", QUIZ, "--out", tmp_path / "checkout"], course,
                     PYTHONPATH=str(ROOT))
    assert res.returncode == reference.returncode
    assert _scores(single / "results.json") == _scores(tmp_path / "checkout" / "results.json")
    for command in (["quiz", "render", QUIZ, "--student", STUDENT, "-o", tmp_path / "handout"],
                    ["quiz", "bundle", QUIZ, "--student", STUDENT, "-o", tmp_path / "kit"]):
        res = _run([bin_dir / "nngrade", *command], course)
        assert res.returncode == 0, res.stderr
    assert (tmp_path / "handout" / "handout.html").is_file()
    assert (tmp_path / "kit" / "selfcheck" / "vectors.json").is_file()


def test_a_gradescope_zip_from_a_wheel_install_builds_and_carries_the_grader(built, course, tmp_path):
    """Exported from a course folder with nngrade installed from a wheel (no checkout): the zip holds the
    running grader and a pyproject that pip can build, so Gradescope's setup.sh installs it."""
    _, bin_dir = built
    out = tmp_path / "autograder.zip"
    res = _run([bin_dir / "nngrade", "export", "gradescope", QUIZ, "-o", out], course)
    assert res.returncode == 0, res.stderr
    with zipfile.ZipFile(out) as zf:
        names = set(zf.namelist())
        assert {"nngrade/pyproject.toml", "nngrade/grader/sandbox_child.py", "nngrade/grader/templates/feedback.html",
                "setup.sh", "run_autograder"} <= names
        assert any(n.startswith("nngrade/solutions/") for n in names)
        zf.extractall(tmp_path / "unpacked")
    dist = tmp_path / "dist"
    cmd = [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", dist, tmp_path / "unpacked" / "nngrade"]
    if _can_build_offline():
        cmd.insert(5, "--no-build-isolation")
    res = _run(cmd, tmp_path)
    assert res.returncode == 0, f"the exported grader does not build:\n{res.stdout}\n{res.stderr}"
    with zipfile.ZipFile(next(dist.glob("nngrade-*.whl"))) as whl:
        assert "grader/sandbox_child.py" in whl.namelist() and "grader/templates/feedback.html" in whl.namelist()


def test_the_course_is_one_option_or_setting_and_never_the_package(built, course, tmp_path):
    """Outside a course folder nothing is found next to the package (wheel or checkout): the command says
    how to give the course. --course DIR and $NNGRADE_COURSE give it from anywhere; the course's own
    templates/ folder overrides the package's pages."""
    _, bin_dir = built
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    for cmd, env in (([bin_dir / "nngrade", "bank", "list"], {}),
                     ([sys.executable, "-m", "grader", "bank", "list"], {"PYTHONPATH": str(ROOT)})):
        res = _run(cmd, elsewhere, **env)
        assert res.returncode != 0 and "Traceback" not in res.stderr
        assert "no questions/ folder here" in res.stderr and "--course" in res.stderr, res.stderr
    listed = _run([bin_dir / "nngrade", "bank", "list", "--course", course], elsewhere)
    assert listed.returncode == 0 and "sigmoid-derivative/in-sigma" in listed.stdout, listed.stderr
    assert _run([bin_dir / "nngrade", "bank", "list"], elsewhere, NNGRADE_COURSE=str(course)).stdout == listed.stdout
    # a course of its own with a page override, graded from elsewhere through the setting
    own = tmp_path / "own-course"
    for name in ("questions", "solutions", "quizzes"):
        shutil.copytree(course / name, own / name)
    (own / "templates").mkdir()
    (own / "templates" / "feedback.html").write_text(
        '{% extends "base.html" %}{% block content %}OWN-COURSE-PAGE {{ student.student }}{% endblock %}',
        encoding="utf-8")
    res = _run([bin_dir / "nngrade", "grade", course / "submissions" / STUDENT, "--single", "--student", STUDENT,
                "--quiz", own / QUIZ, "--out", tmp_path / "own"], elsewhere, NNGRADE_COURSE=str(own))
    assert res.returncode == 0, res.stderr
    assert "OWN-COURSE-PAGE s01-all-right" in (tmp_path / "own" / "feedback.html").read_text(encoding="utf-8")
