"""Quizzes, variants and handouts: stable numbers, and nothing from solutions/ in a student's kit."""
from __future__ import annotations

import ast
import inspect
import re

import numpy as np
import yaml
from click.testing import CliRunner

from grader.cli import cli
from grader.quiz import assignment, load_quiz

from .conftest import ROOT

QUIZ = ROOT / "quizzes" / "midterm-exam.yaml"


def test_every_shipped_quiz_loads(bank):
    quizzes = sorted((ROOT / "quizzes").glob("*.yaml"))
    assert len(quizzes) >= 7
    topics = set()
    for path in quizzes:
        quiz = load_quiz(path, bank)
        for a in assignment(quiz, bank, "someone"):
            topics.add(a.question.topic)
    # every topic of the bank is in some shipped quiz (and the first six topics are still there)
    assert topics == {p.name for p in (ROOT / "questions").iterdir() if p.is_dir()}
    assert topics >= {"activations", "loss", "fnn", "rnn", "lstm", "training"}


def test_variants_are_stable_and_differ_between_students(bank):
    quiz = load_quiz(QUIZ, bank)
    a = {x.question.id: x.params for x in assignment(quiz, bank, "s001")}
    b = {x.question.id: x.params for x in assignment(quiz, bank, "s001")}
    c = {x.question.id: x.params for x in assignment(quiz, bank, "s002")}
    assert repr(a) == repr(b)
    assert repr(a["fnn-forward"]) != repr(c["fnn-forward"])
    pools = {tuple(x.question.id for x in assignment(quiz, bank, f"s{i:03d}")) for i in range(30)}
    assert len(pools) > 1                                  # pools give students different questions


def test_handout_kit_contains_nothing_from_solutions(bank, tmp_path):
    res = CliRunner().invoke(cli, ["quiz", "render", str(QUIZ), "--student", "s001", "-o", str(tmp_path)],
                             env={"NNGRADE_BANK": str(ROOT)})
    assert res.exit_code == 0, res.output
    kit = "\n".join((tmp_path / f).read_text(encoding="utf-8") for f in ("handout.html", "answers.yaml", "solution.py"))
    public = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "questions").rglob("*.yaml"))
    secrets = set()
    for part in bank.parts():
        ref = part.reference
        if isinstance(ref.answer, str):
            secrets.add(ref.answer)
        for mis in ref.misconceptions:
            secrets.update(v for v in mis["feedback"].values())
            if isinstance(mis["answer"], str):
                secrets.add(mis["answer"])
        secrets.update(t for fb in ref.option_feedback.values() for t in fb.values())
        secrets.update(w for idea in ref.rubric for w in idea["idea"].values())
        for name, fn in ref.functions.items():
            body = inspect.getsource(fn).split(":", 1)[1]
            secrets.update(line.strip() for line in body.splitlines() if len(line.strip()) > 15)
    leaked = [s for s in secrets if len(s) >= 6 and s in kit and s not in public]
    assert leaked == []


def test_answers_template_and_stub_are_usable(bank, tmp_path):
    quiz = load_quiz(QUIZ, bank)
    CliRunner().invoke(cli, ["quiz", "render", str(QUIZ), "--student", "s002", "-o", str(tmp_path), "--lang", "zh"],
                       env={"NNGRADE_BANK": str(ROOT)})
    template = yaml.safe_load((tmp_path / "answers.yaml").read_text(encoding="utf-8"))
    for a in assignment(quiz, bank, "s002"):
        for p in a.parts:
            if p.type != "code":
                assert p.id in template[a.question.id]
    stub = (tmp_path / "solution.py").read_text(encoding="utf-8")
    names = {n.name for n in ast.walk(ast.parse(stub)) if isinstance(n, ast.FunctionDef)}
    assert {"sigmoid_grad", "sigmoid", "forward", "lstm_cell_forward", "adam_step"} <= names
    html = (tmp_path / "handout.html").read_text(encoding="utf-8")
    fnn = next(a for a in assignment(quiz, bank, "s002") if a.question.id == "fnn-forward")
    w1 = np.asarray(fnn.params["W1"])
    assert f"{w1[0, 0]:g}" in html and "<math" in html and "$" not in re.sub(r"<[^>]+>", "", html).split("期中")[0]


def test_key_contains_the_answers(bank, tmp_path):
    CliRunner().invoke(cli, ["quiz", "render", str(QUIZ), "--student", "s001", "-o", str(tmp_path), "--key"],
                       env={"NNGRADE_BANK": str(ROOT)})
    html = (tmp_path / "handout.html").read_text(encoding="utf-8")
    assert "sigma(x)*(1 - sigma(x))" in html and "— 答案" in html      # the midterm is Chinese: its key says so
