"""Answers written per entry, the way the course prints gradients and gates (``\\hat y_i - y_i``,
``f_{t} ⊙ C_{t-1}`` as ``f_t_k C_prev_k``): read as the whole vector where that IS the reading, refused with
their own message where it is not (grader/formula/resolve.py, ``Resolver.entrywise``).

The class is tested over the bank: every element-wise vector or matrix answer among the bank's references
and self-tests, rewritten entry by entry by this file's own renderer, gets the verdict and score its vector
form gets. Nothing here compares the engine with itself on one text: the per-entry text is produced
independently, from the parsed vector form.
"""
from __future__ import annotations

import pytest

from grader.bank import load_bank
from grader.checks import check_answer
from grader.checks.base import Context
from grader.checks.formula import FormulaType
from grader.formula.evaluate import infer_shapes
from grader.formula.resolve import parse_formula
from grader.formula.syntax import FormulaInvalid

from .conftest import ROOT

ELEMENTWISE = {"num", "const", "sym", "add", "sub", "mul", "hadamard", "div", "neg", "pow", "call", "afunc"}
NOT_ELEMENTWISE_CALLS = {"softmax", "sum", "diag"}


@pytest.fixture(scope="module")
def bank():
    return load_bank(ROOT)


def per_entry(node, table, index=("k",)) -> str | None:
    """ASCII text of ``node`` with every vector (matrix) symbol written as its entry ``name_k``
    (``name_{kl}``); None when the expression is not element-wise."""
    op = node.op
    if op not in ELEMENTWISE or (op == "call" and node.value in NOT_ELEMENTWISE_CALLS):
        return None
    args = [per_entry(a, table, index) for a in node.args]
    if any(a is None for a in args):
        return None
    if op == "num":
        return format(node.value, "g")
    if op == "const":
        return str(node.value)
    if op == "sym":
        spec = table.symbols[node.value]
        if spec.is_scalar:
            return node.value
        dims = sum(1 for d in spec.shape if d > 1) or 1
        return f"{node.value}_{{{''.join(('k', 'l')[:dims])}}}"
    if op in ("add", "sub", "mul", "hadamard", "div"):
        sign = {"add": "+", "sub": "-", "mul": "*", "hadamard": "*", "div": "/"}[op]
        return f"({args[0]} {sign} {args[1]})"
    if op == "neg":
        return f"(-{args[0]})"
    if op == "pow":
        return f"({args[0]})^({args[1]})"
    return f"{node.value}({', '.join(args)})"


def _cases(bank):
    """(part, vector-form text, per-entry text) for every element-wise vector/matrix answer of the bank."""
    out = []
    for part in bank.parts():
        if part.type != "formula":
            continue
        refs = part.reference.answer
        texts = [refs] if isinstance(refs, str) else list(refs)
        for kind in ("accept", "partial", "reject"):
            texts += [c[0] if isinstance(c, tuple) else c for c in part.reference.self_tests.get(kind, [])]
        for text_ in texts:
            try:
                node = parse_formula(text_, part.table)
                shape = infer_shapes(node, part.table)[id(node)]
            except Exception:
                continue
            if shape == (1, 1) or node.op == "sym":
                continue                 # a bare x_k is tested on its own below
            entry = per_entry(node, part.table)
            if entry is not None and any(not part.table.symbols[s].is_scalar for s in node.symbols()):
                out.append((part, text_, entry))
    return out


def test_every_elementwise_answer_of_the_bank_written_per_entry_gets_its_vector_verdict(bank):
    cases = _cases(bank)
    parts = {p.address for p, _, _ in cases}
    assert len(cases) >= 20 and len(parts) >= 6, (len(cases), sorted(parts))
    right = 0
    for part, vector, entry in cases:
        a, b = check_answer(part, vector), check_answer(part, entry)
        assert (b.verdict, b.score) == (a.verdict, a.score), (part.address, vector, entry, a.feedback, b.feedback)
        assert b.details.get("read") == "entrywise", (part.address, entry, b.feedback)
        right += a.verdict == "correct"
    assert 0 < right < len(cases)             # right and wrong answers both among them


@pytest.mark.parametrize("answer", [r"\hat y_i - y_i", r"\hat{y}_k - y_k", "ŷ_j − y_j", "ŷⱼ − yⱼ",
                                    r"\frac{e^{z_i}}{\sum_j e^{z_j}} - y_i",
                                    r"\frac{\exp(z_i)}{\sum_{k=1}^{K}\exp(z_k)} - y_i"])
def test_the_softmax_gradient_as_the_course_prints_it_is_right(bank, answer):
    part = bank.part("softmax-cross-entropy/grad")
    for lang, said in (("en", "Read entry by entry"), ("zh", "已按分量读取")):
        out = check_answer(part, answer, lang=lang)
        assert out.verdict == "correct", (answer, out.feedback)
        assert any(said in line for line in out.feedback)


@pytest.mark.parametrize("answer", [r"z_i - y_i", r"\hat y_i (1 - \hat y_i)", r"y_i - \hat y_i",
                                    r"\frac{e^{z_i}}{\sum_j e^{z_i}} - y_i"])
def test_wrong_per_entry_answers_stay_wrong(bank, answer):
    out = check_answer(bank.part("softmax-cross-entropy/grad"), answer)
    assert out.verdict != "correct" and out.score == 0, (answer, out.verdict, out.feedback)


@pytest.mark.parametrize("answer, key", [
    (r"\hat y_i - y", "entry_not_entrywise"),                 # a whole vector among entries
    (r"\hat y_i - y_j", "entry_indices_differ"),              # two free indices
    (r"i \hat y_i - y_i", "entry_index_alone"),               # the index as a number
    (r"\operatorname{softmax}(z_i) - y_i", "entry_not_entrywise"),   # softmax of one entry is not an entry
    (r"\operatorname{diag}(\hat y_i) - y_i", "entry_not_entrywise"),
    (r"\hat y_i - y_i + \sum_i y_i", "unknown_symbol_hint"),  # i is the sum's: ŷ_i outside it is no entry
])
def test_per_entry_text_that_is_not_an_entry_reading_is_refused_with_its_own_message(bank, answer, key):
    part = bank.part("softmax-cross-entropy/grad")
    with pytest.raises(FormulaInvalid) as info:
        parse_formula(answer, part.table)
    assert info.value.key == key, (answer, info.value.key)
    for lang in ("en", "zh"):
        out = check_answer(part, answer, lang=lang)
        assert out.verdict == "invalid" and out.score == 0 and out.feedback


def test_an_index_that_is_a_declared_symbol_is_not_an_entry(bank):
    # lstm: t is the time step (x_t, h_{t-1} are names of their own): nothing here is read per entry
    part = bank.part("lstm-cell/cell")
    notes: list = []
    node = parse_formula("f_t*C_prev + i_t*Ctilde_t", part.table, notes)
    assert notes == [] and node.op == "add"


def test_the_preview_says_the_answer_was_read_per_entry(bank):
    part = bank.part("softmax-cross-entropy/grad")
    shown = FormulaType().preview(part, r"\hat y_i - y_i", Context(lang="en"))
    assert shown["state"] == "ok" and r"\hat{y} - y" in shown["latex"] and "Read entry by entry" in shown["message"]
    plain = FormulaType().preview(part, r"\hat y - y", Context(lang="en"))
    assert "entry" not in plain["message"]


def write_loss_bank(root):
    """A one-question bank at ``root`` whose answer is a scalar sum over a vector's entries (the cross-entropy
    loss); returns ``root``."""
    (root / "questions" / "loss").mkdir(parents=True)
    (root / "solutions").mkdir()
    (root / "questions" / "loss" / "ce-loss.yaml").write_text(
        'id: ce-loss\ntitle: {en: "Cross-entropy", zh: "交叉熵"}\nparts:\n  - id: loss\n    type: formula\n'
        '    points: 2\n    prompt: {en: "Give L.", zh: "求 L。"}\n    symbols:\n'
        '      z: {shape: [4, 1], domain: [-4, 4]}\n      y: {shape: [4, 1], domain: onehot}\n', encoding="utf-8")
    (root / "solutions" / "ce_loss.py").write_text(
        'ANSWERS = {"loss": "-sum(y*log(softmax(z)))"}\n'
        'MISCONCEPTIONS = {"loss": [\n'
        '    {"id": "sign", "answer": "sum(y*log(softmax(z)))", "feedback": {"en": "Sign.", "zh": "符号。"}},\n'
        '    {"id": "no-log", "answer": "-sum(y*softmax(z))", "feedback": {"en": "No log.", "zh": "缺 log。"}}]}\n'
        'SELF_TESTS = {"loss": {"accept": ["-sum(y*log(softmax(z)))"], "reject": ["sum(y*log(softmax(z)))"],\n'
        '                       "invalid": ["sum(y*"]}}\n', encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def loss_bank(tmp_path_factory):
    return load_bank(write_loss_bank(tmp_path_factory.mktemp("entrybank")))


@pytest.mark.parametrize("answer", [r"-\sum_k y_k \log \operatorname{softmax}(z)_k",      # the prompt's own form
                                    r"-\sum_{k=1}^{K} y_k \log\left(\frac{e^{z_k}}{\sum_j e^{z_j}}\right)",
                                    r"-\sum_k y_k \log(softmax(z)_k)"])
def test_the_loss_as_the_course_prints_it_reads_as_a_sum(loss_bank, answer):
    out = check_answer(loss_bank.part("ce-loss/loss"), answer)
    assert out.verdict == "correct", (answer, out.feedback)


def test_a_per_entry_answer_to_a_scalar_question_says_what_is_missing(loss_bank):
    part = loss_bank.part("ce-loss/loss")
    for answer in (r"-y_k \log \operatorname{softmax}(z)_k", r"-y_i \log(\frac{e^{z_i}}{\sum_j e^{z_j}})"):
        out = check_answer(part, answer)
        assert out.verdict == "incorrect" and out.details.get("error") == "shape", out.feedback
        index = "k" if "_k" in answer else "i"
        assert any(f"sum over {index}" in line for line in out.feedback), out.feedback
        zh = check_answer(part, answer, lang="zh")
        assert any(f"漏掉了对 {index} 的求和" in line for line in zh.feedback), zh.feedback


@pytest.mark.parametrize("answer", [r"\operatorname{softmax}(z)_1 - y", "softmax(z)_k", "(x)_k"])
def test_an_entry_of_an_expression_outside_any_sum_or_entry_reading_is_refused(bank, answer):
    part = bank.part("softmax-cross-entropy/grad")
    if answer == "softmax(z)_k":               # alone, it IS an answer written per entry (a wrong one)
        assert check_answer(part, answer).details.get("read") == "entrywise"
        return
    out = check_answer(part, answer)
    assert out.verdict == "invalid" and out.score == 0
