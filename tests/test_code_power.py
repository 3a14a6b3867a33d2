"""Code tests with power: wrong implementations lose points for the reason they stand for,
inputs are never the published ones, changed inputs are caught at any depth, and dropout
is checked for independence, not only for its rate."""
from __future__ import annotations

import importlib.util
import json
import math

import numpy as np
import pytest
import yaml

from grader.bank import load_bank
from grader.checks.code import SEED_ENV, _mutated, check_code_parts, fixed_inputs, judge_test, plan, shared_sandbox
from grader.sandbox import CallResult, Rng, decode_value, encode_value
from grader.quiz.kit import bundle, kit_seed, selfcheck
from grader.bank.selftest import MIN_WRONG_CODE, SELF_TEST_SEED, run_self_tests
from grader.quiz import load_quiz

from .conftest import ROOT
from .test_bank import _copy_bank


def code_parts(bank):
    return [p for p in bank.parts() if p.type == "code"]


def load(name):
    spec = importlib.util.spec_from_file_location(f"power_{name}", ROOT / "solutions" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def failed(outcome, test_id):
    """Reasons for which the tests with ``test_id`` failed (revealed outcomes only)."""
    return [t.get("reason") for t in outcome.details["tests"] if t.get("id") == test_id and not t["passed"]]


# -- 1. every code part lists typical wrong implementations, and each loses points for its reason ----

def test_every_code_part_lists_at_least_three_described_wrong_implementations(bank):
    parts = code_parts(bank)
    assert len(parts) >= 16
    for part in parts:
        wrong = part.reference.self_tests.get("reject", [])
        assert len(wrong) >= MIN_WRONG_CODE, part.address
        ids = {t.get("id") for t in part.reference.code_tests}
        for case in wrong:
            assert isinstance(case, dict) and case["why"] and case["fails"], (part.address, case)
            assert set(case["fails"]) <= ids, (part.address, case["why"])


@pytest.mark.parametrize("seed", [1, 2**40 + 7])
def test_each_wrong_implementation_fails_its_named_test_for_its_reason_on_fresh_inputs(bank, seed):
    """Graded inputs change every run: the wrong implementations must fail on any of them,
    not only on the self-tests' fixed seed (which `nngrade bank check` uses)."""
    problems = []
    for part in code_parts(bank):
        for case in part.reference.self_tests["reject"]:
            outcome = check_code_parts([part], case["source"], "en", seed=seed, reveal=True)[part.address]
            if outcome.verdict not in ("incorrect", "partial"):
                problems.append(f"{part.address}: {case['why']}: {outcome.verdict}")
            for test_id, reason in case["fails"].items():
                reasons = failed(outcome, test_id)
                allowed = reason if isinstance(reason, list) else [reason]
                if not reasons or (reason is not None and not set(reasons) & set(allowed)):
                    problems.append(f"{part.address}: {case['why']}: {test_id} failed for {reasons}, not {reason}")
    assert problems == []


SGD_IN_PLACE = ("import numpy as np\n"
                "def mlp_grads(x, y, W1, b1, W2, b2):\n    raise NotImplementedError\n"
                "def sgd_step(params, grads, lr, weight_decay=0.0):\n"
                "    for p, g in zip(params, grads):\n        p -= lr*(g + weight_decay*p)\n    return params\n")
SGD_REPLACES = SGD_IN_PLACE.replace("    for p, g in zip(params, grads):\n        p -= lr*(g + weight_decay*p)\n",
                                    "    for i, g in enumerate(grads):\n        params[i] = params[i] - lr*g\n")
SGD_RIGHT = SGD_IN_PLACE.replace("    for p, g in zip(params, grads):\n        p -= lr*(g + weight_decay*p)\n"
                                 "    return params\n",
                                 "    return [p - lr*(g + weight_decay*p) for p, g in zip(params, grads)]\n")


def test_sgd_that_updates_the_arrays_inside_its_list_loses_the_sgd_points(bank):
    part = bank.part("mlp-backprop/code")
    for source, where in ((SGD_IN_PLACE, "[0]"), (SGD_REPLACES, "[0]")):
        outcome = check_code_parts([part], source, "en")[part.address]
        sgd = next(t for t in outcome.details["tests"] if t["function"] == "sgd_step")
        assert not sgd["passed"] and sgd["reason"] == "mutated" and "argument 1" in sgd["message"], sgd
        assert where in sgd["message"]
    right = check_code_parts([part], SGD_RIGHT, "en")[part.address]
    assert next(t for t in right.details["tests"] if t["function"] == "sgd_step")["passed"]


ADAM = ("import numpy as np\n"
        "def adam_step(theta, g, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):\n"
        "    m = beta1*m + (1-beta1)*g\n    v = beta2*v + (1-beta2)*g*g\n"
        "    m_hat = m/(1 - beta1**t)\n    v_hat = v/(1 - beta2**t)\n"
        "    return theta - lr*m_hat/(np.sqrt(v_hat) + eps), m, v\n")


def test_adam_with_eps_inside_the_square_root_loses_the_tiny_gradient_points(bank):
    """On fresh inputs, ordinary gradients tell the two apart only now and then (when v is small);
    the tiny-gradient test always does."""
    part = bank.part("optimizers/code")
    inside = check_code_parts([part], ADAM.replace("(np.sqrt(v_hat) + eps)", "np.sqrt(v_hat + eps)"), "en")[part.address]
    adam = {t["id"]: t for t in inside.details["tests"] if t["function"] == "adam_step"}
    assert not adam["adam-tiny"]["passed"] and adam["adam-tiny"]["reason"] == "values"
    assert inside.fraction < 1
    right = check_code_parts([part], ADAM, "en")[part.address]
    assert all(t["passed"] for t in right.details["tests"] if t["function"] == "adam_step")


def test_bank_check_reports_a_wrong_implementation_that_earns_full_marks(tmp_path):
    root = _copy_bank(tmp_path, "gradient-clipping")
    s = root / "solutions" / "gradient_clipping.py"
    text = s.read_text(encoding="utf-8")
    # the "rescales in place" implementation made harmless: it no longer stands for anything
    s.write_text(text.replace('"    if n > max_norm:\\n        g *= max_norm/n\\n    return g\\n"',
                              '"    return g*(max_norm/n) if n > max_norm else g.copy()\\n"'), encoding="utf-8")
    _, failures = run_self_tests(load_bank(root))
    assert [(f.part, f.kind, f.answer) for f in failures] == [("gradient-clipping/code", "reject", "rescales in place")]


def test_bank_check_reports_a_wrong_implementation_failing_for_another_reason(tmp_path):
    root = _copy_bank(tmp_path, "gradient-clipping")
    s = root / "solutions" / "gradient_clipping.py"
    s.write_text(s.read_text(encoding="utf-8").replace('{"vector": "mutated"}', '{"vector": "values"}'), encoding="utf-8")
    _, failures = run_self_tests(load_bank(root))
    assert len(failures) == 1 and "'values'" in failures[0].expected and "mutated" in failures[0].expected


def test_bank_check_requires_three_wrong_implementations(tmp_path):
    root = _copy_bank(tmp_path, "gradient-clipping")
    s = root / "solutions" / "gradient_clipping.py"
    text = s.read_text(encoding="utf-8")
    start = text.index('    _wrong("rescales in place"')
    end = text.index("]}}", start)
    s.write_text(text[:start] + text[end:], encoding="utf-8")
    _, failures = run_self_tests(load_bank(root))
    assert any(f.kind == "reject" and "at least 3" in f.expected for f in failures)


# -- 2. the not-modified check at any depth ------------------------------------------------------

def case_with_containers():
    return (np.arange(6.0).reshape(2, 3), [np.ones(2), np.zeros(3)], (np.ones(2), 0.5),
            {"W": np.eye(2), "b": [np.zeros(2)]}, 0.1, Rng(3))


def plain(value):
    """What the sandbox reports: the same structure as plain data (copies)."""
    return decode_value(encode_value(value)) if not isinstance(value, (dict, Rng)) else (
        {k: plain(v) for k, v in value.items()} if isinstance(value, dict) else None)


def after(case, **changes):
    out = [plain(a) for a in case]
    for name, fn in changes.items():
        fn(out)
    return out


@pytest.mark.parametrize("change, index, path", [
    (lambda o: o[0].__setitem__((0, 0), 9.0), 0, ""),                       # a top-level array
    (lambda o: o[1][1].__setitem__(0, 1.0), 1, "[1]"),                       # an array inside a list
    (lambda o: o[1].__setitem__(0, np.ones(2) * 2), 1, "[0]"),               # a list element replaced
    (lambda o: o[1].append(np.ones(1)), 1, ""),                              # a list grown
    (lambda o: o.__setitem__(2, (o[2][0] + 1, 0.5)), 2, "[0]"),             # an array inside a tuple
    (lambda o: o[3]["W"].__setitem__((1, 1), 0.0), 3, "['W']"),             # an array inside a dict
    (lambda o: o[3]["b"][0].__setitem__(1, 5.0), 3, "['b'][0]"),            # deeper
    (lambda o: o[3].__setitem__("extra", 1.0), 3, ""),                      # a key added
    (lambda o: o.__setitem__(0, o[0].reshape(3, 2)), 0, ""),                 # reshaped
    (lambda o: o.__setitem__(0, o[0].astype(np.float32)), 0, ""),            # dtype changed
    (lambda o: o.__setitem__(1, tuple(o[1])), 1, ""),                       # a list turned into a tuple
    (lambda o: o[1].__setitem__(0, None), 1, "[0]"),                        # an element replaced by None
])
def test_mutation_found_at_any_depth(change, index, path):
    case = case_with_containers()
    assert _mutated(case, after(case)) is None
    assert _mutated(case, after(case, c=change)) == (index, path)


def test_unreported_arguments_and_generators_are_not_judged_and_nan_equals_nan():
    case = (np.array([np.nan, 1.0]), [np.array([np.nan])], Rng(1))
    assert _mutated(case, [plain(case[0]), plain(case[1]), None]) is None
    assert _mutated(case, [None, None, None]) is None
    assert _mutated(case, None) is None and _mutated(case, []) is None


def test_a_changed_element_costs_the_test_with_the_path_in_the_message(bank):
    part = bank.part("mlp-backprop/code")
    tests = plan(part, 5)
    sgd = next(t for t in tests if t["spec"]["function"] == "sgd_step")
    sgd["first_call"] = 0
    results = []
    for case in sgd["cases"]:
        params, grads, lr = case[0], case[1], case[2]
        value = [p - lr * (g + (case[3] if len(case) > 3 else 0.0) * p) for p, g in zip(params, grads)]
        args = [plain(a) for a in case]
        results.append(CallResult(ok=True, value=value, args_after=args))
    assert judge_test(part, sgd, results, "en")["passed"]
    results[1].args_after[0][2] = results[1].args_after[0][2] - 1.0           # params[2] changed in the 2nd call
    report = judge_test(part, sgd, results, "en")
    assert not report["passed"] and report["reason"] == "mutated" and "[2]" in report["message"]
    assert "argument 1" in report["message"]
    zh = judge_test(part, sgd, results, "zh")
    assert zh["message"] != report["message"]


def test_the_sandbox_reports_arguments_inside_lists_tuples_and_dicts():
    """End to end: the sandbox's args_after for nested arguments, read by _mutated."""
    source = ("import numpy as np\n"
              "def honest(a, b, c): return 0.0\n"
              "def in_list(a, b, c): a[1] += 1; return 0.0\n"
              "def in_tuple(a, b, c): b[0][0] = 7; return 0.0\n"
              "def in_dict(a, b, c): c['W'][0, 0] = 3; return 0.0\n"
              "def replace(a, b, c): a[0] = a[0] + 1; return 0.0\n"
              "def add_key(a, b, c): c['new'] = 1.0; return 0.0\n")
    args = [[np.zeros(2), np.ones(3)], (np.arange(3.0), 2.0), {"W": np.eye(2), "n": 1}]
    names = ["honest", "in_list", "in_tuple", "in_dict", "replace", "add_key"]
    run = shared_sandbox([]).run(source, [{"fn": n, "args": [a for a in args]} for n in names])
    assert run.loaded, run.load_error
    found = [_mutated(tuple(args), r.args_after) for r in run.calls]
    assert all(r.ok for r in run.calls), [r.error for r in run.calls]
    assert found == [None, (0, "[1]"), (1, "[0]"), (2, "['W']"), (0, "[0]"), (2, "")]


# -- 3. graded inputs are fresh each run; the kit's vectors earn nothing -------------------------------

def test_graded_inputs_come_from_a_fresh_recorded_seed_and_can_be_reproduced(bank, monkeypatch):
    part = bank.part("sigmoid-derivative/code")
    monkeypatch.delenv(SEED_ENV, raising=False)
    src = (ROOT / "solutions" / "sigmoid_derivative.py").read_text(encoding="utf-8")
    wrong = "import numpy as np\ndef sigmoid_grad(x):\n    return np.exp(-x)\n"
    first = check_code_parts([part], wrong, "en")[part.address]
    second = check_code_parts([part], wrong, "en")[part.address]
    assert first.details["seed"] != second.details["seed"]
    assert first.feedback != second.feedback                  # other inputs, other counterexamples
    monkeypatch.setenv(SEED_ENV, first.details["seed"])
    again = check_code_parts([part], wrong, "en")[part.address]
    assert again.details["seed"] == first.details["seed"] and again.feedback == first.feedback
    monkeypatch.delenv(SEED_ENV)
    with fixed_inputs(SELF_TEST_SEED):
        a = check_code_parts([part], src, "en")[part.address]
        b = check_code_parts([part], wrong, "en")[part.address]
        c = check_code_parts([part], wrong, "en")[part.address]
    assert a.verdict == "correct" and a.details["seed"] == str(SELF_TEST_SEED)
    assert b.feedback == c.feedback                           # self-tests are deterministic


def fingerprint(args):
    """The same key in the test and in the lookup solution below."""
    import hashlib
    h = hashlib.sha256()

    def feed(a):
        if isinstance(a, np.ndarray):
            h.update(f"nd{a.dtype.str}{a.shape}".encode())
            h.update(np.ascontiguousarray(a).tobytes())
        elif isinstance(a, (list, tuple)):
            h.update(b"(")
            for v in a:
                feed(v)
            h.update(b")")
        else:
            h.update(repr(a).encode())
    for a in args:
        feed(a)
    return h.hexdigest()


LOOKUP = '''
import base64, json
import numpy as np
TABLE = json.loads({table!r})

def _decode(d):
    if isinstance(d, dict) and d.get("t") == "nd":
        return np.frombuffer(base64.b64decode(d["b"]), dtype=d["dtype"]).reshape(d["shape"]).copy()
    if isinstance(d, dict) and d.get("t") == "float":
        return float(d["v"])
    if isinstance(d, dict) and d.get("t") in ("list", "tuple"):
        items = [_decode(v) for v in d["v"]]
        return items if d["t"] == "list" else tuple(items)
    return d

{fingerprint}

def _lookup(name):
    def f(*args):
        key = name + fingerprint(args)
        if key not in TABLE:
            raise KeyError("not in the table")
        return _decode(TABLE[key])
    return f
'''


def lookup_solution(vectors: list[dict]) -> str:
    import inspect
    table = {}
    for test in vectors:
        for case in test["cases"]:
            args = [decode_value(a) for a in case["args"]]
            table[test["function"] + fingerprint(args)] = case["expected"]
    source = LOOKUP.format(table=json.dumps(table), fingerprint=inspect.getsource(fingerprint))
    for name in sorted({t["function"] for t in vectors}):
        source += f"{name} = _lookup({name!r})\n"
    return source


def test_a_lookup_table_of_the_kits_vectors_passes_the_kit_but_earns_almost_nothing(bank, tmp_path):
    parts = code_parts(bank)
    quiz_path = tmp_path / "all-code.yaml"
    quiz_path.write_text(yaml.safe_dump({"id": "all-code", "title": {"en": "all", "zh": "all"}, "seed": 1,
                                         "questions": [p.address for p in parts]}), encoding="utf-8")
    quiz = load_quiz(quiz_path, bank)
    kit = tmp_path / "kit"
    bundle(bank, quiz, "s001", kit, "en")
    vectors = json.loads((kit / "selfcheck" / "vectors.json").read_text(encoding="utf-8"))["tests"]
    assert len(vectors) > 30
    source = lookup_solution(vectors)
    (kit / "solution.py").write_text(source, encoding="utf-8")
    rows = [r for r in selfcheck(kit) if r["check"] not in ("readable", "sandbox", "load")]
    assert rows and all(r["ok"] for r in rows), [r for r in rows if not r["ok"]][:3]   # the table is right for the kit
    graded = check_code_parts(parts, source, "en")
    earned = sum(o.fraction for o in graded.values()) / len(parts)
    assert earned <= 0.05, {a: o.fraction for a, o in graded.items() if o.fraction}
    assert max(o.fraction for o in graded.values()) <= 0.25


def test_kit_inputs_never_equal_graded_inputs(bank):
    for part in code_parts(bank):
        kit = plan(part, kit_seed("q", "s"), namespace="kit")
        graded = plan(part, 12345)
        for k, g in zip(kit, graded):
            if g["kind"] in ("values", "stable", "gradient") and g["spec"].get("visible", True):   # what a kit publishes
                assert {fingerprint(c) for c in k["cases"]}.isdisjoint({fingerprint(c) for c in g["cases"]}), \
                    (part.address, g["spec"].get("id"))


# -- 4. dropout: independence, not only the rate -----------------------------------------------------

DR = load("dropout")
X = np.random.default_rng(0).uniform(0.5, 2.0, size=(200, 300))


def masked(keep, p=0.3):
    return np.where(keep, X / (1 - p), 0.0)


def block(rng, p=0.3):
    n = X.size
    keep = np.ones(n, bool)
    keep[(int(rng.integers(0, n)) + np.arange(int(round(p * n)))) % n] = False
    return keep.reshape(X.shape)


def exact_per_row(rng, p=0.3):
    keep = np.ones(X.shape, bool)
    for row in keep:
        row[rng.permutation(row.size)[:90]] = False
    return keep


CLUMPED = {
    "one contiguous block": block,
    "a block of whole columns": lambda rng: np.broadcast_to(np.arange(300) >= 90, X.shape),
    "one mask for every row": lambda rng: np.broadcast_to(rng.permutation(300) >= 90, X.shape),
    "one mask for every column": lambda rng: np.broadcast_to((rng.permutation(200) >= 60)[:, None], X.shape),
    "runs of two": lambda rng: np.repeat(rng.random((200, 150)) >= 0.3, 2, axis=1),
    "exactly 90 zeros per row": exact_per_row,
    "a shifted stripe pattern": lambda rng: ((np.arange(200)[:, None] * 3 + np.arange(300) + int(rng.integers(10))) % 10) >= 3,
}


@pytest.mark.parametrize("name", sorted(CLUMPED))
@pytest.mark.parametrize("seed", range(5))
def test_dropped_entries_that_are_not_independent_fail(name, seed):
    keep = CLUMPED[name](np.random.default_rng(seed))
    assert abs((~keep).mean() - 0.3) < 0.01                  # the rate alone is right
    problem = DR.check_dropout(masked(keep), (X, 0.3))
    assert problem is not None and "independent" in problem["en"] and problem["zh"]


def test_the_reference_passes_over_many_seeds():
    """The false-fail rate is below 1e-8 by the Chernoff bound (five binomial counts at δ = 1.9e-9);
    400 seeds check that the thresholds are not far off in the other direction."""
    assert 5 * DR.DELTA < 1e-8 and DR.LIMIT == pytest.approx(math.log(2 / DR.DELTA))
    for seed in range(400):
        rng = np.random.default_rng(seed)
        x = rng.uniform(0.5, 2.0, size=(200, 300))
        assert DR.check_dropout(DR.dropout(x, 0.3, rng), (x, 0.3)) is None, seed
    for seed, shape, p in ((1, (7, 9), 0.5), (2, (1, 50), 0.1), (3, (64,), 0.3), (4, (3, 4, 5), 0.25)):
        rng = np.random.default_rng(seed)
        x = rng.uniform(0.5, 2.0, size=shape)
        assert DR.check_dropout(DR.dropout(x, p, rng), (x, p)) is None, shape


@pytest.mark.parametrize("n, q", [(10, 0.3), (50, 0.09), (120, 0.5), (400, 0.3)])
def test_the_chernoff_threshold_bounds_the_exact_binomial_tail(n, q):
    """P(unlikely(K, n, q)) for K ~ Binomial(n, q), summed exactly, stays below δ."""
    tail = sum(math.comb(n, k) * q ** k * (1 - q) ** (n - k) for k in range(n + 1) if DR.unlikely(k, n, q))
    assert tail <= DR.DELTA
    assert DR.unlikely(0, 400, 0.3) and not DR.unlikely(120, 400, 0.3)


def test_the_central_band_probability_is_exact():
    lo, hi, q = DR._band(300, 0.3)
    exact = sum(math.comb(300, k) * 0.3 ** k * 0.7 ** (300 - k) for k in range(lo, hi + 1))
    assert q == pytest.approx(exact, rel=1e-9) and 0.35 < q < 0.65
