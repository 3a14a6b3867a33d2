"""What ``nngrade serve`` keeps: links, answers, attempts and time-limit starts, in the gradebook's SQLite file.

The tables are the server's own (``serve_*``); the gradebook's tables are only written through
:class:`grader.results.gradebook.Gradebook`. Every write is one transaction committed with
``synchronous=FULL`` in WAL mode, so a commit is fsync'd before :meth:`Store` returns and before the
server acknowledges it: an acknowledged answer survives SIGKILL or power loss.

Secrets are never stored: a link's token is kept as its SHA-256 (the token is 192 random bits, so
a fast hash is enough), and a lost links file is answered by re-issuing (the old link stops working).
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import queue
import secrets
import sqlite3
import threading
import time
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS serve_config (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS serve_links (
    token_hash TEXT PRIMARY KEY, quiz TEXT NOT NULL, who TEXT NOT NULL, role TEXT NOT NULL,
    created_at REAL NOT NULL, revoked_at REAL);
CREATE INDEX IF NOT EXISTS serve_links_who ON serve_links (quiz, who);
CREATE TABLE IF NOT EXISTS serve_answers (
    quiz TEXT NOT NULL, student TEXT NOT NULL, address TEXT NOT NULL, value TEXT NOT NULL,
    rev INTEGER NOT NULL, saved_at REAL NOT NULL, PRIMARY KEY (quiz, student, address));
CREATE TABLE IF NOT EXISTS serve_attempts (
    quiz TEXT NOT NULL, student TEXT NOT NULL, number INTEGER NOT NULL, submit_id TEXT NOT NULL,
    answers TEXT NOT NULL, submitted_at REAL NOT NULL, status TEXT NOT NULL, detail TEXT,
    PRIMARY KEY (quiz, student, number), UNIQUE (quiz, student, submit_id));
CREATE TABLE IF NOT EXISTS serve_starts (
    quiz TEXT NOT NULL, student TEXT NOT NULL, started_at REAL NOT NULL, PRIMARY KEY (quiz, student));
CREATE TABLE IF NOT EXISTS serve_released (quiz TEXT PRIMARY KEY, released_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS serve_sessions (
    sid_hash TEXT PRIMARY KEY, link_hash TEXT NOT NULL, created_at REAL NOT NULL, ended_at REAL);
CREATE INDEX IF NOT EXISTS serve_sessions_link ON serve_sessions (link_hash);
"""
ROLES = ("student", "instructor")
MAX_SESSIONS = 20                    # live sessions of one link (devices, tabs that opened it); older ones end
INSTRUCTOR = "*instructor*"          # the instructor link's "who": no roster id can be this (ids are checked)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


class _Pending:
    """One write waiting for the group commit that will hold it."""

    __slots__ = ("done", "error", "fn", "result")

    def __init__(self, fn):
        self.fn, self.done, self.result, self.error = fn, threading.Event(), None, None


class Store:
    """One connection per thread onto the gradebook file (WAL, synchronous=FULL).

    With ``group_commit`` (the server), every write of the server's own tables (answer saves, attempts,
    their status, time-limit starts, release) goes through one writer thread that commits every write
    waiting at that moment in one transaction (one fsync for many students, and no two threads of this
    process waiting on each other's write lock); each caller returns only after the commit that holds
    its write, so the acknowledgement still follows the fsync. WAL checkpoints (copying the log into
    the database file, with its own fsyncs) are then taken by a background thread, off the path of
    any acknowledgement; a checkpoint never removes a committed write, so durability is unchanged."""

    MAX_BATCH = 256
    CHECKPOINT_SECONDS = 2.0
    CHECKPOINT_PAGES = 1000          # SQLite's own default threshold for an automatic checkpoint

    def __init__(self, path: str | Path, group_commit: bool = False):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        self._queue: queue.SimpleQueue | None = None
        self._autocheckpoint = not group_commit
        db = self.db
        db.executescript(SCHEMA)
        if group_commit:
            self._queue = queue.SimpleQueue()
            threading.Thread(target=self._writer, name="nngrade-serve-writer", daemon=True).start()
            threading.Thread(target=self._checkpointer, name="nngrade-serve-checkpoint", daemon=True).start()

    def _writer(self) -> None:
        assert self._queue is not None
        while True:
            batch = [self._queue.get()]
            while len(batch) < self.MAX_BATCH:
                try:
                    batch.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            try:
                fns = [p.fn for p in batch]
                results = self._write(lambda db: [fn(db) for fn in fns])      # noqa: B023 - called at once
                for p, r in zip(batch, results):
                    p.result = r
            except Exception:          # one bad write must not fail the others: each alone, with its error
                for p in batch:
                    try:
                        p.result = self._write(p.fn)
                    except Exception as exc:
                        p.error = exc
            for p in batch:
                p.done.set()

    def _checkpointer(self) -> None:
        """Copy the WAL into the database file now and then (PASSIVE: never waits for, nor blocks, a writer)."""
        while True:
            time.sleep(self.CHECKPOINT_SECONDS)
            with contextlib.suppress(sqlite3.Error):      # busy, or the file is going away: the next round tries again
                self.db.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()

    def _group(self, fn):
        """``fn(db)`` committed (fsync'd) on return: in the next group commit, or alone without one."""
        if self._queue is None:
            return self._write(fn)
        pending = _Pending(fn)
        self._queue.put(pending)
        pending.done.wait()
        if pending.error is not None:
            raise pending.error
        return pending.result

    @property
    def db(self) -> sqlite3.Connection:
        db = getattr(self._local, "db", None)
        if db is None:
            db = sqlite3.connect(str(self.path), timeout=30, isolation_level=None, check_same_thread=False)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=FULL")        # the WAL is fsync'd at every commit
            db.execute("PRAGMA busy_timeout=30000")
            if not self._autocheckpoint:                  # the checkpoint thread does it, off the commit path
                db.execute("PRAGMA wal_autocheckpoint=0")
            self._local.db = db
        return db

    def _write(self, fn):
        db = self.db
        db.execute("BEGIN IMMEDIATE")
        try:
            out = fn(db)
            db.execute("COMMIT")
            return out
        except BaseException:
            db.execute("ROLLBACK")
            raise

    # -- configuration --------------------------------------------------------------------------
    def secret(self) -> str:
        """The key that signs session cookies, made once per gradebook (sessions survive a restart)."""
        def get(db):
            row = db.execute("SELECT value FROM serve_config WHERE name='secret'").fetchone()
            if row:
                return row[0]
            value = secrets.token_hex(32)
            db.execute("INSERT INTO serve_config VALUES ('secret', ?)", (value,))
            return value
        return self._write(get)

    # -- links ----------------------------------------------------------------------------------
    def issue(self, quiz: str, who: str, role: str) -> str:
        """A new secret link token for ``who``; every earlier link of theirs is revoked."""
        if role not in ROLES:
            raise ValueError(role)
        token = secrets.token_urlsafe(24)
        now = time.time()

        def write(db):
            self._revoke_in(db, quiz, who, now)
            db.execute("INSERT INTO serve_links VALUES (?, ?, ?, ?, ?, NULL)",
                       (token_hash(token), quiz, who, role, now))
        self._write(write)
        return token

    def revoke(self, quiz: str, who: str) -> int:
        """Revoke ``who``'s live link and end every session opened with it; the number of links revoked."""
        return self._write(lambda db: self._revoke_in(db, quiz, who, time.time()))

    @staticmethod
    def _revoke_in(db, quiz: str, who: str, now: float) -> int:
        db.execute("DELETE FROM serve_sessions WHERE link_hash IN "
                   "(SELECT token_hash FROM serve_links WHERE quiz=? AND who=?)", (quiz, who))
        return db.execute("UPDATE serve_links SET revoked_at=? WHERE quiz=? AND who=? AND revoked_at IS NULL",
                          (now, quiz, who)).rowcount

    # -- sessions -------------------------------------------------------------------------------
    # A session is a random id in the signed cookie, stored here only as its hash and checked on every
    # request: logging out ends it, and revoking or re-issuing the link it was opened with ends it too, so
    # a copied cookie stops working then (a signature alone would stay valid as long as the key).
    # An ended session's row is deleted (a missing row is no one, as an ended one was), and one link keeps
    # only its newest MAX_SESSIONS: opening a link thousands of times leaves at most that many rows.
    def open_session(self, link_digest: str) -> str:
        """A new session id for the link with hash ``link_digest`` (committed on return); the link's
        sessions beyond its newest MAX_SESSIONS end."""
        sid = secrets.token_urlsafe(24)

        def write(db):
            db.execute("INSERT INTO serve_sessions VALUES (?, ?, ?, NULL)", (token_hash(sid), link_digest, time.time()))
            db.execute("DELETE FROM serve_sessions WHERE link_hash=? AND rowid NOT IN (SELECT rowid FROM "
                       "serve_sessions WHERE link_hash=? AND ended_at IS NULL ORDER BY rowid DESC LIMIT ?)",
                       (link_digest, link_digest, MAX_SESSIONS))
        self._group(write)
        return sid

    def session(self, sid: str) -> tuple[str, str, str] | None:
        """(quiz, who, role) of a live session (not ended, its link not revoked) by its id, else None."""
        row = self.db.execute("SELECT l.quiz, l.who, l.role FROM serve_sessions s JOIN serve_links l ON "
                              "l.token_hash = s.link_hash WHERE s.sid_hash=? AND s.ended_at IS NULL AND "
                              "l.revoked_at IS NULL", (token_hash(sid),)).fetchone()
        return tuple(row) if row else None

    def end_session(self, sid: str) -> None:
        self._group(lambda db: db.execute("DELETE FROM serve_sessions WHERE sid_hash=?", (token_hash(sid),)))

    def link(self, digest: str) -> tuple[str, str, str] | None:
        """(quiz, who, role) of a live link by its hash, else None."""
        row = self.db.execute("SELECT quiz, who, role FROM serve_links WHERE token_hash=? AND revoked_at IS NULL",
                              (digest,)).fetchone()
        return tuple(row) if row else None

    def students(self, quiz: str) -> list[str]:
        rows = self.db.execute("SELECT DISTINCT who FROM serve_links WHERE quiz=? AND role='student' ORDER BY who",
                               (quiz,))
        return [r[0] for r in rows.fetchall()]

    # -- answers --------------------------------------------------------------------------------
    def save(self, quiz: str, student: str, address: str, value, rev: int) -> tuple[bool, int, object]:
        """Store ``value`` at revision ``rev`` unless a revision at least as new is stored.

        Returns (stored, the revision now stored, the value now stored); committed (fsync'd) on return."""
        data = json.dumps(value, ensure_ascii=False)
        stored_rev, stored = self._group(lambda db: self._save_in(db, quiz, student, address, data, rev))
        return stored_rev == rev and stored == data, stored_rev, json.loads(stored)

    @staticmethod
    def _save_in(db, quiz: str, student: str, address: str, data: str, rev: int):
        db.execute("INSERT INTO serve_answers VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (quiz, student, address) "
                   "DO UPDATE SET value=excluded.value, rev=excluded.rev, saved_at=excluded.saved_at "
                   "WHERE excluded.rev > serve_answers.rev", (quiz, student, address, data, rev, time.time()))
        return db.execute("SELECT rev, value FROM serve_answers WHERE quiz=? AND student=? AND address=?",
                          (quiz, student, address)).fetchone()

    def answers(self, quiz: str, student: str) -> dict[str, tuple[object, int]]:
        rows = self.db.execute("SELECT address, value, rev FROM serve_answers WHERE quiz=? AND student=?",
                               (quiz, student)).fetchall()
        return {a: (json.loads(v), r) for a, v, r in rows}

    def progress(self, quiz: str) -> dict[str, dict]:
        """Per student: answers saved, last save, attempts and their last status."""
        out: dict[str, dict] = {}
        for s, n, last in self.db.execute("SELECT student, COUNT(*), MAX(saved_at) FROM serve_answers WHERE quiz=? "
                                          "GROUP BY student", (quiz,)):
            out.setdefault(s, {})["saved"] = n
            out[s]["last_save"] = last
        for s, n, status in self.db.execute(
                "SELECT student, number, status FROM serve_attempts a WHERE quiz=? AND number = "
                "(SELECT MAX(number) FROM serve_attempts b WHERE b.quiz=a.quiz AND b.student=a.student)", (quiz,)):
            out.setdefault(s, {})["attempts"] = n
            out[s]["status"] = status
        return out

    # -- attempts -------------------------------------------------------------------------------
    def submit(self, quiz: str, student: str, submit_id: str, limit: int | None) -> tuple[str, int]:
        """Record an attempt with the student's saved answers: ("new"|"same"|"over", number).

        The same ``submit_id`` twice (a retried request) is the same attempt, never a second one."""
        now = time.time()

        def write(db):
            row = db.execute("SELECT number FROM serve_attempts WHERE quiz=? AND student=? AND submit_id=?",
                             (quiz, student, submit_id)).fetchone()
            if row:
                return "same", row[0]
            count = db.execute("SELECT COUNT(*) FROM serve_attempts WHERE quiz=? AND student=?",
                               (quiz, student)).fetchone()[0]
            if limit is not None and count >= limit:
                return "over", count
            answers = {a: json.loads(v) for a, v in db.execute(
                "SELECT address, value FROM serve_answers WHERE quiz=? AND student=?", (quiz, student))}
            db.execute("INSERT INTO serve_attempts VALUES (?, ?, ?, ?, ?, ?, 'queued', NULL)",
                       (quiz, student, count + 1, submit_id, json.dumps(answers, ensure_ascii=False), now))
            return "new", count + 1
        return self._group(write)

    def attempts(self, quiz: str, student: str) -> list[dict]:
        rows = self.db.execute("SELECT number, submitted_at, status, detail FROM serve_attempts WHERE quiz=? AND "
                               "student=? ORDER BY number", (quiz, student)).fetchall()
        return [{"number": n, "submitted_at": t, "status": s, "detail": d} for n, t, s, d in rows]

    def attempt_answers(self, quiz: str, student: str, number: int) -> dict:
        row = self.db.execute("SELECT answers FROM serve_attempts WHERE quiz=? AND student=? AND number=?",
                              (quiz, student, number)).fetchone()
        return json.loads(row[0]) if row else {}

    def pending(self, quiz: str) -> list[tuple[str, int]]:
        """Attempts recorded but not graded (after a restart, they are queued again)."""
        rows = self.db.execute("SELECT student, number FROM serve_attempts WHERE quiz=? AND status IN "
                               "('queued', 'grading') ORDER BY submitted_at", (quiz,))
        return [tuple(r) for r in rows.fetchall()]

    def set_status(self, quiz: str, student: str, number: int, status: str, detail: str | None = None) -> None:
        self._group(lambda db: db.execute("UPDATE serve_attempts SET status=?, detail=? WHERE quiz=? AND student=? "
                                          "AND number=?", (status, detail, quiz, student, number)))

    # -- time limits and release ----------------------------------------------------------------
    def start(self, quiz: str, student: str) -> float:
        """When the student first opened the quiz (recorded once)."""
        now = time.time()

        def write(db):
            db.execute("INSERT OR IGNORE INTO serve_starts VALUES (?, ?, ?)", (quiz, student, now))
            return db.execute("SELECT started_at FROM serve_starts WHERE quiz=? AND student=?",
                              (quiz, student)).fetchone()[0]
        return self._group(write)

    def started(self, quiz: str, student: str) -> float | None:
        row = self.db.execute("SELECT started_at FROM serve_starts WHERE quiz=? AND student=?",
                              (quiz, student)).fetchone()
        return row[0] if row else None

    def release(self, quiz: str) -> None:
        self._group(lambda db: db.execute("INSERT OR REPLACE INTO serve_released VALUES (?, ?)", (quiz, time.time())))

    def released(self, quiz: str) -> bool:
        return self.db.execute("SELECT 1 FROM serve_released WHERE quiz=?", (quiz,)).fetchone() is not None
