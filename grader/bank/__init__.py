"""Loading the question bank: ``questions/**.yaml`` (public) with ``solutions/*.py`` (private).

Loading validates everything and reports every problem, with its file and
key, before stopping (one :class:`BankError` listing them all).
"""
from __future__ import annotations

import importlib.util
import os
import string
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from grader.bank import schema
from grader.checks import TYPES, loose
from grader.errors import BankError, UnknownPart
from grader.formula.symbols import DOMAINS, SAMPLING, FunctionSpec, SymbolSpec, SymbolTable
from grader.messages import ref
from grader.model import Part, Question, Reference
from grader.said import Joined, Said

Problem = tuple[str, str, str]       # (file, key, message); the message is a Said when the catalog has its words
OPTION_IDS = string.ascii_uppercase


COURSE_ENV = ("NNGRADE_COURSE", "NNGRADE_BANK")     # the course folder; NNGRADE_BANK is its older name


def default_root() -> Path:
    """The course folder (questions/, solutions/, quizzes/, templates/): $NNGRADE_COURSE (or its older
    name $NNGRADE_BANK), else the working folder. Never a folder found relative to the package: the
    course shipped beside it in the checkout is an example like any other."""
    for name in COURSE_ENV:
        if os.environ.get(name):
            return Path(os.environ[name])
    return Path.cwd()


@dataclass
class Bank:
    root: Path
    questions: dict[str, Question]
    warnings: list[Problem] = field(default_factory=list)   # (file, key, message); fatal under --strict

    def question(self, qid: str) -> Question:
        if qid not in self.questions:
            raise UnknownPart(f"no question {qid!r} in the bank at {self.root}")
        return self.questions[qid]

    def part(self, address: str) -> Part:
        """The part ``question-id/part-id``."""
        qid, sep, pid = address.partition("/")
        if not sep or not pid:
            raise UnknownPart(f"{address!r} is not of the form question-id/part-id")
        question = self.question(qid)
        part = question.part(pid)
        if part is None:
            known = ", ".join(p.id for p in question.parts)
            raise UnknownPart(f"question {qid!r} has no part {pid!r} (its parts: {known})")
        return part

    def parts(self) -> list[Part]:
        return [p for q in self.questions.values() for p in q.parts]


@lru_cache(maxsize=8)
def load_bank(root: Path | str | None = None) -> Bank:
    """Read and validate the whole bank; raise :class:`BankError` listing every problem.

    Every file is checked against the authoring format (:mod:`grader.bank.schema`): unknown keys
    (with a "did you mean"), wrong types and lost backslashes are errors; what may be meant
    is kept in ``Bank.warnings``."""
    root = Path(root) if root else default_root()
    problems: list[Problem] = []
    warnings: list[Problem] = []
    questions: dict[str, Question] = {}
    qdir = root / "questions"
    if not qdir.is_dir():
        raise BankError([(str(qdir), "", Said(ref("bank_no_questions")))])
    for path in sorted(qdir.rglob("*.yaml")):
        try:
            question = _load_question(path, root, problems, warnings)
        except Exception as exc:  # a shape of YAML no rule above foresaw: still one clear problem
            problems.append((str(path.relative_to(root)), "", _cannot_load(exc)))
            continue
        if question is None:
            continue
        if question.id in questions:
            problems.append((str(path), "id", Said(ref("bank_duplicate_id", qid=repr(question.id),
                                                       other=str(questions[question.id].path)))))
            continue
        questions[question.id] = question
    from grader.bank.validate import validate_question
    for question in questions.values():
        problems.extend(validate_question(question))
    if problems:
        raise BankError(problems)
    return Bank(root, questions, warnings)


def _load_question(path: Path, root: Path, problems: list[Problem], warnings: list[Problem]) -> Question | None:
    rel = str(path.relative_to(root))
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        problems.append((rel, "", Said(ref("bank_yaml", error=str(exc)))))
        return None
    if not isinstance(data, dict):
        problems.append((rel, "", Said(ref("bank_not_mapping"))))
        return None
    issues = schema.check_question(data)
    mine: list[Problem] = []
    try:
        question = _build_question(data, path, rel, root, mine, warnings)
    except Exception as exc:  # a shape of YAML no rule foresaw: still one clear problem, with the others
        mine.append((rel, "", _cannot_load(exc)))
        question = None
    errors = _merge(rel, issues, mine, warnings)
    problems.extend(errors)
    return None if errors else question


def _merge(rel: str, issues: list[schema.Issue], loader: list[Problem], warnings: list[Problem]) -> list[Problem]:
    """The loader's problems, then the format's (a wrong type the loader already named is said once)."""
    said = [key for (file, key, _m) in loader if file == rel and key]

    def repeated(issue: schema.Issue) -> bool:
        return issue.kind == "type" and any(issue.key == k or issue.key.startswith((k + ".", k + "["))
                                            or k.startswith((issue.key + ".", issue.key + "[")) for k in said)
    warnings += [(rel, i.key, i.message) for i in issues if i.level == schema.WARNING]
    return loader + [(rel, i.key, i.message) for i in issues if i.level == schema.ERROR and not repeated(i)]


def _build_question(data: dict, path: Path, rel: str, root: Path, problems: list[Problem],
                    warnings: list[Problem]) -> Question | None:
    n_before = len(problems)
    qid = _require(data, "id", str, rel, problems)
    if qid and qid != path.stem:
        problems.append((rel, "id", Said(ref("bank_id_file", stem=repr(path.stem), got=repr(qid)))))
    topic = path.parent.name
    title = _bilingual(data.get("title"), rel, "title", problems)
    prompt = _bilingual(data["prompt"], rel, "prompt", problems) if "prompt" in data else {"en": "", "zh": ""}
    table_data = (data.get("symbols") or {}, data.get("functions") or {})
    sol_path = root / "solutions" / f"{(qid or path.stem).replace('-', '_')}.py"
    solution = _load_solution(sol_path, root, problems)
    parts = []
    for i, pdata in enumerate(data.get("parts") or []):
        part = _load_part(pdata, i, qid or "?", table_data, rel, problems)
        if part is not None:
            part.reference = _reference(solution, part)
            part.bank_root = str(root.resolve())
            parts.append(part)
    if not parts:
        problems.append((rel, "parts", Said(ref("bank_no_parts"))))
    if solution is not None:
        declared = [p for p in data.get("parts") or [] if isinstance(p, dict) and isinstance(p.get("id"), str)]
        problems.extend(_solution_problems(solution, str(sol_path.relative_to(root)), declared, warnings))
    if len(problems) > n_before:
        return None
    return Question(qid, topic, title, prompt, parts, rel, str(sol_path.relative_to(root)),
                    getattr(solution, "generate", None))


def _load_part(pdata, index: int, qid: str, table_data, rel: str, problems: list[Problem]) -> Part | None:
    where = f"parts[{index}]"
    if not isinstance(pdata, dict):
        problems.append((rel, where, Said(ref("bank_part_not_mapping"))))
        return None
    pid = _require(pdata, "id", str, rel, problems, where)
    where = f"parts[{pid or index}]"
    ptype = _require(pdata, "type", str, rel, problems, where)
    if ptype and ptype not in TYPES:
        problems.append((rel, f"{where}.type", Said(ref("bank_part_type", types=Joined(tuple(TYPES), "comma"),
                                                         got=repr(ptype)))))
        return None
    points = pdata.get("points", 1)
    if not isinstance(points, (int, float)) or points <= 0:
        problems.append((rel, f"{where}.points", Said(ref("bank_points", got=repr(points)))))
        return None
    prompt = _bilingual(pdata.get("prompt"), rel, f"{where}.prompt", problems)
    kind = loose(ptype)
    own_functions = kind.table_functions(pdata)          # code parts list student functions, not formula ones
    symbols, functions = {**table_data[0], **(pdata.get("symbols") or {})}, {**table_data[1], **own_functions}
    if not isinstance(symbols, dict) or not isinstance(functions, dict):
        problems.append((rel, where, Said(ref("bank_tables"))))
        return None
    table = _table(symbols, functions, rel, where, problems)
    if pid is None or ptype is None or table is None:
        return None
    return Part(qid, pid, ptype, float(points), prompt, kind.spec(pdata), table)


def _table(symbols: dict, functions: dict, rel: str, where: str, problems: list[Problem]) -> SymbolTable | None:
    specs, fspecs, ok = [], [], True
    for name, s in symbols.items():
        s = s or {}
        key = f"{where}.symbols.{name}"
        shape = tuple(s.get("shape", (1, 1)))
        domain = s.get("domain", "real")
        if isinstance(domain, str):
            if domain not in DOMAINS:
                problems.append((rel, key, Said(ref("bank_domain_name", domains=str(sorted(DOMAINS)),
                                                    got=repr(domain)))))
                ok = False
                continue
            bounds = DOMAINS[domain]
        elif isinstance(domain, list) and len(domain) == 2 and domain[0] < domain[1]:
            bounds = (float(domain[0]), float(domain[1]))
        else:
            problems.append((rel, key, Said(ref("bank_domain_bounds", got=repr(domain)))))
            ok = False
            continue
        if len(shape) != 2 or not all(isinstance(d, int) and d > 0 for d in shape):
            problems.append((rel, key, Said(ref("bank_shape", got=repr(list(shape))))))
            ok = False
            continue
        specs.append(SymbolSpec(str(name), shape, bounds, bool(s.get("integer")), s.get("latex"),
                                tuple(s.get("aliases", ())), SAMPLING.get(domain, "uniform") if isinstance(domain, str)
                                else "uniform", s.get("definition")))
    for name, f in functions.items():
        f = f or {}
        fspecs.append(FunctionSpec(str(name), f.get("latex"), tuple(f.get("aliases", ()))))
    table = SymbolTable.build(specs, fspecs) if ok else None
    if table is not None:
        from grader.formula.evaluate import definition_problem  # a definition that cannot be computed
        fault = definition_problem(table)
        if fault:
            problems.append((rel, f"{where}.symbols", fault))
            return None
    return table


def _load_solution(path: Path, root: Path, problems: list[Problem]):
    rel = str(path.relative_to(root))
    if not path.is_file():
        problems.append((rel, "", Said(ref("bank_no_solution"))))
        return None
    spec = importlib.util.spec_from_file_location(f"nngrade_solutions.{path.stem}", path)
    if spec is None or spec.loader is None:            # no loader for the file: not a Python source
        problems.append((rel, "", Said(ref("bank_import_no_loader"))))
        return None
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    except Exception as exc:  # an author's bug: report it with the others
        problems.append((rel, "", Said(ref("bank_import", error=f"{type(exc).__name__}: {exc}"))))
        return None
    return module


def _solution_problems(solution, rel: str, parts: list[dict], warnings: list[Problem]) -> list[Problem]:
    """The solution module against the format: its names, its tables' part ids and entries.

    ``parts`` are the question file's part mappings (also those that failed to load)."""
    code_functions = {name for p in parts for name in loose(p.get("type")).reference_function_names(p)}
    issues = schema.check_solution(solution, {p["id"]: p.get("type") for p in parts}, code_functions)
    warnings += [(rel, i.key, i.message) for i in issues if i.level == schema.WARNING]
    return [(rel, i.key, i.message) for i in issues if i.level == schema.ERROR]


def _cannot_load(exc: Exception) -> Said:
    return Said(ref("bank_cannot_load", error=f"{type(exc).__name__}: {exc}"))


def _reference(solution, part: Part) -> Reference:
    if solution is None:
        return Reference()
    part_id = part.id

    def get(name, default):
        return (getattr(solution, name, None) or {}).get(part_id, default)

    functions = {name: getattr(solution, name) for name in loose(part.type).reference_function_names(part.spec)
                 if callable(getattr(solution, name, None))}
    return Reference(get("ANSWERS", None), list(get("MISCONCEPTIONS", [])), dict(get("OPTION_FEEDBACK", {})),
                     list(get("RUBRICS", [])), dict(get("SELF_TESTS", {})), functions, list(get("CODE_TESTS", [])))


def _require(data: dict, key: str, kind, rel: str, problems: list[Problem], where: str = ""):
    value = data.get(key)
    if not isinstance(value, kind) or value == "":
        full = f"{where}.{key}" if where else key
        named = ref("quiz_type_str") if kind is str else kind.__name__       # "expected a str" (a string)
        problems.append((rel, full, Said(ref("bank_require", kind=named, got=repr(value)))))
        return None
    return value


def _bilingual(value, rel: str, key: str, problems: list[Problem]) -> dict[str, str]:
    if isinstance(value, dict) and all(isinstance(value.get(lang), str) and value.get(lang) for lang in ("en", "zh")):
        return {"en": value["en"], "zh": value["zh"]}
    problems.append((rel, key, Said(ref("bank_bilingual", got=repr(value)))))
    return {"en": "", "zh": ""}
