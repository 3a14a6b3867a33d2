"""The checked authoring format (grader/bank/schema.py): every misspelt key, wrong type and lost
backslash in a question, quiz or solution file is reported, all at once, with its file, key and
a suggestion; ``bank check --strict`` fails on warnings; the JSON Schema export agrees."""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from grader.bank import schema
from grader.bank import load_bank
from grader.cli import cli
from grader.errors import BankError
from grader.quiz import QuizError, load_quiz

from .conftest import ROOT

TOPIC = "activations"
QUIZ = "quizzes/week1-activations.yaml"


@pytest.fixture
def small(tmp_path) -> Path:
    """A copy of one topic of the shipped bank (questions, solutions) and its quiz."""
    root = tmp_path / "bank"
    shutil.copytree(ROOT / "questions" / TOPIC, root / "questions" / TOPIC)
    (root / "solutions").mkdir()
    for q in (root / "questions" / TOPIC).glob("*.yaml"):
        name = q.stem.replace("-", "_") + ".py"
        shutil.copy(ROOT / "solutions" / name, root / "solutions" / name)
    (root / "quizzes").mkdir()
    shutil.copy(ROOT / QUIZ, root / QUIZ)
    return root


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == count, (path, old)
    path.write_text(text.replace(old, new), encoding="utf-8")


def problems_of(root: Path) -> list[tuple[str, str, str]]:
    with pytest.raises(BankError) as info:
        load_bank(root)
    return info.value.problems


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


SIGMOID = "questions/activations/sigmoid-derivative.yaml"
TANH = "questions/activations/tanh-sigmoid.yaml"
RELU = "questions/activations/relu-family.yaml"

# (file, text, misspelt text, key path reported, suggestion)
YAML_TYPOS = [
    (SIGMOID, "tolerance: {abs: 1.0e-9}\n  - id: argmax", "tolerence: {abs: 1.0e-9}\n  - id: argmax",
     "parts[max].tolerence", "tolerance"),
    (SIGMOID, "x: {domain: [-6, 6]}", "x: {domian: [-6, 6]}", "symbols.x.domian", "domain"),
    (SIGMOID, "x: {domain: [-6, 6]}", "x: {domain: [-6, 6], shpae: [1, 1]}", "symbols.x.shpae", "shape"),
    (RELU, "alpha: {domain: [0.1, 3]}", "alpha: {domain: [0.1, 3], integr: false}",
     "parts[elu-derivative-negative].symbols.alpha.integr", "integer"),
    (SIGMOID, "    require: [sigma]", "    requires: [sigma]", "parts[in-sigma].requires", "require"),
    (SIGMOID, "    forbid_reason:", "    forbid_reasn:", "parts[in-sigma].forbid_reasn", "forbid_reason"),
    (SIGMOID, "title: {en:", "tilte: {en:", "tilte", "title"),
    (SIGMOID, "    points: 2\n", "    Points: 2\n", "parts[in-sigma].Points", "points"),
    (SIGMOID, "      - name: sigmoid_grad", "      - nmae: sigmoid_grad", "parts[code].functions[0].nmae", "name"),
]


@pytest.mark.parametrize("path, old, new, key, suggestion", YAML_TYPOS, ids=[t[4] for t in YAML_TYPOS])
def test_a_misspelt_key_is_an_error_with_file_key_and_suggestion(small, path, old, new, key, suggestion):
    edit(small / path, old, new)
    found = [p for p in problems_of(small) if p[1] == key]
    assert len(found) == 1, problems_of(small)
    file, _key, message = found[0]
    assert file == path
    assert f"did you mean {suggestion!r}?" in message


def test_a_key_of_another_answer_type_says_where_it_belongs(small):
    edit(small / SIGMOID, "    require: [sigma]", "    require: [sigma]\n    tolerance: {abs: 0.1}")
    [(file, key, message)] = [p for p in problems_of(small) if p[1].endswith("tolerance")]
    assert (file, key) == (SIGMOID, "parts[in-sigma].tolerance")
    assert "belongs to numeric and matrix parts" in message


def test_every_problem_of_a_file_is_reported_at_once(small):
    edit(small / SIGMOID, "x: {domain: [-6, 6]}", "x: {domian: [-6, 6], shpae: [1, 1]}")
    edit(small / SIGMOID, "tolerance: {abs: 1.0e-9}\n  - id: argmax", "tolerence: 1.0e-9\n  - id: argmax")
    edit(small / TANH, "  x: {domain: [-5, 5]}", "  x: {domain: [-5, 5], latex: 3}")
    keys = {(p[0], p[1]) for p in problems_of(small)}
    assert {(SIGMOID, "symbols.x.domian"), (SIGMOID, "symbols.x.shpae"), (SIGMOID, "parts[max].tolerence"),
            (TANH, "symbols.x.latex")} <= keys


WRONG_TYPES = [
    ("x: {domain: [-6, 6]}", "x: {domain: [-6, 6], shape: [3]}", "symbols.x.shape", "expected"),
    ("x: {domain: [-6, 6]}", "x: {domain: [-6, 6], integer: \"no\"}", "symbols.x.integer", "true or false"),
    ("x: {domain: [-6, 6]}", "x: {domain: posittive}", "symbols.x.domain", "did you mean 'positive'?"),
    ("    require: [sigma]", "    require: sigma", "parts[in-sigma].require", "a list of a string"),
    ("tolerance: {abs: 1.0e-9}\n  - id: argmax", "tolerance: {abs: tiny}\n  - id: argmax",
     "parts[max].tolerance.abs", "a number >= 0"),
]


@pytest.mark.parametrize("old, new, key, words", WRONG_TYPES, ids=[t[2] for t in WRONG_TYPES])
def test_a_wrong_type_is_an_error_naming_what_was_expected(small, old, new, key, words):
    edit(small / SIGMOID, old, new)
    found = [p for p in problems_of(small) if p[1] == key]
    assert len(found) == 1, problems_of(small)      # said once, even where the loader also looks
    assert found[0][0] == SIGMOID and words in found[0][2]


# -- solution modules ---------------------------------------------------------------------------------

STABLE = "solutions/stable_sigmoid.py"


def test_a_misspelt_code_test_key_is_an_error(small):
    edit(small / STABLE, "visible=False", "visble=False")
    [(file, key, message)] = problems_of(small)
    assert (file, key) == (STABLE, "CODE_TESTS['code'][tails].visble")
    assert "did you mean 'visible'?" in message


@pytest.mark.parametrize("old, new, key, suggestion", [
    ('"inputs": inputs, **extra}', '"input": inputs, **extra}', "CODE_TESTS['code'][grid].input", "inputs"),
    ("**_TOL)", "rtoll=1e-12)", "CODE_TESTS['code'][grid].rtoll", "rtol"),
])
def test_other_code_test_keys_are_checked(small, old, new, key, suggestion):
    text = (small / STABLE).read_text(encoding="utf-8").replace(old, new, 1)
    (small / STABLE).write_text(text, encoding="utf-8")
    found = [p for p in problems_of(small) if p[1] == key]
    assert found and found[0][0] == STABLE and f"did you mean {suggestion!r}?" in found[0][2]


def test_a_hidden_test_misspelt_never_reaches_a_students_kit(small, tmp_path):
    # honest bank: the hidden test is honoured, the visible ones are published
    kit = tmp_path / "kit"
    assert run("quiz", "bundle", small / QUIZ, "--student", "s001", "-o", kit, "--bank", small).exit_code == 0
    published = json.loads((kit / "selfcheck" / "vectors.json").read_text(encoding="utf-8"))["tests"]
    names = {t["name"]["en"] for t in published if t["part"] == "stable-sigmoid/code"}
    assert "σ on a grid from −10 to 10" in names and "hidden: tails, relative accuracy" not in names
    # misspelt: the bank refuses to load, so no kit (and no vectors of the hidden test) is written
    edit(small / STABLE, "visible=False", "visble=False")
    load_bank.cache_clear()
    leak = tmp_path / "leak"
    result = run("quiz", "bundle", small / QUIZ, "--student", "s001", "-o", leak, "--bank", small)
    assert result.exit_code == 1
    assert "solutions/stable_sigmoid.py: CODE_TESTS['code'][tails].visble" in result.output
    assert "did you mean 'visible'?" in result.output
    assert not (leak / "selfcheck" / "vectors.json").exists()


def test_a_visible_flag_of_the_wrong_type_is_an_error(small):
    edit(small / STABLE, "visible=False", 'visible="no"')
    [(file, key, message)] = problems_of(small)
    assert (file, key) == (STABLE, "CODE_TESTS['code'][tails].visible") and "true or false" in message


def test_a_misspelt_solution_table_or_part_id_is_an_error(small):
    edit(small / STABLE, "CODE_TESTS = {", "CODE_TEST = {")
    edit(small / "solutions/sigmoid_derivative.py", 'MISCONCEPTIONS = {\n    "in-sigma"', 'MISCONCEPTIONS = {\n    "in-sigm"')
    found = {(p[0], p[1]): p[2] for p in problems_of(small)}
    assert "did you mean 'CODE_TESTS'?" in found[(STABLE, "CODE_TEST")]
    assert "did you mean 'in-sigma'?" in found[("solutions/sigmoid_derivative.py", "MISCONCEPTIONS['in-sigm']")]


def test_an_unread_public_table_in_a_solution_is_a_warning(small):
    with (small / STABLE).open("a", encoding="utf-8") as f:
        f.write("\nHIDDEN_CASES = {'code': []}\n")
    bank = load_bank(small)
    assert [(w[0], w[1]) for w in bank.warnings] == [(STABLE, "HIDDEN_CASES")]


# -- lost backslashes -------------------------------------------------------------------------------

def test_a_tab_from_a_lost_backslash_in_a_prompt_is_an_error(small):
    edit(small / SIGMOID, '"Write $\\\\sigma\'(x)$ in terms', '"Write $\\tanh(x)$ in terms')
    data = yaml.safe_load((small / SIGMOID).read_text(encoding="utf-8"))
    assert "\t" in data["parts"][0]["prompt"]["en"]            # what YAML made of it: TAB + "anh"
    [(file, key, message)] = [p for p in problems_of(small) if p[1] == "parts[in-sigma].prompt.en"]
    assert file == SIGMOID and "TAB" in message and "'\\tanh' in single quotes" in message


@pytest.mark.parametrize("escape, name, latex", [
    ("\\theta", "TAB", "\\theta"), ("\\frac{1}{2}", "FORM FEED", "\\frac"), ("\\beta", "BACKSPACE", "\\beta"),
    ("\\alpha", "BELL", "\\alpha"), ("\\vec{x}", "VERTICAL TAB", "\\vec"), ("\\rho", "CARRIAGE RETURN", "\\rho"),
    ("\\epsilon", "ESCAPE", "\\epsilon"), ("\\Lambda", "LINE SEPARATOR", "\\Lambda"),
])
def test_every_lost_escape_in_any_text_is_reported(small, escape, name, latex):
    edit(small / TANH, "  x: {domain: [-5, 5]}", f'  x: {{domain: [-5, 5], latex: "{escape}"}}')
    [(file, key, message)] = problems_of(small)
    assert (file, key) == (TANH, "symbols.x.latex")
    assert name in message and f"'{latex}" in message


def test_a_lost_backslash_in_a_solution_string_is_reported(small):
    path = small / "solutions/sigmoid_derivative.py"
    text = path.read_text(encoding="utf-8")
    assert '"answer": ' in text
    text = text.replace('"feedback": {"en": "', '"feedback": {"en": "\\tanh? ', 1)
    path.write_text(text, encoding="utf-8")
    found = [p for p in problems_of(small) if p[0] == "solutions/sigmoid_derivative.py"]
    assert len(found) == 1 and found[0][1].startswith("MISCONCEPTIONS[") and "TAB" in found[0][2]


def test_a_lost_backslash_in_a_code_test_name_is_reported(small):
    edit(small / STABLE, '"hidden: tails, relative accuracy"', '"hidden: tails of \\tau"')   # Python: TAB + "au"
    [(file, key, message)] = problems_of(small)
    assert (file, key) == (STABLE, "CODE_TESTS['code'][tails].name.en") and "TAB" in message


def test_a_line_break_before_a_latex_name_is_a_warning(small):
    edit(small / SIGMOID, '"Write $\\\\sigma\'(x)$ in terms', '"Write $\\nabla \\\\sigma\'(x)$ in terms')
    bank = load_bank(small)
    assert [(w[0], w[1]) for w in bank.warnings] == [(SIGMOID, "parts[in-sigma].prompt.en")]
    assert "'\\nabla'" in bank.warnings[0][2]


# -- quizzes --------------------------------------------------------------------------------------

@pytest.mark.parametrize("old, new, key, suggestion", [
    ("lang: en", "lnag: en", "lnag", "lang"),
    ("duration: 30", "durration: 30", "durration", "duration"),
    ("  - relu-family", "  - {pool: [relu-family, tanh-sigmoid], pik: 1}", "questions[4].pik", "pick"),
    ("  - relu-family", "  - {pol: [relu-family, tanh-sigmoid], pick: 1}", "questions[4].pol", "pool"),
])
def test_a_misspelt_quiz_or_pool_key_is_an_error(small, old, new, key, suggestion):
    edit(small / QUIZ, old, new)
    with pytest.raises(QuizError) as info:
        load_quiz(small / QUIZ, load_bank(small))
    lines = [line for line in str(info.value).splitlines() if line.startswith(key + ":")]
    assert str(small / QUIZ) in str(info.value)
    assert len(lines) == 1 and f"did you mean {suggestion!r}?" in lines[0]
    result = run("bank", "check", "--bank", small)          # bank check reads the bank's quizzes too
    assert result.exit_code == 1 and key in result.output


def test_a_lost_backslash_in_a_quiz_is_reported(small):
    edit(small / QUIZ, "duration: 30", 'duration: 30\ninstructions: {en: "use \\frac{a}{b}", zh: "用"}')
    with pytest.raises(QuizError, match=r"instructions\.en: holds the character FORM FEED"):
        load_quiz(small / QUIZ, load_bank(small))


def test_a_lone_control_character_is_a_warning_that_strict_fails_on(small):
    edit(small / QUIZ, "duration: 30", 'duration: 30\ninstructions: {en: "red \\e[31m and \\v then \\tanh", zh: "用"}')
    with pytest.raises(QuizError, match=r"instructions\.en: holds the character TAB .*'\\tanh'"):     # the lost one wins
        load_quiz(small / QUIZ, load_bank(small))
    edit(small / QUIZ, " then \\tanh", "")
    [warning] = load_quiz(small / QUIZ, load_bank(small)).warnings
    assert warning.startswith("instructions.en: holds the character ESCAPE (U+001B)") and "remove it" in warning
    assert run("bank", "check", "--bank", small).exit_code == 0
    strict = run("bank", "check", "--strict", "--bank", small)
    assert strict.exit_code == 1 and "WARNING quizzes/week1-activations.yaml: instructions.en" in strict.output


# -- bank check --strict -------------------------------------------------------------------------

def test_strict_turns_warnings_into_failures(small):
    clean = run("bank", "check", "--bank", small)
    assert clean.exit_code == 0 and "WARNING" not in clean.output
    assert run("bank", "check", "--strict", "--bank", small).exit_code == 0
    edit(small / SIGMOID, '"Write $\\\\sigma\'(x)$ in terms', '"Write $\\nabla \\\\sigma\'(x)$ in terms')
    load_bank.cache_clear()
    warned = run("bank", "check", "--bank", small)
    assert warned.exit_code == 0
    assert f"WARNING {SIGMOID}: parts[in-sigma].prompt.en:" in warned.output
    strict = run("bank", "check", "--strict", "--bank", small)
    assert strict.exit_code == 1 and "1 warning(s) (--strict: failing)" in strict.output


def test_an_error_fails_bank_check_with_or_without_strict(small):
    edit(small / SIGMOID, "x: {domain: [-6, 6]}", "x: {domian: [-6, 6]}")
    for args in ((), ("--strict",)):
        result = run("bank", "check", *args, "--bank", small)
        assert result.exit_code == 1
        assert f"{SIGMOID}: symbols.x.domian: unknown key 'domian' in a symbol (did you mean 'domain'?)" \
            in result.output


def test_the_shipped_bank_is_clean_even_strict():
    bank = load_bank(ROOT)
    assert bank.warnings == []
    for path in sorted((ROOT / "quizzes").glob("*.yaml")):
        assert load_quiz(path, bank).warnings == []


# -- JSON Schema ----------------------------------------------------------------------------------

jsonschema = pytest.importorskip("jsonschema")


def validator(kind: str):
    return jsonschema.Draft202012Validator(schema.json_schema(kind))


def test_the_exported_schemas_are_the_description(tmp_path):
    for kind in ("question", "quiz"):
        shipped = json.loads((ROOT / "grader" / "schemas" / f"{kind}.schema.json").read_text(encoding="utf-8"))
        assert shipped == schema.json_schema(kind), f"regenerate: nngrade bank schema {kind}"
        printed = run("bank", "schema", kind)
        assert printed.exit_code == 0 and json.loads(printed.output) == shipped
        jsonschema.Draft202012Validator.check_schema(shipped)


def test_every_shipped_question_and_quiz_validates():
    questions, quizzes = validator("question"), validator("quiz")
    paths = sorted((ROOT / "questions").rglob("*.yaml"))
    assert len(paths) >= 20
    for path in paths:
        errors = list(questions.iter_errors(yaml.safe_load(path.read_text(encoding="utf-8"))))
        assert errors == [], (path, [e.message for e in errors])
    for path in sorted((ROOT / "quizzes").glob("*.yaml")):
        assert list(quizzes.iter_errors(yaml.safe_load(path.read_text(encoding="utf-8")))) == [], path


@pytest.mark.parametrize("path, old, new, words", [
    (SIGMOID, "x: {domain: [-6, 6]}", "x: {domian: [-6, 6]}", "domian"),
    (SIGMOID, "tolerance: {abs: 1.0e-9}\n  - id: argmax", "tolerence: {abs: 1.0e-9}\n  - id: argmax", "tolerence"),
    (SIGMOID, "    require: [sigma]", "    require: [sigma]\n    tolerance: {abs: 0.1}", "tolerance"),
    (SIGMOID, "    points: 2\n", "    points: two\n", "two"),
    (TANH, "  x: {domain: [-5, 5]}", "  x: {domain: [-5, 5], shape: [2]}", "[2]"),
])
def test_the_json_schema_rejects_a_misspelt_question(small, path, old, new, words):
    edit(small / path, old, new)
    errors = list(validator("question").iter_errors(yaml.safe_load((small / path).read_text(encoding="utf-8"))))
    assert errors and any(words in e.message or any(words in m.message for m in e.context) for e in errors), \
        [e.message for e in errors]


def test_the_json_schema_rejects_a_misspelt_quiz(small):
    data = yaml.safe_load((small / QUIZ).read_text(encoding="utf-8"))
    data["questions"].append({"pool": ["relu-family"], "pik": 1})
    assert list(validator("quiz").iter_errors(data))


def test_every_key_the_loader_reads_is_declared():
    """The description covers what the shipped bank uses (a new key must be declared to be used)."""
    used = set()
    for path in (ROOT / "questions").rglob("*.yaml"):
        for part in yaml.safe_load(path.read_text(encoding="utf-8"))["parts"]:
            used |= {(part["type"], k) for k in part}
    declared = {(t, k) for t, rec in schema.PART.records.items() for k in rec.keys}
    assert used <= declared
    assert re.search(r"\bvisible\b", json.dumps(list(schema.CODE_TEST.keys)))
