"""The instructor's errors and warnings in the instructor's language: rosters, a quiz's serve: settings, quiz
validation, `nngrade doctor`'s fields and LMS export warnings.

Each error carries its catalog reference (grader/said.py): ``str()`` stays English for code that reads it, the
CLI prints it in the language of ``--lang``. Every case runs the real CLI on a bad input made here, in both
languages, and checks the language, that the file / line / key is named, and the exit status (usage: 2).
"""
from __future__ import annotations

import json
import os
import pickle
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from grader.cli import cli
from grader.said import Said, said

from .conftest import ROOT

CJK = re.compile(r"[\u4e00-\u9fff]")
NO_LOCALE = {"LC_ALL": None, "LC_MESSAGES": None, "LANG": "C.UTF-8", "NNGRADE_LANG": None,
             "NNGRADE_COURSE": None, "NNGRADE_BANK": None}
QUIZ = "quizzes/week1-activations.yaml"


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Path:
    """The activations topic of the shipped bank, its solutions and quiz."""
    root = tmp_path_factory.mktemp("course")
    shutil.copytree(ROOT / "questions" / "activations", root / "questions" / "activations")
    (root / "solutions").mkdir()
    for q in (root / "questions" / "activations").glob("*.yaml"):
        name = q.stem.replace("-", "_") + ".py"
        if (ROOT / "solutions" / name).exists():
            shutil.copy(ROOT / "solutions" / name, root / "solutions" / name)
    (root / "quizzes").mkdir()
    shutil.copy(ROOT / QUIZ, root / QUIZ)
    return root


def run(course: Path, lang: str, *args) -> tuple[int, str]:
    """The CLI in ``course`` with ``--lang lang``: (exit status, stdout + stderr); a traceback fails the test."""
    here = os.getcwd()
    os.chdir(course)
    try:
        res = CliRunner().invoke(cli, ["--lang", lang, *map(str, args)], env=NO_LOCALE, catch_exceptions=False,
                                 prog_name="nngrade")
    finally:
        os.chdir(here)
    out = res.stdout + res.stderr
    assert "Traceback" not in out, out
    return res.exit_code, out


def error_line(out: str) -> str:
    """The error report after Click's usage lines (``Error: ...`` or ``错误：...``), to the end."""
    match = re.search(r"^(Error: |错误：)(.*)", out, re.M | re.S)
    assert match, out
    return match.group(2)


def quiz(course: Path, name: str, body: str) -> str:
    path = course / "quizzes" / "bad" / name          # not under quizzes/*.yaml: bank check does not read them
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(body.encode("latin-1" if "\xe9" in body else "utf-8"))
    return str(path.relative_to(course))


HEAD = "id: q\ntitle: {en: Q, zh: 测}\nseed: 1\n"


# -- 1. the roster of `nngrade roster` --------------------------------------------------------------------------

ROSTERS = [   # name, bytes, (zh, en) phrases, what must be named
    ("twice.csv", b"student\nalice\nbob\nalice\n",
     ("有问题：第 4 行：'alice' 出现了两次", "line 4: 'alice' appears twice")),
    ("spoof.csv", "student\nalice\nbob\u202eevil\n".encode(),
     ("第 3 行：'bob\\u202eevil' 不是可用的学生 id", "line 3: 'bob\\u202eevil' is not a usable student id")),
    ("both.csv", b"alice\n*instructor*\nalice\n",
     ("不是可用的学生 id；第 3 行：'alice' 出现了两次", "is not a usable student id; line 3: 'alice' appears twice")),
    ("empty.csv", b"student\n\n , x\n", ("第一列中没有学生 id", "no student ids in the first column")),
    ("latin1.csv", "student\nJosé\n".encode("latin-1"),
     ("无法作为 UTF-8 CSV 读取：不是 UTF-8 文本（第 11 个字节）",
      "cannot be read as UTF-8 CSV: not UTF-8 text (byte 11)")),
    ("missing.csv", None, ("名单文件不存在", "no such roster file")),
]


@pytest.mark.parametrize(("name", "content", "phrases"), ROSTERS, ids=[r[0] for r in ROSTERS])
@pytest.mark.parametrize("revoke", [False, True], ids=["issue", "revoke"])
def test_a_bad_roster_is_reported_in_the_instructors_language(course, tmp_path, name, content, phrases, revoke):
    roster = tmp_path / name
    if content is not None:
        roster.write_bytes(content)
    more = ["--revoke"] if revoke else ["-o", tmp_path / "links.csv"]
    for lang, phrase in zip(("zh", "en"), phrases):
        code, out = run(course, lang, "roster", QUIZ, roster, "--db", tmp_path / "g.sqlite", *more)
        message = error_line(out)
        assert code == 2 and phrase in message and str(roster) in message, out
        assert bool(CJK.search(message)) == (lang == "zh"), out
    assert not (tmp_path / "links.csv").exists()


def test_the_roster_errors_str_stays_english_and_survives_pickling(tmp_path):
    from grader.serve import RosterError, read_roster
    roster = tmp_path / "r.csv"
    roster.write_text("alice\nalice\n", encoding="utf-8")
    with pytest.raises(RosterError) as info:
        read_roster(roster)
    assert str(info.value) == f"{roster}: line 2: 'alice' appears twice"
    again = pickle.loads(pickle.dumps(info.value))
    assert str(again) == str(info.value) and again.message("zh") == f"名单 {roster} 有问题：第 2 行：'alice' 出现了两次"
    assert info.value.key == "roster_problems"


# -- 2. a quiz's serve: settings --------------------------------------------------------------------------------

SETTINGS = [   # serve: value, (zh, en)
    ("{opens: tomorrow}", ("serve.opens：应为 ISO-8601 时间，实际为 'tomorrow'",
                           "serve.opens: expected an ISO-8601 time, got 'tomorrow'")),
    ("{closes: [1]}", ("serve.closes：应为 ISO-8601 时间，实际为 [1]",
                       "serve.closes: expected an ISO-8601 time, got [1]")),
    ("{opens: 2026-12-02T09:00:00+08:00, closes: 2026-12-01T09:00:00+08:00}",
     ("serve：closes 必须晚于 opens", "serve: closes must be after opens")),
]


@pytest.mark.parametrize(("value", "phrases"), SETTINGS, ids=["opens", "closes-type", "order"])
def test_bad_serve_settings_are_reported_in_the_instructors_language(course, tmp_path, value, phrases):
    path = quiz(course, "serve.yaml", HEAD + f"questions: [sigmoid-derivative]\nserve: {value}\n")
    for lang, phrase in zip(("zh", "en"), phrases):
        code, out = run(course, lang, "serve", "--quiz", path, "--db", tmp_path / "g.sqlite", "--port", "0")
        message = error_line(out)
        assert code == 2 and message.startswith(f"测验文件 {path}：" if lang == "zh" else f"{path}: "), out
        assert phrase in message, out
        assert bool(CJK.search(message)) == (lang == "zh"), out


@pytest.mark.parametrize(("data", "zh", "en"), [
    ({"attempts": 0}, "serve.attempts：应为 ≥ 1 的整数，实际为 0",
     "serve.attempts: expected a whole number ≥ 1, got 0"),
    ({"time_limit": -5}, "serve.time_limit：应为大于 0 的分钟数，实际为 -5",
     "serve.time_limit: expected minutes > 0, got -5"),
    ({"feedback": "never"}, "serve.feedback：应为 immediate, after_submit, after_close, release 之一，实际为 'never'",
     "serve.feedback: expected one of immediate, after_submit, after_close, release, got 'never'"),
    ({"attemps": 2}, "serve：未知的键 attemps", "serve: unknown key(s) attemps"),
    ([1], "serve：应为映射（键: 值），实际为 [1]", "serve: expected a mapping, got [1]"),
])
def test_every_settings_error_has_both_languages_and_an_unchanged_english_str(data, zh, en):
    """The quiz schema refuses these before the settings are read (see the report), so they are read directly."""
    from grader.serve.settings import SettingsError, parse
    with pytest.raises(SettingsError) as info:
        parse(data)
    assert str(info.value) == en and info.value.message("en") == en and info.value.message("zh") == zh


# -- 3. quiz validation -----------------------------------------------------------------------------------------

QUIZZES = [   # file body, [(zh, en) phrases]
    ("title: {en: Q, zh: 测}\nid: q\nquestions: [nope]\n",
     [("2 处问题", "2 problem(s)"),
      ("seed：应为整数或字符串，实际为 None", "seed: expected an int or a string, got None"),
      ("questions[0] 条目：未知的题目 'nope'", "questions[0]: unknown question 'nope'")]),
    (HEAD + "questions: [sigmoid-derivative/nope]\n",
     [("questions[0] 条目：题目 'sigmoid-derivative' 没有小题 'nope'（它的小题：in-sigma, max, argmax, code）",
       "questions[0]: question 'sigmoid-derivative' has no part 'nope' (its parts: in-sigma, max, argmax, code)")]),
    (HEAD + "lang: fr\nquestions: [{pool: [relu-family, sigmoid-plot], pick: 3}]\n",
     [("lang：应为 en 或 zh，实际为 'fr'", "lang: expected en or zh, got 'fr'"),
      ("questions[0] 条目：pick：应为 1 到 2，实际为 3", "questions[0]: pick: expected 1 to 2, got 3")]),
    (HEAD + "questions: [{pool: [sigmoid-derivative, relu-family], pick: 1}]\n",
     [("questions[0]：题池中各题的分值必须相同", "questions[0]: a pool's questions must carry the same points"),
      ("sigmoid-derivative: 7, relu-family: 9", "sigmoid-derivative: 7, relu-family: 9")]),
    (HEAD + "questions: [relu-family, {pool: [relu-family, sigmoid-plot], pick: 1}]\n",
     [("questions[1]：'relu-family' 与 'relu-family'（questions[0]）重叠",
       "questions[1]: 'relu-family' overlaps 'relu-family' (questions[0])")]),
    (HEAD + "questions: [42]\n",
     [("questions[0] 条目：应为题目 id、'question/part' 或 {pool: [...], pick: N}，实际为 42",
       "questions[0]: expected a question id, 'question/part' or {pool: [...], pick: N}, got 42")]),
    ("- just\n- a list\n", [("应为包含 id、title、seed、questions 的映射",
                             "expected a mapping with id, title, seed, questions")]),
    ("id: q\ntitle: [unclosed\n",
     [("无法作为 YAML 读取：第 3 行第 1 列：", "cannot be read as YAML: line 3, column 1: ")]),
    ("id: caf\xe9\n",
     [("无法作为 YAML 读取：不是 UTF-8 文本（第 7 个字节）", "cannot be read as YAML: not UTF-8 text (byte 7)")]),
]


@pytest.mark.parametrize(("body", "phrases"), QUIZZES, ids=["example", "no-part", "lang-pick", "pool-points",
                                                             "overlap", "entry", "not-mapping", "yaml", "not-utf8"])
@pytest.mark.parametrize("command", ["roster", "export"])
def test_a_bad_quiz_is_reported_in_the_instructors_language(course, tmp_path, body, phrases, command):
    path = quiz(course, "q.yaml", body)
    for i, lang in enumerate(("zh", "en")):
        if command == "roster":
            args = ("roster", path, tmp_path / "r.csv", "-o", tmp_path / "l.csv", "--db", tmp_path / "g.sqlite")
        else:
            args = ("export", "moodle-xml", path, "-o", tmp_path / "m.xml")
        code, out = run(course, lang, *args)
        message = error_line(out)
        assert code == 2 and message.startswith(path + ("：" if lang == "zh" else ": ")), out
        for pair in phrases:
            assert pair[i] in message, out
        assert bool(CJK.search(message)) == (lang == "zh"), out


def test_a_missing_quiz_file_and_bank_check_speak_the_instructors_language(course, tmp_path):
    for lang, phrase in (("zh", "没有这个测验文件"), ("en", "no such quiz file")):
        code, out = run(course, lang, "export", "moodle-xml", "quizzes/none.yaml", "-o", tmp_path / "m.xml")
        assert code == 2 and phrase in error_line(out) and "quizzes/none.yaml" in out, out
    broken = course / "quizzes" / "broken.yaml"          # bank check reads the course's quizzes: exit 1
    broken.write_text(HEAD + "questions: [nope]\n", encoding="utf-8")
    try:
        for lang, phrase in (("zh", "questions[0] 条目：未知的题目 'nope'"),
                             ("en", "questions[0]: unknown question 'nope'")):
            code, out = run(course, lang, "bank", "check")
            assert code == 1 and phrase in out and str(broken) in out, out
    finally:
        broken.unlink()


def test_the_quiz_errors_str_is_the_english_it_was(course):
    from grader.bank import load_bank
    from grader.quiz import QuizError, load_quiz
    path = Path(quiz(course, "str.yaml", "id: q\ntitle: {en: Q, zh: 测}\nquestions: [nope]\n"))
    with pytest.raises(QuizError) as info:
        load_quiz(course / path, load_bank(course))
    assert str(info.value) == (f"{course / path}: 2 problem(s):\nseed: expected an int or a string, got None\n"
                               "questions[0]: unknown question 'nope'")
    assert pickle.loads(pickle.dumps(info.value)).message("zh").startswith(f"{course / path}：2 处问题：\n")


# -- 4. nngrade doctor ------------------------------------------------------------------------------------------

def test_doctor_labels_every_field_in_the_instructors_language(course):
    code, out = run(course, "zh", "doctor")
    assert code in (0, 1), out
    _, raw = run(course, "zh", "doctor", "--json")
    report = json.loads(raw)
    fields = report.get("isolation") or {}
    assert fields, raw
    lines = out.splitlines()
    for key in fields:
        [line] = [x for x in lines if f"（{key}）：" in x or x.startswith(("隔离级别：",) if key == "level" else "\0")]
        assert CJK.search(line.split("：")[0]), line
    assert not any(re.fullmatch(r"[a-z_]+: .*", x) for x in lines), out       # no raw key: value line left
    _, out_en = run(course, "en", "doctor")
    assert "own process namespace (pidns): " in out_en and "isolation level: " in out_en and not CJK.search(out_en)
    assert set(json.loads(run(course, "en", "doctor", "--json")[1])) == set(report)   # JSON: the same keys


def test_doctor_translates_the_uid_note_and_keeps_an_unknown_field(course, monkeypatch):
    import grader.sandbox
    report = {"level": "landlock", "bwrap": None, "why": [], "root": False, "landlock_abi": 4, "ok": True,
              "isolation": {"level": "landlock", "uid": "1000 (every capability dropped)", "writable": False,
                            "future_thing": True}, "probe": {}}
    monkeypatch.setattr(grader.sandbox, "doctor", lambda: dict(report))
    code, out = run(course, "zh", "doctor")
    assert code == 0 and "学生代码的用户 id（uid）：1000（已去除全部权能）" in out
    assert "学生代码可以写文件（writable）：否" in out
    assert "future_thing: 是" in out, out
    code, out = run(course, "en", "doctor")
    assert code == 0 and "user id of student code (uid): 1000 (every capability dropped)" in out
    assert "student code can write files (writable): False" in out and "future_thing: True" in out, out
    code, raw = run(course, "zh", "doctor", "--json")
    assert raw == json.dumps(report, ensure_ascii=False) + "\n"                  # the JSON, byte for byte


# -- 5. LMS export warnings -------------------------------------------------------------------------------------

@pytest.mark.parametrize("fmt, out_name", [("moodle-xml", "m.xml"), ("canvas-qti", "c.zip")])
def test_lms_export_warnings_are_in_the_instructors_language(course, tmp_path, fmt, out_name):
    path = quiz(course, "lms.yaml", HEAD + "questions: [activation-comparison/sigmoid-saturated, "
                                           "sigmoid-symmetry/proof, {pool: [relu-family, sigmoid-plot], pick: 1}]\n")
    expected = {
        "zh": ["警告：activation-comparison/sigmoid-saturated：因人而异的数值无法由 LMS 评分；已导出为问答题",
               "警告：sigmoid-symmetry/proof：derivation 类型的小题无法由 LMS 评分",
               "警告：relu-family：题池 1 中这道含 3 个小题的题目已导出为一道问答题",
               "警告：sigmoid-plot：题池 1 中这道含 4 个小题的题目已导出为一道问答题"],
        "en": ["warning: activation-comparison/sigmoid-saturated: a per-student number cannot be graded by the LMS; "
               "exported as an essay item", "warning: sigmoid-symmetry/proof: a derivation part cannot be graded",
               "warning: relu-family: a question of 3 parts in pool 1 is exported as one essay item",
               "warning: sigmoid-plot: a question of 4 parts in pool 1 is exported as one essay item"]}
    for lang in ("zh", "en"):
        code, out = run(course, lang, "export", fmt, path, "-o", tmp_path / out_name)
        assert code == 0 and (tmp_path / out_name).exists(), out
        for phrase in expected[lang]:
            assert phrase in out, out
        warnings = [x for x in out.splitlines() if x.startswith(("警告", "warning"))]
        assert len(warnings) == 4 and all(bool(CJK.search(x)) == (lang == "zh") for x in warnings), out


def test_a_pool_of_unequal_points_warning_has_both_languages(course):
    """load_quiz refuses such a pool (fair pools), so the exporter's own warning is checked on a Quiz made here."""
    from grader.bank import load_bank
    from grader.publish.lms import blocks
    from grader.quiz import Quiz
    q = Quiz("q", {"en": "Q", "zh": "测"}, 1, [{"pool": ["sigmoid-derivative/max", "relu-family/code"], "pick": 1}],
             "q.yaml")
    _, warnings = blocks(load_bank(course), q, "en")
    [pool] = [w for w in warnings if w.startswith("pool")]
    assert pool == "pool 1: its questions have different points (1, 5); the LMS gives every question it draws 1"
    assert said(pool, "zh") == "题池 1：其中各题分值不同（1, 5）；LMS 对抽到的每道题都按 1 分计"
    assert isinstance(pool, Said) and pickle.loads(pickle.dumps(pool)).say("zh") == said(pool, "zh")
