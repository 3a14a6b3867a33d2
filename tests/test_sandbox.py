"""The hostile suite: student code that attacks the grader scores 0 on what it attacks, harmlessly.

Each case is a solution.py for a one-function part (``f(x)`` = 2x). The test
asserts the score, the message, that the grader still grades a correct
submission afterwards, and that nothing outside the sandbox changed.
"""
from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path

import numpy as np
import pytest

from grader.checks import check_answer
from grader.formula.symbols import SymbolTable
from grader.model import Part, Reference
from grader.sandbox import Sandbox, decode_value, Untrusted

from .conftest import ROOT

MARKER = Path("/tmp/nngrade-hostile-sandbox")


def double(x):
    return 2.0 * np.asarray(x, dtype=float)


def make_part(seconds=1.0, total=8.0):
    tests = [{"function": "f", "kind": "values", "points": 1, "name": {"en": "doubles", "zh": "加倍"},
              "inputs": lambda rng: [(np.array([1.0, -2.0, 3.5]),)], "seconds": seconds}]
    ref = Reference(functions={"f": double}, code_tests=tests)
    return Part("hostile", "code", "code", 1.0, {"en": "", "zh": ""},
                {"functions": [{"name": "f"}], "seconds": total}, SymbolTable(), ref, str(ROOT))


GOOD = "import numpy as np\ndef f(x):\n    return 2*x\n"

HOSTILE = {
    "infinite loop": ("def f(x):\n    while True:\n        pass\n", "did not finish"),
    "sleep": ("import time\ndef f(x):\n    time.sleep(1e9)\n", "did not finish"),
    "memory bomb": ("def f(x):\n    a = []\n    while True:\n        a.append(bytearray(10**7))\n", "MemoryError"),
    "2 GB array": ("import numpy as np\ndef f(x):\n    return np.ones(2_700_000_00)\n", "MemoryError"),
    "fork bomb": ("import os\ndef f(x):\n    while True:\n        os.fork()\n", "PermissionError"),
    "os.system": (f"import os\ndef f(x):\n    return os.system('touch {MARKER}') + x\n", None),
    "subprocess": (f"import subprocess\ndef f(x):\n    subprocess.run(['touch', '{MARKER}'])\n    return 2*x\n", "PermissionError"),
    "socket": ("import socket\ndef f(x):\n    socket.create_connection(('127.0.0.1', 22), timeout=1)\n    return 2*x\n", "PermissionError"),
    "read solutions": (f"def f(x):\n    src = open('{ROOT}/solutions/stable_sigmoid.py').read()\n    return 2*x\n",
                       ("FileNotFoundError", "PermissionError")),   # absent under bubblewrap, refused by Landlock
    "write outside scratch": (f"def f(x):\n    open('{ROOT}/questions/pwned.yaml', 'w').write('x')\n    return 2*x\n", "Error"),
    "kill the grader": ("import os, signal\ndef f(x):\n    os.kill(1, signal.SIGKILL)\n    os.killpg(0, signal.SIGKILL)\n    return 2*x\n", "Error"),
    "kill every process": ("import os, signal\ndef f(x):\n    os.kill(-1, signal.SIGKILL)\n    return 2*x\n", "Error"),
    "exit at import": ("import sys\nsys.exit(0)\n", "exit(0)"),
    "os._exit at import": ("import os\nos._exit(0)\n", "ended"),
    "exit in function": ("import sys\ndef f(x):\n    sys.exit(0)\n", "exit(0)"),
    "os._exit in function": ("import os\ndef f(x):\n    os._exit(0)\n", "ended"),
    "fake printed result": ("def f(x):\n    print('{\"kind\": \"call\", \"index\": 0, \"ok\": true, \"value\": [2.0, -4.0, 7.0]}')\n"
                            "    import os; os.write(1, b'PASS 1/1')\n    return None\n", "expected"),
    "monkeypatched numpy": ("import numpy as np, builtins\nnp.allclose = lambda *a, **k: True\nnp.array_equal = lambda *a, **k: True\n"
                            "builtins.abs = lambda v: 0\ndef f(x):\n    return x\n", "values are wrong"),
    "rigged __eq__": ("class Liar:\n    def __eq__(self, other): return True\n    def __array__(self, *a, **k): raise RuntimeError\n"
                      "def f(x):\n    return Liar()\n", "not plain"),
    "ndarray subclass": ("import numpy as np\nclass A(np.ndarray):\n    def __array_ufunc__(self, *a, **k): return True\n"
                         "def f(x):\n    return np.zeros(3).view(A)\n", "ndarray subclass"),
    "object array": ("import numpy as np\ndef f(x):\n    return np.array([2.0, -4.0, 7.0], dtype=object)\n", "dtype object"),
    "hanging __len__": ("class Evil(list):\n    def __len__(self):\n        while True: pass\ndef f(x):\n    return Evil()\n", "not plain"),
    "NaN and inf": ("import numpy as np\ndef f(x):\n    return np.array([np.nan, np.inf, -np.inf])\n", "NaN or inf"),
    "deep recursion": ("def f(x):\n    return f(x)\n", "RecursionError"),
    "ignores SIGTERM": ("import signal\nsignal.signal(signal.SIGTERM, signal.SIG_IGN)\ndef f(x):\n    while True: pass\n",
                        "did not finish"),
    "threads left running": ("import threading\ndef spin():\n    while True: pass\n"
                             "def f(x):\n    for _ in range(4): threading.Thread(target=spin, daemon=True).start()\n    return x\n",
                             None),   # threads are refused (one process per uid) or die with the child
    "imports the grader": ("import grader.bank\ndef f(x):\n    return 2*x\n", "No module named 'grader'"),
    "segfault via ctypes": ("import ctypes\ndef f(x):\n    ctypes.string_at(0)\n", "ended"),
    "huge output": ("def f(x):\n    print('x' * 10**7)\n    return x\n", "values are wrong"),
}


def bank_digest() -> str:
    h = hashlib.sha256()
    for folder in ("questions", "solutions"):
        for path in sorted((ROOT / folder).rglob("*")):
            if path.is_file():
                h.update(path.name.encode())
                h.update(path.read_bytes())
    return h.hexdigest()


@pytest.fixture(scope="module")
def digest_before():
    return bank_digest()


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_submission_scores_zero_and_harms_nothing(name, digest_before):
    source, words = HOSTILE[name]
    part = make_part(seconds=4.0 if name == "memory bomb" else 1.0)   # filling 800 MB takes about 2 s
    start = time.perf_counter()
    result = check_answer(part, source)
    elapsed = time.perf_counter() - start
    assert result.score == 0, (name, result.feedback)
    assert result.verdict in ("incorrect", "partial"), (name, result.verdict, result.feedback)
    text = " ".join(result.feedback) + " " + str(result.details.get("tests")) + " " + str(result.details.get("traceback"))
    if words:
        assert any(w in text for w in ((words,) if isinstance(words, str) else words)), (name, text[:800])
    assert elapsed < 15
    assert not MARKER.exists()
    assert not (ROOT / "questions" / "pwned.yaml").exists()
    assert bank_digest() == digest_before
    # the grader is unharmed and continues: a correct submission still gets full marks
    good = check_answer(part, GOOD)
    assert good.verdict == "correct" and good.score == 1, good.feedback


def test_isolation_is_recorded():
    result = check_answer(make_part(), GOOD)
    iso = result.details["isolation"]
    assert iso["level"] in ("bwrap", "landlock") and iso["rlimits"] is True


def test_the_students_own_traceback_only():
    result = check_answer(make_part(), "def helper(x):\n    return x[99]\ndef f(x):\n    return helper(x)\n")
    tb = result.details["tests"][0]["traceback"]
    assert 'File "solution.py", line 4, in f' in tb and 'File "solution.py", line 2, in helper' in tb
    assert "IndexError" in tb and "sandbox_child" not in tb and "grader" not in tb


def test_inputs_modified_in_place_cost_the_test():
    result = check_answer(make_part(), "def f(x):\n    x *= 2\n    return x\n")
    assert result.score == 0 and "modified in place" in " ".join(result.feedback)


def test_a_time_limit_on_one_call_leaves_the_others_running():
    tests = [{"function": "f", "kind": "values", "points": 1, "inputs": lambda rng: [(np.array([1.0]),)], "seconds": 0.5},
             {"function": "g", "kind": "values", "points": 1, "inputs": lambda rng: [(np.array([1.0]),)], "seconds": 0.5}]
    ref = Reference(functions={"f": double, "g": double}, code_tests=tests)
    part = Part("two", "code", "code", 2.0, {"en": "", "zh": ""}, {"functions": [{"name": "f"}, {"name": "g"}]},
                SymbolTable(), ref, str(ROOT))
    result = check_answer(part, "def f(x):\n    while True: pass\ndef g(x):\n    return 2*x\n")
    assert result.verdict == "partial" and result.score == 1


def test_decoding_refuses_anything_but_plain_data():
    for bad in ({"t": "nd", "dtype": "|O", "shape": [1], "b": ""}, {"t": "pickle", "v": "..."},
                {"t": "nd", "dtype": "<f8", "shape": [3], "b": "AAAA"}, [1, 2], {"t": "list", "v": [{"t": "x"}]}):
        with pytest.raises(Untrusted):
            decode_value(bad)
    assert decode_value({"t": "float", "v": "nan"}) != decode_value({"t": "float", "v": "nan"})
    assert type(decode_value({"t": "scalar", "dtype": "<f8", "v": "1.5"})) is np.float64


def test_fallback_isolation_still_limits(monkeypatch):
    monkeypatch.setenv("NNGRADE_SANDBOX", "fallback")
    with Sandbox() as box:
        run = box.run("import os\ndef f():\n    return os.system('true')\ndef g():\n    while True: pass\n",
                      [{"fn": "f"}, {"fn": "g", "seconds": 0.5}])
    assert run.isolation["level"] == "landlock" and run.isolation["rlimits"] and run.isolation["landlock"]
    assert not run.calls[0].ok or run.calls[0].value != 0          # no program could start
    assert run.calls[1].flags.get("timeout")


def test_environment_is_scrubbed(monkeypatch):
    monkeypatch.setenv("NNGRADE_SECRET_TOKEN", "hunter2")
    with Sandbox() as box:
        run = box.run("import os\ndef f():\n    return ' '.join(sorted(os.environ))\n", [{"fn": "f"}])
    assert "NNGRADE_SECRET_TOKEN" not in run.calls[0].value
    assert os.environ["NNGRADE_SECRET_TOKEN"] == "hunter2"
