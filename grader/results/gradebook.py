"""The gradebook: graded questions and manual overrides in SQLite (WAL mode).

One row per (quiz, student, question) holds that question's graded parts and
the key they were graded under. A student's rows are written in one
transaction, so a run killed at any moment leaves each student either fully
stored or not at all; the next run grades what is missing. Overrides live in
their own table and are applied when results are read, so they survive regrades.

The ``answer_cache`` table keeps settled verdicts of answers across runs (see grader/checks/cache.py,
which makes the keys and checks every row it reads); older versions ignore it, and it never holds a
student's identity, only digests of what decided a verdict and the verdict.
"""
from __future__ import annotations

import json
import sqlite3
import time
from contextlib import closing
from pathlib import Path

from grader.results import Override, PartResult, Problem, QuestionResult

SCHEMA = """
CREATE TABLE IF NOT EXISTS questions (
    quiz TEXT NOT NULL, student TEXT NOT NULL, question TEXT NOT NULL,
    key TEXT NOT NULL, result TEXT NOT NULL, graded_at REAL NOT NULL,
    PRIMARY KEY (quiz, student, question));
CREATE TABLE IF NOT EXISTS students (
    quiz TEXT NOT NULL, student TEXT NOT NULL, problems TEXT NOT NULL, report_key TEXT, submission_key TEXT,
    PRIMARY KEY (quiz, student));
CREATE TABLE IF NOT EXISTS runs (
    quiz TEXT PRIMARY KEY, quiz_path TEXT, bank TEXT, submissions TEXT, out TEXT, lang TEXT, templates TEXT);
CREATE TABLE IF NOT EXISTS overrides (
    quiz TEXT NOT NULL, student TEXT NOT NULL, address TEXT NOT NULL, score REAL NOT NULL,
    comment TEXT, created_at REAL NOT NULL,
    PRIMARY KEY (quiz, student, address));
CREATE TABLE IF NOT EXISTS answer_cache (
    key TEXT PRIMARY KEY, engine TEXT NOT NULL, outcome TEXT NOT NULL, checksum TEXT NOT NULL,
    created_at REAL NOT NULL);
"""


class Gradebook:
    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(str(self.path), timeout=30, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.executescript(SCHEMA)
        columns = {row[1] for row in self.db.execute("PRAGMA table_info(students)")}
        for column in ("report_key", "submission_key"):      # gradebooks written by older versions
            if column not in columns:
                self.db.execute(f"ALTER TABLE students ADD COLUMN {column} TEXT")
        if "answer" not in {row[1] for row in self.db.execute("PRAGMA table_info(overrides)")}:
            self.db.execute("ALTER TABLE overrides ADD COLUMN answer TEXT")   # the judged answer's digest

    def close(self) -> None:
        self.db.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # -- graded questions -------------------------------------------------------
    def all_keys(self, quiz: str) -> dict[tuple[str, str], str]:
        rows = self.db.execute("SELECT student, question, key FROM questions WHERE quiz=?", (quiz,))
        return {(s, q): k for s, q, k in rows.fetchall()}

    def store(self, quiz: str, student: str, graded: list[tuple[str, str, QuestionResult]], problems: list[Problem],
              submission_key: str | None = None) -> None:
        """Write a student's newly graded questions, file problems and submission key atomically."""
        now = time.time()
        with closing(self.db.cursor()) as cur:
            cur.execute("BEGIN IMMEDIATE")
            try:
                cur.executemany("INSERT OR REPLACE INTO questions VALUES (?, ?, ?, ?, ?, ?)",
                                [(quiz, student, q, key, json.dumps(result.to_json(), ensure_ascii=False), now)
                                 for q, key, result in graded])
                cur.execute("INSERT INTO students (quiz, student, problems, submission_key) VALUES (?, ?, ?, ?) "
                            "ON CONFLICT(quiz, student) DO UPDATE SET problems=excluded.problems, "
                            "submission_key=excluded.submission_key",
                            (quiz, student, json.dumps([p.to_json() for p in problems], ensure_ascii=False),
                             submission_key))
                cur.execute("COMMIT")
            except BaseException:
                cur.execute("ROLLBACK")
                raise

    def submission_keys(self, quiz: str) -> dict[str, str]:
        rows = self.db.execute("SELECT student, submission_key FROM students WHERE quiz=?", (quiz,))
        return {s: k for s, k in rows.fetchall() if k}

    def overrides_digest(self, quiz: str) -> str:
        rows = self.db.execute("SELECT student, address, score, comment, answer FROM overrides WHERE quiz=? "
                               "ORDER BY student, address", (quiz,)).fetchall()
        return json.dumps(rows)

    def results(self, quiz: str, student: str, questions: list[str]) -> list[QuestionResult]:
        rows = dict(self.db.execute("SELECT question, result FROM questions WHERE quiz=? AND student=?",
                                    (quiz, student)).fetchall())
        return [QuestionResult.from_json(json.loads(rows[q])) for q in questions if q in rows]

    def problems(self, quiz: str, student: str) -> list[Problem]:
        row = self.db.execute("SELECT problems FROM students WHERE quiz=? AND student=?", (quiz, student)).fetchone()
        return [Problem.from_json(p) for p in json.loads(row[0])] if row else []

    def report_key(self, quiz: str, student: str) -> str | None:
        row = self.db.execute("SELECT report_key FROM students WHERE quiz=? AND student=?", (quiz, student)).fetchone()
        return row[0] if row else None

    def set_report_key(self, quiz: str, student: str, key: str) -> None:
        self.db.execute("UPDATE students SET report_key=? WHERE quiz=? AND student=?", (key, quiz, student))

    # -- overrides ------------------------------------------------------------------
    def override(self, quiz: str, student: str, address: str, score: float, comment: str | None,
                 answer: str | None = None) -> None:
        """Set a part's score by hand; ``answer``: the digest of the answer judged (the graded part's
        ``details["answer_sha"]``), so that the score never carries over to another answer."""
        self.db.execute("INSERT OR REPLACE INTO overrides (quiz, student, address, score, comment, created_at, "
                        "answer) VALUES (?, ?, ?, ?, ?, ?, ?)",
                        (quiz, student, address, float(score), comment, time.time(), answer))

    def overrides(self, quiz: str, student: str) -> dict[str, Override]:
        rows = self.db.execute("SELECT address, score, comment, answer FROM overrides WHERE quiz=? AND student=?",
                               (quiz, student)).fetchall()
        return {a: Override(s, c, d) for a, s, c, d in rows}

    def part_row(self, quiz: str, student: str, address: str) -> PartResult | None:
        """A part as graded (before any override), or None."""
        qid, _, pid = address.partition("/")
        row = self.db.execute("SELECT result FROM questions WHERE quiz=? AND student=? AND question=?",
                              (quiz, student, qid)).fetchone()
        if not row:
            return None
        return next((p for p in QuestionResult.from_json(json.loads(row[0])).parts if p.part == pid), None)

    def remember_run(self, quiz: str, **where) -> None:
        self.db.execute("INSERT OR REPLACE INTO runs VALUES (?, ?, ?, ?, ?, ?, ?)",
                        (quiz, where["quiz_path"], where["bank"], where["submissions"], where["out"], where["lang"],
                         where.get("templates")))

    def last_run(self, quiz: str) -> dict | None:
        row = self.db.execute("SELECT quiz_path, bank, submissions, out, lang, templates FROM runs WHERE quiz=?",
                              (quiz,)).fetchone()
        keys = ("quiz_path", "bank", "submissions", "out", "lang", "templates")
        return dict(zip(keys, row)) if row else None

    def quizzes_with(self, student: str) -> list[str]:
        rows = self.db.execute("SELECT DISTINCT quiz FROM questions WHERE student=?", (student,))
        return [r[0] for r in rows.fetchall()]

    # -- the answer cache (grader/checks/cache.py) ---------------------------------------------------
    def cached_answer(self, key: str) -> tuple[str, str, str] | None:
        """(engine, outcome, checksum) stored under ``key``, or None; the caller validates it."""
        row = self.db.execute("SELECT engine, outcome, checksum FROM answer_cache WHERE key=?", (key,)).fetchone()
        return (row[0], row[1], row[2]) if row else None

    def remember_answer(self, key: str, engine: str, outcome: str, checksum: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO answer_cache VALUES (?, ?, ?, ?, ?)",
                        (key, engine, outcome, checksum, time.time()))

    def forget_answers(self, keep_engine: str | None = None) -> int:
        """Delete cached verdicts (all, or those of every engine but ``keep_engine``); how many."""
        if keep_engine is None:
            return self.db.execute("DELETE FROM answer_cache").rowcount
        return self.db.execute("DELETE FROM answer_cache WHERE engine != ?", (keep_engine,)).rowcount

    def cached_answers(self) -> int:
        return self.db.execute("SELECT COUNT(*) FROM answer_cache").fetchone()[0]
