"""The ``nngrade`` command: a thin layer that parses options, calls the library and prints."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"]}


def bank_option(fn):
    """The course folder: one option (``--bank`` is its older name) and one setting, never the package's folder."""
    return click.option("--course", "--bank", "bank_root", type=click.Path(file_okay=False, path_type=Path),
                        envvar=["NNGRADE_COURSE", "NNGRADE_BANK"],
                        help="The course folder: questions/, solutions/, quizzes/ and optional templates/ "
                             "(default: $NNGRADE_COURSE, else the working folder).")(fn)


def _course_templates(templates, the_bank):
    """--templates, else the course's own templates/ folder when it has one (used before the package's)."""
    if templates:
        return templates
    own = the_bank.root / "templates"
    return str(own) if own.is_dir() else None


def _load(bank_root):
    from grader.bank import default_root, load_bank
    from grader.errors import GraderError
    if bank_root is None and not (default_root() / "questions").is_dir():
        bank_root = _course_of_the_quiz()
    root = Path(bank_root) if bank_root is not None else default_root()
    if not (root / "questions").is_dir():     # no course at all: how the command was called, not a broken bank
        raise click.UsageError(f"{root}: no questions/ folder here: run nngrade in a course folder (questions/, "
                               "solutions/, quizzes/), or give it with --course DIR or $NNGRADE_COURSE")
    try:
        return load_bank(bank_root)
    except GraderError as exc:
        raise click.ClickException(str(exc)) from None


def _course_of_the_quiz() -> Path | None:
    """With no course given and none in the working folder, the course a --quiz file sits in (COURSE/quizzes/Q.yaml)."""
    context = click.get_current_context(silent=True)
    quiz = context.params.get("quiz_path") if context else None
    if not quiz:
        return None
    course = Path(quiz).resolve().parent.parent
    if (course / "questions").is_dir():
        click.echo(f"course: {course} (the folder of {quiz}; give --course to choose another)", err=True)
        return course
    return None


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
@click.option("--strict", is_flag=True, help="Fail on warnings too (exit 1).")
@bank_option
def bank_check(strict, bank_root):
    """Check the bank's files and quizzes, run every question's self-tests; exit 1 if any fails.

    \b
    Example:
        nngrade bank check --strict
    """
    from grader.bank.selftest import run_self_tests
    the_bank = _load(bank_root)
    warnings = [f"{path}: {key}: {msg}" for path, key, msg in the_bank.warnings] + _quiz_problems(the_bank)
    for line in warnings:
        click.echo(f"WARNING {line}")
    count, failures = run_self_tests(the_bank)
    for f in failures:
        click.echo(f"FAIL {f.part} [{f.kind}] {repr(f.answer)[:80]}: expected {f.expected}, got {f.got}: {f.feedback}")
    from grader.formula.explain import prove_bank
    derived, unproved = prove_bank(the_bank)           # every derived_from: reference = SymPy's derivation
    for path, address, why in unproved:
        click.echo(f"FAIL {path}: {address}: {why}")
    click.echo(f"{len(the_bank.questions)} questions, {len(the_bank.parts())} parts: "
               f"{count - len(failures)} passed, {len(failures)} failed; "
               f"{derived - len(unproved)} of {derived} references proved from their sources"
               + (f"; {len(warnings)} warning(s){' (--strict: failing)' if strict else ''}" if warnings else ""))
    sys.exit(1 if failures or unproved or (strict and warnings) else 0)


def _quiz_problems(the_bank) -> list[str]:
    """The bank's quizzes/*.yaml: an unusable quiz fails the check, a quiz's warnings are listed."""
    from grader.quiz import QuizError, load_quiz
    out = []
    for path in sorted((the_bank.root / "quizzes").glob("*.yaml")):
        try:
            quiz = load_quiz(path, the_bank)
        except QuizError as exc:
            raise click.ClickException(str(exc)) from None
        out += [f"{path.relative_to(the_bank.root)}: {w}" for w in quiz.warnings]
    return out


@bank.command("schema")
@click.argument("kind", type=click.Choice(["question", "quiz"]), default="question")
def bank_schema(kind):
    """Print the JSON Schema of a question or quiz file (for an editor's YAML validation).

    \b
    Example:
        nngrade bank schema question > question.schema.json
    """
    from grader.bank.schema import json_schema
    click.echo(json.dumps(json_schema(kind), indent=2, ensure_ascii=False))


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
    from grader.checks import answer_type, check_answer
    from grader.errors import UnknownPart
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
    if not answer_type(part.type).in_answers_file:       # a code part: the path of the student's .py file
        answer = _read_source(answer)
    from grader.formula.explain import enabled as sympy_reasons
    with sympy_reasons():                      # SymPy's exact reason under the verdict, within its budget
        result = check_answer(part, answer, lang)
    if as_json:
        click.echo(json.dumps(result.to_json(), ensure_ascii=False))
    else:
        _print_result(result, lang)
    if result.verdict == "error":                 # the grader's fault, not a verdict on the answer: never exit 0
        from grader.results.class_run import EXIT_GRADER_ERROR
        sys.exit(EXIT_GRADER_ERROR)


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
    from grader.batch import check_lines
    try:
        handle = path.open(encoding="utf-8")
    except OSError as exc:
        raise click.UsageError(f"cannot read {path}: {exc.strerror}") from None
    faults = 0
    with handle:
        for row in check_lines(the_bank, handle, lang, str(path)):
            # an unreadable line is the caller's input error (details.error "input"), not a grader fault
            faults += row.get("verdict") == "error" and (row.get("details") or {}).get("error") != "input"
            if as_json:
                click.echo(json.dumps(row, ensure_ascii=False))
            else:
                _print_result(row, lang)
    if faults:
        from grader.results.class_run import EXIT_GRADER_ERROR
        click.echo(f"{faults} answer(s) could not be checked because of a grader fault (verdict error)", err=True)
        sys.exit(EXIT_GRADER_ERROR)


def _quiz(path, the_bank):
    from grader.quiz import QuizError, load_quiz
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
    from grader.quiz.handout import write_kit
    the_bank = _load(bank_root)
    files = write_kit(the_bank, _quiz(quiz_path, the_bank), student, out, lang, key,
                      _course_templates(templates, the_bank))
    for f in files:
        click.echo(str(f))


@quiz.command("bundle")
@click.argument("quiz_path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--student", required=True, help="The student id (fixes the variant).")
@click.option("--lang", type=click.Choice(["en", "zh"]), help="Language (default: the quiz's).")
@click.option("-o", "--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path))
@bank_option
def quiz_bundle(quiz_path, student, lang, out, bank_root):
    """Write a student's self-check kit: handout, templates and public test vectors (no solutions).

    \b
    Example:
        nngrade quiz bundle quizzes/week1-activations.yaml --student s001 -o kit/
    """
    from grader.quiz.kit import bundle
    the_bank = _load(bank_root)
    for f in bundle(the_bank, _quiz(quiz_path, the_bank), student, out, lang):
        click.echo(str(f))


@cli.command("selfcheck")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--lang", type=click.Choice(["en", "zh"]), default="en", show_default=True)
def selfcheck_command(folder, lang):
    """Run a kit's public checks on your answers.yaml and solution.py; exit 1 if any fails.

    \b
    Example:
        nngrade selfcheck kit/
    """
    from grader.messages import text
    from grader.quiz.kit import selfcheck
    if not (folder / "selfcheck" / "vectors.json").is_file():
        raise click.UsageError(f"{folder}: not a kit made by 'nngrade quiz bundle' (no selfcheck/vectors.json)")
    rows = selfcheck(folder, lang)
    width = max((len(r["part"]) for r in rows), default=10)
    for r in rows:
        click.echo(f"{'PASS' if r['ok'] else 'FAIL'}  {r['part']:<{width}}  {r['check']}: {r['message']}")
    passed = sum(r["ok"] for r in rows)
    click.echo(text("sc_summary", lang, passed=passed, failed=len(rows) - passed))
    sys.exit(0 if passed == len(rows) else 1)


@cli.command()
@click.argument("submissions", type=click.Path(path_type=Path))
@click.option("--quiz", "quiz_path", required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("report"), show_default=True)
@click.option("--jobs", type=int, help="Worker processes (default: one per core).")
@click.option("--db", "db_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Gradebook (default: OUT/gradebook.sqlite).")
@click.option("--force", is_flag=True, help="Regrade everything, changed or not.")
@click.option("--lang", type=click.Choice(["en", "zh"]), help="Feedback language (default: the quiz's).")
@click.option("--templates", type=click.Path(file_okay=False), help="A course's own templates, used first.")
@click.option("--quiet", is_flag=True, help="No progress bar.")
@click.option("--single", is_flag=True, help="SUBMISSIONS is one student's folder (a repository root, in CI).")
@click.option("--student", help="With --single: the student id (fixes the variant).")
@click.option("--junit", type=click.Path(dir_okay=False, path_type=Path), help="With --single: write JUnit XML here.")
@click.option("--classroom", type=click.Path(dir_okay=False, path_type=Path),
              help="With --single: write the GitHub Classroom result JSON here (and its base64 next to it).")
@click.option("--fail-under", type=float, help="With --single: exit 1 when the score is below this percentage.")
@bank_option
def grade(submissions, quiz_path, out, jobs, db_path, force, lang, templates, quiet, single, student, junit,
          classroom, fail_under, bank_root):
    """Grade every student folder of SUBMISSIONS and write results, grades and reports.

    \b
    Exit status: 0 when every part got a verdict of the student's (whatever the scores); 3 when any
    part ended in a grader error (every result is still written); 2 for usage errors; 1 with
    --single and --fail-under when the score is below it.

    \b
    Example:
        nngrade grade submissions/ --quiz quizzes/midterm-exam.yaml --out report/
        nngrade grade . --single --student alice --quiz quizzes/week1-activations.yaml --junit junit.xml
    """
    from grader.publish.escaping import one_line
    from grader.results.class_run import run_grading
    if not submissions.is_dir():
        raise click.UsageError(f"{submissions}: not a folder of student submissions")
    the_bank = _load(bank_root)
    the_quiz = _quiz(quiz_path, the_bank)
    templates = _course_templates(templates, the_bank)
    if single:
        if not student:
            raise click.UsageError("--single needs --student ID")
        _grade_single(the_bank, the_quiz, submissions, student, out, lang, templates, junit, classroom, fail_under)
        return
    if junit or classroom or fail_under is not None or student:
        raise click.UsageError("--student, --junit, --classroom and --fail-under go with --single")
    summary = run_grading(the_bank, the_quiz, submissions, out, db_path, jobs, force, lang, templates,
                          progress=not quiet)
    click.echo(f"{summary.students} students: {summary.graded_questions} questions graded, "
               f"{summary.reused_questions} unchanged; {summary.reports_written} reports written")
    for problem in summary.problems:
        click.echo(f"  problem: {one_line(problem)}")
    click.echo(f"open {out / 'index.html'}")
    if summary.errors:
        _report_grader_errors(summary.errors, out)


def _report_grader_errors(errors: list, out: Path):
    """Grader faults are loud: their count and first cause on stderr, and exit status 3 (results are written)."""
    from grader.publish.escaping import one_line
    from grader.results.class_run import EXIT_GRADER_ERROR
    students = len({e.student for e in errors})
    first = errors[0]
    click.echo(f"GRADER ERROR: {len(errors)} part(s) of {students} student(s) were not graded because the grader "
               f"failed (not the students' fault); first: {one_line(first.student)} {one_line(first.part)}: "
               f"{one_line(first.cause)}. All are listed at the top of {out / 'index.html'} and under \"errors\" "
               f"in {out / 'results.json'}; fix the cause and run again (those parts are regraded).", err=True)
    sys.exit(EXIT_GRADER_ERROR)


def _grade_single(the_bank, the_quiz, folder, student, out, lang, templates, junit, classroom, fail_under):
    from grader.publish import notice, publish_single
    from grader.publish.escaping import one_line
    from grader.results.grading import grade_one
    lang = lang or the_quiz.lang
    result = grade_one(the_bank, the_quiz, folder, student, lang)     # never raises: a grader fault is in the result
    publish_single(result, the_quiz, the_bank, out, lang, templates, junit, classroom)
    percent = result.percent
    click.echo(f"{one_line(student)}: {result.score:g} / {result.max_score:g} ({percent:.1f}%); report in {out}")
    click.echo(notice(result))
    if result.grading_broke:
        _report_grader_errors(result.grader_errors(), out)
    if fail_under is not None and percent < fail_under:
        click.echo(f"score {percent:.1f}% is below --fail-under {fail_under:g}%", err=True)
        sys.exit(1)


@cli.group()
def export():
    """Export to Gradescope, Canvas and Moodle."""


@export.command("gradescope")
@click.argument("quiz_path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("-o", "--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path))
@bank_option
def export_gradescope(quiz_path, out, bank_root):
    """Build a Gradescope autograder zip (setup.sh, run_autograder, grader, bank, quiz).

    \b
    Example:
        nngrade export gradescope quizzes/week1-activations.yaml -o autograder.zip
    """
    from grader.platforms.gradescope import build_zip
    the_bank = _load(bank_root)
    names = build_zip(the_bank, _quiz(quiz_path, the_bank), out)
    click.echo(f"wrote {out} ({len(names)} files)")


def _results(path: Path):
    from grader.publish import read_results
    try:
        return read_results(path)
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise click.UsageError(f"{path}: not a results.json written by nngrade grade ({exc})") from None


@export.command("canvas-grades")
@click.argument("results", type=click.Path(dir_okay=False, path_type=Path))
@click.option("-o", "--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--title", help="The assignment column's name (default: the quiz id).")
@click.option("--assignment-id", help="Canvas's id of an existing assignment, to fill its column.")
def export_canvas_grades(results, out, title, assignment_id):
    """Write a Canvas gradebook import CSV from a results.json.

    \b
    Example:
        nngrade export canvas-grades report/results.json -o canvas.csv
    """
    from grader.publish import canvas_grades
    data = _results(results)
    canvas_grades(data, out, title or data.quiz, assignment_id)
    click.echo(f"wrote {out} ({len(data.students)} students)")


@export.command("moodle-grades")
@click.argument("results", type=click.Path(dir_okay=False, path_type=Path))
@click.option("-o", "--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--title", help="The grade column's name (default: the quiz id).")
def export_moodle_grades(results, out, title):
    """Write a Moodle grade import CSV (users matched by ID number) from a results.json.

    \b
    Example:
        nngrade export moodle-grades report/results.json -o moodle.csv
    """
    from grader.publish import moodle_grades
    data = _results(results)
    moodle_grades(data, out, title or data.quiz)
    click.echo(f"wrote {out} ({len(data.students)} students)")


@export.command("canvas-qti")
@click.argument("quiz_path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("-o", "--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--lang", type=click.Choice(["en", "zh"]), default="en", show_default=True)
@bank_option
def export_canvas_qti(quiz_path, out, lang, bank_root):
    """Export a quiz's choice and numeric parts as a Canvas QTI 1.2 package (the rest as essays).

    \b
    Example:
        nngrade export canvas-qti quizzes/week3-fnn.yaml -o week3-qti.zip
    """
    from grader.publish.lms import canvas_qti
    the_bank = _load(bank_root)
    for warning in canvas_qti(the_bank, _quiz(quiz_path, the_bank), out, lang):
        click.echo(f"warning: {warning}", err=True)
    click.echo(f"wrote {out}")


@export.command("moodle-xml")
@click.argument("quiz_path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("-o", "--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--lang", type=click.Choice(["en", "zh"]), default="en", show_default=True)
@bank_option
def export_moodle_xml(quiz_path, out, lang, bank_root):
    """Export a quiz's choice and numeric parts as Moodle XML (the rest as essays).

    \b
    Example:
        nngrade export moodle-xml quizzes/week3-fnn.yaml -o week3.xml
    """
    from grader.publish.lms import moodle_xml
    the_bank = _load(bank_root)
    for warning in moodle_xml(the_bank, _quiz(quiz_path, the_bank), out, lang):
        click.echo(f"warning: {warning}", err=True)
    click.echo(f"wrote {out}")


@cli.group("ci")
def ci_group():
    """Set up autograding in GitHub Actions / Classroom."""


@ci_group.command("init")
@click.option("--quiz", "quiz_path", required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("-o", "--out", "out", type=click.Path(dir_okay=False, path_type=Path),
              default=Path(".github/workflows/nngrade.yml"), show_default=True)
@click.option("--install", default="nngrade", show_default=True,
              help="What pip installs on the student's runner: the public grader (a name, wheel URL or git URL).")
@bank_option
def ci_init(quiz_path, out, install, bank_root):
    """Write the student repository's workflow: the public self-check kit only, no secret.

    Official grading is central: see 'nngrade classroom grade'.

    \b
    Example:
        nngrade ci init --quiz quizzes/week1-activations.yaml
    """
    from grader.platforms.github import workflow
    the_bank = _load(bank_root)
    the_quiz = _quiz(quiz_path, the_bank)
    try:
        rel = Path(the_quiz.path).resolve().relative_to(the_bank.root.resolve())
    except ValueError:
        raise click.UsageError(f"{quiz_path} must be inside the bank at {the_bank.root}") from None
    try:
        text = workflow(rel.as_posix(), install)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    click.echo(f"wrote {out}: it runs 'nngrade selfcheck .' on the kit of 'nngrade quiz bundle' committed beside it; "
               "no secret. Grade officially with 'nngrade classroom grade'.")


@cli.group()
def classroom():
    """Grade students' GitHub Classroom repositories centrally (the bank never leaves you)."""


@classroom.command("grade")
@click.argument("roster", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("--quiz", "quiz_path", required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--deadline", required=True, help="ISO-8601 with a time zone, e.g. 2026-03-01T23:59:00+08:00.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("classroom-report"),
              show_default=True)
@click.option("--post", is_flag=True, help="Post each result as a commit status on the graded commit.")
@click.option("--token-env", default="GITHUB_TOKEN", show_default=True,
              help="The environment variable holding the GitHub token (the token itself is never an option).")
@click.option("--api", default="https://api.github.com", show_default=True, help="GitHub's REST API root.")
@click.option("--jobs", type=int, help="Worker processes (default: one per core).")
@click.option("--lang", type=click.Choice(["en", "zh"]), help="Feedback language (default: the quiz's).")
@click.option("--quiet", is_flag=True, help="No progress bar.")
@bank_option
def classroom_grade(roster, quiz_path, deadline, out, post, token_env, api, jobs, lang, quiet, bank_root):
    """Fetch every roster repository at its last commit before the deadline, grade it, optionally post back.

    ROSTER is a CSV with a student id column (the variant seed) and a repository column (a git URL or a
    local path); GitHub Classroom's grade export works as is. Exit 3 when a part ended in a grader error,
    else 1 when a roster row was unusable, a repository could not be fetched or a result could not be
    posted; everything else is still graded and written.

    \b
    Example:
        GITHUB_TOKEN=... nngrade classroom grade roster.csv --quiz quizzes/week1-activations.yaml \\
            --deadline 2026-03-01T23:59:00+08:00 --out week1 --post
    """
    import os

    from grader.platforms.classroom import ClassroomError, failed, grade_classroom, parse_deadline
    token = os.environ.get(token_env) or None
    if post and not token:
        raise click.UsageError(f"--post needs a GitHub token in the environment variable {token_env}")
    try:
        when = parse_deadline(deadline)
    except ClassroomError as exc:
        raise click.UsageError(str(exc)) from None
    the_bank = _load(bank_root)
    the_quiz = _quiz(quiz_path, the_bank)
    try:
        data = grade_classroom(the_bank, the_quiz, roster, when, out, jobs=jobs, lang=lang, post=post, token=token,
                               api=api, progress=not quiet, log=lambda m: click.echo(m, err=True),
                               templates=_course_templates(None, the_bank))
    except ClassroomError as exc:
        raise click.ClickException(str(exc)) from None
    graded = [r for r in data["students"] if "score" in r]
    click.echo(f"{len(graded)} of {len(data['students'])} roster students graded at their last commit before "
               f"{when.isoformat()}; commits in {out / 'classroom.json'}; open {out / 'index.html'}")
    if data["fetched_after_deadline"]:
        click.echo("note: fetched after the deadline; commit dates are set by the student's machine, so a "
                   "backdated commit pushed late cannot be told apart (fetch at the deadline to rule that out)",
                   err=True)
    problems = failed(data)
    if problems:
        from grader.results.class_run import EXIT_GRADER_ERROR
        click.echo(f"{len(problems)} things need your attention; the first: {problems[0]}", err=True)
        broke = any(r.get("grader_errors") for r in data["students"]) or data["grading_problems"]
        sys.exit(EXIT_GRADER_ERROR if broke else 1)


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
    from grader.results.class_run import refresh_outputs
    from grader.results.gradebook import Gradebook
    if not db_path.is_file():
        raise click.UsageError(f"{db_path}: no gradebook here (run nngrade grade first, or give --db)")
    with Gradebook(db_path) as book:
        quizzes = book.quizzes_with(student)
        if quiz_id is None:
            if len(quizzes) != 1:
                listed = ", ".join(quizzes) or "none"
                raise click.UsageError(f"student {student!r} is in {len(quizzes)} quizzes ({listed}); give --quiz")
            quiz_id = quizzes[0]
        row = book.part_row(quiz_id, student, address)
        if row is None:
            raise click.UsageError(f"{student} has no graded part {address!r} in quiz {quiz_id!r}")
        if not 0 <= score <= row.max_score:
            raise click.UsageError(f"score must be between 0 and {row.max_score:g} for {address}")
        book.override(quiz_id, student, address, score, comment)
        where = refresh_outputs(book, quiz_id)
    click.echo(f"{student} {address}: {row.score:g} → {score:g}" + (f" (outputs updated in {where})" if where else ""))


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def doctor(as_json):
    """Report what isolation this machine gives student code (runs a probe in the sandbox).

    \b
    Example:
        nngrade doctor
    """
    from grader.isolation import FIX
    from grader.sandbox import doctor as run_doctor
    report = run_doctor()
    if as_json:
        click.echo(json.dumps(report, ensure_ascii=False))
        sys.exit(0 if report["ok"] else 1)
    click.echo(f"isolation: {report['level']}" + (f" ({report['bwrap']})" if report["bwrap"] else ""))
    for why in report["why"]:
        click.echo(f"  not stronger because: {why}")
    click.echo(f"running as root: {report['root']}; Landlock ABI: {report['landlock_abi'] or 'none'}")
    for key, value in (report.get("isolation") or {}).items():
        click.echo(f"{key}: {value}")
    iso = report.get("isolation") or {}
    if iso and not iso.get("pidns"):
        click.echo("  no PID namespace here (no user namespaces for this user): new processes are refused by "
                   "seccomp instead, and what is left of a submission is killed as one session")
    if iso and not iso.get("netns"):
        click.echo("  no network namespace here: sockets of every family are refused by seccomp, TCP by Landlock")
    if "probe" in report:
        click.echo(f"probe from inside: {json.dumps(report['probe'])}")
    if not report["ok"]:
        click.echo(f"sandbox: FAILED: {report.get('error', 'unknown')}")
        click.echo(f"fix: {FIX}")
        sys.exit(1)
    click.echo("sandbox: ok (student code sees only the interpreter and its libraries)")


def _print_result(result, lang: str = "en"):
    """Human-readable form of a result (a Result or its JSON dict), in ``lang``."""
    from grader.messages import text
    row = result if isinstance(result, dict) else result.to_json()
    where = f"{row['question']}/{row['part']}" if row["question"] else text("check_batch_line", lang)
    click.echo(f"{where}: {text('check_verdict_' + row['verdict'], lang)} ({row['score']:g}/{row['max_score']:g})")
    if row["interpreted"]:
        click.echo("  " + text("check_interpreted", lang, latex=row["interpreted"]))
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


# -- serving a quiz in the browser (grader/serve; the web stack is imported only here) ----------------------

@cli.command("serve")
@click.option("--quiz", "quiz_path", required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option("--db", "db_path", type=click.Path(dir_okay=False, path_type=Path),
              default=Path("report/gradebook.sqlite"), show_default=True, help="The course's gradebook.")
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 64), help="Code-grading processes.")
@click.option("--proxy", is_flag=True, help="Behind one reverse proxy: trust its X-Forwarded-For/-Proto/-Host.")
@bank_option
def serve_command(quiz_path, host, port, db_path, workers, proxy, bank_root):
    """Serve QUIZ to students in the browser (they open the links `nngrade roster` made).

    \b
    Example:
        nngrade serve --quiz quizzes/week1-activations.yaml --port 8000 --db report/gradebook.sqlite
    """
    from grader.messages import text
    from grader.serve import ServeError, serve
    from grader.serve.settings import SettingsError, read
    lang = _quiz(quiz_path, _load(bank_root)).lang
    try:
        read(quiz_path)
    except SettingsError as exc:
        raise click.UsageError(f"{quiz_path}: {exc}") from None
    try:          # the ready line comes once the port listens and the pool is up, with the port bound
        serve(quiz_path, db_path, host, port, bank_root, workers, proxy=proxy,
              ready=lambda url: click.echo(text("serve_ready", lang, url=url, db=db_path), err=True))
    except ServeError as exc:
        raise click.UsageError(text(exc.key, lang, **exc.params)) from None
    click.echo(text("serve_stopped", lang), err=True)


@cli.command("roster")
@click.argument("quiz_path", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("roster", type=click.Path(dir_okay=False, path_type=Path))
@click.option("-o", "--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--db", "db_path", type=click.Path(dir_okay=False, path_type=Path),
              default=Path("report/gradebook.sqlite"), show_default=True)
@click.option("--base-url", default="http://127.0.0.1:8000", show_default=True)
@bank_option
def roster_command(quiz_path, roster, out, db_path, base_url, bank_root):
    """Issue each student of ROSTER.csv (first column) a secret link, and the instructor one;
    earlier links stop working.

    \b
    Example:
        nngrade roster quizzes/week1-activations.yaml roster.csv -o links.csv --base-url https://quiz.example.edu
    """
    import csv

    from grader.serve import RosterError, roster_links
    _quiz(quiz_path, _load(bank_root))
    try:
        rows = roster_links(quiz_path, roster, db_path, base_url, bank_root)
    except RosterError as exc:
        raise click.UsageError(str(exc)) from None
    from grader.publish.escaping import csv_row
    with open(out, "w", newline="", encoding="utf-8") as fh:       # ids neutralised for spreadsheets (=, +, -, @)
        csv.writer(fh, lineterminator="\n").writerows(csv_row(r) for r in [("student", "link")] + rows)
    click.echo(f"{len(rows) - 1} student link(s) and the instructor's in {out}; keep it private", err=True)


def main():
    cli(prog_name="nngrade")


if __name__ == "__main__":  # pragma: no cover
    main()
