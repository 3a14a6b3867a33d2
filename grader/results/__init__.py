"""The results model: what grading produces once and every output reads.

    PartResult ⊂ QuestionResult ⊂ StudentResult ⊂ ClassResults   (+ Problem, Override, GraderError)

``to_json()`` / ``from_json()`` are lossless (``from_json(to_json(x)) == x``) and are the only
places that read or write these objects by string key. What a ``to_json()`` holds is the contract
of ``grader/schemas/results.schema.json`` (fields beyond it may be added: ``params``,
``details.curves`` and ``seconds`` are; :meth:`ClassResults.public` drops them for results.json).
A part's ``details`` stay a dict: each answer type writes its own (``tests``, ``caret``,
``misconception``...); the properties below are the one place that reads the keys outputs need.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from grader.messages import localized, text
from grader.outcome import VERDICTS

GRADER_FAULT = "grader"          # a problem's ``kind`` when the grader, not the submission, failed
PRIVATE_DETAILS = ("curves",)    # plot data: on the feedback page, not in results.json


def _drop_none(data: dict) -> dict:
    return {k: v for k, v in data.items() if v is not None}


@dataclass(frozen=True)
class Override:
    """A score the instructor set by hand (``nngrade gradebook override``, the review queue of ``serve``).

    ``answer`` is the digest of the answer it judged (the part's ``details["answer_sha"]`` then): it applies
    while the part's answer is that one (a regrade of the same answer keeps it), never to another answer
    of a later attempt, which the instructor has not seen (see :meth:`PartResult.applies`). None: an
    override made before answers had digests, applied as it always was."""

    score: float
    comment: str | None = None
    answer: str | None = None

    def to_json(self) -> dict:
        data = {"score": self.score, "comment": self.comment}
        if self.answer is not None:
            data["answer"] = self.answer
        return data

    @classmethod
    def from_json(cls, data: dict) -> Override:
        answer = data.get("answer")
        return cls(float(data["score"]), data.get("comment"), answer if isinstance(answer, str) else None)


def answer_digest(answer) -> str:
    """A short digest of a student's answer as submitted (text, list, matrix, or solution.py's source)."""
    blob = json.dumps(answer, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(blob.encode("utf-8", "surrogatepass")).hexdigest()[:24]


@dataclass(frozen=True)
class CodeTest:
    """One test of a code part, as the outputs read it (the full record stays in ``details["tests"]``)."""

    name: str
    visible: bool
    passed: bool
    points: float
    max_points: float

    @classmethod
    def from_json(cls, data: dict) -> CodeTest:
        return cls(str(data.get("name", "")), bool(data.get("visible", True)), bool(data.get("passed")),
                   float(data.get("points") or 0.0), float(data.get("max_points") or 0.0))


@dataclass
class PartResult:
    """One part's verdict for one student; ``feedback`` is plain text, one line per sentence."""

    part: str
    verdict: str
    score: float
    max_score: float
    feedback: str = ""
    interpreted: str | None = None
    details: dict[str, Any] = field(default_factory=dict)
    auto_score: float | None = None          # the grader's score, kept when an override replaced it
    override: Override | None = None

    def __post_init__(self) -> None:
        if self.verdict not in VERDICTS:
            raise ValueError(f"verdict {self.verdict!r} is not one of {', '.join(VERDICTS)}")

    @classmethod
    def from_check(cls, result, details: dict | None = None) -> PartResult:
        """From a checker's :class:`grader.outcome.Result` (``details`` already made JSON-safe by the caller)."""
        return cls(result.part, result.verdict, round(result.score, 6), result.max_score, "\n".join(result.feedback),
                   result.interpreted, dict(result.details if details is None else details))

    # -- what outputs read from ``details`` ----------------------------------------------------
    @property
    def is_grader_fault(self) -> bool:
        """Verdict ``error``: the grader failed on this part; never the student's mistake."""
        return self.verdict == "error"

    @property
    def cause(self) -> str:
        """Why the grader failed on this part: the exception or reason it recorded, else its first feedback line."""
        for key in ("cause", "exception"):
            if self.details.get(key):
                return str(self.details[key])
        reason = self.details.get("error")
        first = self.feedback.splitlines()
        return (f"{reason}: " if reason else "") + (first[0] if first else "no reason recorded")

    @property
    def first_line(self) -> str:
        return self.feedback.splitlines()[0] if self.feedback else ""

    @property
    def fraction(self) -> float:
        return self.score / self.max_score if self.max_score else 0.0

    @property
    def mistake(self) -> str | None:
        """The named mistake the class page counts: a misconception, a diagnosis, or a shape error."""
        d = self.details
        return d.get("misconception") or d.get("diagnosis") or ("shape" if d.get("error") == "shape" else None)

    @property
    def needs_review(self) -> bool:
        """A provisional score an instructor has not reviewed (overridden) yet."""
        return bool(self.details.get("needs_review")) and self.override is None

    @property
    def tampered(self) -> list[str]:
        return [str(w) for w in self.details.get("tampered") or []]

    @property
    def code_tests(self) -> list[CodeTest]:
        """A code part's tests."""
        return [CodeTest.from_json(t) for t in self.details.get("tests") or []]

    def applies(self, override: Override) -> bool:
        """The override judged this answer (or one of the two predates answer digests: nothing to compare)."""
        graded = self.details.get("answer_sha")
        return override.answer is None or graded is None or override.answer == graded

    def with_override(self, override: Override) -> PartResult:
        """The part with ``override``'s score, or, when it judged another answer than this one, the part as
        graded and marked for review again (``details["stale_override"]``: what the instructor gave before)."""
        if not self.applies(override):
            return dataclasses.replace(self, details={**self.details, "needs_review": True,
                                                      "stale_override": override.to_json()})
        return dataclasses.replace(self, auto_score=self.score, score=min(float(override.score), self.max_score),
                                   override=override)

    # -- JSON ----------------------------------------------------------------------------------
    def to_json(self) -> dict:
        data = {"part": self.part, "verdict": self.verdict, "score": self.score, "max_score": self.max_score,
                "feedback": self.feedback, "interpreted": self.interpreted}
        if self.auto_score is not None:
            data["auto_score"] = self.auto_score
        if self.override is not None:
            data["override"] = self.override.to_json()
        data["details"] = self.details
        return data

    @classmethod
    def from_json(cls, data: dict) -> PartResult:
        override = data.get("override")
        return cls(data["part"], data["verdict"], data["score"], data["max_score"], data.get("feedback") or "",
                   data.get("interpreted"), dict(data.get("details") or {}), data.get("auto_score"),
                   Override.from_json(override) if override else None)

    def public(self) -> PartResult:
        return dataclasses.replace(self, details={k: v for k, v in self.details.items() if k not in PRIVATE_DETAILS})


@dataclass
class QuestionResult:
    """One question's assigned parts for one student, with the numbers of the student's variant."""

    question: str
    parts: list[PartResult]
    params: dict[str, Any] | None = None     # JSON-safe; not in results.json

    def to_json(self) -> dict:
        return _drop_none({"question": self.question, "parts": [p.to_json() for p in self.parts],
                           "params": self.params})

    @classmethod
    def from_json(cls, data: dict) -> QuestionResult:
        return cls(data["question"], [PartResult.from_json(p) for p in data["parts"]], data.get("params"))

    def public(self) -> QuestionResult:
        return QuestionResult(self.question, [p.public() for p in self.parts])


@dataclass(frozen=True)
class Problem:
    """Something wrong with a submission's files (or, with ``kind`` "grader", a grader fault)."""

    file: str
    message: str
    severity: str | None = None      # "error" | "warning" | "note"
    kind: str | None = None          # "grader": the grader, not the submission, failed
    cause: str | None = None         # with kind "grader": what failed
    key: str | None = None           # the message's catalog key and parameters (grader/messages.py), so a
    params: dict[str, Any] | None = None     # page in another language can say it again

    @classmethod
    def grader_fault(cls, cause: str, message: str | None = None, key: str | None = None,
                     params: dict | None = None) -> Problem:
        """The note of a submission the grader could not grade at all (stored with the student)."""
        if message is None:                 # pages say it again in their language from the key
            key, params = "grader_failed_note", {"cause": cause}
            message = text(key, "en", **params)
        return cls("", message, "error", GRADER_FAULT, cause, key, params)

    @property
    def is_grader_fault(self) -> bool:
        return self.kind == GRADER_FAULT

    def message_in(self, lang: str) -> str:
        """The message in ``lang``, from its catalog key and parameters when it has them, else as stored."""
        return localized(self.to_json(), lang)["message"]

    def to_json(self) -> dict:
        return _drop_none({"file": self.file, "severity": self.severity, "kind": self.kind, "cause": self.cause,
                           "message": self.message, "key": self.key, "params": self.params})

    @classmethod
    def from_json(cls, data: dict) -> Problem:
        return cls(data.get("file") or "", data["message"], data.get("severity"), data.get("kind"), data.get("cause"),
                   data.get("key"), data.get("params"))


@dataclass(frozen=True)
class GraderError:
    """One grader fault of a run: a part in verdict ``error``, or (``part`` "*") a whole submission."""

    student: str
    part: str
    cause: str

    def to_json(self) -> dict:
        return {"student": self.student, "part": self.part, "cause": self.cause}


@dataclass(frozen=True)
class Tampering:
    """A reply only altered grading code could give (already a failed test); for the instructor."""

    student: str
    part: str
    what: str


@dataclass
class StudentResult:
    """A student's results: every assigned question, overrides applied, and the submission's problems."""

    student: str
    score: float
    max_score: float
    questions: list[QuestionResult]
    problems: list[Problem] = field(default_factory=list)
    page: str | None = None          # the feedback page, relative to the report folder (class runs)
    seconds: float | None = None     # how long grading took (single submissions; JUnit shows it)

    @classmethod
    def build(cls, student: str, questions: list[QuestionResult], problems: list[Problem],
              overrides: dict[str, Override] | None = None, **extra) -> StudentResult:
        """Totals from the parts, with manual overrides (by "question/part") applied and marked."""
        overrides = overrides or {}
        out = []
        for q in questions:
            parts = [p.with_override(overrides[f"{q.question}/{p.part}"]) if f"{q.question}/{p.part}" in overrides
                     else p for p in q.parts]
            out.append(QuestionResult(q.question, parts, q.params))
        score = sum(p.score for q in out for p in q.parts)
        max_score = sum(p.max_score for q in out for p in q.parts)
        return cls(student, round(score, 6), round(max_score, 6), out, list(problems), **extra)

    def parts(self):
        """(address, part) for every part, in order."""
        for q in self.questions:
            for p in q.parts:
                yield f"{q.question}/{p.part}", p

    @property
    def percent(self) -> float:
        return 100 * self.score / self.max_score if self.max_score else 0.0

    def grader_errors(self) -> list[GraderError]:
        """This student's grader faults: the whole submission (part "*") first, then each part in error."""
        errors = [GraderError(self.student, "*", p.cause or p.message) for p in self.problems if p.is_grader_fault]
        return errors + [GraderError(self.student, a, p.cause) for a, p in self.parts() if p.is_grader_fault]

    def submission_faults(self) -> list[GraderError]:
        """Grader faults that belong to no single part (the grader could not grade the submission at all)."""
        return [e for e in self.grader_errors() if e.part == "*"]

    @property
    def grading_broke(self) -> bool:
        """True when the grader itself failed somewhere, never when the student's answers were wrong."""
        return bool(self.grader_errors())

    def tampering(self) -> list[Tampering]:
        return [Tampering(self.student, a, w) for a, p in self.parts() for w in p.tampered]

    def to_json(self) -> dict:
        return _drop_none({"student": self.student, "score": self.score, "max_score": self.max_score,
                           "problems": [p.to_json() for p in self.problems],
                           "questions": [q.to_json() for q in self.questions], "page": self.page,
                           "seconds": self.seconds})

    @classmethod
    def from_json(cls, data: dict) -> StudentResult:
        return cls(data["student"], data["score"], data["max_score"],
                   [QuestionResult.from_json(q) for q in data.get("questions") or []],
                   [Problem.from_json(p) for p in data.get("problems") or []], data.get("page"), data.get("seconds"))

    def public(self) -> StudentResult:
        """As results.json has it: no plot data, no variant numbers, no timing."""
        return dataclasses.replace(self, questions=[q.public() for q in self.questions], seconds=None)


@dataclass
class PartStats:
    address: str
    mean: float
    count: int
    verdicts: dict[str, int]
    misconceptions: list[tuple[str, int]]


@dataclass
class Flagged:
    student: str
    problems: list[Problem]
    errors: int


@dataclass
class ClassSummary:
    """What the class page shows: distribution, each part's mean, frequent mistakes, problems, grader faults."""

    count: int
    percents: list[float]
    mean: float
    median: float
    parts: list[PartStats]
    flagged: list[Flagged]
    needs_review: int
    errors: list[GraderError]
    tampered: list[Tampering]


@dataclass
class ClassResults:
    """A quiz's results for a class (results.json): the students in order; grader faults are derived."""

    quiz: str
    students: list[StudentResult]

    @property
    def errors(self) -> list[GraderError]:
        """Every grader fault of the run, in student order."""
        return [e for s in self.students for e in s.grader_errors()]

    def summary(self) -> ClassSummary:
        students = self.students
        percents = [s.percent for s in students]
        by_part: dict[str, list[float]] = defaultdict(list)
        mistakes: dict[str, Counter] = defaultdict(Counter)
        verdicts: dict[str, Counter] = defaultdict(Counter)
        for s in students:
            for address, p in s.parts():
                by_part[address].append(p.fraction)
                verdicts[address][p.verdict] += 1
                if p.mistake:
                    mistakes[address][p.mistake] += 1
        parts = [PartStats(a, sum(v) / len(v), len(v), dict(verdicts[a]), mistakes[a].most_common(3))
                 for a, v in sorted(by_part.items())]
        flagged = [Flagged(s.student, [p for p in s.problems if p.severity != "note"],
                           sum(1 for _, p in s.parts() if p.is_grader_fault)) for s in students]
        return ClassSummary(
            count=len(students), percents=percents, mean=sum(percents) / len(percents) if percents else 0.0,
            median=sorted(percents)[len(percents) // 2] if percents else 0.0, parts=parts,
            flagged=[f for f in flagged if f.problems or f.errors],
            needs_review=sum(1 for s in students for _, p in s.parts() if p.needs_review),
            errors=self.errors, tampered=[t for s in students for t in s.tampering()])

    def to_json(self) -> dict:
        return {"quiz": self.quiz, "errors": [e.to_json() for e in self.errors],
                "students": [s.to_json() for s in self.students]}

    @classmethod
    def from_json(cls, data: dict) -> ClassResults:
        """Also reads a results.json cut down to what grade exports need (students' scores only)."""
        return cls(data.get("quiz") or "", [StudentResult.from_json(s) for s in data["students"]])

    def public(self) -> ClassResults:
        return ClassResults(self.quiz, [s.public() for s in self.students])
