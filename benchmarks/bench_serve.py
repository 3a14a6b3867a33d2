"""Load benchmark of ``nngrade serve`` (not a test): a simulated exam of N students on 127.0.0.1.

Each student opens their link, loads the quiz, types three answers at typing pace (a preview request
per debounced keystroke group, an autosave after each answer), writes solution.py, runs its visible
tests, and submits; every client retries what was not acknowledged, as the page's script does.
The server is the real one (``python -m grader serve``, waitress + the code-grading pool) in its own
process. The run is repeated with a SIGKILL of the server in the middle and a restart.

Printed: p50 / p95 / p99 latency of preview, autosave and submit (client side), the code-grading
queue wait (server side: queued to started), and lost or duplicated answers (acknowledged saves
missing after the run, attempts whose submit id appears twice): both must be 0.

    python benchmarks/bench_serve.py [--students 300] [--workers 2] [--clients 4] [--only steady|kill]
"""
from __future__ import annotations

import argparse
import json
import multiprocessing
import multiprocessing.queues
import os
import random
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from grader.serve.app import make_links  # noqa: E402

QUIZ = """id: bench-serve
title: {en: "Serve benchmark", zh: "服务基准"}
seed: 11
questions:
  - sigmoid-derivative
"""
CODE = """import numpy as np

def sigmoid_grad(x):
    s = 1.0 / (1.0 + np.exp(-x))
    return s * (1.0 - s)
"""
ANSWERS = [("sigmoid-derivative/in-sigma", "sigma(x)*(1-sigma(x))"),
           ("sigmoid-derivative/max", "1/4"),
           ("sigmoid-derivative/argmax", "0")]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(quiz: Path, db: Path, port: int, workers: int) -> subprocess.Popen:
    env = {**os.environ, "NNGRADE_BANK": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "grader", "serve", "--quiz", str(quiz), "--db", str(db),
                             "--port", str(port), "--workers", str(workers)], env=env,
                            stdout=subprocess.DEVNULL, stderr=None if os.environ.get("BENCH_VERBOSE") else subprocess.DEVNULL)
    t0 = time.time()
    while time.time() - t0 < 300:           # a loaded machine: importing and starting the pool takes a while
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return proc
        except OSError:
            if proc.poll() is not None:
                raise SystemExit(f"the server exited with status {proc.returncode}")
            time.sleep(0.1)
    raise SystemExit("the server did not start within 300 s")


class Run:
    def __init__(self, base: str, links: dict):
        self.base, self.links = base, links
        self.lat: dict[str, list[float]] = {"preview": [], "save": [], "submit": []}
        self.app: dict[str, list[float]] = {"preview": [], "save": [], "submit": []}    # Server-Timing
        self.acked: dict[tuple[str, str], tuple[int, object]] = {}
        self.submitted: dict[str, str] = {}
        self.lock = threading.Lock()
        self.errors = 0
        self.retries = 0

    def call(self, s: requests.Session, kind: str | None, url: str, body: dict, deadline: float):
        """POST until a definite answer (2xx or 4xx): a dead or restarting server is retried, like the page does."""
        while time.time() < deadline:
            t = time.perf_counter()
            try:
                r = s.post(self.base + url, json=body, timeout=30)
            except requests.RequestException:
                with self.lock:
                    self.retries += 1
                time.sleep(0.5)
                continue
            if r.status_code == 429 or r.status_code >= 500:
                with self.lock:
                    self.retries += 1
                time.sleep(float(r.headers.get("Retry-After", "1")))
                continue
            if kind:
                m = re.search(r"dur=([0-9.]+)", r.headers.get("Server-Timing", ""))
                with self.lock:
                    self.lat[kind].append(time.perf_counter() - t)
                    if m:
                        self.app[kind].append(float(m.group(1)) / 1000)
            return r
        with self.lock:
            self.errors += 1
        return None

    def login(self, name: str, deadline: float) -> requests.Session:
        while time.time() < deadline:
            s = requests.Session()
            try:
                r = s.get(self.links[name], timeout=30)          # the page naming who the link signs in
                pre = re.search(r'name="csrf" value="([^"]+)"', r.text).group(1)
                r = s.post(self.links[name], data={"csrf": pre}, timeout=30)     # its button
                s.headers["X-CSRF-Token"] = re.search(r'data-csrf="([^"]+)"', r.text).group(1)
                return s
            except (requests.RequestException, AttributeError):
                time.sleep(0.5)
        raise RuntimeError("could not log in")

    def student(self, name: str, start_delay: float, deadline: float) -> None:
        rng = random.Random(name)
        time.sleep(start_delay)
        s = self.login(name, deadline)
        rev = 0
        for address, answer in ANSWERS:
            for k in range(1, len(answer) + 1, 3):              # a preview per debounced group of keystrokes
                self.call(s, "preview", "/api/preview", {"address": address, "text": answer[:k]}, deadline)
                time.sleep(rng.uniform(0.25, 0.6))
            rev += 1
            r = self.call(s, "save", "/api/save", {"address": address, "value": answer, "rev": rev}, deadline)
            if r is not None and r.status_code == 200:
                with self.lock:
                    self.acked[(name, address)] = (rev, answer)
            time.sleep(rng.uniform(0.5, 2.0))
        rev += 1
        r = self.call(s, "save", "/api/save", {"address": "_code", "value": CODE, "rev": rev}, deadline)
        if r is not None and r.status_code == 200:
            with self.lock:
                self.acked[(name, "_code")] = (rev, CODE)
        self.call(s, None, "/api/run", {"address": "sigmoid-derivative/code"}, deadline)
        time.sleep(rng.uniform(1.0, 3.0))
        sid = f"{name}-attempt-1"
        r = self.call(s, "submit", "/api/submit", {"submit_id": sid}, deadline)
        if r is not None and r.status_code == 200:
            with self.lock:
                self.submitted[name] = sid


def pct(values: list[float], q: float) -> float:
    v = sorted(values)
    return v[min(len(v) - 1, int(q * len(v)))] * 1000 if v else float("nan")


def wait_graded(db: Path, students: int, timeout: float) -> float:
    t0 = time.time()
    while time.time() - t0 < timeout:
        with sqlite3.connect(db) as con:
            left = con.execute("SELECT COUNT(*) FROM serve_attempts WHERE status NOT IN ('graded', 'error')").fetchone()[0]
            done = con.execute("SELECT COUNT(*) FROM serve_attempts").fetchone()[0]
        if left == 0 and done >= students:
            return time.time() - t0
        time.sleep(1.0)
    return float("nan")


def client(base: str, links: dict, names: list[str], deadline: float, out) -> None:
    """One client process: its students as threads; what they measured goes back through ``out``."""
    run = Run(base, links)
    threads = [threading.Thread(target=run.student, args=(name, random.Random(name).uniform(0, 20), deadline),
                                daemon=True) for name in names]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    out.put({"lat": run.lat, "app": run.app, "acked": run.acked, "submitted": run.submitted, "errors": run.errors,
             "retries": run.retries})


def phase(title: str, n: int, workers: int, kill_after: float | None, clients: int = 4) -> dict:
    tmp = Path(tempfile.mkdtemp(prefix="bench-serve-"))
    quiz = tmp / "quiz.yaml"
    quiz.write_text(QUIZ, encoding="utf-8")
    db = tmp / "gradebook.sqlite"
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    names = [f"b{i:04d}" for i in range(n)]
    links = {w: l for w, l in make_links(quiz, names, db, base, ROOT)}
    proc = start(quiz, db, port, workers)
    run = Run(base, links)
    t0 = time.time()
    deadline = t0 + 900
    # the students are spread over ``clients`` processes (threads in each), so that one client process's
    # GIL is not what the latencies measure
    ctx = multiprocessing.get_context("fork")
    out: multiprocessing.queues.Queue = ctx.Queue()
    procs = [ctx.Process(target=client, args=(base, links, names[k::clients], deadline, out), daemon=True)
             for k in range(clients)]
    for c in procs:
        c.start()
    killed = None
    if kill_after is not None:
        time.sleep(kill_after)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        killed = time.time() - t0
        time.sleep(1.0)
        proc = start(quiz, db, port, workers)
    for _ in procs:
        part = out.get()
        for kind in run.lat:
            run.lat[kind] += part["lat"][kind]
            run.app[kind] += part["app"][kind]
        run.acked.update(part["acked"])
        run.submitted.update(part["submitted"])
        run.errors += part["errors"]
        run.retries += part["retries"]
    for c in procs:
        c.join()
    load_seconds = time.time() - t0
    graded_after = wait_graded(db, len(run.submitted), 900)
    teacher = requests.Session()
    r = teacher.get(links["*instructor*"], timeout=30)
    r = teacher.post(links["*instructor*"], data={"csrf": re.search(r'name="csrf" value="([^"]+)"', r.text).group(1)},
                     timeout=30)
    state = teacher.get(base + "/instructor/state", timeout=30).json()
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
    with sqlite3.connect(db) as con:
        stored = {(s, a): (rev, v) for s, a, v, rev in con.execute(
            "SELECT student, address, value, rev FROM serve_answers")}
        attempts = con.execute("SELECT student, submit_id FROM serve_attempts").fetchall()
        code = [p for (row,) in con.execute("SELECT result FROM questions") for p in json.loads(row)["parts"]
                if p["part"] == "code"]
    lost = sum(1 for key, (rev, value) in run.acked.items()
               if key not in stored or stored[key][0] < rev or (stored[key][0] == rev and json.loads(stored[key][1]) != value))
    ids = [sid for _, sid in attempts]
    duplicated = len(ids) - len(set(ids)) + sum(1 for s in set(a for a, _ in attempts)
                                                if sum(1 for a, _ in attempts if a == s) > 1)
    missing_attempts = sum(1 for s, sid in run.submitted.items() if (s, sid) not in set(attempts))
    return {"title": title, "students": n, "load_seconds": load_seconds, "killed_at": killed,
            "graded_after": graded_after, "lat": run.lat, "app": run.app, "load": os.getloadavg(), "acked": len(run.acked), "lost": lost,
            "duplicated": duplicated, "missing_attempts": missing_attempts, "attempts": len(attempts),
            "errors": run.errors, "retries": run.retries, "waits": state.get("waits", {}), "_": r.status_code,
            # every student's code is right: a code part graded otherwise (a time-out of a starved sandbox) is ours
            "code_right": sum(p["verdict"] == "correct" for p in code), "code_graded": len(code)}


def report(res: dict) -> None:
    print(f"\n== {res['title']}: {res['students']} students, load {res['load_seconds']:.0f} s"
          + (f", server SIGKILLed at {res['killed_at']:.0f} s and restarted" if res["killed_at"] else "")
          + f", all attempts graded {res['graded_after']:.0f} s after the load")
    for kind in ("preview", "save", "submit"):
        v, a = res["lat"][kind], res["app"][kind]
        print(f"  {kind:<8} n={len(v):>5}  p50 {pct(v, .5):7.1f} ms  p95 {pct(v, .95):7.1f} ms  p99 {pct(v, .99):7.1f} ms"
              f"   (in the application: p50 {pct(a, .5):6.1f}  p95 {pct(a, .95):6.1f}  p99 {pct(a, .99):6.1f})")
    w = res["waits"]
    if w.get("count"):
        print(f"  code-grading queue wait (server, since the last start): n={w['count']} p50 {w['p50']:.2f} s "
              f"p95 {w['p95']:.2f} s max {w['max']:.2f} s")
    print(f"  acknowledged saves {res['acked']}, lost {res['lost']}; attempts {res['attempts']}, "
          f"duplicated {res['duplicated']}, acknowledged but missing {res['missing_attempts']}; "
          f"retried requests {res['retries']}, gave up {res['errors']}")
    print(f"  code parts graded right: {res['code_right']} of {res['code_graded']} (every student's code is right)")
    print("  machine load average at the end (1, 5, 15 min): " + ", ".join(f"{x:.1f}" for x in res["load"]))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--students", type=int, default=300)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--kill-after", type=float, default=25.0, help="seconds into the second run")
    ap.add_argument("--clients", type=int, default=4, help="client processes the students are spread over")
    ap.add_argument("--only", choices=("steady", "kill"), help="run only one of the two runs")
    args = ap.parse_args()
    results = []
    if args.only != "kill":
        results.append(phase("steady", args.students, args.workers, None, args.clients))
    if args.only != "steady":
        results.append(phase("SIGKILL + restart", args.students, args.workers, args.kill_after, args.clients))
    for res in results:
        report(res)
    bad = sum(r["lost"] + r["duplicated"] + r["missing_attempts"] for r in results)
    wrong = sum(r["code_graded"] - r["code_right"] for r in results)
    print("\nlost or duplicated answers:", bad, "· right code not graded right:", wrong)
    sys.exit(1 if bad or wrong else 0)


if __name__ == "__main__":
    main()
