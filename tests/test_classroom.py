"""Central GitHub Classroom grading: local git repositories stand in for the students', a server on
127.0.0.1 for GitHub's REST API. The student's own workflow runs only the public self-check kit."""
from __future__ import annotations

import json
import os
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from grader.bank import load_bank
from grader.platforms.classroom import ClassroomError, git_env, github_slug, parse_deadline, read_roster
from grader.cli import cli
from grader.quiz.handout import key_answers
from grader.quiz import assignment, load_quiz

from .conftest import ROOT

DEADLINE = "2026-03-01T12:00:00+00:00"
BEFORE, AFTER = "2026-03-01T10:00:00+00:00", "2026-03-02T09:00:00+00:00"
TOKEN = "ghp_TESTtoken-never-in-a-file-0123456789"
QUIZ_TEXT = """id: classroom-test
title: {en: "Classroom test", zh: "课堂测试"}
seed: 2026
questions:
  - fnn-forward/z2
  - fnn-forward/a2
"""


def run(*args, env=None):
    return CliRunner().invoke(cli, [str(a) for a in args], env={"NNGRADE_BANK": str(ROOT), **(env or {})},
                              catch_exceptions=False)


# -- stand-ins ----------------------------------------------------------------------------------

def git(repo: Path, *args, date: str | None = None) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "s", "GIT_AUTHOR_EMAIL": "s@example.org", "GIT_COMMITTER_NAME": "s",
           "GIT_COMMITTER_EMAIL": "s@example.org"}
    if date:
        env.update(GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date)
    return subprocess.run(["git", "-C", str(repo), *args], env=env, check=True, capture_output=True,
                          text=True).stdout.strip()


def commit(repo: Path, date: str, files: dict[str, str | None], links: dict[str, str] | None = None) -> str:
    """Write files (None deletes), make symbolic links, commit with both dates set to ``date``; the sha."""
    if not repo.exists():
        repo.mkdir(parents=True)
        git(repo, "init", "-q", "-b", "main")
    for name, content in files.items():
        path = repo / name
        if content is None:
            git(repo, "rm", "-rq", name)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
    for name, target in (links or {}).items():
        (repo / name).unlink(missing_ok=True)
        os.symlink(target, repo / name)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", f"work at {date}", date=date)
    return git(repo, "rev-parse", "HEAD")


class Recorder(BaseHTTPRequestHandler):
    requests: list = []

    def do_POST(self):  # noqa: N802
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.requests.append({"path": self.path, "headers": dict(self.headers), "body": json.loads(body)})
        if "/org/carol/" in self.path:      # a refusal that echoes the credentials back: they must be scrubbed
            self.send_response(422)
            self.end_headers()
            self.wfile.write(f"bad request from {self.headers['Authorization']}".encode())
            return
        self.send_response(201)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


@pytest.fixture
def api():
    Recorder.requests = []
    server = HTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", Recorder.requests
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def quiz_and_keys(tmp_path_factory):
    folder = tmp_path_factory.mktemp("quiz")
    path = folder / "classroom-test.yaml"
    path.write_text(QUIZ_TEXT, encoding="utf-8")
    bank = load_bank(ROOT)
    quiz = load_quiz(path, bank)

    def answers_for(student: str) -> str:
        answers: dict = {}
        for address, value in key_answers(assignment(quiz, bank, student)).items():
            q, p = address.split("/")
            answers.setdefault(q, {})[p] = value
        return yaml.safe_dump(answers)
    return path, answers_for


@pytest.fixture
def course(tmp_path, quiz_and_keys):
    """Repositories for a roster, and what each should lead to."""
    _, answers_for = quiz_and_keys
    repos = tmp_path / "repos"
    # the key differs between a roster id and a GitHub login: the variant seed matters
    assert answers_for("alice-2026") != answers_for("alice-gh")
    shas = {
        "alice": commit(repos / "alice", BEFORE, {"answers.yaml": answers_for("alice-2026"),
                                                  "solution.py": "# nothing\n"}),
    }
    shas["alice-late"] = commit(repos / "alice", AFTER, {"answers.yaml": "fnn-forward: {z2: '0'}\n"})
    shas["carol"] = commit(repos / "carol", BEFORE, {"answers.yaml": answers_for("carol-gh")})   # her login's key
    commit(repos / "dave", "2026-02-28T08:00:00+00:00", {"answers.yaml": "fnn-forward: {z2: '1'}\n"})
    shas["dave"] = commit(repos / "dave", BEFORE, {"answers.yaml": answers_for("dave"), "secret.txt": "x"},
                          links={"solution.py": "/etc/passwd"})
    shas["erin"] = commit(repos / "erin", BEFORE, {"answers.yaml/inside.txt": "a folder, not a file",
                                                   "solution.py": "def f():\n    return 1\n"})
    commit(repos / "gina", AFTER, {"answers.yaml": answers_for("gina")})
    roster = tmp_path / "roster.csv"
    roster.write_text("student,repository,github\n"
                      "alice-2026,repos/alice,org/alice\n"
                      "carol,repos/carol,org/carol\n"
                      "dave,repos/dave,org/dave\n"
                      "erin,repos/erin,org/erin\n"
                      "frank,repos/no-such-repository,org/frank\n"
                      "gina,repos/gina,org/gina\n"
                      "../evil,repos/alice,org/alice\n"
                      "alice-2026,repos/carol,org/carol\n", encoding="utf-8")
    return roster, shas


def all_files_text(folder: Path) -> str:
    return "".join(p.read_bytes().decode("latin-1") for p in folder.rglob("*") if p.is_file())


# -- the instructor's run -----------------------------------------------------------------------

def test_classroom_grade_fetches_grades_records_and_posts(tmp_path, course, quiz_and_keys, api):
    roster, shas = course
    quiz, _ = quiz_and_keys
    url, requests = api
    out = tmp_path / "out"
    res = run("classroom", "grade", roster, "--quiz", quiz, "--deadline", DEADLINE, "--out", out, "--post",
              "--token-env", "NNGRADE_TEST_TOKEN", "--api", url, "--jobs", "1", "--quiet",
              env={"NNGRADE_TEST_TOKEN": TOKEN})
    assert res.exit_code == 1, res.output        # frank's repository, two roster rows and carol's post failed
    assert "Traceback" not in res.output
    data = json.loads((out / "classroom.json").read_text(encoding="utf-8"))
    rec = {r["student"]: r for r in data["students"]}
    results = {s["student"]: s for s in json.loads((out / "results.json").read_text(encoding="utf-8"))["students"]}

    # the right commit: the last before the deadline, not the later one
    assert rec["alice-2026"]["commit"] == shas["alice"] and rec["alice-2026"]["later_commits"] == 1
    assert rec["alice-2026"]["branch"] == "main" and rec["alice-2026"]["committed_at"].startswith("2026-03-01T10:00")
    # the variant seed is the roster id: alice's answers for her roster id are right, carol's (for her login) not
    assert results["alice-2026"]["score"] == results["alice-2026"]["max_score"] > 0
    assert results["carol"]["score"] < results["carol"]["max_score"]
    assert (out / "alice-2026" / "feedback.html").is_file()

    # only regular files: a symbolic link and a folder are refused, named, and never written
    assert rec["dave"]["commit"] == shas["dave"]
    assert [p["file"] for p in rec["dave"]["problems"]] == ["solution.py"]
    assert "symbolic link" in rec["dave"]["problems"][0]["message"]
    assert sorted(p.name for p in (out / ".classroom" / "submissions" / "dave").iterdir()) == ["answers.yaml"]
    assert results["dave"]["score"] == results["dave"]["max_score"]
    assert [p["file"] for p in rec["erin"]["problems"]] == ["answers.yaml"]
    assert "folder" in rec["erin"]["problems"][0]["message"]
    assert "dave: solution.py in commit" in res.output

    # a missing repository: not graded, said loudly; no commit before the deadline: graded as empty
    assert rec["frank"]["status"] == "unreachable" and "frank" not in results
    assert "no-such-repository" in rec["frank"]["error"] and "frank: NOT GRADED" in res.output
    assert rec["gina"]["status"] == "no-commit" and rec["gina"]["later_commits"] == 1
    assert results["gina"]["score"] == 0
    assert any("../evil" in p for p in data["roster_problems"])
    assert any("appears twice" in p for p in data["roster_problems"])

    # posted: one commit status per graded student with a commit, on that commit, with the token as a header
    posted = {r["path"]: r for r in requests}
    alice = posted[f"/repos/org/alice/statuses/{shas['alice']}"]
    top = f"{results['alice-2026']['max_score']:g}"
    assert alice["body"] == {"state": "success", "description": f"nngrade: {top}/{top}",
                             "context": "nngrade/classroom-test"}
    assert alice["headers"]["Authorization"] == f"Bearer {TOKEN}"
    assert posted[f"/repos/org/carol/statuses/{shas['carol']}"]["body"]["state"] == "failure"
    assert set(p.split("/")[3] for p in posted) == {"alice", "carol", "dave", "erin"}
    assert rec["alice-2026"]["posted"]["ok"] and not rec["carol"]["posted"]["ok"]
    assert "***" in rec["carol"]["posted"]["error"]

    # the token is in no file written and in no output
    assert TOKEN not in res.output
    assert TOKEN not in all_files_text(out)
    assert TOKEN[4:20] not in all_files_text(out)


def test_a_rerun_fetches_again_and_backdating_is_possible_and_noted(tmp_path, course, quiz_and_keys, api):
    """Commit dates come from the student's machine: a backdated commit pushed late is taken (documented)."""
    roster, shas = course
    quiz, answers_for = quiz_and_keys
    out = tmp_path / "out"
    args = ["classroom", "grade", roster, "--quiz", quiz, "--deadline", DEADLINE, "--out", out, "--jobs", "1",
            "--quiet"]
    run(*args)
    backdated = commit(roster.parent / "repos" / "carol", "2026-03-01T11:00:00+00:00",
                       {"answers.yaml": answers_for("carol")})
    res = run(*args)
    data = json.loads((out / "classroom.json").read_text(encoding="utf-8"))
    carol = next(r for r in data["students"] if r["student"] == "carol")
    assert carol["commit"] == backdated and carol["score"] == carol["max_score"]
    assert data["fetched_after_deadline"] is True
    assert "backdated" in res.output
    assert api[1] == []                                     # nothing posted without --post


def test_post_without_a_token_is_a_usage_error(tmp_path, course, quiz_and_keys):
    roster, _ = course
    quiz, _ = quiz_and_keys
    res = run("classroom", "grade", roster, "--quiz", quiz, "--deadline", DEADLINE, "--out", tmp_path / "o",
              "--post", "--token-env", "NNGRADE_NO_SUCH_VARIABLE")
    assert res.exit_code == 2 and "NNGRADE_NO_SUCH_VARIABLE" in res.output
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize("value", ["2026-03-01T12:00:00", "next friday", "2026-13-01T00:00Z"])
def test_deadline_needs_iso_8601_with_a_zone(value):
    with pytest.raises(ClassroomError):
        parse_deadline(value)
    assert parse_deadline("2026-03-01T20:00:00+08:00") == parse_deadline(DEADLINE)
    assert parse_deadline("2026-03-01T12:00:00Z") == parse_deadline(DEADLINE)


def test_roster_columns_and_github_classroom_export(tmp_path):
    export = tmp_path / "grades.csv"
    export.write_text("\ufeffassignment_name,github_username,roster_identifier,student_repository_url\n"
                      "hw1,alice-gh,s001,https://github.com/course-org/hw1-alice-gh\n"
                      "hw1,bob-gh,,https://github.com/course-org/hw1-bob-gh\n", encoding="utf-8")
    entries, problems = read_roster(export)
    assert [(e.student, e.github) for e in entries] == [("s001", "course-org/hw1-alice-gh")]
    assert len(problems) == 1 and "line 3" in problems[0]
    bad = tmp_path / "bad.csv"
    bad.write_text("name,email\nx,y\n", encoding="utf-8")
    with pytest.raises(ClassroomError, match="student id column"):
        read_roster(bad)
    assert github_slug("git@github.com:org/repo.git") == "org/repo"
    assert github_slug("/local/path") is None


def test_fetch_credentials_go_to_github_only_and_never_on_a_command_line():
    env = git_env("https://github.com/org/repo", TOKEN, "https://api.github.com")
    assert env["GIT_CONFIG_KEY_0"] == "http.https://github.com/.extraheader"
    assert TOKEN not in env["GIT_CONFIG_VALUE_0"]                # base64, in the environment only
    assert env["GIT_TERMINAL_PROMPT"] == "0"
    for other in ("https://evil.example.org/org/repo", "/local/repo", "git@github.com:org/repo.git"):
        assert "GIT_CONFIG_COUNT" not in git_env(other, TOKEN, "https://api.github.com")


def test_hooks_and_checkout_never_run(tmp_path, quiz_and_keys):
    """A repository whose hooks would write a marker: nothing is checked out, no hook runs."""
    quiz, answers_for = quiz_and_keys
    repo = tmp_path / "repo"
    commit(repo, BEFORE, {"answers.yaml": answers_for("s1"),
                          ".gitattributes": "* filter=evil\n"})
    marker = tmp_path / "hooked"
    hook = repo / ".git" / "hooks" / "post-checkout"
    hook.write_text(f"#!/bin/sh\ntouch {marker}\n")
    hook.chmod(0o755)
    git(repo, "config", "filter.evil.smudge", f"sh -c 'touch {marker}; cat'")
    (tmp_path / "roster.csv").write_text(f"student,repository\ns1,{repo}\n", encoding="utf-8")
    res = run("classroom", "grade", tmp_path / "roster.csv", "--quiz", quiz, "--deadline", DEADLINE,
              "--out", tmp_path / "out", "--jobs", "1", "--quiet")
    assert res.exit_code == 0, res.output
    assert not marker.exists()
    assert not list((tmp_path / "out" / ".classroom" / "repos" / "s1.git").glob("hooks/*"))


# -- the student's workflow -----------------------------------------------------------------------

def test_ci_init_writes_a_self_check_workflow_with_no_secret(tmp_path):
    out = tmp_path / ".github" / "workflows" / "nngrade.yml"
    res = run("ci", "init", "--quiz", ROOT / "quizzes" / "week1-activations.yaml", "-o", out,
              "--install", "git+https://github.com/course/nngrade-public")
    assert res.exit_code == 0, res.output
    text = out.read_text(encoding="utf-8")
    flow = yaml.safe_load(text)
    steps = flow["jobs"]["selfcheck"]["steps"]
    assert "secrets." not in text and "token" not in json.dumps(steps).lower()
    assert [s["uses"] for s in steps if "uses" in s] == ["actions/checkout@v4", "actions/setup-python@v5"]
    assert "repository" not in json.dumps(steps)                # no second (private) checkout
    assert flow["permissions"] == {"contents": "read"}
    runs = [s["run"] for s in steps if "run" in s]
    assert runs == ['pip install "git+https://github.com/course/nngrade-public"', "nngrade selfcheck ."]
    assert "github.actor" not in text and "--single" not in text
    assert "nngrade classroom grade" in text                   # says grading is central
    bad = run("ci", "init", "--quiz", ROOT / "quizzes" / "week1-activations.yaml", "-o", tmp_path / "x.yml",
              "--install", 'nngrade"; curl evil')
    assert bad.exit_code == 2 and not (tmp_path / "x.yml").exists()


def test_the_kit_the_workflow_runs_is_self_contained(tmp_path):
    """What the workflow does, on a bundle made for one student: `nngrade selfcheck .` works from the repository root."""
    repo = tmp_path / "student-repo"
    assert run("quiz", "bundle", ROOT / "quizzes" / "week1-activations.yaml", "--student", "s001",
               "-o", repo).exit_code == 0
    assert not list(repo.rglob("solutions")) and not list(repo.rglob("*.py"))[1:]   # only the solution.py stub
    res = subprocess.run(["nngrade", "selfcheck", "."], cwd=repo, capture_output=True, text=True,
                         env={k: v for k, v in os.environ.items() if k != "NNGRADE_BANK"})
    assert "Traceback" not in res.stderr
    assert res.returncode == 1 and "failed" in res.stdout          # the stub raises NotImplementedError


def test_a_grader_fault_exits_3_and_other_students_are_still_graded(tmp_path, quiz_and_keys, monkeypatch):
    import grader.results.grading as grading
    quiz, answers_for = quiz_and_keys
    for sid in ("s1", "s2"):
        commit(tmp_path / sid, BEFORE, {"answers.yaml": answers_for(sid)})
    (tmp_path / "roster.csv").write_text("student,repository\ns1,s1\ns2,s2\n", encoding="utf-8")
    real = grading.grade_items

    def broken(items, sub, lang):
        if sub.student == "s1":
            raise RuntimeError("grader bug")
        return real(items, sub, lang)
    monkeypatch.setattr(grading, "grade_items", broken)
    res = run("classroom", "grade", tmp_path / "roster.csv", "--quiz", quiz, "--deadline", DEADLINE,
              "--out", tmp_path / "out", "--jobs", "1", "--quiet")
    assert res.exit_code == 3, res.output
    results = {s["student"]: s for s in json.loads((tmp_path / "out" / "results.json").read_text())["students"]}
    assert results["s2"]["score"] == results["s2"]["max_score"] > 0
    assert "grader bug" in res.output
