"""Reports in a real browser (Debian's Chromium, installed by .ci/run): math laid out, plots drawn, no errors."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from grader.cli import cli

from .conftest import ROOT

ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    out = tmp_path_factory.mktemp("browser") / "report"
    res = CliRunner().invoke(cli, ["grade", str(ROOT / "submissions"), "--quiz", str(ROOT / "quizzes" / "midterm-exam.yaml"),
                                   "--out", str(out), "--jobs", "2", "--quiet"], env={"NNGRADE_BANK": str(ROOT)})
    assert res.exit_code == 0, res.output
    return out


@pytest.fixture(scope="module")
def browser():
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
                                             ("s05-swapped-lstm-gates/feedback.html", True),
                                             ("s12-hostile/feedback.html", False), ("index.html", True)])
def test_pages_render_with_math_and_plots(report, browser, name, plots):
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
