"""The instructor's pages of ``nngrade serve``: progress, grader errors first, the review queue, downloads.

An accepted or adjusted review is a gradebook override (``Gradebook.override``), so it is kept across
regrades and shows in every output, exactly as ``nngrade gradebook override`` would store it.
"""
from __future__ import annotations

import io
import math
import tempfile
from pathlib import Path

from flask import Response, g, redirect, request

from ..messages import text


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
                    review.append({"student": student, "address": address, "verdict": part.verdict,
                                   "score": part.score, "max_score": part.max_score, "feedback": part.feedback,
                                   "answer": _answer(store, quiz.id, student, address)})
        counts = {"students": len(rows), "started": sum(1 for r in rows if r["saved"]),
                  "submitted": sum(1 for r in rows if r["attempts"]),
                  "graded": sum(1 for r in rows if r["status"] == "graded")}
        return page("serve/instructor.html", rows=rows, review=review, errors=errors, counts=counts,
                    queue=server.jobs.queue_length() if server.jobs else 0, released=store.released(quiz.id))

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
        from ..gradebook import Gradebook
        with Gradebook(server.db_path) as book:
            book.override(quiz.id, student, address, score, comment)
        return redirect("/instructor#review", 303)

    @app.post("/instructor/release")
    @role("instructor")
    def release():
        store.release(quiz.id)
        return redirect("/instructor", 303)

    @app.get("/instructor/results.json")
    @role("instructor")
    def results_json():
        from ..publish import results_json as to_json
        from ..results import ClassResults
        return Response(to_json(ClassResults(quiz.id, results())), mimetype="application/json",
                        headers={"Content-Disposition": "attachment; filename=results.json"})

    @app.get("/instructor/grades.csv")
    @role("instructor")
    def grades_csv():
        from ..publish import write_grades_csv
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "grades.csv"
            write_grades_csv(path, results())
            data = path.read_bytes()
        return Response(data, mimetype="text/csv", headers={"Content-Disposition": "attachment; filename=grades.csv"})

    @app.get("/instructor/state")
    @role("instructor")
    def instructor_state():
        progress = store.progress(quiz.id)
        return {"queue": server.jobs.queue_length() if server.jobs else 0, "progress": progress,
                "errors": len(server.grader_errors)}

    _ = (io, text, body)


def _answer(store, quiz_id: str, student: str, address: str):
    attempts = store.attempts(quiz_id, student)
    if not attempts:
        return None
    return store.attempt_answers(quiz_id, student, attempts[-1]["number"]).get(address)
