"""Running student code isolated: the grader's side of the sandbox.

A :class:`Sandbox` keeps one worker process (``sandbox_child.py``, NumPy
preloaded) inside bubblewrap where it is available: read-only root, no network,
private /tmp, the bank, the project, the submissions and the gradebook hidden
behind empty tmpfs mounts. The worker forks a hardened child per submission
(rlimits, a separate uid, seccomp, a scratch folder) and streams back tagged
plain data, which :func:`decode_value` turns into exact built-in types and
plain arrays, refusing everything else. Every comparison happens here, in the
grader's process.

Where bubblewrap is missing, the same worker runs directly (``level:
"fallback"``): rlimits, a network namespace (as root), a separate uid (as root)
and seccomp still hold, but the file system is only protected by permissions.
"""
from __future__ import annotations

import base64
import json
import os
import select
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

WORKER = Path(__file__).with_name("sandbox_child.py")
INSIDE = "/tmp/.nngrade-worker/worker.py"   # inside the private /tmp
ALLOWED_DTYPES = {np.dtype(t).str for t in (np.bool_, np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16,
                                            np.uint32, np.uint64, np.float16, np.float32, np.float64)}


class SandboxError(Exception):
    """The sandbox itself failed (not the student's code)."""


class Untrusted(Exception):
    """Data from the sandbox that is not plain data."""


@dataclass
class CallResult:
    """One call of a student function, as plain data."""

    ok: bool
    value: object = None
    error: str | None = None
    traceback: str | None = None
    warnings: list[str] = field(default_factory=list)
    stdout: str = ""
    seconds: float = 0.0
    args_after: list = field(default_factory=list)
    flags: dict = field(default_factory=dict)     # timeout, crashed, missing, not_plain, not_run


@dataclass
class RunResult:
    loaded: bool
    load_error: str | None
    load_traceback: str | None
    stdout: str
    calls: list[CallResult]
    isolation: dict


# -- plain data ------------------------------------------------------------------

def encode_value(value):
    """Grader-side arguments as tagged plain data (``{"t": "rng", "seed": s}`` makes a Generator)."""
    if isinstance(value, Rng):
        return {"t": "rng", "seed": value.seed}
    if isinstance(value, np.ndarray):
        data = value.astype(value.dtype, order="C", copy=True)   # ascontiguousarray would make 0-d arrays 1-d
        return {"t": "nd", "dtype": data.dtype.str, "shape": list(data.shape),
                "b": base64.b64encode(data.tobytes()).decode("ascii")}
    if isinstance(value, float):
        return {"t": "float", "v": repr(value)}
    if isinstance(value, (list, tuple)):
        return {"t": type(value).__name__, "v": [encode_value(v) for v in value]}
    return value


@dataclass(frozen=True)
class Rng:
    """A ``numpy.random.default_rng(seed)`` to be made inside the sandbox."""

    seed: int


def decode_value(data, depth: int = 0):
    """Untrusted tagged data → exact built-in types and plain arrays; :class:`Untrusted` otherwise."""
    if depth > 5:
        raise Untrusted("nested too deeply")
    if data is None or type(data) in (bool, int, str):
        return data
    if type(data) is not dict:
        raise Untrusted(f"unexpected {type(data).__name__}")
    t = data.get("t")
    try:
        if t == "float":
            return float(str(data["v"]))
        if t == "scalar":
            if str(data["dtype"]) not in ALLOWED_DTYPES:
                raise Untrusted(f"dtype {data['dtype']}")
            value = float(str(data["v"])) if np.dtype(data["dtype"]).kind == "f" else int(float(str(data["v"])))
            return np.dtype(data["dtype"]).type(value)
        if t == "nd":
            dtype = np.dtype(str(data["dtype"]))
            if dtype.str not in ALLOWED_DTYPES:
                raise Untrusted(f"arrays of dtype {dtype} are not accepted")
            shape = tuple(int(s) for s in data["shape"])
            raw = base64.b64decode(str(data["b"]), validate=True)
            if len(raw) != int(np.prod(shape, dtype=np.int64)) * dtype.itemsize:
                raise Untrusted("array data does not match its shape")
            return np.frombuffer(raw, dtype=dtype).reshape(shape).copy()
        if t in ("list", "tuple"):
            items = [decode_value(v, depth + 1) for v in data["v"]]
            return items if t == "list" else tuple(items)
    except (KeyError, TypeError, ValueError) as exc:
        raise Untrusted(f"malformed value ({exc})") from None
    raise Untrusted(f"unknown tag {t!r}")


# -- the worker process --------------------------------------------------------------

def bwrap_path() -> str | None:
    if os.environ.get("NNGRADE_SANDBOX") == "fallback":
        return None
    return shutil.which("bwrap")


def _needed_paths() -> list[str]:
    """What the worker must still see: the interpreter, its libraries, NumPy, pyseccomp."""
    paths = {sys.base_prefix, sys.prefix, str(Path(np.__file__).resolve().parent.parent)}
    try:
        import pyseccomp
        paths.add(str(Path(pyseccomp.__file__).resolve().parent))
    except ImportError:
        pass
    paths.add(str(Path(sys.executable).resolve().parent))
    return sorted(paths)


def bwrap_command(hidden: list[str]) -> list[str]:
    """The bubblewrap command line that starts the worker."""
    cmd = [bwrap_path(), "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc",
           "--tmpfs", "/tmp", "--tmpfs", "/var/tmp", "--tmpfs", "/dev/shm"]
    home = os.path.expanduser("~")
    hide = sorted({str(Path(h).resolve()) for h in hidden if h} | {home, "/home", "/root", "/run", "/srv", "/mnt", "/media"})
    for path in hide:
        if os.path.isdir(path):
            cmd += ["--perms", "0755", "--tmpfs", path]   # traversable for the child's own uid
    made: set[str] = set()
    for path in _needed_paths():
        inside = [h for h in hide if path == h or path.startswith(h.rstrip("/") + "/")]
        if not inside:
            continue
        top = max(inside, key=len)
        for parent in reversed(Path(path).parents):        # traversable folders down to it
            if len(str(parent)) > len(top) and str(parent) not in made:
                cmd += ["--perms", "0755", "--dir", str(parent)]
                made.add(str(parent))
        cmd += ["--ro-bind", path, path]
    cmd += ["--ro-bind", str(WORKER), INSIDE,
            "--unshare-net", "--unshare-pid", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try",
            "--die-with-parent", "--new-session", "--chdir", "/tmp", "--setenv", "NNGRADE_IN_BWRAP", "1"]
    if os.geteuid() == 0:
        for cap in ("CAP_SETUID", "CAP_SETGID", "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FOWNER", "CAP_KILL"):
            cmd += ["--cap-add", cap]
    return cmd + [sys.executable, "-I", INSIDE]


_UID_LOCK = threading.Lock()
_NEXT_UID = [0]


def _next_uid() -> int:
    with _UID_LOCK:
        _NEXT_UID[0] += 1
        return 62000 + (os.getpid() % 1000) * 8 + _NEXT_UID[0] % 8


class Sandbox:
    """One worker process; ``run()`` grades one submission's calls at a time (thread-safe)."""

    def __init__(self, hidden: list[str] | None = None, memory_mb: int = 768):
        self.hidden = list(hidden or [])
        self.memory_mb = memory_mb
        self.proc: subprocess.Popen | None = None
        self.level = "bwrap" if bwrap_path() else "fallback"
        self.uid = _next_uid() if os.geteuid() == 0 else 0
        self.lock = threading.Lock()
        self.counter = 0
        self.scratch_root: str | None = None

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.close()

    def start(self) -> None:
        env = {"PATH": "/usr/bin:/bin", "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1",
               "MKL_NUM_THREADS": "1", "LANG": "C.UTF-8"}
        for key in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"):
            if key in os.environ:
                env[key] = os.environ[key]
        if self.level == "bwrap":
            cmd = bwrap_command(self.hidden + [str(Path(__file__).resolve().parent.parent), os.getcwd()])
        else:
            import tempfile
            self.scratch_root = tempfile.mkdtemp(prefix="nngrade-sandbox-")
            os.chmod(self.scratch_root, 0o711)
            cmd = [sys.executable, "-I", str(WORKER)]
        self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                     env=env, close_fds=True)
        ready = self._read_line(30.0)
        if not ready or not json.loads(ready).get("ready"):
            self.close()
            raise SandboxError(f"the sandbox worker did not start ({self.level})")

    def close(self) -> None:
        if self.proc is not None:
            try:
                self.proc.kill()
                self.proc.wait(timeout=5)
            except Exception:
                pass
            for stream in (self.proc.stdin, self.proc.stdout):
                try:
                    stream.close()
                except Exception:
                    pass
            self.proc = None
        if self.scratch_root:
            shutil.rmtree(self.scratch_root, ignore_errors=True)
            self.scratch_root = None

    def _read_line(self, seconds: float) -> str | None:
        fd = self.proc.stdout.fileno()
        end = time.monotonic() + seconds
        chunks = b""
        while not chunks.endswith(b"\n"):
            left = end - time.monotonic()
            if left <= 0:
                return None
            ready, _, _ = select.select([fd], [], [], left)
            if not ready:
                return None
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                return None
            chunks += chunk
        return chunks.decode("utf-8", "replace")

    def run(self, source: str, calls: list[dict], total_seconds: float = 20.0,
            import_seconds: float = 5.0) -> RunResult:
        """Load ``source`` as solution.py and run ``calls`` ({fn, args, kwargs, seconds}) in order."""
        with self.lock:
            for attempt in (1, 2):
                if self.proc is None or self.proc.poll() is not None:
                    self.close()
                    self.start()
                try:
                    return self._run(source, calls, total_seconds, import_seconds)
                except SandboxError:
                    self.close()
                    if attempt == 2:
                        raise
        raise SandboxError("unreachable")  # pragma: no cover

    def _run(self, source, calls, total_seconds, import_seconds) -> RunResult:
        self.counter += 1
        root = self.scratch_root or "/tmp"
        request = {
            "id": self.counter, "source": source, "total_seconds": total_seconds, "import_seconds": import_seconds,
            "scratch": f"{root}/s{self.counter}", "uid": self.uid, "memory_mb": self.memory_mb,
            "calls": [{"fn": c["fn"], "args": [encode_value(a) for a in c.get("args", ())],
                       "kwargs": {k: encode_value(v) for k, v in c.get("kwargs", {}).items()},
                       "seconds": c.get("seconds", 2.0)} for c in calls],
        }
        try:
            self.proc.stdin.write((json.dumps(request) + "\n").encode())
            self.proc.stdin.flush()
        except (BrokenPipeError, OSError) as exc:
            raise SandboxError(f"the sandbox worker is gone ({exc})") from None
        line = self._read_line(total_seconds + import_seconds + 15.0)
        if line is None:
            raise SandboxError("the sandbox worker did not answer in time")
        response = json.loads(line)
        if "worker_error" in response:
            raise SandboxError(response["worker_error"])
        return self._decode(response)

    def _decode(self, response: dict) -> RunResult:
        info = response.get("import") or {}
        isolation = {"level": self.level, **{k: v for k, v in (info.get("isolation") or {}).items()}}
        calls = []
        for raw in response.get("results", []):
            flags = {k: True for k in ("timeout", "crashed", "missing", "not_plain", "not_run") if raw.get(k)}
            result = CallResult(bool(raw.get("ok")), None, _text(raw.get("error")), _text(raw.get("traceback")),
                                [_text(w) for w in raw.get("warnings", [])][:10], _text(raw.get("stdout")) or "",
                                float(raw.get("seconds") or 0.0), [], flags)
            if result.ok:
                try:
                    result.value = decode_value(raw.get("value"))
                    result.args_after = [None if a is None else decode_value(a) for a in raw.get("args_after", [])]
                except Untrusted as exc:
                    result.ok, result.error, result.flags = False, f"the result is not plain data: {exc}", {"not_plain": True}
            calls.append(result)
        return RunResult(bool(info.get("ok")), _text(info.get("error")), _text(info.get("traceback")),
                         _text(info.get("stdout")) or "", calls, isolation)


def _text(value) -> str | None:
    return None if value is None else str(value)[:5000]


def doctor() -> dict:
    """What isolation this machine gives student code, measured by running a probe."""
    probe = (
        "import os, socket\n"
        "def probe():\n"
        "    out = {'uid': os.getuid()}\n"
        "    try:\n"
        "        socket.create_connection(('1.1.1.1', 53), timeout=1); out['network'] = True\n"
        "    except Exception:\n"
        "        out['network'] = False\n"
        "    try:\n"
        "        os.system('true'); out['exec'] = os.system('true') == 0\n"
        "    except Exception:\n"
        "        out['exec'] = False\n"
        "    out['sees_project'] = os.path.exists(%r)\n"
        "    return str(out)\n"
    ) % str(WORKER)
    report = {"bwrap": bwrap_path(), "root": os.geteuid() == 0}
    try:
        with Sandbox() as box:
            result = box.run(probe, [{"fn": "probe"}])
            report["isolation"] = result.isolation
            report["probe"] = result.calls[0].value if result.calls and result.calls[0].ok else result.calls[0].error
    except SandboxError as exc:
        report["error"] = str(exc)
    return report
