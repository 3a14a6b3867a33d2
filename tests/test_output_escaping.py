"""A student attacks the instructor through what the outputs show (issue 9).

A real class is graded with hostile student ids (folder names) beside an honest student, plus
answers and exception messages full of markup, formulas and control characters. Then every
output is read as its consumer reads it: HTML with BeautifulSoup (and Chromium, where installed),
CSV with csv, XML with ElementTree, JSON with json, Markdown line by line.
"""
from __future__ import annotations

import csv
import json
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup
from click.testing import CliRunner

from grader.cli import cli
from grader.publish.escaping import csv_cell, markdown_text, relative_href, visible, xml_string, xml_text
from grader.submission import page_name

from .conftest import ROOT

ENV = {"NNGRADE_BANK": str(ROOT)}
HOSTILE_IDS = ["javascript:alert(1)", '"><img src=x onerror=alert(1)>', '=HYPERLINK("http:evil","x")', "+1",
               "-2+3", "@SUM(A1)", "\tTAB", "ctl\x1bx\x0by", "bidi\u202egnp.exe", "<script>alert(1)<",
               "a'b\"c&d", "data:text,hi"]
HONEST = "honest"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
ACTIVE = set("\x1b\x0b\x00\u202e")        # characters that must never reach a page, a cell or a terminal as-is
ANSWERS = {"sigmoid-derivative": {"in-sigma": "sigma(x)(1 - sigma(x))", "max": "=1/4+cmd|' /C calc'!A0",
                                  "argmax": "0"},
           "init-symmetry": {"zero": "=HYPERLINK(\"http://evil\",\"x\")\x1b[31m", "constant": "B", "why": ["A", "B", "E"],
                             "explain": "=SUM(A1:A9) <img src=x onerror=alert(2)> symmetric identical gradients"}}
RAISER = '\n\ndef sigmoid(x):\n    raise ValueError("boom\\x1b[31m\\x0b <b onclick=x>=cmd</b> \\u202e")\n'


def invoke(*args, env=None):
    return CliRunner().invoke(cli, [str(a) for a in args], env={**ENV, **(env or {})}, catch_exceptions=False)


def write_student(folder: Path, hostile: bool) -> None:
    folder.mkdir(parents=True)
    source = (ROOT / "submissions" / "s01-all-right" / "solution.py").read_text(encoding="utf-8")
    if hostile:
        source = source.replace("def sigmoid(", "def _unused_sigmoid(") + RAISER
    answers = ANSWERS if hostile else {"sigmoid-derivative": {"in-sigma": "sigma(x)(1-sigma(x))", "max": "1/4",
                                                              "argmax": "0"}}
    (folder / "answers.yaml").write_text(yaml.safe_dump(answers, allow_unicode=True), encoding="utf-8")
    (folder / "solution.py").write_text(source, encoding="utf-8")


@pytest.fixture(scope="module")
def quiz(tmp_path_factory):
    path = tmp_path_factory.mktemp("quiz") / "quiz.yaml"
    path.write_text(yaml.safe_dump({"id": "escaping", "title": {"en": "Escaping", "zh": "转义"}, "seed": 3,
                                    "lang": "en", "questions": ["sigmoid-derivative", "stable-sigmoid",
                                                                "init-symmetry"]}), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def graded(tmp_path_factory, quiz):
    """The hostile class graded once: (submissions, out). Hostile ids carry hostile answers and code too."""
    base = tmp_path_factory.mktemp("hostile")
    subs = base / "subs"
    for sid in HOSTILE_IDS:
        write_student(subs / sid, hostile=True)
    write_student(subs / HONEST, hostile=False)
    write_student(subs / "honest-twin", hostile=False)
    out = base / "out"
    res = invoke("grade", subs, "--quiz", quiz, "--out", out, "--jobs", 2, "--quiet")
    assert res.exit_code == 0, res.output + res.stderr
    assert not ACTIVE & set(res.output)               # the console never echoes an escape sequence or override
    return subs, out


def graded_ids(out: Path) -> list[str]:
    return [s["student"] for s in json.loads((out / "results.json").read_text(encoding="utf-8"))["students"]]


def test_every_hostile_student_was_graded_and_the_honest_one_kept_his_score(graded):
    subs, out = graded
    data = json.loads((out / "results.json").read_text(encoding="utf-8"))     # JSON: ids round-trip exactly
    assert sorted(graded_ids(out)) == sorted(HOSTILE_IDS + [HONEST, "honest-twin"])
    by = {s["student"]: s for s in data["students"]}
    assert by[HONEST]["score"] == by["honest-twin"]["score"] > 0
    assert data["errors"] == []


def test_index_links_are_relative_percent_encoded_paths_to_each_students_page(graded):
    _, out = graded
    html = (out / "index.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(html, "html.parser")
    assert soup.find_all(["img", "script", "iframe", "object"]) == []
    assert not any(a.startswith("on") for tag in soup.find_all(True) for a in tag.attrs)
    links = [a for a in soup.find_all("a") if a.get("href") and not a["href"].startswith("#")]
    targets = {}
    for a in links:
        href = a["href"]
        parts = urlsplit(href)
        assert parts.scheme == "" and parts.netloc == "" and not parts.query and href.startswith("./"), href
        target = (out / unquote(parts.path, errors="surrogateescape")).resolve()
        assert target.is_file() and target.name == "feedback.html" and target.parent.parent == out.resolve()
        targets[target.parent.name] = a.get_text()
    ids = graded_ids(out)
    assert set(targets) == {page_name(sid) for sid in ids}                  # every student's own page
    assert all(targets[page_name(sid)] == visible(sid) for sid in ids)       # shown, controls made visible
    assert not ACTIVE & set(html)


@pytest.mark.parametrize("sid", HOSTILE_IDS)
def test_student_pages_show_ids_and_answers_as_text(graded, sid):
    _, out = graded
    html = (out / page_name(sid) / "feedback.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(html, "html.parser")
    assert soup.find_all(["img", "script", "iframe", "b"]) == []
    assert not any(a.startswith("on") for tag in soup.find_all(True) for a in tag.attrs)
    assert not ACTIVE & set(html)
    text = soup.get_text()
    assert visible(sid) in text and "<b onclick=x>=cmd</b>" in text       # the raised message, shown as text


def read_csv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


def assert_neutral(rows: list[list[str]], id_column: int, ids: list[str]) -> None:
    cells = [c for row in rows for c in row]
    for c in cells:
        assert not c.startswith(FORMULA_START) or _is_number(c), c
        assert not ACTIVE & set(c)
    shown = [row[id_column] for row in rows]
    for sid in ids:
        expected = visible(sid)
        assert (("'" + expected) if expected.startswith(FORMULA_START) else expected) in shown


def _is_number(cell: str) -> bool:
    try:
        float(cell)
        return True
    except ValueError:
        return False


def test_grades_csv_neutralises_formulas_and_keeps_numbers(graded):
    _, out = graded
    rows = read_csv(out / "grades.csv")
    assert rows[0][:4] == ["student", "score", "max_score", "percent"]
    assert_neutral(rows[1:], 0, HOSTILE_IDS)
    for row in rows[1:]:
        assert all(_is_number(c) for c in row[1:4])                           # numbers stay numbers
    honest = next(r for r in rows if r[0] == HONEST)
    assert float(honest[1]) > 0 and honest[1] == next(r for r in rows if r[0] == "honest-twin")[1]


def test_canvas_and_moodle_csvs_neutralise_ids(graded, tmp_path):
    _, out = graded
    assert invoke("export", "canvas-grades", out / "results.json", "-o", tmp_path / "c.csv",
                  "--title", "=cmd|' /C calc'!A0").exit_code == 0
    rows = read_csv(tmp_path / "c.csv")
    assert rows[0][5] == "'=cmd|' /C calc'!A0"
    assert_neutral(rows[2:], 2, HOSTILE_IDS)
    assert all(_is_number(r[5]) for r in rows[1:])
    assert invoke("export", "moodle-grades", out / "results.json", "-o", tmp_path / "m.csv").exit_code == 0
    rows = read_csv(tmp_path / "m.csv")
    assert_neutral(rows[1:], 0, HOSTILE_IDS)
    assert all(_is_number(r[1]) for r in rows[1:])


@pytest.mark.parametrize("sid", ["ctl\x1bx\x0by", '"><img src=x onerror=alert(1)>', "bidi\u202egnp.exe"])
def test_single_mode_junit_classroom_and_step_summary_stay_well_formed(graded, quiz, tmp_path, sid):
    subs, _ = graded
    summary = tmp_path / "summary.md"
    res = invoke("grade", subs / sid, "--single", "--student", sid, "--quiz", quiz, "--out", tmp_path / "r",
                 "--junit", tmp_path / "junit.xml", "--classroom", tmp_path / "classroom.json",
                 env={"GITHUB_STEP_SUMMARY": str(summary)})
    assert res.exit_code == 0, res.output + res.stderr
    raw = (tmp_path / "junit.xml").read_text(encoding="utf-8")
    suites = ET.fromstring(raw)                                              # well-formed despite \x1b, \x0b
    assert suites.find("testsuite").get("name") == "escaping:" + xml_text(sid)
    failure = next(c.find("failure") for c in suites.iter("testcase") if c.get("name").startswith("stable-sigmoid"))
    assert "<b onclick=x>=cmd</b>" in failure.text and "\x1b" not in raw and "\x0b" not in raw
    json.loads((tmp_path / "classroom.json").read_text(encoding="utf-8"))
    md = summary.read_text(encoding="utf-8")
    assert not ACTIVE & set(md) and "<b" not in md and "<img" not in md
    for line in md.splitlines():
        if line.startswith("| ") and "---" not in line:
            assert line.replace("\\|", "").count("|") == 5, line               # one row, four cells


def test_lms_item_exports_are_well_formed_xml_whatever_the_text(tmp_path):
    quiz = tmp_path / "q.yaml"
    quiz.write_text('id: xmlsafe\ntitle: {en: "Quiz \\e[31m \\v <&> \\"1\\" \\uFFFE end", zh: "x"}\nseed: 1\n'
                    "questions: [init-symmetry, sigmoid-derivative]\n", encoding="utf-8")
    assert invoke("export", "canvas-qti", quiz, "-o", tmp_path / "q.zip").exit_code == 0
    with zipfile.ZipFile(tmp_path / "q.zip") as zf:
        for name in zf.namelist():
            root = ET.fromstring(zf.read(name))
            titles = [el.get("title") for el in root.iter() if el.get("title", "").startswith("Quiz")]
            assert all(t == 'Quiz [31m  <&> "1"  end' for t in titles)
    assert invoke("export", "moodle-xml", quiz, "-o", tmp_path / "m.xml").exit_code == 0
    ET.parse(tmp_path / "m.xml")


def test_gradescope_output_shows_hostile_feedback_as_text(graded, quiz):
    from grader.bank import load_bank
    from grader.results.grading import grade_one as grade_single
    from grader.publish import to_gradescope
    from grader.quiz import load_quiz
    subs, _ = graded
    bank = load_bank(ROOT)
    the_quiz = load_quiz(quiz, bank)
    results = to_gradescope(grade_single(bank, the_quiz, subs / "ctl\x1bx\x0by", "ctl\x1bx\x0by"), the_quiz)
    json.loads(json.dumps(results))
    for html in [results["output"]] + [t["output"] for t in results["tests"]]:
        soup = BeautifulSoup(html, "html.parser")
        assert soup.find_all(["img", "script", "b"]) == [] and not ACTIVE & set(html)


# -- the helpers, as tables --------------------------------------------------------------------------

@pytest.mark.parametrize(("value", "cell"), [
    ("=1+1", "'=1+1"), ("+1", "'+1"), ("-1", "'-1"), ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"),
    ("\rx", "<U+000D>x"), ("plain", "plain"), ("a=b", "a=b"), ("", ""), (None, ""),
    (2.0, 2), (1.5, 1.5), (-3, -3), (0, 0), ("x\x1by", "x<U+001B>y"), ("\u202eabc", "<U+202E>abc"),
])
def test_csv_cell(value, cell):
    assert csv_cell(value) == cell


def test_xml_text_keeps_what_xml_allows_and_drops_the_rest():
    assert xml_text("a\tb\nc\rd é 中 😀") == "a\tb\nc\rd é 中 😀"
    assert xml_text("x\x00\x08\x0b\x0c\x1b\x7fy\ufffe\uffff\ud800z") == "x\x7fy" + "z"
    root = ET.Element("r", {"k": "v\x1b"})
    root.text = "t\x0b"
    ET.SubElement(root, "c").tail = "\x01tail"
    assert ET.fromstring(xml_string(root)).get("k") == "v"


@pytest.mark.parametrize("sid", HOSTILE_IDS + ["..", "a/b", "x?y#z", "sp ace", "\udcff-not-utf8"])
def test_relative_href_is_one_relative_segment(sid):
    href = relative_href(sid, "feedback.html")
    parts = urlsplit(href)
    assert href.startswith("./") and parts.scheme == "" and parts.netloc == "" and not parts.query
    assert not parts.fragment and href.count("/") == 2
    assert unquote(href[2:-len("/feedback.html")], errors="surrogateescape") == sid


def test_markdown_text_is_one_inert_line():
    assert markdown_text("a|b\n[x](javascript:alert(1)) <img> `c`") == \
        "a\\|b \\[x\\]\\(javascript:alert\\(1\\)\\) \\<img\\> \\`c\\`"


# -- in a real browser ---------------------------------------------------------------------------------

def test_clicking_a_hostile_link_in_chromium_runs_no_script(graded):
    from .test_browser import ARGS, CHROMIUM, missing_tool
    missing = missing_tool()
    if missing:
        pytest.skip(missing)
    from playwright.sync_api import sync_playwright
    _, out = graded
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page()
            dialogs, errors = [], []
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto((out / "index.html").as_uri())
            for sid in ("javascript:alert(1)", "data:text,hi"):
                page.goto((out / "index.html").as_uri())
                page.locator("a", has_text=sid).first.click()
                page.wait_for_load_state()
                assert page.url.startswith("file://") and page.url.endswith("/feedback.html"), page.url
                assert visible(sid) in page.inner_text("h1 + p")
            assert dialogs == [] and errors == []
        finally:
            browser.close()
