"""A time bound for one check, so that no answer can hang the grader."""
from __future__ import annotations

import signal
import threading
from contextlib import contextmanager

from grader.errors import CheckTimeout


@contextmanager
def deadline(seconds: float):
    """Raise :class:`CheckTimeout` in the block after ``seconds`` (main thread, Unix).

    Elsewhere (worker threads, Windows) the block runs unbounded; the formula
    engine's own limits on size and nesting still hold there.
    """
    usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable or seconds <= 0:
        yield
        return

    def expire(signum, frame):
        raise CheckTimeout(f"check exceeded {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
