"""GitHub Actions / Classroom: the student repository's workflow file.

The student repository holds one submission at its root (answers.yaml,
solution.py). Nothing private ever runs there: the student's workflow (see
``workflow()``) runs only the public self-check kit, and official grading runs
centrally (``nngrade classroom grade``, grader/platforms/classroom.py). ``grade --single``
grades one submission with grading.grade_one and writes its JUnit XML, Classroom
result and step summary with the formatters of grader/publish/__init__.py.
"""
from __future__ import annotations

from grader.messages import text


class InstallError(ValueError):
    """An ``--install`` value that cannot go into the workflow: a catalog message ``key`` with ``params``."""

    def __init__(self, key: str, **params):
        super().__init__(text(key, "en", **params))
        self.key, self.params = key, params


def workflow(quiz_rel: str, install: str = "nngrade") -> str:
    """The student repository's workflow: the public self-check kit only, no secret, nothing private fetched.

    ``install`` is what pip installs on the student's runner (a package name, a wheel URL or a
    ``git+https://`` URL of the public grader); it never holds a bank.
    """
    if any(c in install for c in "\r\n\"'`$\\"):
        raise InstallError("cli_install_plain", install=install)
    return f"""# nngrade self-check. Written by `nngrade ci init` for the quiz {quiz_rel}.
#
# This workflow runs ONLY the public self-check kit committed in this repository
# (answers.yaml, solution.py and selfcheck/, written by `nngrade quiz bundle`):
# the visible tests, with expected outputs computed in advance. It uses no secret
# and fetches nothing private, so the reference solutions never reach this
# repository or its runner.
#
# It is quick feedback, not a grade: anyone who can push here can edit this file.
# Official grading is central: the instructor runs `nngrade classroom grade`,
# which fetches the last commit before the deadline, grades it with the roster id
# as the variant seed, and may post the result back as a commit status named
# "nngrade/<quiz id>".
name: nngrade self-check
on: [push, workflow_dispatch]
permissions:
  contents: read
jobs:
  selfcheck:
    runs-on: ubuntu-latest
    timeout-minutes: 10
    steps:
      - uses: actions/checkout@v4
        with:
          persist-credentials: false
      - uses: actions/setup-python@v5
        with:
          python-version: "3.11"
      - name: Install nngrade (the public grader; no questions or solutions)
        run: pip install "{install}"
      - name: Self-check (public tests only; not your grade)
        run: nngrade selfcheck .
"""
