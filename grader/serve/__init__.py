"""``nngrade serve``: students answer in the browser with a live preview; the instructor watches and reviews.

:func:`serve` runs the application (``grader/serve/app.py``) with waitress on one machine, on the
course's SQLite gradebook; :func:`roster_links` issues the secret links. See README, "Serving a quiz".
"""
from __future__ import annotations

import csv
import io
import unicodedata
from pathlib import Path

from grader.messages import ref
from grader.said import Joined, SaidError
from grader.serve.store import INSTRUCTOR

__all__ = ["INSTRUCTOR", "RosterError", "ServeError", "read_roster", "revoke_links", "roster_links", "serve"]
MAX_ID = 100
SWITCH_SECONDS = 0.001      # the server process's GIL switch interval (Python's default: 0.005)


class RosterError(SaidError, ValueError):
    """A roster that cannot be used: ``str()`` is English, ``message(lang)`` the instructor's language."""


def read_roster(path: Path) -> list[str]:
    """The student ids of a roster CSV (its first column; a header row ``student``/``id`` is skipped)."""
    try:
        raw = Path(path).read_bytes()[: 10 * 1024 * 1024].decode("utf-8-sig")
    except FileNotFoundError:
        raise RosterError(ref("roster_missing", path=str(path))) from None
    except UnicodeDecodeError as exc:
        raise RosterError(ref("roster_not_utf8", path=str(path), byte=exc.start)) from None
    except OSError as exc:
        raise RosterError(ref("roster_unreadable", path=str(path), error=exc.strerror or str(exc))) from None
    ids: list[str] = []
    problems: list[dict] = []
    for n, row in enumerate(csv.reader(io.StringIO(raw)), 1):
        if not row or not row[0].strip():
            continue
        sid = row[0].strip()
        if n == 1 and sid.lower() in ("student", "id", "student_id", "login", "github_username"):
            continue
        # controls, and bidi/format characters that would spoof how a name reads, are no usable id
        unusable = any(ord(c) < 32 or ord(c) == 127 or unicodedata.category(c) in ("Cf", "Cs", "Co") for c in sid)
        if len(sid) > MAX_ID or sid == INSTRUCTOR or unusable:
            problems.append(ref("roster_bad_id", line=n, sid=repr(sid[:40])))
        elif sid in ids:
            problems.append(ref("roster_twice", line=n, sid=repr(sid)))
        else:
            ids.append(sid)
    if problems:
        raise RosterError(ref("roster_problems", path=str(path), problems=Joined(tuple(problems), "semicolon")))
    if not ids:
        raise RosterError(ref("roster_empty", path=str(path)))
    return ids


def roster_links(quiz_path, roster: Path, db_path, base_url: str, bank_root=None) -> list[tuple[str, str]]:
    from grader.serve.app import make_links
    return make_links(quiz_path, read_roster(roster), db_path, base_url, bank_root)


def revoke_links(quiz_path, roster: Path, db_path, bank_root=None) -> int:
    """Revoke the live links of the roster's students (their sessions end with them); how many were live."""
    from grader.bank import load_bank
    from grader.quiz import load_quiz
    from grader.serve.store import Store
    quiz = load_quiz(quiz_path, load_bank(bank_root))
    store = Store(db_path)
    return sum(store.revoke(quiz.id, who) for who in read_roster(roster))


class ServeError(Exception):
    """The server cannot start (its port is taken, ...): a catalog message ``key`` with ``params``."""

    def __init__(self, key: str, **params):
        super().__init__(key)
        self.key, self.params = key, params


def listen_socket(host: str, port: int):
    """A socket bound to ``host:port`` (port 0: any free one), not yet listening; a ServeError if it cannot be."""
    import errno
    import socket
    try:
        family, kind, proto, _, addr = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM,
                                                          flags=socket.AI_PASSIVE)[0]
        sock = socket.socket(family, kind, proto)
    except (OSError, UnicodeError) as exc:
        raise ServeError("serve_cannot_listen", host=host, port=port, reason=getattr(exc, "strerror", None) or exc) \
            from None
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)     # a restart does not wait for TIME_WAIT
        if family == socket.AF_INET6:
            sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
        sock.bind(addr)
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise ServeError("serve_port_busy", host=host, port=port) from None
        raise ServeError("serve_cannot_listen", host=host, port=port, reason=exc.strerror or exc) from None
    return sock


def serve(quiz_path, db_path, host: str = "127.0.0.1", port: int = 8000, bank_root=None, workers: int = 2,
          threads: int = 16, proxy: bool = False, secure_cookies: bool = False, ready=None) -> None:
    """Serve until interrupted (Ctrl-C or SIGTERM: the pool is shut down either way, and serve returns).

    The port is bound first (a busy one is a :class:`ServeError` at once, before the pool starts); the
    socket listens once the application and the code-grading pool are up (so a port that accepts is a server
    that answers), and only then is ``ready(url)`` called, with the port actually bound (``port=0`` picks a
    free one). Another server that began listening on the port meanwhile (SO_REUSEADDR lets two bind it
    while neither listens) is the same ServeError, not a traceback.
    """
    import errno
    import signal
    import sys

    import waitress

    from grader.serve.app import Server, create_app
    sock = listen_socket(host, port)
    server = None
    previous = signal.getsignal(signal.SIGTERM)

    def stop(signum, frame):
        raise KeyboardInterrupt
    # a request crosses several threads (waitress's loop, a request thread, the commit writer): hand the GIL
    # over sooner than the default 5 ms, or each crossing may wait out a CPU-bound thread's interval
    sys.setswitchinterval(SWITCH_SECONDS)
    try:
        signal.signal(signal.SIGTERM, stop)            # a service manager's stop: the same clean end as Ctrl-C
        server = Server(quiz_path, db_path, bank_root, workers)
        app = create_app(server, secure_cookies=secure_cookies or proxy, proxy=proxy)
        server.requeue()
        try:
            wsgi = waitress.create_server(app, sockets=[sock], threads=threads, connection_limit=1000,
                                          channel_timeout=60, max_request_body_size=1024 * 1024, ident="nngrade")
        except OSError as exc:     # waitress listens here: another server took the port while the pool started
            if exc.errno == errno.EADDRINUSE:
                raise ServeError("serve_port_busy", host=host, port=port) from None
            raise
        if ready:
            bound = sock.getsockname()
            shown = f"[{bound[0]}]" if ":" in bound[0] else bound[0]
            ready(f"http://{shown}:{bound[1]}/")
        wsgi.run()
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        sock.close()
        if server is not None and server.jobs:
            server.jobs.close()
