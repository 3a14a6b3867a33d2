"""Fair pools: every student of one quiz has the same maximum, and grade exports keep each student's percentage.

A pool whose items carry different points, or a pool that can draw something another entry already gives
(merged, so that student has fewer points to earn), is refused when the quiz loads, naming the entry.
"""
from __future__ import annotations

import csv

import pytest
import yaml

from grader.bank import load_bank
from grader import publish
from grader.quiz import QuizError, assignment, load_quiz
from grader.results import ClassResults

from .conftest import ROOT
from .test_bank import _copy_bank


def maximum(quiz, bank, student: str) -> float:
    """A student's maximum, counted from their assignment (independently of the quiz loader's rule)."""
    return sum(p.points for a in assignment(quiz, bank, student) for p in a.parts)


@pytest.mark.parametrize("path", sorted((ROOT / "quizzes").glob("*.yaml")), ids=lambda p: p.stem)
def test_every_student_of_every_shipped_quiz_has_the_same_maximum(bank, path):
    quiz = load_quiz(path, bank)
    maxima = {maximum(quiz, bank, f"student-{i}") for i in range(150)}
    assert len(maxima) == 1, (path.name, sorted(maxima))


@pytest.fixture
def small(tmp_path):
    # tanh-sigmoid: 2 + 2 + 1 points; residual-gradient: 3; regularization: 2 + 2; sigmoid-derivative: parts vary
    return _copy_bank(tmp_path, "tanh-sigmoid", "residual-gradient", "regularization", "sigmoid-derivative")


def quiz_file(root, questions) -> str:
    path = root / "quizzes" / "q.yaml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(yaml.safe_dump({"id": "q", "title": {"en": "Q", "zh": "测"}, "seed": 7, "questions": questions}),
                    encoding="utf-8")
    return path


UNFAIR = [
    ([{"pool": ["tanh-sigmoid", "residual-gradient"], "pick": 1}], "questions[0]", "same points"),
    ([{"pool": ["tanh-sigmoid/tanh-in-sigma", "tanh-sigmoid/max-derivative"], "pick": 1}], "questions[0]", "same points"),
    (["regularization", {"pool": ["regularization", "tanh-sigmoid"], "pick": 1}], "questions[1]", "overlaps"),
    (["regularization/l2-grad", {"pool": ["regularization", "residual-gradient"], "pick": 1}], "questions[1]",
     "overlaps"),
    ([{"pool": ["regularization/l1-grad", "regularization/l1-grad", "tanh-sigmoid/tanh-in-sigma"], "pick": 2}],
     "questions[0]", "overlaps"),
    ([{"pool": ["regularization/l1-grad", "tanh-sigmoid/tanh-in-sigma"], "pick": 1},
      {"pool": ["regularization/l1-grad", "tanh-sigmoid/tanh-derivative"], "pick": 1}], "questions[1]", "overlaps"),
]


@pytest.mark.parametrize("questions, where, why", UNFAIR)
def test_a_pool_that_could_give_students_different_maxima_is_refused(small, questions, where, why):
    bank = load_bank(small)
    path = quiz_file(small, questions)
    with pytest.raises(QuizError) as info:
        load_quiz(path, bank)
    message = str(info.value)
    assert str(path) in message
    assert any(line.startswith(where + ":") and why in line for line in message.splitlines()), message


def test_the_refused_cases_really_give_different_maxima(small):
    """The rule is not stricter than it must be: each refused quiz, assigned anyway, gives two maxima."""
    bank = load_bank(small)
    for questions, _, _ in UNFAIR:
        from grader.quiz import Quiz
        quiz = Quiz("q", {"en": "Q", "zh": "测"}, 7, questions, "q.yaml")
        maxima = {maximum(quiz, bank, f"s{i}") for i in range(200)}
        assert len(maxima) > 1, questions


FAIR = [
    [{"pool": ["regularization/l1-grad", "regularization/l2-grad"], "pick": 2}],
    [{"pool": ["regularization/l1-grad", "tanh-sigmoid/tanh-in-sigma"], "pick": 1}, "regularization/l2-grad"],
    ["tanh-sigmoid", "tanh-sigmoid/max-derivative", {"pool": ["regularization"], "pick": 1}],  # fixed overlaps: same for all
    [{"pool": ["regularization/l1-grad", "tanh-sigmoid/tanh-in-sigma"], "pick": 1},
     {"pool": ["regularization/l2-grad", "tanh-sigmoid/tanh-derivative"], "pick": 1}],
]


@pytest.mark.parametrize("questions", FAIR)
def test_fair_pools_load_and_every_student_has_the_same_maximum(small, questions):
    bank = load_bank(small)
    quiz = load_quiz(quiz_file(small, questions), bank)
    assert len({maximum(quiz, bank, f"s{i}") for i in range(200)}) == 1


def test_lms_grades_keep_each_students_percentage_when_maxima_differ(tmp_path):
    results = {"students": [{"student": "a", "score": 5.0, "max_score": 10.0},
                            {"student": "b", "score": 6.0, "max_score": 8.0},
                            {"student": "c", "score": 0.0, "max_score": 0.0}]}
    publish.canvas_grades(ClassResults.from_json(results), tmp_path / "canvas.csv", "Quiz")
    rows = list(csv.reader((tmp_path / "canvas.csv").open(encoding="utf-8")))
    assert float(rows[1][5]) == 10.0
    scores = {r[0]: float(r[5]) for r in rows[2:]}
    assert scores == {"a": 5.0, "b": 7.5, "c": 0.0}          # 6/8 = 75 % of 10
    publish.moodle_grades(ClassResults.from_json(results), tmp_path / "moodle.csv", "Quiz")
    mrows = list(csv.DictReader((tmp_path / "moodle.csv").open(encoding="utf-8")))
    assert {r["ID number"]: float(r["Quiz"]) for r in mrows} == {"a": 5.0, "b": 7.5, "c": 0.0}
    assert mrows[1]["Feedback"].startswith("75.0%")
