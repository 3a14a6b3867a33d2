"""Choosing the isolation: when NNGRADE_SANDBOX forces a mechanism this machine lacks, the message names the
setting as the cause and says that another mechanism works here, instead of claiming no isolation exists."""
from __future__ import annotations

import pytest

from grader import isolation
from grader.sandbox import IsolationUnavailable, Sandbox


@pytest.fixture(autouse=True)
def fresh(monkeypatch):
    monkeypatch.setattr(isolation, "_CHOSEN", {})


def test_forced_bwrap_without_bubblewrap_names_the_setting_and_the_working_landlock(monkeypatch):
    if isolation.landlock_abi() < 1:
        pytest.skip("Landlock is not available on this kernel")
    monkeypatch.setenv("NNGRADE_SANDBOX", "bwrap")
    monkeypatch.setattr(isolation, "bwrap_candidates", lambda: [])
    mech = isolation.choose()
    assert mech.level == "none"
    assert any("unset NNGRADE_SANDBOX" in why and "Landlock works here" in why for why in mech.why)
    with pytest.raises(IsolationUnavailable) as info:
        Sandbox().start()
    assert "NNGRADE_SANDBOX=bwrap allows" in str(info.value) and "no isolation on this machine" not in str(info.value)


def test_forced_landlock_without_landlock_names_the_working_bubblewrap(monkeypatch):
    monkeypatch.setenv("NNGRADE_SANDBOX", "landlock")
    monkeypatch.setattr(isolation, "landlock_abi", lambda: 0)
    monkeypatch.setattr(isolation, "bwrap_candidates", lambda: ["/usr/bin/bwrap-that-works"])
    monkeypatch.setattr(isolation, "probe_bwrap", lambda binary, paths: None)
    mech = isolation.choose()
    assert mech.level == "none"
    assert any("unset NNGRADE_SANDBOX" in why and "bubblewrap works here" in why for why in mech.why)


def test_automatic_choice_says_nothing_about_the_setting(monkeypatch):
    monkeypatch.delenv("NNGRADE_SANDBOX", raising=False)
    monkeypatch.setattr(isolation, "bwrap_candidates", lambda: [])
    monkeypatch.setattr(isolation, "landlock_abi", lambda: 0)
    mech = isolation.choose()
    assert mech.level == "none" and not any("NNGRADE_SANDBOX" in why for why in mech.why)


# -- a reply's fields: whatever a tampered reply holds, the grader gets plain data or a flagged call --------------

@pytest.mark.parametrize("warnings", [[None, "overflow"], [1], [{"a": 1}], [["x"]], "overflow", {"w": 1}])
def test_a_reply_whose_warnings_are_not_strings_is_flagged_never_passed_on(warnings):
    tampered: list = []
    result = Sandbox()._reply({"ok": True, "value": None, "warnings": warnings}, {"fn": "f"}, tampered)
    assert not result.ok and result.flags.get("tampered") and tampered == [tampered[0]] and "f()" in tampered[0]
    assert result.warnings == []


def test_string_warnings_pass_on_bounded():
    result = Sandbox()._reply({"ok": False, "warnings": ["w" * 9000] * 20}, {"fn": "f"}, [])
    assert len(result.warnings) == 10 and all(len(w) == 5000 for w in result.warnings)
