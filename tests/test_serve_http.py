"""nngrade serve over HTTP: links, sessions, CSRF, who sees what, revisions, bounds, rate limits, deadlines.

Most tests drive the Flask application in process (no worker pool); the durability test runs the real
server (waitress) in a subprocess, kills it with SIGKILL and restarts it.
"""
from __future__ import annotations

import json
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time

import pytest
from click.testing import CliRunner

from grader.checks import check_answer
from grader.cli import cli
from grader.results.gradebook import Gradebook
from grader.quiz import assignment, load_quiz
from grader.serve import read_roster, settings as settings_mod
from grader.serve.app import Server, cookie_name, create_app, make_links
from grader.serve.store import Store, token_hash

from .conftest import ROOT

WEEK1 = ROOT / "quizzes" / "week1-activations.yaml"
COOKIE = cookie_name(re.search(r"^id: *(\S+)", WEEK1.read_text(encoding="utf-8"), re.M).group(1))   # its session cookie
MIDTERM = ROOT / "quizzes" / "midterm-exam.yaml"
FORMULA = "sigmoid-derivative/in-sigma"


def token_of(link: str) -> str:
    return link.rsplit("/", 1)[1]


@pytest.fixture
def db(tmp_path):
    return tmp_path / "gradebook.sqlite"


def make(db, quiz=WEEK1, students=("alice", "bob"), **kw):
    links = dict(make_links(quiz, list(students), db, "http://localhost", ROOT))
    server = Server(quiz, db, ROOT, pool=False, **kw)
    return server, create_app(server), links


def open_link(c, token: str, **kw):
    """Open a secret link as a person does in a browser not signed in: the GET shows the page naming who the
    link signs in, and its button POSTs (with the token the page carries); the POST's response is returned.
    Anything but that page (a redirect for the one already signed in, 404, 409, 429) is returned as it is."""
    r = c.get("/s/" + token, **kw)
    if r.status_code != 200:
        return r
    m = re.search(rb'<form method="post" action="/s/[^"]+"><input type="hidden" name="csrf" value="([^"]+)"', r.data)
    assert m, r.data
    return c.post("/s/" + token, data={"csrf": m.group(1).decode()})


class Client:
    """A browser of one person: cookie jar, and the CSRF token read from their page."""

    def __init__(self, app, link=None):
        self.c = app.test_client()
        self.csrf = ""
        if link:
            r = open_link(self.c, token_of(link))
            assert r.status_code == 303, r.data
            page = self.c.get(r.headers["Location"])
            m = re.search(rb'(?:data-csrf|name="csrf" value|name="csrf" content)="([^"]+)"', page.data)
            self.csrf = m.group(1).decode() if m else ""

    def post(self, url, data=None, **kw):
        headers = kw.pop("headers", {"X-CSRF-Token": self.csrf})
        return self.c.post(url, json=data, headers=headers, **kw)

    def get(self, url):
        return self.c.get(url)


def saved(db, student):
    with sqlite3.connect(db) as con:
        return dict(con.execute("SELECT address, value FROM serve_answers WHERE student=?", (student,)).fetchall())


# -- links and sessions --------------------------------------------------------------------------------

def test_links_are_random_stored_only_as_hashes_and_reissue_revokes(db):
    server, app, links = make(db)
    raw = b"".join(p.read_bytes() for p in db.parent.glob("gradebook.sqlite*"))
    for link in links.values():
        assert token_of(link).encode() not in raw
        assert token_hash(token_of(link)).encode() in raw
    assert len(set(links.values())) == 3
    alice = Client(app, links["alice"])
    assert alice.get("/quiz").status_code == 200
    new = dict(make_links(WEEK1, ["alice"], db, "http://localhost", ROOT))["alice"]
    assert new != links["alice"]
    assert alice.get("/quiz").status_code == 401                # the old session ended with its link
    assert app.test_client().get("/s/" + token_of(links["alice"])).status_code == 404
    assert Client(app, new).get("/quiz").status_code == 200
    assert Store(db).revoke("quiz-does-not-matter", "alice") == 0
    assert Store(db).revoke(server.quiz.id, "alice") == 1
    assert app.test_client().get("/s/" + token_of(new)).status_code == 404


def test_a_forged_or_altered_session_cookie_is_nobody(db):
    server, app, links = make(db)
    alice = Client(app, links["alice"])
    cookie = alice.c.get_cookie(COOKIE)
    assert cookie is not None and cookie.http_only
    # the same data signed with another key, and the real cookie with a changed payload
    from flask import Flask
    other = Flask("x")
    other.secret_key = "not the server's"
    with other.test_request_context():
        from flask.sessions import SecureCookieSessionInterface
        forged = SecureCookieSessionInterface().get_signing_serializer(other).dumps(
            {"link": token_hash(token_of(links["bob"])), "who": "bob", "role": "student", "csrf": "x"})
    for value in (forged, "x" + cookie.value[1:], cookie.value[:-2]):
        c = app.test_client()
        c.set_cookie(COOKIE, value)
        assert c.get("/quiz").status_code == 401
        assert c.post("/api/save", json={"address": FORMULA, "value": "x", "rev": 1},
                      headers={"X-CSRF-Token": "x"}).status_code in (401, 403)
    assert saved(db, "bob") == {}


def test_unknown_and_malformed_links_are_404_and_rate_limited_per_client(db):
    server, app, links = make(db, limits={"login": (0.0001, 3)})
    c = app.test_client()
    codes = [c.get(path).status_code for path in ("/s/" + "A" * 32, "/s/short", "/s/" + "é" * 20, "/s/" + "B" * 32)]
    assert codes[:3] == [404, 404, 404] and codes[3] == 429
    assert open_link(c, token_of(links["alice"])).status_code == 303      # a live link still opens


# -- CSRF -----------------------------------------------------------------------------------------------

def test_every_state_changing_request_needs_the_csrf_token_and_our_origin(db):
    server, app, links = make(db)
    alice = Client(app, links["alice"])
    teacher = Client(app, links["*instructor*"])
    body = {"address": FORMULA, "value": "sigma(x)", "rev": 1}
    for headers in ({}, {"X-CSRF-Token": "wrong"}, {"X-CSRF-Token": alice.csrf, "Origin": "https://evil.example"}):
        assert alice.post("/api/save", body, headers=headers).status_code == 403
        assert alice.post("/api/submit", {"submit_id": "a" * 16}, headers=headers).status_code == 403
        assert alice.post("/api/run", {"address": "sigmoid-derivative/code"}, headers=headers).status_code == 403
        r = teacher.c.post("/instructor/override", data={"student": "alice", "address": FORMULA, "score": "2"},
                           headers=headers)
        assert r.status_code == 403
        assert teacher.c.post("/instructor/release", headers=headers).status_code == 403
    assert saved(db, "alice") == {}
    assert Store(db).attempts(server.quiz.id, "alice") == []
    with Gradebook(db) as book:
        assert book.overrides(server.quiz.id, "alice") == {}
    assert not Store(db).released(server.quiz.id)
    assert alice.post("/api/save", body).status_code == 200           # with the token, from the page: stored
    assert saved(db, "alice") == {FORMULA: '"sigma(x)"'}


# -- a student sees only their own variant --------------------------------------------------------------

def _differing_students(bank):
    quiz = load_quiz(MIDTERM, bank)
    names = [f"s{i:03d}" for i in range(60)]
    parts = {n: {p.address for a in assignment(quiz, bank, n) for p in a.parts if p.type != "code"} for n in names}
    for a in names:
        for b in names:
            if parts[b] - parts[a]:
                return a, b, sorted(parts[b] - parts[a])
    raise AssertionError("no two students with different pools")


def test_changing_ids_in_urls_or_bodies_reaches_nothing_of_another_student(db, bank):
    a, b, only_b = _differing_students(bank)
    server, app, links = make(db, MIDTERM, (a, b))
    ca, cb = Client(app, links[a]), Client(app, links[b])
    assert cb.post("/api/save", {"address": only_b[0], "value": "B's secret answer", "rev": 1}).status_code == 200
    for address in only_b + ["../" + only_b[0], "x/y", "", 5, None, ["a"], "_code/../x"]:
        assert ca.post("/api/save", {"address": address, "value": "x", "rev": 7}).status_code in (400, 404)
        assert ca.post("/api/preview", {"address": address, "text": "x"}).status_code in (400, 404)
        assert ca.post("/api/run", {"address": address}).status_code in (400, 404)
    for url in (f"/quiz/{b}", f"/quiz?student={b}", f"/api/state?student={b}", f"/feedback/{b}",
                f"/feedback?student={b}", f"/instructor?student={b}", "/instructor", "/instructor/results.json",
                "/instructor/grades.csv", f"/s/{b}"):
        r = ca.get(url)
        assert b"B&#39;s secret" not in r.data and b"B's secret" not in r.data, url
        if url.startswith("/instructor"):
            assert r.status_code == 403
    page = ca.get("/quiz").data.decode()
    assert all(f'data-address="{x}"' not in page for x in only_b)
    assert f'data-address="{only_b[0]}"' in cb.get("/quiz").data.decode()
    state = ca.get("/api/state").get_json()
    assert only_b[0] not in state["answers"]
    # the instructor may not override a part the student does not have, nor a student not on the roster
    teacher = Client(app, links["*instructor*"])
    only_b_part = only_b[0]
    r = teacher.c.post("/instructor/override", data={"student": a, "address": only_b_part, "score": "1",
                                                      "csrf": teacher.csrf})
    assert r.status_code == 404
    r = teacher.c.post("/instructor/override", data={"student": "mallory", "address": only_b_part, "score": "1",
                                                      "csrf": teacher.csrf})
    assert r.status_code == 404
    with Gradebook(db) as book:
        assert book.overrides(server.quiz.id, a) == {} and book.overrides(server.quiz.id, "mallory") == {}


def test_a_student_link_does_not_open_the_instructor_pages(db):
    server, app, links = make(db)
    alice = Client(app, links["alice"])
    for url in ("/instructor", "/instructor/results.json", "/instructor/grades.csv", "/instructor/state"):
        assert alice.get(url).status_code == 403
    assert alice.post("/instructor/release", headers={"X-CSRF-Token": alice.csrf}).status_code == 403
    teacher = Client(app, links["*instructor*"])
    assert teacher.get("/quiz").status_code == 403
    assert teacher.post("/api/save", {"address": FORMULA, "value": "x", "rev": 1}).status_code == 403


# -- the page, the preview ------------------------------------------------------------------------------

def test_page_is_bilingual_with_a_switch_and_shows_saved_answers(db):
    server, app, links = make(db)
    alice = Client(app, links["alice"])
    alice.post("/api/save", {"address": FORMULA, "value": "σ(x)(1-σ(x))", "rev": 3})
    en = alice.get("/quiz?lang=en").data.decode()
    zh = alice.get("/quiz?lang=zh").data.decode()
    assert "Week 1: activation functions" in en and "第 1 周：激活函数" in zh
    assert 'href="/quiz?lang=zh"' in en and 'href="/quiz?lang=en"' in zh
    assert 'value="σ(x)(1-σ(x))"' in zh and 'data-rev="3"' in zh
    assert "<script src=\"/static/serve.js\"" in en and "http" not in re.sub(r'xmlns="[^"]+"', "", en).split("<main>")[1].split("</main>")[0].replace("http://localhost", "")
    js = alice.get("/static/serve.js")
    assert js.status_code == 200 and b"eval(" not in js.data and b"new Function" not in js.data
    assert "script-src 'self'" in alice.get("/quiz").headers["Content-Security-Policy"]


@pytest.mark.parametrize("answer", ["sigma(x)(1-sigma(x)", "σ(x)(1-σ(х))", "sigma(x)) + 1", "s(x)*(1-s(x))",
                                    "__import__('os')", "sigma(x)\u202e(1-x)"])
def test_preview_says_what_grading_says_for_unreadable_answers(db, bank, answer):
    server, app, links = make(db)
    alice = Client(app, links["alice"])
    for lang in ("en", "zh"):
        got = alice.post("/api/preview", {"address": FORMULA, "text": answer, "lang": lang}).get_json()
        graded = check_answer(bank.part(FORMULA), answer, lang)
        assert graded.verdict == "invalid"
        assert got["state"] == "error"
        assert got["message"] == " ".join(graded.feedback)
        assert got.get("caret", "") == graded.details.get("caret", "")


@pytest.mark.parametrize("answer", ["sigma(x)(1-sigma(x))", r"\sigma(x)\left(1-\sigma(x)\right)", "σ(x)·σ(-x)",
                                    "sigma(x)(1+sigma(x))"])
def test_preview_reads_as_grading_interprets(db, bank, answer):
    server, app, links = make(db)
    alice = Client(app, links["alice"])
    got = alice.post("/api/preview", {"address": FORMULA, "text": answer}).get_json()
    graded = check_answer(bank.part(FORMULA), answer, "en")
    assert got["state"] == "ok" and got["latex"] == graded.interpreted
    assert got["mathml"].startswith("<math")


def test_preview_of_numbers_and_matrices_uses_the_number_reader(db):
    server, app, links = make(db)
    alice = Client(app, links["alice"])
    ok = alice.post("/api/preview", {"address": "sigmoid-derivative/max", "text": "1/4"}).get_json()
    assert ok["state"] == "ok" and "0.25" in ok["message"]
    bad = alice.post("/api/preview", {"address": "sigmoid-derivative/max", "text": "x/4"}).get_json()
    assert bad["state"] == "error" and "x" in bad["message"]
    assert alice.post("/api/preview", {"address": "sigmoid-symmetry/proof", "text": "x"}).status_code == 400


# -- nothing lost, nothing older wins, bad requests change nothing --------------------------------------

def test_two_tabs_never_overwrite_newer_with_older(db):
    server, app, links = make(db)
    tab1, tab2 = Client(app, links["alice"]), Client(app, links["alice"])
    assert tab1.post("/api/save", {"address": FORMULA, "value": "newer", "rev": 5}).status_code == 200
    r = tab2.post("/api/save", {"address": FORMULA, "value": "older", "rev": 4})
    assert r.status_code == 409 and r.get_json() == {"saved": False, "rev": 5, "value": "newer"}
    r = tab2.post("/api/save", {"address": FORMULA, "value": "same rev", "rev": 5})
    assert r.status_code == 409
    assert saved(db, "alice")[FORMULA] == '"newer"'
    assert tab2.post("/api/save", {"address": FORMULA, "value": "newest", "rev": 6}).status_code == 200
    assert tab1.get("/api/state").get_json()["answers"][FORMULA] == {"value": "newest", "rev": 6}


@pytest.mark.parametrize("body,status", [
    (b"not json", 400), (b"[1, 2]", 400), (b'{"address": 1}', 404),
    (json.dumps({"address": FORMULA, "value": "x", "rev": "1"}).encode(), 400),
    (json.dumps({"address": FORMULA, "value": "x", "rev": True}).encode(), 400),
    (json.dumps({"address": FORMULA, "value": "x", "rev": -1}).encode(), 400),
    (json.dumps({"address": FORMULA, "value": "x", "rev": 2 ** 60}).encode(), 400),
    (json.dumps({"address": FORMULA, "value": {"a": 1}, "rev": 1}).encode(), 400),
    (json.dumps({"address": FORMULA, "value": ["a"], "rev": 1}).encode(), 400),
    (json.dumps({"address": FORMULA, "value": "x" * 5001, "rev": 1}).encode(), 400),
    (json.dumps({"address": "sigmoid-derivative/code", "value": "def f(): pass", "rev": 1}).encode(), 400),
    (json.dumps({"address": "_code", "value": "x = 1\n" * 40000, "rev": 1}).encode(), 400),
    (json.dumps({"address": FORMULA, "value": "x" * 600_000, "rev": 1}).encode(), 413),
])
def test_malformed_or_oversized_requests_get_4xx_and_change_nothing(db, body, status):
    server, app, links = make(db)
    alice = Client(app, links["alice"])
    r = alice.c.post("/api/save", data=body, headers={"X-CSRF-Token": alice.csrf, "Content-Type": "application/json"})
    assert r.status_code == status
    assert "message" in r.get_json()
    assert saved(db, "alice") == {}


def test_retried_submit_is_one_attempt_and_attempts_are_limited(db):
    server, app, links = make(db, settings=settings_mod.parse({"attempts": 2}))
    alice = Client(app, links["alice"])
    alice.post("/api/save", {"address": FORMULA, "value": "sigma(x)", "rev": 1})
    first = alice.post("/api/submit", {"submit_id": "first-attempt-1"}).get_json()
    again = alice.post("/api/submit", {"submit_id": "first-attempt-1"}).get_json()
    assert first == {"attempt": 1, "new": True} and again == {"attempt": 1, "new": False}
    assert alice.post("/api/submit", {"submit_id": "second-attempt"}).get_json()["attempt"] == 2
    r = alice.post("/api/submit", {"submit_id": "third-attempt"})
    assert r.status_code == 403 and r.get_json()["error"] == "serve_no_attempts_left"
    r = alice.post("/api/save", {"address": FORMULA, "value": "late", "rev": 2})
    assert r.status_code == 403 and r.get_json()["error"] == "serve_no_attempts_left"
    assert [a["number"] for a in Store(db).attempts(server.quiz.id, "alice")] == [1, 2]
    assert Store(db).attempt_answers(server.quiz.id, "alice", 1) == {FORMULA: "sigma(x)"}


# -- rate limits ---------------------------------------------------------------------------------------

def test_rate_limits_are_per_student(db):
    server, app, links = make(db, limits={"save": (0.001, 3), "preview": (0.001, 2)})
    alice, bob = Client(app, links["alice"]), Client(app, links["bob"])
    codes = [alice.post("/api/save", {"address": FORMULA, "value": str(i), "rev": i + 1}).status_code for i in range(4)]
    assert codes == [200, 200, 200, 429]
    r = alice.post("/api/save", {"address": FORMULA, "value": "x", "rev": 99})
    assert r.status_code == 429 and int(r.headers["Retry-After"]) > 0
    assert saved(db, "alice")[FORMULA] == '"2"'
    assert bob.post("/api/save", {"address": FORMULA, "value": "b", "rev": 1}).status_code == 200
    codes = [alice.post("/api/preview", {"address": FORMULA, "text": "x"}).status_code for _ in range(3)]
    assert codes == [200, 200, 429]


# -- times: opening, closing, time limit --------------------------------------------------------------

def test_not_open_yet_and_closed(db):
    now = time.time()
    server, app, links = make(db, settings=settings_mod.Settings(opens=now + 3600))
    alice = Client(app, links["alice"])
    assert alice.get("/quiz").status_code == 403 and alice.csrf
    r = alice.post("/api/save", {"address": FORMULA, "value": "x", "rev": 1})
    assert r.status_code == 403 and r.get_json()["error"] == "serve_not_open"
    server.settings = settings_mod.Settings(opens=now - 7200, closes=now - 3600)
    r = alice.post("/api/save", {"address": FORMULA, "value": "x", "rev": 1})
    assert r.status_code == 403 and r.get_json()["error"] == "serve_closed"
    r = alice.post("/api/submit", {"submit_id": "late-submit-1"})
    assert r.status_code == 403 and r.get_json()["error"] == "serve_closed"
    assert saved(db, "alice") == {} and Store(db).attempts(server.quiz.id, "alice") == []
    server.settings = settings_mod.Settings(opens=now - 7200, closes=now + 3600)
    assert alice.post("/api/save", {"address": FORMULA, "value": "x", "rev": 1}).status_code == 200


def test_time_limit_starts_at_first_opening_and_ends_writes(db):
    server, app, links = make(db, settings=settings_mod.Settings(time_limit=600))
    alice = Client(app, links["alice"])
    page = alice.get("/quiz").data.decode()
    started = Store(db).started(server.quiz.id, "alice")
    assert started is not None
    deadline = float(re.search(r'data-deadline="([0-9.]+)"', page).group(1))
    assert abs(deadline - (started + 600)) < 1e-6
    assert alice.post("/api/save", {"address": FORMULA, "value": "x", "rev": 1}).status_code == 200
    alice.get("/quiz")
    assert Store(db).started(server.quiz.id, "alice") == started           # reopening does not restart the clock
    with sqlite3.connect(db) as con:       # the student opened the quiz 11 minutes ago
        con.execute("UPDATE serve_starts SET started_at=?", (time.time() - 660,))
    r = alice.post("/api/save", {"address": FORMULA, "value": "y", "rev": 2})
    assert r.status_code == 403 and r.get_json()["error"] == "serve_closed"
    r = alice.post("/api/submit", {"submit_id": "after-time-1"})
    assert r.status_code == 403 and r.get_json()["error"] == "serve_closed"
    assert saved(db, "alice")[FORMULA] == '"x"'
    bob = Client(app, links["bob"])                              # another student's clock is their own
    bob.get("/quiz")
    assert bob.post("/api/save", {"address": FORMULA, "value": "b", "rev": 1}).status_code == 200


def test_settings_are_checked():
    assert settings_mod.parse({"attempts": 1, "feedback": "release", "time_limit": 30,
                               "opens": "2026-12-01T09:00:00+08:00"}).time_limit == 1800
    for bad in ({"attempts": 0}, {"attempts": True}, {"feedback": "now"}, {"time_limit": -1},
                {"opens": "tomorrow"}, {"opens": "2026-12-02", "closes": "2026-12-01"}, {"attemps": 1}, [1]):
        with pytest.raises(settings_mod.SettingsError):
            settings_mod.parse(bad)


# -- feedback, review, downloads (grading run by hand in the test, as the pool would) --------------------

def _grade_now(server, student):
    from grader.serve import jobs
    jobs._STATE.update(bank=server.bank, quiz=server.quiz, db=str(server.db_path))
    number = Store(server.db_path).attempts(server.quiz.id, student)[-1]["number"]
    jobs.grade_attempt(student, Store(server.db_path).attempt_answers(server.quiz.id, student, number), "en")
    Store(server.db_path).set_status(server.quiz.id, student, number, "graded")


def test_feedback_when_allowed_review_override_and_downloads(db):
    quiz = db.parent / "quiz.yaml"
    quiz.write_text("id: serve-text\ntitle: {en: T, zh: T}\nseed: 1\nquestions:\n  - init-symmetry/explain\n"
                    "  - sigmoid-derivative/in-sigma\n", encoding="utf-8")
    server, app, links = make(db, quiz, settings=settings_mod.Settings(feedback="release"))
    alice = Client(app, links["alice"])
    teacher = Client(app, links["*instructor*"])
    alice.post("/api/save", {"address": "init-symmetry/explain", "value": "symmetry: all hidden units compute the same", "rev": 1})
    alice.post("/api/save", {"address": FORMULA, "value": "sigma(x)(1-sigma(x))", "rev": 1})
    alice.post("/api/submit", {"submit_id": "attempt-one-1"})
    _grade_now(server, "alice")
    assert alice.get("/feedback").status_code == 403                       # feedback: release
    page = teacher.get("/instructor").data.decode()
    assert 'data-student="alice" data-address="init-symmetry/explain"' in page and "symmetry: all hidden units compute the same" in page
    with Gradebook(db) as book:
        before = book.results(server.quiz.id, "alice", ["init-symmetry"])[0].parts[0]
    r = teacher.c.post("/instructor/override", data={"student": "alice", "address": "init-symmetry/explain",
                                                      "score": str(before.max_score), "comment": "good",
                                                      "csrf": teacher.csrf})
    assert r.status_code == 303
    with Gradebook(db) as book:
        assert book.overrides(server.quiz.id, "alice")["init-symmetry/explain"].score == before.max_score
    assert 'data-student="alice" data-address="init-symmetry/explain"' not in teacher.get("/instructor").data.decode()
    bad = teacher.c.post("/instructor/override", data={"student": "alice", "address": "init-symmetry/explain",
                                                        "score": "1e9", "csrf": teacher.csrf})
    assert bad.status_code == 400
    teacher.c.post("/instructor/release", data={"csrf": teacher.csrf})
    fb = alice.get("/feedback")
    assert fb.status_code == 200 and b"good" in fb.data
    results = json.loads(teacher.get("/instructor/results.json").data)
    row = results["students"][0]
    assert row["student"] == "alice" and row["score"] == row["max_score"]
    csv_text = teacher.get("/instructor/grades.csv").data.decode()
    assert csv_text.splitlines()[1].startswith("alice,")


# -- the CLI --------------------------------------------------------------------------------------------

def test_roster_command_writes_links_and_refuses_bad_rosters(tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text("student,name\nalice,A\nbob,B\n", encoding="utf-8")
    out = tmp_path / "links.csv"
    db = tmp_path / "gb.sqlite"
    res = CliRunner().invoke(cli, ["roster", str(WEEK1), str(roster), "-o", str(out), "--db", str(db),
                                   "--base-url", "https://quiz.example/"], env={"NNGRADE_BANK": str(ROOT)})
    assert res.exit_code == 0, res.output
    rows = out.read_text().splitlines()
    assert rows[0] == "student,link" and len(rows) == 4
    assert re.fullmatch(r"alice,https://quiz\.example/s/[A-Za-z0-9_-]{32}", rows[1])
    for bad in ("alice\nalice\n", "\x07bell\n", "", "*instructor*\n"):
        roster.write_text(bad, encoding="utf-8")
        res = CliRunner().invoke(cli, ["roster", str(WEEK1), str(roster), "-o", str(out), "--db", str(db)],
                                 env={"NNGRADE_BANK": str(ROOT)})
        assert res.exit_code == 2, (bad, res.output)
    with pytest.raises(ValueError):
        read_roster(tmp_path / "missing.csv")


# -- durability: SIGKILL and restart --------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(db, port, quiz=WEEK1):
    env = {**os.environ, "NNGRADE_BANK": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "grader", "serve", "--quiz", str(quiz), "--db", str(db),
                             "--port", str(port), "--workers", "1"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    for _ in range(300):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return proc
        except OSError:
            if proc.poll() is not None:
                raise AssertionError(proc.stderr.read().decode())
            time.sleep(0.1)
    proc.kill()
    raise AssertionError("server did not start")


def login(base, link):
    import requests
    s = requests.Session()
    r = s.get(base + "/s/" + token_of(link), timeout=10)
    pre = re.search(r'name="csrf" value="([^"]+)"', r.text).group(1)
    r = s.post(base + "/s/" + token_of(link), data={"csrf": pre}, timeout=10)
    s.headers["X-CSRF-Token"] = re.search(r'data-csrf="([^"]+)"', r.text).group(1)
    return s


def test_acknowledged_answers_survive_sigkill_without_duplicates(tmp_path):
    pytest.importorskip("requests")
    db = tmp_path / "gb.sqlite"
    students = [f"st{i}" for i in range(6)]
    links = dict(make_links(WEEK1, students, db, "http://x", ROOT))
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    proc = start_server(db, port)
    acked: dict[tuple[str, str], tuple[int, str]] = {}
    submits: dict[str, set] = {s: set() for s in students}
    lock = threading.Lock()
    stop = threading.Event()
    addresses = [FORMULA, "sigmoid-derivative/max", "tanh-sigmoid/tanh-in-sigma"]

    def student(name):
        try:
            s = login(base, links[name])
        except Exception:  # noqa: BLE001 - the server was killed before this one logged in
            return
        rev = 0
        while not stop.is_set():
            rev += 1
            address = addresses[rev % len(addresses)]
            value = f"{name}-{rev}"
            try:
                r = s.post(base + "/api/save", json={"address": address, "value": value, "rev": rev}, timeout=5)
                if r.status_code == 200:
                    with lock:
                        acked[(name, address)] = (rev, value)
                if rev % 7 == 0:
                    sid = f"{name}-submit-{rev}"
                    r = s.post(base + "/api/submit", json={"submit_id": sid}, timeout=5)
                    if r.status_code == 200:
                        with lock:
                            submits[name].add(sid)
            except Exception:  # noqa: BLE001 - the server is gone: stop sending
                return

    threads = [threading.Thread(target=student, args=(n,)) for n in students]
    for t in threads:
        t.start()
    time.sleep(2.0)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    stop.set()
    for t in threads:
        t.join()
    assert len(acked) >= len(students)          # the kill came while answers were being acknowledged
    proc = start_server(db, port)
    try:
        for name in students:
            s = login(base, links[name])
            state = s.get(base + "/api/state", timeout=10).json()
            for address in addresses:
                if (name, address) in acked:
                    rev, value = acked[(name, address)]
                    got = state["answers"][address]
                    assert got["rev"] >= rev, (name, address)
                    if got["rev"] == rev:
                        assert got["value"] == value
            numbers = [a["number"] for a in state["attempts"]]
            assert numbers == list(range(1, len(numbers) + 1))      # no duplicate, no gap
            assert len(numbers) >= len(submits[name])
        with sqlite3.connect(db) as con:
            ids = [r[0] for r in con.execute("SELECT submit_id FROM serve_attempts")]
        assert len(ids) == len(set(ids))
        assert all(sid in ids for ids_ in submits.values() for sid in ids_)
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def test_quiz_file_serve_settings_are_read_and_checked(tmp_path, bank):
    quiz = tmp_path / "q.yaml"
    quiz.write_text(WEEK1.read_text(encoding="utf-8") + "serve: {attempts: 1, time_limit: 20, feedback: after_close,"
                    " closes: 2030-01-01T10:00:00+08:00}\n", encoding="utf-8")
    load_quiz(quiz, bank)
    server, app, links = make(tmp_path / "gb.sqlite", quiz)
    s = server.settings
    assert (s.attempts, s.time_limit, s.feedback) == (1, 1200, "after_close")
    assert s.closes == 1893463200.0
    quiz.write_text(WEEK1.read_text(encoding="utf-8") + "serve: {attempts: 1, closes: soon}\n", encoding="utf-8")
    res = CliRunner().invoke(cli, ["serve", "--quiz", str(quiz), "--db", str(tmp_path / "x.sqlite")],
                             env={"NNGRADE_BANK": str(ROOT)})
    assert res.exit_code == 2 and "serve.closes" in res.output


def test_point_biserial_is_the_pearson_correlation():
    import numpy as np
    from grader.serve.instructor import point_biserial
    rng = np.random.default_rng(3)
    item = rng.integers(0, 2, 40).astype(float)
    rest = item * 3 + rng.normal(size=40)
    assert point_biserial(list(item), list(rest)) == pytest.approx(np.corrcoef(item, rest)[0, 1], rel=1e-12)
    assert point_biserial([1.0, 1.0, 1.0], [1.0, 2.0, 3.0]) is None          # no variance: undefined, not 0


def test_instructor_page_shows_item_analysis_and_lms_downloads(db):
    server, app, links = make(db, students=("alice", "bob", "carol"))
    for name, answer in (("alice", "sigma(x)(1-sigma(x))"), ("bob", "sigma(x)(1+sigma(x))"),
                         ("carol", "sigma(x)(1+sigma(x))")):
        c = Client(app, links[name])
        c.post("/api/save", {"address": FORMULA, "value": answer, "rev": 1})
        c.post("/api/submit", {"submit_id": f"{name}-attempt-1"})
        _grade_now(server, name)
    teacher = Client(app, links["*instructor*"])
    page = teacher.get("/instructor").data.decode()
    row = page.split(f'<tr data-address="{FORMULA}">')[1].split("</tr>")[0]
    assert "<td>3</td>" in row and "sigma(x)(1+sigma(x))</code> ×2" in row
    assert "0.33" in row                                        # one of three right: difficulty 1/3
    canvas = teacher.get("/instructor/canvas-grades.csv")
    assert canvas.status_code == 200 and "Points Possible" in canvas.data.decode()
    assert teacher.get("/instructor/moodle-grades.csv").status_code == 200
    assert teacher.get("/instructor/other-grades.csv").status_code == 404


def test_the_automatic_submission_at_the_end_of_the_time_limit_lands_within_the_grace(db):
    server, app, links = make(db, settings=settings_mod.Settings(time_limit=600))
    alice = Client(app, links["alice"])
    alice.get("/quiz")
    with sqlite3.connect(db) as con:       # the countdown reached zero 10 s ago; the page submits now
        con.execute("UPDATE serve_starts SET started_at=?", (time.time() - 610,))
    assert alice.post("/api/submit", {"submit_id": "auto-at-zero"}).status_code == 200
    assert settings_mod.GRACE < 60


def test_grader_errors_are_listed_first_on_the_instructor_page(db):
    from grader.results import PartResult, QuestionResult
    server, app, links = make(db)
    broken = PartResult("in-sigma", "error", 0.0, 2.0, "internal error", details={"error": "internal",
                                                                                   "exception": "KeyError: boom"})
    with Gradebook(db) as book:
        book.store(server.quiz.id, "alice", [("sigmoid-derivative", "k", QuestionResult("sigmoid-derivative",
                                                                                          [broken], {}))], [])
    page = Client(app, links["*instructor*"]).get("/instructor").data.decode()
    errors = page.index('id="grader-errors"')
    assert "KeyError: boom" in page[errors:errors + 2000]
    assert errors < page.index('id="counts"') and errors < page.index('id="review"')


def test_group_commit_keeps_every_save_and_never_lets_an_older_revision_win(tmp_path):
    store = Store(tmp_path / "gb.sqlite", group_commit=True)
    results: dict = {}

    def writer(student):
        for rev in range(1, 31):
            results[(student, rev)] = store.save("q", student, "a/b", f"{student}-{rev}", rev)
        results[(student, "old")] = store.save("q", student, "a/b", "stale", 3)

    threads = [threading.Thread(target=writer, args=(f"s{i}",)) for i in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    again = Store(tmp_path / "gb.sqlite")                 # a fresh connection: what is on disk
    for i in range(12):
        assert all(results[(f"s{i}", rev)][0] for rev in range(1, 31))
        assert results[(f"s{i}", "old")] == (False, 30, f"s{i}-30")
        assert again.answers("q", f"s{i}") == {"a/b": (f"s{i}-30", 30)}


def test_immediate_feedback_checks_a_part_in_the_request_as_grading_does(db, bank):
    server, app, links = make(db, settings=settings_mod.Settings(feedback="immediate"))
    alice = Client(app, links["alice"])
    assert 'class="check"' in alice.get("/quiz").data.decode()
    for rev, answer in enumerate(("sigma(x)(1+sigma(x))", "sigma(x)(1-sigma(x))", "sigma(x)(1-"), 1):
        assert alice.post("/api/save", {"address": FORMULA, "value": answer, "rev": rev}).status_code == 200
        got = alice.post("/api/check", {"address": FORMULA}).get_json()
        want = check_answer(bank.part(FORMULA), answer, "en")
        assert (got["verdict"], got["score"], got["feedback"]) == (want.verdict, want.score, list(want.feedback))
    assert alice.post("/api/check", {"address": "sigmoid-derivative/code"}).status_code == 400
    assert Store(db).attempts(server.quiz.id, "alice") == []          # checking records no attempt
    server.settings = settings_mod.Settings(feedback="after_submit")
    r = alice.post("/api/check", {"address": FORMULA})
    assert r.status_code == 403 and 'class="check"' not in alice.get("/quiz").data.decode()
