"""The one clock of the system: real UTC in production, a settable clock in tests and simulation."""

from __future__ import annotations

import datetime as dt
from typing import Protocol
from zoneinfo import ZoneInfo

NETHERLANDS = ZoneInfo("Europe/Amsterdam")


class Clock(Protocol):
    """Tells the current moment as an aware UTC datetime."""

    def now(self) -> dt.datetime:
        """The current moment, in UTC."""
        ...


class SystemClock:
    """The real clock."""

    def now(self) -> dt.datetime:
        """The current moment, in UTC."""
        return dt.datetime.now(dt.UTC)


class SimulatedClock:
    """A clock that only moves when told to; for tests and ``pso simulate``."""

    def __init__(self, start: dt.datetime) -> None:
        if start.tzinfo is None:
            msg = "a simulated clock needs an aware datetime"
            raise ValueError(msg)
        self._now = start.astimezone(dt.UTC)

    def now(self) -> dt.datetime:
        """The simulated moment, in UTC."""
        return self._now

    def advance(self, delta: dt.timedelta) -> None:
        """Move the clock forward (never backward)."""
        if delta < dt.timedelta(0):
            msg = "a clock never runs backward"
            raise ValueError(msg)
        self._now += delta


def business_date(instant: dt.datetime) -> dt.date:
    """The Dutch calendar date (Europe/Amsterdam) of a moment."""
    return instant.astimezone(NETHERLANDS).date()
