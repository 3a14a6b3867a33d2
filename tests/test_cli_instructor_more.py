"""Instructor-facing details found by a newcomer's trial: the secret links file is private, and serve's and a
class run's own lines are in the instructor's language (not the quiz's)."""
from __future__ import annotations

import shutil
import stat

from click.testing import CliRunner

from grader.cli import cli

from .conftest import ROOT

WEEK1 = ROOT / "quizzes" / "week1-activations.yaml"


def test_links_csv_is_readable_by_the_instructor_alone_even_when_it_existed(tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text("student\nalice\nbob\n", encoding="utf-8")
    out = tmp_path / "links.csv"
    out.write_text("old", encoding="utf-8")
    out.chmod(0o644)
    res = CliRunner().invoke(cli, ["roster", str(WEEK1), str(roster), "-o", str(out), "--db", str(tmp_path / "g.sqlite")],
                             env={"NNGRADE_BANK": str(ROOT)})
    assert res.exit_code == 0, res.output
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert out.read_text(encoding="utf-8").startswith("student,link\nalice,")


def test_serve_speaks_the_instructors_language_whatever_the_quizs(tmp_path, monkeypatch):
    quiz = tmp_path / "q.yaml"            # an English quiz, a Chinese instructor
    quiz.write_text('id: q\ntitle: {en: "Q", zh: "测"}\nlang: en\nseed: 1\nquestions: [sigmoid-derivative]\n'
                    "serve:\n  attempts: 1\n", encoding="utf-8")
    monkeypatch.setattr("grader.serve.serve", lambda *a, ready=None, **k: ready("http://127.0.0.1:9/"))
    res = CliRunner().invoke(cli, ["--lang", "zh", "serve", "--quiz", str(quiz), "--course", str(ROOT),
                                   "--db", str(tmp_path / "g.sqlite")])
    assert res.exit_code == 0, res.output
    assert "http://127.0.0.1:9/" in res.output and "Ctrl-C stops" not in res.output
    assert "nngrade serve stopped" not in res.output and any("\u4e00" <= c <= "\u9fff" for c in res.output)


def test_the_class_runs_progress_bar_is_in_the_instructors_language(tmp_path):
    subs = tmp_path / "subs"
    subs.mkdir()
    shutil.copytree(ROOT / "submissions" / "s01-all-right", subs / "s01")
    quiz = ROOT / "quizzes" / "midterm-exam.yaml"
    for lang, label, other in (("zh", "评分", "grading:"), ("en", "grading", "评分")):
        res = CliRunner().invoke(cli, ["--lang", lang, "grade", str(subs), "--quiz", str(quiz),
                                       "--course", str(ROOT), "--out", str(tmp_path / f"out-{lang}")])
        assert res.exit_code == 0, res.output
        assert label in res.output and other not in res.output
