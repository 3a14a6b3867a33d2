"""Reading one student's folder: answers.yaml and solution.py, whatever state they are in.

Nothing here raises for a bad submission: every problem becomes a message
naming the file and what was expected, and grading goes on with what could be read.

Files are read through :mod:`grader.submission.safeio` (never through a link, only regular
files directly inside a real folder, bounded in size) and answers.yaml through
:mod:`grader.safeyaml` (bounded depth, alias expansion and number length).

Student ids and page folders. A student's id is their folder's name. Its feedback
page is ``<out>/<id>/feedback.html`` when the id is a *safe page name* (letters,
digits, ``.``, ``_``, ``-``; starting with a letter or digit; at most 64
characters; not a name the run writes or could write, such as ``index.html``,
``results.json``, ``gradebook.sqlite-wal`` or ``x.tmp``). Any other id (control
characters, ``:``, markup, a folder name that is not UTF-8, a reserved name) gets
``<out>/_<slug>-<hash>/feedback.html``: stable (a hash of the id), unique, and
beginning with ``_``, which no student folder can (folders starting with ``_`` or
``.`` are not students) and no output of the run does. results.json records each
student's page as ``page``.
"""
from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from grader import safeyaml
from grader.messages import problem
from grader.submission.safeio import Unreadable, list_folder, member_digest, open_folder, read_member

ANSWERS = "answers.yaml"
SOURCE = "solution.py"
MAX_BYTES = 1 << 20          # solution.py: larger files are not read
MAX_ANSWERS_BYTES = 256 << 10

_SAFE_PAGE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
_RESERVED_STEMS = ("index.", "results.", "grades.", "gradebook.", "feedback.", "junit.", "classroom.", "errors.")
_RESERVED_ENDS = (".html", ".htm", ".json", ".csv", ".sqlite", ".sqlite3", ".db", ".xml", ".tmp", ".zip", ".b64",
                  ".md", ".txt", ".js", ".css", ".svg", ".png", "-wal", "-shm", "-journal")
_RESERVED_NAMES = ("assets", "static", "_assets", "report", "nngrade")


@dataclass
class Submission:
    student: str
    folder: str
    answers: dict = field(default_factory=dict)     # {question: {part: answer}}
    source: str | None = None                        # solution.py text
    problems: list[dict] = field(default_factory=list)   # {"file", "message", "severity", "key", "params"}
    answers_digest: str = ""
    source_digest: str = ""
    lang: str = "en"

    def problem(self, file: str, message: str, severity: str = "error") -> None:
        self.problems.append({"file": file, "message": message, "severity": severity})

    def note(self, where: str, key: str, severity: str = "error", **params) -> None:
        """A problem about file ``where`` from the message catalogue: rendered in the run's language, and
        stored with its key and parameters so that a page in another language can render it again."""
        self.problems.append(problem(where, key, self.lang, severity, **params))


# -- which folders are students, under which ids and page names ---------------------------------

@dataclass(frozen=True)
class Entry:
    """One student folder of a class: its id, its path, and where its page goes."""

    student: str
    path: Path
    page: str
    bad_name: bool = False          # the folder name is not valid UTF-8 (the id is a readable stand-in)


def student_id(name: str) -> tuple[str, bool]:
    """The id of a folder name as ``os.listdir`` gives it: itself, or a readable stand-in if not UTF-8."""
    try:
        name.encode("utf-8")
        return name, False
    except UnicodeEncodeError:
        raw = name.encode("utf-8", "surrogateescape")
        return raw.decode("utf-8", "backslashreplace"), True


def page_name(student: str) -> str:
    """The folder of a student's feedback page: the id when it is safe as a folder and URL part, else a stand-in."""
    low = student.lower()
    if (_SAFE_PAGE.fullmatch(student) and not low.startswith(_RESERVED_STEMS) and not low.endswith(_RESERVED_ENDS)
            and low not in _RESERVED_NAMES and ".." not in student):
        return student
    slug = re.sub(r"[^a-z0-9]+", "-", low).strip("-")[:24].strip("-")
    digest = hashlib.sha256(student.encode("utf-8", "surrogatepass")).hexdigest()[:12]
    return f"_{slug}-{digest}" if slug else f"_{digest}"


def discover(root: Path) -> list[Entry]:
    """The student folders of ``root`` (real folders and links to folders; names starting ``.`` or ``_`` skipped).

    A link to a folder is listed, so that its student gets a problem note instead of
    silently vanishing; it is never read. Ids are unique: a stand-in id for a name that
    is not UTF-8 that equals another id gets ``~2``, ``~3``...
    """
    names = []
    for name in os.listdir(root):
        if name.startswith((".", "_")):
            continue
        path = root / name
        try:
            if not (path.is_dir() or (path.is_symlink() and path.exists())):
                continue
        except OSError:
            continue
        names.append(name)
    entries, taken = [], set()
    good = sorted(n for n in names if not student_id(n)[1])
    bad = sorted((n for n in names if student_id(n)[1]), key=lambda n: n.encode("utf-8", "surrogateescape"))
    taken.update(good)
    for name in good + bad:
        sid, is_bad = student_id(name)
        if is_bad:
            base, k = sid, 2
            while sid in taken:
                sid, k = f"{base}~{k}", k + 1
            taken.add(sid)
        entries.append(Entry(sid, root / name, page_name(sid), is_bad))
    return sorted(entries, key=lambda e: e.student)


# -- reading a folder -------------------------------------------------------------------------

def raw_digest(folder: Path) -> str:
    """A cheap fingerprint of a folder's files (names, kinds, contents), read without parsing or following links."""
    h = hashlib.sha256()
    try:
        fd = open_folder(folder)
    except Unreadable as exc:
        return hashlib.sha256(f"unreadable:{exc.key}".encode()).hexdigest()
    try:
        for name in list_folder(fd):
            h.update(name.encode("utf-8", "surrogateescape") + b"\0")
            if name in (ANSWERS, SOURCE):
                member_digest(fd, name, MAX_BYTES, h)
    finally:
        os.close(fd)
    return h.hexdigest()


def load_submission(folder: Path, student: str | None = None, lang: str = "en") -> Submission:
    """The student's answers and code, with a list of what was wrong with the files."""
    sub = Submission(student if student is not None else student_id(folder.name)[0], str(folder), lang=lang)
    try:
        fd = open_folder(folder)
    except Unreadable as exc:
        sub.note("", exc.key, **exc.params)
        return sub
    try:
        files = list_folder(fd)
        if not files:
            sub.note("", "sub_empty")
            return sub
        answers = _read_text(fd, ANSWERS, MAX_ANSWERS_BYTES, sub, required=True)
        sub.answers = _parse_answers(answers, sub) if answers is not None else {}
        sub.source = _read_text(fd, SOURCE, MAX_BYTES, sub, required=False)
    finally:
        os.close(fd)
    sub.source_digest = hashlib.sha256((sub.source or "").encode("utf-8", "surrogatepass")).hexdigest()
    stray = [f for f in files if f not in (ANSWERS, SOURCE) and not f.startswith(".")]
    if stray:
        shown = ", ".join(student_id(f)[0] for f in stray[:10])
        sub.note("", "sub_stray", "note", names=shown)
    return sub


def _read_text(fd: int, name: str, limit: int, sub: Submission, required: bool) -> str | None:
    try:
        raw = read_member(fd, name, limit)
    except Unreadable as exc:
        sub.note(name, exc.key, **exc.params)
        return None
    if raw is None:
        if required:
            sub.note(name, "sub_missing", file=name)
        return None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        sub.note(name, "sub_not_utf8", file=name, pos=exc.start)
        return None


def _parse_answers(text_: str, sub: Submission) -> dict:
    sub.answers_digest = hashlib.sha256(text_.encode("utf-8", "surrogatepass")).hexdigest()
    try:
        data, kept = safeyaml.load(text_)
    except safeyaml.YamlLimit as exc:
        sub.note(ANSWERS, exc.key, **exc.params)
        return {}
    except yaml_error() as exc:
        where = getattr(exc, "problem_mark", None)
        problem_ = str(getattr(exc, "problem", None) or exc)
        if where:
            sub.note(ANSWERS, "yaml_syntax_at", line=where.line + 1, column=where.column + 1, problem=problem_)
        else:
            sub.note(ANSWERS, "yaml_syntax", problem=problem_)
        return {}
    except (ValueError, TypeError, OverflowError, RecursionError, MemoryError) as exc:
        sub.note(ANSWERS, "yaml_unreadable", error=f"{type(exc).__name__}: {str(exc)[:200]}")
        return {}
    if kept:
        sub.note(ANSWERS, "yaml_number_text", "warning", values=", ".join(kept[:5]))
    if data is None:
        sub.note(ANSWERS, "yaml_empty")
        return {}
    if not isinstance(data, dict):
        sub.note(ANSWERS, "yaml_not_mapping", got=type(data).__name__)
        return {}
    answers = {}
    for qid, parts in data.items():
        if not isinstance(parts, dict):
            sub.note(ANSWERS, "yaml_part_not_mapping", question=_short(qid), got=type(parts).__name__)
            continue
        answers[_short(qid)] = {_short(pid): _plain(value) for pid, value in parts.items()}
    return answers


def yaml_error():
    import yaml
    return yaml.YAMLError


def _short(key) -> str:
    return str(key)[:200]


def _plain(value):
    """YAML scalars as the checkers expect them (numbers stay numbers, dates become text)."""
    if isinstance(value, (str, int, float, bool, list)) or value is None:
        return value
    return str(value)
