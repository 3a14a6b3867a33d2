"""`nngrade serve` as a process, as a newcomer meets it: the ready line comes when the port answers
(with the real port for ``--port 0``), a busy port is a usage error naming it, SIGTERM ends the server
and its code-grading pool cleanly (no leaked semaphores, no worker left), and links.csv has plain
``\\n`` line ends (``cut -d, -f2`` gives the link)."""
from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from grader.cli import cli
from grader.messages import text
from grader.serve import ServeError, listen_socket

from .conftest import ROOT

WEEK1 = ROOT / "quizzes" / "week1-activations.yaml"
ENV = {**os.environ, "NNGRADE_BANK": str(ROOT)}


def children(pid: int) -> list[int]:
    out = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        out += [int(c) for c in (task / "children").read_text().split()]
    return out


def cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "Ctrl-C"])
def test_ready_line_comes_when_the_port_answers_and_a_stop_is_clean(tmp_path, stop):
    proc = subprocess.Popen([sys.executable, "-m", "grader", "serve", "--quiz", str(WEEK1), "--db",
                             str(tmp_path / "gb.sqlite"), "--port", "0", "--workers", "1"], env=ENV,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    lines: list[str] = []
    ready = threading.Event()

    def read():
        assert proc.stderr is not None
        for line in proc.stderr:
            lines.append(line)
            if "http://" in line:
                ready.set()
    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        assert ready.wait(300), "".join(lines)
        found = re.search(r"http://127\.0\.0\.1:(\d+)/", lines[-1])
        assert found, lines
        port = int(found.group(1))
        assert port != 0
        # at the moment of the ready line: the port answers at once, and the pool's worker runs
        socket.create_connection(("127.0.0.1", port), timeout=5).close()
        workers = [c for c in children(proc.pid) if "spawn_main" in cmdline(c)]
        assert len(workers) == 1, [cmdline(c) for c in children(proc.pid)]
        proc.send_signal(stop)
        assert proc.wait(60) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    reader.join(10)
    err = "".join(lines)
    assert "leaked" not in err and "Traceback" not in err, err
    assert text("serve_stopped", "en") in err
    time.sleep(0.5)
    assert not any(alive(w) for w in workers)


def test_a_busy_port_is_a_usage_error_naming_it_before_anything_starts(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        res = subprocess.run([sys.executable, "-m", "grader", "serve", "--quiz", str(WEEK1), "--db",
                              str(tmp_path / "gb.sqlite"), "--port", str(port)], env=ENV,
                             capture_output=True, text=True, timeout=300)
    assert res.returncode == 2, res.stderr
    assert "Traceback" not in res.stderr and "Errno" not in res.stderr
    assert text("serve_port_busy", "en", host="127.0.0.1", port=port) in res.stderr
    assert not (tmp_path / "gb.sqlite").exists()        # refused before the gradebook or the pool


def test_the_listening_socket_says_why_it_cannot_be_had():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(ServeError) as busy:
            listen_socket("127.0.0.1", port)
    assert busy.value.key == "serve_port_busy"
    assert str(port) in text(busy.value.key, "zh", **busy.value.params)
    with pytest.raises(ServeError) as bad:
        listen_socket("no-such-host.invalid", 8000)
    assert bad.value.key == "serve_cannot_listen" and "no-such-host.invalid" in text(bad.value.key, "zh",
                                                                                      **bad.value.params)
    sock = listen_socket("127.0.0.1", 0)                # port 0: a free port, the one bound is known
    try:
        assert sock.getsockname()[1] != 0
    finally:
        sock.close()


def test_links_csv_has_plain_line_ends(tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text("student\nalice\nbob\n", encoding="utf-8")
    out = tmp_path / "links.csv"
    res = CliRunner().invoke(cli, ["roster", str(WEEK1), str(roster), "-o", str(out), "--db",
                                   str(tmp_path / "gb.sqlite"), "--base-url", "https://quiz.example"],
                             env={"NNGRADE_BANK": str(ROOT)})
    assert res.exit_code == 0, res.output
    raw = out.read_bytes()
    assert b"\r" not in raw and raw.endswith(b"\n")
    links = subprocess.run(["cut", "-d,", "-f2"], input=raw, capture_output=True, check=True).stdout.split(b"\n")
    assert re.fullmatch(rb"https://quiz\.example/s/[A-Za-z0-9_-]{32}", links[1])


def test_a_second_server_starting_while_the_first_loads_its_pool_is_refused_at_once(tmp_path, monkeypatch):
    # two servers started seconds apart on one port: both bind it (SO_REUSEADDR, neither listening yet); the
    # other one starts listening while this one loads its pool. This one must end with the port-busy usage
    # error, not a traceback from waitress, and leave nothing running.
    import grader.serve.app as serve_app
    from grader.serve import serve
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    other = socket.socket()
    other.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    other.bind(("127.0.0.1", port))
    closed = []

    class Loading:                           # stands for Server: the pool "loads", and the other server listens
        jobs = None

        def __init__(self, *a, **k):
            other.listen()

        def requeue(self):
            closed.append("requeue")
    monkeypatch.setattr(serve_app, "Server", Loading)
    monkeypatch.setattr(serve_app, "create_app", lambda *a, **k: (lambda environ, start_response: []))
    try:
        with pytest.raises(ServeError) as busy:
            serve(WEEK1, tmp_path / "gb.sqlite", "127.0.0.1", port)
        assert busy.value.key == "serve_port_busy" and busy.value.params["port"] == port
        with socket.create_connection(("127.0.0.1", port), timeout=5):    # the other server keeps its port
            pass
    finally:
        other.close()
