"""When is a known article due for a refetch? The decaying schedule, as pure functions.

An article first seen ``age`` ago is refetched every ``clamp(age * factor, min, max)``:
young stories (which still get edited, retitled, corrected) often, old ones rarely, and not at
all once older than ``stop_after`` (0 disables the stop). With the defaults (15 min, 0.25,
7 days, 30 days) an article is rechecked every 15 minutes during its first hour, hourly when
it is 4 hours old, every 6 hours at one day, daily at four days, weekly after four weeks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from newsspider import settings as defaults  # each default: settings.py

_DURATION_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhdw]?)\s*$", re.IGNORECASE)
_UNIT_SECONDS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}


def parse_duration(value: str | float | int | timedelta) -> timedelta:
    """``"15m"``, ``"1h"``, ``"2d"``, ``"90"`` (seconds), ``90`` -> timedelta.

    >>> parse_duration("90m")
    datetime.timedelta(seconds=5400)
    """
    if isinstance(value, timedelta):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if value < 0:
            raise ValueError(f"duration {value!r} is negative; give e.g. 15m, 1h, 2d or seconds")
        return timedelta(seconds=float(value))
    match = _DURATION_RE.match(str(value))
    if not match:
        raise ValueError(
            f"cannot read the duration {value!r}; give a number with a unit: 30s, 15m, 1h, 2d, 1w"
        )
    number, unit = match.groups()
    return timedelta(seconds=float(number) * _UNIT_SECONDS[unit.lower()])


@dataclass(frozen=True)
class DecaySchedule:
    min_interval: timedelta = timedelta(minutes=15)  # refetch interval of a brand-new article
    max_interval: timedelta = timedelta(days=7)  # the interval never grows beyond this
    age_factor: float = 0.25  # interval = age * factor, between min and max
    stop_after: timedelta = timedelta(days=30)  # older articles are never refetched; 0 = no stop
    slack: float = 0.1  # a run up to 10% early still counts as due (schedules jitter)

    @classmethod
    def from_settings(cls, settings: Any) -> DecaySchedule:
        return cls(
            min_interval=parse_duration(
                settings.get(
                    "NEWSSPIDER_REFETCH_MIN_INTERVAL", defaults.NEWSSPIDER_REFETCH_MIN_INTERVAL
                )
            ),
            max_interval=parse_duration(
                settings.get(
                    "NEWSSPIDER_REFETCH_MAX_INTERVAL", defaults.NEWSSPIDER_REFETCH_MAX_INTERVAL
                )
            ),
            age_factor=settings.getfloat(
                "NEWSSPIDER_REFETCH_AGE_FACTOR", defaults.NEWSSPIDER_REFETCH_AGE_FACTOR
            ),
            stop_after=parse_duration(
                settings.get(
                    "NEWSSPIDER_REFETCH_STOP_AFTER", defaults.NEWSSPIDER_REFETCH_STOP_AFTER
                )
            ),
            slack=settings.getfloat("NEWSSPIDER_REFETCH_SLACK", defaults.NEWSSPIDER_REFETCH_SLACK),
        )

    def interval(self, age: timedelta) -> timedelta | None:
        """Time between two fetches of an article of this age; None: never refetch."""
        if self.stop_after and age > self.stop_after:
            return None
        age = max(age, timedelta(0))
        return min(max(age * self.age_factor, self.min_interval), self.max_interval)

    def is_due(self, first_seen: datetime, last_fetch: datetime | None, now: datetime) -> bool:
        """Should an article first seen at ``first_seen`` and last fetched at ``last_fetch``
        be fetched again at ``now``?"""
        if last_fetch is None:
            return True
        interval = self.interval(now - first_seen)
        if interval is None:
            return False
        return now - last_fetch >= interval * (1 - self.slack)
