"""nngrade serve, hardened: the code-grading pool is fair across students, sessions end at logout and at
revocation, a stop leaves no grading behind (and regrades it at the next start), and the instructor's
downloads and regrade.

The pool tests use the real worker pool and the real sandbox; looping code (``while True: pass`` at
import) holds a worker until the sandbox stops it. Nothing here asserts a duration: order and outcome only.
"""
from __future__ import annotations

import re
import time

import pytest

from grader.messages import text
from grader.serve.app import Server, create_app, make_links
from grader.serve.jobs import CODE_KEY, descendants

from .conftest import ROOT
from .test_serve_http import Client

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
    # between carol's request and her run, alice (with three attempts waiting) had at most one job started
    assert order.index(("carol", "run")) <= order.index(("bob", "run")) + 2, order
    assert order[:2] == [("alice", "run"), ("bob", "run")], order
    # alice's attempts are all graded in turn later (none was refused); a run meanwhile is refused
    busy = alice.post("/api/run", {"address": CODE})
    assert busy.status_code == 429
    assert busy.get_json()["message"] in (text("serve_code_busy_grade", "zh"), text("serve_code_busy_run", "zh"))
    assert server.jobs.queue_length() >= 1


def test_the_busy_answer_exists_in_both_languages():
    for key in ("serve_code_busy_run", "serve_code_busy_grade"):
        en, zh = text(key, "en"), text(key, "zh")
        assert en and zh and en != zh and re.search(r"[\u4e00-\u9fff]", zh)
