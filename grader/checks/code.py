"""Code parts: a student's functions, run in the sandbox, checked here against the reference.

A part's tests come from its solution's ``CODE_TESTS``: each names a function,
its inputs (a function of a seeded generator), a kind and points:

``values``       outputs match the reference (structure first: type, count, shape, dtype, finiteness)
``stable``       the same at extreme inputs (judged on the values returned; floating-point warnings
                 are reported as advice, never scored: student code can silence them, legitimately
                 with ``np.errstate`` or by patching, and no process outside it can observe them)
``gradient``     outputs match central finite differences of the reference loss
``statistics``   outputs of an ``rng``-taking function pass the test's own statistical check
``reproducible`` the same seed gives the same result, another seed a different one

Every test also checks that the inputs were not modified: arrays, and arrays and
elements inside lists, tuples and dicts. Only plain data comes back from the
sandbox; every comparison runs in this process.

Inputs are drawn afresh for every graded submission from a secret seed
(``os.urandom``), recorded in the outcome's details as ``seed`` so that a regrade
can be reproduced (``NNGRADE_CODE_SEED=<seed>``); the self-check kit publishes
vectors drawn from another namespace, and a bank's self-tests use
:func:`fixed_inputs` to stay deterministic.
"""
from __future__ import annotations

import atexit
import contextlib
import contextvars
import functools
import inspect
import math
import os
import re
import threading

import numpy as np

from grader.checks.base import AnswerType, Context, SelfTestRun
from grader.messages import pick, ref, text
from grader.model import Part
from grader.outcome import Outcome
from grader.sandbox import Rng, Sandbox, SandboxError
from grader.variants import stable_seed

RTOL, ATOL = 1e-7, 1e-12                    # values and stable tests
GRADIENT_RTOL, GRADIENT_ATOL = 1e-5, 1e-8   # gradient tests (against finite differences)
CALL_SECONDS = 2.0
TOTAL_SECONDS = 30.0

_BOX: dict[str, Sandbox] = {}
_BOX_LOCK = threading.Lock()


def shared_sandbox(hidden: list[str]) -> Sandbox:
    """One sandbox per process (per set of hidden folders), started on first use."""
    key = "|".join(sorted(hidden))
    with _BOX_LOCK:
        if key not in _BOX:
            box = Sandbox(hidden)
            box.start()
            _BOX[key] = box
        return _BOX[key]


@atexit.register
def _close_all() -> None:
    for box in _BOX.values():
        box.close()
    _BOX.clear()


# -- the inputs' seed ----------------------------------------------------------------

SEED_ENV = "NNGRADE_CODE_SEED"
_FIXED_SEED: contextvars.ContextVar[int | None] = contextvars.ContextVar("nngrade_code_seed", default=None)


@contextlib.contextmanager
def fixed_inputs(seed: int):
    """Within this block, code parts are graded on the inputs of ``seed`` (self-tests, regrades)."""
    token = _FIXED_SEED.set(int(seed))
    try:
        yield
    finally:
        _FIXED_SEED.reset(token)


def run_seed() -> int:
    """The seed of a graded run's inputs: fixed by :func:`fixed_inputs` or ``$NNGRADE_CODE_SEED``,
    otherwise a fresh secret, so that no published or earlier input is ever graded again."""
    fixed = _FIXED_SEED.get()
    if fixed is not None:
        return fixed
    env = os.environ.get(SEED_ENV, "").strip()
    if env:
        try:
            return int(env, 0)
        except ValueError:
            raise ValueError(f"{SEED_ENV}={env!r} is not an integer seed") from None
    return int.from_bytes(os.urandom(8), "big")


# -- building the calls --------------------------------------------------------------

def plan(part: Part, seed: int, namespace: str = "code") -> list[dict]:
    """The tests with their concrete inputs (drawn from ``seed``) and the calls they need.

    ``namespace`` separates graded inputs ("code") from the self-check kit's published ones ("kit")."""
    tests = []
    for number, spec in enumerate(part.reference.code_tests):
        rng = np.random.default_rng(stable_seed(namespace, seed, part.address, number))
        kind = spec.get("kind", "values")
        if kind in ("statistics", "reproducible"):
            seeds = [int(s) for s in rng.integers(1, 2**31, 2)]
            base = spec["args"](rng) if callable(spec["args"]) else list(spec["args"])

            def with_seed(seed, base=base):
                return tuple(Rng(seed) if isinstance(a, str) and a == "rng" else a for a in base)
            cases = [with_seed(seeds[0])]
            if kind == "reproducible":
                cases += [with_seed(seeds[0]), with_seed(seeds[1])]
        else:
            cases = [tuple(c) for c in spec["inputs"](rng)]
        tests.append({"spec": spec, "kind": kind, "cases": cases, "number": number})
    return tests


def calls_for(tests: list[dict]) -> list[dict]:
    calls: list[dict] = []
    for test in tests:
        test["first_call"] = len(calls)
        for case in test["cases"]:
            calls.append({"fn": test["spec"]["function"], "args": list(case),
                          "seconds": test["spec"].get("seconds", CALL_SECONDS)})
    return calls


# -- checking a submission -------------------------------------------------------------

def check_code(part: Part, answer, lang: str, reference=None) -> Outcome:
    """Run the student's ``solution.py`` text for ``part`` and score its tests."""
    return check_code_parts([part], answer, lang)[part.address]


def check_code_parts(parts: list[Part], answer, lang: str, seed: int | None = None,
                     reveal: bool = False) -> dict[str, Outcome]:
    """Several code parts of one submission in a single sandbox run (one load of solution.py).

    ``seed`` draws the inputs (default :func:`run_seed`); ``reveal`` keeps the reasons of hidden
    tests in the details (for the bank's self-tests, never for a student's page)."""
    if not isinstance(answer, str):
        outcome = Outcome("invalid", 0.0, (text("wrong_answer_type", lang, expected=ref("code_expected_source"),
                                                got=type(answer).__name__),))
        return {p.address: outcome for p in parts}
    seed = run_seed() if seed is None else int(seed)
    plans: list[list[dict]] = []
    calls: list[dict] = []
    for part in parts:
        tests = plan(part, seed)
        part_calls = calls_for(tests)
        for test in tests:
            test["first_call"] += len(calls)
        plans.append(tests)
        calls += part_calls
    roots = sorted({p.bank_root for p in parts if p.bank_root})
    try:
        run = shared_sandbox(roots).run(answer, calls, total_seconds=sum(p.spec.get("seconds", TOTAL_SECONDS)
                                                                          for p in parts))
    except SandboxError as exc:
        outcome = Outcome("error", 0.0, (text("sandbox_error", lang, detail=str(exc)),), None,
                          {"error": "sandbox", "seed": str(seed), "cause": f"sandbox: {exc}"})   # the instructor's
        return {p.address: outcome for p in parts}
    return {part.address: _score(part, tests, run, lang, seed, reveal) for part, tests in zip(parts, plans)}


def _score(part: Part, tests: list[dict], run, lang: str, seed: int = 0, reveal: bool = False) -> Outcome:
    if not run.loaded:
        lines = [text("code_load_failed", lang, error=load_reason(run.load_error))]
        return Outcome("incorrect", 0.0, tuple(lines), None,
                       {"tests": [], "traceback": run.load_traceback, "stdout": run.stdout,
                        "isolation": run.isolation, "error": "load", "seed": str(seed),
                        "load_error": run.load_error})
    reports = [judge_test(part, test, run.calls, lang, reveal) for test in tests]
    total = sum(r["max_points"] for r in reports) or 1.0
    earned = sum(r["points"] for r in reports)
    fraction = earned / total
    verdict = "correct" if fraction >= 1 - 1e-9 else "partial" if fraction > 0 else "incorrect"
    summary = text("code_summary", lang, passed=sum(r["passed"] for r in reports), total=len(reports),
                   points=f"{round(part.points * fraction, 2):g}", max_points=f"{part.points:g}")
    lines = [summary] + _lines([r for r in reports if not r["passed"]], lang)
    failing = {r["function"] for r in reports if not r["passed"]}
    always = {t["spec"]["function"] for t in tests if t["spec"].get("curve") == "always"}
    drawn = [c for c in curves(part, tests, run.calls) if c["function"] in failing | always]
    details = {"tests": reports, "isolation": run.isolation, "stdout": run.stdout[:2000],
               "curves": drawn, "seed": str(seed)}
    if getattr(run, "tampered", None):            # replies only altered harness code could give: for the instructor
        details["tampered"] = list(run.tampered)
    return Outcome(verdict, fraction, tuple(lines), None, details)


# the sandbox's English words for why solution.py did not load (grader/sandbox.py, sandbox_child.describe)
_LOAD_REASONS = [
    (re.compile(r"the code called exit\((?P<code>.*)\)", re.S), "code_load_exit"),
    (re.compile(r"stopped after (?P<seconds>\S+) s: loading solution\.py did not finish .*", re.S),
     "code_load_timeout"),
    (re.compile(r"the process ended unexpectedly \((?P<exit>.*)\) while running solution\.py", re.S),
     "code_load_crashed"),
    (re.compile(r"(?P<error>[A-Za-z_][\w.]*: .*)", re.S), "code_load_raised"),     # Python's own "Error: message"
]


def load_reason(error: str | None) -> dict:
    """Why solution.py did not load, as a catalog reference rendered in the student's language; the sandbox's
    English stays in the outcome's details (``load_error``) for the instructor."""
    for pattern, key in _LOAD_REASONS:
        match = pattern.fullmatch(error or "")
        if match:
            return ref(key, **match.groupdict())
    return ref("code_load_other")


def _lines(failed: list[dict], lang: str) -> list[str]:
    """One line per failed test; a function that is not defined is said once, naming its tests."""
    out: list[str] = []
    missing: dict[str, list[str]] = {}          # function -> the visible tests that call it
    for report in failed:
        if report.get("reason") == "missing_function" and report["visible"]:
            missing.setdefault(report["function"], []).append(report["name"])
    said = set()
    for report in failed:
        fn = report.get("function")
        if fn in missing and report["visible"] and report.get("reason") == "missing_function":
            if fn not in said:
                said.add(fn)
                out.append(text("code_missing_once", lang, fn=fn, count=len(missing[fn]),
                                names="; ".join(missing[fn])))
            continue
        out.append(_line(report, lang))
    return out


def _line(report: dict, lang: str) -> str:
    if not report["visible"]:
        return text("code_hidden_failed", lang, name=report["name"])
    line = f"{report['name']}: {report['message']}"
    if report.get("worst"):
        line += " " + report["worst"]
    if report.get("input"):
        line += " " + text("code_input", lang, input=report["input"][:300])
    return line


def judge_test(part: Part, test: dict, results: list, lang: str, reveal: bool = False) -> dict:
    spec = test["spec"]
    name = pick(spec.get("name"), lang) or f"{spec['function']} ({test['kind']})"
    report = {"name": name, "function": spec["function"], "kind": test["kind"], "visible": spec.get("visible", True),
              "points": 0.0, "max_points": float(spec.get("points", 1)), "passed": False, "message": ""}
    if spec.get("id"):
        report["id"] = spec["id"]
    mine = results[test["first_call"]: test["first_call"] + len(test["cases"])]
    failure = _judge(part, test, mine, lang)
    if failure is not None and failure.get("input") and test["cases"]:
        index = next((k for k, case in enumerate(test["cases"]) if summarize_args(case) == failure["input"]), None)
        names = parameter_names(part.reference.functions.get(spec["function"]))
        if index is not None and names:
            failure["input"] = summarize_args(test["cases"][index], names)
    if failure is None:
        report.update(passed=True, points=report["max_points"], message=text("code_test_passed", lang))
    else:
        report.update(failure)
    warnings = sorted({w for r in mine if r.ok for w in r.warnings})
    if warnings:  # what the student's process said about itself: advice only, never scored
        report["warnings"] = warnings
        if report["passed"]:
            report["advice"] = text("code_warnings_advice", lang, warnings="; ".join(warnings))
    if not report["visible"] and not reveal:  # hidden tests show only their name and verdict
        report = {k: report[k] for k in ("name", "function", "kind", "visible", "points", "max_points", "passed")}
    return report


def _judge(part: Part, test: dict, results: list, lang: str) -> dict | None:
    spec, kind = test["spec"], test["kind"]
    for case, result in zip(test["cases"], results):
        if not result.ok:
            return _crash(result, case, lang, spec["function"])
        changed = _mutated(case, result.args_after)
        if changed is not None:
            index, path = changed
            message = text("code_mutated", lang, arg=index + 1)
            if path:
                message += f" [{path}]"
            return {"message": message, "input": summarize_args(case), "reason": "mutated"}
    if kind == "statistics":
        problem = spec["check"](results[0].value, test["cases"][0])
        return None if problem is None else {"message": pick(problem, lang), "input": summarize_args(test["cases"][0]),
                                             "reason": "statistics"}
    if kind == "reproducible":
        first, again, other = (r.value for r in results)
        if compare_output(again, first, 0, 0) is not None:
            return {"message": text("code_not_reproducible", lang), "reason": "not_reproducible"}
        if compare_output(other, first, 0, 0) is None:
            return {"message": text("code_seed_ignored", lang), "reason": "seed_ignored"}
        return None
    reference = part.reference.functions[spec["function"]]
    rtol, atol = tolerances(spec, kind)
    for case, result in zip(test["cases"], results):
        if kind == "gradient":
            expected = finite_difference(part.reference.functions[spec["loss"]], case, spec.get("wrt", 1))
        else:
            expected = reference(*_copies(case))
        failure = compare_output(result.value, expected, rtol, atol, lang)
        if failure is not None and kind == "stable" and failure["reason"] == "values":
            failure["reason"] = "unstable"
            failure["message"] = text("code_unstable", lang, message=failure["message"])
        if failure is not None:
            failure["input"] = summarize_args(case)
            return failure
    return None


def tolerances(spec: dict, kind: str) -> tuple[float, float]:
    """(rtol, atol) of a test: its own, else the defaults of its kind (the self-check kit uses these too)."""
    rtol, atol = (GRADIENT_RTOL, GRADIENT_ATOL) if kind == "gradient" else (RTOL, ATOL)
    return spec.get("rtol", rtol), spec.get("atol", atol)


_NOT_RUN = (("code_not_run_skipped", "skipped: an earlier call"), ("code_not_run_budget", "not run: the submission's"),
            ("code_not_run_load", "not run: solution.py failed"))     # grader/sandbox.py's wording of a not_run call


def _crash(result, case, lang: str, fn: str) -> dict:
    if result.flags.get("missing"):
        key = "code_missing_function"
    elif result.flags.get("timeout"):
        key = "code_timeout"
    elif result.flags.get("not_plain"):
        key = "code_not_plain"
    elif result.flags.get("crashed"):
        key = "code_crashed"
    elif result.flags.get("not_run"):
        key = "code_not_run"
    else:
        key = "code_raised"
    if key == "code_not_run":            # the sandbox says why in English: say it from the catalog
        key = next((k for k, start in _NOT_RUN if (result.error or "").startswith(start)), key)
    out = {"message": text(key, lang, error=result.error or "", fn=fn), "input": summarize_args(case),
           "reason": "not_run" if key.startswith("code_not_run") else key[len("code_"):], "detail": result.error or ""}
    if result.traceback:
        out["traceback"] = result.traceback
    return out


def _copies(case):
    return tuple(a.copy() if isinstance(a, np.ndarray) else a for a in case)


def _mutated(case, after) -> tuple[int, str] | None:
    """(argument index, where inside it) of the first input the call changed, or None.

    ``after`` holds each argument as it was after the call, as plain data of the same structure
    (None where the sandbox did not report it). Arrays must keep their shape, dtype and values
    (NaN equal to NaN); lists, tuples and dicts must keep their type, length or keys and every
    element, so replacing, adding or removing an element counts as well as changing an array in it."""
    if not isinstance(after, (list, tuple)):
        return None
    for i, (before, now) in enumerate(zip(case, after)):
        if now is None or isinstance(before, Rng):
            continue
        path = _changed(before, now, "", 0)
        if path is not None:
            return i, path
    return None


def _changed(before, now, path: str, depth: int) -> str | None:
    """'' or a path like '[2]["W"]' where ``now`` differs from ``before``; None when they agree."""
    if depth > 20:
        return None
    if isinstance(before, np.ndarray):
        if (not isinstance(now, np.ndarray) or now.shape != before.shape or now.dtype != before.dtype
                or not np.array_equal(now, before, equal_nan=before.dtype.kind in "fc")):
            return path
        return None
    if isinstance(before, (list, tuple)):
        if type(now) is not type(before) or len(now) != len(before):
            return path
        for k, (b, n) in enumerate(zip(before, now)):
            inner = _changed(b, n, f"{path}[{k}]", depth + 1)
            if inner is not None:
                return inner
        return None
    if isinstance(before, dict):
        if not isinstance(now, dict) or set(now) != set(before):
            return path
        for key in before:
            inner = _changed(before[key], now[key], f"{path}[{key!r}]", depth + 1)
            if inner is not None:
                return inner
        return None
    if isinstance(before, (bool, int, float, complex, np.number, np.bool_)):
        if isinstance(now, np.ndarray) or not isinstance(now, (bool, int, float, complex, np.number, np.bool_)):
            return path
        if before == now or (isinstance(before, (float, np.floating)) and math.isnan(before)
                             and isinstance(now, (float, np.floating)) and math.isnan(now)):
            return None
        return path
    if before is None or isinstance(before, str):
        return None if type(now) is type(before) and now == before else path
    return None


# -- comparing outputs ------------------------------------------------------------------

def compare_output(got, expected, rtol: float, atol: float, lang: str = "en") -> dict | None:
    """None if ``got`` matches ``expected``; otherwise what is wrong (structure first, then values)."""
    if isinstance(expected, tuple):
        if not isinstance(got, (tuple, list)) or len(got) != len(expected):
            what = f"a {type(got).__name__}" + (f" of {len(got)}" if isinstance(got, (tuple, list)) else "")
            return {"message": text("code_wrong_count", lang, expected=len(expected), got=what), "reason": "structure"}
        for i, (g, e) in enumerate(zip(got, expected)):
            failure = compare_output(g, e, rtol, atol, lang)
            if failure is not None:
                failure["message"] = text("code_output_n", lang, n=i + 1) + failure["message"]
                return failure
        return None
    if isinstance(expected, list):
        if not isinstance(got, (list, tuple)) or len(got) != len(expected):
            return {"message": text("code_wrong_count", lang, expected=len(expected), got=type(got).__name__),
                    "reason": "structure"}
        return compare_output(tuple(got), tuple(expected), rtol, atol, lang)
    exp = np.asarray(expected, dtype=float)
    if isinstance(got, (bool, str)) or got is None or isinstance(got, (tuple, list)):
        return {"message": text("code_wrong_type", lang, expected=_kind(expected), got=type(got).__name__),
                "reason": "structure"}
    arr = np.asarray(got)
    if arr.dtype.kind not in "biuf":
        return {"message": text("code_wrong_type", lang, expected=_kind(expected), got=str(arr.dtype)),
                "reason": "structure"}
    if arr.shape != exp.shape:
        return {"message": text("code_wrong_shape", lang, expected=_shape(exp.shape), got=_shape(arr.shape)),
                "expected": summarize(exp), "got": summarize(arr), "reason": "structure"}
    arr = arr.astype(float)
    flat_got, flat_exp = arr.reshape(-1), exp.reshape(-1)

    def where_of(i: int) -> tuple:
        return tuple(int(k) for k in np.unravel_index(i, exp.shape)) if exp.ndim else ()

    finite = np.isfinite(flat_exp)
    bad_finite = finite & ~np.isfinite(flat_got)
    if bad_finite.any():
        i = int(np.flatnonzero(bad_finite)[0])
        return {"message": text("code_not_finite", lang, where=_where(where_of(i)), got=flat_got[i]),
                "expected": summarize(exp), "got": summarize(arr), "reason": "not_finite"}
    with np.errstate(invalid="ignore"):
        err = np.where(finite, np.abs(flat_got - flat_exp), np.where(flat_got == flat_exp, 0.0, np.inf))
    tol = atol + rtol * np.abs(np.where(finite, flat_exp, 0.0))
    bad = err > tol
    if bad.any():
        i = int(np.argmax(np.where(bad, err / np.maximum(tol, 1e-300), 0.0)))
        where = where_of(i)
        return {"message": text("code_values", lang, n=int(bad.sum()), total=int(bad.size), where=_where(where),
                                max_error=f"{float(np.max(err[bad])):.3g}"),
                "worst": text("code_values_at", lang, where=_where(where), expected=f"{flat_exp[i]:.6g}",
                              got=f"{flat_got[i]:.6g}"),
                "table": entry_table(flat_exp, flat_got, bad, i, where_of), "shape": _shape(exp.shape),
                "max_error": float(np.max(err[bad])), "where": list(where), "reason": "values"}
    return None


TABLE_ROWS = 6


def entry_table(expected, got, bad, worst: int, where_of) -> list[dict]:
    """Up to :data:`TABLE_ROWS` entries, expected beside returned: the worst first, then the other wrong ones
    in order, then right ones for context; each with its index and whether it is wrong."""
    wrong = [int(k) for k in np.flatnonzero(bad) if k != worst]
    right = [int(k) for k in np.flatnonzero(~bad)]
    chosen = [worst] + wrong[:TABLE_ROWS - 1]
    chosen += right[:max(0, min(2, TABLE_ROWS - len(chosen)))]
    return [{"at": _where(where_of(k)) if where_of(k) else "", "expected": f"{expected[k]:.6g}",
             "got": f"{got[k]:.6g}", "wrong": bool(bad[k])} for k in chosen]


def _kind(value) -> dict:
    arr = np.asarray(value)
    return ref("code_kind_number") if arr.ndim == 0 else ref("code_kind_array", shape=_shape(arr.shape))


def _shape(shape) -> str:
    return "(" + ", ".join(str(s) for s in shape) + ("," if len(shape) == 1 else "") + ")"


def _where(index) -> str | dict:
    return "[" + ", ".join(str(i) for i in index) + "]" if index else ref("code_where_scalar")


def summarize(value, limit: int = 12) -> str:
    """A small input or output in full, a large one summarised (shape, range, first entries)."""
    if isinstance(value, Rng):
        return f"np.random.default_rng({value.seed})"
    if isinstance(value, (tuple, list)):
        return "(" + ", ".join(summarize(v, limit) for v in value) + ")"
    arr = np.asarray(value)
    if arr.dtype.kind not in "biuf":
        return repr(value)[:80]
    if arr.size <= limit:
        return np.array2string(arr, precision=6, separator=", ", threshold=limit) if arr.ndim else f"{arr.item():.6g}"
    flat = arr.astype(float).ravel()
    return (f"array(shape={_shape(arr.shape)}, min={np.nanmin(flat):.4g}, max={np.nanmax(flat):.4g}, "   # notation,
            f"first={np.array2string(flat[:4], precision=4, separator=', ')})")           # read in any language


def summarize_args(case, names: list[str] | None = None) -> str:
    """The arguments on one line, each named by the reference's parameter where known (``x = [...]``)."""
    out = []
    for k, value in enumerate(case):
        shown = " ".join(summarize(value).split())
        out.append(f"{names[k]} = {shown}" if names and k < len(names) else shown)
    return ", ".join(out)


def parameter_names(function) -> list[str] | None:
    try:
        return [p.name for p in inspect.signature(function).parameters.values()
                if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    except (TypeError, ValueError):
        return None


def finite_difference(loss, case, wrt: int, h: float = 1e-6) -> np.ndarray:
    """Central differences of ``loss(*case)`` with respect to argument ``wrt``."""
    args = list(_copies(case))
    x = np.array(args[wrt], dtype=float)
    grad = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        for sign in (1, -1):
            shifted = x.copy()
            shifted[index] += sign * h
            args[wrt] = shifted
            grad[index] += sign * float(loss(*args)) / (2 * h)
    return grad


# -- curves for the report ----------------------------------------------------------------

def curves(part: Part, tests: list[dict], results: list) -> list[dict]:
    """Sampled curves of element-wise functions (student and reference), for plotting."""
    out = []
    for test in tests:
        spec = test["spec"]
        if not spec.get("curve"):
            continue
        result = results[test["first_call"]]
        x = test["cases"][0][0]
        if not result.ok or not isinstance(result.value, np.ndarray) or result.value.shape != np.shape(x):
            continue
        ref = part.reference.functions[spec["function"]](np.array(x))
        out.append({"function": spec["function"], "x": np.asarray(x).tolist(),
                    "student": [None if not np.isfinite(v) else float(v) for v in result.value.ravel()],
                    "reference": np.asarray(ref, dtype=float).tolist()})
    return out


# -- the answer type ------------------------------------------------------------------------------

MIN_WRONG_CODE = 3            # wrong implementations a code part's SELF_TESTS must list
SELF_TEST_SEED = 20260101     # the inputs of self-tests, fixed so that a bank check is deterministic
KIT_KINDS = ("values", "stable", "gradient")       # tests whose vectors a kit may publish (when visible)
TEST_KINDS = KIT_KINDS + ("statistics", "reproducible")


class CodeType(AnswerType):
    """Functions written in the student's solution.py, run in the sandbox and tested against the reference."""

    name, order = "code", 70
    check_seconds = 0.0          # the sandbox bounds it
    needs_answer = False
    self_test_kinds = ("reject",)
    in_answers_file = False
    batched = True
    input_widget = "none"        # nngrade serve: answered in the page's solution.py editor
    runs_tests = True

    def part_keys(self) -> dict:
        from grader.bank.schema import CODE_FUNCTION, Key, ListOf, Number
        return {"functions": Key(ListOf(CODE_FUNCTION, nonempty=True), "the functions the student writes", True),
                "seconds": Key(Number(0, exclusive=True), "time for all this part's calls (default 30)")}

    def table_functions(self, pdata: dict) -> dict:
        return {}                # its functions are the student's, not formula functions

    def spec(self, pdata: dict) -> dict:
        return {**super().spec(pdata), **({"functions": pdata["functions"]} if "functions" in pdata else {})}

    def reference_function_names(self, data: dict) -> list[str]:
        return [fn["name"] for fn in data.get("functions") or [] if isinstance(fn, dict) and fn.get("name")]

    def solution_entry(self, table: str):
        from grader.bank.schema import CODE_SELF_TESTS
        return (CODE_SELF_TESTS, False) if table == "SELF_TESTS" else None    # a wrong implementation is code

    def check(self, part: Part, answer, ctx: Context) -> Outcome:
        return check_code(part, answer, ctx.lang, ctx.reference)

    def validate(self, part: Part) -> list[tuple[str, str]]:
        problems = []
        declared = [f.get("name") for f in part.spec.get("functions") or [] if isinstance(f, dict)]
        if not declared:
            return [("functions", "a code part must list its functions (name, signature, doc)")]
        for name in declared:
            if name not in part.reference.functions:
                problems.append(("ANSWERS", f"no reference function {name}() in the solution"))
        if not part.reference.code_tests:
            problems.append(("CODE_TESTS", "expected a non-empty list of tests"))
        for i, test in enumerate(part.reference.code_tests):
            kind = test.get("kind", "values")
            if test.get("function") not in declared:
                problems.append((f"CODE_TESTS[{i}]", f"function {test.get('function')!r} is not among {declared}"))
            if kind in KIT_KINDS and not callable(test.get("inputs")):
                problems.append((f"CODE_TESTS[{i}]", "expected inputs: a function of rng returning argument tuples"))
            if kind == "gradient" and test.get("loss") not in part.reference.functions:
                problems.append((f"CODE_TESTS[{i}]", "a gradient test needs loss: the name of a reference function"))
            if kind == "statistics" and not callable(test.get("check")):
                problems.append((f"CODE_TESTS[{i}]", "a statistics test needs check(value, args) -> None or message"))
            if kind not in TEST_KINDS:
                problems.append((f"CODE_TESTS[{i}]", f"unknown kind {kind!r}"))
        return problems

    def self_test_runs(self, part: Part, lang: str, bank=None):
        """The solution file itself passes every test; each wrong implementation loses points, for its reason."""
        from grader.checks import to_result
        cases = part.reference.self_tests
        source = (bank.root / bank.questions[part.question_id].solution_path).read_text(encoding="utf-8")
        wrong = list(cases.get("reject", []))
        if len(wrong) < MIN_WRONG_CODE:
            yield SelfTestRun("reject", f"{len(wrong)} wrong implementations", None,
                              problem=f"at least {MIN_WRONG_CODE} wrong implementations", got="too few")
        known = {t.get("id") for t in part.reference.code_tests if t.get("id")}
        runs: list[tuple[str, str, str | None, dict | None]] = [
            ("accept", s, None, None) for s in [source] + list(cases.get("accept", []))]
        for case in wrong:
            if isinstance(case, dict):
                runs.append(("reject", case.get("source", ""), case.get("why"), case.get("fails") or {}))
            else:
                runs.append(("reject", case, None, None))
        for kind, answer, why, fails in runs:
            outcome = check_code_parts([part], answer, lang, seed=SELF_TEST_SEED, reveal=True)[part.address]
            yield SelfTestRun(kind, why or answer, to_result(part, outcome),
                              more=functools.partial(failed_for, fails, known=known))

    def stub_functions(self, part: Part) -> list[dict]:
        return list(part.spec.get("functions", []))

    def kit_vectors(self, part: Part, seed: int) -> list[dict]:
        """Visible value, stability and gradient tests: inputs and expected outputs, as tagged plain data."""
        from grader.sandbox import encode_value
        out = []
        for test in plan(part, seed, namespace="kit"):
            spec = test["spec"]
            if not spec.get("visible", True) or test["kind"] not in KIT_KINDS:
                continue
            cases = []
            for case in test["cases"]:
                if test["kind"] == "gradient":
                    expected = finite_difference(part.reference.functions[spec["loss"]], case, spec.get("wrt", 1))
                else:
                    expected = part.reference.functions[spec["function"]](*_copies(case))
                cases.append({"args": [encode_value(a) for a in case], "expected": encode_value(_plain(expected))})
            rtol, atol = tolerances(spec, test["kind"])
            out.append({"part": part.address, "function": spec["function"], "kind": test["kind"],
                        "name": spec.get("name") or {"en": spec["function"], "zh": spec["function"]},
                        "rtol": rtol, "atol": atol, "cases": cases})
        return out

    def key_text(self, part: Part, ref, lang: str = "en") -> str:
        return text("kit_key_code", lang, functions=", ".join(part.reference.functions))


def failed_for(fails, result, known: set) -> str | None:
    """Why a wrong implementation did not fail the tests it stands for, or None."""
    if not fails:
        return None
    if not isinstance(fails, dict):
        fails = {test_id: None for test_id in fails}
    reports: dict = {}
    for report in result.details.get("tests", []):
        reports.setdefault(report.get("id"), []).append(report)
    for test_id, reason in fails.items():
        if test_id not in known:
            return f"a test with id {test_id!r} (no such test)"
        failed = [r for r in reports.get(test_id, []) if not r["passed"]]
        if not failed:
            return f"failing test {test_id!r}"
        reasons = tuple(reason) if isinstance(reason, (list, tuple)) else (reason,)
        if reason and not any(r.get("reason") in reasons for r in failed):
            return f"failing test {test_id!r} for {reason!r} (got {[r.get('reason') for r in failed]})"
    return None


def _plain(value):
    if isinstance(value, tuple):
        return tuple(_plain(v) for v in value)
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, np.ndarray):
        return value
    if isinstance(value, (np.floating, float, int, np.integer)):
        return float(value)
    return value


ANSWER_TYPE = CodeType()
