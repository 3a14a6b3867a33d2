"""One catalog of words: every key in every language, same placeholders, and no lookup of a key that is missing.

The source of the package is read with ``ast``: every literal message key handed to ``text()``, ``problem()``,
``ref()``, ``Submission.note()`` or a keyed exception (``Unreadable``, ``YamlLimit``, ``FormulaInvalid``) must be
a catalog key, and a key built as ``f"prefix_{...}"`` must have at least one catalog key with that prefix.
"""
from __future__ import annotations

import ast
import re
import string
import types
from pathlib import Path

import pytest

from grader.messages import CATALOG, LANGS, localized, problem, ref, text, ui
from grader.bank.schema import WARNING, check_solution

PACKAGE = Path(__file__).resolve().parent.parent / "grader"
TEMPLATES = PACKAGE / "templates"

# call name -> index of the argument that is a message key
KEY_ARG = {"text": 0, "ref": 0, "problem": 1, "note": 1, "Unreadable": 0, "YamlLimit": 0, "FormulaInvalid": 0}


def fields(template: str) -> list[tuple[str, str | None, str | None]]:
    """The placeholders of a template: (name, conversion, format spec), sorted."""
    return sorted((name, conv, spec) for _, name, spec, conv in string.Formatter().parse(template) if name is not None)


def used_keys(source: str, filename: str = "<source>") -> list[tuple[str, int, str, bool]]:
    """Message keys named in ``source``: (key or prefix, line, call, is_prefix)."""
    found = []
    for node in ast.walk(ast.parse(source, filename)):
        if isinstance(node, ast.Dict):        # a stored reference {"key": "..."} (see messages.ref)
            for k, v in zip(node.keys, node.values):
                if isinstance(k, ast.Constant) and k.value == "key" and isinstance(v, ast.Constant) \
                        and isinstance(v.value, str) and len(node.keys) <= 2:
                    found.append((v.value, node.lineno, "{'key': ...}", False))
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
        if name not in KEY_ARG or len(node.args) <= KEY_ARG[name]:
            continue
        arg = node.args[KEY_ARG[name]]
        if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
            found.append((arg.value, node.lineno, name, False))
        elif isinstance(arg, ast.JoinedStr) and arg.values and isinstance(arg.values[0], ast.Constant):
            found.append((arg.values[0].value, node.lineno, name, True))
        elif isinstance(arg, ast.BinOp) and isinstance(arg.op, ast.Add) and isinstance(arg.left, ast.Constant) \
                and isinstance(arg.left.value, str):            # "prefix_" + code
            found.append((arg.left.value, node.lineno, name, True))
    return found


def missing_keys(source: str, filename: str = "<source>") -> list[str]:
    out = []
    for key, line, call, is_prefix in used_keys(source, filename):
        ok = any(k.startswith(key) for k in CATALOG) if is_prefix else key in CATALOG
        if not ok:
            out.append(f"{filename}:{line}: {call}({key!r}{'…' if is_prefix else ''}) names no catalog key")
    return out


SOURCES = sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


# -- the catalog itself -----------------------------------------------------------------------

@pytest.mark.parametrize("key", sorted(CATALOG))
def test_every_key_has_every_language(key):
    entry = CATALOG[key]
    assert isinstance(entry, tuple) and len(entry) == len(LANGS), f"{key}: expected one text per language {LANGS}"
    for lang, template in zip(LANGS, entry):
        assert isinstance(template, str) and template.strip(), f"{key}: the {lang} text is empty"
    if not re.fullmatch(r".+_lang_[a-z]{2}", key):     # a language's own name (English / 中文) is the same in both
        assert re.search(r"[\u4e00-\u9fff]", entry[LANGS.index("zh")]), f"{key}: the zh text has no Chinese"


@pytest.mark.parametrize("key", sorted(CATALOG))
def test_placeholders_agree_between_languages(key):
    en, zh = CATALOG[key]
    assert fields(en) == fields(zh), f"{key}: en has {fields(en)}, zh has {fields(zh)}"


def test_the_placeholder_check_sees_a_difference():
    assert fields("{a} and {b!r}") != fields("{a} 和 {b}")
    assert fields("{n:.2f}") != fields("{n}")
    assert fields("{{literal}} {x}") == fields("{x} {{字面}}")


# -- every lookup names a key ----------------------------------------------------------------

def test_every_message_key_named_in_the_package_exists():
    problems = [m for path in SOURCES for m in missing_keys(path.read_text(encoding="utf-8"),
                                                           str(path.relative_to(PACKAGE.parent)))]
    assert not problems, "\n".join(problems)


def test_the_scan_finds_lookups_of_every_kind():
    """The scan is not vacuous: it sees the package's lookups, and it reports a key that does not exist."""
    seen = {call for path in SOURCES for _, _, call, _ in used_keys(path.read_text(encoding="utf-8"))}
    assert {"text", "note", "Unreadable", "FormulaInvalid", "{'key': ...}"} <= seen
    bad = ('from .messages import text, ref\n'
           'x = text("no_such_key_anywhere", lang)\n'
           'y = ref("another_missing_key")\n'
           'z = text(f"nope_prefix_{kind}", "zh")\n'
           'w = text("nope_plus_" + kind, "zh")\n'
           'ok = text("correct", "zh")\n'
           'sub.note("answers.yaml", "missing_note_key", "warning")\n'
           'raise Unreadable("missing_unreadable_key", {})\n')
    found = missing_keys(bad)
    assert len(found) == 6 and all("no catalog key" in f for f in found), found
    assert not any("'correct'" in f for f in found)


def test_every_label_a_template_uses_exists_in_both_languages():
    en, zh = ui("en"), ui("zh")
    assert set(en) == set(zh)
    for group in ("verdicts", "types", "diagnoses"):
        assert set(en[group]) == set(zh[group]) and en[group]
    assert set(en["verdicts"]) == {"correct", "partial", "incorrect", "invalid", "error", "missing"}
    used = set()
    for path in TEMPLATES.glob("*.html"):
        used |= set(re.findall(r"\bui\.(\w+)", path.read_text(encoding="utf-8")))
    assert used, "no ui.* label found in the templates"
    assert not used - set(en), f"labels the templates use but the catalog lacks: {sorted(used - set(en))}"


# -- keyed problems and references -------------------------------------------------------------

def test_a_problem_keeps_its_key_and_is_shown_in_the_page_language():
    p = problem("answers.yaml", "sub_not_regular", "en", "error", file="answers.yaml", kind=ref("kind_fifo"))
    assert p["message"] == ("answers.yaml is a named pipe (FIFO), not a regular file; it was not read. "
                            "Expected a text file.")
    assert p["key"] == "sub_not_regular" and p["params"]["kind"] == {"key": "kind_fifo"}
    zh = localized(p, "zh")["message"]
    assert zh == "answers.yaml 是命名管道（FIFO），不是普通文件；未读取。应提交文本文件。"
    assert localized({"file": "", "message": "stored text"}, "zh")["message"] == "stored text"
    assert localized({**p, "params": {}}, "zh")["message"] == p["message"]      # unusable params: stored text


def test_a_nested_reference_follows_the_outer_language():
    inner = ref("unknown_symbol", name="one", known="x, y")
    assert text("matrix_entry_bad", "zh", row=1, col=2, detail=inner) == \
        "元素 (1, 2) 不是数：未知符号 'one'。本题可用的符号为：x, y。"
    assert text("matrix_entry_bad", "en", row=1, col=2, detail=inner).endswith(
        "Unknown symbol 'one'. This question's symbols are: x, y.")


def test_a_matrix_entry_that_is_not_a_number_is_explained_in_the_answer_language(part):
    from grader.checks import check_answer
    for address, p in ((a, part(a)) for a in _matrix_parts(part)):
        result = check_answer(p, [["1", "one"], ["2", "3"]], "zh", reference=[[1.0, 2.0], [3.0, 4.0]])
        assert result.verdict == "invalid", address
        line = " ".join(result.feedback)
        assert "未知符号" in line and "Unknown symbol" not in line, line
        return
    pytest.skip("no matrix part in the bank")


def _matrix_parts(part):
    from grader.bank import load_bank

    from .conftest import ROOT
    bank = load_bank(ROOT)
    return [p.address for q in bank.questions.values() for p in q.parts if p.type == "matrix"]


# -- misconceptions in the bank ------------------------------------------------------------------

def test_misconception_feedback_in_the_bank_has_both_languages(bank):
    for question in bank.questions.values():
        for p in question.parts:
            for mis in p.reference.misconceptions:
                feedback = mis.get("feedback")
                assert isinstance(feedback, dict), (p.address, mis.get("id"))
                for lang in LANGS:
                    text_ = feedback.get(lang)
                    assert isinstance(text_, str) and text_.strip(), (p.address, mis.get("id"), lang)


def test_bank_check_warns_about_an_empty_language_and_fails_a_missing_one():
    def issues(feedback):
        module = types.SimpleNamespace(MISCONCEPTIONS={"grad": [{"id": "sign", "answer": "-x", "feedback": feedback}]})
        return check_solution(module, {"grad": "formula"}, set())

    empty = issues({"en": "Check the sign.", "zh": "  "})
    assert [(i.level, i.key) for i in empty] == [(WARNING, "MISCONCEPTIONS['grad'][sign].feedback.zh")], empty
    missing = issues({"en": "Check the sign."})
    assert missing and all(i.level != WARNING for i in missing) and "zh" in missing[0].message + missing[0].key
    assert issues({"en": "Check the sign.", "zh": "检查符号。"}) == []
