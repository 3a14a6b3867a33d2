"""Central grading for GitHub Classroom: fetch each student's repository at the deadline, grade, post back.

    ROSTER.csv (student id → repository) → fetch each repository into a cache (no hooks,
    no checkout) → the last commit on the default branch whose committer date is before the
    deadline → its answers.yaml and solution.py (regular files only) → a submission folder
    named by the roster id (the variant seed) → the ordinary grading run → classroom.json
    (which commit each result belongs to) → optionally a commit status per student.

Nothing here runs in a student's repository, so the bank and the token stay with the
instructor. Dates in git are written by the student's machine: a commit can be backdated.
The committer date is what ``git rev-list --before`` uses; the time of the push is not in
git at all, so the only firm guarantee is to fetch at the deadline (``fetched_at`` is
recorded: nothing fetched then can have been pushed later).
"""
from __future__ import annotations

import base64
import csv
import json
import os
import re
import shutil
import subprocess
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from grader.errors import GraderError
from grader.messages import text
from grader.submission import ANSWERS, MAX_BYTES, SOURCE

STUDENT_COLUMNS = ("student", "student_id", "id", "identifier", "roster_identifier")
REPO_COLUMNS = ("repository", "repo", "url", "repository_url", "student_repository_url")
GITHUB_COLUMNS = ("github", "github_repository", "slug")
STUDENT_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@+-]{0,99}\Z")
SLUG = re.compile(r"[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+\Z")
REGULAR = ("100644", "100755")
KINDS = {"120000": ("symbolic link", "符号链接"), "040000": ("folder", "文件夹"), "160000": ("submodule", "子模块")}
GIT_TIMEOUT = 300
WORK = ".classroom"          # under OUT: repos/ (the fetch cache) and submissions/ (what is graded)


class ClassroomError(GraderError):
    """A roster or deadline that cannot be used at all: a catalog message ``key`` with ``params``
    (``str()`` is the English text, ``message(lang)`` any language's)."""

    def __init__(self, key: str, **params):
        super().__init__(text(key, "en", **params))
        self.key, self.params = key, params

    def message(self, lang: str) -> str:
        return text(self.key, lang, **self.params)


@dataclass
class Entry:
    student: str
    repository: str
    github: str | None
    line: int


# -- the roster and the deadline -------------------------------------------------------------

def parse_deadline(value: str) -> datetime:
    """An ISO-8601 time with its zone (``2026-03-01T23:59:00+08:00`` or ``...Z``)."""
    try:
        when = datetime.fromisoformat(value.strip().replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise ClassroomError("cli_cr_deadline_format", value=value) from None
    if when.tzinfo is None:
        raise ClassroomError("cli_cr_deadline_zone", value=value, bare=value)
    return when


def read_roster(path: Path, lang: str = "en") -> tuple[list[Entry], list[str]]:
    """The usable rows, and one message per row that is not (file, line, what was expected), in ``lang``.

    Columns: a student id (``student``; GitHub Classroom's grade export calls it ``roster_identifier``),
    a repository (``repository``, or ``student_repository_url``), optionally ``github`` (owner/name,
    where results are posted; by default read from a GitHub URL). Relative paths are relative to the roster.
    """
    try:
        raw = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ClassroomError("cli_cr_roster_unreadable", path=str(path), error=str(exc)) from None
    reader = csv.DictReader(raw.splitlines())
    header = {(h or "").strip().lower(): h for h in reader.fieldnames or []}
    pick = lambda names: next((header[n] for n in names if n in header), None)  # noqa: E731
    sid_col, repo_col, gh_col = pick(STUDENT_COLUMNS), pick(REPO_COLUMNS), pick(GITHUB_COLUMNS)
    if not sid_col or not repo_col:
        raise ClassroomError("cli_cr_roster_header", path=str(path), students=", ".join(STUDENT_COLUMNS),
                             repos=", ".join(REPO_COLUMNS),
                             found=", ".join(reader.fieldnames or []) or {"key": "cli_none"})
    entries, problems, seen = [], [], set()
    for row in reader:
        line = reader.line_num
        student = (row.get(sid_col) or "").strip()
        repo = (row.get(repo_col) or "").strip()
        github = (row.get(gh_col) or "").strip() if gh_col else ""
        if not student and not repo:
            continue
        where = text("cli_cr_row_where", lang, file=path.name, line=line)
        if not STUDENT_ID.match(student):
            problems.append(text("cli_cr_bad_id", lang, where=where, student=student))
        elif student in seen:
            problems.append(text("cli_cr_twice", lang, where=where, student=student))
        elif not repo or repo.startswith("-"):
            problems.append(text("cli_cr_no_repo", lang, where=where, student=student, column=repo_col))
        elif github and not SLUG.match(github):
            problems.append(text("cli_cr_bad_slug", lang, where=where, student=student, github=github, column=gh_col))
        else:
            seen.add(student)
            if not _is_url(repo):
                repo = str((path.parent / repo).resolve())
            entries.append(Entry(student, repo, github or github_slug(repo), line))
    return entries, problems


def _is_url(repo: str) -> bool:
    return "://" in repo or bool(re.match(r"[\w.-]+@[\w.-]+:", repo))


def github_slug(repo: str) -> str | None:
    """owner/name from https://host/owner/name(.git), ssh://git@host/owner/name or git@host:owner/name."""
    if not _is_url(repo) or repo.startswith("file:"):
        return None
    path = urlparse(repo).path if "://" in repo else repo.split(":", 1)[1]
    slug = path.strip("/").removesuffix(".git")
    return slug if SLUG.match(slug) else None


# -- fetching --------------------------------------------------------------------------------

def git_env(repo: str, token: str | None, api: str) -> dict:
    """git's environment: never prompts; with a token, an auth header for the GitHub host only.

    The header goes through GIT_CONFIG_* variables, so the token is on no command line and in no file.
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_CONFIG_")}
    env.update(GIT_TERMINAL_PROMPT="0", LC_ALL="C")
    host = urlparse(repo).hostname if repo.startswith("https://") else None
    api_host = urlparse(api).hostname or ""
    if token and host and host in ("github.com", api_host, api_host.removeprefix("api.")):
        basic = base64.b64encode(f"x-access-token:{token}".encode()).decode()
        env.update(GIT_CONFIG_COUNT="1", GIT_CONFIG_KEY_0=f"http.https://{host}/.extraheader",
                   GIT_CONFIG_VALUE_0=f"AUTHORIZATION: basic {basic}")
    return env


class FetchError(Exception):
    """A repository that cannot be fetched: a catalog message ``key`` with ``params`` (``str()``: English)."""

    def __init__(self, key: str, **params):
        super().__init__(text(key, "en", **params))
        self.key, self.params = key, params


def _git(args: list[str], env: dict, cwd: Path | None = None, binary: bool = False):
    cmd = ["git", "-c", "core.hooksPath=/dev/null", "-c", "protocol.ext.allow=never", "-c", "core.fsmonitor=false",
           *args]
    try:
        res = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, timeout=GIT_TIMEOUT, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        raise FetchError("cli_cr_git_slow", command=args[0], seconds=GIT_TIMEOUT) from None
    if res.returncode != 0:
        lines = res.stderr.decode("utf-8", "replace").strip().splitlines() or [f"exit status {res.returncode}"]
        first = next((line for line in lines if line.startswith(("fatal:", "error:"))), lines[-1])
        raise FetchError("cli_cr_git_failed", command=args[0], message=first)
    return res.stdout if binary else res.stdout.decode("utf-8", "replace")


def fetch(entry: Entry, cache: Path, dest: Path, deadline: datetime, env: dict, lang: str = "en",
          ui_lang: str = "en") -> dict:
    """Fetch one repository and write its submission at the last commit before the deadline into ``dest``.

    Returns the record kept in classroom.json: ``status`` is ``fetched``, ``no-commit`` (nothing before
    the deadline: graded as an empty submission) or ``unreachable`` (not graded: the instructor must look).
    """
    record: dict[str, Any] = {
        "student": entry.student, "repository": entry.repository, "github": entry.github, "status": "unreachable",
        "branch": None, "commit": None, "committed_at": None, "authored_at": None, "later_commits": 0, "problems": []}
    try:
        if not (cache / "HEAD").is_file():
            cache.mkdir(parents=True, exist_ok=True)
            _git(["init", "--bare", "-q", "--template=", str(cache)], env)
        heads = _git(["ls-remote", "--symref", "--", entry.repository, "HEAD"], env, cache)
        match = re.search(r"^ref: refs/heads/(\S+)\tHEAD$", heads, re.M)
        if not match:
            raise FetchError("cli_cr_no_branch")
        branch = record["branch"] = match.group(1)
        _git(["fetch", "-q", "--no-tags", "--force", "--no-write-fetch-head", "--", entry.repository,
              f"+refs/heads/{branch}:refs/nngrade/default"], env, cache)
    except FetchError as exc:                   # the instructor's language (``lang`` is the student's)
        record["error"] = text(exc.key, ui_lang, **exc.params)
        return record
    dest.mkdir(parents=True, exist_ok=True)
    epoch = int(deadline.timestamp())
    sha = _git(["rev-list", "-1", f"--before=@{epoch}", "refs/nngrade/default"], env, cache).strip()
    if not sha:
        record["status"] = "no-commit"
        record["later_commits"] = int(_git(["rev-list", "--count", "refs/nngrade/default"], env, cache))
        record["problems"].append({"file": "", "message": text("classroom_no_commit", lang, branch=branch)})
        return record
    committed, authored = _git(["show", "-s", "--no-notes", "--format=%ct %at", sha], env, cache).split()
    if int(committed) > epoch:      # our own invariant: never grade a commit dated after the deadline
        raise GraderError(f"git rev-list --before returned {sha}, committed after the deadline")
    record.update(status="fetched", commit=sha, committed_at=_iso(committed), authored_at=_iso(authored),
                  later_commits=int(_git(["rev-list", "--count", f"{sha}..refs/nngrade/default"], env, cache)))
    listing = _git(["ls-tree", "-z", "--full-tree", sha, "--", ANSWERS, SOURCE], env, cache)
    for item in filter(None, listing.split("\0")):
        meta, name = item.split("\t", 1)
        mode, kind, obj = meta.split()
        if mode not in REGULAR or kind != "blob":
            en, zh = KINDS.get(mode, (f"file of mode {mode}", f"模式为 {mode} 的文件"))
            what = zh if lang == "zh" else en
            record["problems"].append({"file": name, "message": text("classroom_not_regular", lang, file=name,
                                                                      commit=sha[:12], kind=what)})
            continue
        size = int(_git(["cat-file", "-s", obj], env, cache))
        if size > MAX_BYTES:
            record["problems"].append({"file": name, "message": text("classroom_too_large", lang, file=name,
                                                                      size=size, limit=MAX_BYTES)})
            continue
        (dest / name).write_bytes(_git(["cat-file", "blob", obj], env, cache, binary=True))
    return record


def _iso(epoch: str) -> str:
    return datetime.fromtimestamp(int(epoch), timezone.utc).isoformat()


# -- posting results back --------------------------------------------------------------------

def status_payload(student, context: str, lang: str) -> dict:
    """A commit status for one student's results (a :class:`grader.results.StudentResult`): success
    (full marks), failure, or error."""
    errors = sum(1 for _, p in student.parts() if p.is_grader_fault)
    score, top = f"{student.score:g}", f"{student.max_score:g}"
    if errors:
        state, description = "error", text("classroom_status_error", lang, score=score, max=top, n=errors)
    else:
        state = "success" if student.score >= student.max_score else "failure"
        description = text("classroom_status", lang, score=score, max=top)
    return {"state": state, "description": description[:140], "context": context}


def post_status(api: str, slug: str, sha: str, payload: dict, token: str, lang: str = "en") -> dict:
    """POST /repos/{owner}/{repo}/statuses/{sha}; what happened, with the token scrubbed from any text."""
    if not SLUG.match(slug) or not re.fullmatch(r"[0-9a-f]{40}", sha):
        return {"ok": False, "error": text("cli_cr_bad_target", lang, slug=slug, sha=sha)}
    url = f"{api.rstrip('/')}/repos/{slug}/statuses/{sha}"
    request = urllib.request.Request(url, data=json.dumps(payload).encode(), method="POST", headers={
        "Authorization": f"Bearer {token}", "Accept": "application/vnd.github+json",
        "X-GitHub-Api-Version": "2022-11-28", "Content-Type": "application/json", "User-Agent": "nngrade"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return {"ok": 200 <= response.status < 300, "http_status": response.status, **payload}
    except urllib.error.HTTPError as exc:
        body = exc.read(500).decode("utf-8", "replace")
        return {"ok": False, "http_status": exc.code, "error": _scrub(f"{exc.reason}: {body}", token), **payload}
    except (urllib.error.URLError, OSError) as exc:
        reason = text("cli_cr_unreachable", lang, api=api, reason=str(getattr(exc, "reason", exc)))
        return {"ok": False, "error": _scrub(reason, token), **payload}


def _scrub(message: str, token: str | None) -> str:
    return message.replace(token, "***") if token else message


# -- the whole run ---------------------------------------------------------------------------

def grade_classroom(bank, quiz, roster: Path, deadline: datetime, out: Path, *, jobs: int | None = None,
                    lang: str | None = None, post: bool = False, token: str | None = None,
                    api: str = "https://api.github.com", progress: bool = True, log=print,
                    templates: str | None = None, ui_lang: str = "en") -> dict:
    """Fetch, grade and (optionally) post for every roster row; writes OUT/classroom.json and returns it.

    ``lang`` is the students' (feedback, commit statuses), ``ui_lang`` the instructor's (what ``log`` says, the
    roster problems)."""
    from grader.results.class_run import run_grading
    lang = lang or quiz.lang
    entries, roster_problems = read_roster(roster, ui_lang)
    work = out / WORK
    submissions = work / "submissions"
    if submissions.exists():
        shutil.rmtree(submissions)          # rebuilt from the repositories each time: no stale files
    submissions.mkdir(parents=True)
    fetched_at = datetime.now(timezone.utc)
    records = []
    for entry in entries:
        env = git_env(entry.repository, token, api)
        record = fetch(entry, work / "repos" / f"{entry.student}.git", submissions / entry.student, deadline, env,
                       lang, ui_lang)
        records.append(record)
        if record["status"] == "unreachable":
            log(text("cli_cr_not_graded", ui_lang, student=entry.student, repository=entry.repository,
                     error=_scrub(record["error"], token)))
        for problem in record["problems"]:
            log(f"{entry.student}: {problem['message']}")
    summary = run_grading(bank, quiz, submissions, out, jobs=jobs, lang=lang, templates=templates, progress=progress)
    assert summary.results is not None          # run_grading returns with the class's results
    by_student = {s.student: s for s in summary.results.students}
    context = f"nngrade/{quiz.id}"
    for record in records:
        result = by_student.get(record["student"])
        if result is not None:
            record.update(score=result.score, max_score=result.max_score,
                          grader_errors=sum(1 for _, p in result.parts() if p.is_grader_fault))
        if post and result is not None and record["commit"]:
            if not record["github"]:
                record["posted"] = {"ok": False, "error": text("cli_cr_no_slug", ui_lang)}
            else:
                record["posted"] = post_status(api, record["github"], record["commit"],
                                               status_payload(result, context, lang), token or "", ui_lang)
            if not record["posted"]["ok"]:
                log(text("cli_cr_not_posted", ui_lang, student=record["student"], error=record["posted"].get("error")))
    data = {"quiz": quiz.id, "deadline": deadline.isoformat(), "fetched_at": fetched_at.isoformat(),
            "fetched_after_deadline": fetched_at > deadline, "roster": str(roster), "roster_problems": roster_problems,
            "grading_problems": summary.problems, "students": records}
    (out / "classroom.json").write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    for problem in roster_problems:
        log(text("cli_cr_roster", ui_lang, problem=problem))
    return data


def failed(data: dict, lang: str = "en") -> list[str]:
    """What the instructor must look at: unusable roster rows, unfetched repositories, grader errors, failed posts."""
    out = [text("cli_cr_roster", lang, problem=p) for p in data["roster_problems"]] + list(data["grading_problems"])
    for r in data["students"]:
        if r["status"] == "unreachable":
            out.append(text("cli_cr_unfetched", lang, student=r["student"]))
        if r.get("grader_errors"):
            out.append(text("cli_cr_grader_errors", lang, student=r["student"], n=r["grader_errors"]))
        if r.get("posted") and not r["posted"]["ok"]:
            out.append(text("cli_cr_unposted", lang, student=r["student"]))
    return out
