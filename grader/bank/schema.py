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
from grader.messages import ref
from grader.said import Joined, Said, say

ERROR, WARNING = "error", "warning"


@dataclass(frozen=True)
class Issue:
    key: str          # key path inside the file: parts[grad].symbols.x.domain
    message: str      # a Said (grader/said.py): English text that keeps its catalog reference
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


def listed(items) -> Any:
    """``a``, ``a and b``, ``a, b and c`` (``a、b 和 c`` in Chinese), as a message parameter."""
    items = list(items)
    if len(items) < 2:
        return "".join(items)
    return ref("bank_and", items=Joined(tuple(items[:-1]), "comma"), last=items[-1])


# the words of a record's or a mapping's name (Record.name, MapOf.names), said in any language
RECORD_NAMES = {"text {en, zh}": "bank_rec_text", "doc {en, zh}": "bank_rec_doc", "a symbol": "bank_rec_symbol",
                "a function": "bank_rec_function", "a code part's function": "bank_rec_code_function",
                "a tolerance": "bank_rec_tolerance", "a question": "bank_rec_question", "a pool": "bank_rec_pool",
                "a quiz": "bank_rec_quiz", "serve settings": "bank_rec_serve", "a code test": "bank_rec_code_test",
                "a misconception": "bank_rec_misconception", "a rubric idea": "bank_rec_rubric_idea",
                "a wrong implementation": "bank_rec_wrong_code", "self-tests": "bank_rec_self_tests",
                "code self-tests": "bank_rec_code_self_tests", "a required step": "bank_rec_step",
                "a reference's source, proved by `nngrade bank check` (grader/formula/explain.py)":
                    "bank_rec_derived_from",
                "symbol names": "bank_names_symbols", "function names": "bank_names_functions",
                "option letters": "bank_names_options", "test ids": "bank_names_tests", "name": "bank_names_name"}


def named(name: str) -> Any:
    """A record's or a mapping's name as a message parameter: a catalog reference when the catalog has its
    words (``a formula part`` too), else the name itself."""
    if name in RECORD_NAMES:
        return ref(RECORD_NAMES[name])
    part = re.fullmatch(r"a (\w+) part", name)
    return ref("bank_rec_part", type=part.group(1)) if part else name


# -- the type language ----------------------------------------------------------------------

class Type:
    """A value's expected form; ``check`` lists the issues, ``json`` is its JSON Schema."""

    what = "a value"            # what the type expects, in words; types that compose it override ``describe``
    said = "bank_t_value"       # the catalog key of ``what``

    def describe(self) -> dict:
        """What the type expects, as a catalog reference (composed types compose their parts' references)."""
        return ref(self.said)

    @property
    def expected(self) -> str:
        return say(self.describe(), "en")

    def wrong(self, value, path: str) -> Issue:
        """The issue of a value of the wrong form: expected ..., got ..."""
        return Issue(path, Said(ref("bank_expected", expected=self.describe(), got=_got(value))))

    def check(self, value, path: str) -> list[Issue]:
        return [] if self.accepts(value) else [self.wrong(value, path)]

    def accepts(self, value) -> bool:
        return True

    def json(self) -> dict:
        return {}


class Str(Type):
    what, said = "a string", "bank_t_string"

    def accepts(self, value) -> bool:
        return isinstance(value, str)

    def json(self) -> dict:
        return {"type": "string"}


class Text(Str):
    """A text shown to students in one language: empty is a warning (the page would show nothing there)."""

    def check(self, value, path: str) -> list[Issue]:
        if isinstance(value, str) and not value.strip():
            return [Issue(path, Said(ref("bank_empty_text")), WARNING, "text")]
        return super().check(value, path)


class Bool(Type):
    what, said = "true or false", "bank_t_bool"

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

    def describe(self) -> dict:
        what = ref("bank_t_integer" if self.integer else "bank_t_number")
        low = None if self.minimum is None else f"{self.minimum:g}"
        high = None if self.maximum is None else f"{self.maximum:g}"
        if low is not None and high is not None:
            return ref("bank_t_above_max" if self.exclusive else "bank_t_min_max", what=what, low=low, high=high)
        if low is not None:
            return ref("bank_t_above" if self.exclusive else "bank_t_min", what=what, low=low)
        if high is not None:
            return ref("bank_t_max", what=what, high=high)
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

    def describe(self) -> dict:
        return ref("bank_t_one_of", values=Joined(self.values, "comma"))

    def check(self, value, path: str) -> list[Issue]:
        if value in self.values:
            return []
        near = difflib.get_close_matches(str(value), self.values, n=1)
        if not near:
            return [self.wrong(value, path)]
        return [Issue(path, Said(ref("bank_expected_near", expected=self.describe(), got=_got(value),
                                     near=repr(near[0]))))]

    def json(self) -> dict:
        return {"enum": list(self.values)}


class Callable(Type):
    """A Python function (solution files only; never exported)."""

    what, said = "a function", "bank_t_function"

    def accepts(self, value) -> bool:
        return callable(value)


@dataclass
class ListOf(Type):
    item: Type
    length: int | None = None
    nonempty: bool = False

    def describe(self) -> dict:
        if self.length:
            return ref("bank_t_list_of_n", n=self.length, item=self.item.describe())
        return ref("bank_t_nonempty_list" if self.nonempty else "bank_t_list", item=self.item.describe())

    def check(self, value, path: str) -> list[Issue]:
        if not isinstance(value, (list, tuple)) or (self.length and len(value) != self.length) or \
                (self.nonempty and not value):
            return [self.wrong(value, path)]
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

    def describe(self) -> dict:
        return ref("bank_t_mapping_of", names=named(self.names), value=self.value.describe())

    def check(self, value, path: str) -> list[Issue]:
        if not isinstance(value, dict):
            return [self.wrong(value, path)]
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

    def describe(self) -> dict:
        return ref("bank_t_record", name=named(self.name))

    def check(self, value, path: str) -> list[Issue]:
        if value is None and not any(k.required for k in self.keys.values()):
            return []
        if not isinstance(value, dict):
            return [self.wrong(value, path)]
        issues = []
        for key, val in value.items():
            spec = self.keys.get(key) if isinstance(key, str) else None
            if spec is None:
                issues.append(Issue(_join(path, key), self.unknown(key), kind="unknown"))
            elif not (val is None and spec.nullable):
                issues += spec.type.check(val, _join(path, key))
        for key, spec in self.keys.items():
            if spec.required and key not in value:
                issues.append(Issue(_join(path, key), Said(ref("bank_missing_key", record=named(self.name),
                                                                field=repr(key)))))
        return issues

    def unknown(self, key) -> Said:
        said = {"field": repr(key), "record": named(self.name)}
        if str(key) in self.others:
            return Said(ref("bank_unknown_key_elsewhere", owners=self.others[str(key)], **said))
        known = list(self.keys)
        lowered = {k.lower(): k for k in known}
        near = difflib.get_close_matches(str(key).lower(), list(lowered), n=1, cutoff=0.6)
        if near:
            return Said(ref("bank_unknown_key_near", near=repr(lowered[near[0]]), **said))
        return Said(ref("bank_unknown_key", known=Joined(tuple(known), "comma"), **said))

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

    def describe(self) -> dict:
        said = self.options[0].describe()
        for option in self.options[1:]:
            said = ref("bank_t_or", first=said, second=option.describe())
        return said

    def check(self, value, path: str) -> list[Issue]:
        for option, kind in zip(self.options, self.kinds):
            if isinstance(value, kind) and not (isinstance(value, bool) and bool not in kind):
                return option.check(value, path)
        return [self.wrong(value, path)]

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

    def describe(self) -> dict:
        return ref("bank_t_tagged", tag=self.tag, types=" | ".join(self.records))

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
        return Said(ref("bank_owners", types=listed(t for t, own in keys.items() if key in own)))

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
            issues.append(Issue(name, Said(ref("bank_solution_name_near", name=repr(name), near=repr(near[0]))),
                                kind="unknown"))
        elif isinstance(value, (dict, list)):
            issues.append(Issue(name, Said(ref("bank_solution_table_unread", name=repr(name), bare=name,
                                               tables=", ".join(SOLUTION_TABLES))), WARNING, "unknown"))
    return issues


def _solution_table(name: str, table, parts: dict[str, str | None]) -> list[Issue]:
    """One table (ANSWERS, CODE_TESTS, ...): part ids of the question, entries of their form."""
    from grader.checks import loose
    if not isinstance(table, dict):
        return [Issue(name, Said(ref("bank_solution_not_mapping", got=_got(table))))]
    issues = []
    for pid, value in table.items():
        path = f"{name}[{pid!r}]"
        if pid not in parts:
            near = difflib.get_close_matches(str(pid), list(parts), n=1)
            said = ref("bank_solution_no_part_near", pid=repr(pid), near=repr(near[0])) if near else \
                ref("bank_solution_no_part", pid=repr(pid), parts=Joined(tuple(parts), "comma"))
            issues.append(Issue(path, Said(said), kind="unknown"))
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
            letter, name = _ESCAPES.get(ch, ("", ref("bank_char_control")))
            where = ref("bank_char_at", name=name, code=f"{ord(ch):04X}", pos=n)
            if letter and after:
                lost = "\\" + letter + after
                return [Issue(path, Said(ref("bank_char_lost", where=where, lost=lost, name=name, after=repr(after))),
                              kind="text")]
            lone = lone or [Issue(path, Said(ref("bank_char_remove", where=where)), WARNING, "text")]
    if lone:
        return lone
    match = _N_COMMANDS.search(s)
    if match:
        lost = "\\n" + match.group(1)
        return [Issue(path, Said(ref("bank_line_break", word=repr(match.group(1)), lost=lost)), WARNING, "text")]
    return []


# -- JSON Schema -------------------------------------------------------------------------------

KINDS = {"question": QUESTION, "quiz": QUIZ}


def json_schema(kind: str) -> dict:
    """The JSON Schema (draft 2020-12) of a question or quiz file."""
    record = KINDS[kind]
    return {"$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": f"https://nngrade.invalid/schemas/{kind}.schema.json",
            "title": f"nngrade {kind} file", **record.json()}
