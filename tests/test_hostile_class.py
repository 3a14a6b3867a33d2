"""A hostile class run (issue 9): attackers beside honest students, through the real `nngrade grade`.

Honest students are the demo class's s01, s03 and s07 (copied). Every attack of the
classes "one student ruins the run" and "a student reads what they must not" (the parts
outside the sandbox: reading the folder, parsing answers.yaml, folder names and output
locations, faults while grading one student, dying workers, the time budget) sits in one
class run with them. The honest students must keep exactly the part-by-part results of a
run without any attacker, the run must publish results.json, index.html and grades.csv,
and each attacker must get a problem note that names the file and what was expected,
with nothing of a link's target read or shown.
"""
from __future__ import annotations

import csv
import json
import os
import shutil
import socket
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from click.testing import CliRunner

from grader import safeyaml
from grader.cli import cli
from grader.submission import discover, load_submission, page_name, raw_digest

from .conftest import ROOT

ENV = {"NNGRADE_BANK": str(ROOT)}
HONEST = ("s01-all-right", "s03-sign-errors", "s07-overflowing-sigmoid")
REFERENCE = ROOT / "solutions" / "stable_sigmoid.py"


def invoke(*args, env=None):
    return CliRunner().invoke(cli, [str(a) for a in args], env={**ENV, **(env or {})}, catch_exceptions=False)


@pytest.fixture(scope="module")
def quiz(tmp_path_factory):
    path = tmp_path_factory.mktemp("quiz") / "hostile.yaml"
    path.write_text(yaml.safe_dump({"id": "hostile", "title": {"en": "Hostile", "zh": "恶意"}, "seed": 11,
                                    "lang": "en", "questions": ["sigmoid-derivative", "stable-sigmoid",
                                                                "init-symmetry"]}), encoding="utf-8")
    return path


def honest_class(root: Path) -> Path:
    root.mkdir(parents=True)
    for name in HONEST:
        shutil.copytree(ROOT / "submissions" / name, root / name)
    return root


def parts_of(student: dict) -> dict:
    return {f"{q['question']}/{p['part']}": (p["verdict"], p["score"]) for q in student["questions"]
            for p in q["parts"]}


def results(out: Path) -> dict:
    return json.loads((out / "results.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def baseline(tmp_path_factory, quiz):
    """The honest students graded alone: {student: {address: (verdict, score)}}."""
    base = tmp_path_factory.mktemp("baseline")
    subs = honest_class(base / "subs")
    res = invoke("grade", subs, "--quiz", quiz, "--out", base / "out", "--jobs", 2, "--quiet")
    assert res.exit_code == 0, res.output
    return {s["student"]: parts_of(s) for s in results(base / "out")["students"]}


def bomb(levels: int = 9, width: int = 10) -> str:
    lines = ["a: &a [" + ", ".join(["lol"] * width) + "]"]
    for i in range(1, levels):
        lines.append(f"l{i}: &l{i} [" + ", ".join([f"*{'a' if i == 1 else f'l{i - 1}'}"] * width) + "]")
    return "\n".join(lines) + "\n"


def merge_bomb(levels: int = 9, width: int = 10) -> str:
    """Billion laughs made of mappings and merge keys (<<) instead of lists."""
    lines = ["m0: &m0 {" + ", ".join(f"k{j}: lol" for j in range(width)) + "}"]
    for i in range(1, levels):
        lines.append(f"m{i}: &m{i} {{" + ", ".join(f"k{j}: *m{i - 1}" for j in range(width)) + "}")
    return "\n".join(lines) + "\n"


ANSWER_ATTACKS = {               # folder -> (answers.yaml text, what its note must say)
    "y-deep-flow": ("sigmoid-derivative: {max: " + "[" * 100_000 + "]" * 100_000 + "}\n", "nested more than 64"),
    "y-deep-map": ("sigmoid-derivative: " + "{a: " * 5000 + "1" + "}" * 5000 + "\n", "nested more than 64"),
    "y-deep-block": ("".join(" " * i + f"k{i}:\n" for i in range(300)) + " " * 300 + "x\n", "nested more than 64"),
    "y-laughs": (bomb(), "more than 100000 values"),
    "y-merge-laughs": (merge_bomb(), "more than 100000 values"),
    "y-long-string-alias": ("s: &s " + "x" * 200_000 + "\nt: [" + ", ".join(["*s"] * 30) + "]\n",
                            "more than 4000000 characters"),
    "y-too-large": ("x: '" + "y" * (300 << 10) + "'\n", "larger than 256 KiB"),
    "y-big-int": ("sigmoid-derivative: {max: " + "9" * 5000 + ", argmax: 0}\n", "kept as text"),
    "y-big-float": ("sigmoid-derivative: {max: " + "9" * 5000 + ".5, argmax: 1e999999}\n", "kept as text"),
    "y-bad-date": ("sigmoid-derivative: {max: 2024-13-45}\nstable-sigmoid: {x: 2024-02-30 25:61:61}\n", None),
    "y-unhashable-key": ("sigmoid-derivative: {? [1, 2] : x}\n", "YAML syntax error"),
    "y-undefined-alias": ("sigmoid-derivative: {max: *nowhere}\n", "YAML syntax error"),
}


def build_attackers(subs: Path) -> dict[str, str]:
    """Every attack as a student folder; returns {student id: text its problem note must contain}."""
    expect = {}
    honest_answers = (subs / "s01-all-right" / "answers.yaml").resolve()
    src = (ROOT / "submissions" / "s03-sign-errors" / "solution.py").read_text(encoding="utf-8")

    def student(name: str, answers: str | None = "sigmoid-derivative: {max: '1/4'}\n") -> Path:
        folder = subs / name
        folder.mkdir()
        if answers is not None:
            (folder / "answers.yaml").write_text(answers, encoding="utf-8")
        return folder

    # links of every kind: to the reference, a classmate, system files, /proc, the student's own folder
    os.symlink(REFERENCE, student("l-solution-to-reference") / "solution.py")
    expect["l-solution-to-reference"] = "solution.py is a link"
    os.symlink(os.path.relpath(honest_answers, subs / "l-answers-to-classmate"),
               student("l-answers-to-classmate", None) / "answers.yaml")
    expect["l-answers-to-classmate"] = "answers.yaml is a link"
    os.symlink("/etc/shadow", student("l-answers-to-shadow", None) / "answers.yaml")
    expect["l-answers-to-shadow"] = "answers.yaml is a link"
    os.symlink("/proc/self/mem", student("l-solution-to-proc-mem") / "solution.py")
    expect["l-solution-to-proc-mem"] = "solution.py is a link"
    os.symlink("/proc/self/pagemap", student("l-answers-to-pagemap", None) / "answers.yaml")
    expect["l-answers-to-pagemap"] = "answers.yaml is a link"
    os.symlink("/dev/zero", student("l-solution-to-dev-zero") / "solution.py")
    expect["l-solution-to-dev-zero"] = "solution.py is a link"
    os.symlink("answers.yaml", student("l-link-to-itself") / "solution.py")
    expect["l-link-to-itself"] = "solution.py is a link"
    os.symlink(subs / "s01-all-right", subs / "l-folder-is-a-link")
    expect["l-folder-is-a-link"] = "The submission is a link, not a folder"
    # special files in place of answers.yaml / solution.py
    os.mkfifo(student("f-fifo", None) / "answers.yaml")
    expect["f-fifo"] = "answers.yaml is a named pipe (FIFO), not a regular file"
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(student("f-socket") / "solution.py"))
    sock.close()
    expect["f-socket"] = "solution.py is a socket, not a regular file"
    (student("f-folder-named-solution") / "solution.py").mkdir()
    expect["f-folder-named-solution"] = "solution.py is a folder, not a regular file"
    # a hard link is as good as a copy (making one needs read access): it is read, and the
    # classmate it points to keeps their own file and score
    os.link(honest_answers, student("f-hard-link", None) / "answers.yaml")
    expect["f-hard-link"] = None
    for name, (answers, note) in ANSWER_ATTACKS.items():
        folder = student(name, answers)
        (folder / "solution.py").write_text(src, encoding="utf-8")
        expect[name] = note
    # folder names that collide with outputs, are not safe in a URL or a folder, or are not UTF-8
    for name in ("index.html", "results.json", "grades.csv", "gradebook.sqlite", "gradebook.sqlite-wal",
                 "gradebook.sqlite-shm", "results.json.tmp", "index.html.tmp", "grades.tmp", "feedback.html",
                 "eve\nmallory", "javascript:alert(1)", '"><img src=x onerror=alert(1)>', "=HYPERLINK(1)"):
        shutil.copytree(subs / "s03-sign-errors", subs / name)
        expect[name] = None
    os.mkdir(os.fsencode(subs) + b"/caf\xe9-latin1")
    shutil.copy(subs / "s03-sign-errors" / "answers.yaml", os.fsencode(subs) + b"/caf\xe9-latin1/answers.yaml")
    expect["caf\\xe9-latin1"] = "not valid UTF-8"
    return expect


@pytest.fixture(scope="module")
def attacked(tmp_path_factory, quiz):
    base = tmp_path_factory.mktemp("attacked")
    subs = honest_class(base / "subs")
    expect = build_attackers(subs)
    out = base / "out"
    res = invoke("grade", subs, "--quiz", quiz, "--out", out, "--jobs", 2, "--quiet")
    return subs, out, res, expect


def test_the_run_finishes_and_publishes_everything(attacked):
    subs, out, res, expect = attacked
    assert res.exit_code == 0, res.output            # no attack here is a grader fault
    data = results(out)
    assert {s["student"] for s in data["students"]} == set(HONEST) | set(expect)
    assert BeautifulSoup((out / "index.html").read_text(encoding="utf-8"), "html.parser").find("table")
    rows = list(csv.reader((out / "grades.csv").open(encoding="utf-8")))
    assert len(rows) == 1 + len(data["students"])
    for s in data["students"]:                       # every page where results.json says it is
        assert (out / s["page"]).is_file(), s["student"]


def test_honest_students_keep_exactly_their_results(attacked, baseline):
    _, out, _, _ = attacked
    got = {s["student"]: parts_of(s) for s in results(out)["students"] if s["student"] in HONEST}
    assert got == baseline


def test_every_attacker_gets_a_note_naming_the_file_and_nothing_of_a_target_is_shown(attacked):
    _, out, _, expect = attacked
    students = {s["student"]: s for s in results(out)["students"]}
    for name, note in expect.items():
        if note:
            text = " | ".join(p["message"] for p in students[name]["problems"])
            assert note in text, (name, text)
    everything = (out / "results.json").read_text(encoding="utf-8")
    assert "root:" not in everything                               # /etc/shadow's first line
    assert "def stable_sigmoid" not in everything                  # the reference's text
    for page in out.rglob("feedback.html"):
        assert "root:" not in page.read_text(encoding="utf-8")


def test_a_link_to_the_reference_earns_nothing(attacked, baseline):
    _, out, _, _ = attacked
    s = {s["student"]: s for s in results(out)["students"]}["l-solution-to-reference"]
    code = {a: v for a, v in parts_of(s).items() if a.endswith("/code")}
    assert code and all(score == 0 for _, score in code.values())
    classmate = {s["student"]: s for s in results(out)["students"]}["l-answers-to-classmate"]
    assert classmate["score"] == 0


def test_a_hard_link_is_read_like_a_copy(attacked, baseline):
    _, out, _, _ = attacked
    s = {s["student"]: parts_of(s) for s in results(out)["students"]}
    assert s["f-hard-link"]["sigmoid-derivative/in-sigma"] == baseline["s01-all-right"]["sigmoid-derivative/in-sigma"]


def test_outputs_never_collide_with_student_folders(attacked, baseline):
    _, out, _, _ = attacked
    assert (out / "index.html").is_file() and (out / "results.json").is_file() and (out / "grades.csv").is_file()
    assert (out / "gradebook.sqlite").is_file()
    data = results(out)
    pages = [s["page"] for s in data["students"]]
    assert len(set(pages)) == len(pages)
    by = {s["student"]: s for s in data["students"]}
    for name in ("index.html", "results.json", "gradebook.sqlite-wal", "grades.tmp", "eve\nmallory",
                 "javascript:alert(1)", "caf\\xe9-latin1"):
        assert by[name]["page"].startswith("_") and "/" not in by[name]["page"][:-len("/feedback.html")]
        assert parts_of(by[name]) == parts_of(by["s03-sign-errors"]) or name == "caf\\xe9-latin1", name
    for s in HONEST:                                 # the contract for ordinary ids is kept
        assert by[s]["page"] == f"{s}/feedback.html"
    links = [a["href"] for a in BeautifulSoup((out / "index.html").read_text(encoding="utf-8"),
                                                "html.parser").find_all("a")]
    assert "./_" + page_name("javascript:alert(1)")[1:] + "/feedback.html" in links


def test_a_rerun_reuses_everything_and_still_publishes(attacked, quiz):
    subs, out, _, _ = attacked
    res = invoke("grade", subs, "--quiz", quiz, "--out", out, "--jobs", 2, "--quiet")
    assert res.exit_code == 0 and " 0 questions graded" in res.output, res.output


# -- the mechanisms, case by case --------------------------------------------------------------

def test_yaml_bounds_stop_early_and_never_expand():
    for text, key in [(bomb(12), "yaml_too_many_nodes"), (merge_bomb(12), "yaml_too_many_nodes"),
                      ("a: " + "[" * 200_000, "yaml_too_deep"), ("- " * 1000 + "x", "yaml_too_deep")]:
        with pytest.raises(safeyaml.YamlLimit) as info:
            safeyaml.load(text)
        assert info.value.key == key
    data, kept = safeyaml.load("a: " + "1" * 5000 + "\nb: 12\nc: 1.5\nd: 2024-13-45\ne: 0x" + "f" * 300)
    assert data == {"a": "1" * 5000, "b": 12, "c": 1.5, "d": "2024-13-45", "e": "0x" + "f" * 300}
    assert len(kept) == 2
    nested = "a: &a {x: [1, 2]}\nb: [*a, *a]\n"                # a few honest aliases are fine
    assert safeyaml.load(nested)[0]["b"] == [{"x": [1, 2]}, {"x": [1, 2]}]


def test_raw_digest_and_discovery_follow_no_link(tmp_path):
    folder = tmp_path / "alice"
    folder.mkdir()
    secret = tmp_path / "secret.py"
    secret.write_text("A = 1\n", encoding="utf-8")
    os.symlink(secret, folder / "solution.py")
    before = raw_digest(folder)
    secret.write_text("A = 2\n", encoding="utf-8")        # the target changes: the link is not read
    assert raw_digest(folder) == before
    sub = load_submission(folder)
    assert sub.source is None and "solution.py is a link" in sub.problems[-1]["message"]
    os.symlink(folder, tmp_path / "bob")
    entries = {e.student: e for e in discover(tmp_path)}
    assert set(entries) == {"alice", "bob"}
    assert "is a link, not a folder" in load_submission(entries["bob"].path).problems[0]["message"]


def test_problem_notes_are_in_the_runs_language(tmp_path):
    folder = tmp_path / "alice"
    folder.mkdir()
    os.mkfifo(folder / "answers.yaml")
    sub = load_submission(folder, lang="zh")
    assert sub.problems[0]["message"].startswith("answers.yaml 是") and "不是普通文件" in sub.problems[0]["message"]


def test_page_names_are_stable_unique_and_safe():
    assert page_name("s01-all-right") == "s01-all-right" and page_name("john.smith") == "john.smith"
    for sid in ("index.html", "INDEX.HTML", "results.json.tmp", "gradebook.sqlite-journal", "a/b", "..", ".x",
                "javascript:alert(1)", "eve\nmallory", "x" * 65, "_private", "assets"):
        page = page_name(sid)
        assert page.startswith("_") and page == page_name(sid) and all(c.isalnum() or c in "_-" for c in page)
    assert page_name("eve\nmallory") != page_name("eve mallory")


# -- faults while grading one student ------------------------------------------------------------

SMALL = {"sigmoid-derivative": {"in-sigma": "sigma(x)(1 - sigma(x))", "max": "1/4", "argmax": "0"}}


def small_class(root: Path, names) -> Path:
    for name in names:
        (root / name).mkdir(parents=True)
        (root / name / "answers.yaml").write_text(yaml.safe_dump(SMALL), encoding="utf-8")
        shutil.copy(ROOT / "submissions" / "s01-all-right" / "solution.py", root / name / "solution.py")
    return root


def test_a_student_who_kills_the_worker_costs_only_themself(tmp_path, quiz, monkeypatch):
    """A worker that dies (os._exit, as a segfault or the OOM killer would) while grading mallory:
    the students in flight with her are retried and graded; she gets `error` with the cause."""
    from grader.results import grading
    real = grading.grade_items

    def grade_items(items, sub, lang):
        if sub.student == "mallory":
            os._exit(139)
        return real(items, sub, lang)
    monkeypatch.setattr(grading, "grade_items", grade_items)
    subs = small_class(tmp_path / "subs", ["alice", "bob", "carol", "dave", "mallory"])
    out = tmp_path / "out"
    res = invoke("grade", subs, "--quiz", quiz, "--out", out, "--jobs", 2, "--quiet")
    assert res.exit_code != 0                         # an error is never hidden behind exit 0
    by = {s["student"]: s for s in results(out)["students"]}
    assert set(by) == {"alice", "bob", "carol", "dave", "mallory"}
    full = parts_of(by["alice"])
    for name in ("bob", "carol", "dave"):
        assert parts_of(by[name]) == full
    assert full["sigmoid-derivative/in-sigma"][0] == "correct"
    assert any("died twice" in p["message"] and "BrokenProcessPool" in p["message"]
               for p in by["mallory"]["problems"])
    assert [e["student"] for e in results(out)["errors"]] == ["mallory"]


def test_a_grader_valueerror_in_scoring_one_part_costs_that_part_only(tmp_path, quiz, monkeypatch):
    """The grader's own decoding raising ValueError for one code part: that part `error`, the other
    code part and the formula parts graded; `--single` prints no traceback."""
    from grader.checks import code
    real = code._score

    def score(part, *args, **kwargs):
        if part.address == "stable-sigmoid/code":
            raise ValueError("cannot decode this reply")
        return real(part, *args, **kwargs)
    monkeypatch.setattr(code, "_score", score)
    subs = small_class(tmp_path / "subs", ["alice"])
    res = invoke("grade", subs / "alice", "--single", "--student", "alice", "--quiz", quiz,
                 "--out", tmp_path / "report")
    assert "Traceback" not in res.output and "Traceback" not in (res.stderr or "")
    data = results(tmp_path / "report")
    parts = parts_of(data["students"][0])
    assert parts["stable-sigmoid/code"][0] == "error"
    assert parts["sigmoid-derivative/code"][0] == "correct"
    assert parts["sigmoid-derivative/in-sigma"][0] == "correct"
    assert res.exit_code != 0


def test_a_single_workspace_link_to_the_bank_is_refused(tmp_path, quiz):
    work = tmp_path / "repo"
    work.mkdir()
    (work / "answers.yaml").write_text(yaml.safe_dump(SMALL), encoding="utf-8")
    (work / ".nngrade" / "solutions").mkdir(parents=True)
    shutil.copy(REFERENCE, work / ".nngrade" / "solutions" / "stable_sigmoid.py")
    os.symlink(".nngrade/solutions/stable_sigmoid.py", work / "solution.py")
    res = invoke("grade", work, "--single", "--student", "alice", "--quiz", quiz, "--out", tmp_path / "report")
    assert "Traceback" not in res.output
    s = results(tmp_path / "report")["students"][0]
    assert any("solution.py is a link" in p["message"] for p in s["problems"])
    assert all(score == 0 for a, (_, score) in parts_of(s).items() if a.endswith("/code"))


def test_a_gradescope_upload_that_is_a_link_is_not_read(tmp_path):
    from grader.platforms.gradescope import _unpack
    upload = tmp_path / "submission"
    upload.mkdir()
    os.symlink("/etc/shadow", upload / "answers.yaml")
    assert _unpack(upload) == upload                       # graded by load_submission, which refuses it
    assert "is a link" in load_submission(upload).problems[0]["message"]
    other = tmp_path / "submission2"
    other.mkdir()
    os.symlink("/proc/self/mem", other / "mine.zip")
    reason = _unpack(other)
    assert isinstance(reason, str) and "mine.zip is a link" in reason


def test_a_student_past_the_time_budget_loses_only_their_remaining_parts(tmp_path, quiz):
    """Code that uses its full per-call limit in every call: with a small per-student budget, the calls
    left when it is used up are "not run" (the student's own verdict), and the class run goes on."""
    subs = small_class(tmp_path / "subs", ["alice"])
    slow = subs / "slowpoke"
    slow.mkdir()
    (slow / "answers.yaml").write_text(yaml.safe_dump(SMALL), encoding="utf-8")
    (slow / "solution.py").write_text(            # each call stays just within its own 2 s limit
        "import time\n\ndef _spin():\n    end = time.monotonic() + 1.5\n    while time.monotonic() < end:\n"
        "        pass\n\ndef sigmoid_grad(x):\n    _spin()\n    return x\n\n"
        "def sigmoid(x):\n    _spin()\n    return x\n", encoding="utf-8")
    out = tmp_path / "out"
    res = invoke("grade", subs, "--quiz", quiz, "--out", out, "--jobs", 1, "--quiet",
                 env={"NNGRADE_STUDENT_SECONDS": "3"})
    assert res.exit_code == 0, res.output
    by = {s["student"]: s for s in results(out)["students"]}
    slow_parts = {p["part"]: p for q in by["slowpoke"]["questions"] for p in q["parts"]}
    assert slow_parts["code"]["score"] == 0
    feedback = " ".join(p["feedback"] for q in by["slowpoke"]["questions"] for p in q["parts"] if p["part"] == "code")
    assert "time budget" in feedback
    assert all(v != "error" for v, _ in parts_of(by["slowpoke"]).values())
    assert parts_of(by["slowpoke"])["sigmoid-derivative/in-sigma"][0] == "correct"
    assert parts_of(by["alice"])["stable-sigmoid/code"][0] == "correct"
