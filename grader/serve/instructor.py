"""The instructor's pages of ``nngrade serve``: progress, grader errors first, the review queue, downloads.

An accepted or adjusted review is a gradebook override (``Gradebook.override``), so it is kept across
regrades and shows in every output, exactly as ``nngrade gradebook override`` would store it.
"""
from __future__ import annotations

import hashlib
import json
import math
import re
import tempfile
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from flask import Response, g, redirect, request

from grader.messages import LANGS, text
from grader.results import answer_digest

ANSWER_SHA = re.compile(r"[0-9a-f]{24}")        # grader.results.answer_digest's form


def register(app, server, *, page, fail, role, limited, student_result, body):
    quiz = server.quiz
    store = server.store

    def results():
        out = []
        for student in store.students(quiz.id):
            result = student_result(student)
            if result is not None:
                out.append(result)
        return out

    @app.get("/instructor")
    @role("instructor")
    def instructor_page():
        stop = limited("instructor", g.who)
        if stop:
            return stop
        progress = store.progress(quiz.id)
        graded = {r.student: r for r in results()}
        rows, review, errors = [], [], list(server.grader_errors)
        for student in store.students(quiz.id):
            p = progress.get(student, {})
            r = graded.get(student)
            rows.append({"student": student, "saved": p.get("saved", 0), "attempts": p.get("attempts", 0),
                         "status": p.get("status", ""), "score": r.score if r else None,
                         "max_score": r.max_score if r else None})
            if r is None:
                continue
            for e in r.grader_errors():
                errors.append({"student": student, "attempt": "", "detail": f"{e.part}: {e.cause}"})
            for address, part in r.parts():
                if part.needs_review or part.verdict == "error":
                    shown = _answer(store, quiz.id, student, address)
                    review.append({"student": student, "address": address, "verdict": part.verdict,
                                   "score": part.score, "max_score": part.max_score, "feedback": part.feedback,
                                   "answer": shown, "stale": part.details.get("stale_override"),
                                   # the override binds to the answer shown here, not to one submitted meanwhile
                                   "answer_sha": answer_digest(shown) if shown is not None
                                   else part.details.get("answer_sha", "")})
        graded_answers = {}
        for student in graded:
            attempts = store.attempts(quiz.id, student)
            if attempts:
                graded_answers[student] = store.attempt_answers(quiz.id, student, attempts[-1]["number"])
        items = item_analysis(list(graded.values()), graded_answers)
        counts = {"students": len(rows), "started": sum(1 for r in rows if r["saved"]),
                  "submitted": sum(1 for r in rows if r["attempts"]),
                  "graded": sum(1 for r in rows if r["status"] == "graded")}
        regrading = request.args.get("regrading", "")
        return page("serve/instructor.html", digest=live_state()["digest"], rows=rows, review=review, errors=errors,
                    counts=counts, items=items, regrading=int(regrading) if regrading.isdigit() else None,
                    queue=server.jobs.queue_length() if server.jobs else 0, released=store.released(quiz.id))

    @app.post("/instructor/regrade")
    @role("instructor")
    def regrade():
        """Read the bank again and grade every student's latest attempt with it; overrides stay."""
        if server.jobs is None:
            return fail(503, "serve_busy")
        try:
            server.reload_bank()
        except Exception as exc:       # a broken bank or a changed quiz file: said, and nothing changes
            return fail(409, "serve_regrade_refused", reason=str(exc)[:2000])
        return redirect(f"/instructor?regrading={server.regrade()}", 303)

    def lang_asked() -> str:
        want = request.args.get("lang")
        return want if want in LANGS else quiz.lang

    # the quiz as the LMS files ``nngrade publish`` writes, in the language asked: file -> (writer, type)
    lms_files = {"canvas-qti.zip": ("canvas_qti", "application/zip"),     # Canvas QTI 1.2 package
                 "moodle.xml": ("moodle_xml", "application/xml")}          # Moodle XML questions

    @app.get('/instructor/<any("canvas-qti.zip", "moodle.xml"):name>')
    @role("instructor")
    def lms_file(name: str):
        from grader.publish import lms
        writer, mimetype = lms_files[name]
        write = getattr(lms, writer)
        data, warnings = written(lambda path: write(server.bank, quiz, path, lang_asked()))
        return Response(data, mimetype=mimetype, headers={
            "Content-Disposition": f"attachment; filename={quiz.id}-{name}",
            "X-Nngrade-Warnings": str(len(warnings))})

    @app.post("/instructor/override")
    @role("instructor")
    def override():
        student = request.form.get("student", "")
        address = request.form.get("address", "")
        if student not in store.students(quiz.id):
            return fail(404, "serve_not_found")
        _, parts = server.assigned(student)
        if address not in parts:
            return fail(404, "serve_not_found")
        part = parts[address][1]
        try:
            score = float(request.form.get("score", ""))
        except ValueError:
            return fail(400, "serve_bad_score", max=f"{part.points:g}")
        if not math.isfinite(score) or not 0 <= score <= part.points:
            return fail(400, "serve_bad_score", max=f"{part.points:g}")
        comment = (request.form.get("comment") or "")[:2000] or None
        from grader.results.gradebook import Gradebook
        judged = request.form.get("answer_sha")              # the digest of the answer the review page showed
        if judged is not None and not ANSWER_SHA.fullmatch(judged):
            return fail(400, "serve_bad_request")
        with Gradebook(server.db_path) as book:
            if judged is None:                               # not from the page: the answer graded now
                graded = book.part_row(quiz.id, student, address)
                judged = graded.details.get("answer_sha") if graded is not None else None
            book.override(quiz.id, student, address, score, comment, judged)
        return redirect("/instructor#review", 303)

    @app.post("/instructor/release")
    @role("instructor")
    def release():
        store.release(quiz.id)
        return redirect("/instructor", 303)

    @app.get("/instructor/results.json")
    @role("instructor")
    def results_json():
        from grader.publish import results_json as to_json
        from grader.results import ClassResults
        return Response(to_json(ClassResults(quiz.id, results())), mimetype="application/json",
                        headers={"Content-Disposition": "attachment; filename=results.json"})

    @app.get("/instructor/grades.csv")
    @role("instructor")
    def grades_csv():
        from grader.publish import write_grades_csv
        data, _ = written(lambda path: write_grades_csv(path, results()))
        return Response(data, mimetype="text/csv", headers={"Content-Disposition": "attachment; filename=grades.csv"})

    def live_state() -> dict:
        """What the page shows that changes while students work, with a digest the page compares."""
        state = {"queue": server.jobs.queue_length() if server.jobs else 0, "progress": store.progress(quiz.id),
                 "errors": len(server.grader_errors), "overrides": _overrides_digest(server.db_path, quiz.id)}
        state["digest"] = hashlib.sha256(json.dumps(state, sort_keys=True).encode()).hexdigest()[:16]
        return state

    @app.get("/instructor/state")
    @role("instructor")
    def instructor_state():
        return {**live_state(), "waits": server.jobs.wait_stats() if server.jobs else {}}

    @app.get("/instructor/<kind>-grades.csv")
    @role("instructor")
    def lms_grades(kind: str):
        from grader.publish import canvas_grades, moodle_grades
        from grader.results import ClassResults
        if kind not in ("canvas", "moodle"):
            return fail(404, "serve_not_found")
        run = ClassResults(quiz.id, results())
        write = canvas_grades if kind == "canvas" else moodle_grades
        data, _ = written(lambda path: write(run, path, quiz.title.get("en") or quiz.id))
        return Response(data, mimetype="text/csv",
                        headers={"Content-Disposition": f"attachment; filename={kind}-grades.csv"})

    _ = (text, body)


T = TypeVar("T")


def written(write: Callable[[Path], T]) -> tuple[bytes, T]:
    """The bytes a publish-stage writer puts in a file (``write(path)``, in a folder of its own), and what
    ``write`` returned: the downloads serve what ``nngrade publish``/``export`` would write."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "out"
        returned = write(path)
        return path.read_bytes(), returned


def point_biserial(item: list[float], rest: list[float]) -> float | None:
    """Pearson correlation of a part's score fraction with the rest of the quiz (corrected item-total);
    None when either does not vary."""
    n = len(item)
    if n < 2:
        return None
    mi, mr = sum(item) / n, sum(rest) / n
    sxy = sum((a - mi) * (b - mr) for a, b in zip(item, rest))
    sxx = sum((a - mi) ** 2 for a in item)
    syy = sum((b - mr) ** 2 for b in rest)
    if sxx <= 1e-12 or syy <= 1e-12:
        return None
    return sxy / math.sqrt(sxx * syy)


def item_analysis(results: list, answers: dict[str, dict]) -> list[dict]:
    """Per part: students, mean score, difficulty (mean fraction), discrimination (point-biserial against
    the rest of the quiz) and the most common wrong answers with the misconception each was matched to.
    ``answers``: student -> {address: the answer of their graded attempt}."""
    totals = {r.student: r.score for r in results}
    rows: dict[str, dict] = defaultdict(lambda: {"fractions": [], "rest": [], "scores": [], "wrong": Counter(),
                                                  "label": {}})
    for r in results:
        for address, p in r.parts():
            row = rows[address]
            row["fractions"].append(p.fraction)
            row["scores"].append(p.score)
            row["rest"].append(totals[r.student] - p.score)
            if p.verdict not in ("correct",) and p.fraction < 1:
                given = answers.get(r.student, {}).get(address)
                if isinstance(given, list):
                    given = " | ".join(map(str, given))
                if isinstance(given, str) and given.strip():
                    key = " ".join(given.split())[:200]
                    row["wrong"][key] += 1
                    row["label"].setdefault(key, p.mistake or "")
    out = []
    for address in sorted(rows):
        row = rows[address]
        n = len(row["fractions"])
        out.append({"address": address, "count": n, "mean": sum(row["scores"]) / n,
                    "difficulty": sum(row["fractions"]) / n,
                    "discrimination": point_biserial(row["fractions"], row["rest"]),
                    "wrong": [(a, c, row["label"][a]) for a, c in row["wrong"].most_common(3)]})
    return out


def _overrides_digest(db_path, quiz_id: str) -> str:
    from grader.results.gradebook import Gradebook
    with Gradebook(db_path) as book:
        return book.overrides_digest(quiz_id)


def _answer(store, quiz_id: str, student: str, address: str):
    attempts = store.attempts(quiz_id, student)
    if not attempts:
        return None
    return store.attempt_answers(quiz_id, student, attempts[-1]["number"]).get(address)
