"""nngrade serve in a real browser (Chromium through Playwright, as tests/test_browser.py finds it).

One server (waitress, with its code-grading pool) serves a small quiz: a formula, a number, a code part
and a free-text part. A student types, sees the preview change, makes and fixes an invalid answer,
uploads code and runs its visible tests, submits and sees feedback; the instructor reviews the text
answer and the student's score changes; another student cannot reach the first one's answers.
Skipped, naming what is missing, without Chromium.
"""
from __future__ import annotations

import os
import signal
import subprocess

import pytest

from grader.serve.app import make_links

from .conftest import ROOT
from .test_browser import ARGS, CHROMIUM, missing_tool
from .test_serve_http import free_port, start_server

QUIZ = """id: serve-browser
title: {en: "Serve test", zh: "服务测试"}
seed: 7
questions:
  - sigmoid-derivative/in-sigma
  - sigmoid-derivative/max
  - sigmoid-derivative/code
  - init-symmetry/explain
"""
GOOD_CODE = """import numpy as np

def sigmoid_grad(x):
    s = 1.0 / (1.0 + np.exp(-x))
    return s * (1.0 - s)
"""


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    missing = missing_tool()
    if missing:
        pytest.skip(missing)
    tmp = tmp_path_factory.mktemp("serve-browser")
    quiz = tmp / "quiz.yaml"
    quiz.write_text(QUIZ, encoding="utf-8")
    db = tmp / "gradebook.sqlite"
    port = free_port()
    links = dict(make_links(quiz, ["alice", "bob"], db, f"http://127.0.0.1:{port}", ROOT))
    proc = start_server(db, port, quiz)
    yield links, f"http://127.0.0.1:{port}", tmp
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture(scope="module")
def browser(served):
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def new_page(browser, base):
    context = browser.new_context(viewport={"width": 1100, "height": 1400}, bypass_csp=True)   # for wait_for_function
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("request", lambda r: errors.append("outside request: " + r.url) if not r.url.startswith(base) else None)
    return context, page, errors


def enter(page, link):
    """Open a secret link as a student does: the page names who it signs in; its button signs in."""
    page.goto(link)
    assert page.locator("form button").count() == 1, page.content()
    with page.expect_navigation():
        page.locator("form button").click()


def part(page, address):
    return page.locator(f'section[data-address="{address}"]')


def test_a_student_answers_previews_runs_code_submits_and_the_instructor_reviews(browser, served):
    links, base, tmp = served
    context, page, errors = new_page(browser, base)
    enter(page, links["alice"])
    assert page.url.endswith("/quiz")
    formula = part(page, "sigmoid-derivative/in-sigma")
    box = formula.locator(".preview")

    # typing: the preview follows, as MathML read by the grader
    formula.locator("input").type("sigma(x)(1-sigma(x", delay=20)
    # on a loaded machine a pause between keys can let a preview of a prefix ("s") through first: wait for
    # the preview of the whole text (a late answer for an older text never replaces it: serve.js's seq)
    page.wait_for_function("(() => { const b = document.querySelector('section[data-address=\"sigmoid-derivative/"
                           "in-sigma\"] .preview'); return b.classList.contains('error') && "
                           "b.innerText.includes('never closed'); })()")
    assert "never closed" in box.inner_text()
    assert "^" in box.locator(".caret").inner_text()
    formula.locator("input").type("))", delay=20)
    page.wait_for_function("document.querySelector('section[data-address=\"sigmoid-derivative/in-sigma\"] .preview')"
                           ".classList.contains('ok')")
    assert box.locator("math").count() == 1
    size = box.locator("math").bounding_box()
    assert size["width"] > 40 and size["height"] > 5
    first = box.locator("math").inner_html()
    formula.locator("input").type(" + 1", delay=20)
    page.wait_for_function("(old) => { const m = document.querySelector('section[data-address=\"sigmoid-derivative/"
                           "in-sigma\"] .preview math'); return m && m.innerHTML !== old; }", arg=first)

    numeric = part(page, "sigmoid-derivative/max")
    numeric.locator("input").fill("1/4")
    page.wait_for_function("document.querySelector('section[data-address=\"sigmoid-derivative/max\"] .preview')"
                           ".classList.contains('ok')")
    assert "0.25" in numeric.locator(".preview").inner_text()

    # the text answer, and code uploaded from a file, then its visible tests
    part(page, "init-symmetry/explain").locator("textarea").fill("Because the teacher said so.")
    solution = tmp / "solution.py"
    solution.write_text(GOOD_CODE, encoding="utf-8")
    page.set_input_files("#code-file", str(solution))
    page.wait_for_function("document.getElementById('code').value.includes('sigmoid_grad')")
    code = part(page, "sigmoid-derivative/code")
    code.locator("button.run").click()
    page.wait_for_selector('section[data-address="sigmoid-derivative/code"] .run-result li', timeout=90_000)
    results = code.locator(".run-result li")
    assert results.count() >= 1
    assert all(results.nth(i).get_attribute("class") == "pass" for i in range(results.count()))

    # autosave: a reload (or another device) shows what was typed
    page.wait_for_function("document.getElementById('save-state').className === 'ok'")
    page.wait_for_timeout(1200)
    page.reload()
    assert part(page, "sigmoid-derivative/in-sigma").locator("input").input_value() == "sigma(x)(1-sigma(x)) + 1"
    assert "sigmoid_grad" in page.locator("#code").input_value()

    # the formula fixed, then submitted; feedback appears without a reload
    field = part(page, "sigmoid-derivative/in-sigma").locator("input")
    field.fill("sigma(x)(1-sigma(x))")
    page.on("dialog", lambda d: d.accept())
    page.click("#submit")
    page.wait_for_selector('#attempts li[data-status="graded"]', timeout=120_000)
    page.wait_for_selector("#feedback-link:not([hidden])")
    page.click("#feedback-link a")
    feedback = page.content()
    score_before = page.locator("p strong").first.inner_text()
    assert "sigmoid-derivative" in feedback or "σ" in feedback

    # the instructor accepts the text answer with full marks; the student's score changes
    tctx, teacher, terrors = new_page(browser, base)
    enter(teacher, links["*instructor*"])
    review = teacher.locator('form.review[data-address="init-symmetry/explain"]')
    assert review.count() == 1
    assert "Because the teacher said so." in review.inner_text()
    max_points = review.locator("input[name=score]").get_attribute("max")
    review.locator("input[name=score]").fill(max_points)
    review.locator("input[name=comment]").fill("well put")
    with teacher.expect_navigation():
        review.locator("button").click()
    assert teacher.url.endswith("/instructor#review"), teacher.content()
    assert teacher.locator('form.review[data-address="init-symmetry/explain"]').count() == 0
    page.reload()
    score_after = page.locator("p strong").first.inner_text()
    assert score_after != score_before and "well put" in page.content()
    assert float(score_after.split("/")[0]) > float(score_before.split("/")[0])

    # a second student sees only their own page
    bctx, bob, berrors = new_page(browser, base)
    enter(bob, links["bob"])
    assert bob.locator("#code").input_value() == ""
    assert part(bob, "init-symmetry/explain").locator("textarea").input_value() == ""
    # the instructor's page follows the class without a reload: bob's first saved answer appears
    teacher.evaluate("window.__same_page = true")
    part(bob, "sigmoid-derivative/max").locator("input").fill("0.25")
    teacher.wait_for_function("Array.from(document.querySelectorAll('#progress tr')).some(r => "
                              "r.cells[0].innerText === 'bob' && r.cells[1].innerText === '1')", timeout=30_000)
    assert teacher.evaluate("window.__same_page === true")
    bob.goto(base + "/feedback")
    assert "teacher said so" not in bob.content() and "well put" not in bob.content()
    bob.goto(base + "/instructor")
    assert "alice" not in bob.content()
    page.screenshot(path=str(ROOT / "test-artifacts" / "serve-feedback.png"), full_page=True) \
        if os.path.isdir(ROOT / "test-artifacts") else None
    for ctx in (context, tctx, bctx):
        ctx.close()
    assert errors == [] and terrors == []


def test_missing_chromium_skips_naming_it(tmp_path):
    import sys
    from .test_browser import INSTALL
    absent = tmp_path / "no-such-dir" / "chromium"
    env = {**os.environ, "NNGRADE_CHROMIUM": str(absent)}
    res = subprocess.run([sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider", __file__,
                          "-k", "student_answers"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stdout + res.stderr
    assert "1 skipped" in res.stdout and str(absent) in res.stdout and INSTALL in res.stdout
