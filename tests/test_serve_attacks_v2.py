"""A second attack pass on nngrade serve (sessions in the gradebook, the fair queue, the keeper, regrade).

The queue tests drive the real :class:`grader.serve.jobs.Jobs` with a pool that runs nothing until the test
says so (``FakePool``): jobs end in the order a race would end them, and a grading runs in process on the
real bank, so the order is the test's and no timing is assumed.
"""
from __future__ import annotations

import json
import sqlite3
from concurrent.futures import Future

import pytest

from grader.bank import load_bank
from grader.quiz import load_quiz
from grader.serve import jobs as jobs_mod
from grader.serve.app import Server, create_app, make_links
from grader.serve.jobs import Jobs

from .conftest import ROOT
from .test_serve_http import COOKIE, FORMULA, WEEK1, Client, open_link

RIGHT = "sigma(x)*(1 - sigma(x))"
WRONG = "sigma(x)"


class FakePool:
    """A pool whose jobs wait until :func:`finish` runs them (in process, in the test's order)."""

    def __init__(self):
        self.futures: list[tuple[Future, object, tuple]] = []

    def submit(self, fn, *args):
        f: Future = Future()
        f.set_running_or_notify_cancel()
        self.futures.append((f, fn, args))
        return f

    def shutdown(self, wait=True, cancel_futures=False):
        pass


def finish(pool: FakePool, index: int = 0) -> None:
    f, fn, args = pool.futures.pop(index)
    f.set_result(fn(*args))


@pytest.fixture
def fake(monkeypatch, tmp_path):
    """(server, app, links, pool, db): a server whose Jobs hand their work to a FakePool of one worker."""
    db = tmp_path / "gb.sqlite"
    links = dict(make_links(WEEK1, ["alice", "bob"], db, "http://localhost", ROOT))
    bank = load_bank(ROOT)
    monkeypatch.setattr(jobs_mod, "_STATE", {"bank": bank, "quiz": load_quiz(WEEK1, bank), "db": str(db),
                                             "args": (str(ROOT), str(WEEK1), str(db))})
    pool = FakePool()
    monkeypatch.setattr(Jobs, "_new_pool", lambda self: (pool, set()))
    server = Server(WEEK1, db, ROOT, pool=False, limits={"submit": (100.0, 100), "enter": (1000.0, 1000)})
    server.jobs = Jobs(ROOT, WEEK1, db, workers=1)
    yield server, create_app(server), links, pool, db
    server.jobs.close()


def verdict(db, student: str, address: str = FORMULA) -> str:
    """The verdict of the part at ``address`` in the gradebook's stored result of ``student``."""
    qid, _, pid = address.partition("/")
    with sqlite3.connect(db) as con:
        row = con.execute("SELECT result FROM questions WHERE student=? AND question=?", (student, qid)).fetchone()
    assert row, "nothing stored"
    return next(p["verdict"] for p in json.loads(row[0])["parts"] if p["part"] == pid)


def statuses(server, student="alice"):
    return [a["status"] for a in server.store.attempts(server.quiz.id, student)]


# -- regrade races ---------------------------------------------------------------------------------------

def test_a_stale_grading_of_an_older_attempt_never_replaces_the_newer_attempts_grade(fake):
    """The instructor's Regrade read alice's attempts (latest: 1) just before she submitted attempt 2; its
    grading of attempt 1 ends after attempt 2's. The gradebook must keep attempt 2's grade."""
    server, app, links, pool, db = fake
    alice = Client(app, links["alice"])
    assert alice.post("/api/save", {"address": FORMULA, "value": WRONG, "rev": 1}).status_code == 200
    assert alice.post("/api/submit", {"submit_id": "attempt-one-1"}).status_code == 200
    finish(pool)
    assert statuses(server) == ["graded"]
    assert alice.post("/api/save", {"address": FORMULA, "value": RIGHT, "rev": 2}).status_code == 200
    assert alice.post("/api/submit", {"submit_id": "attempt-two-2"}).status_code == 200      # attempt 2 running
    server.grade("alice", 1)                 # the regrade that read the attempts before attempt 2 was recorded
    finish(pool)                             # attempt 2 graded and stored
    assert verdict(db, "alice") == "correct"
    finish(pool)                             # the stale grading of attempt 1 ends last
    assert verdict(db, "alice") == "correct"
    assert statuses(server) == ["superseded", "graded"]      # said to alice as such, in both languages
    assert not pool.futures and server.jobs.queue_length() == 0


def test_a_students_next_job_starts_only_once_the_previous_grading_is_stored(fake):
    """A student's gradings are stored in the order they were queued: the next job of the same student is
    not handed to the pool while the previous one's result is still being written."""
    server, _, _, pool, _ = fake
    jobs = server.jobs
    seen = []

    def done(f):
        seen.append(("alice" in jobs.running, len(pool.futures)))
        f.result()

    assert jobs.grade("alice", {}, "en", done)
    assert jobs.grade("alice", {FORMULA: RIGHT}, "en", lambda f: seen.append("second"))
    assert len(pool.futures) == 1
    finish(pool)
    assert seen == [(True, 0)]                   # while the first was stored, the second had not started
    assert len(pool.futures) == 1
    finish(pool)
    assert seen[-1] == "second" and jobs.queue_length() == 0


# -- queue abuse -----------------------------------------------------------------------------------------

def test_one_student_submitting_again_and_again_neither_fills_the_queue_nor_strands_an_attempt(fake, monkeypatch):
    """Unlimited attempts, one worker busy: alice submits many times. Her attempts must not fill the global
    queue (bob's attempt is still taken), none may be left 'queued' for ever, and only her latest waits."""
    server, app, links, pool, db = fake
    monkeypatch.setattr(jobs_mod, "MAX_QUEUE", 4)
    alice, bob = Client(app, links["alice"]), Client(app, links["bob"])
    for n in range(1, 9):
        value = WRONG if n < 8 else RIGHT
        assert alice.post("/api/save", {"address": FORMULA, "value": value, "rev": n}).status_code == 200
        assert alice.post("/api/submit", {"submit_id": f"alice-attempt-{n}"}).status_code == 200
    assert bob.post("/api/submit", {"submit_id": "bob-attempt-1"}).status_code == 200
    assert server.jobs.queue_length() <= 3           # alice's running job, her latest attempt, bob's attempt
    while pool.futures:
        finish(pool)
    assert statuses(server, "bob") == ["graded"]
    alice_says = statuses(server)                    # attempt 1 ran, but attempt 8 was recorded meanwhile
    assert alice_says[-1] == "graded" and set(alice_says[:-1]) == {"superseded"}, alice_says
    assert verdict(db, "alice") == "correct"         # the latest attempt's grade is the one stored
    assert server.jobs.queue_length() == 0


def test_regrade_pressed_again_and_again_queues_each_students_latest_attempt_once(fake):
    server, app, links, pool, _ = fake
    for who in ("alice", "bob"):
        c = Client(app, links[who])
        assert c.post("/api/submit", {"submit_id": f"{who}-attempt-1"}).status_code == 200
    while pool.futures:
        finish(pool)
    for _ in range(5):                               # a careless instructor clicks Regrade five times
        assert server.regrade() == 2
    assert server.jobs.queue_length() <= 3           # one running, one waiting per student: never ten jobs
    while pool.futures:
        finish(pool)
    assert statuses(server, "alice") == ["graded"] and statuses(server, "bob") == ["graded"]
    assert server.jobs.queue_length() == 0


# -- sessions --------------------------------------------------------------------------------------------

def session_rows(db) -> int:
    with sqlite3.connect(db) as con:
        return con.execute("SELECT COUNT(*) FROM serve_sessions").fetchone()[0]


def test_opening_a_link_again_and_again_keeps_the_sessions_table_bounded(fake):
    """A student (or a script with their link) opens it hundreds of times: each opening is a session, but
    one link keeps only its newest MAX_SESSIONS; older ones end (their cookies are no one), ended ones go."""
    from grader.serve.store import MAX_SESSIONS
    server, app, links, _, db = fake
    first = Client(app, links["alice"])
    others = [app.test_client() for _ in range(150)]
    for c in others:
        assert open_link(c, links["alice"].rsplit("/", 1)[1]).status_code == 303
    assert session_rows(db) <= MAX_SESSIONS
    assert first.get("/quiz").status_code == 401                    # the oldest session ended
    assert others[-1].get("/quiz").status_code == 200               # the newest ones live
    assert others[-MAX_SESSIONS].get("/quiz").status_code == 200
    bob = Client(app, links["bob"])                                 # another student's sessions are their own
    assert bob.get("/quiz").status_code == 200
    server.store.revoke(server.quiz.id, "alice")
    assert session_rows(db) == 1                                    # only bob's: nothing of alice's is kept
    bob_cookie = bob.c.get_cookie(COOKIE).value
    assert bob.c.post("/logout", data={"csrf": bob.csrf}).status_code == 303
    assert session_rows(db) == 0
    bob.c.set_cookie(COOKIE, bob_cookie)
    assert bob.get("/quiz").status_code == 401                      # a deleted session is as ended as an ended one


def test_a_link_opened_from_elsewhere_never_silently_switches_the_browser_to_another_person(fake):
    """Login CSRF / session planting: bob sends alice (signed in) his own link, or a page of his opens it.
    Alice's browser must not become bob's without her say, or her answers would land in bob's account."""
    from markupsafe import escape

    from grader.messages import text
    server, app, links, _, _ = fake
    alice = Client(app, links["alice"])
    bob_token = links["bob"].rsplit("/", 1)[1]
    r = alice.c.get("/s/" + bob_token, headers={"Sec-Fetch-Site": "cross-site"})
    assert r.status_code == 409
    assert str(escape(text("serve_switch_person", "en", current="alice", other="bob"))) in r.data.decode()
    assert alice.post("/api/save", {"address": FORMULA, "value": WRONG, "rev": 1}).status_code == 200
    assert server.store.answers(server.quiz.id, "alice")[FORMULA][0] == WRONG      # still alice's browser
    assert server.store.answers(server.quiz.id, "bob") == {}
    forged = alice.c.post("/s/" + bob_token, data={}, headers={"Origin": "https://evil.example"})
    assert forged.status_code == 403                                           # a forged switch is refused
    assert alice.post("/api/save", {"address": FORMULA, "value": RIGHT, "rev": 2}).status_code == 200
    assert server.store.answers(server.quiz.id, "alice")[FORMULA][0] == RIGHT
    # alice says yes on the page (her own CSRF token): now the browser is bob's, and alice's session ended
    old = alice.c.get_cookie(COOKIE).value
    assert alice.c.post("/s/" + bob_token, data={"csrf": alice.csrf}).status_code == 303
    assert text("serve_signed_in_as", "en", student="bob") in alice.get("/quiz").data.decode()
    thief = app.test_client()
    thief.set_cookie(COOKIE, old)
    assert thief.get("/quiz").status_code == 401
    # opening one's own link again (a second device, a re-opened email) just opens it, as before
    again = alice.c.get("/s/" + bob_token)
    assert again.status_code == 303


# -- the keeper ------------------------------------------------------------------------------------------

def test_a_worker_killed_twice_under_one_job_is_that_jobs_fault_never_a_bystanders(tmp_path):
    """Two workers: alice's and bob's runs at once. alice's worker is killed, the pool is rebuilt, both run
    again, and alice's worker is killed again. A broken pool fails every job in it, but only the job whose
    worker died has used its one retry: bob (whose worker was alive both times) gets his own verdict."""
    import os
    import signal
    from pathlib import Path

    from .test_serve_hardening import CODE, LOOP, RIGHT, _alive, until
    db = tmp_path / "gb.sqlite"
    jobs = Jobs(ROOT, WEEK1, db, workers=2)

    def pid_of(student):
        job = jobs.running.get(student)
        mark = getattr(job, "mark", "") if job else ""
        try:
            return int(Path(mark).read_text()) if mark else None
        except (OSError, ValueError):
            return None

    try:
        alice = jobs.run_code("alice", CODE, RIGHT + "\n\n" + LOOP, "en")
        bob = jobs.run_code("bob", CODE, RIGHT + "\n\n" + LOOP, "en")
        for rebuilds in (1, 2):
            pids = until(lambda: (pid_of("alice"), pid_of("bob")) if pid_of("alice") and pid_of("bob") else None,
                         "both run in workers")
            assert pids[0] != pids[1]
            os.kill(pids[0], signal.SIGKILL)                   # alice's worker only
            until(lambda p=pids[0]: not _alive(p), "alice's worker is gone")
            until(lambda r=rebuilds: jobs.rebuilds >= r or None, "a new pool")
        until(lambda: alice["status"] in ("done", "error") or None, "alice's run ends")
        assert alice["status"] == "error", alice               # her worker died twice under her job: a fault
        until(lambda: bob["status"] in ("done", "error") or None, "bob's run ends")
        assert bob["status"] == "done", bob                    # his own verdict (his looping code's time-out)
        assert bob["result"]["verdict"] != "error"
    finally:
        jobs.close()


def test_opening_ones_own_link_again_changes_nothing_and_logging_out_ends_copies(fake):
    """Re-opening one's own link (a bookmark, a second click) is a GET: it changes nothing (the session, the
    open tabs' CSRF token, the budget of sign-ins); "Log out" is what ends the session, copies of the cookie
    included, and the link then signs in afresh."""
    _, app, links, _, db = fake
    alice = Client(app, links["alice"])
    stolen = alice.c.get_cookie(COOKIE).value
    token = links["alice"].rsplit("/", 1)[1]
    for _ in range(40):                                              # more than the sign-in budget
        r = alice.c.get("/s/" + token)
        assert r.status_code == 303 and r.headers["Location"].endswith("/quiz")
    assert alice.c.get_cookie(COOKIE).value == stolen and session_rows(db) == 1
    assert alice.post("/api/save", {"address": FORMULA, "value": RIGHT, "rev": 1}).status_code == 200   # same token
    assert alice.c.post("/logout", data={"csrf": alice.csrf}).status_code == 303
    thief = app.test_client()
    thief.set_cookie(COOKIE, stolen)
    assert thief.get("/quiz").status_code == 401
    assert open_link(alice.c, token).status_code == 303               # signs in afresh
    assert alice.get("/quiz").status_code == 200 and session_rows(db) == 1
