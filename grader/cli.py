"""The ``nngrade`` command: a thin layer that parses options, calls the library and prints."""
from __future__ import annotations

import inspect
import json
import os
import re
import sys
from pathlib import Path

import click

from grader.messages import LANGS, text

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"]}
_STATE: dict[str, str | None] = {"lang": None}       # the instructor's --lang of this invocation


def instructor_lang(explicit: str | None = None, environ=None) -> str:
    """The language nngrade speaks to the instructor: ``--lang``, else $NNGRADE_LANG, else the locale
    ($LC_ALL, $LC_MESSAGES, $LANG: the first one set; starting with zh means Chinese), else English."""
    environ = os.environ if environ is None else environ
    if explicit in LANGS:
        return explicit
    chosen = (environ.get("NNGRADE_LANG") or "").strip().lower()[:2]
    if chosen in LANGS:
        return chosen
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        if environ.get(name):
            return "zh" if environ[name].strip().lower().startswith("zh") else "en"
    return "en"


def _lang() -> str:
    return instructor_lang(_STATE["lang"])


def _t(key: str, **params) -> str:
    """A catalog message in the instructor's language."""
    return text(key, _lang(), **params)


def _say(key: str, err: bool = False, **params) -> None:
    click.echo(_t(key, **params), err=err)


def _usage(key: str, **params) -> click.UsageError:
    return click.UsageError(_t(key, **params))


def _said(message) -> str:
    """An error or warning of the library (grader/said.py) in the instructor's language; others as they are."""
    from grader.said import said
    return said(message, _lang())


# Click's own parser messages, for the instructor who reads Chinese (the rest of Click's words stay Click's)
_CLICK_ZH = [
    (re.compile(r"Missing option (.+)\.$"), "缺少选项 {0}。"),
    (re.compile(r"Missing argument (.+)\.$"), "缺少参数 {0}。"),
    (re.compile(r"No such option:? ('[^']+'|\S+?)\.?(?:\s+(?:Did you mean|\(Possible options:) (.+?)\??\)?)?$"),
     "没有这个选项：{0}{1}"),
    (re.compile(r"No such command (.+?)\.$"), "没有这个命令 {0}。"),
    (re.compile(r"Got unexpected extra arguments? \((.+)\)$"), "多余的参数（{0}）"),
    (re.compile(r"Option (.+) requires an argument\.$"), "选项 {0} 需要一个值。"),
    (re.compile(r"Invalid value for (.+?): (.+)$", re.S), "{0} 的值无效：{1}"),
    (re.compile(r"(.+) is not one of (.+)\.$"), "{0} 不是 {1} 之一。"),
    (re.compile(r"(.+) is not a valid (integer|float)( range)?\.$"), "{0} 不是有效的数。"),
    (re.compile(r"(File|Directory|Path) (.+) does not exist\.$"), "{1} 不存在。"),
]


def _click_zh(message: str) -> str:
    for pattern, template in _CLICK_ZH:
        match = pattern.match(message)
        if match:
            groups = [g or "" for g in match.groups()]
            if template.startswith("没有这个选项") and groups[1]:
                groups[1] = f"（是否想用 {groups[1]}？）"
            if template.startswith("{0} 的值无效"):            # the reason is one of Click's messages too
                groups[1] = _click_zh(groups[1])
            return template.format(*groups)
    return message


def _show(exc: click.ClickException) -> None:
    """Click's error report, in the instructor's language (English: exactly Click's own)."""
    if _lang() != "zh":
        exc.show()
        return
    message = _click_zh(exc.format_message())
    ctx = getattr(exc, "ctx", None)
    if isinstance(exc, click.UsageError) and ctx is not None:
        usage = ctx.get_usage()
        usage = text("cli_usage", "zh") + usage[len("Usage:"):] if usage.startswith("Usage:") else usage
        hint = ""
        if ctx.command.get_help_option(ctx) is not None:
            hint = text("cli_try_help", "zh", command=ctx.command_path,
                        option=max(ctx.command.get_help_option_names(ctx), key=len)) + "\n"
        click.echo(f"{usage}\n{hint}", err=True, color=ctx.color)
    click.echo(text("cli_error", "zh", message=message), err=True)


def _help_zh(english: str | None) -> str | None:
    """The Chinese of a help text (a paragraph or an option's help), found by its English in the catalog."""
    from grader.messages import CATALOG
    if not english:
        return None
    wanted = " ".join(english.replace("\b", "").split())
    for key, (en, zh) in CATALOG.items():
        if key.startswith("help_") and " ".join(en.split()) == wanted:
            return zh
    return None


def _doc_zh(doc: str) -> str:
    """A command's help in Chinese, paragraph by paragraph (an example block keeps its commands)."""
    out = []
    for para in inspect.cleandoc(doc).split("\n\n"):
        if para.startswith("\b\n") and para[2:].startswith(text("help_example", "en")):
            out.append(para.replace(text("help_example", "en"), text("help_example", "zh"), 1))
        else:
            out.append(_help_zh(para) or para)
    return "\n\n".join(out)


class _Localized(click.Command):
    """A command whose help (-h) is in the instructor's language: its text, its options' and Click's words."""

    def get_help(self, ctx: click.Context) -> str:
        if _lang() != "zh":
            return super().get_help(ctx)
        params = [p for p in self.get_params(ctx) if isinstance(p, click.Option)]
        saved = self.help, [p.help for p in params]
        try:
            self.help = _doc_zh(self.help or "")
            for p in params:
                p.help = _help_zh(p.help) or p.help
            shown = super().get_help(ctx)
        finally:
            self.help = saved[0]
            for p, old in zip(params, saved[1]):
                p.help = old
        shown = re.sub(r"^Usage: ", text("help_usage", "zh"), shown)
        shown = re.sub(r"^(Options|Commands):$", lambda m: text(f"help_{m.group(1).lower()}", "zh"), shown,
                       flags=re.M)
        shown = re.sub(r"\[default:\s+", lambda m: "[" + text("help_default", "zh"), shown)
        return shown.replace("[required]", "[" + text("help_required", "zh") + "]")

    def get_short_help_str(self, limit: int = 45) -> str:
        first = _help_zh(inspect.cleandoc(self.help or "").split("\n\n")[0]) if _lang() == "zh" else None
        if not first or self.short_help:
            return super().get_short_help_str(limit)
        first = first.split("。")[0]
        return first if len(first) * 2 <= limit else first[: max(limit // 2 - 1, 1)] + "…"


class _Command(_Localized):
    pass


class _Group(_Localized, click.Group):
    """The root group: it reports errors (Click's and ours) in the instructor's language."""

    command_class = _Command
    group_class = type

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        _STATE["lang"] = None
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode, **extra)
        try:
            code = super().main(args, prog_name, complete_var, False, **extra)
        except click.ClickException as exc:
            _show(exc)
            sys.exit(exc.exit_code)
        except click.Abort:
            _say("cli_aborted", err=True)
            sys.exit(1)
        sys.exit(code if isinstance(code, int) else 0)


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
    from grader.errors import BankError, GraderError
    if bank_root is None and not (default_root() / "questions").is_dir():
        bank_root = _course_of_the_quiz()
    root = Path(bank_root) if bank_root is not None else default_root()
    if not (root / "questions").is_dir():     # no course at all: how the command was called, not a broken bank
        raise _usage("cli_no_course", root=root)
    try:                    # by its folder: load_bank caches, and None would be whichever folder came first
        return load_bank(root)
    except BankError as exc:                      # every problem in the instructor's language (grader/said.py)
        raise click.ClickException(exc.message(_lang())) from None
    except GraderError as exc:
        raise click.ClickException(_said(exc)) from None


def _course_of_the_quiz() -> Path | None:
    """With no course given and none in the working folder, the course a --quiz file sits in (COURSE/quizzes/Q.yaml)."""
    context = click.get_current_context(silent=True)
    quiz = context.params.get("quiz_path") if context else None
    if not quiz:
        return None
    course = Path(quiz).resolve().parent.parent
    if (course / "questions").is_dir():
        _say("cli_course_of_quiz", err=True, course=course, quiz=quiz)
        return course
    return None


@click.group(cls=_Group, context_settings=CONTEXT_SETTINGS)
@click.version_option(package_name="nngrade")
@click.option("--lang", "ui_lang", type=click.Choice(list(LANGS)),
              help="The language nngrade speaks to you (default: $NNGRADE_LANG, else the locale, else en).")
def cli(ui_lang):
    """nngrade: grade neural-network quizzes: formulas, numbers, choices, derivations and code."""
    _STATE["lang"] = ui_lang


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
        topics = ", ".join(sorted({q.topic for q in the_bank.questions.values()}))
        raise _usage("cli_no_topic", topic=topic, topics=topics)
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
    warnings = [f"{path}: {key}: {_said(msg)}" for path, key, msg in the_bank.warnings] + _quiz_problems(the_bank)
    for line in warnings:
        _say("cli_warning_line", line=line)
    lang = _lang()
    count, failures = run_self_tests(the_bank, lang)
    for f in failures:
        _say("cli_selftest_fail", part=f.part, kind=f.kind, answer=repr(f.answer)[:80], expected=_verdicts(f.expected),
             got=_verdicts(f.got), feedback=f.feedback)
    from grader.formula.explain import prove_bank
    derived, unproved = prove_bank(the_bank)           # every derived_from: reference = SymPy's derivation
    for path, address, why in unproved:
        _say("cli_unproved", path=path, address=address, why=_said(why))
    noted = _t("cli_bank_warnings_strict" if strict else "cli_bank_warnings", n=len(warnings)) if warnings else ""
    _say("cli_bank_summary", questions=len(the_bank.questions), parts=len(the_bank.parts()),
         passed=count - len(failures), failed=len(failures), proved=derived - len(unproved), derived=derived,
         warnings=noted)
    sys.exit(1 if failures or unproved or (strict and warnings) else 0)


def _verdicts(words: str) -> str:
    """A self-test's expected or actual verdicts ("verdict incorrect/partial", "correct") in the instructor's
    language; any other wording is the self-test's own."""
    from grader.messages import CATALOG
    match = re.fullmatch(r"(verdict )?([a-z]+(?:/[a-z]+)*)", words)
    names = match.group(2).split("/") if match else []
    if _lang() == "en" or not names or not all("check_verdict_" + n in CATALOG for n in names):
        return words
    return "/".join(_t("check_verdict_" + n) for n in names)


def _quiz_problems(the_bank) -> list[str]:
    """The bank's quizzes/*.yaml: an unusable quiz fails the check, a quiz's warnings are listed."""
    from grader.quiz import QuizError, load_quiz
    out = []
    for path in sorted((the_bank.root / "quizzes").glob("*.yaml")):
        try:
            quiz = load_quiz(path, the_bank)
        except QuizError as exc:
            raise click.ClickException(_said(exc)) from None
        out += [f"{path.relative_to(the_bank.root)}: {_said(w)}" for w in quiz.warnings]
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
@click.option("--lang", type=click.Choice(["en", "zh"]), help="Feedback language (default: nngrade's, see --lang).")
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
    lang = lang or _lang()
    if batch:
        if address or answer:
            raise _usage("cli_batch_or_answer")
        _check_batch(the_bank, batch, lang, as_json)
        return
    if not address or answer is None:
        raise _usage("cli_expected_answer")
    try:
        part = the_bank.part(address)
    except UnknownPart:
        raise _unknown_part(the_bank, address) from None
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


def _unknown_part(the_bank, address: str) -> click.UsageError:
    """Why ``address`` names no part of the bank, in the instructor's language."""
    qid, _, pid = address.partition("/")
    if not qid or not pid or "/" in pid:
        return _usage("cli_part_form", address=address)
    if qid not in the_bank.questions:
        return _usage("cli_no_question", qid=qid, root=the_bank.root)
    known = ", ".join(p.id for p in the_bank.parts() if p.question_id == qid)
    return _usage("cli_no_part", qid=qid, pid=pid, known=known)


def _read_source(path_text: str) -> str:
    """The text of a student's .py file, or a usage error naming the file and the problem."""
    path = Path(path_text)
    if not path.is_file():
        raise _usage("cli_no_source_file", path=path_text)
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise _usage("cli_not_utf8", path=path_text, byte=exc.start) from None
    except OSError as exc:
        raise _usage("cli_unreadable", path=path_text, reason=exc.strerror) from None


def _check_batch(the_bank, path: Path, lang: str, as_json: bool):
    from grader.batch import check_lines
    try:
        handle = path.open(encoding="utf-8")
    except OSError as exc:
        raise _usage("cli_cannot_read", path=path, reason=exc.strerror) from None
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
        _say("cli_batch_faults", err=True, n=faults)
        sys.exit(EXIT_GRADER_ERROR)


def _quiz(path, the_bank):
    from grader.quiz import QuizError, load_quiz
    try:
        return load_quiz(path, the_bank)
    except QuizError as exc:
        raise click.UsageError(_said(exc)) from None


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
@click.option("--lang", type=click.Choice(["en", "zh"]), help="Language (default: nngrade's, see --lang).")
def selfcheck_command(folder, lang):
    """Run a kit's public checks on your answers.yaml and solution.py; exit 1 if any fails.

    \b
    Example:
        nngrade selfcheck kit/
    """
    from grader.quiz.kit import selfcheck
    lang = lang or _lang()
    if not (folder / "selfcheck" / "vectors.json").is_file():
        raise _usage("cli_not_a_kit", folder=folder)
    rows = selfcheck(folder, lang)
    width = max((len(r["part"]) for r in rows), default=10)
    for r in rows:
        mark = text("cli_test_pass" if r["ok"] else "cli_test_fail", lang)
        click.echo(f"{mark}  {r['part']:<{width}}  {r['check']}: {r['message']}")
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
@click.option("--no-cache", "no_cache", is_flag=True,
              help="Check every answer afresh: reuse no verdict of this or earlier runs (NNGRADE_ANSWER_CACHE=0).")
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
          classroom, fail_under, bank_root, no_cache=False):
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
        raise _usage("cli_not_submissions", path=submissions)
    if no_cache:                            # read by the checks here and in the forked workers
        os.environ["NNGRADE_ANSWER_CACHE"] = "0"
    the_bank = _load(bank_root)
    the_quiz = _quiz(quiz_path, the_bank)
    templates = _course_templates(templates, the_bank)
    if single:
        if not student:
            raise _usage("cli_single_needs_student")
        _grade_single(the_bank, the_quiz, submissions, student, out, lang, templates, junit, classroom, fail_under)
        return
    if junit or classroom or fail_under is not None or student:
        raise _usage("cli_single_only")
    summary = run_grading(the_bank, the_quiz, submissions, out, db_path, jobs, force, lang, templates,
                          progress=False if quiet else (_t("cli_progress_label"), _t("cli_progress_unit")))
    _say("cli_grade_summary", students=summary.students, graded=summary.graded_questions,
         reused=summary.reused_questions, reports=summary.reports_written)
    for problem in summary.problems:
        _say("cli_problem", problem=one_line(problem))
    _say("cli_open", path=out / "index.html")
    if summary.errors:
        _report_grader_errors(summary.errors, out)


def _report_grader_errors(errors: list, out: Path):
    """Grader faults are loud: their count and first cause on stderr, and exit status 3 (results are written)."""
    from grader.publish.escaping import one_line
    from grader.results.class_run import EXIT_GRADER_ERROR
    students = len({e.student for e in errors})
    first = errors[0]
    _say("cli_grader_error", err=True, n=len(errors), students=students, student=one_line(first.student),
         part=one_line(first.part), cause=one_line(first.cause), index=out / "index.html",
         results=out / "results.json")
    sys.exit(EXIT_GRADER_ERROR)


def _grade_single(the_bank, the_quiz, folder, student, out, lang, templates, junit, classroom, fail_under):
    from grader.publish import notice, publish_single
    from grader.publish.escaping import one_line
    from grader.results.grading import grade_one
    lang = lang or the_quiz.lang
    result = grade_one(the_bank, the_quiz, folder, student, lang)     # never raises: a grader fault is in the result
    publish_single(result, the_quiz, the_bank, out, lang, templates, junit, classroom)
    percent = result.percent
    _say("cli_single_summary", student=one_line(student), score=result.score, max=result.max_score,
         percent=percent, out=out)
    click.echo(notice(result))
    if result.grading_broke:
        _report_grader_errors(result.grader_errors(), out)
    if fail_under is not None and percent < fail_under:
        _say("cli_below_fail_under", err=True, percent=percent, limit=fail_under)
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
    _say("cli_wrote_files", out=out, n=len(names))


def _results(path: Path):
    from grader.publish import read_results
    try:
        return read_results(path)
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise _usage("cli_not_results", path=path, reason=exc) from None


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
    _say("cli_wrote_students", out=out, n=len(data.students))


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
    _say("cli_wrote_students", out=out, n=len(data.students))


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
        _say("cli_warning", err=True, warning=_said(warning))
    _say("cli_wrote", out=out)


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
        _say("cli_warning", err=True, warning=_said(warning))
    _say("cli_wrote", out=out)


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
    from grader.platforms.github import InstallError, workflow
    the_bank = _load(bank_root)
    the_quiz = _quiz(quiz_path, the_bank)
    try:
        rel = Path(the_quiz.path).resolve().relative_to(the_bank.root.resolve())
    except ValueError:
        raise _usage("cli_quiz_outside_bank", quiz=quiz_path, root=the_bank.root) from None
    try:
        content = workflow(rel.as_posix(), install)
    except InstallError as exc:
        raise _usage(exc.key, **exc.params) from None
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(content, encoding="utf-8")
    _say("cli_ci_wrote", out=out)


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
        raise _usage("cli_post_needs_token", env=token_env)
    lang_ = _lang()
    try:
        when = parse_deadline(deadline)
    except ClassroomError as exc:
        raise click.UsageError(exc.message(lang_)) from None
    the_bank = _load(bank_root)
    the_quiz = _quiz(quiz_path, the_bank)
    try:
        data = grade_classroom(the_bank, the_quiz, roster, when, out, jobs=jobs, lang=lang, post=post, token=token,
                               api=api, progress=not quiet, log=lambda m: click.echo(m, err=True),
                               templates=_course_templates(None, the_bank), ui_lang=lang_)
    except ClassroomError as exc:
        raise click.ClickException(exc.message(lang_)) from None
    graded = [r for r in data["students"] if "score" in r]
    _say("cli_classroom_summary", graded=len(graded), total=len(data["students"]), deadline=when.isoformat(),
         commits=out / "classroom.json", index=out / "index.html")
    if data["fetched_after_deadline"]:
        _say("cli_fetched_late", err=True)
    problems = failed(data, lang_)
    if problems:
        from grader.results.class_run import EXIT_GRADER_ERROR
        _say("cli_attention", err=True, n=len(problems), first=problems[0])
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
        raise _usage("cli_no_gradebook", path=db_path)
    with Gradebook(db_path) as book:
        quizzes = book.quizzes_with(student)
        if quiz_id is None:
            if len(quizzes) != 1:
                listed = ", ".join(quizzes) or _t("cli_none")
                raise _usage("cli_several_quizzes", student=student, n=len(quizzes), listed=listed)
            quiz_id = quizzes[0]
        row = book.part_row(quiz_id, student, address)
        if row is None:
            raise _usage("cli_no_graded_part", student=student, address=address, quiz=quiz_id)
        if not 0 <= score <= row.max_score:
            raise _usage("cli_score_range", max=row.max_score, address=address)
        if not row.details.get("answer_sha"):      # graded by an older nngrade: no answer to bind the score to
            raise _usage("cli_override_regrade", student=student, address=address)
        book.override(quiz_id, student, address, score, comment, row.details.get("answer_sha"))
        where = refresh_outputs(book, quiz_id)
    click.echo(_t("cli_overridden", student=student, address=address, old=row.score, new=score)
               + (_t("cli_outputs_updated", where=where) if where else ""))


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
    if report["bwrap"]:
        _say("cli_doctor_isolation_bwrap", level=report["level"], bwrap=report["bwrap"])
    else:
        _say("cli_doctor_isolation", level=report["level"])
    for why in report["why"]:
        _say("cli_doctor_why", why=_isolation_reason(why))
    _say("cli_doctor_root", root=_value(report["root"]), abi=report["landlock_abi"] or _t("cli_none"))
    for key, value in (report.get("isolation") or {}).items():
        _say_field(key, _field_value(key, value))
    iso = report.get("isolation") or {}
    if iso and not iso.get("pidns"):
        _say("cli_doctor_no_pidns")
    if iso and not iso.get("netns"):
        _say("cli_doctor_no_netns")
    if "probe" in report:
        _say("cli_doctor_probe", probe=json.dumps(report["probe"]))
    if not report["ok"]:
        _say("cli_doctor_failed", error=_probe_error(report.get("error")))
        _say("cli_doctor_fix", fix=FIX if _lang() == "en" else _t("cli_fix"))
        sys.exit(1)
    _say("cli_doctor_ok")


def _value(value):
    """A doctor's value as printed: True/False in the instructor's language, the rest as is."""
    return _t("cli_true" if value else "cli_false") if isinstance(value, bool) else value


def _say_field(key: str, value) -> None:
    """One field of the sandbox's isolation record, labelled (its ``doctor --json`` key kept in the label);
    a field the catalog does not know yet as its key and value."""
    from grader.messages import CATALOG
    if "doctor_field_" + key in CATALOG:
        _say("doctor_field_" + key, value=value)
    else:
        click.echo(f"{key}: {value}")


def _field_value(key: str, value):
    """A field's value as printed; the child's "N (every capability dropped)" uid in the instructor's language."""
    match = re.fullmatch(r"(\d+) \(every capability dropped\)", value) if isinstance(value, str) else None
    if key == "uid" and match:
        return _t("cli_doctor_uid_dropped", uid=match.group(1))
    return _value(value)


# grader/isolation.py's reasons, by their wording: (pattern, catalog key, names of the captured parameters)
_REASONS = [
    (r"bubblewrap not found \(.*\)", "cli_why_no_bwrap", ()),
    (r"bubblewrap does not work here: (?P<problem>.*)", "cli_why_bwrap_broken", ("problem",)),
    (r"Landlock is not available \(.*\)", "cli_why_no_landlock", ()),
    (r"NNGRADE_SANDBOX=bwrap allows bubblewrap only.*", "cli_why_only_bwrap", ()),
    (r"NNGRADE_SANDBOX=landlock allows Landlock only.*", "cli_why_only_landlock", ()),
    (r"NNGRADE_SANDBOX=(?P<value>.*) is not one of bwrap, landlock, unsafe", "cli_why_bad_choice", ("value",)),
    (r"NNGRADE_SANDBOX=unsafe: .*", "cli_why_unsafe", ()),
]


def _isolation_reason(why: str) -> str:
    """One reason of grader/isolation.py in the instructor's language (English: the reason itself)."""
    if _lang() == "en":
        return why
    for pattern, key, names in _REASONS:
        match = re.fullmatch(pattern, why, re.S)
        if match:
            return _t(key, **{name: match.group(name) for name in names})
    return why


def _probe_error(error: str | None) -> str:
    """Why the doctor's probe failed, in the instructor's language where the sandbox's wording is known."""
    if not error:
        return _t("cli_doctor_unknown")
    if _lang() == "en":
        return error
    for prefix, key in (("the probe did not load: ", "cli_probe_not_loaded"),
                        ("the probe failed: ", "cli_probe_failed"),
                        ("the probe reached what it must not: ", "cli_probe_reached")):
        if error.startswith(prefix):
            detail = error[len(prefix):]
            return _t(key, **{"what" if key == "cli_probe_reached" else "error": detail})
    return error


def _print_result(result, lang: str = "en"):
    """Human-readable form of a result (a Result or its JSON dict), in ``lang``."""
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
        mark = text("cli_test_pass" if test["passed"] else "cli_test_fail", lang)
        hidden = "" if test["visible"] else text("cli_hidden", lang)
        click.echo(f"    {mark} {test['points']:g}/{test['max_points']:g}  {test['name']}{hidden}")
        if test.get("traceback"):
            click.echo("\n".join("        " + line for line in test["traceback"].rstrip().splitlines()))
    if row["details"].get("traceback"):
        click.echo("\n".join("    " + line for line in row["details"]["traceback"].rstrip().splitlines()))
    if row["details"].get("isolation"):
        iso = row["details"]["isolation"]
        click.echo("  " + text("cli_isolation", lang, what=", ".join(f"{k}={v}" for k, v in iso.items())))


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
    from grader.serve import ServeError, serve
    from grader.serve.settings import SettingsError, advice, read
    _quiz(quiz_path, _load(bank_root))                       # a quiz that does not load is a usage error here
    try:
        settings = read(quiz_path)
    except SettingsError as exc:
        raise _usage("cli_in_file", path=quiz_path, message=_said(exc)) from None
    for key in advice(settings):
        _say(key, err=True, quiz=quiz_path, feedback=settings.feedback)
    try:          # the ready line comes once the port listens and the pool is up, with the port bound
        serve(quiz_path, db_path, host, port, bank_root, workers, proxy=proxy,
              ready=lambda url: _say("serve_ready", err=True, url=url, db=db_path))
    except ServeError as exc:
        raise _usage(exc.key, **exc.params) from None
    _say("serve_stopped", err=True)


@cli.command("roster")
@click.argument("quiz_path", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("roster", type=click.Path(dir_okay=False, path_type=Path))
@click.option("-o", "--out", "out", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--db", "db_path", type=click.Path(dir_okay=False, path_type=Path),
              default=Path("report/gradebook.sqlite"), show_default=True)
@click.option("--base-url", default="http://127.0.0.1:8000", show_default=True)
@click.option("--revoke", is_flag=True, help="Revoke the links of ROSTER.csv's students instead (no new ones); "
              "their sessions end at once.")
@bank_option
def roster_command(quiz_path, roster, out, db_path, base_url, revoke, bank_root):
    """Issue each student of ROSTER.csv (first column) a secret link, and the instructor one;
    earlier links stop working, and so do the sessions opened with them.

    \b
    Example:
        nngrade roster quizzes/week1-activations.yaml roster.csv -o links.csv --base-url https://quiz.example.edu
        nngrade roster quizzes/week1-activations.yaml lost.csv --revoke
    """
    import csv

    from grader.serve import RosterError, revoke_links, roster_links
    _quiz(quiz_path, _load(bank_root))
    if revoke:
        try:
            _say("cli_links_revoked", err=True, n=revoke_links(quiz_path, roster, db_path, bank_root))
        except RosterError as exc:
            raise click.UsageError(_said(exc)) from None
        return
    if out is None:
        raise _usage("cli_roster_needs_out")
    try:
        rows = roster_links(quiz_path, roster, db_path, base_url, bank_root)
    except RosterError as exc:
        raise click.UsageError(_said(exc)) from None
    from grader.publish.escaping import csv_row
    # the only copy of the secret links: readable by the instructor alone (0600, also when it existed before)
    fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(fd, 0o600)
    with open(fd, "w", newline="", encoding="utf-8") as fh:        # ids neutralised for spreadsheets (=, +, -, @)
        csv.writer(fh, lineterminator="\n").writerows(csv_row(r) for r in [("student", "link")] + rows)
    _say("cli_links_written", err=True, n=len(rows) - 1, out=out)


def main():
    cli(prog_name="nngrade")


if __name__ == "__main__":  # pragma: no cover
    main()
