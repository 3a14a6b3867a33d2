"""Finding the course: --course / $NNGRADE_COURSE, else the working folder, else the course a --quiz file sits in
(COURSE/quizzes/Q.yaml), said on stderr; with none of them the command is a usage error (exit 2)."""
from __future__ import annotations

import shutil

from click.testing import CliRunner

from grader.cli import cli

from .conftest import ROOT


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args],
                                              env={"NNGRADE_COURSE": None, "NNGRADE_BANK": None})


def test_the_quizs_course_is_used_from_anywhere_and_said(tmp_path, monkeypatch):
    course = tmp_path / "course"
    for name in ("questions", "solutions", "quizzes"):
        shutil.copytree(ROOT / name, course / name, ignore=shutil.ignore_patterns("__pycache__"))
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    res = run("quiz", "render", course / "quizzes" / "week1-activations.yaml", "--student", "s1", "-o", tmp_path / "kit")
    assert res.exit_code == 0, res.output + res.stderr
    assert f"course: {course}" in res.stderr


def test_no_course_anywhere_is_a_usage_error_saying_how_to_give_one(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    res = run("bank", "list")
    assert res.exit_code == 2 and "no questions/ folder here" in res.stderr and "--course" in res.stderr
    quiz = tmp_path / "loose.yaml"          # a quiz outside any course does not make one up
    quiz.write_text("id: q\n", encoding="utf-8")
    res = run("quiz", "render", quiz, "--student", "s1", "-o", tmp_path / "kit")
    assert res.exit_code == 2 and "no questions/ folder here" in res.stderr
