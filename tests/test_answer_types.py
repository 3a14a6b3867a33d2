"""Answer types as modules behind one registry (grader/checks): discovery, the one entry point and its
context, no type-name branches elsewhere, tolerances the kit takes from the code type, and a new type
added as one module (plus its hint in the catalog) working through loading, checking, validation,
self-tests, the kit, the key and the LMS export."""
from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from grader import messages
from grader.bank import schema
from grader.checks import CHECKERS, TYPES, AnswerType, Context, answer_type, check_answer, check_part, discover
from grader.checks import code as code_type

from .conftest import ROOT

NAMES = ("formula", "numeric", "matrix", "choice", "derivation", "text", "code")


def test_the_registry_finds_every_type_module_in_order():
    assert tuple(TYPES) == NAMES
    modules = {p.stem for p in (ROOT / "grader" / "checks").glob("*.py")} - {"__init__", "base"}
    declared = {m for m in modules if re.search(r"^ANSWER_TYPE = ", (ROOT / "grader" / "checks" / f"{m}.py")
                                               .read_text(encoding="utf-8"), re.M)}
    assert declared == set(NAMES)                     # one module per type, named as the type
    assert all(isinstance(TYPES[n], AnswerType) and TYPES[n].name == n for n in NAMES)
    assert set(CHECKERS) == set(NAMES)
    from grader import model
    assert model.ANSWER_TYPES == NAMES
    with pytest.raises(KeyError, match="no answer type 'essay'"):
        answer_type("essay")


# -- no type-name branches outside the type modules ---------------------------------------------------

_TYPE = r"[\"'](formula|numeric|matrix|choice|choices|derivation|text|code)[\"']"
# a part's type (part.type, p["type"], ptype, kind = part.type...) compared with a type's name
_WHO = r"(\btype\b|\bptype\b|\[[\"']type[\"']\]|\.get\([\"']type[\"']\)|\bkind\b)"
BRANCH = re.compile(rf"{_WHO}[^=!\n]*?(==|!=|\bnot in\b|\bin\b)\s*[\(\[\{{]?\s*{_TYPE}"
                    rf"|{_TYPE}\s*(==|!=)\s*[^\n]*{_WHO}")
# Files still allowed to branch on type names (none: grading asks ``answer_type(t).batched`` /
# ``.in_answers_file``, nngrade serve asks ``.input_widget``, ``.previews``, ``.checked_at_once``, ``.runs_tests``).
PENDING: set[str] = set()
# a literal list of two or more type names (``PREVIEW_TYPES = ("formula", "numeric", ...)``): a branch in waiting
LISTED = re.compile(rf"{_TYPE}\s*,\s*{_TYPE}")
# the page's script choosing by a part's type (``section.dataset.type === "choice"``)
JS_BRANCH = re.compile(rf"(===|!==)\s*{_TYPE}|{_TYPE}\s*(===|!==)")


def branches(root: Path) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    files = [*root.joinpath("grader").rglob("*.py"), *root.joinpath("grader", "templates").rglob("*.html")]
    for path in files:
        rel = path.relative_to(root).as_posix()
        if rel.startswith("grader/checks/"):
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if BRANCH.search(line):
                found.setdefault(rel, []).append(f"{n}: {line.strip()}")
    return found


def test_the_scanner_sees_the_branches_it_forbids():
    for line in ('if part.type == "code":', "elif p.type in ('formula', 'derivation'):",
                 '{% if part.type == "choice" %}', 'kind = "choices" if part.type == "choice" else part.type',
                 'if "text" != ptype:', 'any(p["type"] == "code" for p in parts)', 'elif kind == "numeric":',
                 'if p.get("type") == "code"', 'seconds = 5 if part.type != "code" else 0'):
        assert BRANCH.search(line), line
    for line in ('texttype="text/plain"', 'kind == "gradient"', 'if answer_type(p.type).batched:',
                 'misses += key[0] == "text"', 'Issue(path, m, WARNING, "text")'):
        assert not BRANCH.search(line), line


def test_no_answer_type_is_named_in_a_branch_outside_its_module():
    found = {f: lines for f, lines in branches(ROOT).items() if f not in PENDING}
    assert found == {}


def test_no_list_of_type_names_and_no_script_branch_outside_the_type_modules():
    assert LISTED.search('PREVIEW_TYPES = ("formula", "numeric", "matrix")')
    assert JS_BRANCH.search('if (type === "choice") {') and not JS_BRANCH.search('widget === "options"')
    found = []
    for path in [*ROOT.joinpath("grader").rglob("*.py"), *ROOT.joinpath("grader", "templates").rglob("*.html"),
                 *ROOT.joinpath("grader").rglob("*.js")]:
        rel = path.relative_to(ROOT).as_posix()
        if rel.startswith("grader/checks/"):
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if LISTED.search(line) or (path.suffix == ".js" and JS_BRANCH.search(line)):
                found.append(f"{rel}:{n}: {line.strip()}")
    assert found == []


# -- what nngrade serve asks of a type ----------------------------------------------------------------

def test_each_type_says_how_the_browser_takes_its_answer(bank):
    widgets = {n: TYPES[n].input_widget for n in NAMES}
    assert widgets == {"formula": "line", "numeric": "line", "matrix": "line", "choice": "options",
                       "derivation": "steps", "text": "textarea", "code": "none"}
    assert {n for n in NAMES if TYPES[n].previews} == {"formula", "numeric", "matrix"}
    assert {n for n in NAMES if TYPES[n].answer_list} == {"choice", "derivation"}
    assert {n for n in NAMES if TYPES[n].runs_tests} == {"code"}
    assert {n for n in NAMES if TYPES[n].checked_at_once} == {"formula", "numeric", "matrix", "choice"}
    # a type that does not preview says so rather than guessing
    assert TYPES["text"].preview(bank.part("init-symmetry/zero"), "x", Context()) == {"state": "none"}


def test_a_preview_reads_as_the_checker_does(bank):
    part = bank.part("sigmoid-derivative/max")            # numeric: 1/4 is read as 0.25, x/4 is not a number
    ok = TYPES["numeric"].preview(part, "1/4", Context())
    assert ok["state"] == "ok" and "0.25" in ok["message"]
    bad = TYPES["numeric"].preview(part, "x/4", Context(lang="zh"))
    assert bad["state"] == "error" and bad["message"] == " ".join(check_answer(part, "x/4", "zh").feedback)
    matrix = TYPES["matrix"].preview(part, "[1 2; 3 4]", Context())
    assert matrix["state"] == "ok" and "bmatrix" in matrix["latex"] and "2" in matrix["message"]
    assert TYPES["matrix"].preview(part, "[1 2; 3]", Context())["state"] == "error"


# -- the one entry point and its context -------------------------------------------------------------

def test_check_part_takes_language_and_reference_from_its_context(bank):
    part = bank.part("sigmoid-derivative/max")            # σ' peaks at 1/4 (σ(0)(1 − σ(0)))
    assert check_part(part, "0.25", Context()).verdict == "correct"
    assert check_part(part, "1/4", Context(lang="zh")).to_json() == check_answer(part, "1/4", "zh").to_json()
    # a reference given in the context wins over the part's own: what a per-student check passes in
    assert check_part(part, "0.5", Context(reference="0.5")).verdict == "correct"
    assert check_part(part, "0.25", Context(reference="0.5")).verdict == "incorrect"
    assert check_answer(part, "0.25", reference="0.5").verdict == "incorrect"


def test_a_per_student_reference_is_resolved_from_the_contexts_variant(bank):
    part = next(p for p in bank.parts() if callable(p.reference.answer) and p.type == "numeric")
    question = bank.questions[part.question_id]
    import numpy as np
    params = question.variant(np.random.default_rng(7))
    expected = float(part.reference.answer(params))
    assert check_part(part, expected, Context(params=params)).verdict == "correct"
    assert check_part(part, expected * 1.5 + 1, Context(params=params)).verdict == "incorrect"


def test_a_checker_in_the_table_is_what_runs(bank, monkeypatch):
    seen = []
    monkeypatch.setitem(CHECKERS, "choice", lambda part, answer, ctx: seen.append(ctx) or
                        TYPES["choice"].check(part, answer, ctx))
    result = check_answer(bank.part("init-symmetry/zero"), "B", "zh")
    assert result.verdict == "correct" and seen and seen[0].lang == "zh"


# -- the student kit takes the code tests' tolerances from the code type -----------------------------

def test_the_kit_uses_the_code_types_tolerances(bank, monkeypatch):
    part = next(p for p in bank.parts() if p.type == "code" and any(
        t.get("kind") == "gradient" and "rtol" not in t for t in p.reference.code_tests))
    monkeypatch.setattr(code_type, "GRADIENT_RTOL", 3e-3)
    monkeypatch.setattr(code_type, "RTOL", 2e-6)
    vectors = TYPES["code"].kit_vectors(part, 1)
    gradient = [v for v in vectors if v["kind"] == "gradient"]
    assert gradient and all(v["rtol"] == 3e-3 for v in gradient)
    assert all(v["rtol"] in (2e-6, 3e-3) or v["rtol"] == next(
        t["rtol"] for t in part.reference.code_tests if t.get("rtol") == v["rtol"]) for v in vectors)
    source = (ROOT / "grader" / "quiz" / "kit.py").read_text(encoding="utf-8")
    assert not re.search(r"1e-(5|7|8|12)\b", source)      # no copy of the defaults in the kit


# -- adding a type is adding a module ------------------------------------------------------------------

YESNO = '''
from grader.checks.base import AnswerType, Context
from grader.outcome import Outcome


class YesNoType(AnswerType):
    """yes or no"""
    name, order = "yesno", 80

    def part_keys(self):
        from grader.bank.schema import Bool, Key
        return {"strict": Key(Bool(), "only the words yes and no")}

    def check(self, part, answer, ctx):
        said = str(answer).strip().lower()
        if said not in ("yes", "no"):
            return Outcome("invalid", 0.0, ("yes or no",))
        right = said == str(ctx.reference or part.reference.answer).lower()
        return Outcome("correct" if right else "incorrect", float(right), ())

    def validate_reference(self, part):
        return [] if part.reference.answer in ("yes", "no") else [("ANSWERS", "expected yes or no")]


ANSWER_TYPE = YesNoType()
'''

QUESTION = """id: is-convex
title: {en: Convexity, zh: 凸性}
parts:
  - id: mse
    type: yesno
    strict: true
    prompt: {en: "Is the mean squared error convex in the prediction?", zh: "均方误差关于预测值是凸的吗？"}
"""

SOLUTION = """ANSWERS = {"mse": "yes"}
SELF_TESTS = {"mse": {"accept": ["Yes"], "reject": ["no"]}}
"""


@pytest.fixture
def yesno(tmp_path, monkeypatch):
    """A new answer type as one module of its own package, registered as grader.checks would find it."""
    package = tmp_path / "extra_types"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "yesno.py").write_text(YESNO)
    monkeypatch.syspath_prepend(str(tmp_path))
    found = discover([str(package)], "extra_types")
    assert list(found) == ["yesno"]
    kind = found["yesno"]
    monkeypatch.setitem(TYPES, "yesno", kind)
    monkeypatch.setitem(CHECKERS, "yesno", kind.check)
    monkeypatch.setitem(messages.CATALOG, "hint_yesno", ("yes or no", "是或否"))
    monkeypatch.delitem(schema.PART.__dict__, "records", raising=False)     # the schema asks the registry again
    yield kind
    schema.PART.__dict__.pop("records", None)
    sys.modules.pop("extra_types.yesno", None)
    sys.modules.pop("extra_types", None)


def _bank(root: Path, question: str = QUESTION) -> Path:
    (root / "questions" / "loss").mkdir(parents=True)
    (root / "questions" / "loss" / "is-convex.yaml").write_text(question, encoding="utf-8")
    (root / "solutions").mkdir()
    (root / "solutions" / "is_convex.py").write_text(SOLUTION, encoding="utf-8")
    return root


def test_a_new_type_module_works_everywhere(yesno, tmp_path):
    from grader.bank import load_bank
    from grader.bank.selftest import run_self_tests
    from grader.bank.validate import validate_question
    from grader.errors import BankError
    from grader.publish.lms import items
    from grader.quiz import Assigned, Quiz
    from grader.quiz.handout import answers_template, key_answers

    bank = load_bank(_bank(tmp_path / "bank"))
    part = bank.part("is-convex/mse")
    assert part.type == "yesno" and part.spec == {"strict": True}
    assert check_answer(part, "yes").verdict == "correct" and check_answer(part, "no").verdict == "incorrect"
    assert check_answer(part, "").verdict == "missing" and check_answer(part, "maybe").verdict == "invalid"
    assert validate_question(bank.questions["is-convex"]) == []
    assert run_self_tests(bank) == (3, [])                  # the reference and the two listed answers

    assigned = [Assigned(bank.questions["is-convex"], [part], {})]
    assert "  mse: \"\"    # 是或否" in answers_template(assigned, "zh")
    assert key_answers(assigned) == {"is-convex/mse": "yes"}
    quiz = Quiz("q", {"en": "Q", "zh": "Q"}, 1, ["is-convex"], "q.yaml")
    exported, warnings = items(bank, quiz, "en")
    assert [i.qti_type for i in exported] == ["essay_question"] and "a yesno part" in warnings[0]

    # its keys are checked like any other's: a misspelt one is named, with the type's own keys suggested
    with pytest.raises(BankError) as info:
        load_bank(_bank(tmp_path / "bad", QUESTION.replace("strict: true", "strikt: true")))
    assert any("strikt" in key and "did you mean 'strict'" in message for _, key, message in info.value.problems)
    assert "yesno" in schema.json_schema("question")["properties"]["parts"]["items"]["properties"]["type"]["enum"]
