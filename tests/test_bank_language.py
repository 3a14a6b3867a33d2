"""The question bank's and the authoring format's problems in the instructor's language.

The format checker's issues (grader/bank/schema.py), the loader's and validator's problems (grader/bank/) and
prove_bank's reasons (grader/formula/explain.py) are Said values (grader/said.py): English ``str`` for the code and
tests that read them, any language for the instructor. Each case breaks a copy of a small bank here, runs the real
CLI in both languages, and checks the language, that the file and the key are named, and the exit status.
"""
from __future__ import annotations

import os
import pickle
import re
import shutil
import types
from pathlib import Path

import pytest
from click.testing import CliRunner

from grader.bank import schema
from grader.cli import cli
from grader.errors import BankError
from grader.messages import CATALOG
from grader.said import Said, say

from .conftest import ROOT

CJK = re.compile(r"[\u4e00-\u9fff]")
NO_LOCALE = {"LC_ALL": None, "LC_MESSAGES": None, "LANG": "C.UTF-8", "NNGRADE_LANG": None,
             "NNGRADE_COURSE": None, "NNGRADE_BANK": None}
QUESTION = "questions/activations/tanh-sigmoid.yaml"
SOLUTION = "solutions/tanh_sigmoid.py"
QUIZ = "quizzes/tanh.yaml"
# the English words of the problems this file makes: none may be left in a Chinese message
ENGLISH = ("unknown key", "expected", "missing:", "did you mean", "empty:", "the question has no part",
           "derived_from: the reference", "is not what", "backslash", "known keys", "belongs to", "a list of")


@pytest.fixture(scope="module")
def proofs(tmp_path_factory) -> Path:
    """One proof cache for the module (proved references are remembered; a refuted one never is)."""
    return tmp_path_factory.mktemp("proofs")


@pytest.fixture
def course(tmp_path) -> Path:
    """A small course: the tanh-sigmoid question, its solution, and a quiz of it."""
    root = tmp_path / "course"
    (root / "questions" / "activations").mkdir(parents=True)
    shutil.copy(ROOT / QUESTION, root / QUESTION)
    (root / "solutions").mkdir()
    shutil.copy(ROOT / SOLUTION, root / SOLUTION)
    (root / "quizzes").mkdir()
    (root / QUIZ).write_text('id: tanh\ntitle: {en: "tanh", zh: "双曲正切"}\nseed: 7\nquestions: [tanh-sigmoid]\n',
                             encoding="utf-8")
    return root


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, (path, old)
    path.write_text(text.replace(old, new), encoding="utf-8")


def run(course: Path, proofs: Path, lang: str, *args) -> tuple[int, str]:
    """``nngrade --lang lang ARGS`` on ``course`` (NNGRADE_BANK): (exit status, stdout + stderr)."""
    env = {**NO_LOCALE, "NNGRADE_BANK": str(course), "NNGRADE_CACHE_DIR": str(proofs)}
    here = os.getcwd()
    os.chdir(course)
    try:
        res = CliRunner().invoke(cli, ["--lang", lang, *args], env=env, catch_exceptions=False, prog_name="nngrade")
    finally:
        os.chdir(here)
    out = res.stdout + res.stderr
    assert "Traceback" not in out, out
    return res.exit_code, out


def line_of(out: str, *needles: str) -> str:
    """The one output line holding every needle (a file, a key)."""
    lines = [line for line in out.splitlines() if all(n in line for n in needles)]
    assert len(lines) == 1, (needles, out)
    return lines[0]


def in_language(line: str, lang: str) -> None:
    if lang == "zh":
        assert CJK.search(line), line
        assert not any(word in line for word in ENGLISH), line
    else:
        assert not CJK.search(line), line


BOTH = pytest.mark.parametrize("lang", ["en", "zh"])


# -- a question file ------------------------------------------------------------------------------

@BOTH
def test_an_unknown_key_with_a_did_you_mean(course, proofs, lang):
    edit(course / QUESTION, "    tolerance: {abs: 1.0e-9}", "    tolerence: {abs: 1.0e-9}")
    code, out = run(course, proofs, lang, "bank", "check")
    assert code == 1
    line = line_of(out, QUESTION, "parts[max-derivative].tolerence")
    in_language(line, lang)
    assert line.endswith({"en": "unknown key 'tolerence' in a numeric part (did you mean 'tolerance'?)",
                          "zh": "numeric 小题中有未知的键 'tolerence'（是否想写 'tolerance'？）"}[lang]), line
    assert ("题库有 1 处问题" if lang == "zh" else "the question bank has 1 problem(s)") in out


@BOTH
def test_a_key_of_another_part_type_says_where_it_belongs(course, proofs, lang):
    edit(course / QUESTION, "    require: [sigma]\n", "    require: [sigma]\n    tolerance: {abs: 0.1}\n")
    code, out = run(course, proofs, lang, "bank", "list")
    assert code == 1
    line = line_of(out, QUESTION, "parts[tanh-in-sigma].tolerance")
    in_language(line, lang)
    assert {"en": "unknown key 'tolerance' in a formula part: 'tolerance' belongs to numeric and matrix parts",
            "zh": "formula 小题中有未知的键 'tolerance'：'tolerance' 属于 numeric 和 matrix 小题"}[lang] in line


@BOTH
def test_a_wrong_type_expected_got(course, proofs, lang):
    edit(course / QUESTION, "parts:\n", "tags: activations\nparts:\n")
    code, out = run(course, proofs, lang, "bank", "check")
    assert code == 1
    line = line_of(out, QUESTION, "tags")
    in_language(line, lang)
    assert {"en": "tags: expected a list of a string, got str 'activations'",
            "zh": "tags: 应为由字符串组成的列表，实际为 str 'activations'"}[lang] in line


@BOTH
def test_a_wrong_choice_with_a_did_you_mean(course, proofs, lang):
    edit(course / QUESTION, "{op: diff, expr:", "{op: dif, expr:")
    code, out = run(course, proofs, lang, "bank", "check")
    assert code == 1
    line = line_of(out, QUESTION, "parts[tanh-derivative].derived_from.op")
    in_language(line, lang)
    assert line.endswith({"en": "expected one of diff, grad, same, solve, max, argmax, got str 'dif' "
                                "(did you mean 'diff'?)",
                          "zh": "应为可选值 diff、grad、same、solve、max、argmax 之一，实际为 str 'dif'"
                                "（是否想写 'diff'？）"}[lang]), line


@BOTH
def test_a_list_of_the_wrong_length(course, proofs, lang):
    edit(course / QUESTION, "  x: {domain: [-5, 5]}", "  x: {domain: [-5, 5], shape: [1]}")
    code, out = run(course, proofs, lang, "bank", "check")
    assert code == 1
    line = line_of(out, QUESTION, ": symbols.x.shape:")
    in_language(line, lang)
    assert line.endswith({"en": "expected a list of 2 an integer >= 1, got list [1]",
                          "zh": "应为由 2 个不小于 1 的整数组成的列表，实际为 list [1]"}[lang]), line
    loader = line_of(out, QUESTION, "parts[tanh-in-sigma].symbols.x: ")    # the loader's words, in the same language
    in_language(loader, lang)
    assert loader.endswith({"en": "expected shape [rows, cols], got [1]",
                            "zh": "形状应为 [rows, cols]，实际为 [1]"}[lang]), loader


@BOTH
def test_a_lost_backslash(course, proofs, lang):
    edit(course / QUESTION, 'en: "Express $\\\\tanh(x)$', 'en: "Express $\\tanh(x)$')
    code, out = run(course, proofs, lang, "bank", "check")
    assert code == 1
    line = line_of(out, QUESTION, "parts[tanh-in-sigma].prompt.en")
    in_language(line, lang)
    assert {"en": "holds the character TAB (U+0009) at position 9: a backslash lost in a double-quoted string?",
            "zh": "第 9 个位置含有字符 TAB（U+0009）：是双引号字符串中丢失的反斜杠吗？"}[lang] in line
    assert "\\tanh" in line


@BOTH
def test_a_loader_problem_of_a_question(course, proofs, lang):
    edit(course / QUESTION, "id: tanh-sigmoid", "id: tanh-sigma")
    code, out = run(course, proofs, lang, "bank", "list")
    assert code == 1
    line = line_of(out, QUESTION, ": id:")
    in_language(line, lang)
    assert {"en": "expected 'tanh-sigmoid' (the file name), got 'tanh-sigma'",
            "zh": "应为 'tanh-sigmoid'（文件名），实际为 'tanh-sigma'"}[lang] in line


# -- a solution file --------------------------------------------------------------------------------

@BOTH
def test_a_missing_required_key(course, proofs, lang):
    edit(course / SOLUTION, '''{"id": "sigmoid-max", "answer": "1/4",
         "feedback":''', '''{"id": "sigmoid-max", "answer": "1/4",
         "feedbak":''')
    code, out = run(course, proofs, lang, "bank", "check")
    assert code == 1
    key = "MISCONCEPTIONS['max-derivative'][sigmoid-max]"
    missing = line_of(out, SOLUTION, key + ".feedback:")
    unknown = line_of(out, SOLUTION, key + ".feedbak:")
    for line in (missing, unknown):
        in_language(line, lang)
    assert missing.endswith({"en": "missing: a misconception needs 'feedback'",
                             "zh": "缺少：常见错误需要 'feedback'"}[lang]), missing
    assert unknown.endswith({"en": "unknown key 'feedbak' in a misconception (did you mean 'feedback'?)",
                             "zh": "常见错误中有未知的键 'feedbak'（是否想写 'feedback'？）"}[lang]), unknown


@BOTH
def test_an_empty_chinese_text_is_a_warning_failing_only_strict(course, proofs, lang):
    edit(course / SOLUTION, '"zh": "1/4 是 σ\' 的最大值；tanh\'(0) = 1 − tanh(0)² = 1。"', '"zh": ""')
    code, out = run(course, proofs, lang, "bank", "check")
    assert code == 0, out
    code, out = run(course, proofs, lang, "bank", "check", "--strict")
    assert code == 1, out
    line = line_of(out, SOLUTION, "MISCONCEPTIONS['max-derivative'][sigmoid-max].feedback.zh")
    in_language(line, lang)
    assert line.startswith({"en": "WARNING ", "zh": "警告 "}[lang]), line
    assert line.endswith({"en": "empty: students reading this language would see no text",
                          "zh": "为空：使用这种语言的学生将看不到任何文字"}[lang]), line


@BOTH
def test_a_broken_solution_table(course, proofs, lang):
    edit(course / SOLUTION, '    "max-derivative": [\n', '    "max-derivatve": [\n')
    edit(course / SOLUTION, "ANSWERS = {", "ANSWRS = {}\nANSWERS = {")
    code, out = run(course, proofs, lang, "bank", "check")
    assert code == 1
    part = line_of(out, SOLUTION, "MISCONCEPTIONS['max-derivatve']")
    name = line_of(out, SOLUTION, ": ANSWRS:")
    for line in (part, name):
        in_language(line, lang)
    assert part.endswith({"en": "the question has no part 'max-derivatve' (did you mean 'max-derivative'?)",
                          "zh": "题目没有小题 'max-derivatve'（是否想写 'max-derivative'？）"}[lang]), part
    assert name.endswith({"en": "unknown name 'ANSWRS' in a solution (did you mean 'ANSWERS'?)",
                          "zh": "解答文件中有未知的名称 'ANSWRS'（是否想写 'ANSWERS'？）"}[lang]), name


@BOTH
def test_a_solution_that_fails_to_import(course, proofs, lang):
    (course / SOLUTION).write_text("ANSWERS = {\n", encoding="utf-8")
    code, out = run(course, proofs, lang, "bank", "list")
    assert code == 1
    line = line_of(out, SOLUTION)
    in_language(line.split("SyntaxError")[0], lang)
    assert {"en": "fails to import: SyntaxError", "zh": "导入失败：SyntaxError"}[lang] in line


@BOTH
def test_a_reference_that_cannot_be_read_and_a_missing_self_test_list(course, proofs, lang):
    edit(course / SOLUTION, '"tanh-derivative": "1 - tanh(x)^2"', '"tanh-derivative": "1 - tanh(q)^2"')
    edit(course / SOLUTION, '"accept": ["1", "1.0", "1/1"]', '"accept": []')
    code, out = run(course, proofs, lang, "bank", "list")
    assert code == 1
    unreadable = line_of(out, SOLUTION, "ANSWERS['tanh-derivative']")
    tests = line_of(out, SOLUTION, "SELF_TESTS['max-derivative']: ")
    for line in (unreadable, tests):
        in_language(line, lang)
    assert unreadable.endswith({"en": "cannot be read: Unknown symbol 'q'. This question's symbols are: x.",
                                "zh": "无法读取：未知符号 'q'。本题可用的符号为：x。"}[lang]), unreadable
    assert tests.endswith({"en": "expected a non-empty 'accept' list", "zh": "应有非空的 'accept' 列表"}[lang]), tests


# -- a reference SymPy refutes ----------------------------------------------------------------------

@BOTH
def test_a_reference_sympy_refutes(course, proofs, lang):
    edit(course / QUESTION, '{op: diff, expr: "tanh(x)", wrt: x}', '{op: diff, expr: "sigma(x)", wrt: x}')
    code, out = run(course, proofs, lang, "bank", "check")
    assert code == 1, out
    line = line_of(out, QUESTION, "tanh-sigmoid/tanh-derivative")
    in_language(line, lang)
    assert {"en": "FAIL questions/activations/tanh-sigmoid.yaml: tanh-sigmoid/tanh-derivative: derived_from: "
                  "the reference '1 - tanh(x)^2' is not what the derivation gives (",
            "zh": "未通过 questions/activations/tanh-sigmoid.yaml：tanh-sigmoid/tanh-derivative：derived_from："
                  "参考答案 '1 - tanh(x)^2' 与推导结果不符（推导得到 "}[lang] in line
    assert ("2 of 3 references proved" if lang == "en" else "3 个参考答案中有 2 个已由其来源证明") in out


# -- a quiz's serve: block ----------------------------------------------------------------------------

@BOTH
def test_a_quiz_serve_block_wrong_type_and_misspelt_key(course, proofs, lang):
    with (course / QUIZ).open("a", encoding="utf-8") as f:
        f.write("serve: {attemps: 1, attempts: 0, feedback: immediat}\n")
    code, out = run(course, proofs, lang, "bank", "check")
    assert code == 1
    assert QUIZ in out
    attemps, attempts, feedback = (line_of(out, f"serve.{k}") for k in ("attemps", "attempts", "feedback"))
    for line in (attemps, attempts, feedback):
        in_language(line, lang)
    if lang == "en":
        assert attemps.endswith("serve.attemps: unknown key 'attemps' in serve settings (did you mean 'attempts'?)")
        assert attempts.endswith("serve.attempts: expected an integer >= 1, got int 0")
        assert "expected one of immediate, after_submit, after_close, release, got str 'immediat'" in feedback
    else:
        assert attemps.endswith("serve.attemps：格式不符：serve 设置中有未知的键 'attemps'（是否想写 'attempts'？）")
        assert attempts.endswith("serve.attempts：格式不符：应为不小于 1 的整数，实际为 int 0")
        assert "应为可选值 immediate、after_submit、after_close、release 之一，实际为 str 'immediat'" in feedback


@BOTH
def test_a_missing_required_key_in_a_question(course, proofs, lang):
    edit(course / QUESTION, '{op: diff, expr: "tanh(x)", wrt: x}', '{expr: "tanh(x)", wrt: x}')
    code, out = run(course, proofs, lang, "bank", "check")
    assert code == 1
    line = line_of(out, QUESTION, "parts[tanh-derivative].derived_from.op")
    in_language(line, lang)
    assert line.endswith({"en": "missing: a reference's source, proved by `nngrade bank check` "
                                "(grader/formula/explain.py) needs 'op'",
                          "zh": "缺少：参考答案的来源（由 `nngrade bank check` 证明，见 grader/formula/explain.py）"
                                "需要 'op'"}[lang]), line


# -- the mechanism -------------------------------------------------------------------------------------

def _types(kind, seen=None):
    """Every type reachable from ``kind``."""
    seen = set() if seen is None else seen
    if id(kind) in seen:
        return
    seen.add(id(kind))
    yield kind
    inner = {schema.Record: lambda t: [k.type for k in t.keys.values()], schema.ListOf: lambda t: [t.item],
             schema.MapOf: lambda t: [t.value], schema.OneOf: lambda t: list(t.options),
             schema.Tagged: lambda t: list(t.records.values())}
    for cls, parts in inner.items():
        if isinstance(kind, cls):
            for part in parts(kind):
                yield from _types(part, seen)


ALL_TYPES = [t for root in (schema.QUESTION, schema.QUIZ, schema.CODE_SELF_TESTS,
                            *(t for t, _ in schema.SOLUTION_TABLES.values())) for t in _types(root)]


def test_every_type_says_what_it_expects_in_both_languages():
    """Each type of the format describes itself as a catalog reference: its English is ``expected`` (what the
    messages always said), its Chinese has Chinese words; every record's and mapping's name has its own words."""
    assert len(ALL_TYPES) > 50
    for kind in ALL_TYPES:
        described = kind.describe()
        assert say(described, "en") == kind.expected
        assert CJK.search(say(described, "zh")), (kind.expected, say(described, "zh"))
        if isinstance(kind, schema.Record):
            assert isinstance(schema.named(kind.name), dict), f"{kind.name!r} has no catalog words"
        if isinstance(kind, schema.MapOf):
            assert isinstance(schema.named(kind.names), dict), f"{kind.names!r} has no catalog words"
    assert all(key in CATALOG for key in schema.RECORD_NAMES.values())


def test_issues_are_english_strings_that_keep_their_reference():
    issues = schema.check_quiz({"id": "q", "title": {"en": "Q", "zh": " "}, "seed": 1, "questions": ["a"],
                                "serve": {"attemps": 1}, "lang": "fr"})
    assert {i.key: str(i.message) for i in issues} == {
        "serve.attemps": "unknown key 'attemps' in serve settings (did you mean 'attempts'?)",
        "lang": "expected one of en, zh, got str 'fr'",
        "title.zh": "empty: students reading this language would see no text"}
    for issue in issues:
        assert isinstance(issue.message, Said) and isinstance(issue.message, str)
        assert pickle.loads(pickle.dumps(issue.message)).say("zh") == issue.message.say("zh")
    assert {i.key: i.message.say("zh") for i in issues}["lang"] == "应为可选值 en、zh 之一，实际为 str 'fr'"


def test_solution_issues_in_chinese():
    module = types.SimpleNamespace(ANSWERS=["x"], EXTRA={"a": 1}, RUBRICS={"zzz": []})
    issues = {i.key: i.message for i in schema.check_solution(module, {"grad": "formula", "why": "text"}, set())}
    assert issues["ANSWERS"] == "expected a mapping of part ids, got list ['x']"
    assert issues["ANSWERS"].say("zh") == "应为以小题 id 为键的映射，实际为 list ['x']"
    assert issues["EXTRA"].say("zh").startswith("评分器不读取表 'EXTRA'；")
    assert issues["RUBRICS['zzz']"].say("zh") == "题目没有小题 'zzz'；它的小题：grad、why"
    assert str(issues["RUBRICS['zzz']"]) == "the question has no part 'zzz'; its parts: grad, why"


def test_bank_error_keeps_english_problems_and_says_them_in_any_language():
    said_one = Said({"key": "bank_no_parts"})
    error = BankError([("q.yaml", "parts", said_one), ("s.py", "", "a plain message")])
    assert str(error) == ("the question bank has 2 problem(s):\nq.yaml: parts: expected a non-empty list of parts\n"
                          "s.py: a plain message")
    assert error.message("zh") == "题库有 2 处问题：\nq.yaml: parts: 应为非空的小题列表\ns.py: a plain message"
    assert all(isinstance(m, str) for _, _, m in error.problems)


def test_no_questions_folder_is_said_in_both_languages(tmp_path):
    from grader.bank import load_bank
    with pytest.raises(BankError) as info:
        load_bank(tmp_path / "nothing")
    error = info.value
    assert str(error).startswith("the question bank has 1 problem(s):\n") and "no questions/ folder here" in str(error)
    assert "这里没有 questions/ 文件夹" in error.message("zh")


@BOTH
def test_a_quiz_warning_is_said_in_the_instructor_language(course, proofs, lang):
    edit(course / QUIZ, "seed: 7\n", 'seed: 7\ninstructions: {en: "Answer all.", zh: ""}\n')
    code, out = run(course, proofs, lang, "bank", "check", "--strict")
    assert code == 1, out
    line = line_of(out, QUIZ, "instructions.zh")
    in_language(line, lang)
    assert line.endswith({"en": "empty: students reading this language would see no text",
                          "zh": "为空：使用这种语言的学生将看不到任何文字"}[lang]), line
