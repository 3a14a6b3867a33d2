"""Rate limits: a token bucket per (student or address, kind of request), in memory.

A bucket holds ``burst`` tokens and refills at ``rate`` per second; a request that finds it empty
gets 429 with the seconds to wait. Buckets are per server process (``nngrade serve`` is one).
"""
from __future__ import annotations

import threading
import time

# kind: (rate per second, burst)
DEFAULTS = {
    "login": (0.2, 10),          # link openings per client address that name no live link
    "enter": (1.0, 30),          # openings of one person's live link (each stores a session)
    "preview": (20.0, 60),
    "save": (10.0, 60),
    "submit": (0.2, 5),
    "check": (1.0, 10),          # feedback: immediate, one part checked at once
    "run": (0.1, 3),             # code runs of visible tests
    "instructor": (20.0, 100),
}
MAX_KEYS = 100_000


class Limiter:
    def __init__(self, limits: dict | None = None):
        self.limits = {**DEFAULTS, **(limits or {})}
        self.buckets: dict[tuple[str, str], tuple[float, float]] = {}
        self.lock = threading.Lock()

    def take(self, kind: str, who: str) -> float:
        """0 when allowed (one token taken), else the seconds until a token is there."""
        rate, burst = self.limits[kind]
        now = time.monotonic()
        with self.lock:
            tokens, at = self.buckets.get((kind, who), (float(burst), now))
            tokens = min(float(burst), tokens + (now - at) * rate)
            if tokens >= 1.0:
                self.buckets[(kind, who)] = (tokens - 1.0, now)
                return 0.0
            self.buckets[(kind, who)] = (tokens, now)
            if len(self.buckets) > MAX_KEYS:          # forged addresses cannot grow memory without bound
                self.buckets.clear()
            return (1.0 - tokens) / rate if rate > 0 else 3600.0
