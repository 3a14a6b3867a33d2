"""Verdicts cached per (part, variant, answer): a class's formula checks cost one check per distinct answer,
inside a run and, when a class run attaches its gradebook (:func:`persisted`), across runs.

Two levels, both kept in the part's own ``cache`` (so they live and die with the loaded bank, and a
bank loaded again, edited or not, never sees another's verdicts in memory):

* the answer text exactly as typed (spaces included: an unreadable answer's message and caret give
  positions in the text as typed), with the reference text (the variant) and the language;
* the answer's canonical form (:mod:`grader.formula.canonical`), so ``σ(x)(1−σ(x))`` and
  ``(1−σ(x))·σ(x)`` share one check; a hit keeps the student's own "interpreted as" rendering.

Only settled verdicts are kept (never ``error``: a grader fault or a time-out is checked again), each
part holds at most :data:`MAX_PER_PART` entries, and a hit hands out a copy of the details, so no
caller can change a cached outcome. ``NNGRADE_ANSWER_CACHE=0`` switches both levels off.

The persisted level (the gradebook's ``answer_cache`` table, :mod:`grader.results.gradebook`) is asked
after a miss in memory. Its key is a digest of everything that decides the outcome: the grader's
engine fingerprint (:func:`engine`: version, the source of the ``grader`` package, Python, NumPy and
SymPy versions, the platform), the part's loaded definition (:func:`part_fingerprint`: ids, type, points, prompt,
spec, symbol table, reference answer, misconceptions, ...), the variant's reference, the language,
the SymPy explanation budget, and the answer text or canonical form. A row is used only if its
checksum matches its key and its engine, and its outcome passes :func:`decode`'s structural checks;
anything else is a miss. Not persisted: grader faults and time-outs (never cached at all), outcomes
made while a SymPy explanation timed out or failed (they depend on the machine's load), outcomes
whose details are not plain JSON, and parts not answered in ``answers.yaml`` (code: running student
code is not deterministic, so code answers are never cached).
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import math
import os
import platform
import sqlite3
import sys
from contextlib import contextmanager, suppress
from pathlib import Path

from grader.outcome import Outcome

MAX_PER_PART = 4096
KEEP = ("correct", "partial", "incorrect", "invalid")
_SLOT = "answer-cache"
FORMAT = 1                      # of the persisted key and row; a change makes every older row a miss
MAX_FEEDBACK = 64               # lines of a persisted outcome's feedback, at most
MAX_ROW = 256 * 1024            # characters of a persisted outcome, at most


class Stats:
    hits = 0
    misses = 0
    loaded = 0                  # hits served by the gradebook (included in ``hits``)
    stored = 0                  # outcomes written to the gradebook
    rejected = 0                # gradebook rows found but not trusted (corrupt, foreign, malformed)

    @classmethod
    def reset(cls) -> None:
        cls.hits = cls.misses = cls.loaded = cls.stored = cls.rejected = 0


def enabled() -> bool:
    return os.environ.get("NNGRADE_ANSWER_CACHE", "1") != "0"


def _budget() -> float:
    """SymPy's budget per explanation: an outcome made without its notes is not one made with them."""
    from grader.formula.explain import budget
    return budget()


def _feedback_kind() -> bool:
    return _budget() > 0


def text_key(reference, answer, lang: str):
    """The key of an answer as typed, or None when it is not cacheable (not text, or the cache is off)."""
    if not isinstance(answer, str) or not enabled():
        return None
    refs = (reference,) if isinstance(reference, str) or reference is None else tuple(map(str, reference))
    return ("text", refs, lang, _feedback_kind(), answer)


def canonical_key(reference_key, canonical_form, lang: str):
    """The key of an answer's canonical form against one compiled reference."""
    if not enabled():
        return None
    return ("canonical", reference_key, lang, _feedback_kind(), canonical_form)


def get(part, key) -> Outcome | None:
    if key is None:
        return None
    found = part.cache.get(_SLOT, {}).get(key)
    if found is None:
        found = _load(part, key)
        if found is None:
            Stats.misses += key[0] == "text"          # one miss per answer checked, at its first level
            return None
        _remember(part, key, found)
    Stats.hits += 1
    return dataclasses.replace(found, details=_copy(found.details))


def put(part, key, outcome: Outcome) -> Outcome:
    """Keep ``outcome`` under ``key`` (when settled and there is room); returns it, for ``return put(...)``."""
    if key is not None and outcome.verdict in KEEP and _remember(part, key, outcome):
        _store(part, key, outcome)
    return outcome


def _remember(part, key, outcome: Outcome) -> bool:
    slot = part.cache.setdefault(_SLOT, {})
    if len(slot) >= MAX_PER_PART:
        return False
    slot[key] = dataclasses.replace(outcome, details=_copy(outcome.details))
    return True


def _copy(value):
    """A copy of plain details (dicts and lists of numbers and text; tuples and the rest are immutable)."""
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value


def clear(part) -> None:
    part.cache.pop(_SLOT, None)


# -- the persisted level: the gradebook's answer_cache table ----------------------------------------

_STORE: dict = {"path": None, "pid": None, "book": None}
_INHERITED: list = []           # connections opened before a fork: never used, never closed, in the child
_PENDING: dict = {}             # persisted key -> SymPy's time-out and failure counts when its check began


@contextmanager
def persisted(book):
    """Inside the block, verdicts missing in memory are looked up in (and new ones written to) the
    gradebook ``book`` (:class:`grader.results.gradebook.Gradebook`), in this process and in the
    worker processes forked inside it (each opens its own connection). Rows of another engine are
    deleted first. Nothing happens when the cache is off."""
    if not enabled():
        yield
        return
    with suppress(sqlite3.Error):
        book.forget_answers(keep_engine=engine())
    previous = dict(_STORE)
    _STORE.update(path=str(book.path), pid=os.getpid(), book=book)
    try:
        yield
    finally:
        _STORE.clear()
        _STORE.update(previous)


def _book():
    """This process's gradebook connection for the cache, or None."""
    path = _STORE.get("path")
    if path is None:
        return None
    if _STORE.get("pid") != os.getpid():               # a forked worker: a connection of its own
        if _STORE.get("book") is not None:
            _INHERITED.append(_STORE["book"])
        from grader.results.gradebook import Gradebook
        try:
            book = Gradebook(path)
            book.db.execute("PRAGMA busy_timeout=5000")
        except (sqlite3.Error, OSError):
            book = None
        _STORE.update(pid=os.getpid(), book=book)
    return _STORE.get("book")


def _cacheable_part(part) -> bool:
    """Only parts answered in answers.yaml (not code: running student code is not deterministic)."""
    from grader.checks import TYPES
    kind = TYPES.get(part.type)
    return kind is not None and kind.in_answers_file and not kind.batched and part.type != "code"


def persistent_key(part, key) -> str | None:
    """The gradebook's key of ``key`` for ``part``, or None when it is not to be persisted."""
    if key is None or not enabled() or not _cacheable_part(part):
        return None
    level = key[0]
    if level == "text":
        _, refs, lang, _, answer = key
        what = ["text", list(refs), answer]
    elif level == "canonical":
        _, ref_id, lang, _, form = key
        ref_text = _reference_text(part, ref_id)         # the compiled reference is known by its text
        if ref_text is None:
            return None
        what = ["canonical", ref_text, repr(form)]
    else:
        return None
    try:
        blob = json.dumps([FORMAT, engine(), part_fingerprint(part), lang, repr(_budget()), what],
                          ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError):
        return None
    return hashlib.sha256(blob.encode("utf-8", "surrogatepass")).hexdigest()


def _reference_text(part, ref_id):
    for k, v in part.cache.items():
        if isinstance(k, tuple) and len(k) == 3 and k[0] == "ref" and id(v) == ref_id:
            return [k[1], k[2]]
    return None


def _load(part, key) -> Outcome | None:
    if _STORE.get("path") is None:
        return None
    pkey = persistent_key(part, key)
    if pkey is None:
        return None
    book = _book()
    if book is None:
        return None
    try:
        row = book.cached_answer(pkey)
    except Exception:  # a cache: whatever goes wrong reading it is a miss, never the check's fault
        row = None
    if row is None:
        _pending(pkey)
        return None
    engine_id, body, checksum = row
    outcome = None
    if all(isinstance(v, str) for v in row) and engine_id == engine() \
            and checksum == row_checksum(pkey, engine_id, body):
        outcome = decode(body)
    if outcome is None:
        Stats.rejected += 1
        _pending(pkey)
        return None
    Stats.loaded += 1
    return outcome


def _store(part, key, outcome: Outcome) -> None:
    if _STORE.get("path") is None:
        return
    pkey = persistent_key(part, key)
    if pkey is None:
        return
    began = _PENDING.pop(pkey, None)
    if began is None or began != _explain_trouble():       # not looked up first, or SymPy timed out meanwhile
        return
    body = encode(outcome)
    book = _book()
    if body is None or book is None:
        return
    try:
        book.remember_answer(pkey, engine(), body, row_checksum(pkey, engine(), body))
        Stats.stored += 1
    except Exception:  # a cache: a write that fails (the gradebook busy, say) is a later miss, never a fault
        pass


def _pending(pkey: str) -> None:
    """Remember SymPy's trouble counts as this check begins (an outcome made while it timed out is not stored)."""
    if len(_PENDING) > 10000:
        _PENDING.clear()
    _PENDING[pkey] = _explain_trouble()


def _explain_trouble():
    explain = sys.modules.get("grader.formula.explain")
    return (0, 0) if explain is None else (explain.Stats.timeouts, explain.Stats.failures)


def row_checksum(pkey: str, engine_id: str, body: str) -> str:
    """Binds a row's outcome to its key and engine: a row copied under another key, or cut, is refused."""
    return hashlib.sha256(json.dumps([FORMAT, pkey, engine_id, body]).encode()).hexdigest()


def encode(outcome: Outcome) -> str | None:
    """An outcome as the gradebook keeps it, or None when it is not plain JSON data."""
    if not _plain(outcome.details) or not isinstance(outcome.details, dict):
        return None
    body = {"verdict": outcome.verdict, "fraction": outcome.fraction, "feedback": list(outcome.feedback),
            "interpreted": outcome.interpreted, "details": outcome.details}
    try:
        text = json.dumps(body, ensure_ascii=False, allow_nan=False)     # keys in their order: outputs keep it
        text.encode("utf-8")                    # lone surrogates (hostile text) cannot be stored: not kept
    except (TypeError, ValueError):
        return None
    back = decode(text)                                  # kept only if it reads back as the very same outcome,
    if back != outcome or back is None or json.dumps(back.details) != json.dumps(outcome.details):   # in order
        return None
    return text


def decode(body) -> Outcome | None:
    """A persisted outcome, re-validated: None (a miss) unless it is a well-formed settled outcome."""
    if not isinstance(body, str) or len(body) > MAX_ROW:
        return None
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        return None
    if not isinstance(data, dict) or set(data) != {"verdict", "fraction", "feedback", "interpreted", "details"}:
        return None
    verdict, fraction, feedback = data["verdict"], data["fraction"], data["feedback"]
    interpreted, details = data["interpreted"], data["details"]
    if verdict not in KEEP or isinstance(fraction, bool) or not isinstance(fraction, (int, float)):
        return None
    fraction = float(fraction)
    if not math.isfinite(fraction) or not 0.0 <= fraction <= 1.0:
        return None
    if (verdict == "correct" and fraction != 1.0) or (verdict in ("incorrect", "invalid") and fraction != 0.0):
        return None
    if not isinstance(feedback, list) or not 0 < len(feedback) <= MAX_FEEDBACK \
            or not all(isinstance(line, str) for line in feedback):
        return None
    if interpreted is not None and not isinstance(interpreted, str):
        return None
    if not isinstance(details, dict) or not _plain(details):
        return None
    return Outcome(verdict, fraction, tuple(feedback), interpreted, details)


def _plain(value, depth: int = 0) -> bool:
    """JSON data that reads back as itself: dicts with text keys, lists, text, finite numbers, booleans, None."""
    if depth > 20:
        return False
    if value is None or isinstance(value, (str, bool, int)):
        return True
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, list):
        return all(_plain(v, depth + 1) for v in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and _plain(v, depth + 1) for k, v in value.items())
    return False


# -- fingerprints -------------------------------------------------------------------------------------

_ENGINE: list[str] = []


def engine() -> str:
    """The grader's fingerprint: its version, the source of every module of the ``grader`` package
    (an edit or a new release never reuses old verdicts), the Python, NumPy and SymPy versions and the
    platform (a gradebook copied to another machine starts afresh)."""
    if not _ENGINE:
        from importlib import metadata

        import grader
        h = hashlib.sha256(f"{FORMAT}|{grader.__version__}|{sys.version}|{platform.platform()}|"
                           f"{platform.machine()}".encode())          # floats' last bits may differ elsewhere
        for dist in ("numpy", "sympy"):
            try:
                h.update(f"|{dist}={metadata.version(dist)}".encode())
            except metadata.PackageNotFoundError:
                h.update(f"|{dist}=-".encode())
        root = Path(grader.__file__).resolve().parent
        for path in sorted(root.rglob("*.py")):
            h.update(str(path.relative_to(root)).encode() + b"\0")
            try:
                h.update(hashlib.sha256(path.read_bytes()).digest())
            except OSError:
                h.update(b"?")
        _ENGINE.append(h.hexdigest())
    return _ENGINE[0]


def part_fingerprint(part) -> str:
    """A digest of the part's loaded definition: everything of the part but its runtime cache and the
    private memos of its data (``_``-named fields, filled on first use). If it changes during a check,
    the outcome is not stored (its key when looked up and when stored differ)."""
    data = [part.question_id, part.id, part.type, part.points, part.prompt, part.spec, part.table,
            part.reference]
    return hashlib.sha256(json.dumps(_stable(data), ensure_ascii=False, sort_keys=True).encode(
        "utf-8", "surrogatepass")).hexdigest()


def _stable(value, depth: int = 0):
    """``value`` as JSON data that is the same in every process; ValueError for anything else."""
    if depth > 40:
        raise ValueError("too deep")
    if value is None or isinstance(value, (str, bool, int)):
        return value
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, dict):
        return {"{dict}": sorted(([_key_text(k), _stable(v, depth + 1)] for k, v in value.items()),
                                 key=lambda kv: kv[0])}
    if isinstance(value, (list, tuple)):
        return {"{" + type(value).__name__ + "}": [_stable(v, depth + 1) for v in value]}
    if isinstance(value, (set, frozenset)):
        return {"{set}": sorted(json.dumps(_stable(v, depth + 1), sort_keys=True) for v in value)}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = {f.name: getattr(value, f.name) for f in dataclasses.fields(value)     # not memos filled on use
                  if f.name != "cache" and not f.name.startswith("_")}                 # (SymbolTable._split)
        return {"{" + type(value).__qualname__ + "}": _stable(fields, depth + 1)}
    if callable(value):
        return {"{callable}": _callable_id(value)}
    tolist = getattr(value, "tolist", None)
    if callable(tolist):                                     # NumPy arrays and scalars
        return {"{array}": _stable(tolist(), depth + 1), "dtype": str(getattr(value, "dtype", ""))}
    raise ValueError(f"no stable form for {type(value).__qualname__}")     # then the part is not persisted


def _key_text(key) -> str:
    return key if isinstance(key, str) else json.dumps(_stable(key), sort_keys=True)


def _callable_id(fn) -> list:
    """A function by its name and the digest of the file that defines it (a variant's reference)."""
    import inspect
    try:
        source = inspect.getsourcefile(fn)
        if not source:
            raise ValueError("a function without a source file")
        digest = hashlib.sha256(Path(source).read_bytes()).hexdigest()
    except (TypeError, OSError) as exc:
        raise ValueError(f"no stable form for {fn!r}") from exc
    return [getattr(fn, "__module__", "?"), getattr(fn, "__qualname__", repr(type(fn))), digest]
