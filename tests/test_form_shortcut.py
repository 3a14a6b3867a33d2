"""An answer that is the reference up to the order of terms and factors (an exact match) is judged by the
form rules once, on the reference (grader/checks/formula.py ``_reference_form_ok``): the shortcut must give
every such answer of the bank the verdict that judging the answer itself gives."""
from __future__ import annotations

import pytest

from grader.bank import load_bank
from grader.checks import check_answer
from grader.checks import formula as formula_check
from grader.formula.nodes import Node
from grader.formula.render import to_latex
from grader.formula.resolve import parse_formula

from .conftest import ROOT


def _reordered(node: Node) -> Node:
    """The same expression with the operands of every + and element-wise * swapped."""
    args = tuple(_reordered(a) for a in node.args)
    if node.op in ("add", "mul") and len(args) == 2:
        args = args[::-1]
    return Node(node.op, args, node.value)


def _has_form_rules(part) -> bool:
    spec = part.spec
    return bool(spec.get("outer") or spec.get("forbid") or spec.get("require"))


@pytest.fixture(scope="module")
def bank():
    return load_bank(ROOT)


def test_exact_answers_get_the_verdict_judging_them_gives(bank, monkeypatch):
    cases = []
    for part in bank.parts():
        if part.type != "formula" or not _has_form_rules(part):
            continue
        refs = part.reference.answer
        ref = refs if isinstance(refs, str) else refs[0]
        node = parse_formula(ref, part.table)
        texts = {ref, to_latex(_reordered(node), part.table)}
        for kind in ("accept", "partial", "reject"):
            texts.update(c[0] if isinstance(c, tuple) else c for c in part.reference.self_tests.get(kind, []))
        cases += [(part, t) for t in sorted(texts)]
    assert len({p.address for p, _ in cases}) >= 10
    monkeypatch.setenv("NNGRADE_ANSWER_CACHE", "0")
    fast = {(p.address, t): check_answer(p, t) for p, t in cases}
    monkeypatch.setattr(formula_check, "_reference_form_ok", lambda part, ref, lang: False)
    exact = 0
    for part, t in cases:
        slow = check_answer(part, t)
        got = fast[(part.address, t)]
        said = (got.verdict, got.score, got.details.get("form"))
        judged = (slow.verdict, slow.score, slow.details.get("form"))
        assert said == judged, (part.address, t, got.feedback, slow.feedback)
        exact += got.details.get("method") == "exact"
    assert exact >= 10                        # the shortcut was taken on many of them


def test_a_form_rule_the_reference_breaks_is_still_judged_on_the_answer(bank):
    part = next(p for p in bank.parts() if p.type == "formula" and p.spec.get("forbid"))
    refs = part.reference.answer
    compiled = formula_check.compile_reference(part, refs if isinstance(refs, str) else refs[0])
    assert formula_check._reference_form_ok(part, compiled, "en") is True
    compiled.form_ok = False                  # as if the reference broke a rule: nothing is taken on trust
    try:
        out = check_answer(part, refs if isinstance(refs, str) else refs[0])
        assert out.verdict == "correct"
    finally:
        compiled.form_ok = None
