"""Readable code feedback: arguments on one line and named, expected beside returned with the wrong entries
marked, each number said once, a missing function said once, scores in the part's points, plots only for a
function that fails."""
from __future__ import annotations

import re

from grader.checks import check_answer

STABLE = ("import numpy as np\ndef sigmoid(x):\n    x = np.asarray(x, dtype=float)\n    z = np.exp(-np.abs(x))\n"
          "    return np.where(x >= 0, 1/(1+z), z/(1+z))\n")
OFF = ("import numpy as np\ndef sigmoid(x):\n    x = np.asarray(x, dtype=float)\n    z = np.exp(-np.abs(x))\n"
       "    return np.where(x >= 0, 1/(1+z), z/(1+z)) * 1.001\n")
ADAM_NO_BIAS = '''import numpy as np
def momentum_step(theta, g, v, lr, rho=0.9):
    v = rho*v - lr*g
    return theta + v, v
def adagrad_step(theta, g, G, lr, eps=1e-7):
    G = G + g*g
    return theta - lr*g/(np.sqrt(G) + eps), G
def rmsprop_step(theta, g, G, lr, beta=0.9, eps=1e-7):
    G = beta*G + (1-beta)*g*g
    return theta - lr*g/(np.sqrt(G) + eps), G
def adam_step(theta, g, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    m = beta1*m + (1-beta1)*g
    v = beta2*v + (1-beta2)*g*g
    return theta - lr*m/(np.sqrt(v) + eps), m, v
'''


def failed(result):
    return [t for t in result.details["tests"] if not t["passed"] and t["visible"]]


def test_wrong_values_come_as_a_short_message_and_a_table_of_entries(bank):
    result = check_answer(bank.part("optimizers/code"), ADAM_NO_BIAS)
    test = next(t for t in failed(result) if t["function"] == "adam_step")
    table = test["table"]
    assert 1 <= len(table) <= 6 and table[0]["wrong"]
    assert table[0]["at"] == "[" + ", ".join(map(str, test["where"])) + "]"          # the worst entry first
    assert float(table[0]["expected"]) != float(table[0]["got"])
    # the numbers of the table are not repeated in the message shown above it
    assert table[0]["expected"] not in test["message"] and table[0]["got"] not in test["message"]
    # text outputs (console, JUnit, LMS) have no table: their line names the worst entry once
    line = next(line for line in result.feedback if line.startswith(test["name"]))
    assert line.count(table[0]["expected"]) == 1 and line.count(table[0]["got"]) == 1


def test_arguments_are_one_line_and_named_by_the_references_parameters(bank):
    result = check_answer(bank.part("optimizers/code"), ADAM_NO_BIAS)
    for test in failed(result):
        assert "\n" not in test["input"]
        assert re.match(r"theta = ", test["input"]), test["input"]
        assert " g = " in test["input"] and " t = " in test["input"]


def test_a_missing_function_is_said_once_naming_its_tests(bank):
    part = bank.part("relu-family/code")
    result = check_answer(part, "import numpy as np\ndef relu(x): return np.maximum(np.asarray(x, dtype=float), 0.0)\n")
    missing = [t for t in failed(result) if t.get("reason") == "missing_function" and t["function"] == "softplus"]
    assert len(missing) >= 2
    lines = [line for line in result.feedback if "softplus()" in line]
    assert len(lines) == 1 and all(t["name"] in lines[0] for t in missing)


def test_the_summary_is_in_the_parts_points_with_two_decimals_at_most(bank):
    part = bank.part("optimizers/code")
    result = check_answer(part, ADAM_NO_BIAS)
    match = re.search(r"\(([\d.]+) of ([\d.]+) points\)", result.feedback[0])
    assert match, result.feedback[0]
    assert float(match.group(2)) == part.points
    assert float(match.group(1)) == round(part.points * result.score / part.points, 2)
    assert len(match.group(1).partition(".")[2]) <= 2


def test_plots_only_for_a_function_that_fails(bank):
    part = bank.part("stable-sigmoid/code")
    assert check_answer(part, STABLE).details["curves"] == []
    curves = check_answer(part, OFF).details["curves"]
    assert curves and {c["function"] for c in curves} == {"sigmoid"}


def test_the_page_shows_each_test_once_with_its_table(bank, tmp_path):
    from click.testing import CliRunner

    from grader.cli import cli

    from .conftest import ROOT
    quiz = tmp_path / "quiz.yaml"
    quiz.write_text("id: opt\ntitle: {en: Opt, zh: 优化}\nseed: 1\nquestions:\n  - optimizers/code\n", encoding="utf-8")
    student = tmp_path / "subs" / "s1"
    student.mkdir(parents=True)
    (student / "solution.py").write_text(ADAM_NO_BIAS, encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["grade", str(tmp_path / "subs"), "--quiz", str(quiz), "--out", str(out),
                                      "--bank", str(ROOT)])
    assert result.exit_code == 0, result.output
    page = (out / "s1" / "feedback.html").read_text(encoding="utf-8")
    assert '<table class="entries">' in page and 'class="wrong"' in page
    name = "Adam"
    # the failing test's message is in the tests table, not again as a bullet above it
    bullets = re.findall(r"<li>(.*?)</li>", page.split('<table class="tests">')[0].split('id="optimizers/code"')[1],
                         re.S)
    assert not any(name in b for b in bullets)
    assert not re.search(r"\d\.\d{3,}\s*/\s*\d", page)           # no long decimals in scores
