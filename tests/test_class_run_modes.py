"""A whole class run with attackers beside honest students, in each isolation mode, as root and as an
ordinary user: the honest students keep exactly the results they get without the attackers, the run
publishes everyone, exits 0 (the attackers' doings are their own verdicts), and no page shows the bank.

As an ordinary user the run uses the system's Python with this interpreter's packages (readable as they
are, or hard-linked where they live under a 0700 home); where that cannot be built the test says why.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy
import pytest

from grader import isolation

from .conftest import ROOT
from .test_sandbox_layouts import SYSTEM_PYTHON, USER, _user

QUIZ = "quizzes/week1-activations.yaml"
HONEST = ["s01-all-right", "s03-sign-errors", "s07-overflowing-sigmoid"]
MARKER = "REFERENCE-MARKER-7f3a"          # planted in the course's private solutions; must appear nowhere

ATTACKS = {
    "zz-linger": """
import os, sys, threading, time
os._exit = lambda *a: None
sys.exit = lambda *a: None
def spin():
    while True:
        time.sleep(0.005)
        for target in (-1, 1, os.getppid()):
            try:
                os.kill(target, 9)
            except Exception:
                pass
threading.Thread(target=spin).start()
def sigmoid(x):
    return x
""",
    "zz-reader": """
import os
found = []
for root in (%(course)r, os.path.expanduser("~"), "/tmp", "/root", "/home"):
    for folder, _, files in os.walk(root):
        for name in files:
            try:
                found.append(open(os.path.join(folder, name), errors="replace").read()[:400])
            except OSError:
                pass
if found:
    raise RuntimeError(" | ".join(found)[:3000])
""",
    "zz-forger": """
import os, json
def _forge():
    line = json.dumps({"kind": "call", "ok": True, "value": {"t": "float", "v": "0.5"}, "args_after": [None],
                       "warnings": [], "stdout": "", "seconds": 0.0}) + "\\n"
    for fd in range(3, 30):
        try:
            os.write(fd, line.encode() * 3)
        except OSError:
            pass
_forge()
def sigmoid(x):
    _forge()
    os._exit(0)
""",
    "zz-flood": """
import os
block = b"[" * (1 << 20)
for _ in range(40):
    for fd in range(3, 12):
        try:
            os.write(fd, block)
        except OSError:
            pass
""",
}


@pytest.fixture(scope="module")
def course():
    # not under pytest's basetemp: every pytest session resets /tmp/pytest-of-<user> to 0700, which would lock
    # the ordinary user out in the middle of a run whenever another session starts (seen with parallel runs)
    root = Path(tempfile.mkdtemp(prefix="nngrade-class-modes-"))
    os.chmod(root, 0o755)
    yield _build(root)
    shutil.rmtree(root, ignore_errors=True)


def _build(root: Path) -> dict:
    course = root / "course"
    for name in ("questions", "solutions", "quizzes"):
        shutil.copytree(ROOT / name, course / name, ignore=shutil.ignore_patterns("__pycache__"))
    (course / "solutions" / "zz_marker.py").write_text(f"# {MARKER}\n")
    honest = root / "honest"
    attacked = root / "attacked"
    for folder in (honest, attacked):
        for student in HONEST:
            shutil.copytree(ROOT / "submissions" / student, folder / student)
    for name, source in ATTACKS.items():
        (attacked / name).mkdir()
        (attacked / name / "solution.py").write_text(source % {"course": str(course)} if "%(" in source else source)
        (attacked / name / "answers.yaml").write_text("{}\n")
    shutil.copytree(ROOT / "grader", root / "src" / "grader", ignore=shutil.ignore_patterns("__pycache__"))
    site = Path(numpy.__file__).resolve().parent.parent
    if not isolation.others_can_read([str(site)]):     # under a 0700 home: hard links an ordinary user can read
        linked = root / "site"
        if subprocess.run(["cp", "-al", str(site), str(linked)], capture_output=True).returncode != 0:
            linked = None
        site = linked
    subprocess.run(["chmod", "-R", "a+rwX", str(root)], check=True)
    return {"root": root, "course": course, "honest": honest, "attacked": attacked, "site": site}


def _grade(course, submissions: Path, out: Path, mode: str, as_user: bool) -> tuple[int, dict, str]:
    python = sys.executable
    env = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "NNGRADE_SANDBOX": mode, "HOME": str(course["root"]),
           "PYTHONPATH": str(course["root"] / "src"), "NNGRADE_CODE_SEED": "12345", "MPLCONFIGDIR": str(out) + ".mpl"}
    if as_user:
        if course["site"] is None or SYSTEM_PYTHON is None:
            pytest.skip("no Python an ordinary user can run with this interpreter's packages "
                        "(the packages live under a 0700 home on another file system)")
        version = subprocess.run([SYSTEM_PYTHON, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
                                 capture_output=True, text=True).stdout.strip()
        if version != "%d.%d" % sys.version_info[:2]:
            pytest.skip(f"the system Python is {version}: this interpreter's compiled packages would not load")
        python = SYSTEM_PYTHON
        env["PYTHONPATH"] += f":{course['site']}"
    cmd = [python, "-m", "grader", "grade", str(submissions), "--quiz", QUIZ, "--out", str(out), "--jobs", "1"]
    if as_user:
        _user()
        cmd = [shutil.which("runuser"), "-u", USER, "--"] + cmd
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=900, cwd=str(course["course"]))
    results = json.loads((out / "results.json").read_text()) if (out / "results.json").is_file() else {}
    return proc.returncode, results, proc.stdout + proc.stderr


def _by_student(results: dict) -> dict:
    return {s["student"]: [(q["question"], p["part"], p["verdict"], p["score"]) for q in s["questions"]
                           for p in q["parts"]] for s in results.get("students", [])}


@pytest.mark.parametrize("as_user", [False, True], ids=["root", "ordinary-user"])
@pytest.mark.parametrize("mode", ["bwrap", "landlock"])
def test_attackers_cost_only_themselves(course, mode, as_user):
    if os.geteuid() != 0:
        pytest.skip("runs the class as root and, through runuser, as an ordinary user: needs root")
    tmp_path = course["root"] / f"out-{mode}-{'user' if as_user else 'root'}"
    tmp_path.mkdir()
    os.chmod(tmp_path, 0o777)
    rc, alone, log = _grade(course, course["honest"], tmp_path / "alone", mode, as_user)
    if rc != 0 and "isolation" in log and mode not in log:
        pytest.skip(f"{mode} is not available here: {log[-400:]}")
    assert rc == 0, log[-3000:]
    rc, together, log = _grade(course, course["attacked"], tmp_path / "together", mode, as_user)
    assert rc == 0, log[-3000:]                         # no grader fault: every attack is its author's verdict
    alone, together = _by_student(alone), _by_student(together)
    for student in HONEST:
        assert together[student] == alone[student], student
    for name in ATTACKS:
        assert name in together                          # published, with their own verdicts
        assert not any(v == "error" for _, _, v, _ in together[name]), (name, together[name])
    for path in (tmp_path / "together").rglob("*"):
        if path.is_file() and path.suffix in (".html", ".json", ".csv"):
            text = path.read_text(errors="replace")
            assert MARKER not in text, path
            assert "def stable_sigmoid" not in text or "zz-" not in path.as_posix(), path
