"""``nngrade serve``: students answer in the browser with a live preview; the instructor watches and reviews.

:func:`serve` runs the application (``grader/serve/app.py``) with waitress on one machine, on the
course's SQLite gradebook; :func:`roster_links` issues the secret links. See README, "Serving a quiz".
"""
from __future__ import annotations

import csv
import io
from pathlib import Path

from grader.serve.store import INSTRUCTOR

__all__ = ["INSTRUCTOR", "RosterError", "read_roster", "roster_links", "serve"]
MAX_ID = 100


class RosterError(ValueError):
    pass


def read_roster(path: Path) -> list[str]:
    """The student ids of a roster CSV (its first column; a header row ``student``/``id`` is skipped)."""
    try:
        raw = Path(path).read_bytes()[: 10 * 1024 * 1024].decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise RosterError(f"{path}: cannot be read as UTF-8 CSV: {exc}") from None
    ids, problems = [], []
    for n, row in enumerate(csv.reader(io.StringIO(raw)), 1):
        if not row or not row[0].strip():
            continue
        sid = row[0].strip()
        if n == 1 and sid.lower() in ("student", "id", "student_id", "login", "github_username"):
            continue
        if len(sid) > MAX_ID or any(ord(c) < 32 or ord(c) == 127 for c in sid) or sid == INSTRUCTOR:
            problems.append(f"line {n}: {sid[:40]!r} is not a usable student id")
        elif sid in ids:
            problems.append(f"line {n}: {sid!r} appears twice")
        else:
            ids.append(sid)
    if problems:
        raise RosterError(f"{path}: " + "; ".join(problems))
    if not ids:
        raise RosterError(f"{path}: no student ids in the first column")
    return ids


def roster_links(quiz_path, roster: Path, db_path, base_url: str, bank_root=None) -> list[tuple[str, str]]:
    from grader.serve.app import make_links
    return make_links(quiz_path, read_roster(roster), db_path, base_url, bank_root)


def serve(quiz_path, db_path, host: str = "127.0.0.1", port: int = 8000, bank_root=None, workers: int = 2,
          threads: int = 16, proxy: bool = False, secure_cookies: bool = False, ready=None) -> None:
    """Serve until interrupted. ``ready(server)`` is called once the socket listens."""
    import waitress
    from grader.serve.app import Server, create_app
    server = Server(quiz_path, db_path, bank_root, workers)
    app = create_app(server, secure_cookies=secure_cookies or proxy, proxy=proxy)
    server.requeue()
    wsgi = waitress.create_server(app, host=host, port=port, threads=threads, connection_limit=1000,
                                  channel_timeout=60, max_request_body_size=1024 * 1024, ident="nngrade")
    if ready:
        ready(wsgi)
    try:
        wsgi.run()
    finally:
        if server.jobs:
            server.jobs.close()
