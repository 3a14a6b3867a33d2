"""Formula checking speed and accuracy against the naive `simplify(reference - answer) == 0`.

The corpus is every formula part's self-tests: answers to accept (truth: equal to
the reference), answers of the right value in the wrong form ("partial": truth
equal) and answers to reject (truth: not equal), leaving out rejects that are
rejected only for their form (they use a function the part forbids, or name the
defined quantity the part asks for, so their value is right by design) and
unreadable ones; plus the course's LaTeX and keyboard forms of issue 11 below
(EXTRA). Both methods see the same pairs. The corpus is broken down into the
LaTeX/Unicode forms and the forms that write a defined quantity (δ^{(l)}, a
gate, ŷ, O_3) out by its definition, or use its name where the reference writes it out.

    python benchmarks/bench_formulas.py [--naive-seconds 3] [--explain-seconds 0.5]

Prints p50/p99 ms per check for our engine (after warm-up), the same for the
naive method (the baseline), the ratio, each method's verdict accuracy, and the
SymPy explanations' own p50/p99 and time-outs (outside the engine's budget).
"""
from __future__ import annotations

import argparse
import os
import signal
import statistics
import sys
import time
from pathlib import Path

import sympy

ROOT = Path(__file__).resolve().parent.parent
# the engine's own cost, every check done: the class-wide answer cache (bench_class.py) would turn the
# timed passes into cache hits
os.environ["NNGRADE_ANSWER_CACHE"] = "0"
sys.path.insert(0, str(ROOT))

from grader.bank import load_bank  # noqa: E402
from grader.checks import check_answer  # noqa: E402
from grader.formula.evaluate import ShapeMismatch  # noqa: E402
from grader.formula.resolve import parse_formula  # noqa: E402
from grader.formula.syntax import FormulaInvalid  # noqa: E402
from grader.formula.to_sympy import NotConvertible, to_sympy  # noqa: E402


# The notations of issue 11 on the bank's own parts: (address, answer, value equal to the reference).
EXTRA = [
    ("backprop-formulas/delta", r"\text{diag}(f'_l(\mathbf{z}^{(l)})) \cdot (W^{(l+1)})^T \cdot \delta^{(l+1)}", True),
    ("backprop-formulas/delta", r"W^{(l+1)\top}\delta^{(l+1)} \odot f'(z^{(l)})", True),
    ("backprop-formulas/delta", r"{W^{(l+1)}}^T \boldsymbol{\delta}^{(l+1)} \circ f^\prime(\mathbf{z}^{(l)})", True),
    ("backprop-formulas/delta", r"$W^{(l+1)\top}\delta^{(l+1)}$", False),
    ("backprop-formulas/delta", r"\mathrm{diag}(f'_l(z^{(l)})) W^{(l+1)} \delta^{(l+1)}", False),
    ("backprop-formulas/grad-w", r"\(\delta^{(l)} \mathbf{a}^{(l-1)\top}\)", True),
    ("backprop-formulas/grad-w", r"(f'(z^{(l)}) \odot (W^{(l+1)})^T \delta^{(l+1)}) (a^{(l-1)})^\top", True),
    ("backprop-formulas/grad-w", r"(f'(z^{(l)}) \odot W^{(l+1)\top} \delta^{(l+1)})^\top a^{(l-1)}", False),
    ("backprop-formulas/grad-b", r"f'(z^{(l)}) \odot (W^{(l+1)})^T\delta^{(l+1)}", True),
    ("backprop-formulas/grad-b", r"f'(z^{(l)}) \odot \delta^{(l+1)}", False),
    ("backprop-formulas/sgd-l2", r"W - \alpha (\boldsymbol{\delta}^{(l)} (\mathbf{a}^{(l-1)})^\top + \lambda W)", True),
    ("lstm-cell/cell", r"f_t \circ C_{t-1} + i_t \circ \tilde{c}_t", True),
    ("lstm-cell/cell", r"\sigma(W_f [h_{t-1}; x_t] + b_f) \circ c_{t-1} + i_t \circ \tilde{c}_t", True),
    ("lstm-cell/cell", r"f_t \circ \tilde{c}_t + i_t \circ C_{t-1}", False),
    ("lstm-cell/hidden", r"\sigma(W_o [h_{t-1}; x_t] + b_o) \circ \tanh(f_t \circ C_{t-1} + i_t \circ \tilde{C}_t)", True),
    ("lstm-cell/hidden", r"\sigma(W_o [h_{t-1}; x_t] + b_o) \circ \tanh(C_{t-1})", False),
    ("lstm-cell/cell-gradient", r"\operatorname{diag}(\sigma(W_f \cdot [h_{t-1}, x_t] + b_f))", True),
    ("lstm-cell/cell-gradient", r"\operatorname{diag}(\sigma(W_i \cdot [h_{t-1}, x_t] + b_i))", False),
    ("gru-cell/hidden", r"(1 - \sigma(W_z [h_{t-1}; x_t])) \odot h_{t-1} + z_t \odot \tilde{h}_t", True),
    ("gru-cell/hidden", r"z_t \odot h_{t-1} + (1 - z_t) \odot \tilde{h}_t", False),
    ("gru-cell/candidate", r"\tanh(W_h [\sigma(W_r [h_{t-1}; x_t]) \odot h_{t-1}; x_t])", True),
    ("binary-cross-entropy/grad-logit", "ŷ − y", True),
    ("binary-cross-entropy/grad-logit", "y\u0302 − y", True),
    ("binary-cross-entropy/grad-logit", r"\hat y (1 - \hat y)", False),
    ("binary-cross-entropy/formula", "−(y log ŷ + (1−y) log(1−ŷ))", True),
    ("softmax-cross-entropy/grad", r"\hat{\mathbf{y}} - \mathbf{y}", True),
    ("softmax-cross-entropy/grad", r"\mathbf{y} - \hat{\mathbf{y}}", False),
    ("rnn-bptt/grad-wo-formula", r"(W_o S_3 + b_2 - Y_3)\,S_3", True),
    ("rnn-bptt/grad-wo-formula", "(O₃ − Y₃)·S₃", True),
    ("sigmoid-derivative/in-sigma", r"\text{sigmoid}(x)(1 - \text{sigmoid}(x))", True),
    ("sigmoid-derivative/in-sigma", "σ(x)（1−σ(x)）", True),
    ("sigmoid-derivative/in-sigma", r"\operatorname{sigmoid}(x)^2", False),
]


def corpus(bank):
    rows = []
    for part in bank.parts():
        if part.type != "formula":
            continue
        refs = part.reference.answer
        ref = refs if isinstance(refs, str) else refs[0]
        for kind, truth in (("accept", True), ("partial", True), ("reject", False)):
            for case in part.reference.self_tests.get(kind, []):
                answer = case[0] if isinstance(case, tuple) else case
                if _usable(part, answer, truth):
                    rows.append((part, ref, answer, truth))
    for address, answer, truth in EXTRA:
        try:
            part = bank.part(address)
        except (KeyError, LookupError):
            continue
        refs = part.reference.answer
        if _usable(part, answer, truth):
            rows.append((part, refs if isinstance(refs, str) else refs[0], answer, truth))
    return rows


def _usable(part, answer, truth) -> bool:
    """Readable, and not rejected for its form alone (a forbidden function, the asked quantity by name)."""
    try:
        node = parse_formula(answer, part.table)
    except FormulaInvalid:
        return False
    if node.functions() & set(part.spec.get("forbid", ())):
        return False
    return truth or check_answer(part, answer).details.get("form") != "asked-quantity"


def notation_form(answer: str) -> bool:
    return "\\" in answer or "$" in answer or not answer.isascii()


def definition_form(part, ref: str, answer: str) -> bool:
    """The answer writes a defined quantity out where the reference names it, or the reverse."""
    defined = {n for n, s in part.table.symbols.items() if s.definition}
    if not defined:
        return False
    try:
        mine = parse_formula(answer, part.table).symbols() & defined
        theirs = parse_formula(ref, part.table).symbols() & defined
    except FormulaInvalid:
        return False
    return mine != theirs


def percentile(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


class Timeout(Exception):
    pass


def naive_equal(part, ref, answer, seconds):
    """The naive method: SymPy simplify of the difference, no numeric fallback."""
    def expire(*_):
        raise Timeout()
    signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        a = to_sympy(parse_formula(ref, part.table), part.table)
        b = to_sympy(parse_formula(answer, part.table), part.table)
        if isinstance(a, sympy.MatrixBase) != isinstance(b, sympy.MatrixBase):
            return False, "ok"
        if isinstance(a, sympy.MatrixBase):
            if a.shape != b.shape:
                return False, "ok"
            return all(sympy.simplify(x) == 0 for x in (a - b)), "ok"
        return sympy.simplify(a - b) == 0, "ok"
    except Timeout:
        return False, "timeout"
    except (NotConvertible, ShapeMismatch, TypeError, ValueError):
        return False, "error"
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--naive-seconds", type=float, default=3.0, help="time cap per naive check")
    ap.add_argument("--repeat", type=int, default=5, help="timed passes of our engine over the corpus")
    ap.add_argument("--explain-seconds", type=float, default=0.5,
                    help="SymPy explanation budget per answer (0: skip that part of the run)")
    ap.add_argument("--stages", action=argparse.BooleanOptionalAction, default=True,
                    help="after the timed passes, one instrumented pass: where a check's time goes")
    args = ap.parse_args()
    bank = load_bank(ROOT)
    rows = corpus(bank)
    print(f"corpus: {len(rows)} answers ({sum(r[3] for r in rows)} right, {sum(not r[3] for r in rows)} wrong) "
          f"over {len({r[0].address for r in rows})} formula parts; "
          f"{sum(notation_form(r[2]) for r in rows)} in LaTeX/Unicode notation, "
          f"{sum(definition_form(r[0], r[1], r[2]) for r in rows)} writing a defined quantity differently from the reference")

    for part, _, answer, _ in rows:                      # warm-up: compile references, caches
        check_answer(part, answer)
    ours_ms, ours_right, ours_wrong = [], 0, []
    for rep in range(args.repeat):
        for part, _, answer, truth in rows:
            t = time.perf_counter()
            result = check_answer(part, answer)
            ours_ms.append((time.perf_counter() - t) * 1000)
            if rep == 0:
                ok = (result.details.get("method") is not None) == truth
                ours_right += ok
                if not ok:
                    ours_wrong.append((part.address, answer, truth))

    naive_ms, naive_right, naive_status = [], 0, {"ok": 0, "timeout": 0, "error": 0}
    for part, ref, answer, truth in rows:
        t = time.perf_counter()
        equal, status = naive_equal(part, ref, answer, args.naive_seconds)
        naive_ms.append((time.perf_counter() - t) * 1000)
        naive_status[status] += 1
        naive_right += equal == truth

    n = len(rows)
    p50, p99 = percentile(ours_ms, 0.5), percentile(ours_ms, 0.99)
    n50, n99 = percentile(naive_ms, 0.5), percentile(naive_ms, 0.99)
    print(f"nngrade : p50 {p50:7.3f} ms   p99 {p99:8.3f} ms   mean {statistics.mean(ours_ms):7.3f} ms   "
          f"accuracy {ours_right}/{n} = {ours_right / n:.1%}")
    print(f"naive   : p50 {n50:7.3f} ms   p99 {n99:8.3f} ms   mean {statistics.mean(naive_ms):7.3f} ms   "
          f"accuracy {naive_right}/{n} = {naive_right / n:.1%}   "
          f"(timeouts at {args.naive_seconds:g} s: {naive_status['timeout']}, errors: {naive_status['error']})")
    print(f"speed-up: p50 {n50 / p50:.0f}x, mean {statistics.mean(naive_ms) / statistics.mean(ours_ms):.0f}x")
    for address, answer, truth in ours_wrong:
        print(f"  nngrade wrong on {address}: {answer!r} (value equal: {truth})")
    explain_line(rows, args.explain_seconds)
    if args.stages:
        stage_lines(rows)
    print(f"targets : p50 <= 0.5 ms {'met' if p50 <= 0.5 else 'MISSED'}; p99 <= 2 ms {'met' if p99 <= 2 else 'MISSED'}; "
          f">= 10x faster {'met' if n50 / p50 >= 10 else 'MISSED'}; more accurate "
          f"{'met' if ours_right > naive_right else 'MISSED'}")


# (module, attribute, label) of the stages a check goes through; the instrumented pass wraps each and
# charges a stage only its own time (not the stages it calls)
STAGES = [
    ("grader.checks", "check_answer", "dispatch, deadline, result"),
    ("grader.checks.formula", "_check_formula", "check_formula (rest)"),
    ("grader.formula.resolve", "parse", "parse: normalize + Lark"),
    ("grader.checks.formula", "parse_formula", "parse: resolve tree"),
    ("grader.checks.formula", "infer_shapes", "shapes"),
    ("grader.checks.formula", "to_latex", "to_latex"),
    ("grader.checks.formula", "canonical", "canonical"),
    ("grader.checks.formula", "evaluate", "evaluate"),
    ("grader.checks.formula", "compare", "compare"),
    ("grader.formula.compare", "Target.compare", "compare"),
    ("grader.checks.formula", "judge", "judge (rest)"),
    ("grader.checks.formula", "_right_value", "right: message (rest)"),
    ("grader.checks.formula", "_form_verdict", "right: form rules"),
    ("grader.checks.formula", "symbol_form", "right: symbol form rules"),
    ("grader.checks.formula", "_wrong_value", "wrong: feedback (rest)"),
    ("grader.checks.formula", "_diagnose", "wrong: diagnose"),
    ("grader.checks.formula", "same_up_to_factor", "wrong: factor"),
    ("grader.checks.formula", "counterexample", "wrong: counterexample"),
]


def stage_lines(rows):
    """One pass with every stage of STAGES wrapped: µs per check spent in each (its own time), after the
    timed passes so that the wrappers never touch the p50/p99 above. The wrappers add about 1 µs a call."""
    import functools
    import importlib
    own = {label: 0.0 for _, _, label in STAGES}
    stack = []                                        # [label, start, time in callees]

    def wrap(fn, label):
        @functools.wraps(fn)
        def timed(*a, **k):
            frame = [label, time.perf_counter(), 0.0]
            stack.append(frame)
            try:
                return fn(*a, **k)
            finally:
                stack.pop()
                spent = time.perf_counter() - frame[1]
                own[label] += spent - frame[2]
                if stack:
                    stack[-1][2] += spent
        return timed

    saved = []
    for module, path, label in STAGES:
        holder = importlib.import_module(module)
        *outer, attr = path.split(".")
        for name in outer:
            holder = getattr(holder, name, None)
        if hasattr(holder, attr):                       # a stage an older tree does not have is skipped
            saved.append((holder, attr, getattr(holder, attr)))
            setattr(holder, attr, wrap(getattr(holder, attr), label))
    checker = sys.modules["grader.checks"]
    try:
        t = time.perf_counter()
        for part, _, answer, _ in rows:
            checker.check_answer(part, answer)
        total = (time.perf_counter() - t) * 1e6 / len(rows)
    finally:
        for holder, attr, fn in reversed(saved):
            setattr(holder, attr, fn)
    print(f"stages  : µs per check, one instrumented pass (mean {total:.0f} µs):")
    for label, spent in sorted(own.items(), key=lambda kv: -kv[1]):
        print(f"  {label:28s} {spent * 1e6 / len(rows):7.1f}  {spent * 1e6 / len(rows) / total:6.1%}")


def explain_line(rows, seconds):
    """The SymPy explanations' own cost, outside the engine's budget: one per distinct (part, answer)."""
    if seconds <= 0:
        return
    try:
        from grader.formula import explain as ex
    except ImportError:
        return
    ex.Stats.reset()
    times = []
    for part, ref, answer, truth in dict.fromkeys((r[0].address, r[1], r[2], r[3]) for r in rows):
        p = next(r[0] for r in rows if r[0].address == part)
        try:
            a, b = parse_formula(ref, p.table), parse_formula(answer, p.table)
        except FormulaInvalid:
            continue
        t = time.perf_counter()
        ex.explain(a, b, p.table, truth, seconds=seconds)
        times.append((time.perf_counter() - t) * 1000)
    if times:
        print(f"sympy   : p50 {percentile(times, 0.5):7.3f} ms   p99 {percentile(times, 0.99):8.3f} ms   "
              f"explanations {len(times)}, computed {ex.Stats.computed}, cached {ex.Stats.cached}, "
              f"time-outs at {seconds:g} s: {ex.Stats.timeouts}, failures {ex.Stats.failures}")


if __name__ == "__main__":
    main()
