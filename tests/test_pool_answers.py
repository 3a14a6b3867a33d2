"""An answer to a pool item the quiz did not draw for this student is said as such (never "not a question of
this quiz", which is false), in the student's language; an answer to something outside the quiz still is."""
from __future__ import annotations

import shutil

import yaml

from grader.quiz import load_quiz
from grader.results.grading import grade_one, pooled

from .conftest import ROOT

MIDTERM = ROOT / "quizzes" / "midterm-exam.yaml"


def test_answers_to_undrawn_pool_items_are_said_as_not_drawn(bank, tmp_path):
    quiz = load_quiz(MIDTERM, bank)
    folder = tmp_path / "s01"
    shutil.copytree(ROOT / "submissions" / "s01-all-right", folder)
    answers = yaml.safe_load((folder / "answers.yaml").read_text(encoding="utf-8"))
    answers["not-in-any-quiz-question"] = {"x": "1"}          # outside the quiz altogether
    (folder / "answers.yaml").write_text(yaml.safe_dump(answers, allow_unicode=True), encoding="utf-8")
    for lang, word in (("en", "not drawn for you"), ("zh", "未抽给你")):
        result = grade_one(bank, quiz, folder, "s01-all-right", lang)
        said = {(p.key, (p.params or {}).get("address") or (p.params or {}).get("question")): p for p in result.problems}
        drawn = {("sub_not_drawn", a) for a in pooled(quiz)}
        not_drawn = [k for k in said if k[0] == "sub_not_drawn"]
        assert not_drawn and set(not_drawn) <= drawn                   # each one really is a pool item
        assert all(word in said[k].message for k in not_drawn)
        assert ("sub_not_question", "not-in-any-quiz-question") in said
        wrongly = [k for k in said if k[0] in ("sub_not_question", "sub_not_part") and k[1] in pooled(quiz)]
        assert not wrongly, wrongly
        assert result.score == result.max_score                         # the known-good answers keep full marks
