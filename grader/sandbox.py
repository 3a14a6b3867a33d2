"""Running student code isolated: the grader's side of the sandbox.

A :class:`Sandbox` keeps one worker process (``sandbox_child.py``, NumPy
preloaded), started in the strongest isolation this machine has
(:mod:`grader.isolation`: bubblewrap with an allow-listed file system, or
Landlock; never unconfined unless asked for knowingly). Per submission the
worker starts a fresh PID namespace; per call a fresh, confined process runs
the student's function (see the worker's docstring for who holds what).

What comes back is read here, linearly and bounded: the records of the
student's init process (trusted: it never runs student code) and each call
process's output (untrusted: decoded by :func:`decode_value` into exact
built-in types and plain arrays, anything else refused; a reply that breaks
the protocol is flagged as tampering). Every comparison happens in the
grader's process. A failure of the worker itself is a :class:`SandboxError`,
never a student's mistake.
"""
from __future__ import annotations

import base64
import json
import os
import select
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import numpy as np

WORKER = Path(__file__).with_name("sandbox_child.py")
ALLOWED_DTYPES = {np.dtype(t).str for t in (np.bool_, np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16,
                                            np.uint32, np.uint64, np.float16, np.float32, np.float64)}


class SandboxError(Exception):
    """The sandbox itself failed (not the student's code)."""


class IsolationUnavailable(SandboxError):
    """No mechanism on this machine can keep student code away from the bank: code is not run."""


class IsolationFailed(SandboxError):
    """A layer the grader counts on did not hold in the process meant to run student code: nothing ran."""


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
    flags: dict = field(default_factory=dict)     # timeout, crashed, missing, not_plain, not_run, tampered


@dataclass
class RunResult:
    loaded: bool
    load_error: str | None
    load_traceback: str | None
    stdout: str
    calls: list[CallResult]
    isolation: dict
    tampered: list[str] = field(default_factory=list)   # replies that could only come from altered harness code


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
    if isinstance(value, dict):
        return {"t": "dict", "v": {str(k): encode_value(v) for k, v in value.items()}}
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
            if len(shape) > 32 or any(not 0 <= s <= 1 << 31 for s in shape):
                raise Untrusted("an impossible shape")
            raw = base64.b64decode(str(data["b"]), validate=True)
            count = 1
            for s in shape:
                count *= s
            if len(raw) != count * dtype.itemsize:
                raise Untrusted("array data does not match its shape")
            return np.frombuffer(raw, dtype=dtype).reshape(shape).copy()
        if t in ("list", "tuple"):
            items = [decode_value(v, depth + 1) for v in data["v"]]
            return items if t == "list" else tuple(items)
        if t == "dict":
            if type(data["v"]) is not dict or any(type(k) is not str for k in data["v"]):
                raise Untrusted("a dict with keys that are not strings")
            return {k: decode_value(v, depth + 1) for k, v in data["v"].items()}
    except Untrusted:
        raise
    except Exception as exc:  # anything a forged value makes the decoding raise is the student's
        raise Untrusted(f"malformed value ({type(exc).__name__})") from None
    raise Untrusted(f"unknown tag {t!r}")


# -- the worker process --------------------------------------------------------------

_UID_LOCK = threading.Lock()
_NEXT_UID = [0]


def _next_uid() -> int:
    """A uid no other student of this grader process used recently (only when the grader is root)."""
    with _UID_LOCK:
        _NEXT_UID[0] += 1
        return 200000 + (os.getpid() % 4096) * 64 + _NEXT_UID[0] % 64


class Sandbox:
    """One worker process; ``run()`` grades one submission's calls at a time (thread-safe)."""

    def __init__(self, hidden: list[str] | None = None, memory_mb: int = 768, own_machine: bool = False):
        """``own_machine``: a student checking their own code (``selfcheck``) may run it without isolation
        where the machine has none; the result then says so (``isolation.level == "unsafe"``)."""
        from grader import isolation
        self.hidden = list(hidden or [])          # kept for callers; the allow-list hides everything else anyway
        self.memory_mb = memory_mb
        self.proc: subprocess.Popen | None = None
        self.mechanism = isolation.choose()
        if self.mechanism.level == "unsafe" and not own_machine:
            self.mechanism = isolation.Mechanism("none", None, (
                "NNGRADE_SANDBOX=unsafe is only for a student running their own code (selfcheck), never for grading",))
        if self.mechanism.level == "none" and own_machine:
            self.mechanism = isolation.Mechanism("unsafe", None, self.mechanism.why + (
                "running your own code on your own machine without isolation",))
        self.level = self.mechanism.level
        self.lock = threading.Lock()
        self.counter = 0
        self.scratch_root: str | None = None
        self.stderr: IO[bytes] | None = None
        self.read_list: list[str] = []
        self.required: list[str] = []

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.close()

    def start(self) -> None:
        import tempfile

        from grader import isolation
        if self.level == "none":
            scope = ("no isolation on this machine" if isolation.requested() == "auto" else
                     f"no isolation that NNGRADE_SANDBOX={isolation.requested()} allows")
            raise IsolationUnavailable(f"student code was not run: {scope} can keep it away "
                                       "from the bank (" + "; ".join(self.mechanism.why) + "). Fix: " + isolation.FIX)
        paths = isolation.allow_list()
        self.read_list = paths["read"]
        # the layers without which no student code may run (the call process checks them before loading it)
        self.required = {"bwrap": ["seccomp", "rlimits", "pidns"], "landlock": ["seccomp", "rlimits", "landlock"]
                         }.get(self.level, [])
        # as root each student gets a fresh uid, unless that uid could not read the interpreter (a Python under
        # a 0700 home): then the code keeps uid 0 with every capability dropped, confined by Landlock and seccomp
        self.fresh_uid = os.geteuid() == 0 and isolation.others_can_read(paths["read"], parents=self.level != "bwrap")
        env = {"PATH": "/usr/bin:/bin", "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1",
               "MKL_NUM_THREADS": "1", "LANG": "C.UTF-8"}
        for key in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"):
            if key in os.environ:
                env[key] = os.environ[key]
        if self.level == "bwrap":
            assert self.mechanism.bwrap is not None        # the bwrap mechanism names its binary
            cmd = isolation.bwrap_command(self.mechanism.bwrap, paths)
            env["NNGRADE_SCRATCH"] = "/tmp/scratch"
        else:
            self.scratch_root = tempfile.mkdtemp(prefix="nngrade-sandbox-")
            os.chmod(self.scratch_root, 0o711)
            cmd = isolation.direct_command(paths)
            env["NNGRADE_SCRATCH"] = self.scratch_root
        env["NNGRADE_READ"] = json.dumps(paths["read"])
        self.stderr = tempfile.TemporaryFile()  # noqa: SIM115 - open as long as the worker runs (worker_stderr)
        try:
            self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.stderr,
                                         env=env, close_fds=True)
        except OSError as exc:
            raise SandboxError(f"the sandbox worker could not be started ({self.level}): {exc}") from None
        self.buffer = bytearray()
        self.pos = 0
        self.pending_end = False
        try:
            kind, payload = self._read_frame(time.monotonic() + 30.0)
            ready = json.loads(payload) if kind == b"R" else {}
        except SandboxError:
            ready = {}
        if not ready.get("ready"):
            cause = self.worker_stderr()
            self.close()
            raise SandboxError(f"the sandbox worker did not start ({self.level})" + (f": {cause}" if cause else ""))
        self.worker_info = ready

    def worker_stderr(self) -> str:
        """The last lines the worker (or bubblewrap) printed on stderr: the underlying cause of a failure."""
        if self.stderr is None:
            return ""
        try:
            self.stderr.seek(0)
            lines = self.stderr.read()[-4000:].decode("utf-8", "replace").strip().splitlines()
        except (OSError, ValueError):
            return ""
        return " | ".join(lines[-3:])

    def close(self) -> None:
        if self.proc is not None:
            try:
                self.proc.kill()
                self.proc.wait(timeout=5)
            except Exception:
                pass
            for stream in (self.proc.stdin, self.proc.stdout):
                try:
                    if stream is not None:
                        stream.close()
                except Exception:
                    pass
            self.proc = None
        if self.scratch_root:
            root, self.scratch_root = self.scratch_root, None
            from grader.isolation import remove_tree
            remove_tree(root)

    # reading: frames of kind (1 byte), length (8 hex digits), payload; linear in what arrives

    def _fill(self, end: float) -> None:
        assert self.proc is not None and self.proc.stdout is not None      # started, with a pipe
        fd = self.proc.stdout.fileno()
        left = end - time.monotonic()
        if left <= 0:
            raise SandboxError("the sandbox worker did not answer in time")
        ready, _, _ = select.select([fd], [], [], left)
        if not ready:
            raise SandboxError("the sandbox worker did not answer in time")
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            cause = self.worker_stderr()
            raise SandboxError("the sandbox worker ended unexpectedly" + (f": {cause}" if cause else ""))
        self.buffer += chunk

    def _read_frame(self, end: float) -> tuple[bytes, bytes]:
        """The next frame; each byte is copied a bounded number of times (linear in what arrives)."""
        pos = self.pos
        while len(self.buffer) - pos < 9:
            self._fill(end)
        kind = bytes(self.buffer[pos:pos + 1])
        try:
            size = int(self.buffer[pos + 1:pos + 9], 16)
        except ValueError:
            raise SandboxError("the sandbox worker's output is out of step") from None
        while len(self.buffer) - pos < 9 + size:
            self._fill(end)
        payload = bytes(self.buffer[pos + 9:pos + 9 + size])
        self.pos = pos + 9 + size
        if self.pos > (1 << 20) and self.pos * 2 > len(self.buffer):   # drop what was read, now and then
            del self.buffer[:self.pos]
            self.pos = 0
        return kind, payload

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
                except (IsolationUnavailable, IsolationFailed):
                    raise
                except SandboxError:
                    self.close()
                    if attempt == 2:
                        raise
        raise SandboxError("unreachable")  # pragma: no cover

    def _run(self, source, calls, total_seconds, import_seconds) -> RunResult:
        self.counter += 1
        root = self.scratch_root or "/tmp/scratch"
        bodies = [json.dumps({"fn": c["fn"], "args": [encode_value(a) for a in c.get("args", ())],
                              "kwargs": {k: encode_value(v) for k, v in c.get("kwargs", {}).items()}}).encode()
                  for c in calls]
        source_bytes = source.encode("utf-8", "surrogatepass")
        header = {
            "id": self.counter, "total_seconds": total_seconds, "import_seconds": import_seconds,
            "scratch": f"{root}/s{self.counter}", "uid": _next_uid() if self.fresh_uid else 0,
            "memory_mb": self.memory_mb, "source_len": len(source_bytes), "required": self.required,
            "calls": [{"fn": str(c["fn"]), "seconds": float(c.get("seconds", 2.0)), "len": len(b),
                       "array_bytes": array_layout(list(c.get("args", ())))[1]}
                      for c, b in zip(calls, bodies)],
        }
        head = json.dumps(header).encode()
        if self.pending_end:                      # the previous submission's end: read before this one starts
            kind, payload = self._read_frame(time.monotonic() + 60.0)
            self.pending_end = False
            if kind != b"E" or json.loads(payload).get("status") != "ok":
                raise SandboxError(f"the sandbox's previous process failed: {payload[:200]!r}")
        assert self.proc is not None and self.proc.stdin is not None        # started, with a pipe
        try:
            self.proc.stdin.write(b"%08x" % len(head) + head + source_bytes + b"".join(bodies))
            self.proc.stdin.flush()
        except (BrokenPipeError, OSError) as exc:
            raise SandboxError(f"the sandbox worker is gone ({exc}) {self.worker_stderr()}".strip()) from None
        end = time.monotonic() + total_seconds + import_seconds + 45.0
        streams: dict[int, list] = {}
        records: dict[int, dict] = {}
        arrays: dict[int, bytes] = {}
        raw = bytearray()
        compile_error = None
        current = None
        while True:
            kind, payload = self._read_frame(end)
            if kind == b"C":
                if current is None:
                    raise SandboxError("call output arrived outside a call")
                raw.extend(payload)
                continue
            if kind == b"A":                          # init's own view of the call's array inputs: trusted
                if current is None:
                    raise SandboxError("inputs arrived outside a call")
                arrays[current] = payload
                continue
            try:
                message = json.loads(payload)
            except ValueError:
                raise SandboxError("a record of the sandbox could not be read") from None
            if kind == b"E":
                self.pending_end = False
                if message.get("status") != "ok":
                    raise SandboxError(f"the sandbox's process for this submission failed: {message}")
                break
            if kind == b"I" and message.get("done"):
                self.pending_end = True           # its end record follows once every process of it is gone
                break
            if kind != b"I":
                raise SandboxError(f"unexpected frame {kind!r} from the sandbox")
            if "init_error" in message:
                raise SandboxError(f"the sandbox failed: {message['init_error']}")
            if message.get("import_failed"):
                compile_error = message
            elif "call" in message:
                index = int(message["call"])
                if message.get("start"):
                    current, raw = index, bytearray()
                else:
                    records[index] = message
                    if current == index:               # read its lines now; keep no raw bytes
                        streams[index] = _lines(raw)
                    current, raw = None, bytearray()
        run = self._decode(calls, streams, records, compile_error, import_seconds)
        for index, data in arrays.items():
            result = run.calls[index]
            if result.ok:
                result.args_after = trusted_args_after(list(calls[index].get("args", ())), data,
                                                       result.args_after)
        return run

    def _decode(self, calls, streams, records, compile_error, import_seconds) -> RunResult:
        isolation = {"level": self.level}
        tampered: list[str] = []
        loaded, load_error, load_tb, load_stdout = None, None, None, ""
        if compile_error:
            loaded = False
            load_error, load_tb = _text(compile_error.get("error")), _text(compile_error.get("traceback"))
        results = []
        for index, call in enumerate(calls):
            rec = records.get(index, {"status": "not_run"})
            parsed = streams.get(index) or []
            if parsed and isinstance(parsed[0], dict) and parsed[0].get("kind") == "isolation":
                if parsed[0].get("failed"):          # written before any student code: the grader's fault
                    raise IsolationFailed("the sandbox could not apply " + ", ".join(map(str, parsed[0]["failed"])) +
                                       " to the process that runs student code; no code was run")
                if len(isolation) == 1:
                    isolation.update({k: v for k, v in parsed[0].items() if k != "kind"})
            status = rec.get("status")
            result = CallResult(False)
            if status in ("skipped",):
                result.error = f"skipped: an earlier call of {call['fn']}() did not finish"
                result.flags = {"not_run": True}
            elif status == "budget":
                result.error, result.flags = "not run: the submission's time budget was used up", {"not_run": True}
            elif status in ("not_loaded", "not_run"):
                result.error, result.flags = "not run: solution.py failed to load", {"not_run": True}
            else:
                imp = parsed[1] if len(parsed) > 1 and isinstance(parsed[1], dict) else None
                if imp is not None and imp.get("kind") == "import" and loaded is None:
                    loaded = bool(imp.get("ok"))
                    load_stdout = _text(imp.get("stdout")) or ""
                    if not loaded:
                        load_error, load_tb = _text(imp.get("error")), _text(imp.get("traceback"))
                if status == "timeout":
                    seconds = import_seconds if rec.get("phase") == "import" else float(call.get("seconds", 2.0))
                    what = "loading solution.py" if rec.get("phase") == "import" else "this call"
                    result.error = (f"stopped after {seconds:g} s: {what} did not finish "
                                    "(an endless loop, or far too slow)")
                    result.flags = {"timeout": True}
                    if rec.get("phase") == "import" and loaded is None:
                        loaded, load_error = False, result.error
                elif status == "too_large":
                    result.error, result.flags = "the result is too large", {"not_plain": True}
                else:
                    reply = parsed[2] if len(parsed) > 2 else None
                    extra = [p for p in parsed[3:] if p is not None]   # more lines, or "extra" output
                    if reply is None and (imp is None or imp.get("ok")):
                        result.error = f"the process ended unexpectedly ({rec.get('exit')}) while running " + \
                            ("solution.py" if imp is None else "this call")
                        result.flags = {"crashed": True}
                        if imp is None and loaded is None:
                            loaded, load_error = False, result.error
                    elif imp is not None and not imp.get("ok"):
                        result.error, result.flags = "not run: solution.py failed to load", {"not_run": True}
                    elif not isinstance(reply, dict) or reply.get("kind") != "call" or extra or \
                            "bad" in parsed or (imp is not None and imp.get("kind") != "import"):
                        result = self._tampered(call, tampered, "its reply does not follow the protocol")
                    else:
                        result = self._reply(reply, call, tampered)
            results.append(result)
        if loaded is None:
            loaded = not compile_error
        return RunResult(bool(loaded), load_error, load_tb, load_stdout, results, isolation, tampered)

    @staticmethod
    def _tampered(call, tampered: list, why: str) -> CallResult:
        tampered.append(f"{call['fn']}(): {why}")
        return CallResult(False, None, f"the grader could not trust this call's reply ({why}); the code interfered "
                                       "with the grading harness", None, [], "", 0.0, [], {"tampered": True})

    def _reply(self, raw: dict, call: dict, tampered: list) -> CallResult:
        flags = {k: True for k in ("missing", "not_plain") if raw.get(k)}
        try:
            warnings_ = raw.get("warnings", [])
            if type(warnings_) is not list or any(type(w) is not str for w in warnings_):
                raise TypeError("warnings")       # the harness only ever sends a list of strings
            result = CallResult(bool(raw.get("ok")), None, _text(raw.get("error")), _text(raw.get("traceback")),
                                [w[:5000] for w in warnings_][:10],
                                _text(raw.get("stdout")) or "",
                                float(raw.get("seconds") or 0.0), [], flags)
        except (TypeError, ValueError) as exc:
            return self._tampered(call, tampered, f"malformed fields ({exc})")
        if result.ok:
            try:
                result.value = decode_value(raw.get("value"))
                after = raw.get("args_after", [])
                if type(after) is not list or len(after) != len(call.get("args", ())):
                    return self._tampered(call, tampered, "the inputs after the call do not match the inputs")
                result.args_after = [None if a is None else decode_value(a) for a in after]
            except Untrusted as exc:
                result.ok, result.flags = False, {"not_plain": True}
                result.error = f"the result is not plain data: {exc}"
        return result


def array_layout(value, offset: int = 0, out: list | None = None) -> tuple[list, int]:
    """Where the worker places each ndarray of a call's arguments in the mapping it shares with init.

    Depth first, dict values by key, 64-byte aligned; the same walk as ``place_arrays`` in the worker.
    Returns ([(offset, array)], end).
    """
    out = [] if out is None else out
    if type(value) is np.ndarray:
        start = (offset + 63) // 64 * 64
        out.append((start, value))
        return out, start + value.nbytes
    if type(value) in (list, tuple):
        for item in value:
            out, offset = array_layout(item, offset, out)
    elif type(value) is dict:
        for key in sorted(value):
            out, offset = array_layout(value[key], offset, out)
    return out, offset


def trusted_args_after(args: list, data: bytes, reported: list):
    """The arguments after the call: an array that init read back changed (no code of the student's could
    hide that) as init saw it; everything else as the call process reported it, so a replaced list element
    still shows."""
    placed, end = array_layout(args)
    if len(data) != end:
        return reported
    by_id = {id(a): np.frombuffer(data, dtype=a.dtype, count=a.size, offset=o).reshape(a.shape).copy()
             for o, a in placed}

    def merge(original, told):
        if type(original) is np.ndarray:           # changed in place (trusted), else whatever was reported
            seen = by_id.get(id(original))
            if seen is not None and not np.array_equal(seen, original, equal_nan=seen.dtype.kind == "f"):
                return seen
            return told if told is not None else seen
        if type(original) in (list, tuple) and type(told) is type(original) and len(told) == len(original):
            items = [merge(o, t) for o, t in zip(original, told)]
            return items if type(original) is list else tuple(items)
        if type(original) is dict and type(told) is dict and set(told) == set(original):
            return {k: merge(original[k], told[k]) for k in original}
        return told                                # a changed structure: reported as it is, a change anyway

    if len(reported) != len(args):
        reported = [None] * len(args)
    return [merge(o, t) if t is not None or type(o) is np.ndarray else t for o, t in zip(args, reported)]


def _lines(raw: bytearray) -> list:
    """The first lines a call process wrote, parsed: dicts, None for blank, "bad" for anything unreadable.

    A fifth element ("extra") marks output beyond the protocol's lines.
    """
    parts = bytes(raw).split(b"\n", 4)
    out: list = []
    for i, line in enumerate(parts):
        if i == 4:
            if line.strip():
                out.append("extra")
            break
        try:
            value = json.loads(line) if line.strip() else None
        except Exception:  # ValueError, RecursionError: a forged line, never the grader's fault
            value = "bad"
        out.append(value if value is None or isinstance(value, dict) else "bad")
    return out


def _text(value) -> str | None:
    return None if value is None else str(value)[:5000]


PROBE = """
import os, socket, json
def probe(paths):
    out = {'uid': os.getuid()}
    try:
        socket.create_connection(('1.1.1.1', 53), timeout=1); out['network'] = True
    except Exception:
        out['network'] = False
    try:
        out['exec'] = os.system('true') == 0
    except Exception:
        out['exec'] = False
    seen = []
    for path in paths:
        try:
            if os.path.isdir(path):
                os.listdir(path)
            else:
                open(path, 'rb').read(1)
            seen.append(path)
        except OSError:
            pass
    out['sees'] = seen
    import numpy.random
    out['numpy_random'] = float(numpy.random.default_rng(1).random()) > 0
    return json.dumps(out)
"""


def doctor(project: str | None = None) -> dict:
    """What isolation this machine gives student code, measured by running a probe inside it.

    ``report["ok"]`` is False when the probe could not run, or when the code inside
    could reach the network, start a program or read anything it must not.
    """
    from grader import isolation
    mech = isolation.choose()
    here = project or os.getcwd()
    secret = [os.path.join(here, "solutions"), here, os.path.expanduser("~"), str(WORKER.parent),
              f"/proc/{os.getpid()}/environ", "/etc/shadow", "/etc/passwd"]
    report = {"level": mech.level, "bwrap": mech.bwrap, "why": list(mech.why), "root": os.geteuid() == 0,
              "landlock_abi": isolation.landlock_abi(), "ok": False}
    try:
        with Sandbox() as box:
            run = box.run(PROBE, [{"fn": "probe", "args": [secret]}])
            report["isolation"] = run.isolation
            call = run.calls[0] if run.calls else None
            if not run.loaded:
                report["error"] = f"the probe did not load: {run.load_error}"
            elif call is None or not call.ok:
                report["error"] = f"the probe failed: {call.error if call else 'no result'}"
            else:
                probe = json.loads(call.value)
                report["probe"] = probe
                report["ok"] = (not probe["network"] and not probe["exec"] and not probe["sees"]
                                and probe["numpy_random"])
                if not report["ok"]:
                    report["error"] = "the probe reached what it must not: " + json.dumps(
                        {k: probe[k] for k in ("network", "exec", "sees") if probe[k]})
    except SandboxError as exc:
        report["error"] = str(exc)
    return report
