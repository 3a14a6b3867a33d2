"""A Gradescope autograder whose quiz cannot be used tells the student so in the quiz's language, its problems
included (they were English inside a Chinese sentence)."""
from __future__ import annotations

import json

import pytest

from .test_ci_exports import autograder, layout, run_autograder  # noqa: F401 - the fixture is used below


@pytest.mark.parametrize("lang, said, not_said", [("zh", "未知的题目", "unknown question"),
                                                  ("en", "unknown question", "未知的题目")])
def test_an_unusable_quiz_is_explained_in_the_quiz_language(autograder, tmp_path, lang, said, not_said):  # noqa: F811
    root = layout(autograder, tmp_path, {"answers.yaml": b"{}\n"}, {"id": 1, "users": [{"sid": "s01"}]})
    source = root / "source" / "nngrade"
    config = json.loads((source / "nngrade-autograder.json").read_text(encoding="utf-8"))
    config["lang"] = lang
    (source / "nngrade-autograder.json").write_text(json.dumps(config), encoding="utf-8")
    quiz = source / config["quiz"]
    quiz.write_text(quiz.read_text(encoding="utf-8").replace("questions:", "questions:\n  - no-such-question", 1),
                    encoding="utf-8")
    results = run_autograder(root)
    assert results["score"] == 0
    assert said in results["output"] and not_said not in results["output"], results["output"]
    assert "no-such-question" in results["output"]
