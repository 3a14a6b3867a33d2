"""The ``nngrade`` command: a thin layer that parses options, calls the library and prints."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"]}


def bank_option(fn):
    return click.option("--bank", "bank_root", type=click.Path(file_okay=False, path_type=Path),
                        envvar="NNGRADE_BANK", help="Folder holding questions/ and solutions/.")(fn)


def _load(bank_root):
    from .bank import load_bank
    from .errors import GraderError
    try:
        return load_bank(bank_root)
    except GraderError as exc:
        raise click.ClickException(str(exc)) from None


@click.group(context_settings=CONTEXT_SETTINGS)
@click.version_option(package_name="nngrade")
def cli():
    """nngrade: grade neural-network quizzes: formulas, numbers, choices, derivations and code."""


@cli.group()
def bank():
    """Look at and test the question bank."""


@bank.command("list")
@click.option("--topic", help="Only this topic (e.g. activations).")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per part.")
@bank_option
def bank_list(topic, as_json, bank_root):
    """List the questions and parts.

    \b
    Example:
        nngrade bank list --topic lstm
    """
    the_bank = _load(bank_root)
    rows = [p for p in the_bank.parts() if topic is None or the_bank.questions[p.question_id].topic == topic]
    if topic and not rows:
        raise click.UsageError(f"no topic {topic!r}; topics: "
                               + ", ".join(sorted({q.topic for q in the_bank.questions.values()})))
    for p in rows:
        q = the_bank.questions[p.question_id]
        if as_json:
            click.echo(json.dumps({"topic": q.topic, "question": q.id, "part": p.id, "type": p.type,
                                   "points": p.points, "title": q.title}, ensure_ascii=False))
        else:
            click.echo(f"{q.topic:<12} {p.address:<45} {p.type:<10} {p.points:g}")


@bank.command("check")
@bank_option
def bank_check(bank_root):
    """Run every question's self-tests; exit 1 if any fails.

    \b
    Example:
        nngrade bank check
    """
    from .selftest import run_self_tests
    the_bank = _load(bank_root)
    count, failures = run_self_tests(the_bank)
    for f in failures:
        click.echo(f"FAIL {f.part} [{f.kind}] {repr(f.answer)[:80]}: expected {f.expected}, got {f.got}: {f.feedback}")
    click.echo(f"{len(the_bank.questions)} questions, {len(the_bank.parts())} parts: "
               f"{count - len(failures)} passed, {len(failures)} failed")
    sys.exit(1 if failures else 0)


@cli.command("check")
@click.argument("address", required=False)
@click.argument("answer", required=False)
@click.option("--batch", type=click.Path(dir_okay=False, path_type=Path),
              help='JSON lines {"part": "q/p", "answer": ...}; one result per line.')
@click.option("--lang", type=click.Choice(["en", "zh"]), default="en", show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@bank_option
def check(address, answer, batch, lang, as_json, bank_root):
    """Check one answer (or a batch) against the bank.

    \b
    Example:
        nngrade check sigmoid-derivative/in-sigma "sigma(x)(1-sigma(x))"
        nngrade check --batch answers.jsonl --json
    """
    from .check import check_answer
    from .errors import UnknownPart
    the_bank = _load(bank_root)
    if batch:
        if address or answer:
            raise click.UsageError("give either --batch FILE or QUESTION/PART ANSWER, not both")
        _check_batch(the_bank, batch, lang, as_json)
        return
    if not address or answer is None:
        raise click.UsageError("expected QUESTION/PART ANSWER (or --batch FILE)")
    try:
        part = the_bank.part(address)
    except UnknownPart as exc:
        raise click.UsageError(str(exc)) from None
    if part.type == "code":
        answer = _read_source(answer)
    result = check_answer(part, answer, lang)
    if as_json:
        click.echo(json.dumps(result.to_json(), ensure_ascii=False))
    else:
        _print_result(result)


def _read_source(path_text: str) -> str:
    """The text of a student's .py file, or a usage error naming the file and the problem."""
    path = Path(path_text)
    if not path.is_file():
        raise click.UsageError(f"{path_text}: no such file (a code part takes the path of a .py file)")
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise click.UsageError(f"{path_text}: not UTF-8 text (byte {exc.start}); save the file as UTF-8") from None
    except OSError as exc:
        raise click.UsageError(f"{path_text}: cannot be read ({exc.strerror})") from None


def _check_batch(the_bank, path: Path, lang: str, as_json: bool):
    from .batch import check_lines
    try:
        handle = path.open(encoding="utf-8")
    except OSError as exc:
        raise click.UsageError(f"cannot read {path}: {exc.strerror}") from None
    with handle:
        for row in check_lines(the_bank, handle, lang, str(path)):
            if as_json:
                click.echo(json.dumps(row, ensure_ascii=False))
            else:
                _print_result(row)


def _quiz(path, the_bank):
    from .quiz import QuizError, load_quiz
    try:
        return load_quiz(path, the_bank)
    except QuizError as exc:
        raise click.UsageError(str(exc)) from None


@cli.group()
def quiz():
    """Render quizzes for students."""


@quiz.command("render")
@click.argument("quiz_path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--student", required=True, help="The student id (fixes the variant).")
@click.option("--key", is_flag=True, help="Add the answers (for the instructor).")
@click.option("--lang", type=click.Choice(["en", "zh"]), help="Language (default: the quiz's).")
@click.option("-o", "--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path))
@click.option("--templates", type=click.Path(file_okay=False), help="A course's own templates, used first.")
@bank_option
def quiz_render(quiz_path, student, key, lang, out, templates, bank_root):
    """Write a student's handout.html, answers.yaml template and solution.py stub.

    \b
    Example:
        nngrade quiz render quizzes/midterm-exam.yaml --student s001 -o handout/
    """
    from .handout import write_kit
    the_bank = _load(bank_root)
    files = write_kit(the_bank, _quiz(quiz_path, the_bank), student, out, lang, key, templates)
    for f in files:
        click.echo(str(f))


@cli.command()
@click.argument("submissions", type=click.Path(path_type=Path))
@click.option("--quiz", "quiz_path", required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("report"), show_default=True)
@click.option("--jobs", type=int, help="Worker processes (default: one per core).")
@click.option("--db", "db_path", type=click.Path(dir_okay=False, path_type=Path), help="Gradebook (default: OUT/gradebook.sqlite).")
@click.option("--force", is_flag=True, help="Regrade everything, changed or not.")
@click.option("--lang", type=click.Choice(["en", "zh"]), help="Feedback language (default: the quiz's).")
@click.option("--templates", type=click.Path(file_okay=False), help="A course's own templates, used first.")
@click.option("--quiet", is_flag=True, help="No progress bar.")
@bank_option
def grade(submissions, quiz_path, out, jobs, db_path, force, lang, templates, quiet, bank_root):
    """Grade every student folder of SUBMISSIONS and write results, grades and reports.

    \b
    Example:
        nngrade grade submissions/ --quiz quizzes/midterm-exam.yaml --out report/
    """
    from .runner import run_grading
    if not submissions.is_dir():
        raise click.UsageError(f"{submissions}: not a folder of student submissions")
    the_bank = _load(bank_root)
    the_quiz = _quiz(quiz_path, the_bank)
    summary = run_grading(the_bank, the_quiz, submissions, out, db_path, jobs, force, lang, templates,
                          progress=not quiet)
    click.echo(f"{summary.students} students: {summary.graded_questions} questions graded, "
               f"{summary.reused_questions} unchanged; {summary.reports_written} reports written")
    for problem in summary.problems:
        click.echo(f"  problem: {problem}")
    click.echo(f"open {out / 'index.html'}")


@cli.group()
def gradebook():
    """Adjust the gradebook by hand."""


@gradebook.command("override")
@click.argument("student")
@click.argument("address")
@click.argument("score", type=float)
@click.option("--comment", help="Why (shown to the student).")
@click.option("--quiz", "quiz_id", help="The quiz id (needed when the student has several).")
@click.option("--db", "db_path", type=click.Path(dir_okay=False, path_type=Path),
              default=Path("report/gradebook.sqlite"), show_default=True)
def gradebook_override(student, address, score, comment, quiz_id, db_path):
    """Record a manual score for one part; it survives regrades and shows in every output.

    \b
    Example:
        nngrade gradebook override s007 init-symmetry/explain 2 --comment "clear explanation"
    """
    from .gradebook import Gradebook
    from .runner import refresh_outputs
    if not db_path.is_file():
        raise click.UsageError(f"{db_path}: no gradebook here (run nngrade grade first, or give --db)")
    with Gradebook(db_path) as book:
        quizzes = book.quizzes_with(student)
        if quiz_id is None:
            if len(quizzes) != 1:
                raise click.UsageError(f"student {student!r} is in {len(quizzes)} quizzes ({', '.join(quizzes) or 'none'}); "
                                       "give --quiz")
            quiz_id = quizzes[0]
        row = book.part_row(quiz_id, student, address)
        if row is None:
            raise click.UsageError(f"{student} has no graded part {address!r} in quiz {quiz_id!r}")
        if not 0 <= score <= row["max_score"]:
            raise click.UsageError(f"score must be between 0 and {row['max_score']:g} for {address}")
        book.override(quiz_id, student, address, score, comment)
        where = refresh_outputs(book, quiz_id)
    click.echo(f"{student} {address}: {row['score']:g} → {score:g}" + (f" (outputs updated in {where})" if where else ""))


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def doctor(as_json):
    """Report what isolation this machine gives student code (runs a probe in the sandbox).

    \b
    Example:
        nngrade doctor
    """
    from .sandbox import doctor as run_doctor
    report = run_doctor()
    if as_json:
        click.echo(json.dumps(report, ensure_ascii=False))
        return
    click.echo(f"bubblewrap: {report['bwrap'] or 'not found (fallback isolation)'}")
    click.echo(f"running as root: {report['root']}")
    if "error" in report:
        click.echo(f"sandbox: FAILED: {report['error']}")
        sys.exit(1)
    for key, value in report["isolation"].items():
        click.echo(f"{key}: {value}")
    click.echo(f"probe from inside: {report['probe']}")


def _print_result(result):
    """Human-readable form of a result (a Result or its JSON dict)."""
    row = result if isinstance(result, dict) else result.to_json()
    where = f"{row['question']}/{row['part']}" if row["question"] else "(batch line)"
    click.echo(f"{where}: {row['verdict']} ({row['score']:g}/{row['max_score']:g})")
    if row["interpreted"]:
        click.echo(f"  interpreted as: {row['interpreted']}")
    for line in row["feedback"].splitlines():
        click.echo(f"  {line}")
    if row["details"].get("caret"):
        click.echo("\n".join("    " + line for line in row["details"]["caret"].splitlines()))
    for test in row["details"].get("tests", []):
        mark = "PASS" if test["passed"] else "FAIL"
        hidden = "" if test["visible"] else " (hidden)"
        click.echo(f"    {mark} {test['points']:g}/{test['max_points']:g}  {test['name']}{hidden}")
        if test.get("traceback"):
            click.echo("\n".join("        " + line for line in test["traceback"].rstrip().splitlines()))
    if row["details"].get("traceback"):
        click.echo("\n".join("    " + line for line in row["details"]["traceback"].rstrip().splitlines()))
    if row["details"].get("isolation"):
        iso = row["details"]["isolation"]
        click.echo(f"  isolation: {', '.join(f'{k}={v}' for k, v in iso.items())}")


def main():
    cli(prog_name="nngrade")


if __name__ == "__main__":  # pragma: no cover
    main()
