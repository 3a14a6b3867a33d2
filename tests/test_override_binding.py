"""An instructor's override judges one answer: it applies while the part's answer is that one (a regrade of the
same answer keeps it), and never carries over to a different answer of a later attempt or a re-submission,
which goes back to the review queue saying what was given before (grader/results ``Override.answer``)."""
from __future__ import annotations

import shutil

import yaml
from click.testing import CliRunner

from grader.cli import cli
from grader.results import Override, PartResult, answer_digest
from grader.results.gradebook import Gradebook
from grader.serve import settings as settings_mod

from .conftest import ROOT
from .test_serve_http import Client, _grade_now, make

TEXT = "init-symmetry/explain"
FIRST = "symmetry: all hidden units compute the same"
SECOND = "I do not know"


def graded_part(db, quiz_id, student="alice"):
    """The text part as the outputs show it: as graded, with the gradebook's overrides applied."""
    from grader.results import QuestionResult, StudentResult
    with Gradebook(db) as book:
        graded = book.results(quiz_id, student, ["init-symmetry"])[0].parts
        overrides = book.overrides(quiz_id, student)
    built = StudentResult.build(student, [QuestionResult("init-symmetry", graded)], [], overrides)
    return dict(built.parts())[TEXT]


def serve_text_quiz(tmp_path):
    """A served quiz of the one text part: (gradebook path, server, alice's browser, the instructor's)."""
    db = tmp_path / "gradebook.sqlite"
    quiz = tmp_path / "quiz.yaml"
    quiz.write_text("id: serve-bind\ntitle: {en: T, zh: T}\nseed: 1\nquestions:\n  - init-symmetry/explain\n",
                    encoding="utf-8")
    server, app, links = make(db, quiz, settings=settings_mod.Settings(feedback="immediate"))
    return db, server, Client(app, links["alice"]), Client(app, links["*instructor*"])


def test_in_serve_an_override_follows_its_answer_not_the_next_attempt(tmp_path):
    db, server, alice, teacher = serve_text_quiz(tmp_path)
    alice.post("/api/save", {"address": TEXT, "value": FIRST, "rev": 1})
    alice.post("/api/submit", {"submit_id": "attempt-one-1"})
    _grade_now(server, "alice")
    auto = graded_part(db, server.quiz.id)
    assert auto.needs_review and auto.details["answer_sha"] == answer_digest(FIRST)
    r = teacher.c.post("/instructor/override", data={"student": "alice", "address": TEXT, "score": str(auto.max_score),
                                                      "comment": "well put", "csrf": teacher.csrf})
    assert r.status_code == 303
    assert graded_part(db, server.quiz.id).score == auto.max_score
    assert 'class="card review" data-student="alice"' not in teacher.get("/instructor").data.decode()

    # the same answer submitted again: the judgement stands
    alice.post("/api/submit", {"submit_id": "attempt-two-22"})
    _grade_now(server, "alice")
    kept = graded_part(db, server.quiz.id)
    assert kept.score == auto.max_score and kept.override is not None and not kept.needs_review

    # another answer: the override is not applied; the part is back in the queue, saying what was given before
    alice.post("/api/save", {"address": TEXT, "value": SECOND, "rev": 2})
    alice.post("/api/submit", {"submit_id": "attempt-three-333"})
    _grade_now(server, "alice")
    fresh = graded_part(db, server.quiz.id)
    assert fresh.override is None and fresh.needs_review and fresh.score < auto.max_score
    assert fresh.details["stale_override"]["score"] == auto.max_score
    page = teacher.get("/instructor").data.decode()
    assert 'class="card review" data-student="alice" data-address="init-symmetry/explain"' in page and SECOND in page
    assert "the earlier answer was given" in page and "well put" in page
    # reviewed again: this answer's own score applies
    teacher.c.post("/instructor/override", data={"student": "alice", "address": TEXT, "score": "1",
                                                 "comment": "", "csrf": teacher.csrf})
    assert graded_part(db, server.quiz.id).score == 1 and not graded_part(db, server.quiz.id).needs_review


def test_an_override_from_before_answer_digests_still_applies():
    part = PartResult("explain", "partial", 1.0, 4.0, details={"needs_review": True, "answer_sha": "abc"})
    legacy = part.with_override(Override(3.0, "ok"))
    assert legacy.score == 3.0 and not legacy.needs_review
    other = part.with_override(Override(3.0, "ok", answer="not-abc"))
    assert other.score == 1.0 and other.needs_review and other.details["stale_override"]["comment"] == "ok"
    same = part.with_override(Override(3.0, "ok", answer="abc"))
    assert same.score == 3.0 and Override.from_json(same.override.to_json()) == same.override


def test_on_the_command_line_a_changed_submission_loses_the_override(tmp_path):
    subs = tmp_path / "subs"
    shutil.copytree(ROOT / "submissions" / "s08-zero-initialisation", subs / "s01")
    out, db = tmp_path / "out", tmp_path / "gb.sqlite"
    quiz = ROOT / "quizzes" / "midterm-exam.yaml"
    env = {"NNGRADE_BANK": str(ROOT)}
    run = CliRunner()

    def grade():
        res = run.invoke(cli, ["grade", str(subs), "--quiz", str(quiz), "--out", str(out), "--db", str(db),
                               "--quiet"], env=env)
        assert res.exit_code == 0, res.output
        import json
        data = json.loads((out / "results.json").read_text(encoding="utf-8"))
        return {f"{q['question']}/{p['part']}": p for s in data["students"] for q in s["questions"]
                for p in q["parts"]}

    parts = grade()
    address = next(a for a, p in parts.items() if p["details"].get("needs_review"))
    res = run.invoke(cli, ["gradebook", "override", "s01", address, "0", "--comment", "no", "--db", str(db)], env=env)
    assert res.exit_code == 0, res.output
    assert grade()[address]["score"] == 0                              # regraded, same answer: kept

    answers_file = subs / "s01" / "answers.yaml"
    answers = yaml.safe_load(answers_file.read_text(encoding="utf-8"))
    qid, pid = address.split("/")
    answers[qid][pid] = "a different answer, written after the review"
    answers_file.write_text(yaml.safe_dump(answers, allow_unicode=True), encoding="utf-8")
    after = grade()[address]
    assert "override" not in after and after["details"]["stale_override"]["score"] == 0
    assert after["details"]["needs_review"]
