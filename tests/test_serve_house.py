"""nngrade serve on a real instructor's machine: two quizzes served side by side, grader faults recorded from
several threads at once, and a stop that lands while the pool is being made again.
"""
from __future__ import annotations

import threading
import time

from grader.serve import jobs as jobs_mod
from grader.serve.app import Server, cookie_name, create_app, make_links
from grader.serve.jobs import Jobs

from .conftest import ROOT
from .test_serve_http import FORMULA, WEEK1, Client, open_link


def _second_quiz(tmp_path):
    """The week-1 quiz under another id (a second quiz of the same course)."""
    text = WEEK1.read_text(encoding="utf-8")
    other = tmp_path / "week1-retake.yaml"
    other.write_text(text.replace("id: week1-activations", "id: week1-retake", 1), encoding="utf-8")
    return other


def _share(source, target) -> None:
    """Copy every cookie of one test client into another: one browser's jar, used on two ports of one host
    (a browser keeps cookies per host, whatever the port)."""
    for cookie in source._cookies.values():
        target.set_cookie(cookie.key, cookie.value, domain=cookie.domain, path=cookie.path)


def test_two_quizzes_on_one_host_keep_their_own_sessions(tmp_path):
    other = _second_quiz(tmp_path)
    db = tmp_path / "gradebook.sqlite"
    first = dict(make_links(WEEK1, ["alice"], db, "http://localhost", ROOT))["alice"]
    second = dict(make_links(other, ["alice"], db, "http://localhost", ROOT))["alice"]
    app_a = create_app(Server(WEEK1, db, ROOT, pool=False))
    app_b = create_app(Server(other, db, ROOT, pool=False))
    assert app_a.config["SESSION_COOKIE_NAME"] != app_b.config["SESSION_COOKIE_NAME"]
    assert app_a.config["SESSION_COOKIE_NAME"] == cookie_name("week1-activations")

    a = Client(app_a, first)
    assert a.get("/quiz").status_code == 200
    b = Client(app_b)
    _share(a.c, b.c)                                      # the same browser opens the second quiz's link
    r = open_link(b.c, second.rsplit("/", 1)[1])
    assert r.status_code == 303, r.status_code          # not "switch from alice of the other quiz" (409)
    assert b.get("/quiz").status_code == 200
    _share(b.c, a.c)                                      # back to the first quiz's tab, with the jar as it is now
    assert a.get("/quiz").status_code == 200             # still signed in there
    assert a.post("/api/save", {"address": FORMULA, "value": "sigma(x)", "rev": 1}).status_code == 200


def test_cookie_names_differ_per_quiz_and_are_plain_tokens():
    names = {cookie_name(q) for q in ("week1", "week2", "周测-1", "a" * 300)}
    assert len(names) == 4
    assert all(n.startswith("nngrade_") and n.replace("_", "").isalnum() and len(n) <= 20 for n in names)


def test_a_fault_recorded_while_a_regrade_forgets_old_ones_is_kept(tmp_path):
    db = tmp_path / "gradebook.sqlite"
    make_links(WEEK1, ["alice", "bob"], db, "http://localhost", ROOT)
    server = Server(WEEK1, db, ROOT, pool=False)
    server._fault("alice", 1, "old fault")
    snapshot = server.grader_errors
    snapshot.append({"student": "mallory"})             # the page's copy: changing it changes nothing
    assert [e["student"] for e in server.grader_errors] == ["alice"]

    # the regrade's rebuild and a pool thread's append are serialised: the rebuild waits for the lock
    server._faults_lock.acquire()
    forget = threading.Thread(target=server._forget_faults, args=("alice",))
    forget.start()
    forget.join(0.3)
    assert forget.is_alive()                              # blocked while another thread holds the list
    server._faults.append({"student": "bob", "attempt": 2, "detail": "new fault"})
    server._faults_lock.release()
    forget.join(5)
    assert [(e["student"], e["detail"]) for e in server.grader_errors] == [("bob", "new fault")]

    # many threads at once: none of the faults recorded is lost, only alice's are forgotten
    def record(k):
        for i in range(300):
            server._fault(f"s{k}", i, "boom")

    def forget_alice():
        for _ in range(300):
            server._forget_faults("alice")

    threads = [threading.Thread(target=record, args=(k,)) for k in range(4)] + \
              [threading.Thread(target=forget_alice) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len([e for e in server.grader_errors if e["student"].startswith("s")]) == 1200


class _SlowPool:
    """A pool that records whether it was shut down."""

    def __init__(self):
        self.shut = False
        self._processes: dict = {}

    def submit(self, fn, *args):            # pragma: no cover - nothing is submitted in this test
        raise AssertionError("no job expected")

    def shutdown(self, wait=True, cancel_futures=False):
        self.shut = True


def test_stop_while_the_keeper_makes_a_new_pool_waits_and_ends_that_pool(monkeypatch, tmp_path):
    db = tmp_path / "gradebook.sqlite"
    made: list[_SlowPool] = []
    entered = threading.Event()

    def new_pool(self):
        pool = _SlowPool()
        made.append(pool)
        if len(made) > 1:                   # the keeper's rebuild: slow, like spawning workers that load the bank
            entered.set()
            time.sleep(1.0)
        return pool, set()

    monkeypatch.setattr(Jobs, "_new_pool", new_pool)
    monkeypatch.setattr(jobs_mod, "kill_trees", lambda pids: None)
    jobs = Jobs(ROOT, WEEK1, db, workers=1)
    jobs._broken(made[0])                   # a worker died: the keeper starts making a new pool
    assert entered.wait(10)
    jobs.close()                            # lands while the new pool is being made
    assert not jobs.keeper.is_alive()       # close() waited for the keeper ...
    assert len(made) == 2 and made[1].shut  # ... which ended the pool it made, since the server is stopping
    assert jobs.pool is made[0]             # and never put it in use


class _DyingPool:
    """A pool whose workers are dead as soon as it is made: every submit finds it broken."""

    def __init__(self):
        self._processes: dict = {}

    def submit(self, fn, *args):
        from concurrent.futures.process import BrokenProcessPool
        raise BrokenProcessPool("a worker died")

    def shutdown(self, wait=True, cancel_futures=False):
        pass


def test_workers_that_keep_dying_end_the_waiting_jobs_as_faults_instead_of_rebuilding_forever(monkeypatch,
                                                                                              tmp_path):
    db = tmp_path / "gradebook.sqlite"
    made: list[_DyingPool] = []

    def new_pool(self):
        made.append(_DyingPool())
        return made[-1], set()

    monkeypatch.setattr(Jobs, "_new_pool", new_pool)
    monkeypatch.setattr(jobs_mod, "kill_trees", lambda pids: None)
    jobs = Jobs(ROOT, WEEK1, db, workers=1)
    try:
        state = jobs.run_code("alice", FORMULA, "def f(x):\n    return x\n", "en")
        assert state is not None
        end = time.monotonic() + 20
        while state["status"] not in ("done", "error") and time.monotonic() < end:
            time.sleep(0.02)
        assert state["status"] == "error", state                     # a grader fault, said as one ...
        assert "died" in state["result"]["feedback"][0]
        time.sleep(0.5)
        settled = len(made)
        time.sleep(0.5)
        assert len(made) == settled <= jobs_mod.MAX_REBUILDS + 2       # ... and no pool is made after it
        assert jobs.queue_length() == 0
        # a later job tries again (a new pool), and is not refused for the earlier trouble
        again = jobs.run_code("bob", FORMULA, "def f(x):\n    return x\n", "en")
        assert again is not None
        end = time.monotonic() + 20
        while again["status"] not in ("done", "error") and time.monotonic() < end:
            time.sleep(0.02)
        assert again["status"] == "error" and len(made) > settled
    finally:
        jobs.close()


# -- opening a link: a GET changes nothing; the person signs in with the page's button ------------------------

def _sessions(db) -> int:
    import sqlite3
    with sqlite3.connect(db) as con:
        return con.execute("SELECT COUNT(*) FROM serve_sessions WHERE ended_at IS NULL").fetchone()[0]


def test_fetching_a_link_as_a_mail_scanner_does_signs_no_one_in_and_starts_no_clock(tmp_path):
    from grader.serve import settings as settings_mod
    from grader.serve.store import MAX_SESSIONS, Store
    db = tmp_path / "gradebook.sqlite"
    links = dict(make_links(WEEK1, ["alice"], db, "http://localhost", ROOT))
    server = Server(WEEK1, db, ROOT, pool=False, settings=settings_mod.Settings(time_limit=600),
                    limits={"enter": (1000.0, 1000), "login": (1000.0, 1000)})
    app = create_app(server)
    alice = Client(app, links["alice"])                    # alice signed in, in her browser
    assert Store(db).started(server.quiz.id, "alice") is not None
    token = links["alice"].rsplit("/", 1)[1]
    for _ in range(MAX_SESSIONS + 5):                      # a scanner fetching the link, again and again
        r = app.test_client().get("/s/" + token)
        assert r.status_code == 200 and b"alice" in r.data
    assert _sessions(db) == 1                              # only alice's own session: none was made
    assert alice.get("/quiz").status_code == 200           # and hers was not pushed out
    assert alice.post("/api/save", {"address": FORMULA, "value": "sigma(x)", "rev": 1}).status_code == 200


def test_a_timed_clock_starts_at_the_button_not_at_the_fetch(tmp_path):
    from grader.serve import settings as settings_mod
    from grader.serve.store import Store
    db = tmp_path / "gradebook.sqlite"
    links = dict(make_links(WEEK1, ["alice"], db, "http://localhost", ROOT))
    server = Server(WEEK1, db, ROOT, pool=False, settings=settings_mod.Settings(time_limit=600))
    app = create_app(server)
    c = app.test_client()
    token = links["alice"].rsplit("/", 1)[1]
    assert c.get("/s/" + token).status_code == 200
    assert Store(db).started(server.quiz.id, "alice") is None
    assert open_link(c, token).status_code == 303
    assert Store(db).started(server.quiz.id, "alice") is not None


def test_the_page_names_the_person_in_the_quiz_language_and_a_forged_sign_in_is_refused(tmp_path):
    from markupsafe import escape

    from grader.messages import text
    db = tmp_path / "gradebook.sqlite"
    links = dict(make_links(WEEK1, ["alice", "mallory"], db, "http://localhost", ROOT))
    server = Server(WEEK1, db, ROOT, pool=False)
    app = create_app(server)
    token = links["mallory"].rsplit("/", 1)[1]
    for lang in ("en", "zh"):
        page = app.test_client().get(f"/s/{token}?lang={lang}").data.decode()
        assert str(escape(text("serve_enter_confirm", lang, who="mallory"))) in page
        assert str(escape(text("serve_enter_button", lang, who="mallory"))) in page
    # mallory's page on another site POSTs her link from alice's browser (not signed in yet): the browser
    # sends no cookie of ours cross-site, so there is no token to match; nor does a guessed one
    victim = app.test_client()
    assert victim.post("/s/" + token, data={}).status_code == 403
    assert victim.post("/s/" + token, data={"csrf": "guessed-token-guessed-token"}).status_code == 403
    assert victim.post("/s/" + token, data={"csrf": "x"}, headers={"Origin": "https://evil.example"}).status_code == 403
    assert victim.get("/quiz").status_code == 401           # nobody is signed in
    # a token given to another browser's page is no good here either
    other = app.test_client()
    import re
    pre = re.search(r'name="csrf" value="([^"]+)"', other.get("/s/" + token).data.decode()).group(1)
    assert victim.post("/s/" + token, data={"csrf": pre}).status_code == 403
    assert other.post("/s/" + token, data={"csrf": pre}).status_code == 303
