"""`nngrade serve` tells the instructor, in their language, when the quiz's settings let a student use the
checker as an oracle (unlimited attempts with feedback before closing); never for an exam-like setting."""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from grader.cli import cli
from grader.serve import settings as settings_mod

ROOT = Path(__file__).resolve().parent.parent
QUIZ = """id: advice
title: {{en: "Advice", zh: "提示"}}
seed: 3
questions:
  - sigmoid-derivative
{serve}"""


@pytest.mark.parametrize("serve, oracle", [
    ("", True),                                                   # the defaults: unlimited, after_submit
    ("serve:\n  feedback: immediate\n", True),
    ("serve:\n  attempts: 2\n", False),
    ("serve:\n  feedback: after_close\n", False),
    ("serve:\n  feedback: release\n", False),
    ("serve:\n  attempts: 1\n  feedback: immediate\n", False),
])
def test_the_oracle_advice_follows_the_settings(serve, oracle):
    import yaml
    data = yaml.safe_load(QUIZ.format(serve=serve)).get("serve")
    assert (settings_mod.advice(settings_mod.parse(data)) == ["serve_advice_oracle"]) is oracle


@pytest.mark.parametrize("lang, word", [("en", "unlimited attempts"), ("zh", "不限提交次数")])
def test_serve_says_the_advice_before_starting(tmp_path, monkeypatch, lang, word):
    calls = []
    monkeypatch.setattr("grader.serve.serve", lambda *a, **k: calls.append(a))   # the server itself is not wanted here
    for serve, said in (("", True), ("serve:\n  attempts: 3\n", False)):
        quiz = tmp_path / f"q{len(calls)}.yaml"
        quiz.write_text(QUIZ.format(serve=serve), encoding="utf-8")
        result = CliRunner().invoke(cli, ["--lang", lang, "serve", "--quiz", str(quiz), "--course", str(ROOT),
                                          "--db", str(tmp_path / "g.sqlite")])
        assert result.exit_code == 0, result.output
        assert (word in result.output) is said
    assert len(calls) == 2
