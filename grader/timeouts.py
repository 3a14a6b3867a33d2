"""A time bound for one check, so that no answer can hang the grader."""
from __future__ import annotations

import signal
import threading

from grader.errors import CheckTimeout

try:        # the C function behind signal.signal: the same handler set and returned, without signal.signal's
    # conversion of the returned handler to an enum, which raises and catches a ValueError for every
    # Python handler (about 10 µs a call, twice a check)
    from _signal import signal as _set_handler  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover - other Python implementations
    _set_handler = signal.signal

_USABLE = hasattr(signal, "setitimer")


class deadline:
    """Raise :class:`CheckTimeout` in the block after ``seconds`` (main thread, Unix).

    Elsewhere (worker threads, Windows) the block runs unbounded; the formula
    engine's own limits on size and nesting still hold there. Every block gets its own
    timer and handler, and the previous handler is put back after it.
    """

    __slots__ = ("armed", "previous", "seconds")

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.armed = False
        self.previous = None

    def _expire(self, signum, frame):
        raise CheckTimeout(f"check exceeded {self.seconds} s")

    def __enter__(self):
        if _USABLE and self.seconds > 0 and threading.current_thread() is threading.main_thread():
            self.previous = _set_handler(signal.SIGALRM, self._expire)
            self.armed = True
            signal.setitimer(signal.ITIMER_REAL, self.seconds)
        return self

    def __exit__(self, *exc) -> None:       # never swallows the block's exception
        if self.armed:
            self.armed = False
            signal.setitimer(signal.ITIMER_REAL, 0)
            _set_handler(signal.SIGALRM, self.previous)
