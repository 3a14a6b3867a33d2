"""The answer cache (grader/checks/cache.py): one check per distinct (part, variant, canonical answer, language),
and never a different verdict than checking again."""
from __future__ import annotations

import pytest

from grader.checks import cache as answer_cache
from grader.bank import load_bank
from grader.checks import check_answer
from grader.checks import formula as formula_check
from tests.conftest import ROOT


@pytest.fixture
def fresh():
    """A bank of our own, so that no other test's answers are in its parts' caches."""
    answer_cache.Stats.reset()
    return load_bank.__wrapped__(ROOT)          # not the process's cached bank: its own parts and caches


def test_a_repeated_answer_is_checked_once(fresh):
    part = fresh.part("sigmoid-derivative/in-sigma")
    first = check_answer(part, "sigma(x)(1 - sigma(x))")
    assert answer_cache.Stats.hits == 0
    second = check_answer(part, "  sigma(x)(1 - sigma(x)) ")
    assert answer_cache.Stats.hits == 1
    assert second == first


def test_the_same_canonical_form_shares_a_check_but_keeps_its_own_reading(fresh, monkeypatch):
    part = fresh.part("sigmoid-derivative/in-sigma")
    first = check_answer(part, "sigma(x)*(1 - sigma(x))")
    calls = []
    real = formula_check.evaluate
    monkeypatch.setattr(formula_check, "evaluate", lambda *a, **k: calls.append(1) or real(*a, **k))
    second = check_answer(part, "(1 - sigma(x))*sigma(x)")
    assert calls == []                                    # nothing evaluated: the verdict came from the cache
    assert (second.verdict, second.score, second.feedback) == (first.verdict, first.score, first.feedback)
    assert second.interpreted != first.interpreted        # each student sees their own answer as read


def test_wrong_answers_keep_their_feedback(fresh):
    part = fresh.part("tanh-sigmoid/tanh-in-sigma")
    a = check_answer(part, "sigma(2x) - 1")
    b = check_answer(part, "sigma(2x) - 1")
    assert a == b and a.details["diagnosis"] == "missing_factor" and answer_cache.Stats.hits == 1


def test_language_and_variant_are_part_of_the_key(fresh):
    part = fresh.part("sigmoid-derivative/in-sigma")
    en = check_answer(part, "sigma(x)^2", "en")
    zh = check_answer(part, "sigma(x)^2", "zh")
    assert en.feedback != zh.feedback and answer_cache.Stats.hits == 0
    other = check_answer(part, "sigma(x)^2", "en", reference="sigma(x)^2")       # another variant's reference
    assert other.verdict == "correct" and en.verdict == "incorrect"


def test_a_hit_is_a_copy(fresh):
    part = fresh.part("sigmoid-derivative/in-sigma")
    first = check_answer(part, "sigma(x)")
    first.details["counterexample"]["got"] = "tampered"
    second = check_answer(part, "sigma(x)")
    assert second.details["counterexample"]["got"] != "tampered"


def test_grader_faults_are_not_cached(fresh, monkeypatch):
    part = fresh.part("sigmoid-derivative/in-sigma")

    def broken(*args, **kwargs):
        raise RuntimeError("a grader bug")
    monkeypatch.setattr(formula_check, "judge", broken)
    assert check_answer(part, "sigma(x)(1-sigma(x))").verdict == "error"
    monkeypatch.undo()
    assert check_answer(part, "sigma(x)(1-sigma(x))").verdict == "correct"


def test_switched_off(fresh, monkeypatch):
    monkeypatch.setenv("NNGRADE_ANSWER_CACHE", "0")
    part = fresh.part("sigmoid-derivative/in-sigma")
    check_answer(part, "sigma(x)")
    check_answer(part, "sigma(x)")
    assert answer_cache.Stats.hits == 0


def test_another_bank_never_sees_these_verdicts(fresh, tmp_path):
    part = fresh.part("sigmoid-derivative/in-sigma")
    assert check_answer(part, "sigma(x)(1-sigma(x))").verdict == "correct"
    other = load_bank.__wrapped__(ROOT).part("sigmoid-derivative/in-sigma")
    other.reference.answer = "sigma(x)^2"                 # the same address, another reference
    assert check_answer(other, "sigma(x)(1-sigma(x))").verdict == "incorrect"


def test_cached_verdicts_equal_fresh_ones_on_every_self_test(fresh):
    """Every formula self-test, twice in a row in both languages and in another order: identical results."""
    rows = []
    for part in fresh.parts():
        if part.type != "formula":
            continue
        for kind in ("accept", "reject", "partial", "invalid"):
            for case in part.reference.self_tests.get(kind, []):
                rows.append((part, case[0] if isinstance(case, tuple) else case))
    assert len(rows) > 100
    for lang in ("en", "zh"):
        first = [check_answer(p, a, lang) for p, a in rows]
        again = [check_answer(p, a, lang) for p, a in reversed(rows)][::-1]
        assert again == first
    uncached = load_bank.__wrapped__(ROOT)
    import os
    os.environ["NNGRADE_ANSWER_CACHE"] = "0"
    try:
        plain = [check_answer(uncached.part(p.address), a, "en") for p, a in rows]
    finally:
        del os.environ["NNGRADE_ANSWER_CACHE"]
    cached = [check_answer(p, a, "en") for p, a in rows]
    assert [(r.verdict, r.score, r.feedback, r.interpreted) for r in cached] == \
        [(r.verdict, r.score, r.feedback, r.interpreted) for r in plain]
