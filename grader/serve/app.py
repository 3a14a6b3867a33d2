"""The web application of ``nngrade serve`` (Flask, served by waitress; see README "Serving a quiz").

Who is who comes only from the signed session cookie, set by opening a secret link; no URL or form
carries a student id, and every part address a request names is checked against the student's own
assignment. Every POST needs the session's CSRF token (header ``X-CSRF-Token`` or form field
``csrf``) and, when the browser sends one, an ``Origin`` of this server.
"""
from __future__ import annotations

import hashlib
import hmac
import logging
import math
import re
import secrets
import threading
import time
from functools import lru_cache, wraps
from pathlib import Path

from flask import Flask, Response, abort, g, jsonify, redirect, request, session

from grader.bank import load_bank
from grader.checks import answer_type
from grader.messages import LANGS, pick, text, ui
from grader.publish.pages import get_env
from grader.quiz import assignment, load_quiz
from grader.serve import settings as settings_mod
from grader.serve.jobs import CODE_KEY, Busy, Jobs, Superseded
from grader.serve.limits import Limiter
from grader.serve.preview import hints, preview, previews
from grader.serve.store import INSTRUCTOR, Store, token_hash

log = logging.getLogger(__name__)
STATIC = Path(__file__).resolve().parent / "static"
MAX_BODY = 512 * 1024              # bytes of any request body
MAX_TEXT = 5000                    # characters of a formula, number, matrix or text answer
MAX_CODE = 200_000                 # characters of solution.py
MAX_LINES = 100                    # derivation lines / chosen options
TOKEN = re.compile(r"[A-Za-z0-9_-]{16,64}")


def cookie_name(quiz_id: str) -> str:
    """The session cookie's name for one quiz. A browser keeps cookies per host, not per port, so two
    quizzes served on one machine (ports 8000 and 8001) must not share one name: signing in to one
    would sign the student out of the other."""
    return "nngrade_" + hashlib.sha256(quiz_id.encode("utf-8", "surrogatepass")).hexdigest()[:12]


ADDRESS = re.compile(r"[A-Za-z0-9_.\-]{1,80}/[A-Za-z0-9_.\-]{1,80}|" + re.escape(CODE_KEY))
SUBMIT_ID = re.compile(r"[A-Za-z0-9-]{8,64}")


class Server:
    """The quiz being served: bank, quiz, settings, store, limits, pool."""

    def __init__(self, quiz_path, db_path, bank_root=None, workers: int = 2, limits: dict | None = None,
                 settings: settings_mod.Settings | None = None, pool: bool = True):
        self.bank_root, self.quiz_path = bank_root, quiz_path
        self.bank = load_bank(bank_root)
        self.quiz = load_quiz(quiz_path, self.bank)
        self.settings = settings or settings_mod.read(quiz_path)
        self.store = Store(db_path, group_commit=True)
        self.db_path = db_path
        self.limiter = Limiter(limits)
        self.jobs = Jobs(bank_root, quiz_path, db_path, workers) if pool else None
        self._faults: list[dict] = []          # grader faults of gradings in this run (the page lists them)
        self._faults_lock = threading.Lock()   # done-callbacks append from the pool's threads

    @property
    def grader_errors(self) -> list[dict]:
        """A snapshot of the grader faults recorded while serving."""
        with self._faults_lock:
            return list(self._faults)

    def _fault(self, student: str, number: int, detail) -> None:
        with self._faults_lock:
            self._faults.append({"student": student, "attempt": number, "detail": detail})

    def _forget_faults(self, student: str) -> None:
        """A regrade of ``student`` starts: their earlier faults are no longer current. Under the lock, so
        a fault another thread records meanwhile is never lost by the rebuild."""
        with self._faults_lock:
            self._faults[:] = [e for e in self._faults if e["student"] != student]

    @lru_cache(maxsize=4096)          # noqa: B019 - one Server per process, alive as long as it
    def assigned(self, student: str):
        """The student's questions and ``{address: (item, part)}`` of every part they may answer."""
        items = assignment(self.quiz, self.bank, student)
        parts = {p.address: (item, p) for item in items for p in item.parts}
        return items, parts

    def reload_bank(self) -> None:
        """Read the bank again from disk (a reference was fixed): the pages, previews and every grading queued
        from now on use it. The quiz file must be the one being served (else ValueError: restart to serve a
        changed quiz); a bank that does not load raises its BankError and the bank in use stays."""
        bank = load_bank.__wrapped__(self.bank_root)       # from disk, past load_bank's cache
        quiz = load_quiz(self.quiz_path, bank)
        if quiz.digest != self.quiz.digest:
            raise ValueError(f"{self.quiz_path}: the quiz file changed since the server started")
        self.bank = bank
        self.assigned.cache_clear()
        if self.jobs is not None:
            self.jobs.reload()

    def regrade(self) -> int:
        """Grade every student's latest attempt again (after :meth:`reload_bank`); the number queued.

        Overrides live apart from the grades in the gradebook, so they stay. Only the latest attempt: it is
        the one whose grade is stored, and a student's jobs run in order, so it is also stored last."""
        students = self.store.students(self.quiz.id)
        queued = 0
        for student in students:
            attempts = self.store.attempts(self.quiz.id, student)
            if attempts:
                self._forget_faults(student)
                self.grade(student, attempts[-1]["number"])
                queued += 1
        return queued

    def _superseded(self, future, student: str, number: int) -> None:
        """An attempt whose grading is not stored because a later attempt of the student counts."""
        detail = None
        try:
            unstored = getattr(future, "unstored", None)
            out = unstored() if unstored else None
            detail = out.get("error") if isinstance(out, dict) else None
        except Superseded:                # dropped from the queue before it ran: nothing ran, nothing failed
            pass
        except Exception as exc:          # the pool failed under it: still a grader fault, listed
            detail = f"{type(exc).__name__}: {exc}"
        if detail:
            self._fault(student, number, detail)
        self.store.set_status(self.quiz.id, student, number, "superseded", detail)

    def requeue(self) -> None:
        """Attempts recorded but not graded when the server last stopped are graded now."""
        for student, number in self.store.pending(self.quiz.id):
            self.grade(student, number)

    def grade(self, student: str, number: int) -> None:
        if self.jobs is None:
            return
        answers = self.store.attempt_answers(self.quiz.id, student, number)
        quiz = self.quiz.id

        def done(future):
            if future.cancelled():          # the server is stopping: graded after the restart
                return
            attempts = self.store.attempts(quiz, student)
            if attempts and attempts[-1]["number"] > number:
                # a later attempt was recorded (a Regrade that read the attempts just before it, or a restart's
                # requeue): its grading, queued behind this one in the student's lane, stores the grade; this
                # one must never replace it (the gradebook holds one grade per student)
                self._superseded(future, student, number)
                return
            try:
                out = future.result()
                status = "error" if out.get("error") else "graded"
                detail = out.get("error")
            except Exception as exc:      # the pool (or storing) failed: a grader fault, listed for the instructor
                status, detail = "error", f"{type(exc).__name__}: {exc}"
            if status == "error":
                self._fault(student, number, detail)
            self.store.set_status(quiz, student, number, status, detail)
        self.store.set_status(quiz, student, number, "grading")
        if not self.jobs.grade(student, answers, self.quiz.lang, done, number):   # stopping: graded after restart
            self.store.set_status(quiz, student, number, "queued")


def create_app(server: Server, *, secure_cookies: bool = False, proxy: bool = False) -> Flask:
    app = Flask(__name__, static_folder=str(STATIC), static_url_path="/static")
    app.config.update(SECRET_KEY=server.store.secret(), MAX_CONTENT_LENGTH=MAX_BODY,
                      SESSION_COOKIE_NAME=cookie_name(server.quiz.id), SESSION_COOKIE_HTTPONLY=True,
                      SESSION_COOKIE_SAMESITE="Lax", SESSION_COOKIE_SECURE=secure_cookies,
                      PERMANENT_SESSION_LIFETIME=14 * 24 * 3600, SESSION_REFRESH_EACH_REQUEST=False)
    if proxy:      # one reverse proxy in front: trust its X-Forwarded-For/-Proto/-Host, nothing more
        from werkzeug.middleware.proxy_fix import ProxyFix
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)  # type: ignore[method-assign]
    env = get_env(None)
    quiz = server.quiz
    store = server.store

    def lang_now() -> str:
        want = request.args.get("lang")
        if want in LANGS:
            session["lang"] = want
        return str(session["lang"]) if session.get("lang") in LANGS else quiz.lang

    def page(template: str, status: int = 200, **ctx) -> Response:
        lang = ctx.pop("lang", None) or lang_now()
        html = env.get_template(template).render(quiz={"title": quiz.title, "id": quiz.id}, lang=lang, ui=ui(lang),
                                                 t=lambda key, **p: text(key, lang, **p), pick=pick,
                                                 csrf=session.get("csrf", ""), **ctx)
        return Response(html, status, mimetype="text/html")

    def fail(status: int, key: str, **params) -> Response:
        lang = str(session["lang"]) if session.get("lang") in LANGS else quiz.lang
        message = text(key, lang, **params)
        if request.path.startswith("/api/") or request.is_json:
            resp = jsonify({"error": key, "message": message})
            resp.status_code = status
            return resp
        return page("serve/message.html", status, message=message)

    @app.after_request
    def headers(resp: Response) -> Response:
        started = getattr(g, "started", None)
        if started is not None:       # the application's own time (benchmarks/bench_serve.py reads it)
            resp.headers["Server-Timing"] = f"app;dur={(time.perf_counter() - started) * 1000:.2f}"
        resp.headers["Content-Security-Policy"] = ("default-src 'none'; script-src 'self'; connect-src 'self'; "
                                                   "style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
                                                   "font-src 'self'; form-action 'self'; frame-ancestors 'none'; "
                                                   "base-uri 'none'")
        resp.headers["Referrer-Policy"] = "same-origin"          # no page address (nor a link) leaves in a Referer
        resp.headers["X-Content-Type-Options"] = "nosniff"
        resp.headers["X-Frame-Options"] = "DENY"
        resp.headers.setdefault("Cache-Control", "no-store")
        return resp

    @app.errorhandler(413)
    def too_large(_):
        return fail(413, "serve_too_large", limit=MAX_BODY // 1024)

    @app.errorhandler(404)
    def not_found(_):
        return fail(404, "serve_not_found")

    @app.errorhandler(405)
    def not_allowed(_):
        return fail(405, "serve_bad_request")

    @app.errorhandler(400)
    def bad_request(_):
        return fail(400, "serve_bad_request")

    @app.errorhandler(500)
    def internal(exc):
        log.exception("serve: internal error")
        return fail(500, "serve_internal")

    # -- who is asking ----------------------------------------------------------------------------
    @app.before_request
    def identify():
        g.started = time.perf_counter()
        g.who = g.role = None
        g.ended = False
        sid = session.get("sid")
        if isinstance(sid, str) and TOKEN.fullmatch(sid):
            found = store.session(sid)      # ended by logout, or by revoking or re-issuing its link: no one
            if found and found[0] == quiz.id and found[1] == session.get("who") and found[2] == session.get("role"):
                g.who, g.role = found[1], found[2]
        if g.who is None and ("sid" in session or "link" in session):
            g.ended = True
            lang = session.get("lang")
            session.clear()                 # what ended is forgotten; the language chosen is kept
            if lang in LANGS:
                session["lang"] = lang
        if request.method == "POST" and g.ended:          # said as such, not as a missing CSRF token
            return redirect("/", 303) if request.path == "/logout" else fail(401, "serve_session_ended")
        if request.method == "POST":
            origin = request.headers.get("Origin")
            if origin and origin != request.host_url.rstrip("/"):
                return fail(403, "serve_csrf")
            sent = request.headers.get("X-CSRF-Token") or request.form.get("csrf") or ""
            want = session.get("csrf") or ""
            if not want or not hmac.compare_digest(str(sent).encode(), want.encode()):
                return fail(403, "serve_csrf")

    def limited(kind: str, who: str):
        wait = server.limiter.take(kind, who)
        if wait:
            resp = fail(429, "serve_rate_limited", seconds=math.ceil(wait))
            resp = resp if isinstance(resp, Response) else app.make_response(resp)
            resp.headers["Retry-After"] = str(math.ceil(wait))
            return resp
        return None

    def role(needed: str):
        def wrap(fn):
            @wraps(fn)
            def inner(*a, **kw):
                if g.role != needed:
                    return fail(403 if g.role else 401, "serve_session_ended" if g.ended else "serve_need_link")
                return fn(*a, **kw)
            return inner
        return wrap

    # -- entering -----------------------------------------------------------------------------------
    def shown(who: str, lang: str) -> str:
        return text("serve_instructor", lang) if who == INSTRUCTOR else who

    @app.route("/s/<token>", methods=["GET", "POST"])
    def enter(token: str):
        who = request.remote_addr or "?"
        if not TOKEN.fullmatch(token):
            return limited("login", who) or fail(404, "serve_bad_link")
        found = store.link(token_hash(token))
        if not found or found[0] != quiz.id:
            return limited("login", who) or fail(404, "serve_bad_link")
        if g.who is not None and (g.who, g.role) != (found[1], found[2]) and request.method != "POST":
            # This browser is someone else's: a link opened by a click (from another site, a classmate's
            # message) never switches it silently, or the work of the one signed in would land in the other's
            # account (login CSRF). The person signed in says yes with a POST carrying their CSRF token.
            lang = lang_now()
            return page("serve/message.html", 409, lang=lang,
                        message=text("serve_switch_person", lang, current=shown(g.who, lang),
                                     other=shown(found[1], lang)),
                        switch={"action": f"/s/{token}", "label": text("serve_switch_button", lang)})
        if g.who is not None and (g.who, g.role) == (found[1], found[2]) and request.method != "POST":
            # the person signed in opens their own link again (a bookmark, a second click): a GET changes nothing,
            # not their session, nor their open tabs' CSRF token, nor their budget of sign-ins ("Log out" ends it)
            return redirect("/instructor" if found[2] == "instructor" else "/quiz", 303)
        if g.who is None and request.method != "POST":
            # Opening a link signs in only when the person says so (a POST from this page, with a token this
            # browser was given here): a GET changes nothing. Mail scanners and chat apps fetch links before
            # anyone clicks; a GET that signed in would start a timed student's clock and push the student's
            # own sessions out of the link's newest 20. A page of another site cannot sign this browser in as
            # someone else either: its POST carries neither this browser's cookie (SameSite) nor the token.
            lang = lang_now()
            if not session.get("csrf"):
                session["csrf"] = secrets.token_urlsafe(24)
            return page("serve/message.html", 200, lang=lang,
                        message=text("serve_enter_confirm", lang, who=shown(found[1], lang)),
                        switch={"action": f"/s/{token}", "label": text("serve_enter_button", lang,
                                                                       who=shown(found[1], lang))})
        stop = limited("enter", found[1])      # each opening stores a session: bounded per person
        if stop:
            return stop
        if g.who is not None:       # the browser's previous session ends (a switch, or the same link re-opened)
            store.end_session(str(session["sid"]))
        kept_lang = session.get("lang")
        session.clear()
        session.permanent = True
        session.update(sid=store.open_session(token_hash(token)), who=found[1], role=found[2],
                       csrf=secrets.token_urlsafe(24))
        if kept_lang in LANGS:
            session["lang"] = kept_lang
        if found[2] == "student":
            timing(found[1])                      # opening the link starts a timed student's clock
        return redirect("/instructor" if found[2] == "instructor" else "/quiz", 303)

    @app.get("/")
    def home():
        if g.role == "student":
            return redirect("/quiz", 303)
        if g.role == "instructor":
            return redirect("/instructor", 303)
        return page("serve/message.html", 200, message=text("serve_open_link", lang_now()))

    @app.get("/favicon.ico")
    def favicon():
        return Response(status=204)

    @app.post("/logout")
    def logout():
        if g.who is not None:
            store.end_session(str(session["sid"]))       # a copy of this cookie is no one from now on
        session.clear()
        return redirect("/", 303)

    # -- the student -------------------------------------------------------------------------------
    def timing(student: str) -> dict:
        """The student's clock. Every student request reads it, so with a time limit the clock starts at the
        first one of any kind (opening the link, a save, a submit...), never only when the page is rendered."""
        s = server.settings
        now = time.time()
        started = store.started(quiz.id, student)
        if s.time_limit and started is None and not (s.opens and now < s.opens):
            store.start(quiz.id, student)
            started = store.started(quiz.id, student)
        deadline = s.deadline(started)
        return {"now": now, "opens": s.opens, "closes": s.closes, "started": started, "deadline": deadline,
                "not_open": bool(s.opens and now < s.opens),
                "over": bool(deadline and now > deadline + settings_mod.GRACE)}

    def feedback_shown(student: str) -> bool:
        s = server.settings
        if store.released(quiz.id):
            return True
        if s.feedback in ("immediate", "after_submit"):
            return any(a["status"] == "graded" for a in store.attempts(quiz.id, student))
        if s.feedback == "after_close":
            return bool(s.closes and time.time() > s.closes)
        return False

    @app.get("/quiz")
    @role("student")
    def student_page():
        lang = lang_now()
        student = g.who
        tm = timing(student)
        if tm["not_open"]:
            return page("serve/message.html", 403, message=text("serve_not_open", lang), lang=lang)
        if server.settings.time_limit and tm["started"] is None and not tm["over"]:
            store.start(quiz.id, student)
            tm = timing(student)
        items, _ = server.assigned(student)
        saved = store.answers(quiz.id, student)
        questions = []
        for item in items:
            parts = []
            for p in item.parts:
                value, rev = saved.get(p.address, (None, 0))
                kind = answer_type(p.type)
                parts.append({"address": p.address, "type": p.type, "prompt": p.prompt, "points": p.points,
                              "value": value, "rev": rev, "preview": kind.previews, "hints": hints(p),
                              "widget": kind.input_widget, "runs_tests": kind.runs_tests,
                              "source": not kind.in_answers_file,
                              "options": p.spec.get("options") or [], "option_ids": p.spec.get("option_ids") or [],
                              "multiple": bool(p.spec.get("multiple")),
                              "check": server.settings.feedback == "immediate" and kind.checked_at_once,
                              "functions": [f.get("name") for f in p.spec.get("functions", []) if isinstance(f, dict)]})
            questions.append({"id": item.question.id, "title": item.question.title, "prompt": item.question.prompt,
                              "params": item.params, "parts": parts})
        code, code_rev = saved.get(CODE_KEY, ("", 0))
        attempts = store.attempts(quiz.id, student)
        return page("serve/student.html", lang=lang, student=student, questions=questions, code=code or "",
                    code_rev=code_rev, has_code=any(p["source"] for q in questions for p in q["parts"]),
                    attempts=attempts, timing=tm, settings=server.settings,
                    attempts_left=None if server.settings.attempts is None else
                    max(0, server.settings.attempts - len(attempts)),
                    feedback=feedback_shown(student), lang_other=[x for x in LANGS if x != lang])

    def body() -> dict:
        try:
            data = request.get_json(silent=True)
        except RecursionError:                    # JSON nested beyond Python's limit: the request's fault
            abort(400)
        if not isinstance(data, dict):
            abort(400)
        return data

    def own_part(student: str, address):
        """The student's own part at ``address`` (or the code key), else 404: other parts do not exist for them."""
        if not isinstance(address, str) or not ADDRESS.fullmatch(address):
            abort(404)
        _, parts = server.assigned(student)
        if address == CODE_KEY:
            if all(answer_type(p.type).in_answers_file for _, p in parts.values()):
                abort(404)
            return None
        if address not in parts:
            abort(404)
        return parts[address][1]

    @app.post("/api/preview")
    @role("student")
    def api_preview():
        stop = limited("preview", g.who)
        if stop:
            return stop
        data = body()
        part = own_part(g.who, data.get("address"))
        if part is None or not previews(part) or not isinstance(data.get("text"), str):
            abort(400)
        lang = str(data["lang"]) if data.get("lang") in LANGS else lang_now()
        return jsonify(preview(part, data["text"], lang))

    def encodable(value) -> bool:
        """Text that SQLite can store as UTF-8 (JSON may carry lone surrogates, which it cannot)."""
        try:
            (value if isinstance(value, str) else "".join(value)).encode("utf-8")
        except (UnicodeEncodeError, TypeError):
            return False
        return True

    def valid_value(part, value) -> bool:
        if not encodable(value if isinstance(value, (str, list)) else ""):
            return False
        if part is None:                                  # solution.py
            return isinstance(value, str) and len(value) <= MAX_CODE
        kind = answer_type(part.type)
        if kind.answer_list and isinstance(value, list):
            return len(value) <= MAX_LINES and all(isinstance(v, str) and len(v) <= MAX_TEXT for v in value)
        if not kind.in_answers_file:                      # answered in solution.py, saved under the code key
            return False
        return isinstance(value, str) and len(value) <= MAX_TEXT

    def clock_refuses(student: str):
        """A 403 when the quiz is not open yet or the student's time (or the quiz) is over, else None."""
        tm = timing(student)
        if tm["not_open"]:
            return fail(403, "serve_not_open")
        if tm["over"]:
            return fail(403, "serve_closed")
        return None

    def writable(student: str):
        stop = clock_refuses(student)
        if stop:
            return stop
        limit = server.settings.attempts
        if limit is not None and len(store.attempts(quiz.id, student)) >= limit:
            return fail(403, "serve_no_attempts_left")
        return None

    @app.post("/api/save")
    @role("student")
    def api_save():
        stop = limited("save", g.who)
        if stop:
            return stop
        data = body()
        part = own_part(g.who, data.get("address"))
        rev = data.get("rev")
        if not isinstance(rev, int) or isinstance(rev, bool) or not 0 < rev < 2**53:
            abort(400)
        if not valid_value(part, data.get("value")):
            return fail(400, "serve_bad_value", limit=MAX_CODE if part is None else MAX_TEXT)
        stop = writable(g.who)
        if stop:
            return stop
        stored, now_rev, value = store.save(quiz.id, g.who, data["address"], data["value"], rev)
        if not stored:            # a newer revision (another tab) is kept; the client adopts it
            return jsonify({"saved": False, "rev": now_rev, "value": value}), 409
        return jsonify({"saved": True, "rev": now_rev})

    @app.post("/api/submit")
    @role("student")
    def api_submit():
        stop = limited("submit", g.who)
        if stop:
            return stop
        data = body()
        submit_id = data.get("submit_id")
        if not isinstance(submit_id, str) or not SUBMIT_ID.fullmatch(submit_id):
            abort(400)
        stop = clock_refuses(g.who)        # the attempts limit is checked atomically inside store.submit
        if stop:
            return stop
        kind, number = store.submit(quiz.id, g.who, submit_id, server.settings.attempts)
        if kind == "over":
            return fail(403, "serve_no_attempts_left")
        if kind == "new":
            server.grade(g.who, number)
        return jsonify({"attempt": number, "new": kind == "new"})

    @app.post("/api/check")
    @role("student")
    def api_check():
        """feedback: immediate: the saved answer of one part graded now, in the request (formula, numeric,
        matrix and choice checks take milliseconds); nothing is recorded."""
        data = body()
        part = own_part(g.who, data.get("address"))
        if server.settings.feedback != "immediate":
            return fail(403, "serve_feedback_later")
        if part is None or not answer_type(part.type).checked_at_once:
            abort(400)
        stop = writable(g.who) or limited("check", g.who)
        if stop:
            return stop
        from grader.checks import check_answer
        from grader.publish.pages import to_mathml
        item = server.assigned(g.who)[1][part.address][0]
        value = store.answers(quiz.id, g.who).get(part.address, (None, 0))[0]
        result = check_answer(part, value, lang_now(), params=item.params)
        return jsonify({"verdict": result.verdict, "score": result.score, "max_score": result.max_score,
                        "feedback": list(result.feedback), "verdict_text": ui(lang_now())["verdicts"].get(
                            result.verdict, result.verdict),
                        "mathml": to_mathml(result.interpreted, True) if result.interpreted else ""})

    @app.post("/api/run")
    @role("student")
    def api_run():
        data = body()
        part = own_part(g.who, data.get("address"))
        if part is None or not answer_type(part.type).runs_tests:
            abort(400)
        stop = writable(g.who) or limited("run", g.who)
        if stop:
            return stop
        if server.jobs is None:
            return fail(503, "serve_busy")
        source = store.answers(quiz.id, g.who).get(CODE_KEY, ("", 0))[0]
        if not isinstance(source, str) or not source.strip():
            return fail(400, "serve_no_code")
        try:
            state = server.jobs.run_code(g.who, part.address, source, lang_now())
        except Busy as busy:          # one code job per student at a time: the pool stays fair to the others
            resp = fail(429, f"serve_code_busy_{busy.kind}")
            resp.headers["Retry-After"] = "10"
            return resp
        if state is None:
            return fail(503, "serve_busy")
        return jsonify({"status": state["status"]})

    @app.get("/api/state")
    @role("student")
    def api_state():
        student = g.who
        saved = store.answers(quiz.id, student)
        runs = server.jobs.run_state(student) if server.jobs else {}
        return jsonify({"answers": {a: {"value": v, "rev": r} for a, (v, r) in saved.items()},
                        "attempts": store.attempts(quiz.id, student), "feedback": feedback_shown(student),
                        "runs": {a: {"id": s["id"], "status": s["status"], "result": s["result"]}
                                 for a, s in runs.items()},
                        "timing": timing(student)})

    @app.get("/feedback")
    @role("student")
    def feedback_page():
        lang = lang_now()
        if not feedback_shown(g.who):
            return page("serve/message.html", 403, message=text("serve_feedback_later", lang), lang=lang)
        result = student_result(g.who)
        if result is None:
            return page("serve/message.html", 404, message=text("serve_not_graded", lang), lang=lang)
        from grader.publish.pages import render_feedback
        return Response(render_feedback(result, quiz, server.bank, lang), mimetype="text/html")

    def student_result(student: str):
        from grader.results import StudentResult
        from grader.results.gradebook import Gradebook
        items, _ = server.assigned(student)
        with Gradebook(server.db_path) as book:
            rows = book.results(quiz.id, student, [i.question.id for i in items])
            if not rows:
                return None
            return StudentResult.build(student, rows, book.problems(quiz.id, student), book.overrides(quiz.id, student))

    # -- the instructor --------------------------------------------------------------------------------
    from grader.serve.instructor import register
    register(app, server, page=page, fail=fail, role=role, limited=limited, student_result=student_result,
             body=body)
    return app


def make_links(quiz_path, roster_ids: list[str], db_path, base_url: str, bank_root=None) -> list[tuple[str, str]]:
    """(who, link) for every roster id and the instructor; earlier links of each are revoked."""
    bank = load_bank(bank_root)
    quiz = load_quiz(quiz_path, bank)
    store = Store(db_path)
    base = base_url.rstrip("/")
    rows = [(who, f"{base}/s/{store.issue(quiz.id, who, 'student')}") for who in roster_ids]
    rows.append((INSTRUCTOR, f"{base}/s/{store.issue(quiz.id, INSTRUCTOR, 'instructor')}"))
    return rows
