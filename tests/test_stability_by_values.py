"""Stability is judged on the values a function returns, never on what its own process says about itself.

Floating-point warnings come from the student's process: its code can silence them (legitimately with
``np.errstate``, or by patching ``warnings``), and nothing outside that process can observe them. So a
score must not depend on them: silencing or stripping warnings gains nothing, warnings raised by a
branch that ``np.where`` then discards cost nothing, and an overflow that does change the values (the
subnormal tail of σ, a NaN from ``0 · inf``) loses the stability points in every form.
"""
from __future__ import annotations

import pytest

from grader.checks.code import check_code_parts

PLAIN = "import numpy as np\ndef sigmoid(x):\n    return 1/(1+np.exp(-x))\n"
SILENCED = ("import numpy as np\ndef sigmoid(x):\n    with np.errstate(all='ignore'):\n"
            "        return 1/(1+np.exp(-x))\n")
STRIPPED = ("import numpy as np, warnings\nwarnings.simplefilter('ignore')\nnp.seterr(all='ignore')\n"
            "warnings.showwarning = lambda *a, **k: None\n"
            "def sigmoid(x):\n    return 1/(1+np.exp(-x))\n")
# right values everywhere, but the discarded branch overflows (exp of large positive x): warnings only
WHERE_BOTH = ("import numpy as np\ndef sigmoid(x):\n    x = np.asarray(x, dtype=float)\n"
              "    return np.where(x >= 0, 1/(1+np.exp(-x)), np.exp(x)/(1+np.exp(x)))\n")
STABLE = ("import numpy as np\ndef sigmoid(x):\n    x = np.asarray(x, dtype=float)\n    z = np.exp(-np.abs(x))\n"
          "    return np.where(x >= 0, 1/(1+z), z/(1+z))\n")
LOGADDEXP = "import numpy as np\ndef sigmoid(x):\n    return np.exp(-np.logaddexp(0.0, -np.asarray(x, dtype=float)))\n"

SEED = 20261203


@pytest.fixture(scope="module")
def part(bank):
    return bank.part("stable-sigmoid/code")


def grade(part, source, lang="en", seed=SEED):
    return check_code_parts([part], source, lang, seed=seed, reveal=True)[part.address]


def named(outcome, test_id):
    return next(t for t in outcome.details["tests"] if t.get("id") == test_id)


def test_silencing_or_stripping_warnings_gains_nothing(part):
    plain, silenced, stripped = (grade(part, s) for s in (PLAIN, SILENCED, STRIPPED))
    assert plain.fraction == silenced.fraction == stripped.fraction < 1
    for outcome in (plain, silenced, stripped):
        extremes = named(outcome, "extremes")
        assert not extremes["passed"] and extremes["reason"] == "unstable"
        assert "extreme" in extremes["message"]


def test_warnings_from_a_discarded_branch_cost_nothing_and_are_shown_as_advice(part):
    stable, both = grade(part, STABLE), grade(part, WHERE_BOTH)
    assert stable.fraction == both.fraction == 1
    advice = named(both, "extremes").get("advice", "")
    assert "not scored" in advice and "overflow" in advice.lower()
    assert "advice" not in named(stable, "extremes")
    zh = named(grade(part, WHERE_BOTH, "zh"), "extremes")["advice"]
    assert "不计分" in zh


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_other_stable_forms_keep_every_point_on_fresh_inputs(part, seed):
    assert grade(part, LOGADDEXP, seed=seed).fraction == 1
    assert grade(part, STABLE, seed=seed).fraction == 1


def test_an_overflow_that_changes_values_loses_the_stability_points_in_other_parts(bank):
    elu = bank.part("relu-family/code")
    right = grade(elu, "import numpy as np\n" + _relu_family(
        "def elu(x, alpha=1.0):\n    x = np.asarray(x, dtype=float)\n"
        "    return np.where(x > 0, x, alpha*(np.exp(x) - 1))\n"))
    masked = grade(elu, "import numpy as np\n" + _relu_family(
        "def elu(x, alpha=1.0):\n    x = np.asarray(x, dtype=float)\n"
        "    with np.errstate(all='ignore'):\n        return (x > 0)*x + (x <= 0)*alpha*(np.exp(x) - 1)\n"))
    assert named(right, "elu-stable")["passed"] and "advice" in named(right, "elu-stable")
    failed = named(masked, "elu-stable")
    assert not failed["passed"] and failed["reason"] == "not_finite"
    assert masked.fraction < right.fraction


def _relu_family(elu: str) -> str:
    from importlib import util

    from .conftest import ROOT
    spec = util.spec_from_file_location("rf_for_stability", ROOT / "solutions" / "relu_family.py")
    module = util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return "".join({**module._FNS, "elu": elu}.values())
