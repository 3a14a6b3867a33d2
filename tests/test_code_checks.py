"""Code parts graded through the bank: scores, structure-first feedback, hidden tests, curves."""
from __future__ import annotations

import json

from click.testing import CliRunner

from grader.checks import check_answer
from grader.cli import cli

from .conftest import ROOT

NAIVE_SIGMOID = "import numpy as np\ndef sigmoid(x):\n    return 1/(1+np.exp(-x))\n"


def test_the_reference_file_scores_full_marks(bank):
    for part in bank.parts():
        if part.type == "code":
            source = (ROOT / bank.questions[part.question_id].solution_path).read_text(encoding="utf-8")
            result = check_answer(part, source)
            assert result.verdict == "correct", (part.address, result.feedback)


def test_overflowing_sigmoid_loses_only_the_stability_points(bank):
    result = check_answer(bank.part("stable-sigmoid/code"), NAIVE_SIGMOID)
    assert result.verdict == "partial"
    failed = [t for t in result.details["tests"] if not t["passed"]]
    assert [t["kind"] for t in failed] == ["stable"]
    assert "overflow" in failed[0]["message"] and failed[0]["input"]


def test_missing_function_and_wrong_shape_are_named(bank):
    part = bank.part("relu-family/code")
    source = ("import numpy as np\ndef relu(x): return np.maximum(x, 0).sum()\n"
              "def leaky_relu(x, alpha=0.01): return np.where(x > 0, x, alpha*x)\n")
    result = check_answer(part, source)
    messages = {t["function"]: t.get("message", "") for t in result.details["tests"]}
    assert "does not define a function relu_grad()" in messages["relu_grad"]
    assert "expected an array of shape" in messages["relu"] or "expected shape" in messages["relu"]


def test_hidden_tests_reveal_only_name_and_verdict(bank):
    part = bank.part("sigmoid-derivative/code")
    result = check_answer(part, "import numpy as np\ndef sigmoid_grad(x):\n    return np.zeros_like(x)\n")
    hidden = [t for t in result.details["tests"] if not t["visible"]]
    assert hidden and all(set(t) == {"name", "function", "kind", "visible", "points", "max_points", "passed"} for t in hidden)
    assert any("hidden test" in line for line in result.feedback)


def test_wrong_tuple_length_is_a_structural_message(bank):
    part = bank.part("lstm-cell/code")
    result = check_answer(part, "import numpy as np\ndef lstm_cell_forward(x, h, c, W, b):\n    return h\n")
    assert result.score == 0
    assert "expected a tuple of 2 outputs" in result.details["tests"][0]["message"]


def test_curves_for_elementwise_functions(bank):
    result = check_answer(bank.part("stable-sigmoid/code"), NAIVE_SIGMOID)
    curve = result.details["curves"][0]
    assert curve["function"] == "sigmoid" and len(curve["x"]) == len(curve["student"]) == len(curve["reference"]) == 201


def test_syntax_error_is_reported_with_the_students_line(bank):
    result = check_answer(bank.part("gradient-clipping/code"), "def clip_by_norm(g, m)\n    return g\n")
    assert result.score == 0 and result.details["error"] == "load"
    assert "SyntaxError" in result.feedback[0] and "solution.py" in result.details["traceback"]


def test_feedback_in_chinese(bank):
    result = check_answer(bank.part("stable-sigmoid/code"), NAIVE_SIGMOID, "zh")
    assert "项测试中通过" in result.feedback[0]


def test_cli_checks_a_file(tmp_path):
    path = tmp_path / "solution.py"
    path.write_text(NAIVE_SIGMOID, encoding="utf-8")
    runner = CliRunner()
    out = runner.invoke(cli, ["check", "stable-sigmoid/code", str(path), "--json"], env={"NNGRADE_BANK": str(ROOT)})
    assert out.exit_code == 0
    data = json.loads(out.output)
    assert data["verdict"] == "partial" and len(data["details"]["tests"]) == 5
    bad = tmp_path / "latin1.py"
    bad.write_bytes("# caf\xe9\n".encode("latin-1"))
    out = runner.invoke(cli, ["check", "stable-sigmoid/code", str(bad)], env={"NNGRADE_BANK": str(ROOT)})
    assert out.exit_code == 2 and "not UTF-8" in out.output


def test_doctor_reports_isolation():
    out = CliRunner().invoke(cli, ["doctor", "--json"])
    report = json.loads(out.output)
    assert out.exit_code == 0 and report["ok"] is True, report
    assert report["isolation"]["rlimits"] is True and report["isolation"]["pidns"] is True
    assert report["probe"]["network"] is False and report["probe"]["exec"] is False
    assert report["probe"]["sees"] == []          # not the course, home, the grader's environ or /etc
