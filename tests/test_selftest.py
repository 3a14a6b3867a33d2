"""`nngrade bank check`: the bank's own self-tests pass, and a broken one is caught."""
from __future__ import annotations

from grader.bank import load_bank
from grader.bank.selftest import run_self_tests

from .test_bank import _copy_bank


def test_every_self_test_of_the_shipped_bank_passes(bank):
    count, failures = run_self_tests(bank)
    assert count > 400
    assert failures == [], "\n".join(f"{f.part} {f.kind} {f.answer!r}: {f.expected} / {f.got}" for f in failures)


def test_a_wrong_self_test_is_reported(tmp_path):
    root = _copy_bank(tmp_path, "regularization")
    s = root / "solutions" / "regularization.py"
    s.write_text(s.read_text(encoding="utf-8").replace('"accept": ["lambda*W",', '"accept": ["2*lambda*W",'),
                 encoding="utf-8")
    count, failures = run_self_tests(load_bank(root))
    assert [(f.part, f.kind, f.answer) for f in failures] == [("regularization/l2-grad", "accept", "2*lambda*W")]


def test_a_wrong_misconception_expectation_is_reported(tmp_path):
    root = _copy_bank(tmp_path, "regularization")
    s = root / "solutions" / "regularization.py"
    s.write_text(s.read_text(encoding="utf-8").replace('("2 lambda W", "half-lost")', '("2 lambda W", "squared")'),
                 encoding="utf-8")
    _, failures = run_self_tests(load_bank(root))
    assert len(failures) == 1 and "squared" in failures[0].expected
