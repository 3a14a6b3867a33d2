"""nngrade serve, hardened: the code-grading pool is fair across students, sessions end at logout and at
revocation, a stop leaves no grading behind (and regrades it at the next start), and the instructor's
downloads and regrade.

The pool tests use the real worker pool and the real sandbox; looping code (``while True: pass`` at
import) holds a worker until the sandbox stops it. Nothing here asserts a duration: order and outcome only.
"""
from __future__ import annotations

import json
import re
import time

import pytest

from grader.messages import text
from grader.serve.app import Server, create_app, make_links
from grader.serve.jobs import CODE_KEY, descendants
from grader.serve.store import Store, token_hash

from .conftest import ROOT
from .test_serve_http import COOKIE, Client

WEEK1 = ROOT / "quizzes" / "week1-activations.yaml"
CODE = "sigmoid-derivative/code"
LOOP = "while True:\n    pass\n"
RIGHT = "import numpy as np\n\n\ndef sigmoid_grad(x):\n    s = 1 / (1 + np.exp(-x))\n    return s * (1 - s)\n"
WAIT = 600          # a bound on how long the tests wait for the pool (a hang fails instead of blocking forever)


def until(predicate, what: str):
    end = time.monotonic() + WAIT
    while time.monotonic() < end:
        got = predicate()
        if got:
            return got
        time.sleep(0.1)
    raise AssertionError(f"never happened: {what}")


@pytest.fixture
def pooled(tmp_path):
    db = tmp_path / "gb.sqlite"
    links = dict(make_links(WEEK1, ["alice", "bob", "carol"], db, "http://localhost", ROOT))
    server = Server(WEEK1, db, ROOT, workers=1, limits={"run": (100.0, 100), "submit": (100.0, 100)})
    try:
        yield server, create_app(server), links
    finally:
        if server.jobs:
            server.jobs.close()


def run_status(client, address=CODE):
    return client.get("/api/state").get_json()["runs"].get(address)


# -- 1. one student cannot tie up the code-grading pool ------------------------------------------------

def test_a_student_flooding_the_pool_with_looping_code_does_not_starve_the_others(pooled):
    server, app, links = pooled
    alice, bob, carol = (Client(app, links[n]) for n in ("alice", "bob", "carol"))
    alice.get("/quiz?lang=zh")
    # alice's looping run takes the only worker
    assert alice.post("/api/save", {"address": CODE_KEY, "value": LOOP, "rev": 1}).status_code == 200
    assert alice.post("/api/run", {"address": CODE}).status_code == 200
    until(lambda: run_status(alice)["status"] == "running", "alice's run starts")
    # bob asks for a run (it waits), then fixes his code and asks again: the waiting run takes the new code
    assert bob.post("/api/save", {"address": CODE_KEY, "value": LOOP, "rev": 1}).status_code == 200
    assert bob.post("/api/run", {"address": CODE}).status_code == 200
    first = run_status(bob)
    assert first["status"] == "queued"
    assert bob.post("/api/save", {"address": CODE_KEY, "value": RIGHT, "rev": 2}).status_code == 200
    assert bob.post("/api/run", {"address": CODE}).status_code == 200
    assert run_status(bob)["id"] == first["id"]                  # the same run, not a second one
    # alice floods: another run while hers runs is refused, in her language; her submissions are recorded
    assert alice.post("/api/save", {"address": CODE_KEY, "value": LOOP + "# again\n", "rev": 2}).status_code == 200
    again = alice.post("/api/run", {"address": CODE})
    assert again.status_code == 429 and again.get_json()["message"] == text("serve_code_busy_run", "zh")
    assert again.headers.get("Retry-After")
    for n in range(3):
        r = alice.post("/api/submit", {"submit_id": f"alice-flood-{n}"})
        assert r.status_code == 200 and r.get_json()["new"]
    # carol comes after all of that
    assert carol.post("/api/save", {"address": CODE_KEY, "value": RIGHT, "rev": 1}).status_code == 200
    assert carol.post("/api/run", {"address": CODE}).status_code == 200
    done_b = until(lambda: (s := run_status(bob)) and s["status"] == "done" and s, "bob's run ends")
    done_c = until(lambda: (s := run_status(carol)) and s["status"] == "done" and s, "carol's run ends")
    assert done_b["result"]["verdict"] == "correct"              # bob's fixed code was the code run
    assert done_c["result"]["verdict"] == "correct"
    order = list(server.jobs.started)
    assert order.count(("bob", "run")) == 1 and order.count(("alice", "run")) == 1
    # alice's three attempts waited before bob's and carol's runs were asked for; both went first
    assert order[:3] == [("alice", "run"), ("bob", "run"), ("carol", "run")], order
    # alice's attempts are all graded in turn later (none was refused); a run meanwhile is refused
    busy = alice.post("/api/run", {"address": CODE})
    assert busy.status_code == 429
    assert busy.get_json()["message"] in (text("serve_code_busy_grade", "zh"), text("serve_code_busy_run", "zh"))
    assert server.jobs.queue_length() >= 1


def test_the_busy_answer_exists_in_both_languages():
    for key in ("serve_code_busy_run", "serve_code_busy_grade"):
        en, zh = text(key, "en"), text(key, "zh")
        assert en and zh and en != zh and re.search(r"[\u4e00-\u9fff]", zh)


# -- 3. a stop leaves no grading running, and the attempt is graded at the next start -------------------

def _alive(pid: int) -> bool:
    try:
        state = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")


def _cmdline(pid: int) -> str:
    try:
        return open(f"/proc/{pid}/cmdline", "rb").read().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def start_server(db, quiz=WEEK1):
    import os
    import subprocess
    import sys
    import threading
    proc = subprocess.Popen([sys.executable, "-m", "grader", "serve", "--quiz", str(quiz), "--db", str(db),
                             "--port", "0", "--workers", "1"], env={**os.environ, "NNGRADE_BANK": str(ROOT)},
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)          # its own process group, as in a terminal
    lines: list[str] = []
    ready = threading.Event()

    def read():
        for line in proc.stderr:
            lines.append(line)
            if "http://" in line:
                ready.set()
        ready.set()                 # the server ended before it was ready
    threading.Thread(target=read, daemon=True).start()
    if not ready.wait(WAIT) or "http://" not in "".join(lines):
        proc.kill()
        proc.wait()
        raise AssertionError("".join(lines))
    port = re.search(r"http://127\.0\.0\.1:(\d+)/", "".join(lines)).group(1)
    return proc, f"http://127.0.0.1:{port}", lines


def login(base, link):
    import requests
    s = requests.Session()
    r = s.get(base + "/s/" + link.rsplit("/", 1)[1], timeout=30)
    pre = re.search(r'name="csrf" value="([^"]+)"', r.text).group(1)
    r = s.post(base + "/s/" + link.rsplit("/", 1)[1], data={"csrf": pre}, timeout=30)
    s.headers["X-CSRF-Token"] = re.search(r'data-csrf="([^"]+)"', r.text).group(1)
    return s


def attempt_status(db, student="alice"):
    import sqlite3
    with sqlite3.connect(db) as con:
        return [r[0] for r in con.execute("SELECT status FROM serve_attempts WHERE student=? ORDER BY number",
                                          (student,))]


class _TooLate(Exception):
    """The grading ended by itself (the loop's 5 s import limit) before the stop was sent: no stop was tested."""


def _graded_at(db, student="alice") -> float | None:
    import sqlite3
    with sqlite3.connect(db) as con:
        if not con.execute("SELECT 1 FROM sqlite_master WHERE name='questions'").fetchone():
            return None                                  # nothing graded yet: the gradebook's tables are not made
        row = con.execute("SELECT MAX(graded_at) FROM questions WHERE student=?", (student,)).fetchone()
    return row[0] if row else None


@pytest.mark.parametrize("stop", ["SIGTERM", "SIGINT", "Ctrl-C"])
def test_a_stop_kills_the_grading_it_started_and_the_next_start_grades_the_attempt(tmp_path, stop):
    """SIGTERM and SIGINT to the server; Ctrl-C in a terminal: SIGINT to its whole process group, the
    pool's workers included (they must leave the stop to the server, not end their job as a failure).

    The stop must land while the sandbox runs the loop, within its 5 s import limit; on a loaded machine
    this test's own process can be held up longer than that, and the grading then ends (the student's
    time-out) before the stop is sent. Such a try tested nothing: it is recognised by the grading's stored
    time being before the stop's, and made again (at most three times). A grading stored after the stop
    fails the test: the stop did not end it."""
    for attempt in range(3):
        try:
            _stop_kills_the_grading(tmp_path / f"try{attempt}", stop)
            return
        except _TooLate:
            continue
    pytest.fail("three tries: the grading always ended before the stop could be sent (the machine is too loaded)")


def _stop_kills_the_grading(tmp_path, stop):
    import os
    import signal
    pytest.importorskip("requests")
    from grader.results.gradebook import Gradebook
    tmp_path.mkdir(parents=True)
    db = tmp_path / "gb.sqlite"
    links = dict(make_links(WEEK1, ["alice"], db, "http://x", ROOT))
    proc, base, lines = start_server(db)
    try:
        alice = login(base, links["alice"])
        assert alice.post(base + "/api/save", json={"address": CODE_KEY, "value": LOOP, "rev": 1}).status_code == 200
        assert alice.post(base + "/api/submit", json={"submit_id": "alice-before-stop"}).status_code == 200
        # multiprocessing's resource tracker is no grading: it ends by itself when the server's end closes its pipe
        def grading_now():
            return {p for p in descendants([proc.pid]) - {proc.pid} if "resource_tracker" not in _cmdline(p)}

        # the grading is under way: the pool worker has started the sandbox (bubblewrap, its worker, the
        # process running alice's loop): at least three processes below the worker
        def sandbox_running():
            now = grading_now()
            return len(now) >= 4 and any("sandbox_child" in _cmdline(p) for p in now) and now
        grading = until(sandbox_running, "the sandbox runs alice's code")
        tracker = {p for p in descendants([proc.pid]) if "resource_tracker" in _cmdline(p)}
        assert attempt_status(db) == ["grading"]
        stopped_at = time.time()
        if stop == "Ctrl-C":
            os.killpg(proc.pid, signal.SIGINT)
        else:
            proc.send_signal(getattr(signal, stop))
        assert proc.wait(WAIT) == 0, "".join(lines)
        survivors = [(p, _cmdline(p)) for p in grading if _alive(p)]
        assert survivors == []                                      # checked at once: no wait for a timeout
        graded_at = _graded_at(db)
        if attempt_status(db) == ["graded"] and graded_at is not None and graded_at < stopped_at:
            raise _TooLate
        assert attempt_status(db) == ["grading"]                    # not graded, not an error: still to do
        until(lambda: not any(_alive(p) for p in tracker), "the resource tracker ends")
        assert "Traceback" not in "".join(lines)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    proc, base, lines = start_server(db)                           # the next start grades it
    try:
        until(lambda: attempt_status(db) == ["graded"], "the attempt is graded after the restart")
        with Gradebook(db) as book:
            rows = book.results("week1-activations", "alice", ["sigmoid-derivative"])
        code = {p.part: p for p in rows[0].parts}["code"]
        assert code.verdict != "error" and code.score == 0          # the loop was graded as the student's
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(WAIT)


# -- 2. logging out, revoking and re-issuing a link end the session, copies of its cookie included --------

@pytest.fixture
def plain(tmp_path):
    db = tmp_path / "gb.sqlite"
    links = dict(make_links(WEEK1, ["alice", "bob"], db, "http://localhost", ROOT))
    server = Server(WEEK1, db, ROOT, pool=False)
    return server, create_app(server), links, db


def copy_of(client, app):
    """Another browser holding a copy of ``client``'s session cookie (and its CSRF token)."""
    thief = Client(app)
    thief.c.set_cookie(COOKIE, client.c.get_cookie(COOKIE).value)
    thief.csrf = client.csrf
    return thief


def refused(client, lang="en", cookie=None):
    """Every kind of request of a student, each replaying the same cookie, is refused with the 'session
    ended' answer (the first refusal also clears the cookie in the browser: a replay sends it again)."""
    cookie = cookie or client.c.get_cookie(COOKIE).value
    client.c.set_cookie(COOKIE, cookie)
    page = client.get("/quiz")
    assert page.status_code == 401 and text("serve_session_ended", lang).encode() in page.data
    client.c.set_cookie(COOKIE, cookie)
    save = client.post("/api/save", {"address": "sigmoid-derivative/in-sigma", "value": "stolen", "rev": 99})
    assert save.status_code == 401 and save.get_json()["message"] == text("serve_session_ended", lang)
    client.c.set_cookie(COOKIE, cookie)
    state = client.get("/api/state")
    assert state.status_code == 401 and state.get_json()["message"] == text("serve_session_ended", lang)
    assert client.get("/quiz").status_code == 401        # the cleared cookie: nobody, asked to open a link
    return True


def test_a_copied_cookie_stops_working_when_its_student_logs_out(plain):
    server, app, links, db = plain
    alice = Client(app, links["alice"])
    thief = copy_of(alice, app)
    stolen = alice.c.get_cookie(COOKIE).value
    assert thief.get("/quiz").status_code == 200                  # a copy works while the session lives
    assert 'action="/logout"' in alice.get("/quiz").data.decode()  # the page offers the way out
    out = alice.c.post("/logout", data={"csrf": alice.csrf})
    assert out.status_code == 303
    assert refused(thief, cookie=stolen)
    assert Store(db).answers(server.quiz.id, "alice") == {}
    again = Client(app, links["alice"])                             # the same link opens a fresh session
    assert again.get("/quiz").status_code == 200
    saved = again.post("/api/save", {"address": "sigmoid-derivative/in-sigma", "value": "x", "rev": 1})
    assert saved.status_code == 200
    assert refused(thief, cookie=stolen)                            # the old copy stays dead


def test_logout_needs_the_csrf_token_and_ends_only_that_session(plain):
    server, app, links, db = plain
    phone, laptop = Client(app, links["alice"]), Client(app, links["alice"])
    cookie = phone.c.get_cookie(COOKIE).value
    assert phone.c.post("/logout", data={}).status_code == 403      # a forged logout changes nothing
    assert phone.get("/quiz").status_code == 200
    assert phone.c.post("/logout", data={"csrf": phone.csrf}).status_code == 303
    assert refused(phone, cookie=cookie)
    phone.c.set_cookie(COOKIE, cookie)
    assert phone.c.post("/logout", data={"csrf": phone.csrf}).status_code == 303      # again: nothing to end
    assert laptop.get("/quiz").status_code == 200                   # another device's session is its own


@pytest.mark.parametrize("how", ["revoke", "reissue"])
def test_revoking_or_reissuing_a_link_ends_its_sessions_and_copies(plain, how):
    server, app, links, db = plain
    alice, bob = Client(app, links["alice"]), Client(app, links["bob"])
    alice.get("/quiz?lang=zh")
    thief = copy_of(alice, app)
    stolen = alice.c.get_cookie(COOKIE).value
    if how == "revoke":
        assert Store(db).revoke(server.quiz.id, "alice") == 1
    else:
        new = dict(make_links(WEEK1, ["alice"], db, "http://localhost", ROOT))["alice"]
    assert refused(alice, "zh") and refused(thief, "zh", stolen)
    assert bob.get("/quiz").status_code == 200                      # nobody else is touched
    assert app.test_client().get("/s/" + links["alice"].rsplit("/", 1)[1]).status_code == 404
    if how == "reissue":
        fresh = Client(app, new)
        assert fresh.get("/quiz").status_code == 200
        assert refused(thief, "zh", stolen)


def test_the_instructor_session_ends_the_same_way(plain):
    server, app, links, db = plain
    teacher = Client(app, links["*instructor*"])
    thief = copy_of(teacher, app)
    assert thief.get("/instructor").status_code == 200
    teacher.c.post("/logout", data={"csrf": teacher.csrf})
    r = thief.get("/instructor/results.json")
    assert r.status_code == 401 and text("serve_session_ended", "en").encode() in r.data


def test_a_session_is_stored_only_as_a_hash(plain):
    server, app, links, db = plain
    alice = Client(app, links["alice"])
    from flask.sessions import SecureCookieSessionInterface
    with app.test_request_context():
        data = SecureCookieSessionInterface().get_signing_serializer(app).loads(
            alice.c.get_cookie(COOKIE).value)
    raw = b"".join(p.read_bytes() for p in db.parent.glob("gb.sqlite*"))
    assert data["sid"].encode() not in raw and token_hash(data["sid"]).encode() in raw


# -- 4. the instructor's downloads of the publish stage's files, and regrade -----------------------------

INSTRUCTOR_URLS = ("/instructor", "/instructor/results.json", "/instructor/grades.csv", "/instructor/canvas-grades.csv",
                   "/instructor/moodle-grades.csv", "/instructor/canvas-qti.zip", "/instructor/moodle.xml",
                   "/instructor/state")


def test_every_download_has_its_type_and_parses(plain):
    import csv
    import io
    import json
    import xml.etree.ElementTree as ET
    import zipfile
    from .test_serve_http import _grade_now
    server, app, links, db = plain
    alice = Client(app, links["alice"])
    alice.post("/api/save", {"address": "sigmoid-derivative/in-sigma", "value": "sigma(x)(1-sigma(x))", "rev": 1})
    alice.post("/api/submit", {"submit_id": "alice-attempt-1"})
    _grade_now(server, "alice")
    teacher = Client(app, links["*instructor*"])
    page = teacher.get("/instructor").data.decode()
    for url in ("/instructor/canvas-qti.zip", "/instructor/moodle.xml", 'action="/instructor/regrade"'):
        assert url in page

    def got(url, kind):
        r = teacher.get(url)
        assert r.status_code == 200 and r.mimetype == kind, (url, r.status_code, r.mimetype)
        assert "attachment" in r.headers["Content-Disposition"]
        return r.data

    results = json.loads(got("/instructor/results.json", "application/json"))
    assert [s["student"] for s in results["students"]] == ["alice"]

    def rows(url):
        return list(csv.reader(io.StringIO(got(url, "text/csv").decode("utf-8"))))
    grades = rows("/instructor/grades.csv")
    assert grades[0][:4] == ["student", "score", "max_score", "percent"] and grades[1][0] == "alice"
    canvas = rows("/instructor/canvas-grades.csv")
    assert canvas[0][:5] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
    assert canvas[1][0].strip() == "Points Possible" and canvas[2][2] == "alice"
    moodle = rows("/instructor/moodle-grades.csv")
    assert moodle[0][0] == "ID number" and moodle[0][2] == "Feedback" and moodle[1][0] == "alice"

    for lang in ("en", "zh"):
        package = zipfile.ZipFile(io.BytesIO(got(f"/instructor/canvas-qti.zip?lang={lang}", "application/zip")))
        names = package.namelist()
        assert "imsmanifest.xml" in names
        trees = {n: ET.fromstring(package.read(n)) for n in names if n.endswith(".xml")}
        assessment = [t for n, t in trees.items() if n != "imsmanifest.xml"]
        assert len(assessment) == 1 and assessment[0].tag.endswith("questestinterop")
        assert assessment[0].find(".//{*}item") is not None          # the quiz's questions are in it
        moodle_xml = ET.fromstring(got(f"/instructor/moodle.xml?lang={lang}", "application/xml"))
        assert moodle_xml.tag == "quiz"
        kinds = {q.get("type") for q in moodle_xml.iter("question")}
        assert "category" in kinds and len(kinds) > 1
    zh = ET.fromstring(got("/instructor/moodle.xml?lang=zh", "application/xml"))
    assert any(re.search(r"[\u4e00-\u9fff]", t.text or "") for t in zh.iter("text"))     # the language asked


def test_a_student_reaches_none_of_the_instructors_pages_downloads_or_actions(plain):
    server, app, links, db = plain
    alice = Client(app, links["alice"])
    for url in INSTRUCTOR_URLS:
        assert alice.get(url).status_code == 403, url
    for url in ("/instructor/regrade", "/instructor/release", "/instructor/override"):
        assert alice.c.post(url, data={"csrf": alice.csrf, "student": "alice", "address": "x", "score": "9"}
                            ).status_code == 403, url
    nobody = app.test_client()
    for url in INSTRUCTOR_URLS:
        assert nobody.get(url).status_code == 401, url
    teacher = Client(app, links["*instructor*"])
    assert teacher.c.post("/instructor/regrade", data={}).status_code == 403           # no CSRF token: refused


def _course(tmp_path, half: str):
    """A one-question course: 'half' (1 point) whose reference is ``half``, and 'third' (2 points)."""
    root = tmp_path / "course"
    for sub in ("questions", "solutions", "quizzes"):
        (root / sub).mkdir(parents=True, exist_ok=True)
    (root / "questions" / "halves.yaml").write_text(
        'id: halves\ntitle: {en: "Halves", zh: "一半"}\nprompt: {en: "Numbers.", zh: "数。"}\nparts:\n'
        '  - id: half\n    type: numeric\n    points: 1\n    prompt: {en: "1/2?", zh: "1/2？"}\n'
        '    tolerance: {abs: 1.0e-9}\n'
        '  - id: third\n    type: numeric\n    points: 2\n    prompt: {en: "1/3?", zh: "1/3？"}\n'
        '    tolerance: {abs: 1.0e-6}\n', encoding="utf-8")
    (root / "solutions" / "halves.py").write_text(
        f'ANSWERS = {{"half": "{half}", "third": "1/3"}}\n'
        f'SELF_TESTS = {{"half": {{"accept": ["{half}"], "reject": ["7"]}}, '
        '"third": {"accept": ["1/3"], "reject": ["7"]}}\n', encoding="utf-8")
    quiz = root / "quizzes" / "q.yaml"
    quiz.write_text('id: halves-quiz\ntitle: {en: "Halves", zh: "一半"}\nseed: 1\nquestions:\n  - halves\n',
                    encoding="utf-8")
    return root, quiz


def test_regrade_uses_the_fixed_reference_and_keeps_overrides(tmp_path):
    from grader.results.gradebook import Gradebook
    root, quiz = _course(tmp_path, half="0.4")              # a wrong reference: 1/2 is 0.5
    db = tmp_path / "gb.sqlite"
    links = dict(make_links(quiz, ["alice", "bob"], db, "http://localhost", root))
    server = Server(quiz, db, root, workers=1)
    try:
        app = create_app(server)
        teacher = Client(app, links["*instructor*"])
        for name, third in (("alice", "1/3"), ("bob", "0.3")):
            c = Client(app, links[name])
            c.post("/api/save", {"address": "halves/half", "value": "0.5", "rev": 1})
            c.post("/api/save", {"address": "halves/third", "value": third, "rev": 1})
            assert c.post("/api/submit", {"submit_id": f"{name}-attempt-1"}).status_code == 200

        def graded(name):
            return Store(db).attempts("halves-quiz", name)[-1]["status"] == "graded"

        def result(name):
            return {s["student"]: s for s in json.loads(teacher.get("/instructor/results.json").data)["students"]}[name]
        until(lambda: graded("alice") and graded("bob"), "both attempts graded")
        assert result("alice")["score"] == 2 and result("bob")["score"] == 0          # 0.5 judged wrong
        # the instructor gives bob 1 of 2 on 'third' (his 0.3 is close); it must survive the regrade
        r = teacher.c.post("/instructor/override", data={"student": "bob", "address": "halves/third", "score": "1",
                                                         "comment": "close enough", "csrf": teacher.csrf})
        assert r.status_code == 303 and result("bob")["score"] == 1
        _course(tmp_path, half="1/2")                       # the reference is fixed on disk
        before = len(server.jobs.started)
        r = teacher.c.post("/instructor/regrade", data={"csrf": teacher.csrf})
        assert r.status_code == 303 and r.headers["Location"] == "/instructor?regrading=2"
        assert text("serve_regrading", "en", n=2) in teacher.get(r.headers["Location"]).data.decode()
        until(lambda: len(server.jobs.started) >= before + 2 and server.jobs.queue_length() == 0
              and graded("alice") and graded("bob"), "the regrade ends")
        assert result("alice")["score"] == 3                 # 0.5 is now right: 1 + 2
        assert result("bob")["score"] == 2                   # 1 (half, now right) + 1 (the override, kept)
        with Gradebook(db) as book:
            assert book.overrides("halves-quiz", "bob")["halves/third"].comment == "close enough"
        assert Store(db).attempts("halves-quiz", "alice")[-1]["number"] == 1     # a regrade is no new attempt
        # a bank that no longer loads: said plainly, nothing regraded, the bank in use stays
        (root / "solutions" / "halves.py").write_text("ANSWERS = {\n", encoding="utf-8")
        r = teacher.c.post("/instructor/regrade", data={"csrf": teacher.csrf})
        assert r.status_code == 409 and "halves" in r.data.decode()
        assert server.bank.part("halves/half") is not None
    finally:
        server.jobs.close()


def test_a_bank_the_workers_cannot_load_is_a_plain_error_and_leaves_no_worker(tmp_path):
    import os
    from grader.serve import ServeError
    from grader.serve.jobs import Jobs
    root, quiz = _course(tmp_path, half="0.5")
    (root / "solutions" / "halves.py").write_text("ANSWERS = {\n", encoding="utf-8")     # broken after the check
    before = descendants([os.getpid()])
    with pytest.raises(ServeError) as failed:
        Jobs(root, quiz, tmp_path / "gb.sqlite", workers=1)
    assert failed.value.key == "serve_pool_failed"
    message = text(failed.value.key, "zh", **failed.value.params)
    assert "halves.py" in message and "Traceback" not in message
    assert not [p for p in descendants([os.getpid()]) - before if "spawn_main" in _cmdline(p) and _alive(p)]


def test_nngrade_roster_revoke_ends_the_sessions_of_the_students_named(plain, tmp_path):
    from click.testing import CliRunner

    from grader.cli import cli
    server, app, links, db = plain
    alice, bob = Client(app, links["alice"]), Client(app, links["bob"])
    stolen = alice.c.get_cookie(COOKIE).value
    roster = tmp_path / "lost.csv"
    roster.write_text("student\nalice\n", encoding="utf-8")
    res = CliRunner().invoke(cli, ["roster", str(WEEK1), str(roster), "--revoke", "--db", str(db)],
                             env={"NNGRADE_BANK": str(ROOT)})
    assert res.exit_code == 0, res.output
    assert text("cli_links_revoked", "en", n=1) in res.output
    assert refused(copy_of(alice, app), cookie=stolen)
    assert bob.get("/quiz").status_code == 200
    res = CliRunner().invoke(cli, ["roster", str(WEEK1), str(roster), "--db", str(db)], env={"NNGRADE_BANK": str(ROOT)})
    assert res.exit_code == 2 and "--out" in res.output


def started_in_worker(jobs, student: str) -> bool:
    """The student's job has started in a worker (the worker wrote its pid in the job's mark)."""
    from pathlib import Path
    job = jobs.running.get(student)
    try:
        return bool(job and job.mark and Path(job.mark).read_text())
    except OSError:
        return False


def test_a_dead_worker_is_replaced_and_only_the_job_it_was_running_is_a_fault(tmp_path):
    import os
    import signal
    from grader.serve.jobs import Jobs
    db = tmp_path / "gb.sqlite"
    jobs = Jobs(ROOT, WEEK1, db, workers=1)
    try:
        first = set(jobs.worker_pids)
        # a worker killed while idle (as the kernel's OOM killer would): the jobs queued next never ran, so
        # they are not faults; they wait for the new pool and get their verdicts there
        for pid in first:
            os.kill(pid, signal.SIGKILL)
        until(lambda: not any(_alive(p) for p in first), "the worker is gone")
        states = [jobs.run_code(name, CODE, RIGHT, "en") for name in ("alice", "bob")]
        ended = until(lambda: all(s["status"] in ("done", "error") for s in states) and states, "both runs end")
        for state in ended:
            assert state["status"] == "done" and state["result"]["verdict"] == "correct", state
        assert jobs.rebuilds == 1 and not (set(jobs.worker_pids) & first)
        assert jobs.queue_length() == 0
        # a worker killed under a running job: the job is tried once more on a new pool (a worker's death is
        # ours, never the student's), so carol gets her own verdict: her looping code's time-out
        loop = jobs.run_code("carol", CODE, RIGHT + "\n\n" + LOOP, "en")
        # "started": in the worker (its pid written), not only handed to the pool: a worker killed before the
        # job started in it was not that job's doing, and the job simply runs again
        started = lambda: loop["status"] == "running" and started_in_worker(jobs, "carol")      # noqa: E731
        until(started, "carol's run starts")
        busy = set(jobs.worker_pids)
        for pid in busy:
            os.kill(pid, signal.SIGKILL)
        until(lambda: jobs.rebuilds == 2 or None, "a second new pool")
        until(started, "carol's run starts again")
        # killed under the same job a second time: now a grader fault, said as one, never stuck
        again = set(jobs.worker_pids)
        for pid in again:
            os.kill(pid, signal.SIGKILL)
        until(lambda: loop["status"] in ("done", "error") or None, "carol's run ends")
        assert loop["status"] == "error" and loop["result"]["verdict"] == "error"
        after = jobs.run_code("dave", CODE, RIGHT, "en")
        until(lambda: after["status"] in ("done", "error") or None, "dave's run ends")
        assert after["status"] == "done" and after["result"]["verdict"] == "correct", after
        assert jobs.rebuilds == 3 and not (set(jobs.worker_pids) & (busy | again))
        assert not any(_alive(p) for p in first | busy | again)
        outcome: list = []
        assert jobs.grade("erin", {}, "en", lambda f: outcome.append(f))
        until(lambda: outcome, "the grading ends")
        assert outcome[0].result() is not None                  # graded on the new pool, no exception
    finally:
        jobs.close()
