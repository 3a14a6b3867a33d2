"""Exact reasons from SymPy, on top of the numeric verdict, within a strict time budget.

The verdict never depends on this module: it only adds a line to feedback that is already decided.
For a wrong answer, the simplified difference ``answer − expected`` when it is short, or the ratio
when it is a constant; for a right answer whose form differs from the reference's canonical form, a
"proved equal" note when SymPy proves it.

SymPy runs in a forked child process that is killed when the budget is spent (a thread could not be
stopped), so a slow simplification costs at most the budget and never the check. Functions are first
kept opaque (σ, tanh, f as undefined functions, so ``σ(x)(1+σ(x)) − σ(x)(1−σ(x))`` reads ``2σ(x)²``),
then, for a proof, written out (σ(t) = 1/(1+e^{−t})). Results, time-outs included, are cached by the
canonical forms of reference and answer.

The budget is ``NNGRADE_EXPLAIN_SECONDS`` (seconds per explanation; ``0``, the library's default, turns
explanations off; ``nngrade check`` turns them on with :data:`DEFAULT_SECONDS`; set the variable for
``nngrade grade``: a note that depends on the machine's load is not put in class results unasked).
"""
from __future__ import annotations

import functools
import os
import pickle
import select
import signal
import time
from contextlib import contextmanager, suppress
from dataclasses import dataclass

from grader import messages
from grader.formula.canonical import canonical
from grader.formula.evaluate import ShapeMismatch, infer_shapes
from grader.formula.nodes import Node
from grader.formula.symbols import SymbolTable
from grader.messages import text
from grader.said import Said

DEFAULT_SECONDS = 0.5
MAX_SHOWN = 40            # characters of a difference worth showing
MAX_NODES = 60            # larger formulas are not sent to SymPy
MAX_CACHE = 20000
_CACHE: dict = {}


class Stats:
    computed = 0
    cached = 0
    timeouts = 0
    failures = 0

    @classmethod
    def reset(cls) -> None:
        cls.computed = cls.cached = cls.timeouts = cls.failures = 0


@dataclass(frozen=True)
class Explanation:
    kind: str             # "difference", "ratio", "proved"
    key: str
    params: dict

    def message(self, lang: str) -> str:
        return text(self.key, lang, **self.params)


_ON: list[float] = []


def budget() -> float:
    """Seconds per explanation: ``NNGRADE_EXPLAIN_SECONDS`` if set, else the innermost :func:`enabled`, else 0."""
    if os.environ.get("NNGRADE_EXPLAIN_SECONDS"):
        try:
            return max(0.0, float(os.environ["NNGRADE_EXPLAIN_SECONDS"]))
        except ValueError:
            return 0.0
    return _ON[-1] if _ON else 0.0


@contextmanager
def enabled(seconds: float = DEFAULT_SECONDS):
    """Explanations on inside the block (``nngrade check``); the environment variable still wins."""
    _ON.append(seconds)
    try:
        yield
    finally:
        _ON.pop()


def explain(ref: Node, answer: Node, table: SymbolTable, right: bool,
            seconds: float | None = None) -> Explanation | None:
    """The exact reason for a decided verdict (``right``: proved equal; else difference or ratio), or None."""
    seconds = budget() if seconds is None else seconds
    if seconds <= 0 or _size(ref) > MAX_NODES or _size(answer) > MAX_NODES:
        return None
    try:
        key = (canonical(ref, infer_shapes(ref, table)), canonical(answer, infer_shapes(answer, table)), right,
               tuple(sorted((n, s.shape, s.domain, s.integer) for n, s in table.symbols.items())))
    except (ShapeMismatch, KeyError, RecursionError):
        return None
    if key in _CACHE:
        Stats.cached += 1
        return _CACHE[key]
    left = signal.getitimer(signal.ITIMER_REAL)[0]          # the check's own deadline, if one is running
    if left > 0:
        seconds = min(seconds, left - 0.3)
        if seconds <= 0:
            return None
    from grader.errors import CheckTimeout
    try:
        found = _in_child(lambda: _work(ref, answer, table, right), seconds)
    except CheckTimeout:              # the check's deadline came first (say, SymPy's first import): the verdict stands
        Stats.timeouts += 1
        return None
    if len(_CACHE) < MAX_CACHE:
        _CACHE[key] = found
    return found


def _size(node: Node) -> int:
    return sum(1 for _ in node.walk())


# -- the child ---------------------------------------------------------------------------------

def _in_child(job, seconds: float):
    """Run ``job`` in a forked child; its pickled result, or None after ``seconds`` (the child is killed)."""
    _warm()
    try:
        read, write = os.pipe()
        pid = os.fork()
    except OSError:
        Stats.failures += 1
        return None
    if pid == 0:                                   # the child: compute, write, leave without cleanup
        code = 0
        try:
            os.close(read)
            _die_with_parent()
            data = pickle.dumps(job())
            with os.fdopen(write, "wb") as out:
                out.write(data)
        except BaseException:  # anything: no explanation
            code = 1
        finally:
            os._exit(code)
    os.close(write)
    Stats.computed += 1
    chunks, end = [], time.monotonic() + seconds
    try:
        while True:
            left = end - time.monotonic()
            if left <= 0:
                Stats.timeouts += 1
                return None
            ready, _, _ = select.select([read], [], [], left)
            if not ready:
                continue
            chunk = os.read(read, 65536)
            if not chunk:
                break
            chunks.append(chunk)
        try:
            return pickle.loads(b"".join(chunks)) if chunks else None
        except Exception:
            Stats.failures += 1
            return None
    finally:
        os.close(read)
        with suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        with suppress(ChildProcessError):
            os.waitpid(pid, 0)


_WARM: list = []


def _warm() -> None:
    """Import SymPy and run one small simplification in this process, once: SymPy loads much of itself
    lazily on first use, and each child would otherwise pay that (most of a second) again."""
    if _WARM:
        return
    import sympy
    x, f = sympy.Symbol("x", real=True), sympy.Function("σ")
    sympy.simplify(f(x) * (1 + f(x)) - 1 / (1 + sympy.exp(-x)) + sympy.tanh(x) ** 2)
    _WARM.append(True)


def _die_with_parent() -> None:
    try:
        import ctypes
        ctypes.CDLL(None).prctl(1, signal.SIGKILL, 0, 0, 0)          # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _work(ref: Node, answer: Node, table: SymbolTable, right: bool) -> Explanation | None:
    import sympy

    for opaque in ((True, False) if right else (True,)):     # a wrong answer's difference reads only in σ, not e^{-x}
        try:
            r = _convert(ref, table, opaque)
            a = _convert(answer, table, opaque)
        except Exception:  # not convertible: no explanation
            return None
        if isinstance(r, sympy.MatrixBase) or isinstance(a, sympy.MatrixBase):
            found = _matrix(a, r, right)
        else:
            found = _scalar(a, r, right, opaque)
        if found is not None:
            return found
    return None


def _scalar(a, r, right: bool, opaque: bool) -> Explanation | None:
    import sympy
    diff = sympy.simplify(a - r)
    if right:
        return Explanation("proved", "explain_proved", {}) if diff == 0 else None
    if diff == 0:
        return None                     # numerically different, symbolically equal: a domain matter, say nothing
    if r != 0:
        ratio = sympy.simplify(a / r)
        if ratio.is_number and ratio != 1 and ratio.is_finite:
            return Explanation("ratio", "explain_ratio", {"factor": _show(ratio)})
    shown = _show(diff)
    simpler = diff.count_ops() < a.count_ops() + r.count_ops()       # shorter than "answer − expected" itself
    if len(shown) <= MAX_SHOWN and simpler and (opaque or diff.count_ops() <= 12):
        return Explanation("difference", "explain_difference", {"expr": shown})
    return None


def _matrix(a, r, right: bool) -> Explanation | None:
    import sympy
    if not (isinstance(a, sympy.MatrixBase) and isinstance(r, sympy.MatrixBase)) or a.shape != r.shape:
        return None
    diff = (a - r).applyfunc(sympy.simplify)
    if right:
        return Explanation("proved", "explain_proved", {}) if diff.is_zero_matrix else None
    ratios = {sympy.simplify(x / y) for x, y in zip(a, r) if y != 0}
    if len(ratios) == 1:
        ratio = ratios.pop()
        if ratio.is_number and ratio != 1 and ratio.is_finite:
            return Explanation("ratio", "explain_ratio", {"factor": _show(ratio)})
    return None


def _show(expr) -> str:
    import sympy
    out = sympy.sstr(expr, order="grlex")
    return out.replace("**", "^").replace("*", "·").replace("sqrt", "√")


def _convert(node: Node, table: SymbolTable, opaque: bool):
    from grader.formula.to_sympy import _Converter

    class Opaque(_Converter):
        def builtin(self, name, args):
            import sympy
            if name in ("sigma", "sigma_prime"):
                s = sympy.Function("σ")
                if name == "sigma":
                    return _elementwise(lambda t: s(t), args[0])
                return _elementwise(lambda t: s(t) * (1 - s(t)), args[0])
            return super().builtin(name, args)

    return (Opaque if opaque else _Converter)(table).go(node)


def _elementwise(fn, x):
    import sympy
    return x.applyfunc(fn) if isinstance(x, sympy.MatrixBase) else fn(x)


# -- the bank: every reference derived from its declared source ---------------------------------

PROOF_SECONDS = 30.0
DERIVED_OPS = ("diff", "grad", "same", "solve", "max", "argmax")


def prove_reference(part, seconds: float = PROOF_SECONDS) -> str | None:
    """None when SymPy proves the part's reference equal to what its ``derived_from`` says; else why not.

    ``derived_from`` (in the question file) is one of
    ``{op: diff, expr, wrt}`` (the derivative of ``expr`` in the scalar ``wrt``),
    ``{op: grad, expr, wrt}`` (the gradient of scalar ``expr`` in a vector or matrix symbol, entry by entry),
    ``{op: same, expr}`` (a closed form of ``expr``),
    ``{op: solve, equation: "lhs = rhs", unknown}`` (the positive root),
    ``{op: max | argmax, expr, wrt}`` (over the real line, at a stationary point),
    with optional ``given: ["lhs = rhs", ...]`` that hold (a one-hot y: ``sum(y) = 1``).
    Defined symbols (``ŷ = σ(z)``) are written out on both sides.
    """
    spec = part.spec.get("derived_from") or part.cache.get("derived_from")
    if not spec:
        return None
    refs = part.reference.answer
    if callable(refs):
        return Said(messages.ref("bank_proof_variant"))
    ref_text = refs if isinstance(refs, str) else str(next(iter(refs)))
    _warm()
    result = _in_child(lambda: _prove(part.table, spec, ref_text), seconds)
    if result is None:
        return _timed_out(seconds)
    return result or None


def _timed_out(seconds: float) -> Said:
    return Said(messages.ref("bank_proof_timeout", seconds=f"{seconds:g}"))


def prove_bank(bank, seconds: float = PROOF_SECONDS, width: int = 4) -> tuple[int, list[tuple[str, str, str]]]:
    """Prove every ``derived_from`` of the bank, ``width`` children at a time.

    Returns (how many parts declare one, [(question file, part address, why), ...] for those not proved).
    """
    private = {qid: _private_sources(bank, q) for qid, q in bank.questions.items()}
    declared = {p.address: p.spec.get("derived_from") or private[p.question_id].get(p.id) for p in bank.parts()}
    sources: dict[str, dict] = {address: source for address, source in declared.items() if source}
    parts = [p for p in bank.parts() if p.address in sources]
    jobs, failed = [], []
    proved = _load_proofs()
    for part in parts:
        refs = part.reference.answer
        if callable(refs) or refs is None:
            failed.append((part, Said(messages.ref("bank_proof_fixed"))))
            continue
        ref_text = refs if isinstance(refs, str) else str(next(iter(refs)))
        source = sources[part.address]
        key = _proof_key(part.table, source, ref_text)
        if key in proved:
            continue
        prove = functools.partial(_prove, part.table, source, ref_text)
        jobs.append((part, key, prove))
    if jobs:
        _warm()
    results = _in_children([job for _, _, job in jobs], seconds, width)
    for (part, key, _), result in zip(jobs, results):
        if result is None:
            failed.append((part, _timed_out(seconds)))
        elif result:
            failed.append((part, result))
        else:
            proved.add(key)
    _save_proofs(proved)
    return len(parts), [(bank.questions[p.question_id].path, p.address, why) for p, why in failed]


# A proof depends only on its source, the reference text, the symbols and SymPy: proved ones are
# remembered (only successes), so `bank check` proves again only what changed.
PROOF_FORMAT = 1


def _proof_key(table: SymbolTable, source: dict, ref_text: str) -> str:
    import hashlib
    import json

    import sympy
    symbols = sorted((n, list(s.shape), list(s.domain), s.integer, s.definition or "")
                     for n, s in table.symbols.items())
    blob = json.dumps([PROOF_FORMAT, sympy.__version__, source, ref_text, symbols, sorted(table.functions)],
                      sort_keys=True, default=str)
    return hashlib.sha256(blob.encode()).hexdigest()


def _proofs_path():
    from pathlib import Path
    base = os.environ.get("NNGRADE_CACHE_DIR") or os.path.join(os.environ.get("XDG_CACHE_HOME") or
                                                               os.path.expanduser("~/.cache"), "nngrade")
    return Path(base) / "proofs.txt"


def _load_proofs() -> set:
    try:
        return set(_proofs_path().read_text(encoding="ascii").split())
    except (OSError, UnicodeDecodeError):
        return set()


def _save_proofs(keys: set) -> None:
    path = _proofs_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}")
        tmp.write_text("\n".join(sorted(keys)) + "\n", encoding="ascii")
        os.replace(tmp, path)
    except OSError:
        pass                         # no cache: the next check proves everything again


def _private_sources(bank, question) -> dict:
    """The solution module's ``DERIVED_FROM`` table (sources that would give an answer away)."""
    import importlib.util
    path = bank.root / question.solution_path
    if not path.is_file():
        return {}
    spec = importlib.util.spec_from_file_location(f"nngrade_sources.{path.stem}", path)
    if spec is None or spec.loader is None:        # not for a .py file; loading the bank reports it
        return {}
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    except Exception:  # loading the bank has reported it already
        return {}
    table = getattr(module, "DERIVED_FROM", None)
    return dict(table) if isinstance(table, dict) else {}


def _in_children(jobs: list, seconds: float, width: int) -> list:
    """Each job's result (None when it failed or ran out of time), ``width`` forked children at a time."""
    out: list = [None] * len(jobs)
    running: dict[int, tuple[int, int, float, list]] = {}        # fd -> (index, pid, deadline, chunks)
    todo = list(range(len(jobs)))

    def finish(fd, ok):
        index, pid, _, chunks = running.pop(fd)
        os.close(fd)
        with suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        if ok and chunks:
            try:
                out[index] = pickle.loads(b"".join(chunks))
            except Exception:
                out[index] = None

    try:
        while todo or running:
            while todo and len(running) < width:
                index = todo.pop(0)
                read, write = os.pipe()
                pid = os.fork()
                if pid == 0:
                    code = 0
                    try:
                        os.close(read)
                        _die_with_parent()
                        with os.fdopen(write, "wb") as sink:
                            sink.write(pickle.dumps(jobs[index]()))
                    except BaseException:
                        code = 1
                    finally:
                        os._exit(code)
                os.close(write)
                running[read] = (index, pid, time.monotonic() + seconds, [])
            now = time.monotonic()
            for fd in [fd for fd, r in running.items() if r[2] <= now]:
                Stats.timeouts += 1
                finish(fd, False)
            if not running:
                continue
            wait = max(0.0, min(r[2] for r in running.values()) - time.monotonic())
            ready, _, _ = select.select(list(running), [], [], wait)
            for fd in ready:
                chunk = os.read(fd, 65536)
                if chunk:
                    running[fd][3].append(chunk)
                else:
                    finish(fd, True)
    finally:
        for fd in list(running):
            finish(fd, False)
    return out


def _prove(table: SymbolTable, spec: dict, ref_text: str) -> str:
    """'' when proved, else the reason, a Said (run in the child; a Said pickles with its reference)."""
    import sympy

    from grader.formula.resolve import parse_formula
    from grader.formula.symbols import SymbolSpec

    op = spec.get("op")
    if op not in DERIVED_OPS:
        return Said(messages.ref("bank_proof_op", op=repr(op), ops=", ".join(DERIVED_OPS)))
    if op == "solve":
        unknown = str(spec.get("unknown", ""))
        table = SymbolTable.build(list(table.symbols.values()) + [SymbolSpec(unknown, domain=(0.2, 3.0))],
                                  list(table.functions.values()))
    conv = _Expanding(table)

    def read(text_):
        return conv.go(parse_formula(str(text_), table))

    def equation(text_):
        lhs, sep, rhs = str(text_).partition("=")
        if not sep:
            raise ValueError(f"{text_!r} is not an equation 'lhs = rhs'")
        return read(lhs) - read(rhs)

    try:
        reference = read(ref_text)
        if op == "same":
            derived = read(spec["expr"])
        elif op == "diff":
            derived = _diff(read(spec["expr"]), read(spec["wrt"]))
        elif op == "grad":
            expr, wrt = read(spec["expr"]), read(spec["wrt"])
            if isinstance(wrt, sympy.MatrixBase):           # a gradient: one derivative for each entry
                derived = wrt.applyfunc(lambda w: sympy.diff(expr, w))
            else:
                derived = sympy.diff(expr, wrt)
        elif op == "solve":
            unknown = read(spec["unknown"])
            roots = [r for r in sympy.solve(equation(spec["equation"]), unknown) if r.is_positive is not False]
            if len(roots) != 1:
                return Said(messages.ref("bank_proof_roots", n=len(roots), unknown=str(spec["unknown"]),
                                         roots=str(roots)))
            derived = roots[0]
        else:
            expr, x = read(spec["expr"]), read(spec["wrt"])
            points = sympy.solve(sympy.diff(expr, x), x)
            points = [p for p in points if p.is_real and sympy.diff(expr, x, 2).subs(x, p).is_negative]
            if len(points) != 1:
                return Said(messages.ref("bank_proof_maxima", op=op, n=len(points), expr=str(spec["expr"]),
                                         points=str(points)))
            derived = points[0] if op == "argmax" else expr.subs(x, points[0])
    except Exception as exc:  # a malformed derived_from is the author's to fix
        return Said(messages.ref("bank_proof_unreadable", error=f"{type(exc).__name__}: {exc}"))
    subs = {}
    for given in spec.get("given", []) or []:
        eq = equation(given)
        free = sorted(eq.free_symbols, key=str)
        if not free:
            return Said(messages.ref("bank_proof_given", given=repr(given)))
        subs[free[-1]] = sympy.solve(eq, free[-1])[0]

    def zero(d) -> bool:
        d = d.subs(subs) if subs else d
        return sympy.simplify(d) == 0 or sympy.simplify(d.rewrite(sympy.exp)) == 0

    mats = [isinstance(v, sympy.MatrixBase) for v in (derived, reference)]
    if mats[0] and not mats[1] and derived.shape[0] == derived.shape[1] and derived.is_diagonal():
        derived = sympy.Matrix([derived[i, i] for i in range(derived.shape[0])])   # a diagonal Jacobian as its diagonal
    if (any(mats) and not all(mats)) or (all(mats) and derived.shape != reference.shape):
        return Said(messages.ref("bank_proof_shapes"))
    ok = all(zero(d) for d in (derived - reference)) if all(mats) else zero(derived - reference)
    if ok:
        return ""
    shown = _show(sympy.simplify(derived)) if not all(mats) else "…"
    return Said(messages.ref("bank_proof_refuted", ref=repr(ref_text), shown=shown[:120]))


def _diff(expr, x):
    import sympy
    if isinstance(x, sympy.MatrixBase):
        raise ValueError("diff needs a scalar wrt; use op: grad for a vector or matrix")
    return expr.applyfunc(lambda e: sympy.diff(e, x)) if isinstance(expr, sympy.MatrixBase) else sympy.diff(expr, x)


class _Expanding:
    """SymPy conversion that writes defined symbols out and makes ``Fprime`` the derivative of ``F``."""

    def __init__(self, table: SymbolTable):
        import sympy

        from grader.formula.to_sympy import _Converter

        class Conv(_Converter):
            def symbol(self, name):
                spec = self.table.symbols[name]
                if spec.definition:
                    from grader.formula.resolve import parse_formula
                    return self.go(parse_formula(spec.definition, self.table))
                return super().symbol(name)

            def go(self, node):
                if node.op == "afunc" and node.value.endswith("prime") and node.value[:-5] in self.table.functions:
                    arg = self.go(node.args[0])
                    u = sympy.Dummy("u")
                    d = sympy.diff(self.functions[node.value[:-5]](u), u)
                    return _elementwise(lambda t: d.subs(u, t), arg)
                return super().go(node)

        self.conv = Conv(table)

    def go(self, node):
        return self.conv.go(node)
