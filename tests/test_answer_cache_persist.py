"""The answer cache persisted in the gradebook (grader/checks/cache.py, the ``answer_cache`` table of
grader/results/gradebook.py): a verdict is reused across runs only when everything that decides it is the
same, a row that is not trustworthy is a miss, and the class's results are the same with or without it.

Checks are counted with a spy on the formula checker, never by timing. A freshly loaded bank stands for a new
process (its parts' in-memory caches are empty), so whatever it reuses came from the gradebook.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
from pathlib import Path

import pytest

import grader
from grader.bank import load_bank
from grader.checks import cache as answer_cache
from grader.checks import check_answer
from grader.checks import formula as formula_check
from grader.results.gradebook import Gradebook
from tests.conftest import ROOT

PART = "sigmoid-derivative/in-sigma"
ANSWERS = ["sigma(x)(1-sigma(x))", "σ(x)(1−σ(x))", "sigma(x)^2", "sigma(x)", "exp(-x)/(1+exp(-x))^2",
           "sigma(x)(1-sigma(x)", "  sigma(x) +", "1 - sigma(x)^2", "(1 - sigma(x))*sigma(x)"]


def fresh(root: Path):
    """A bank loaded afresh: its parts' in-memory caches are empty, as in a new process."""
    return load_bank.__wrapped__(root)


@pytest.fixture
def course(tmp_path):
    """A course of one question (sigmoid-derivative), copied: quick to load again, free to edit."""
    root = tmp_path / "course"
    question = Path("questions") / "activations" / "sigmoid-derivative.yaml"
    (root / question.parent).mkdir(parents=True)
    shutil.copy(ROOT / question, root / question)
    (root / "solutions").mkdir()
    shutil.copy(ROOT / "solutions" / "sigmoid_derivative.py", root / "solutions")
    return root


@pytest.fixture
def spy(monkeypatch):
    """Every formula check actually computed (not served by a cache): (part address, answer)."""
    calls: list[tuple[str, str]] = []
    real = formula_check._check_formula

    def counted(part, answer, lang, reference=None):
        calls.append((part.address, answer))
        return real(part, answer, lang, reference)
    monkeypatch.setattr(formula_check, "_check_formula", counted)
    return calls


@pytest.fixture
def book(tmp_path, monkeypatch):
    monkeypatch.delenv("NNGRADE_ANSWER_CACHE", raising=False)
    monkeypatch.delenv("NNGRADE_EXPLAIN_SECONDS", raising=False)
    answer_cache.Stats.reset()
    with Gradebook(tmp_path / "gradebook.sqlite") as b, answer_cache.persisted(b):
        yield b


def rows(book: Gradebook) -> list[tuple]:
    return book.db.execute("SELECT key, engine, outcome, checksum FROM answer_cache ORDER BY key").fetchall()


def same(a, b) -> bool:
    """Equal results, details in the same order (outputs write them in that order)."""
    return (a.verdict, a.score, a.feedback, a.interpreted, json.dumps(a.details)) == \
        (b.verdict, b.score, b.feedback, b.interpreted, json.dumps(b.details))


def uncached(root: Path, part_address: str, answer, lang="en", reference=None):
    old = os.environ.get("NNGRADE_ANSWER_CACHE")
    os.environ["NNGRADE_ANSWER_CACHE"] = "0"
    try:
        return check_answer(fresh(root).part(part_address), answer, lang, reference=reference)
    finally:
        if old is None:
            del os.environ["NNGRADE_ANSWER_CACHE"]
        else:
            os.environ["NNGRADE_ANSWER_CACHE"] = old


# -- reuse across runs -----------------------------------------------------------------------------------

def test_a_second_run_checks_nothing_again_and_gives_the_same_results(book, spy, course):
    first = [check_answer(fresh(course).part(PART), a) for a in ANSWERS]        # each answer in its own "process"
    assert len(spy) == len(ANSWERS) and rows(book)
    spy.clear()
    answer_cache.Stats.reset()
    bank = fresh(course)
    again = [check_answer(bank.part(PART), a) for a in ANSWERS]
    assert spy == [] and answer_cache.Stats.loaded == len(ANSWERS)
    assert all(same(a, b) for a, b in zip(again, first))
    plain = [uncached(course, PART, a) for a in ANSWERS]
    assert all(same(a, b) for a, b in zip(again, plain))


def test_a_hit_by_canonical_form_keeps_the_students_own_reading(book, spy, course):
    first = check_answer(fresh(course).part(PART), "sigma(x)*(1 - sigma(x))")
    answer_cache.Stats.reset()
    got = check_answer(fresh(course).part(PART), "(1 - sigma(x))*sigma(x)")
    assert answer_cache.Stats.loaded == 1                      # parsed, then judged by the gradebook's row
    assert same(got, uncached(course, PART, "(1 - sigma(x))*sigma(x)")) and got.interpreted != first.interpreted


def test_spaces_as_typed_are_part_of_the_key(book, course):
    """An unreadable answer's message gives positions in the text as typed: no sharing across spacing."""
    a = check_answer(fresh(course).part(PART), "sigma(x")
    b = check_answer(fresh(course).part(PART), "   sigma(x")
    assert a.verdict == b.verdict == "invalid" and a.feedback != b.feedback
    assert same(b, uncached(course, PART, "   sigma(x"))


def test_memos_filled_by_a_check_do_not_change_the_key(book, spy, course):
    """A part's data fills private memos on first use (the symbol table's spellings): not its definition."""
    part = fresh(course).part(PART)
    before = answer_cache.part_fingerprint(part)
    check_answer(part, "xx")                                       # reading "xx" splits it: the memo is filled
    assert part.table._split is not None and answer_cache.part_fingerprint(part) == before
    assert len(rows(book)) >= 1
    spy.clear()
    check_answer(fresh(course).part(PART), "xx")
    assert spy == []


# -- what invalidates ----------------------------------------------------------------------------------------

def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_changing_the_reference_in_a_copied_bank_invalidates(book, spy, course):
    before = check_answer(fresh(course).part(PART), "sigma(x)(1-sigma(x))")
    assert before.verdict == "correct"
    edit(course / "solutions" / "sigmoid_derivative.py", '"in-sigma": "sigma(x)*(1 - sigma(x))"',
         '"in-sigma": "sigma(x)*(1 - sigma(x))^2"')
    spy.clear()
    after = check_answer(fresh(course).part(PART), "sigma(x)(1-sigma(x))")
    assert spy == [(PART, "sigma(x)(1-sigma(x))")] and after.verdict == "incorrect"
    assert same(after, uncached(course, PART, "sigma(x)(1-sigma(x))"))


def test_changing_a_misconception_spec_or_symbol_invalidates(book, spy, course):
    solution = course / "solutions" / "sigmoid_derivative.py"
    question = next((course / "questions").rglob("sigmoid-derivative.yaml"))
    probes = ["sigma(x)^2", "exp(-x)/(1+exp(-x))^2", "sigma(x)"]
    edits = [
        (solution, "σ(x)² is only part of it", "σ(x)² is a part of it only"),          # a misconception's feedback
        (question, "    require: [sigma]\n", ""),                                      # the spec: a form rule
        (question, "x: {domain: [-6, 6]}", "x: {domain: [-3, 3]}"),                    # the symbol table
    ]
    for path, old, new in edits:
        before = [check_answer(fresh(course).part(PART), a) for a in probes]
        edit(path, old, new)
        spy.clear()
        after = [check_answer(fresh(course).part(PART), a) for a in probes]
        assert len(spy) == len(probes), old                                     # nothing reused
        assert any(not same(a, b) for a, b in zip(before, after)), old          # and the edit showed
        assert all(same(a, uncached(course, PART, p)) for a, p in zip(after, probes)), old


def test_the_language_is_part_of_the_key(book, spy, course):
    en = check_answer(fresh(course).part(PART), "sigma(x)^2", "en")
    spy.clear()
    zh = check_answer(fresh(course).part(PART), "sigma(x)^2", "zh")
    assert spy == [(PART, "sigma(x)^2")] and zh.feedback != en.feedback
    assert same(zh, uncached(course, PART, "sigma(x)^2", "zh"))


def test_another_variant_does_not_reuse(book, spy, course):
    mine = check_answer(fresh(course).part(PART), "sigma(x)^2")
    spy.clear()
    theirs = check_answer(fresh(course).part(PART), "sigma(x)^2", reference="sigma(x)^2")    # another variant
    assert len(spy) == 1 and mine.verdict == "incorrect" and theirs.verdict == "correct"
    spy.clear()
    again = check_answer(fresh(course).part(PART), "sigma(x)^2", reference="sigma(x)^2")
    assert spy == [] and same(again, theirs)          # the same variant again: reused


def test_a_new_version_never_reuses_and_its_run_drops_old_rows(book, spy, monkeypatch, course):
    check_answer(fresh(course).part(PART), "sigma(x)^2")
    old_rows = rows(book)
    assert old_rows
    monkeypatch.setattr(grader, "__version__", grader.__version__ + ".post1")
    monkeypatch.setattr(answer_cache, "_ENGINE", [])                # as a new process of the new release
    spy.clear()
    check_answer(fresh(course).part(PART), "sigma(x)^2")
    assert len(spy) == 1
    with answer_cache.persisted(book):                                 # the new release's next run
        assert {r[1] for r in rows(book)} == {answer_cache.engine()}
        assert not set(old_rows) & set(rows(book))


def test_the_engine_covers_the_grader_source(monkeypatch, tmp_path):
    """The fingerprint reads every module of the package: an edit to one is another engine."""
    fake = tmp_path / "grader"
    shutil.copytree(Path(grader.__file__).parent, fake, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(grader, "__file__", str(fake / "__init__.py"))
    monkeypatch.setattr(answer_cache, "_ENGINE", [])
    one = answer_cache.engine()
    with open(fake / "formula" / "compare.py", "a", encoding="utf-8") as f:
        f.write("\n# a change\n")
    monkeypatch.setattr(answer_cache, "_ENGINE", [])
    assert answer_cache.engine() != one


# -- rows that are not trusted ------------------------------------------------------------------------------

def _tamper_cases(book: Gradebook, key: str, engine: str, body: str, other: tuple):
    """(name, engine, outcome, checksum) of a row that must not be trusted."""
    lie = json.loads(body)
    lie.update(verdict="correct", fraction=1.0, feedback=["Correct."])
    lie_text = json.dumps(lie)
    check = answer_cache.row_checksum

    def resigned(data) -> tuple[str, str]:
        text = data if isinstance(data, str) else json.dumps(data)
        return text, check(key, engine, text)
    return [
        ("verdict changed", engine, lie_text, check(key, engine, body)),
        ("cut short", engine, body[: len(body) // 2], check(key, engine, body)),
        ("foreign row", other[1], other[2], other[3]),                        # another key's row copied here
        ("another engine", "0" * 64, *resigned(body)[:1], check(key, "0" * 64, body)),
        ("not JSON", engine, *resigned("{not json")),
        ("verdict error", engine, *resigned({**json.loads(body), "verdict": "error"})),
        ("fraction out of range", engine, *resigned({**json.loads(body), "fraction": 2.0})),
        ("correct with no credit", engine, *resigned({**json.loads(body), "verdict": "correct", "fraction": 0.0})),
        ("feedback not lines", engine, *resigned({**json.loads(body), "feedback": "Correct."})),
        ("empty feedback", engine, *resigned({**json.loads(body), "feedback": []})),
        ("extra field", engine, *resigned({**json.loads(body), "score": 2})),
        ("details not a dict", engine, *resigned({**json.loads(body), "details": ["x"]})),
        ("interpreted not text", engine, *resigned({**json.loads(body), "interpreted": 3})),
        ("a list", engine, *resigned([body])),
        ("bytes, not text", engine, body.encode(), check(key, engine, body)),
        ("a number", engine, 42, check(key, engine, body)),
        ("no checksum", engine, body, ""),
    ]


def test_a_tampered_or_foreign_row_is_ignored(book, spy, course):
    wrong = "sigma(x)^2"
    truth = check_answer(fresh(course).part(PART), wrong)
    check_answer(fresh(course).part(PART), "sigma(x)")                  # another row, to copy from
    part = fresh(course).part(PART)
    key = answer_cache.persistent_key(part, answer_cache.text_key(part.reference.answer, wrong, "en"))
    stored = {r[0]: r for r in rows(book)}
    assert key in stored
    _, engine, body, _ = stored[key]
    other = next(r for k, r in stored.items() if k != key)
    cases = _tamper_cases(book, key, engine, body, other)
    for name, row_engine, row_body, row_check in cases:
        book.db.execute("UPDATE answer_cache SET engine=?, outcome=?, checksum=? WHERE key=?",
                        (row_engine, row_body, row_check, key))
        spy.clear()
        answer_cache.Stats.reset()
        got = check_answer(fresh(course).part(PART), wrong)
        assert same(got, truth), name                                   # the lie never reached a student
        assert spy == [(PART, wrong)] and answer_cache.Stats.rejected >= 1, name
        assert stored[key] in rows(book), name                          # checked again, and stored right
    assert answer_cache.decode(body) is not None


def test_a_missing_table_or_unreadable_gradebook_is_a_miss(tmp_path, spy, monkeypatch, course):
    monkeypatch.delenv("NNGRADE_ANSWER_CACHE", raising=False)
    with Gradebook(tmp_path / "g.sqlite") as b, answer_cache.persisted(b):
        b.db.execute("DROP TABLE answer_cache")
        got = check_answer(fresh(course).part(PART), "sigma(x)^2")
        assert len(spy) == 1 and same(got, uncached(course, PART, "sigma(x)^2"))


def test_hostile_text_costs_the_cache_nothing(book, course):
    """Text SQLite cannot store (lone surrogates), control characters, overlong answers: each gets the
    verdict it gets without the cache, never a grader fault from the cache."""
    for answer in ["sigma(x)\ud800", "\udfff", "x\x00", "x" * 20000, "σ(x)(1−σ(x))\u202e", "sigma(x)" + "(" * 300]:
        for _ in range(2):
            got = check_answer(fresh(course).part(PART), answer)
            assert got.verdict != "error" and same(got, uncached(course, PART, answer)), repr(answer[:20])


# -- what is never persisted ------------------------------------------------------------------------------------

def test_faults_and_time_outs_are_not_persisted(book, monkeypatch, course):
    from grader.errors import CheckTimeout
    real = formula_check.judge

    def broken(*args, **kwargs):
        raise RuntimeError("a grader bug")

    def slow(*args, **kwargs):
        raise CheckTimeout()
    for fault in (broken, slow):
        monkeypatch.setattr(formula_check, "judge", fault)
        assert check_answer(fresh(course).part(PART), "sigma(x)(1-sigma(x))").verdict == "error"
        assert rows(book) == []
    monkeypatch.setattr(formula_check, "judge", real)
    check_answer(fresh(course).part(PART), "sigma(x)(1-sigma(x))")
    assert rows(book)                                             # the same check, settled: kept


def test_an_outcome_made_while_sympy_timed_out_is_not_persisted(book, monkeypatch, course):
    from grader.formula import explain
    calls = []
    real = formula_check._explain

    def timed_out(*args, **kwargs):             # what explain() does when its child runs out of budget
        calls.append(1)
        explain.Stats.timeouts += 1
        return None
    monkeypatch.setattr(formula_check, "_explain", timed_out)
    assert check_answer(fresh(course).part(PART), "sigma(x)^2").verdict == "incorrect"
    assert calls and rows(book) == []
    monkeypatch.setattr(formula_check, "_explain", real)
    check_answer(fresh(course).part(PART), "sigma(x)^2")
    assert len(rows(book)) == 2                                     # untroubled: both levels kept


def test_code_parts_are_never_persisted(book, course):
    bank = fresh(course)
    code = next(p for p in bank.parts() if p.type == "code")
    assert answer_cache.persistent_key(code, ("text", ("x",), "en", False, "def f(): pass")) is None
    formula = bank.part(PART)
    assert answer_cache.persistent_key(formula, ("text", ("x",), "en", False, "sigma(x)")) is not None


def test_switched_off_by_the_environment(tmp_path, spy, monkeypatch, course):
    monkeypatch.setenv("NNGRADE_ANSWER_CACHE", "0")
    with Gradebook(tmp_path / "g.sqlite") as b, answer_cache.persisted(b):
        for _ in range(2):
            check_answer(fresh(course).part(PART), "sigma(x)^2")
            check_answer(fresh(course).part(PART), "sigma(x)^2")
        assert len(spy) == 4 and rows(b) == []


def test_an_older_gradebook_gains_the_table_and_keeps_its_rows(tmp_path):
    path = tmp_path / "old.sqlite"
    db = sqlite3.connect(path)
    db.executescript("CREATE TABLE questions (quiz TEXT NOT NULL, student TEXT NOT NULL, question TEXT NOT NULL, "
                     "key TEXT NOT NULL, result TEXT NOT NULL, graded_at REAL NOT NULL, "
                     "PRIMARY KEY (quiz, student, question));"
                     "INSERT INTO questions VALUES ('q', 's', 'x', 'k', '{}', 0);")
    db.close()
    with Gradebook(path) as b:
        assert b.all_keys("q") == {("s", "x"): "k"} and b.cached_answers() == 0


# -- the demo class, end to end ----------------------------------------------------------------------------

def _results(out: Path) -> str:
    """results.json as written, but for the sandbox's per-run user id (it is not a result)."""
    return re.sub(r'"uid": \d+', '"uid": 0', (out / "results.json").read_text(encoding="utf-8"))


def test_the_demo_class_is_the_same_with_and_without_the_cache(tmp_path, monkeypatch):
    """The shipped demo class (README): a first run, a forced second run served by the gradebook, and a
    run with the cache off write the same results.json; the second run computes no formula check."""
    from grader.quiz import load_quiz
    from grader.results.class_run import run_grading
    monkeypatch.setenv("NNGRADE_CODE_SEED", "20261203")                 # code parts' inputs fixed: comparable
    monkeypatch.delenv("NNGRADE_ANSWER_CACHE", raising=False)
    monkeypatch.delenv("NNGRADE_EXPLAIN_SECONDS", raising=False)
    log = tmp_path / "checks.log"                                       # the workers are forked: a file spy
    real = formula_check._check_formula

    def counted(part, answer, lang, reference=None):
        with open(log, "a", encoding="utf-8") as f:
            f.write(f"{part.address}\n")
        return real(part, answer, lang, reference)
    monkeypatch.setattr(formula_check, "_check_formula", counted)
    quiz = load_quiz(ROOT / "quizzes" / "midterm-exam.yaml", load_bank(ROOT))

    def grade(out: Path) -> int:
        log.write_text("")
        run_grading(fresh(ROOT), quiz, ROOT / "submissions", out, jobs=1, force=True, progress=False)
        return len(log.read_text().splitlines())
    first = grade(tmp_path / "cached")
    first_json = _results(tmp_path / "cached")
    second = grade(tmp_path / "cached")
    monkeypatch.setenv("NNGRADE_ANSWER_CACHE", "0")
    plain = grade(tmp_path / "plain")
    assert first > 0 and second == 0 and plain >= first
    assert _results(tmp_path / "cached") == first_json == _results(tmp_path / "plain")
    with Gradebook(tmp_path / "plain" / "gradebook.sqlite") as b:
        assert b.cached_answers() == 0
