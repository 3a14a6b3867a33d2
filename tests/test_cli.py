"""The `nngrade` command: contract output, exit codes, help."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from grader import cli as cli_module
from grader.cli import cli

from .conftest import ROOT

CONTRACT_KEYS = {"question", "part", "verdict", "score", "max_score", "feedback", "interpreted"}


@pytest.fixture
def run():
    runner = CliRunner()

    def invoke(*args):
        return runner.invoke(cli, ["--help"] if not args else list(args), env={"NNGRADE_BANK": str(ROOT)},
                             catch_exceptions=False)
    return invoke


def test_check_json_contract(run):
    result = run("check", "sigmoid-derivative/in-sigma", "sigma(x)(1-sigma(x))", "--json")
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert CONTRACT_KEYS <= set(data)
    assert (data["verdict"], data["score"], data["max_score"]) == ("correct", 2.0, 2.0)
    assert r"\sigma" in data["interpreted"]


def test_a_wrong_answer_still_exits_zero(run):
    result = run("check", "sigmoid-derivative/in-sigma", "sigma(x)^2", "--json")
    assert result.exit_code == 0 and json.loads(result.output)["verdict"] == "incorrect"


def test_invalid_answer_text_output_has_caret(run):
    result = run("check", "sigmoid-derivative/in-sigma", "sigma(x)(1-sigma(x)")
    assert result.exit_code == 0
    assert "invalid (0/2)" in result.output
    assert "sigma(x)(1-sigma(x)\n" in result.output and "        ^" in result.output


def test_chinese_feedback(run):
    result = run("check", "sigmoid-derivative/in-sigma", "sigma(y)", "--lang", "zh", "--json")
    assert "未知符号" in json.loads(result.output)["feedback"]


def test_usage_errors_exit_2(run):
    assert run("check", "sigmoid-derivative/nope", "x").exit_code == 2
    assert run("check", "sigmoid-derivative/in-sigma").exit_code == 2
    assert run("check", "--batch", "/nonexistent/file.jsonl").exit_code == 2
    assert run("bank", "list", "--topic", "astrology").exit_code == 2


def test_batch_keeps_order_and_survives_bad_lines(run, tmp_path):
    lines = [
        {"part": "sigmoid-derivative/max", "answer": "1/4"},
        "not json",
        {"part": "nope/x", "answer": "1"},
        {"part": "init-symmetry/why", "answer": ["A", "B", "E"]},
        {"part": "sigmoid-derivative/in-sigma", "answer": "σ(x)(1-σ(x))", "lang": "zh"},
    ]
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(line if isinstance(line, str) else json.dumps(line, ensure_ascii=False) for line in lines),
                    encoding="utf-8")
    result = run("check", "--batch", str(path), "--json")
    assert result.exit_code == 0
    rows = [json.loads(r) for r in result.output.splitlines()]
    assert [r["verdict"] for r in rows] == ["correct", "error", "error", "correct", "correct"]
    assert "in.jsonl:2" in rows[1]["feedback"] and "in.jsonl:3" in rows[2]["feedback"]
    assert "正确" in rows[4]["feedback"]
    assert all(CONTRACT_KEYS <= set(r) for r in rows)


def test_bank_list(run):
    result = run("bank", "list", "--topic", "lstm", "--json")
    rows = [json.loads(r) for r in result.output.splitlines()]
    # exactly the questions of the lstm folder (counted from the files, independently of the loader)
    expected = {p.stem for p in (ROOT / "questions" / "lstm").glob("*.yaml")}
    assert {r["question"] for r in rows} == expected >= {"lstm-cell", "gru-cell"}
    assert all(r["topic"] == "lstm" for r in rows)


def test_bank_check_exits_zero_on_the_shipped_bank(run):
    result = run("bank", "check")
    assert result.exit_code == 0, result.output
    assert " 0 failed" in result.output


def test_bank_check_exits_one_on_a_failing_self_test(tmp_path):
    from .test_bank import _copy_bank
    root = _copy_bank(tmp_path, "regularization")
    s = root / "solutions" / "regularization.py"
    s.write_text(s.read_text(encoding="utf-8").replace('"accept": ["lambda*W",', '"accept": ["W",'), encoding="utf-8")
    result = CliRunner().invoke(cli, ["bank", "check", "--bank", str(root)])
    assert result.exit_code == 1 and "FAIL regularization/l2-grad" in result.output


def test_a_broken_bank_is_a_clear_error_not_a_traceback(tmp_path):
    (tmp_path / "questions").mkdir()
    (tmp_path / "questions" / "x.yaml").write_text("id: x\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["bank", "list", "--bank", str(tmp_path)])
    assert result.exit_code == 1
    assert "Error: the question bank has" in result.output and "Traceback" not in result.output


def _commands(group, prefix=""):
    for name, command in group.commands.items():
        if hasattr(command, "commands"):
            yield from _commands(command, f"{prefix}{name} ")
        else:
            yield f"{prefix}{name}", command


@pytest.mark.parametrize(("name", "command"), list(_commands(cli)))
def test_every_command_documents_an_example(name, command):
    assert command.help and "Example:" in command.help, name


def test_help_is_fast_because_heavy_modules_load_lazily():
    code = "import sys, grader.cli; print(sorted(m for m in ('numpy', 'sympy', 'lark') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
    assert cli_module.main
