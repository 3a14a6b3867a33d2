"""Gradescope: the autograder zip, and the ``run_autograder`` entry point that runs inside it.

Inside, the submission is graded by grading.grade_one, as in a class run, and formatted by
publish.to_gradescope.

Inside Gradescope everything ends in a valid /autograder/results/results.json,
whatever went wrong (no metadata, no answers, an unknown quiz, a broken zip):
score 0 and the reason, never a crashed autograder. The root /autograder can be
moved with $NNGRADE_AUTOGRADER_ROOT, so tests run the real script in a temporary folder.
"""
from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
import time
import traceback
import zipfile
from pathlib import Path

from markupsafe import Markup

from grader.messages import LANGS, text
from grader.publish.escaping import visible

CONFIG = "nngrade-autograder.json"

SETUP_SH = """#!/usr/bin/env bash
# Gradescope runs this once when it builds the autograder image.
set -euo pipefail
apt-get update -qq
apt-get install -y -qq python3 python3-pip python3-venv bubblewrap libseccomp2 >/dev/null
pip3 install --quiet --break-system-packages /autograder/source/nngrade 2>/dev/null \\
  || pip3 install --quiet /autograder/source/nngrade
"""

RUN_AUTOGRADER = """#!/usr/bin/env bash
# Gradescope runs this for every submission. Results: $ROOT/results/results.json.
ROOT="${NNGRADE_AUTOGRADER_ROOT:-/autograder}"
export NNGRADE_COURSE="$ROOT/source/nngrade"
python3 -m grader.platforms.gradescope "$ROOT"
"""


def build_zip(bank, quiz, out: Path) -> list[str]:
    """Write the autograder zip: setup.sh, run_autograder, the grader, the bank and the quiz."""
    root = bank.root
    out.parent.mkdir(parents=True, exist_ok=True)
    names = []
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in (("setup.sh", SETUP_SH), ("run_autograder", RUN_AUTOGRADER)):
            info = zipfile.ZipInfo(name)
            info.external_attr = 0o755 << 16
            zf.writestr(info, text)
            names.append(name)
        quiz_rel = f"nngrade/quizzes/{Path(quiz.path).name}"
        zf.write(quiz.path, quiz_rel)
        zf.writestr(f"nngrade/{CONFIG}", json.dumps({"quiz": f"quizzes/{Path(quiz.path).name}", "lang": quiz.lang}))
        names += [quiz_rel, f"nngrade/{CONFIG}"]
        package = Path(__file__).resolve().parents[1]      # the grader that is running, checkout or wheel
        if (root / "pyproject.toml").is_file() and (root / "grader").resolve() == package:
            zf.write(root / "pyproject.toml", "nngrade/pyproject.toml")
        else:                                           # installed from a wheel: describe the package
            zf.writestr("nngrade/pyproject.toml", installed_pyproject())
        names.append("nngrade/pyproject.toml")
        if (root / "README.md").is_file():
            zf.write(root / "README.md", "nngrade/README.md")
            names.append("nngrade/README.md")
        sources = [(package, "grader")] + [(root / folder, folder) for folder in ("questions", "solutions")]
        for base, folder in sources:
            for path in sorted(base.rglob("*")):
                if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
                    arc = f"nngrade/{folder}/{path.relative_to(base).as_posix()}"
                    zf.write(path, arc)
                    names.append(arc)
    return names


def installed_pyproject() -> str:
    """A pyproject.toml for the installed nngrade (name, version, dependencies, package data)."""
    from importlib import metadata
    try:
        dist = metadata.distribution("nngrade")
        version = dist.version
        requires = [r for r in (dist.requires or []) if "extra ==" not in r]
    except metadata.PackageNotFoundError:
        from grader import __version__ as version
        requires = []
    deps = ",\n".join(f"    {json.dumps(r)}" for r in requires)
    return ("[build-system]\nrequires = [\"setuptools>=68\"]\nbuild-backend = \"setuptools.build_meta\"\n\n"
            f"[project]\nname = \"nngrade\"\nversion = \"{version}\"\nrequires-python = \">=3.10\"\n"
            f"dependencies = [\n{deps}\n]\n\n[project.scripts]\nnngrade = \"grader.cli:main\"\n\n"
            "[tool.setuptools.packages.find]\ninclude = [\"grader*\"]\n\n[tool.setuptools.package-data]\n"
            "grader = [\"formula/*.lark\", \"py.typed\", \"sandbox_child.py\", \"schemas/*.json\", "
            "\"templates/*.html\"]\n")


# -- inside Gradescope -----------------------------------------------------------------------

def student_id(metadata: dict) -> str:
    users = metadata.get("users") or []
    if users:
        u = users[0]
        for key in ("sid", "email", "name"):
            if u.get(key):
                return str(u[key])
    if metadata.get("id"):
        return f"submission-{metadata['id']}"
    raise ValueError(text("gs_no_user", "en"))


def run(root: Path) -> dict:
    """Grade /autograder/submission and write /autograder/results/results.json; returns the results."""
    start = time.perf_counter()
    results_dir = root / "results"
    results_dir.mkdir(parents=True, exist_ok=True)
    try:
        results = _grade(root)
    except Exception as exc:  # whatever happens, Gradescope gets a valid results.json
        error = f"{type(exc).__name__}: {visible(str(exc))}"
        results = failure(_says(_config_lang(root), "gs_autograder_failed", error=error), traceback.format_exc())
    results["execution_time"] = round(time.perf_counter() - start, 3)
    (results_dir / "results.json").write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    return results


def _config_lang(root: Path) -> str | None:
    """The quiz's language as the zip records it (None when unknown: an older zip, or no readable config)."""
    try:
        lang = json.loads((root / "source" / "nngrade" / CONFIG).read_text(encoding="utf-8")).get("lang")
    except (OSError, ValueError, AttributeError):
        return None
    return lang if lang in LANGS else None


def _says(lang: str | None, key: str, **params) -> list[str]:
    """A message for the student before the quiz is known: in the quiz's language, or in every language."""
    return [text(key, one, **params) for one in ([lang] if lang else LANGS)]


def failure(reason: str | list[str], detail: str = "") -> dict:
    html = "".join(str(Markup("<p><strong>{}</strong></p>").format(line))
                   for line in ([reason] if isinstance(reason, str) else reason))
    if detail:
        html += str(Markup("<pre>{}</pre>").format(detail[-2000:]))
    return {"score": 0, "output": html, "output_format": "html", "visibility": "visible",
            "stdout_visibility": "hidden", "tests": []}


def _grade(root: Path) -> dict:
    from grader.bank import load_bank
    from grader.publish import to_gradescope
    from grader.quiz import QuizError, load_quiz
    from grader.results.grading import grade_one
    source = root / "source" / "nngrade"
    config = json.loads((source / CONFIG).read_text(encoding="utf-8"))
    lang = _config_lang(root)
    bank = load_bank(source)
    try:
        quiz = load_quiz(source / config["quiz"], bank)
    except QuizError as exc:             # its problems in the language each line is in, not English in all
        return failure([text("gs_quiz_unusable", one, error=exc.message(one)) for one in ([lang] if lang else LANGS)])
    lang = quiz.lang
    meta_path = root / "submission_metadata.json"
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return failure(_says(lang, "gs_no_metadata", error=str(exc)))
    try:
        student = student_id(meta if isinstance(meta, dict) else {})
    except ValueError:
        return failure(_says(lang, "gs_no_metadata", error={"key": "gs_no_user"}))
    submission = root / "submission"
    unpacked = _unpack(submission, lang)
    if isinstance(unpacked, str):
        return failure(unpacked)
    return to_gradescope(grade_one(bank, quiz, unpacked, student), quiz)


def _unpack(submission: Path, lang: str = "en") -> Path | str:
    """The folder to grade: the submission itself, or the one zip a student uploaded, safely extracted
    (or why not, in ``lang``)."""
    import io

    from grader.submission.safeio import Unreadable, open_folder, read_member
    if not submission.is_dir():
        return text("gs_no_submission", lang)
    if any(os.path.lexists(submission / name) for name in ("answers.yaml", "solution.py")):
        return submission                   # read by load_submission: links and special files are refused there
    zips = list(submission.glob("*.zip"))
    if len(zips) != 1:
        return submission
    try:                                    # the upload itself is read without following links
        fd = open_folder(submission)
        try:
            data = read_member(fd, zips[0].name, 16 << 20)
        finally:
            os.close(fd)
    except Unreadable as exc:
        return text("gs_upload_unread", lang, name=zips[0].name, reason={"key": exc.key, "params": exc.params})
    target = Path(tempfile.mkdtemp(prefix="nngrade-upload-"))
    try:
        with zipfile.ZipFile(io.BytesIO(data or b"")) as zf:
            for member in zf.infolist():
                name = Path(member.filename).name
                if name in ("answers.yaml", "solution.py") and member.file_size <= 1 << 20:
                    (target / name).write_bytes(zf.read(member))
    except (zipfile.BadZipFile, OSError, RuntimeError) as exc:
        shutil.rmtree(target, ignore_errors=True)
        return text("gs_bad_zip", lang, name=zips[0].name, error=str(exc))
    return target


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    root = Path(argv[0] if argv else os.environ.get("NNGRADE_AUTOGRADER_ROOT", "/autograder"))
    results = run(root)
    print(text("gs_log_score", _config_lang(root) or "en", score=results["score"], n=len(results["tests"])))
    return 0


if __name__ == "__main__":
    sys.exit(main())
