"""A Chinese report and a Chinese handout hold no English sentence of ours.

A small class is graded with ``--lang zh``: a student who is right, one with a known misconception, wrong
values in a code part, answers to questions and parts the quiz lacks and a stray file, one whose files
cannot be read (YAML syntax, not UTF-8), one whose answers.yaml is a named pipe, one whose code loops
forever and returns an object that is not plain data, and one whose code the grader fails on (a sandbox
fault). Then every page is read as text, with what is not ours taken out:
the student's own text and code (``<code>``, ``<pre>``, quoted input), the math (MathML), the plots'
titles (function names), and the parameters of keyed problems that are data (a parser's own words, a
file name). What remains must hold no run of three or more English words, and none of the catalog's
short English labels (``Score``, ``reference``...).
"""
from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from click.testing import CliRunner

from grader.cli import cli
from grader.messages import CATALOG
from grader.sandbox import Sandbox, SandboxError

from .conftest import ROOT

ENV = {"NNGRADE_BANK": str(ROOT)}
MARKER = "# FORCE-GRADER-FAULT"
CAUSE = "bwrap: execvp /opt/py/bin/python3: ENOENT"          # the grader's fault; no English words in it
RIGHT = {"sigmoid-derivative": {"in-sigma": "sigma(x)(1 - sigma(x))", "max": "1/4", "argmax": "0"},
         "init-symmetry": {"zero": "B", "constant": "B", "why": ["A", "B", "E"],
                           "explain": "Hidden units are symmetric: identical gradients; random init breaks it."}}
WRONG = {"sigmoid-derivative": {"in-sigma": "sigma(x)*(1 + sigma(x))", "max": "1/2", "argmax": "one",
                                "no-such-part": "1"},
         "init-symmetry": {"zero": "Q", "constant": "A", "why": ["A"], "explain": "no idea at all here"},
         "no-such-question": {"a": "1"}}
WORD = re.compile(r"^[(\[\"“]?(?:[A-Za-z]{2,}|a)(?:'[a-z]+)?[)\]\"”.,;:!?]*$")    # option letters are no words


def english_runs(text: str, n: int = 3) -> list[str]:
    """Runs of ``n`` or more English words (whitespace-separated tokens made of letters only)."""
    runs, run = [], []
    for token in text.split() + [""]:
        if token and WORD.match(token):
            run.append(token)
            continue
        if len(run) >= n:
            runs.append(" ".join(run))
        run = []
    return runs


def test_the_detector_finds_english_and_passes_chinese():
    assert english_runs("得分：3 / 4 · This part was not graded.") == ["This part was not graded."]
    assert english_runs("正确（在 ±1e-09 的容差范围内）。 sigma(x) W.T @ h s03-sign-errors") == []
    assert english_runs("未知符号 one two") == [] and english_runs("[A, B, E] (A, C)") == []
    assert english_runs("A factor is a problem") == ["factor is a problem"]


def labels() -> set[str]:
    """The catalog's short English texts (one or two words, no placeholders) that differ from their Chinese."""
    out = set()
    for en, zh in CATALOG.values():
        if "{" not in en and en != zh and 1 <= len(en.split()) <= 2 and re.fullmatch(r"[A-Za-z ()%']+", en):
            out.add(en)
    return out


def visible_text(html: str, data: list[str]) -> str:
    """The page's text (plots' legends and axes included) without what is not ours: code, math, quoted
    input, ``data``."""
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup.find_all(["code", "pre", "math", "style", "script", "title"]):
        tag.decompose()
    text = " ".join(soup.stripped_strings)
    for value in sorted(set(data), key=len, reverse=True):
        if value:
            text = re.sub(rf"(?<![\w-]){re.escape(value)}(?![\w-])", " ", text)
    return re.sub(r"'[^']*'|\"[^\"]*\"|‘[^’]*’|“[^”]*”", " ", text)


def svg_words(html: str, allowed: set[str]) -> list[str]:
    """Latin words of three or more letters drawn as text in the page's plots, other than ``allowed``."""
    soup = BeautifulSoup(html, "html.parser")
    words = []
    for svg in soup.find_all("svg"):
        for t in svg.find_all("text"):
            words += [w for w in re.findall(r"[A-Za-z_]\w{2,}", t.get_text()) if w not in allowed]
    return words


def write(folder: Path, answers: dict | str | None, source: str | bytes | None, extra: dict | None = None) -> None:
    folder.mkdir(parents=True)
    if isinstance(answers, dict):
        (folder / "answers.yaml").write_text(yaml.safe_dump(answers, allow_unicode=True), encoding="utf-8")
    elif isinstance(answers, str):
        (folder / "answers.yaml").write_text(answers, encoding="utf-8")
    if isinstance(source, bytes):
        (folder / "solution.py").write_bytes(source)
    elif source is not None:
        (folder / "solution.py").write_text(source, encoding="utf-8")
    for name, content in (extra or {}).items():
        (folder / name).write_text(content, encoding="utf-8")


@pytest.fixture(scope="module")
def chinese_class(tmp_path_factory):
    base = tmp_path_factory.mktemp("zh")
    good = (ROOT / "submissions" / "s01-all-right" / "solution.py").read_text(encoding="utf-8")
    bad_code = good + ("\n\ndef sigmoid_grad(x):\n    return np.ones_like(x) * 0.3\n")
    subs = base / "subs"
    write(subs / "right", RIGHT, good)
    write(subs / "wrong", WRONG, bad_code, {"notes.txt": "draft"})
    write(subs / "broken", "sigmoid-derivative: {in-sigma: [sigma(x)\n", b"def f():\n    return '\xff\xfe'\n")
    write(subs / "pipe", None, good)
    os.mkfifo(subs / "pipe" / "answers.yaml")
    write(subs / "carol", RIGHT, good + f"\n{MARKER}\n")
    write(subs / "loops", RIGHT, good + ("\n\ndef sigmoid(x):\n    while True:\n        pass\n\n\n"
                                         "class Liar:\n    pass\n\n\ndef sigmoid_grad(x):\n    return Liar()\n"))
    quiz = base / "quiz.yaml"
    quiz.write_text(yaml.safe_dump({"id": "zh-pages", "title": {"en": "Pages", "zh": "页面"}, "seed": 11,
                                    "lang": "en", "duration": 30,
                                    "questions": ["sigmoid-derivative", "stable-sigmoid", "init-symmetry"]}),
                    encoding="utf-8")
    out = base / "out"
    real_run = Sandbox.run

    def run(self, source, *args, **kwargs):
        if MARKER in source:
            raise SandboxError(CAUSE)
        return real_run(self, source, *args, **kwargs)
    mp = pytest.MonkeyPatch()
    mp.setattr(Sandbox, "run", run)
    try:
        res = CliRunner().invoke(cli, ["grade", str(subs), "--quiz", str(quiz), "--out", str(out), "--lang", "zh",
                                       "--jobs", "1", "--quiet"], env=ENV, catch_exceptions=False)
    finally:
        mp.undo()
    assert res.exit_code == 3, res.output            # carol's code parts are the grader's fault
    kit = base / "kit"
    res = CliRunner().invoke(cli, ["quiz", "render", str(quiz), "--student", "wrong", "--key", "--lang", "zh",
                                   "-o", str(kit)], env=ENV, catch_exceptions=False)
    assert res.exit_code == 0, res.output
    yield out, kit
    shutil.rmtree(base, ignore_errors=True)


def data_of(results: dict) -> list[str]:
    """What the pages show that is data, not our words: student, question and part ids, and the string
    parameters of problems (a parser's message, file names), as stored with each problem's catalog key."""
    data = []
    for s in results["students"]:
        data.append(s["student"])
        for q in s["questions"]:
            data += [q["question"]] + [p["part"] for p in q["parts"]]
        for p in s.get("problems") or []:
            data += [v for v in (p.get("params") or {}).values() if isinstance(v, str)]
    return data


def test_the_class_has_what_the_pages_must_translate(chinese_class):
    out, _ = chinese_class
    results = json.loads((out / "results.json").read_text(encoding="utf-8"))
    by = {s["student"]: s for s in results["students"]}
    keys = {p.get("key") for s in results["students"] for p in s.get("problems") or []}
    assert {"sub_not_question", "sub_not_part", "sub_stray", "yaml_syntax_at", "sub_not_utf8",
            "sub_not_regular"} <= keys
    parts = {f"{q['question']}/{p['part']}": p for q in by["wrong"]["questions"] for p in q["parts"]}
    assert parts["sigmoid-derivative/in-sigma"]["details"]["misconception"] == "plus-sign"
    assert parts["sigmoid-derivative/code"]["verdict"] in ("incorrect", "partial")
    assert {e["student"] for e in results["errors"]} == {"carol"}
    loops = [t for q in by["loops"]["questions"] for p in q["parts"] for t in (p.get("details") or {}).get("tests", [])]
    assert {t.get("reason") for t in loops} >= {"timeout", "not_run", "not_plain"}
    for s in results["students"]:                    # the stored message is in the run's language
        for p in s.get("problems") or []:
            assert re.search(r"[\u4e00-\u9fff]", p["message"]), p


@pytest.mark.parametrize("page", ["index.html", "right/feedback.html", "wrong/feedback.html",
                                  "broken/feedback.html", "pipe/feedback.html", "carol/feedback.html",
                                  "loops/feedback.html"])
def test_a_chinese_report_holds_no_english_sentence_of_ours(chinese_class, page):
    out, _ = chinese_class
    results = json.loads((out / "results.json").read_text(encoding="utf-8"))
    html = (out / page).read_text(encoding="utf-8")
    assert '<html lang="zh-CN">' in html
    text = visible_text(html, data_of(results))
    assert re.search(r"[\u4e00-\u9fff]", text)
    assert english_runs(text) == [], page
    found = sorted(w for w in labels() if re.search(rf"(?<![A-Za-z]){re.escape(w)}(?![A-Za-z])", text))
    assert found == [], f"{page}: English labels {found}"
    names = {"sigmoid", "sigmoid_grad"}                  # a plot's title: the function it draws
    assert svg_words(html, names) == [], f"{page}: English words in a plot"


def test_the_wrong_students_page_shows_the_translated_problems(chinese_class):
    out, _ = chinese_class
    page = BeautifulSoup((out / "wrong" / "feedback.html").read_text(encoding="utf-8"), "html.parser")
    box = page.find(class_="problems").get_text(" ", strip=True)
    assert "不是本测验的题目" in box and "不是本测验的小题" in box and "notes.txt" in box
    pipe = BeautifulSoup((out / "pipe" / "feedback.html").read_text(encoding="utf-8"), "html.parser")
    assert "命名管道（FIFO）" in pipe.find(class_="problems").get_text(" ", strip=True)


def test_a_problem_stored_in_english_is_shown_in_the_pages_language(chinese_class, bank):
    """Pages render a problem from its key: one stored in English shows in Chinese on a Chinese page."""
    from grader.messages import problem
    from grader.publish.pages import UI, get_env
    p = problem("answers.yaml", "sub_not_part", "en", "warning", address="q/p")
    html = get_env(None).from_string("{{ problem_message(p, lang) }}").render(p=p, lang="zh", ui=UI["zh"])
    assert html == "q/p：不是本测验的小题（已忽略）"


def test_a_chinese_handout_holds_no_english_sentence_of_ours(chinese_class):
    _, kit = chinese_class
    html = (kit / "handout.html").read_text(encoding="utf-8")
    assert '<html lang="zh-CN">' in html and "答案" in html and "30 分钟" in html
    text = visible_text(html, ["wrong"])
    assert english_runs(text) == []
    soup_text = BeautifulSoup(html, "html.parser").get_text(" ")
    for en in ("KEY", "min", "(formula)", "(code)", "reference:"):
        assert en not in soup_text, en
    answers = (kit / "answers.yaml").read_text(encoding="utf-8")
    comments = " ".join(line.split("#", 1)[1] for line in answers.splitlines() if "#" in line)
    assert english_runs(re.sub(r"\([A-Z, ]+\)|\[[A-Z, ]+\]|[A-Z]\b", " ", comments)) == [], comments
