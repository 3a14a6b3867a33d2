"""A quiz file's ``serve:`` settings: attempts, opening and closing times, time limit, feedback.

```yaml
serve:
  attempts: 2                     # submissions allowed (default: unlimited)
  opens: 2026-12-01T09:00:00+08:00  # ISO-8601; without an offset, UTC
  closes: 2026-12-01T11:00:00+08:00
  time_limit: 60                  # minutes per student from their first opening (default: none)
  feedback: after_submit          # immediate (a Check button per formula, number, matrix or choice part, and
                                  # feedback after submitting) | after_submit (default) | after_close | release
```
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import yaml

from grader.messages import ref
from grader.said import SaidError

FEEDBACK = ("immediate", "after_submit", "after_close", "release")
GRACE = 30.0          # seconds after a time limit or closing in which answers and the automatic submission still land


class SettingsError(SaidError, ValueError):
    """Unusable ``serve:`` settings: ``str()`` is English, ``message(lang)`` the instructor's language."""


@dataclass
class Settings:
    attempts: int | None = None
    opens: float | None = None
    closes: float | None = None
    time_limit: float | None = None       # seconds
    feedback: str = "after_submit"

    def deadline(self, started: float | None) -> float | None:
        """When this student's time is up (epoch seconds), or None."""
        ends = [t for t in (self.closes, started + self.time_limit if started and self.time_limit else None) if t]
        return min(ends) if ends else None


def _time(value, key: str) -> float:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        value = dt.datetime(value.year, value.month, value.day)
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            raise SettingsError(ref("settings_time", field=key, got=repr(value))) from None
    if not isinstance(value, dt.datetime):
        raise SettingsError(ref("settings_time", field=key, got=repr(value)))
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.timezone.utc)
    return value.timestamp()


def parse(data) -> Settings:
    if data is None:
        return Settings()
    if not isinstance(data, dict):
        raise SettingsError(ref("settings_mapping", got=repr(data)))
    unknown = set(data) - {"attempts", "opens", "closes", "time_limit", "feedback"}
    if unknown:
        raise SettingsError(ref("settings_unknown", keys=", ".join(sorted(map(str, unknown)))))
    s = Settings()
    if "attempts" in data:
        if not isinstance(data["attempts"], int) or isinstance(data["attempts"], bool) or data["attempts"] < 1:
            raise SettingsError(ref("settings_attempts", got=repr(data["attempts"])))
        s.attempts = data["attempts"]
    for key in ("opens", "closes"):
        if data.get(key) is not None:
            setattr(s, key, _time(data[key], key))
    if data.get("time_limit") is not None:
        limit = data["time_limit"]
        if not isinstance(limit, (int, float)) or isinstance(limit, bool) or limit <= 0:
            raise SettingsError(ref("settings_time_limit", got=repr(limit)))
        s.time_limit = float(limit) * 60
    if "feedback" in data:
        if data["feedback"] not in FEEDBACK:
            raise SettingsError(ref("settings_feedback", choices=", ".join(FEEDBACK), got=repr(data["feedback"])))
        s.feedback = data["feedback"]
    if s.opens and s.closes and s.closes <= s.opens:
        raise SettingsError(ref("settings_order"))
    return s


def advice(s: Settings) -> list[str]:
    """Catalog keys of settings an instructor should know the effect of (said when the server starts).

    Unlimited attempts with feedback before closing let a student submit guesses until the checker says
    they are right: fine for practice, not for a graded exam."""
    if s.attempts is None and s.feedback in ("immediate", "after_submit"):
        return ["serve_advice_oracle"]
    return []


def read(quiz_path) -> Settings:
    with open(quiz_path, encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    return parse(data.get("serve") if isinstance(data, dict) else None)
