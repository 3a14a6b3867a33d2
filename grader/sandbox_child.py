"""nngrade's sandbox worker: the only code that runs student functions.

Run as a standalone script (``python -I -S sandbox_child.py SITE...``, never
imported by the grader), inside bubblewrap or directly. It imports nothing of
the ``grader`` package. Three kinds of process, each with one job:

worker   preloads NumPy, reads each request's *header* from stdin (sizes,
         names, limits: no inputs, no code), and starts one ``init`` per
         student in a fresh PID namespace. It never reads a submission or a
         test input, so nothing it forks can find one in its memory.
init     PID 1 of the student's namespace. Reads the student's source and the
         calls' inputs from stdin straight into one private mapping per call,
         then runs each call in a fresh ``call`` process and forwards what that
         process writes with ``splice`` (the bytes never enter its own
         memory). It enforces the time limits and the student's time budget and
         writes its own records, which the grader trusts. When it exits, the
         kernel ends every process the student started.
call     unmaps every other call's inputs, hardens itself (a fresh uid when
         root, rlimits, Landlock, seccomp, no network), writes its isolation
         record *before* any student code runs, loads solution.py, runs one
         call and writes plain tagged data. Everything after the first line is
         untrusted, and the grader treats it so.

Framing on stdout: one byte of kind, eight hex digits of length, the payload.
``R`` ready (worker), ``I`` a record of init (JSON), ``C`` a chunk of a call
process's output, ``E`` end of a request (worker, JSON). On stdin: eight hex
digits of length and a JSON header, then the source and each call's JSON, of
the sizes the header gives.
"""
from __future__ import annotations

import base64
import ctypes
import errno
import io
import json
import marshal
import mmap
import os
import resource
import select
import signal
import sys
import time
import traceback
import types
import warnings

# the interpreter's site folder(s), given by the grader; not this script's folder, and no path in argv
sys.path[:] = [p for p in sys.path[1:] if p] + [p for p in sys.argv[1:] if p]
sys.argv = ["nngrade-worker"]

# these imports come after sys.path is set, grouped by why they are here (import sorting would undo both)
# isort: off
import numpy as np  # noqa: E402
import numpy.random, numpy.linalg, numpy.fft  # noqa: E401,E402  lazily loaded parts, loaded before confinement
# what students commonly import, loaded while everything is still readable (Landlock then allows the library anyway)
import collections, functools, itertools, math, random, typing, string, re, statistics, copy, dataclasses  # noqa
# isort: on

def _find_library(name: str):
    """ctypes.util.find_library without a subprocess (there is no ldconfig inside): ask the loader directly."""
    for candidate in (f"lib{name}.so.6", f"lib{name}.so.2", f"lib{name}.so"):
        try:
            ctypes.CDLL(candidate)
            return candidate
        except OSError:
            continue
    return None


try:  # loaded before any fork: in a confined child, finding the C library would need a subprocess
    import ctypes.util
    _original_find, ctypes.util.find_library = ctypes.util.find_library, _find_library
    try:
        import pyseccomp
    finally:
        ctypes.util.find_library = _original_find
except Exception:  # pragma: no cover - then no seccomp layer; recorded as such
    pyseccomp = None

CLONE_NEWNET = 0x40000000
CLONE_NEWPID = 0x20000000
CLONE_THREAD = 0x00010000
MAX_OUTPUT = 8000            # characters of captured print output
MAX_ELEMENTS = 1_000_000     # elements of one returned array
MAX_CALL_BYTES = 32 << 20    # bytes one call process may write
REGION_BYTES = 16 << 20      # array inputs of one call, shared with init
IN_BWRAP = os.environ.get("NNGRADE_IN_BWRAP") == "1"
ALLOWED_KINDS = "biuf"
SCALAR_TYPES = (np.bool_, np.integer, np.floating)
LIBC = ctypes.CDLL(None, use_errno=True)
LIBC.syscall.restype = ctypes.c_long


# -- framing ------------------------------------------------------------------------

def write_all(fd: int, data) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def frame(kind: bytes, payload: bytes) -> bytes:
    return kind + b"%08x" % len(payload) + payload


def record(kind: bytes, obj: dict) -> None:
    write_all(1, frame(kind, json.dumps(obj).encode()))


def read_exact(fd: int, n: int) -> bytes:
    chunks, left = [], n
    while left:
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            raise EOFError
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def read_into(fd: int, buffer) -> None:
    view, done = memoryview(buffer), 0
    while done < len(view):
        n = os.readv(fd, [view[done:]])
        if not n:
            raise EOFError
        done += n


# -- plain data ---------------------------------------------------------------------

class NotPlain(Exception):
    """A value that is not plain data (numbers, strings, plain arrays, lists, tuples, dicts)."""


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
    if kind is dict:
        if len(value) > 1000 or any(type(k) is not str for k in value):
            raise NotPlain("a dict with keys that are not strings, or too many")
        return {"t": "dict", "v": {k: encode(v, depth + 1) for k, v in value.items()}}
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
        if t == "dict":
            return {k: decode(v) for k, v in value["v"].items()}
    return value


def snapshot(value):
    """An argument as it is after the call, for the not-modified check (generators are not reported)."""
    try:
        if isinstance(value, np.random.Generator):
            return None
        return encode(value)
    except NotPlain:
        return None


# -- confinement (in a call process, before student code) -----------------------------------

FS_RIGHTS = [(1, 0x1FFF), (2, 0x3FFF), (3, 0x7FFF), (5, 0xFFFF)]   # handled rights by Landlock ABI
FILE_RIGHTS = 1 | 2 | 4 | (1 << 14) | (1 << 15)                   # execute, write, read, truncate, ioctl
READ_RIGHTS = 1 | 4 | 8                                           # execute, read file, read dir


class PathBeneath(ctypes.Structure):
    _pack_ = 1
    _fields_ = [("allowed", ctypes.c_uint64), ("parent_fd", ctypes.c_int32)]


def landlock_abi() -> int:
    return int(LIBC.syscall(ctypes.c_long(444), None, ctypes.c_size_t(0), ctypes.c_uint32(1)))


def landlock_ruleset(read: list[str], scratch_root: str) -> tuple[int, int, int]:
    """The worker's Landlock ruleset: read ``read``, read and write under ``scratch_root``; no TCP, no
    signals or abstract sockets out of the domain. Built once; every call process enforces it: (fd, abi, handled).
    """
    abi = landlock_abi()
    if abi < 1:
        return -1, 0, 0
    handled = max(r for a, r in FS_RIGHTS if a <= abi)
    net = 3 if abi >= 4 else 0                   # bind and connect TCP: none allowed
    scoped = 3 if abi >= 6 else 0                # abstract UNIX sockets and signals out of the domain: none
    attr = (ctypes.c_uint64 * 3)(handled, net, scoped)
    size = 24 if abi >= 6 else 16 if abi >= 4 else 8
    fd = int(LIBC.syscall(ctypes.c_long(444), ctypes.byref(attr), ctypes.c_size_t(size), ctypes.c_uint32(0)))
    if fd < 0:
        return -1, abi, handled
    os.set_inheritable(fd, True)
    for path in read:
        _allow(fd, handled, path, READ_RIGHTS)
    for path in ("/dev/null", "/dev/zero", "/dev/urandom", "/dev/random"):
        _allow(fd, handled, path, 4 | 2)
    if scratch_root:
        os.makedirs(scratch_root, mode=0o711, exist_ok=True)
        _allow(fd, handled, scratch_root, handled)
    return fd, abi, handled


def _allow(fd: int, handled: int, path: str, rights: int) -> None:
    try:
        pfd = os.open(path, os.O_PATH | os.O_CLOEXEC)
    except OSError:
        return
    try:
        is_dir = os.path.isdir(path)
        rule = PathBeneath(rights & handled if is_dir else rights & handled & FILE_RIGHTS, pfd)
        LIBC.syscall(ctypes.c_long(445), ctypes.c_int(fd), ctypes.c_int(1), ctypes.byref(rule), ctypes.c_uint32(0))
    finally:
        os.close(pfd)


WRITE_RIGHTS = 2 | (0x1FFF & ~(1 | 2 | 4 | 8)) | (1 << 14)   # write, remove, make anything, truncate


def landlock(ruleset: tuple[int, int, int]) -> dict:
    """Enforce the worker's ruleset, then a second layer under which this process can create or change no file.

    Student code gets an empty, read-only working folder: nothing it writes can outlive the call, fill a
    disk, or carry one call's inputs to the next.
    """
    fd, abi, handled = ruleset
    if fd < 0:
        return {"landlock": False}
    LIBC.prctl(38, 1, 0, 0, 0)                   # PR_SET_NO_NEW_PRIVS
    ok = LIBC.syscall(ctypes.c_long(446), ctypes.c_int(fd), ctypes.c_uint32(0)) == 0
    rights = WRITE_RIGHTS & handled
    attr = (ctypes.c_uint64 * 1)(rights)
    own = int(LIBC.syscall(ctypes.c_long(444), ctypes.byref(attr), ctypes.c_size_t(8), ctypes.c_uint32(0)))
    if own >= 0:
        _allow(own, rights, "/dev/null", 2)       # writing to /dev/null only
        ok = ok and LIBC.syscall(ctypes.c_long(446), ctypes.c_int(own), ctypes.c_uint32(0)) == 0
        os.close(own)
    else:
        ok = False
    return {"landlock": ok, "landlock_abi": abi, "writable": False}


DENY = ("execve", "execveat", "fork", "vfork", "ptrace", "socket", "socketpair", "mount", "umount2", "unshare",
        "setns", "chroot", "pivot_root", "process_vm_writev", "process_vm_readv", "process_madvise", "kexec_load",
        "kexec_file_load", "init_module", "finit_module", "delete_module", "bpf", "keyctl", "add_key", "request_key",
        "userfaultfd", "perf_event_open", "personality", "io_uring_setup", "io_uring_enter", "io_uring_register",
        "kill", "tkill", "tgkill", "rt_sigqueueinfo", "rt_tgsigqueueinfo", "pidfd_open", "pidfd_send_signal",
        "pidfd_getfd", "setsid", "setpgid", "msgget", "shmget", "semget", "mq_open", "open_by_handle_at",
        "name_to_handle_at", "fanotify_init", "move_mount", "open_tree", "fsopen", "fsmount", "fspick",
        "mount_setattr", "quotactl", "syslog", "acct", "swapon", "swapoff", "reboot", "sethostname",
        "setdomainname", "settimeofday", "clock_settime", "adjtimex", "clock_adjtime", "uselib", "ioperm", "iopl",
        "lookup_dcookie", "vhangup", "mknod", "mknodat", "memfd_secret", "landlock_create_ruleset",
        "capset", "chmod", "fchmod", "fchmodat", "fchmodat2", "chown", "fchown", "lchown", "fchownat", "setxattr",
        "lsetxattr", "fsetxattr", "removexattr", "lremovexattr", "fremovexattr", "utime", "utimes", "utimensat",
        "futimesat", "link", "linkat", "symlink", "symlinkat")


OTHER_PROCESS = ("prlimit64", "sched_setaffinity", "sched_setscheduler", "sched_setparam", "sched_setattr",
                 "migrate_pages", "move_pages", "setpriority", "ioprio_set", "process_mrelease", "kcmp")


def seccomp_filter(threads: bool = True):
    """Deny starting programs or processes, every way to a socket, signals, namespaces, acting on other processes."""
    sc = pyseccomp
    if sc is None:
        return None
    try:
        f = sc.SyscallFilter(sc.ALLOW)
        deny = sc.ERRNO(errno.EPERM)
        for name in DENY:
            try:
                f.add_rule(deny, name)
            except Exception:
                continue
        f.add_rule(sc.ERRNO(errno.ENOSYS), "clone3")       # glibc then falls back to clone
        if threads:
            f.add_rule(deny, "clone", sc.Arg(0, sc.MASKED_EQ, CLONE_THREAD, 0))
        else:                                   # uid 0 is exempt from RLIMIT_NPROC: no threads either
            f.add_rule(deny, "clone")
        for name in OTHER_PROCESS:              # only on itself (pid or who 0): never the grader's priority, limits
            try:
                f.add_rule(deny, name, sc.Arg(0 if name not in ("setpriority", "ioprio_set") else 1, sc.NE, 0))
            except Exception:
                continue
        for cmd in (8, 10, 15):                 # fcntl F_SETOWN, F_SETSIG, F_SETOWN_EX: signals to chosen pids
            f.add_rule(deny, "fcntl", sc.Arg(1, sc.EQ, cmd))
        return f
    except Exception:
        return None


def seccomp_program(threads: bool = True):
    """The filter compiled once to BPF, so each call process only installs it (a prctl, not a compile)."""
    f = seccomp_filter(threads)
    if f is None:
        return None
    r, w = os.pipe()
    try:
        with os.fdopen(w, "wb") as fh:
            f.export_bpf(fh)
    except Exception:
        os.close(r)
        return None
    with os.fdopen(r, "rb") as src:
        code = src.read()
    if not code or len(code) % 8:
        return None
    buf = ctypes.create_string_buffer(code, len(code))

    class SockFprog(ctypes.Structure):
        _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]
    return SockFprog(len(code) // 8, ctypes.cast(buf, ctypes.c_void_p)), buf


SECCOMP = seccomp_program()
SECCOMP_NO_THREADS = seccomp_program(threads=False)


def load_seccomp(threads: bool) -> bool:
    program = SECCOMP if threads else SECCOMP_NO_THREADS
    if program is None:
        return False
    LIBC.prctl(38, 1, 0, 0, 0)                   # PR_SET_NO_NEW_PRIVS
    return LIBC.prctl(22, 2, ctypes.byref(program[0]), 0, 0) == 0    # PR_SET_SECCOMP, SECCOMP_MODE_FILTER


def drop_capabilities() -> None:
    """No capability survives into student code (inside bubblewrap's user namespace the worker has some)."""
    for cap in range(64):
        LIBC.prctl(24, cap, 0, 0, 0)                # PR_CAPBSET_DROP
    header = (ctypes.c_uint32 * 2)(0x20080522, 0)
    data = (ctypes.c_uint32 * 6)()
    LIBC.syscall(ctypes.c_long(126 if os.uname().machine == "x86_64" else 91), ctypes.byref(header), ctypes.byref(data))


def vm_bytes() -> int:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 1 << 30


def harden(header: dict, scratch: str, vm: int, ruleset: tuple[int, int, int]) -> dict:
    """Confine this call process; returns what was applied, for the record."""
    applied = {"pidns": header.get("_pidns", False)}
    if os.geteuid() == 0 and not IN_BWRAP:
        applied["netns"] = LIBC.unshare(CLONE_NEWNET) == 0
    else:
        applied["netns"] = IN_BWRAP
    os.makedirs(scratch, mode=0o700, exist_ok=True)
    uid = int(header.get("uid") or 0)
    if os.geteuid() == 0 and uid:
        os.chown(scratch, uid, uid)
        os.setgroups([])
        os.setgid(uid)
        os.setuid(uid)
        applied["uid"] = uid
    else:
        drop_capabilities()
        applied["uid"] = f"{os.geteuid()} (every capability dropped)"
    os.chdir(scratch)
    limits = {
        resource.RLIMIT_AS: vm + int(header.get("memory_mb", 768)) * (1 << 20),
        resource.RLIMIT_CPU: int(header.get("call_cpu", 30)),
        resource.RLIMIT_FSIZE: 1 << 20,
        resource.RLIMIT_NOFILE: 64,
        resource.RLIMIT_CORE: 0,
    }
    if os.geteuid() != 0:
        limits[resource.RLIMIT_NPROC] = int(header.get("nproc", 64))
    for which, value in limits.items():
        try:
            resource.setrlimit(which, (value, value))
        except (ValueError, OSError):
            continue
    applied["rlimits"] = True
    applied.update(landlock(ruleset))
    threads = os.geteuid() != 0                 # RLIMIT_NPROC bounds threads for every uid but 0
    applied["seccomp"] = load_seccomp(threads)
    applied["threads"] = threads
    os.environ.clear()
    os.environ.update({"PATH": "/nonexistent", "HOME": scratch, "TMPDIR": scratch, "LANG": "C.UTF-8",
                       "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"})
    return applied


# -- a call process ------------------------------------------------------------------------

class CappedText(io.StringIO):
    def write(self, s):
        if self.tell() < MAX_OUTPUT:
            super().write(str(s)[: MAX_OUTPUT - self.tell()])
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


class SpareCall:
    """A call process forked ahead of time: it waits, holding nothing, for the one call it will run.

    When told to go it first unmaps every call's inputs it inherited, then reads the
    source and its own call from its request pipe, so its memory holds no other call.
    """

    def __init__(self, state: dict):
        self.req_r, self.req_w = os.pipe()
        self.out_r, self.out_w = os.pipe()
        self.st_r, self.st_w = os.pipe()
        # the call's array inputs live here, shared with init, which reads them back after the call: a
        # record of in-place changes that no code in the call process can rewrite
        self.region = mmap.mmap(-1, REGION_BYTES, flags=mmap.MAP_SHARED)
        regions = state.setdefault("regions", [])
        regions.append(self.region)
        self.pid = os.fork()
        if self.pid == 0:
            code = 4
            try:
                os.close(self.req_w)
                os.close(self.out_r)
                os.close(self.st_r)
                for other in regions:              # the call running now: its inputs are not this one's
                    if other is not self.region:
                        other.close()
                state["region"] = self.region
                call_main(state, self.req_r, self.out_w, self.st_w)
            except BaseException:  # the harness failed before student code: init reports the exit
                pass
            finally:
                os._exit(code)
        for fd in (self.req_r, self.out_w, self.st_w):
            os.close(fd)

    def go(self, index: int, header: dict, source: bytes, call, compiled: bool) -> None:
        head = json.dumps({"index": index, "header": header, "source_len": len(source), "compiled": compiled,
                           "call_len": len(call)}).encode()
        try:
            write_all(self.req_w, b"%08x" % len(head) + head + source)
            write_all(self.req_w, call)
        except OSError:
            pass                                # it died before reading: init sees it end
        os.close(self.req_w)

    def arrays_after(self, size: int) -> None:
        """Send init's view of the call's array inputs (an ``A`` frame), then let the mapping go."""
        if 0 < size <= REGION_BYTES:
            write_all(1, b"A" + b"%08x" % size)
            write_all(1, memoryview(self.region)[:size])
        self.release()

    def release(self) -> None:
        if not self.region.closed:
            self.region.close()

    def discard(self) -> None:
        self.release()
        for fd in (self.req_w, self.out_r, self.st_r):
            try:
                os.close(fd)
            except OSError:
                pass
        reap(self.pid, kill=True)


def close_all_but(keep: set[int]) -> None:
    """Close every descriptor from 3 up except ``keep``."""
    low = 3
    for fd in sorted(f for f in keep if f >= 3):
        os.closerange(low, fd)
        low = fd + 1
    os.closerange(low, 1 << 16)


def call_main(state: dict, req_fd: int, out_fd: int, status_fd: int) -> None:
    """In a call process: drop every call's inputs, take this call only, confine, load, run, report."""
    for m in state.get("maps") or ():          # inherited mappings of the calls' inputs leave this process
        m.close()
    state["maps"] = None
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (1, 2):
        os.dup2(devnull, fd)
    size = int(read_exact(req_fd, 8), 16)
    head = json.loads(read_exact(req_fd, size))
    source = read_exact(req_fd, head["source_len"])
    # compiled once by init (trusted, from the student's text); else the text, so errors read as the student's
    code = marshal.loads(source) if head.get("compiled") else source.decode("utf-8", "replace")
    call = json.loads(read_exact(req_fd, head["call_len"]))
    args = [decode(a) for a in call.get("args", [])]
    args = place_arrays(args, state.get("region"))
    os.dup2(devnull, 0)
    close_all_but({out_fd, status_fd, state["ruleset"][0]})
    index = head["index"]
    header = head["header"]
    isolation = harden(header, f"{header['scratch']}/c{index}", state["vm"], state["ruleset"])
    out = os.fdopen(out_fd, "w", buffering=1)
    missing = [layer for layer in header.get("required", ()) if not isolation.get(layer)]
    if missing:                                 # a layer the grader counts on did not hold: no student code runs
        out.write(json.dumps({"kind": "isolation", **isolation, "failed": missing}) + "\n")
        out.flush()
        os._exit(5)
    out.write(json.dumps({"kind": "isolation", **isolation}) + "\n")   # before any student code runs
    out.flush()
    captured = CappedText()
    sys.stdout = sys.stderr = captured
    module = types.ModuleType("solution")
    module.__file__ = "solution.py"
    sys.modules["solution"] = module
    try:
        exec(code if not isinstance(code, str) else compile(code, "solution.py", "exec"), module.__dict__)
    except BaseException as exc:  # every failure of student code is reported
        out.write(json.dumps({"kind": "import", "ok": False, "error": describe(exc),
                              "traceback": student_traceback(exc), "stdout": captured.getvalue()}) + "\n")
        out.flush()
        os.write(status_fd, b"F")
        os._exit(3)
    out.write(json.dumps({"kind": "import", "ok": True, "stdout": captured.getvalue()}) + "\n")
    out.flush()
    os.write(status_fd, b"L")
    reply = run_call(module, call, args, captured)
    out.write(json.dumps(reply) + "\n")
    out.flush()
    os.write(status_fd, b"D")                  # done: init need not wait for this process to end
    os._exit(0)


def place_arrays(value, region, offset: list | None = None):
    """Every ndarray in ``value`` (depth first, dict values by key) copied into ``region`` at 64-byte aligned
    offsets and replaced by a writable view there; the grader computes the same layout from its own inputs."""
    if region is None:
        return value
    offset = [0] if offset is None else offset
    if type(value) is np.ndarray:
        start = (offset[0] + 63) // 64 * 64
        end = start + value.nbytes
        if end > len(region):
            return value                           # too large: reported by the call process only
        view = np.frombuffer(region, dtype=value.dtype, count=value.size, offset=start).reshape(value.shape)
        view[...] = value
        offset[0] = end
        return view
    if type(value) in (list, tuple):
        items = [place_arrays(v, region, offset) for v in value]
        return items if type(value) is list else tuple(items)
    if type(value) is dict:
        return {k: place_arrays(value[k], region, offset) for k in sorted(value)}
    return value


def run_call(module, call: dict, args: list, captured: CappedText) -> dict:
    reply: dict = {"kind": "call"}
    fn = getattr(module, call["fn"], None)
    if fn is None or not callable(fn):
        reply.update(ok=False, error=f"solution.py does not define a function {call['fn']}()", missing=True)
        return reply
    kwargs = {k: decode(v) for k, v in call.get("kwargs", {}).items()}
    before = len(captured.getvalue())
    start = time.perf_counter()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            with np.errstate(all="warn", under="ignore"):
                value = fn(*args, **kwargs)
        except BaseException as exc:
            reply.update(ok=False, error=describe(exc), traceback=student_traceback(exc))
            value = None
    reply["seconds"] = time.perf_counter() - start
    reply["warnings"] = sorted({f"{w.category.__name__}: {w.message}"[:200] for w in caught})[:10]
    reply["stdout"] = captured.getvalue()[before:][:2000]
    if "ok" in reply:
        return reply
    try:
        reply["value"] = encode(value)
        reply["args_after"] = [snapshot(a) for a in args]
        reply["ok"] = True
    except NotPlain as exc:
        reply.update(ok=False, error=f"the function returned {exc}; return plain numbers or NumPy arrays",
                     not_plain=True)
    except BaseException as exc:  # a value whose conversion misbehaves
        reply.update(ok=False, error=f"the returned value could not be read: {describe(exc)}", not_plain=True)
    return reply


# -- init: one student ------------------------------------------------------------------------

def forward(src: int, limit_end: float, status_fd: int, call_seconds: float, budget_end: float, index: int) -> dict:
    """Copy a call process's output to stdout in ``C`` frames (spliced, never read here) until it ends or a limit."""
    tmp_r, tmp_w = os.pipe()
    phase, total, loaded, drain = "import", 0, None, False
    deadline = limit_end
    watch = [src, status_fd]
    try:
        while True:
            now = time.monotonic()
            end = min(deadline, budget_end)
            if now >= end:
                return {"status": "budget" if budget_end <= deadline else "timeout", "phase": phase, "loaded": loaded}
            ready, _, _ = select.select(watch, [], [], end - now) if not drain else ([src], [], [])
            if status_fd in ready:
                byte = os.read(status_fd, 1)
                if byte == b"L" and loaded is None:
                    loaded, phase = True, "call"
                    deadline = time.monotonic() + call_seconds
                    continue
                watch.remove(status_fd)
                if byte == b"F":
                    loaded = False
                elif byte == b"D" and phase == "call":
                    drain = True                 # everything it wrote is in the pipe: forward it, then stop
                    os.set_blocking(src, False)
            if src in ready:
                try:
                    n, data = os.splice(src, tmp_w, 1 << 16), None
                except BlockingIOError:
                    n, data = 0, None
                except OSError:                   # no splice here: copy through this process instead
                    try:
                        data = os.read(src, 1 << 16)
                    except BlockingIOError:
                        data = b""
                    n = len(data)
                if n == 0:
                    return {"status": "done" if drain else "ended", "phase": phase, "loaded": loaded}
                total += n
                if total > MAX_CALL_BYTES:
                    return {"status": "too_large", "phase": phase, "loaded": loaded}
                write_all(1, b"C" + b"%08x" % n)
                if data is not None:
                    write_all(1, data)
                    continue
                left = n
                while left:
                    left -= os.splice(tmp_r, 1, left)
    finally:
        os.close(tmp_r)
        os.close(tmp_w)


LATER: list[int] = []


def _kill_later(pid: int) -> None:
    """SIGKILL now, reap when convenient (init's exit takes every process of the namespace with it)."""
    try:
        os.kill(pid, signal.SIGKILL)
    except OSError:
        pass
    LATER.append(pid)
    for other in list(LATER):
        try:
            if os.waitpid(other, os.WNOHANG)[0]:
                LATER.remove(other)
        except ChildProcessError:
            LATER.remove(other)


def reap(pid: int, kill: bool) -> str:
    if kill:
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
    try:
        _, status = os.waitpid(pid, 0)
    except ChildProcessError:
        return "gone"
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        name = signal.Signals(sig).name if sig in signal.Signals._value2member_map_ else str(sig)
        return f"killed by signal {name}"
    return f"exit code {os.WEXITSTATUS(status)}"


class _TooSlow(Exception):
    pass


def _too_slow(signum, frame):
    raise _TooSlow


def init_main(go_fd: int, vm: int, pidns: bool) -> None:
    """PID 1 of one student's namespace: take the submission, run each call in a fresh call process."""
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    state: dict = {"maps": None, "vm": vm, "ruleset": RULESET}
    spare: SpareCall | None = SpareCall(state)     # ready before the request comes: it holds nothing
    size = int(read_exact(go_fd, 8), 16)
    header = json.loads(read_exact(go_fd, size))
    header["_pidns"] = pidns
    source = read_exact(0, header["source_len"])
    compiled = False
    signal.signal(signal.SIGALRM, _too_slow)
    signal.setitimer(signal.ITIMER_REAL, min(1.0, float(header.get("import_seconds", 5))))
    try:                                           # compiled once here, not in every call process
        source, compiled = marshal.dumps(compile(source.decode("utf-8", "replace"), "solution.py", "exec")), True
    except BaseException:  # errors and slow compiles are left to the call process, under its limits
        pass
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
    maps = []                                      # each call's inputs, straight from the pipe into its own mapping
    for call in header["calls"]:
        m = mmap.mmap(-1, max(1, call["len"]))
        if call["len"]:
            read_into(0, memoryview(m)[: call["len"]])
        maps.append(m)
    state["maps"] = maps
    scratch = header["scratch"]
    os.makedirs(scratch, mode=0o711, exist_ok=True)
    budget_end = time.monotonic() + float(header.get("total_seconds", 20))
    import_seconds = float(header.get("import_seconds", 5))
    hung: set[str] = set()
    stop = None
    for index, call in enumerate(header["calls"]):
        if stop:
            record(b"I", {"call": index, "status": "not_loaded" if stop == "load" else "budget"})
            continue
        if call["fn"] in hung:
            record(b"I", {"call": index, "status": "skipped"})
            continue
        if time.monotonic() >= budget_end:
            stop = "budget"
            record(b"I", {"call": index, "status": "budget"})
            continue
        current, spare = spare, None
        assert current is not None                 # a spare is forked for every call that runs
        started = time.monotonic()
        current.go(index, header, source, memoryview(maps[index])[: call["len"]], compiled)
        record(b"I", {"call": index, "start": True})
        if index + 1 < len(header["calls"]):
            spare = SpareCall(state)              # the next call's process, forked while this one runs
        result = forward(current.out_r, started + import_seconds, current.st_r, float(call.get("seconds", 2.0)),
                         budget_end, index)
        os.close(current.out_r)
        os.close(current.st_r)
        if result["status"] == "done":             # stop it before reading what it left in the shared mapping
            _kill_later(current.pid)
        current.arrays_after(int(call.get("array_bytes", 0)))
        if result["status"] == "done":             # it finished: ended above without waiting for its exit
            ended = "done"
        else:
            ended = reap(current.pid, kill=result["status"] != "ended")
        result.update(call=index, end=True, exit=ended, seconds=time.monotonic() - started)
        record(b"I", result)
        if result["status"] == "timeout" and result["phase"] == "call":
            hung.add(call["fn"])
        if result["loaded"] is False or (result["status"] == "timeout" and result["phase"] == "import"):
            stop = "load"
        if result["status"] == "budget":
            stop = "budget"
        _clean(f"{scratch}/c{index}")
    if spare is not None:
        spare.discard()
    _clean(scratch)
    record(b"I", {"done": True})


def _clean(path: str) -> None:
    """Remove a folder a student may have filled: no recursion, no long paths, links not followed.

    Every subfolder is first moved up to the top level (a rename), so however deep the
    student nested them, each is emptied at depth one and then removed.
    """
    try:
        top = os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    except OSError:
        return
    try:
        queue: list[str | None] = [None]               # None: the top folder itself
        counter = 0
        while queue:
            name = queue.pop()
            try:
                fd = top if name is None else os.open(name, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=top)
            except OSError:
                continue
            try:
                for entry in list(os.scandir(fd)):
                    try:
                        if entry.is_dir(follow_symlinks=False):
                            counter += 1
                            new = f".rm{counter}"
                            os.rename(entry.name, new, src_dir_fd=fd, dst_dir_fd=top)
                            queue.append(new)
                        else:
                            os.unlink(entry.name, dir_fd=fd)
                    except OSError:
                        continue
            finally:
                if fd != top:
                    os.close(fd)
            if name is not None:
                try:
                    os.rmdir(name, dir_fd=top)
                except OSError:
                    queue.insert(0, name)           # something new appeared in it: empty it again later
                    if len(queue) > 1_000_000:
                        return
    finally:
        os.close(top)
    try:
        os.rmdir(path)
    except OSError:
        pass


# -- the worker -----------------------------------------------------------------------------

class SpareStudent:
    """A student's process pair forked ahead: a holder that made a new PID namespace, and its PID 1 (init).

    A process can make a new PID namespace for its children only once, so the
    worker forks a holder per student; the holder's first child is PID 1 there.
    Init dies with the holder, and with init every process of the namespace.
    """

    def __init__(self, vm: int):
        self.go_r, self.go_w = os.pipe()
        self.done_r, self.done_w = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:
            code = 1
            try:
                os.close(self.go_w)
                os.close(self.done_r)
                pidns = LIBC.unshare(CLONE_NEWPID) == 0
                if not pidns:
                    os.setsid()                  # without a namespace: one session, killed as a group
                init = os.fork()
                if init == 0:
                    try:
                        LIBC.prctl(1, signal.SIGKILL, 0, 0, 0)     # PR_SET_PDEATHSIG: die with the holder
                        os.close(self.done_w)
                        init_main(self.go_r, vm, pidns)
                        os._exit(0)
                    except BaseException as exc:  # init's own fault: the grader must hear it
                        try:
                            record(b"I", {"init_error": f"{type(exc).__name__}: {exc}"})
                        finally:
                            os._exit(1)
                os.close(self.go_r)
                _, status = os.waitpid(init, 0)
                code = 0 if os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0 else 2
                if not pidns:
                    try:
                        os.killpg(os.getpid(), signal.SIGKILL)   # whatever is left of the session, itself too
                    except OSError:
                        pass
            finally:
                os._exit(code)
        os.close(self.go_r)
        os.close(self.done_w)

    def run(self, header_bytes: bytes, limit: float) -> str:
        write_all(self.go_w, b"%08x" % len(header_bytes) + header_bytes)
        os.close(self.go_w)
        ready, _, _ = select.select([self.done_r], [], [], limit)   # closes when the holder exits
        if not ready:
            for target in (self.pid,):
                try:
                    os.killpg(self.pid, signal.SIGKILL)
                except OSError:
                    pass
                try:
                    os.kill(target, signal.SIGKILL)
                except OSError:
                    pass
        os.close(self.done_r)
        _, status = os.waitpid(self.pid, 0)
        if not ready:
            return "init timed out"
        return "ok" if os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0 else f"init ended ({status})"


RULESET = (-1, 0, 0)


def main() -> None:
    global RULESET
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    RULESET = landlock_ruleset(json.loads(os.environ.get("NNGRADE_READ", "[]")), os.environ.get("NNGRADE_SCRATCH", ""))
    vm = vm_bytes()
    import gc
    gc.freeze()              # what is loaded now is never traversed again: fewer pages copied in every fork
    record(b"R", {"ready": True, "pid": os.getpid(), "uid": os.geteuid(), "bwrap": IN_BWRAP,
                  "seccomp": SECCOMP is not None, "python": sys.version.split()[0]})
    spares = [SpareStudent(vm), SpareStudent(vm)]   # one ready while the next is being made
    while True:
        try:
            size = int(read_exact(0, 8), 16)
            head = read_exact(0, size)
            header = json.loads(head)
        except (EOFError, ValueError):
            for spare in spares:
                spare_kill(spare)
            return
        try:
            limit = float(header.get("total_seconds", 20)) + float(header.get("import_seconds", 5)) + 30
            current = spares.pop(0)
            status = current.run(head, limit)
            record(b"E", {"status": status})
        except Exception as exc:  # the worker's own fault: report it, keep serving
            record(b"E", {"status": "worker_error", "error": f"{type(exc).__name__}: {exc}"})
        spares.append(SpareStudent(vm))          # forked after answering, used the student after next


def spare_kill(spare) -> None:
    try:
        os.kill(spare.pid, signal.SIGKILL)
        os.waitpid(spare.pid, 0)
    except OSError:
        pass


if __name__ == "__main__":
    main()
