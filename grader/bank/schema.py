"""The authoring format, declared once: the keys each bank and quiz file may hold.

One description serves three readers:

* loading (:func:`check_question`, :func:`check_quiz`, :func:`check_solution`) reports every
  unknown key with a "did you mean", every value of the wrong type, and every text that holds a
  control character (the mark of a LaTeX backslash lost in a double-quoted string: ``"\\tanh"``
  is a TAB followed by ``anh``), each as an :class:`Issue` with its key path;
* ``nngrade bank schema`` exports the YAML kinds as JSON Schema (:func:`json_schema`), so an
  editor validates a question or quiz file as the author types;
* the authoring guide, through each key's ``doc``.

Every key of these formats is read by the grader, so an unknown key is an error: at best it is
ignored, at worst it is a misspelt setting (``visble``, ``domian``, ``tolerence``) whose default
silently takes over. So is a control character followed by letters (TAB + ``anh``: a lost
backslash). Warnings are kept for what may be meant: a lone control character, a line break
before a word that is also a LaTeX command (``"\\nabla"`` or a real new line?), and a public
table in a solution that the grader does not read.
"""
from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from grader.formula.symbols import DOMAINS

ERROR, WARNING = "error", "warning"


@dataclass(frozen=True)
class Issue:
    key: str          # key path inside the file: parts[grad].symbols.x.domain
    message: str
    level: str = ERROR
    kind: str = "type"    # "unknown" (a key or name the format lacks), "type" or "text" (a control character)


def _join(path: str, key: Any) -> str:
    return f"{path}.{key}" if path else str(key)


def _index(item, n: int) -> str:
    """A list entry's place in a key path: its id when it has one (parts[grad]), else its number."""
    ident = item.get("id") if isinstance(item, dict) else None
    return f"[{ident}]" if isinstance(ident, str) and ident else f"[{n}]"


def _got(value) -> str:
    return f"{type(value).__name__} {value!r}"[:120]


# -- the type language ----------------------------------------------------------------------

class Type:
    """A value's expected form; ``check`` lists the issues, ``json`` is its JSON Schema."""

    what = "a value"            # what the type expects, in words; types that compose it override ``expected``

    @property
    def expected(self) -> str:
        return self.what

    def check(self, value, path: str) -> list[Issue]:
        return [] if self.accepts(value) else [Issue(path, f"expected {self.expected}, got {_got(value)}")]

    def accepts(self, value) -> bool:
        return True

    def json(self) -> dict:
        return {}


class Str(Type):
    what = "a string"

    def accepts(self, value) -> bool:
        return isinstance(value, str)

    def json(self) -> dict:
        return {"type": "string"}


class Text(Str):
    """A text shown to students in one language: empty is a warning (the page would show nothing there)."""

    def check(self, value, path: str) -> list[Issue]:
        if isinstance(value, str) and not value.strip():
            return [Issue(path, "empty: students reading this language would see no text", WARNING, "text")]
        return super().check(value, path)


class Bool(Type):
    what = "true or false"

    def accepts(self, value) -> bool:
        return isinstance(value, bool)

    def json(self) -> dict:
        return {"type": "boolean"}


@dataclass
class Number(Type):
    minimum: float | None = None
    exclusive: bool = False          # minimum excluded
    maximum: float | None = None
    integer: bool = False

    @property
    def expected(self) -> str:
        what = "an integer" if self.integer else "a number"
        if self.minimum is not None:
            what += f" {'>' if self.exclusive else '>='} {self.minimum:g}"
        if self.maximum is not None:
            what += f" and <= {self.maximum:g}"
        return what

    def accepts(self, value) -> bool:
        if isinstance(value, bool) or not isinstance(value, int if self.integer else (int, float)):
            return False
        low = self.minimum is None or (value > self.minimum if self.exclusive else value >= self.minimum)
        return low and (self.maximum is None or value <= self.maximum)

    def json(self) -> dict:
        out: dict = {"type": "integer" if self.integer else "number"}
        if self.minimum is not None:
            out["exclusiveMinimum" if self.exclusive else "minimum"] = self.minimum
        if self.maximum is not None:
            out["maximum"] = self.maximum
        return out


class Enum(Type):
    def __init__(self, *values: str):
        self.values = values
        self.what = "one of " + ", ".join(values)

    def check(self, value, path: str) -> list[Issue]:
        if value in self.values:
            return []
        near = difflib.get_close_matches(str(value), self.values, n=1)
        hint = f" (did you mean {near[0]!r}?)" if near else ""
        return [Issue(path, f"expected {self.expected}, got {_got(value)}{hint}")]

    def json(self) -> dict:
        return {"enum": list(self.values)}


class Callable(Type):
    """A Python function (solution files only; never exported)."""

    what = "a function"

    def accepts(self, value) -> bool:
        return callable(value)


@dataclass
class ListOf(Type):
    item: Type
    length: int | None = None
    nonempty: bool = False

    @property
    def expected(self) -> str:
        size = f"{self.length} " if self.length else ("a non-empty " if self.nonempty else "a ")
        return f"{'a list of ' + size if self.length else size + 'list of '}{self.item.expected}"

    def check(self, value, path: str) -> list[Issue]:
        if not isinstance(value, (list, tuple)) or (self.length and len(value) != self.length) or \
                (self.nonempty and not value):
            return [Issue(path, f"expected {self.expected}, got {_got(value)}")]
        return [i for n, v in enumerate(value) for i in self.item.check(v, path + _index(v, n))]

    def json(self) -> dict:
        out: dict[str, Any] = {"type": "array", "items": self.item.json()}
        if self.length:
            out.update(minItems=self.length, maxItems=self.length)
        elif self.nonempty:
            out["minItems"] = 1
        return out


@dataclass
class MapOf(Type):
    """A mapping from names the author chooses (symbols, part ids) to values of one type."""

    value: Type
    names: str = "name"

    @property
    def expected(self) -> str:
        return f"a mapping of {self.names} to {self.value.expected}"

    def check(self, value, path: str) -> list[Issue]:
        if not isinstance(value, dict):
            return [Issue(path, f"expected {self.expected}, got {_got(value)}")]
        return [i for k, v in value.items() for i in self.value.check(v, _join(path, k))]

    def json(self) -> dict:
        return {"type": "object", "additionalProperties": self.value.json()}


@dataclass
class Key:
    type: Type
    doc: str = ""
    required: bool = False
    nullable: bool = False           # `symbols:` with nothing under it reads as null


@dataclass
class Record(Type):
    """A closed mapping: only these keys, each of its type."""

    name: str
    keys: dict[str, Key]
    others: dict[str, str] = field(default_factory=dict)   # key -> where it belongs instead

    @property
    def expected(self) -> str:
        return f"a mapping ({self.name})"

    def check(self, value, path: str) -> list[Issue]:
        if value is None and not any(k.required for k in self.keys.values()):
            return []
        if not isinstance(value, dict):
            return [Issue(path, f"expected {self.expected}, got {_got(value)}")]
        issues = []
        for key, val in value.items():
            spec = self.keys.get(key) if isinstance(key, str) else None
            if spec is None:
                issues.append(Issue(_join(path, key), self.unknown(key), kind="unknown"))
            elif not (val is None and spec.nullable):
                issues += spec.type.check(val, _join(path, key))
        for key, spec in self.keys.items():
            if spec.required and key not in value:
                issues.append(Issue(_join(path, key), f"missing: {self.name} needs {key!r}"))
        return issues

    def unknown(self, key) -> str:
        message = f"unknown key {key!r} in {self.name}"
        if str(key) in self.others:
            return f"{message}: {key!r} belongs to {self.others[str(key)]}"
        known = list(self.keys)
        lowered = {k.lower(): k for k in known}
        near = difflib.get_close_matches(str(key).lower(), list(lowered), n=1, cutoff=0.6)
        if near:
            return f"{message} (did you mean {lowered[near[0]]!r}?)"
        return f"{message}; known keys: {', '.join(known)}"

    def json(self) -> dict:
        props = {}
        for key, spec in self.keys.items():
            schema = spec.type.json()
            if spec.nullable:
                schema = {"anyOf": [schema, {"type": "null"}]}
            if spec.doc:
                schema = {**schema, "description": spec.doc}
            props[key] = schema
        out: dict = {"type": "object", "properties": props, "additionalProperties": False}
        required = [k for k, s in self.keys.items() if s.required]
        if required:
            out["required"] = required
        return out


@dataclass
class OneOf(Type):
    """The first alternative whose accepts() takes the value's kind (str, list, mapping...)."""

    options: tuple[Type, ...]
    kinds: tuple[tuple[type, ...], ...]

    @property
    def expected(self) -> str:
        return " or ".join(o.expected for o in self.options)

    def check(self, value, path: str) -> list[Issue]:
        for option, kind in zip(self.options, self.kinds):
            if isinstance(value, kind) and not (isinstance(value, bool) and bool not in kind):
                return option.check(value, path)
        return [Issue(path, f"expected {self.expected}, got {_got(value)}")]

    def json(self) -> dict:
        return {"anyOf": [o.json() for o in self.options]}


@dataclass
class Tagged(Type):
    """A mapping whose ``tag`` key picks its record (a part's ``type``); ``build`` makes the records
    on first use (the answer types declare them, and they import this module's vocabulary)."""

    tag: str
    build: Any

    @cached_property
    def records(self) -> dict[str, Record]:
        return self.build()

    @property
    def expected(self) -> str:
        return f"a mapping with {self.tag}: {' | '.join(self.records)}"

    def check(self, value, path: str) -> list[Issue]:
        if isinstance(value, dict) and value.get(self.tag) in self.records:
            return self.records[value[self.tag]].check(value, path)
        return []          # a missing or unknown type: the loader says so, with the list of types

    def json(self) -> dict:
        branches = [{"if": {"properties": {self.tag: {"const": t}}, "required": [self.tag]}, "then": r.json()}
                    for t, r in self.records.items()]
        return {"type": "object", "required": [self.tag], "properties": {self.tag: {"enum": list(self.records)}},
                "allOf": branches}


# -- the formats ------------------------------------------------------------------------------

def _bilingual(what: str = "text") -> Record:
    return Record(f"{what} {{en, zh}}", {"en": Key(Text(), "English", True), "zh": Key(Text(), "Chinese", True)})


BILINGUAL = _bilingual()
NAMES = ListOf(Str())
UNIT_CREDIT = Number(0, maximum=1)

SYMBOL = Record("a symbol", {
    "domain": Key(OneOf((Enum(*DOMAINS), ListOf(Number(), length=2)), ((str,), (list,))),
                  "where values are sampled: a named domain or [low, high]"),
    "shape": Key(ListOf(Number(1, integer=True), length=2), "[rows, cols]; scalars are [1, 1]"),
    "integer": Key(Bool(), "sample integers only"),
    "latex": Key(Str(), "how the symbol is printed, e.g. '\\theta' (single quotes keep the backslash)"),
    "aliases": Key(NAMES, "other spellings students may type"),
    "definition": Key(Str(), "a formula in other symbols: the symbol is computed, not sampled"),
})
FUNCTION = Record("a function", {
    "latex": Key(Str(), "how the function is printed"),
    "aliases": Key(NAMES, "other spellings students may type"),
})
SYMBOLS = MapOf(SYMBOL, "symbol names")
FUNCTIONS = MapOf(FUNCTION, "function names")
CODE_FUNCTION = Record("a code part's function", {
    "name": Key(Str(), "the function the student writes in solution.py", True),
    "signature": Key(Str(), "e.g. sigmoid(x)"),
    "doc": Key(OneOf((Str(), _bilingual("doc")), ((str,), (dict,))), "what the function does"),
})
TOLERANCE = Record("a tolerance", {
    "abs": Key(Number(0), "absolute tolerance (default 1e-9)"),
    "rel": Key(Number(0), "relative tolerance (default 1e-6)"),
    "sigfigs": Key(Number(1, integer=True), "significant figures instead of abs/rel"),
})

DERIVED_FROM = Record("a reference's source, proved by `nngrade bank check` (grader/formula/explain.py)", {
    "op": Key(Enum("diff", "grad", "same", "solve", "max", "argmax"),
              "how the reference follows from the source", True),
    "expr": Key(Str(), "the source expression, in the part's symbols"),
    "wrt": Key(Str(), "diff/grad/max/argmax: the variable"),
    "equation": Key(Str(), "solve: 'lhs = rhs'"),
    "unknown": Key(Str(), "solve: the unknown (its positive root)"),
    "given": Key(NAMES, "equations 'lhs = rhs' that hold, e.g. 'sum(y) = 1' for a one-hot y"),
})
FORMULA_TABLE = {"functions": Key(FUNCTIONS, "functions of this part (added to the question's)", nullable=True)}


def part_keys() -> dict[str, dict[str, Key]]:
    """Each answer type's own part keys, as its module in grader/checks declares them."""
    from grader.checks import TYPES
    return {name: kind.part_keys() for name, kind in TYPES.items()}


def _part_records() -> dict[str, Record]:
    keys = part_keys()
    common = {
        "id": Key(Str(), "the part's id: question-id/part-id addresses it", True),
        "type": Key(Enum(*keys), "the answer type", True),
        "points": Key(Number(0, exclusive=True), "points (default 1)"),
        "prompt": Key(BILINGUAL, "what the student is asked", True),
        "symbols": Key(SYMBOLS, "symbols of this part (added to the question's)", nullable=True),
        "derived_from": Key(DERIVED_FROM, "the source of the reference (a derivative, a closed form...)"),
    }

    def owners(key: str) -> str:
        types = [t for t, own in keys.items() if key in own]
        return (", ".join(types[:-1]) + " and " if len(types) > 1 else "") + types[-1] + " parts"

    return {ptype: Record(f"a {ptype} part", {**common, **own},
                          {k: owners(k) for other in keys.values() for k in other if k not in own})
            for ptype, own in keys.items()}


PART = Tagged("type", _part_records)
QUESTION = Record("a question", {
    "id": Key(Str(), "the file's name without .yaml", True),
    "title": Key(BILINGUAL, "shown above the question", True),
    "prompt": Key(BILINGUAL, "text shown before the parts"),
    "symbols": Key(SYMBOLS, "symbols every part may use", nullable=True),
    "functions": Key(FUNCTIONS, "functions every formula part may use", nullable=True),
    "tags": Key(NAMES, "free labels"),
    "parts": Key(ListOf(PART, nonempty=True), "the answerable parts", True),
})
POOL = Record("a pool", {
    "pool": Key(ListOf(Str(), nonempty=True), "question ids (or question/part) to draw from", True),
    "pick": Key(Number(1, integer=True), "how many each student gets (default 1)"),
})
QUIZ = Record("a quiz", {
    "id": Key(Str(), "the quiz id", True),
    "title": Key(BILINGUAL, "the quiz title", True),
    "seed": Key(OneOf((Number(integer=True), Str()), ((int,), (str,))), "with the student id, fixes each variant",
                True),
    "lang": Key(Enum("en", "zh"), "the students' language (default en)"),
    "duration": Key(Number(0, exclusive=True), "minutes"),
    "instructions": Key(BILINGUAL, "shown at the top of the handout"),
    "serve": Key(Record("serve settings", {          # read by grader/serve/settings.py (nngrade serve)
        "attempts": Key(Number(1, integer=True), "submissions allowed (default: unlimited)"),
        "opens": Key(Type(), "ISO-8601 time the quiz opens (UTC without an offset)"),
        "closes": Key(Type(), "ISO-8601 time the quiz closes"),
        "time_limit": Key(Number(0, exclusive=True), "minutes per student from their first opening"),
        "feedback": Key(Enum("immediate", "after_submit", "after_close", "release"), "when feedback is shown"),
    }), "nngrade serve: attempts, opening and closing times, time limit, when feedback is shown"),
    "questions": Key(ListOf(OneOf((Str(), POOL), ((str,), (dict,))), nonempty=True),
                     "question ids, question/part, or {pool: [...], pick: N}", True),
})

# -- solution modules (Python) ----------------------------------------------------------------

CODE_TEST = Record("a code test", {
    "id": Key(Str(), "names the test in self-tests' fails: {id: reason}"),
    "function": Key(Str(), "the function under test (one of the part's functions)", True),
    "kind": Key(Enum("values", "stable", "gradient", "statistics", "reproducible"), "default values"),
    "points": Key(Number(0), "default 1"),
    "name": Key(OneOf((BILINGUAL, Str()), ((dict,), (str,))), "shown to the student"),
    "inputs": Key(Callable(), "inputs(rng) -> a list of argument tuples"),
    "args": Key(OneOf((ListOf(Type()), Callable()), ((list, tuple), (object,))),
                "statistics/reproducible: the arguments (or args(rng)), 'rng' marking the generator"),
    "visible": Key(Bool(), "false: hidden, its vectors never go into the student's kit"),
    "seconds": Key(Number(0, exclusive=True), "time per call (default 2)"),
    "rtol": Key(Number(0), "relative tolerance"),
    "atol": Key(Number(0), "absolute tolerance"),
    "check": Key(Callable(), "statistics: check(value, args) -> None or a message"),
    "loss": Key(Str(), "gradient: the reference loss function's name"),
    "wrt": Key(Number(0, integer=True), "gradient: the argument differentiated"),
    "curve": Key(OneOf((Bool(), Enum("always")), ((bool,), (str,))),
                 "plot the student's output against the reference: "
                 "true when the function fails, always in every report"),
})
MISCONCEPTION = Record("a misconception", {
    "id": Key(Str(), "names it in self-tests and results"),
    "answer": Key(Type(), "the wrong answer (formula text, number, or a function of the variant)", True),
    "feedback": Key(BILINGUAL, "what the student is told", True),
})
RUBRIC_IDEA = Record("a rubric idea", {
    "idea": Key(OneOf((BILINGUAL, Str()), ((dict,), (str,))), "the idea, shown when missing", True),
    "en": Key(NAMES, "English keywords", True),
    "zh": Key(NAMES, "Chinese keywords", True),
})
WRONG_CODE = Record("a wrong implementation", {
    "source": Key(Str(), "the text of a solution.py", True),
    "why": Key(Str(), "what is wrong with it"),
    "fails": Key(MapOf(Type(), "test ids"), "{test id: reason} it must fail"),
})
SELF_TEST_CASES = ListOf(Type())
SELF_TESTS = Record("self-tests", {k: Key(SELF_TEST_CASES) for k in ("accept", "reject", "invalid", "partial")})
CODE_SELF_TESTS = Record("code self-tests", {"accept": Key(ListOf(Str())), "reject": Key(ListOf(WRONG_CODE))})
# name -> (type of one part's entry, doc); each table maps part ids to its entry
SOLUTION_TABLES: dict[str, tuple[Type, str]] = {
    "ANSWERS": (Type(), "the reference answer of each part"),
    "MISCONCEPTIONS": (ListOf(MISCONCEPTION), "known wrong answers and their feedback"),
    "OPTION_FEEDBACK": (MapOf(BILINGUAL, "option letters"), "feedback for each chosen option"),
    "RUBRICS": (ListOf(RUBRIC_IDEA), "text parts: the ideas and their keywords"),
    "SELF_TESTS": (SELF_TESTS, "answers the part must accept, reject, ..."),
    "CODE_TESTS": (ListOf(CODE_TEST), "code parts: the tests"),
    "DERIVED_FROM": (DERIVED_FROM, "a reference's source kept private (it would give the answer away)"),
}
SOLUTION_NAMES = (*SOLUTION_TABLES, "generate")


# -- checking -----------------------------------------------------------------------------------

def check_question(data: dict) -> list[Issue]:
    """Issues of a question file's data (already a mapping)."""
    return QUESTION.check(data, "") + text_issues(data, "")


def check_quiz(data: dict) -> list[Issue]:
    return QUIZ.check(data, "") + text_issues(data, "")


def check_solution(module, parts: dict[str, str | None], code_functions: set[str]) -> list[Issue]:
    """Issues of a solution module: its names, its tables' part ids and entries.

    ``parts`` maps the question's part ids to their types; ``code_functions`` are the names its
    code parts ask for (the reference implementations)."""
    return _solution_names(module, code_functions) + [
        issue for name in SOLUTION_TABLES if getattr(module, name, None) is not None
        for issue in _solution_table(name, getattr(module, name), parts)]


def _solution_names(module, code_functions: set[str]) -> list[Issue]:
    """A name close to one the grader reads is a misspelling (error); another public table, a warning.
    Underscore names, modules, reference functions and other helpers are the author's own."""
    issues = []
    for name, value in vars(module).items():
        if name.startswith("_") or name in SOLUTION_NAMES or name in code_functions or \
                type(value).__name__ == "module":
            continue
        near = difflib.get_close_matches(name, SOLUTION_NAMES, n=1, cutoff=0.6) or \
            difflib.get_close_matches(name.upper(), SOLUTION_NAMES, n=1, cutoff=0.8)
        if near:
            issues.append(Issue(name, f"unknown name {name!r} in a solution (did you mean {near[0]!r}?)",
                                kind="unknown"))
        elif isinstance(value, (dict, list)):
            issues.append(Issue(name, f"the grader reads no table {name!r}; its tables are "
                                      f"{', '.join(SOLUTION_TABLES)} (name a helper _{name})", WARNING, "unknown"))
    return issues


def _solution_table(name: str, table, parts: dict[str, str | None]) -> list[Issue]:
    """One table (ANSWERS, CODE_TESTS, ...): part ids of the question, entries of their form."""
    from grader.checks import loose
    if not isinstance(table, dict):
        return [Issue(name, f"expected a mapping of part ids, got {_got(table)}")]
    issues = []
    for pid, value in table.items():
        path = f"{name}[{pid!r}]"
        if pid not in parts:
            near = difflib.get_close_matches(str(pid), list(parts), n=1)
            hint = f" (did you mean {near[0]!r}?)" if near else f"; its parts: {', '.join(parts)}"
            issues.append(Issue(path, f"the question has no part {pid!r}{hint}", kind="unknown"))
            continue
        entry, is_text = loose(parts[pid]).solution_entry(name) or (SOLUTION_TABLES[name][0], True)
        issues += entry.check(value, path)
        if name == "CODE_TESTS" and isinstance(value, list):      # only the names are text; inputs are data
            issues += [i for n, t in enumerate(value) if isinstance(t, dict)
                       for i in text_issues(t.get("name"), f"{path}{_index(t, n)}.name")]
        elif is_text:                                            # not code (a wrong implementation's source)
            issues += text_issues(value, path)
    return issues


# -- control characters: a backslash lost in a double-quoted string --------------------------

_ESCAPES = {"\t": ("t", "TAB"), "\x0c": ("f", "FORM FEED"), "\x08": ("b", "BACKSPACE"), "\x07": ("a", "BELL"),
            "\x0b": ("v", "VERTICAL TAB"), "\r": ("r", "CARRIAGE RETURN"), "\x1b": ("e", "ESCAPE"),
            "\x00": ("0", "NUL"), "\x85": ("N", "NEXT LINE"), "\u2028": ("L", "LINE SEPARATOR"),
            "\u2029": ("P", "PARAGRAPH SEPARATOR")}
# LaTeX commands that start with n: "\nabla" in double quotes is a new line and "abla"
_N_COMMANDS = re.compile(r"\n(abla|eq|u|ot|eg|ewline|i|e|otin|mid|leq|geq|exists|parallel|subseteq|atural)\b")


def text_issues(value, path: str) -> list[Issue]:
    """Strings under ``value`` holding a control character: an error (a lost backslash)."""
    if isinstance(value, str):
        return _string_issues(value, path)
    if isinstance(value, dict):
        return [i for k, v in value.items() for i in text_issues(v, _join(path, k))]
    if isinstance(value, (list, tuple)):
        return [i for n, v in enumerate(value) for i in text_issues(v, path + _index(v, n))]
    return []


def _string_issues(s: str, path: str) -> list[Issue]:
    """A control character followed by letters (TAB + "anh") is a lost backslash: an error, since the
    text renders wrong (or, in an answer, parses wrong). A lone control character, or a line break
    before a LaTeX name, may be meant: a warning (``bank check --strict`` fails on it)."""
    lone: list[Issue] = []
    for n, ch in enumerate(s):
        if ch != "\n" and (unicodedata.category(ch) == "Cc" or ch in _ESCAPES):
            letters = re.match(r"[A-Za-z]*", s[n + 1:])
            after = letters.group() if letters else ""
            letter, name = _ESCAPES.get(ch, ("", "control character"))
            where = f"holds the character {name} (U+{ord(ch):04X}) at position {n}"
            if letter and after:
                lost = "\\" + letter + after
                return [Issue(path, f"{where}: a backslash lost in a double-quoted string? \"{lost}\" reads as "
                                    f"{name} + {after!r}; write '{lost}' in single quotes, \"\\{lost}\", or a "
                                    f"block scalar (|)", kind="text")]
            lone = lone or [Issue(path, f"{where}: remove it", WARNING, "text")]
    if lone:
        return lone
    match = _N_COMMANDS.search(s)
    if match:
        lost = "\\n" + match.group(1)
        return [Issue(path, f"a line break followed by {match.group(1)!r}: is it a lost backslash of "
                            f"'{lost}'? write it in single quotes or as \"\\{lost}\"", WARNING, "text")]
    return []


# -- JSON Schema -------------------------------------------------------------------------------

KINDS = {"question": QUESTION, "quiz": QUIZ}


def json_schema(kind: str) -> dict:
    """The JSON Schema (draft 2020-12) of a question or quiz file."""
    record = KINDS[kind]
    return {"$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": f"https://nngrade.invalid/schemas/{kind}.schema.json",
            "title": f"nngrade {kind} file", **record.json()}
