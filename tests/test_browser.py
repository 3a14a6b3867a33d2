"""Reports in a real browser (Debian's Chromium, installed by .ci/run): math laid out, plots drawn, no errors.

Without the browser these tests are skipped, saying what is missing and how to install it
(a missing tool is not a failure of the grader). $NNGRADE_CHROMIUM names another Chromium binary.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from grader.cli import cli

from .conftest import ROOT

ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = os.environ.get("NNGRADE_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
INSTALL = "apt-get install chromium fonts-noto-cjk"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    out = tmp_path_factory.mktemp("browser") / "report"
    res = CliRunner().invoke(cli, ["grade", str(ROOT / "submissions"), "--quiz", str(ROOT / "quizzes" / "midterm-exam.yaml"),
                                   "--out", str(out), "--jobs", "2", "--quiet"], env={"NNGRADE_BANK": str(ROOT)})
    assert res.exit_code == 0, res.output
    return out


def missing_tool(chromium: str = CHROMIUM) -> str | None:
    """What these tests need and this machine lacks, as a message; None when everything is there."""
    if not (os.path.isfile(chromium) and os.access(chromium, os.X_OK)):
        return f"browser tests need Chromium at {chromium}, which is missing: {INSTALL}"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "browser tests need the Python package playwright: pip install -e '.[test]'"
    return None


@pytest.fixture(scope="module")
def browser():
    missing = missing_tool()
    if missing:
        pytest.skip(missing)
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def open_page(browser, path: Path):
    page = browser.new_page(viewport={"width": 1000, "height": 1400})
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: errors.append(f"network request: {r.url}") if not r.url.startswith(("file:", "data:")) else None)
    page.goto(path.as_uri())
    return page, errors


@pytest.mark.parametrize(("name", "plots"), [("s07-overflowing-sigmoid/feedback.html", True),
                                             # plots only for a function that fails: s05's sigmoid is right
                                             ("s05-swapped-lstm-gates/feedback.html", False),
                                             ("s12-hostile/feedback.html", False), ("index.html", True)])
def test_pages_render_with_math_and_plots(browser, report, name, plots):
    page, errors = open_page(browser, report / name)
    sizes = page.evaluate("Array.from(document.querySelectorAll('math')).map(m => {"
                          "const r = m.getBoundingClientRect(); return [r.width, r.height]; })")
    svgs = page.evaluate("Array.from(document.querySelectorAll('svg')).map(s => s.getBoundingClientRect().width)")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / (name.replace("/", "__") + ".png")), full_page=True)
    page.close()
    assert errors == []
    if plots:
        assert svgs and min(svgs) > 50
    if name != "index.html":
        assert len(sizes) > 20 and min(w for w, h in sizes) > 0 and min(h for w, h in sizes) > 0


def test_missing_chromium_skips_naming_the_path_and_the_package(tmp_path):
    """Run this file's browser tests with a Chromium path that does not exist: skipped, never errors."""
    absent = tmp_path / "no-such-dir" / "chromium"
    env = {**os.environ, "NNGRADE_CHROMIUM": str(absent)}
    res = subprocess.run([sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider", __file__,
                          "-k", "pages_render"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stdout + res.stderr
    assert "4 skipped" in res.stdout and "error" not in res.stdout.lower(), res.stdout
    assert str(absent) in res.stdout and INSTALL in res.stdout
