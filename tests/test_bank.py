"""Loading and validating the bank; per-student seeds."""
from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from grader.bank import load_bank
from grader.errors import BankError, UnknownPart
from grader.variants import stable_seed, variant_rng

from .conftest import ROOT

SYLLABUS_PARTS_OF_THIS_BANK = """
sigmoid-symmetry/identity sigmoid-symmetry/proof sigmoid-derivative/in-sigma sigmoid-derivative/max
sigmoid-derivative/argmax tanh-sigmoid/tanh-in-sigma tanh-sigmoid/tanh-derivative tanh-sigmoid/max-derivative
relu-family/softplus-derivative relu-family/elu-derivative-negative binary-cross-entropy/formula
binary-cross-entropy/grad-yhat binary-cross-entropy/grad-logit softmax-cross-entropy/grad init-symmetry/zero
init-symmetry/constant init-symmetry/why init-symmetry/explain backprop-formulas/delta backprop-formulas/grad-w
backprop-formulas/grad-b backprop-formulas/sgd-l2 vanishing-gradient/bound-formula vanishing-gradient/remedy
residual-gradient/formula universal-approximation/statement universal-approximation/limits rnn-bptt/grad-wo-formula
rnn-gradient-dynamics/jacobian rnn-gradient-dynamics/regime rnn-gradient-dynamics/relu-init lstm-cell/forget
lstm-cell/input lstm-cell/candidate lstm-cell/cell lstm-cell/output lstm-cell/hidden lstm-cell/cell-gradient
gru-cell/update gru-cell/reset gru-cell/candidate gru-cell/hidden gru-cell/relation weight-init/xavier-uniform-r
weight-init/xavier-normal-var weight-init/he-normal-std weight-init/too-large optimizers/adam-bias-correction
optimizers/adam-relation normalization/bn-formula normalization/inference dropout/test-time regularization/l2-grad
regularization/l1-grad
""".split()


def test_every_foundation_part_of_the_syllabus_is_in_the_bank(bank):
    addresses = {p.address for p in bank.parts()}
    assert set(SYLLABUS_PARTS_OF_THIS_BANK) <= addresses


def test_every_prompt_is_bilingual(bank):
    for q in bank.questions.values():
        assert q.title["en"] and q.title["zh"]
        for p in q.parts:
            assert p.prompt["en"] and p.prompt["zh"], p.address
            assert any("\u4e00" <= ch <= "\u9fff" for ch in p.prompt["zh"]), p.address


def test_formula_parts_have_two_misconceptions(bank):
    for p in bank.parts():
        if p.type == "formula":
            assert len(p.reference.misconceptions) >= 2, p.address


def test_unknown_parts_are_clear(bank):
    with pytest.raises(UnknownPart, match="no part 'nope'.*in-sigma"):
        bank.part("sigmoid-derivative/nope")
    with pytest.raises(UnknownPart, match="no question"):
        bank.part("nope/x")
    with pytest.raises(UnknownPart, match="question-id/part-id"):
        bank.part("sigmoid-derivative")


def _copy_bank(tmp_path: Path, *names: str) -> Path:
    for name in names:
        q = next((ROOT / "questions").rglob(f"{name}.yaml"))
        (tmp_path / "questions" / q.parent.name).mkdir(parents=True, exist_ok=True)
        shutil.copy(q, tmp_path / "questions" / q.parent.name / q.name)
        (tmp_path / "solutions").mkdir(exist_ok=True)
        sol = name.replace("-", "_") + ".py"
        shutil.copy(ROOT / "solutions" / sol, tmp_path / "solutions" / sol)
    return tmp_path


def test_validation_reports_every_problem_with_file_and_key(tmp_path):
    root = _copy_bank(tmp_path, "sigmoid-derivative", "regularization")
    q = root / "questions" / "activations" / "sigmoid-derivative.yaml"
    q.write_text(q.read_text(encoding="utf-8").replace("type: numeric", "type: numbr", 1), encoding="utf-8")
    s = root / "solutions" / "regularization.py"
    s.write_text(s.read_text(encoding="utf-8").replace('"l2-grad": "lambda*W"', '"l2-grad": "lambda*V"'), encoding="utf-8")
    (root / "questions" / "training" / "broken.yaml").write_text("id: [unclosed", encoding="utf-8")
    with pytest.raises(BankError) as info:
        load_bank(root)
    problems = info.value.problems
    text = str(info.value)
    assert any("sigmoid-derivative.yaml" in f and "type" in k and "numbr" in m for f, k, m in problems)
    assert any("regularization.py" in f and "l2-grad" in k and "'V'" in m for f, k, m in problems)
    assert any("broken.yaml" in f and "YAML" in m for f, k, m in problems)
    assert len(problems) >= 3 and text.count("\n") >= 3


def test_missing_solution_and_missing_language(tmp_path):
    root = _copy_bank(tmp_path, "dropout")
    (root / "solutions" / "dropout.py").unlink()
    q = root / "questions" / "training" / "dropout.yaml"
    q.write_text(q.read_text(encoding="utf-8").replace('zh: "Dropout"', 'fr: "Dropout"'), encoding="utf-8")
    with pytest.raises(BankError) as info:
        load_bank(root)
    messages = [f"{f} {k} {m}" for f, k, m in info.value.problems]
    assert any("dropout.py" in m and "missing" in m for m in messages)
    assert any("title" in m and "both languages" in m for m in messages)


def test_misconception_equal_to_reference_is_caught(tmp_path):
    root = _copy_bank(tmp_path, "regularization")
    s = root / "solutions" / "regularization.py"
    s.write_text(s.read_text(encoding="utf-8").replace('"answer": "2*lambda*W"', '"answer": "W*lambda"'), encoding="utf-8")
    with pytest.raises(BankError, match="equals the reference"):
        load_bank(root)


def test_seeds_are_sha256_based_and_stable():
    expected = int.from_bytes(hashlib.sha256("variant\x1f2026\x1fs001\x1fq".encode()).digest()[:8], "big")
    assert stable_seed("variant", 2026, "s001", "q") == expected
    a = variant_rng(2026, "s001", "q").integers(0, 1 << 30, 4)
    b = variant_rng(2026, "s001", "q").integers(0, 1 << 30, 4)
    c = variant_rng(2026, "s002", "q").integers(0, 1 << 30, 4)
    assert a.tolist() == b.tolist() and a.tolist() != c.tolist()


def test_sample_points_do_not_depend_on_process_hash_seed(tmp_path):
    import subprocess
    import sys
    code = ("from grader.bank import load_bank; from grader.checks.formula import points; "
            f"b = load_bank({str(ROOT)!r}); print(points(b.part('lstm-cell/forget')).values['W_f'].sum())")
    outs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                           env={"PYTHONHASHSEED": seed, "PATH": "/usr/bin:/bin"}).stdout for seed in ("1", "2")}
    assert len(outs) == 1
