"""grader.timeouts.deadline: a check's time bound (one timer and handler per block, the previous put back)."""
from __future__ import annotations

import signal
import threading
import time

import pytest

from grader.errors import CheckTimeout
from grader.timeouts import deadline


def _spin(seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        pass


def test_a_block_that_runs_over_is_stopped_and_the_previous_handler_is_back():
    def mine(signum, frame):
        raise AssertionError("not mine to fire")
    before = signal.signal(signal.SIGALRM, mine)
    try:
        with pytest.raises(CheckTimeout):
            with deadline(0.05):
                _spin(5)
        assert signal.getsignal(signal.SIGALRM) is mine
        assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)       # no timer left armed
    finally:
        signal.signal(signal.SIGALRM, before)


def test_a_block_that_ends_in_time_or_raises_leaves_nothing_behind():
    before = signal.getsignal(signal.SIGALRM)
    with deadline(5):
        pass
    with pytest.raises(ZeroDivisionError):                 # the block's own exception is never swallowed
        with deadline(5):
            1 / 0
    assert signal.getsignal(signal.SIGALRM) == before
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_outside_the_main_thread_the_block_runs_unbounded():
    seen = []

    def work():
        with deadline(0.01):
            _spin(0.05)
        seen.append("done")
    t = threading.Thread(target=work)
    t.start()
    t.join()
    assert seen == ["done"]
