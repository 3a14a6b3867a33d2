"""nngrade's sandbox worker: the only code that runs student functions.

Run as a standalone script (by path, never imported by the grader): it imports
nothing from the ``grader`` package, so student code cannot reach the grader's
internals through it. It preloads NumPy once, then for each request read from
stdin forks a hardened child per submission, which runs the student's
``solution.py`` and the requested calls, and streams back plain data only.

Protocol: one JSON request per line on stdin, one JSON response per line on
stdout (see ``grader/sandbox.py``). Values are tagged plain data: no pickle.
"""
from __future__ import annotations

import base64
import ctypes
import io
import json
import os
import resource
import select
import shutil
import signal
import sys
import time
import traceback
import types
import warnings

import numpy as np
# modules students commonly import, loaded before the child gives up its privileges
import collections, functools, itertools, math, random, typing  # noqa: E401,F401

try:  # loaded before any fork: in a limited child, finding the C library would need a subprocess
    import pyseccomp
except Exception:  # pragma: no cover - then the fallback holds without seccomp
    pyseccomp = None

CLONE_NEWNET = 0x40000000
CLONE_THREAD = 0x00010000
MAX_OUTPUT = 8000            # characters of captured print output
MAX_ELEMENTS = 4_000_000     # elements of one returned array
MAX_MESSAGE = 64 << 20       # bytes of one message from the child
ALLOWED_KINDS = "biuf"
SCALAR_TYPES = (np.bool_, np.integer, np.floating)


# -- plain data ---------------------------------------------------------------

class NotPlain(Exception):
    """A value that is not plain data (numbers, strings, plain arrays, lists, tuples)."""


def encode(value, depth=0):
    if depth > 4:
        raise NotPlain("nested more than 4 levels")
    kind = type(value)
    if value is None or kind in (bool, int, str):
        if kind is int and abs(value) > 2 ** 63:
            raise NotPlain("an integer too large")
        if kind is str and len(value) > 10000:
            raise NotPlain("a string longer than 10000 characters")
        return value
    if kind is float:
        return {"t": "float", "v": repr(value)}
    if isinstance(value, SCALAR_TYPES) and kind.__module__ == "numpy":
        return {"t": "scalar", "dtype": np.dtype(kind).str, "v": repr(value.item())}
    if kind is np.ndarray:
        if value.dtype.kind not in ALLOWED_KINDS or value.dtype.hasobject:
            raise NotPlain(f"an array of dtype {value.dtype}")
        if value.size > MAX_ELEMENTS:
            raise NotPlain(f"an array of {value.size} elements")
        data = value.astype(value.dtype.newbyteorder("="), order="C", copy=True)   # keeps 0-d arrays 0-d
        return {"t": "nd", "dtype": data.dtype.str, "shape": list(data.shape),
                "b": base64.b64encode(data.tobytes()).decode("ascii")}
    if kind in (list, tuple):
        if len(value) > 1000:
            raise NotPlain(f"a {kind.__name__} of {len(value)} items")
        return {"t": kind.__name__, "v": [encode(v, depth + 1) for v in value]}
    if isinstance(value, np.ndarray):
        raise NotPlain(f"an ndarray subclass ({kind.__module__}.{kind.__qualname__})")
    raise NotPlain(f"an object of type {kind.__module__}.{kind.__qualname__}")


def decode(value):
    """Arguments from the grader (trusted): tagged values, plus seeded generators."""
    if isinstance(value, dict):
        t = value["t"]
        if t == "float":
            return float(value["v"])
        if t == "nd":
            raw = base64.b64decode(value["b"])
            return np.frombuffer(raw, dtype=np.dtype(value["dtype"])).reshape(value["shape"]).copy()
        if t == "rng":
            return np.random.default_rng(value["seed"])
        if t == "scalar":
            return np.dtype(value["dtype"]).type(float(value["v"]))
        if t in ("list", "tuple"):
            items = [decode(v) for v in value["v"]]
            return items if t == "list" else tuple(items)
    return value


# -- hardening ------------------------------------------------------------------

def _libc():
    return ctypes.CDLL(None, use_errno=True)


def prepare() -> dict:
    """Work a spare child does before it has a request: detach, silence, measure, build the filter."""
    os.setsid()
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):                     # nothing printed reaches the grader's pipes
        os.dup2(devnull, fd)
    os.close(devnull)
    return {"vm": _vm_bytes(), "filter": _seccomp_filter()}


def harden(ready: dict, scratch: str, uid: int, memory_mb: int, cpu_seconds: int) -> dict:
    """Limit this (child) process; returns what was applied, for the record."""
    applied = {}
    if os.geteuid() == 0 and os.environ.get("NNGRADE_IN_BWRAP") != "1":
        applied["netns"] = _libc().unshare(CLONE_NEWNET) == 0
    else:
        applied["netns"] = os.environ.get("NNGRADE_IN_BWRAP") == "1"
    os.makedirs(scratch, exist_ok=True)
    os.chdir(scratch)
    if os.geteuid() == 0 and uid:
        os.chown(scratch, uid, uid)
        os.setgroups([])
        os.setgid(uid)
        os.setuid(uid)
        applied["uid"] = uid
    limits = {
        resource.RLIMIT_AS: ready["vm"] + memory_mb * (1 << 20),
        resource.RLIMIT_CPU: cpu_seconds,
        resource.RLIMIT_FSIZE: 1 << 20,
        resource.RLIMIT_NOFILE: 64,
        resource.RLIMIT_CORE: 0,
    }
    if os.geteuid() != 0:                    # root ignores NPROC: seccomp stops forks instead
        limits[resource.RLIMIT_NPROC] = 1
    for which, value in limits.items():
        try:
            resource.setrlimit(which, (value, value))
        except (ValueError, OSError):
            continue
    applied["rlimits"] = True
    try:
        applied["seccomp"] = ready["filter"] is not None and ready["filter"].load() is None
    except Exception:
        applied["seccomp"] = False
    os.environ.clear()
    os.environ.update({"PATH": "/nonexistent", "HOME": scratch, "TMPDIR": scratch, "LANG": "C.UTF-8",
                       "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"})
    return applied


def _vm_bytes() -> int:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 1 << 30


def _seccomp_filter():
    """Deny starting programs, new processes (threads are allowed), sockets and signals to others."""
    import errno
    sc = pyseccomp
    if sc is None:
        return None
    try:
        f = sc.SyscallFilter(sc.ALLOW)
        deny = sc.ERRNO(errno.EPERM)
        for name in ("execve", "execveat", "fork", "vfork", "ptrace", "socket", "socketpair", "mount",
                     "umount2", "unshare", "setns", "chroot", "pivot_root", "process_vm_writev",
                     "process_vm_readv", "kexec_load", "init_module", "finit_module", "bpf", "keyctl",
                     "add_key", "request_key", "userfaultfd", "perf_event_open", "personality"):
            try:
                f.add_rule(deny, name)
            except Exception:
                continue
        f.add_rule(sc.ERRNO(errno.ENOSYS), "clone3")       # glibc then falls back to clone
        f.add_rule(deny, "clone", sc.Arg(0, sc.MASKED_EQ, CLONE_THREAD, 0))
        pid = os.getpid()
        f.add_rule(deny, "kill", sc.Arg(0, sc.NE, pid))
        f.add_rule(deny, "tgkill", sc.Arg(0, sc.NE, pid))
        f.add_rule(deny, "tkill")
        return f
    except Exception:
        return None


# -- running the student's code ----------------------------------------------------

class CappedText(io.StringIO):
    def write(self, s):
        if self.tell() < MAX_OUTPUT:
            super().write(s[: MAX_OUTPUT - self.tell()])
        return len(s)


def student_traceback(exc: BaseException) -> str:
    """Only the student's own frames (solution.py), then the exception line."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename == "solution.py"]
    lines = traceback.format_list(frames) + traceback.format_exception_only(type(exc), exc)
    return "".join(lines)[-4000:]


def describe(exc: BaseException) -> str:
    if isinstance(exc, SystemExit):
        return f"the code called exit({exc.code!r})"
    return f"{type(exc).__name__}: {exc}"[:500]


def child_main(ready: dict, request: dict, calls: list, out_fd: int) -> None:
    """In the forked child: harden, import the submission, run the calls, stream results."""
    out = os.fdopen(out_fd, "w", buffering=1)

    def send(message):
        out.write(json.dumps(message) + "\n")
        out.flush()

    isolation = harden(ready, request["scratch"], request.get("uid", 0), request.get("memory_mb", 512),
                       int(request.get("total_seconds", 20)) + 1)
    captured = CappedText()
    sys.stdout = sys.stderr = captured
    module = types.ModuleType("solution")
    module.__file__ = "solution.py"
    sys.modules["solution"] = module
    try:
        code = compile(request["source"], "solution.py", "exec")
        exec(code, module.__dict__)
        send({"kind": "import", "ok": True, "isolation": isolation, "stdout": captured.getvalue()})
    except BaseException as exc:  # noqa: B902 - every failure of student code is reported
        send({"kind": "import", "ok": False, "error": describe(exc), "traceback": student_traceback(exc),
              "isolation": isolation, "stdout": captured.getvalue()})
        return
    for call in calls:
        send(run_call(module, call, captured))


def run_call(module, call: dict, captured: CappedText) -> dict:
    reply = {"kind": "call", "index": call["index"]}
    fn = getattr(module, call["fn"], None)
    if fn is None or not callable(fn):
        reply.update(ok=False, error=f"solution.py does not define a function {call['fn']}()", missing=True)
        return reply
    args = [decode(a) for a in call.get("args", [])]
    kwargs = {k: decode(v) for k, v in call.get("kwargs", {}).items()}
    before = len(captured.getvalue())
    start = time.perf_counter()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            with np.errstate(all="warn", under="ignore"):
                value = fn(*args, **kwargs)
        except BaseException as exc:  # noqa: B902
            reply.update(ok=False, error=describe(exc), traceback=student_traceback(exc))
            value = None
    reply["seconds"] = time.perf_counter() - start
    reply["warnings"] = sorted({f"{w.category.__name__}: {w.message}"[:200] for w in caught})[:10]
    reply["stdout"] = captured.getvalue()[before:][:2000]
    if "ok" in reply:
        return reply
    try:
        reply["value"] = encode(value)
        reply["args_after"] = [encode(a) if type(a) is np.ndarray else None for a in args]
        reply["ok"] = True
    except NotPlain as exc:
        reply.update(ok=False, error=f"the function returned {exc}; return plain numbers or NumPy arrays",
                     not_plain=True)
    except BaseException as exc:  # noqa: B902 - a value whose conversion misbehaves
        reply.update(ok=False, error=f"the returned value could not be read: {describe(exc)}", not_plain=True)
    return reply


# -- the worker: forks children and enforces wall-clock limits -------------------

def serve(request: dict) -> dict:
    calls = [dict(c, index=i) for i, c in enumerate(request["calls"])]
    results: list = [None] * len(calls)
    import_info = None
    pending = list(calls)
    budget_end = time.monotonic() + float(request.get("total_seconds", 20))
    while pending or import_info is None:
        info, done, stop = run_child(request, pending, budget_end)
        import_info = import_info or info
        for index, value in done.items():
            results[index] = value
        if not import_info.get("ok"):
            break
        hung = {calls[i]["fn"] for i, r in done.items() if r.get("timeout")}
        for c in pending:                      # a function that hung once is not waited for again
            if results[c["index"]] is None and c["fn"] in hung:
                results[c["index"]] = {"kind": "call", "index": c["index"], "ok": False, "not_run": True,
                                       "error": f"skipped: an earlier call of {c['fn']}() did not finish"}
        pending = [c for c in pending if results[c["index"]] is None]
        if stop or not pending:
            break
    for c in calls:
        if results[c["index"]] is None:
            why = "not run: the submission's time budget was used up" if import_info.get("ok") \
                else "not run: solution.py failed to load"
            results[c["index"]] = {"kind": "call", "index": c["index"], "ok": False, "error": why, "not_run": True}
    shutil.rmtree(request["scratch"], ignore_errors=True)
    return {"id": request.get("id"), "import": import_info, "results": results}


class Spare:
    """A child forked ahead of time and prepared, waiting for its request on a pipe.

    Forking a process that holds NumPy, and tearing it down, costs milliseconds;
    a spare moves both off the path of the next submission.
    """

    def __init__(self):
        self.request_r, self.request_w = os.pipe()
        self.result_r, self.result_w = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:
            os.close(self.request_w)
            os.close(self.result_r)
            code = 0
            try:
                ready = prepare()
                data = _read_all(self.request_r)
                if data:
                    message = json.loads(data)
                    child_main(ready, message["request"], message["calls"], self.result_w)
            except BaseException:  # noqa: B902
                code = 1
            finally:
                os._exit(code)
        os.close(self.request_r)
        os.close(self.result_w)

    def start(self, request: dict, calls: list) -> int:
        payload = json.dumps({"request": request, "calls": calls}).encode()
        view = memoryview(payload)
        while view:
            view = view[os.write(self.request_w, view):]
        os.close(self.request_w)
        return self.result_r


def _read_all(fd: int) -> bytes:
    chunks = []
    while True:
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


SPARE: list = []
ENDED: list = []


def take_spare() -> Spare:
    """The waiting spare (a new one if there is none); reaps children that have ended."""
    for pid in list(ENDED):
        try:
            done, _ = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            done = pid
        if done:
            ENDED.remove(pid)
    return SPARE.pop() if SPARE else Spare()


def run_child(request: dict, calls: list, budget_end: float):
    """Run ``calls`` in a fresh child; returns (import info, {index: result}, budget exhausted)."""
    spare = take_spare()
    pid = spare.pid
    read_fd = spare.start(request, calls)
    reader = os.fdopen(read_fd, "rb")
    done: dict = {}
    info = None
    expected = ["import"] + [c["index"] for c in calls]
    position = 0
    buffer = b""
    stop = False
    timeouts = {"import": float(request.get("import_seconds", 5))}
    for c in calls:
        timeouts[c["index"]] = float(c.get("seconds", 2))
    deadline = time.monotonic() + timeouts["import"]
    while position < len(expected):
        waiting = expected[position]
        now = time.monotonic()
        limit = min(deadline, budget_end)
        if now >= limit:
            stop = now >= budget_end
            _kill(pid)
            message = _timeout_message(waiting, timeouts.get(waiting, 0), stop)
            if waiting == "import":
                info = {"kind": "import", "ok": False, "error": message, "timeout": True}
            else:
                done[waiting] = {"kind": "call", "index": waiting, "ok": False, "error": message, "timeout": True}
            break
        ready, _, _ = select.select([read_fd], [], [], limit - now)
        if not ready:
            continue
        chunk = os.read(read_fd, 1 << 20)
        if not chunk:                           # the child ended without finishing
            status = _reap(pid)
            message = f"the process ended unexpectedly ({status}) while running " + \
                      ("solution.py" if waiting == "import" else "this call")
            if waiting == "import":
                info = {"kind": "import", "ok": False, "error": message, "crashed": True}
            else:
                done[waiting] = {"kind": "call", "index": waiting, "ok": False, "error": message, "crashed": True}
            pid = None
            break
        buffer += chunk
        if len(buffer) > MAX_MESSAGE:
            _kill(pid)
            done[waiting] = {"kind": "call", "index": waiting, "ok": False, "error": "the result is too large"}
            break
        while b"\n" in buffer and position < len(expected):
            line, buffer = buffer.split(b"\n", 1)
            try:
                message = json.loads(line)
            except ValueError:
                continue
            if expected[position] == "import":
                info = message
                if not message.get("ok"):
                    position = len(expected)
                    break
            else:
                done[expected[position]] = message
            position += 1
            if position < len(expected):
                deadline = time.monotonic() + timeouts[expected[position]]
    if pid is not None:
        if position < len(expected):
            _kill(pid)
        else:
            ENDED.append(pid)                   # it exits by itself; reaped later, off the clock
    reader.close()
    if info is None:
        info = {"kind": "import", "ok": False, "error": "solution.py did not load"}
    return info, done, stop


def _timeout_message(waiting, seconds, budget) -> str:
    if budget:
        return "stopped: the submission's total time budget was used up"
    what = "loading solution.py" if waiting == "import" else "this call"
    return f"stopped after {seconds:g} s: {what} did not finish (an endless loop, or far too slow)"


def _kill(pid) -> None:
    if pid is None:
        return
    try:
        os.killpg(pid, signal.SIGKILL)
    except OSError:
        pass
    try:
        os.kill(pid, signal.SIGKILL)
    except OSError:
        pass
    _reap(pid)


def _reap(pid) -> str:
    try:
        _, status = os.waitpid(pid, 0)
    except ChildProcessError:
        return "already gone"
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        name = signal.Signals(sig).name if sig in signal.Signals._value2member_map_ else str(sig)
        return f"killed by signal {name}"
    return f"exit code {os.WEXITSTATUS(status)}"


def main() -> None:
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    out = sys.stdout
    out.write(json.dumps({"ready": True, "pid": os.getpid(), "uid": os.geteuid(),
                          "bwrap": os.environ.get("NNGRADE_IN_BWRAP") == "1"}) + "\n")
    out.flush()
    for line in sys.stdin:
        if not line.strip():
            continue
        request = json.loads(line)
        try:
            response = serve(request)
        except Exception as exc:  # the worker's own fault: report, keep serving
            response = {"id": request.get("id"), "worker_error": f"{type(exc).__name__}: {exc}"}
        out.write(json.dumps(response) + "\n")
        out.flush()
        if not SPARE:
            SPARE.append(Spare())              # the next submission's child, forked after answering


if __name__ == "__main__":
    main()
