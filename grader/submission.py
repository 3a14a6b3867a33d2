"""Reading one student's folder: answers.yaml and solution.py, whatever state they are in.

Nothing here raises for a bad submission: every problem becomes a message
naming the file and what was expected, and grading goes on with what could be read.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import yaml

SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)   # libyaml when present: ten times faster

ANSWERS = "answers.yaml"
SOURCE = "solution.py"
MAX_BYTES = 1 << 20          # larger files are not read


@dataclass
class Submission:
    student: str
    folder: str
    answers: dict = field(default_factory=dict)     # {question: {part: answer}}
    source: str | None = None                        # solution.py text
    problems: list[dict] = field(default_factory=list)   # {"file", "message", "severity"}
    answers_digest: str = ""
    source_digest: str = ""

    def problem(self, file: str, message: str, severity: str = "error") -> None:
        self.problems.append({"file": file, "message": message, "severity": severity})


def raw_digest(folder: Path) -> str:
    """A cheap fingerprint of a folder's files (names, sizes, contents), read without parsing."""
    h = hashlib.sha256()
    if folder.is_dir():
        for path in sorted(folder.iterdir()):
            h.update(path.name.encode() + b"\0")
            if path.name in (ANSWERS, SOURCE) and path.is_file() and path.stat().st_size <= MAX_BYTES:
                h.update(path.read_bytes())
    return h.hexdigest()


def load_submission(folder: Path) -> Submission:
    """The student's answers and code, with a list of what was wrong with the files."""
    sub = Submission(folder.name, str(folder))
    files = sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []
    if not files:
        sub.problem("", "the submission folder is empty: expected answers.yaml (and solution.py for code parts)")
        return sub
    sub.answers = _read_answers(folder / ANSWERS, sub)
    sub.source = _read_text(folder / SOURCE, sub, required=False)
    sub.source_digest = hashlib.sha256((sub.source or "").encode()).hexdigest()
    stray = [f for f in files if f not in (ANSWERS, SOURCE) and not f.startswith(".")]
    if stray:
        sub.problem("", f"ignored files that are not part of a submission: {', '.join(stray[:10])}", "note")
    return sub


def _read_text(path: Path, sub: Submission, required: bool) -> str | None:
    if not path.exists():
        if required:
            sub.problem(path.name, f"missing: expected {path.name}")
        return None
    if not path.is_file():
        sub.problem(path.name, f"{path.name} is not a regular file")
        return None
    if path.stat().st_size > MAX_BYTES:
        sub.problem(path.name, f"{path.name} is larger than {MAX_BYTES // 1024} KiB and was not read")
        return None
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        sub.problem(path.name, f"{path.name} is not UTF-8 text (byte {exc.start}): save it as UTF-8")
        return None


def _read_answers(path: Path, sub: Submission) -> dict:
    text = _read_text(path, sub, required=True)
    if text is None:
        return {}
    sub.answers_digest = hashlib.sha256(text.encode()).hexdigest()
    try:
        data = yaml.load(text, Loader=SafeLoader)
    except yaml.YAMLError as exc:
        where = getattr(exc, "problem_mark", None)
        at = f" at line {where.line + 1}, column {where.column + 1}" if where else ""
        sub.problem(ANSWERS, f"YAML syntax error{at}: {getattr(exc, 'problem', exc)}; no answer could be read")
        return {}
    if data is None:
        sub.problem(ANSWERS, "answers.yaml is empty")
        return {}
    if not isinstance(data, dict):
        sub.problem(ANSWERS, f"expected a mapping {{question-id: {{part-id: answer}}}}, got a {type(data).__name__}")
        return {}
    answers = {}
    for qid, parts in data.items():
        if not isinstance(parts, dict):
            sub.problem(ANSWERS, f"{qid}: expected a mapping {{part-id: answer}}, got a {type(parts).__name__}")
            continue
        answers[str(qid)] = {str(pid): _plain(value) for pid, value in parts.items()}
    return answers


def _plain(value):
    """YAML scalars as the checkers expect them (numbers stay numbers, dates become text)."""
    if isinstance(value, (str, int, float, bool, list)) or value is None:
        return value
    return str(value)
