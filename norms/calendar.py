"""Calendar arithmetic on Dutch business dates (no clock, no time zones: plain dates)."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from norms.provenance import Sourced


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, clipped to the month's last day (31 Jan + 1 = 28/29 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def add_years(day: dt.date, years: int) -> dt.date:
    """The same day ``years`` later; 29 February becomes 28 February in a common year."""
    return add_months(day, 12 * years)


def days_between(start: dt.date, end: dt.date) -> int:
    """Days in the half-open range [start, end), zero when end is not after start."""
    return max((end - start).days, 0)


def easter_sunday(year: int) -> dt.date:
    """Easter Sunday (anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    w = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * w) // 451
    month, day = divmod(h + w - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


def _kings_day(year: int) -> dt.date:
    """27 April, or 26 April when the 27th is a Sunday."""
    day = dt.date(year, 4, 27)
    return dt.date(year, 4, 26) if day.weekday() == calendar.SUNDAY else day


#: every holiday a handbook's calendar may name: the day it falls on in a year, or None
HOLIDAYS: dict[str, Callable[[int], dt.date | None]] = {
    "new_years_day": lambda year: dt.date(year, 1, 1),
    "good_friday": lambda year: easter_sunday(year) - dt.timedelta(days=2),
    "easter_monday": lambda year: easter_sunday(year) + dt.timedelta(days=1),
    "kings_day": _kings_day,
    "liberation_day": lambda year: dt.date(year, 5, 5),
    "liberation_day_lustrum": lambda year: dt.date(year, 5, 5) if year % 5 == 0 else None,
    "ascension_day": lambda year: easter_sunday(year) + dt.timedelta(days=39),
    "whit_monday": lambda year: easter_sunday(year) + dt.timedelta(days=50),
    "christmas_day": lambda year: dt.date(year, 12, 25),
    "boxing_day": lambda year: dt.date(year, 12, 26),
}


@dataclass(frozen=True)
class WorkingDays:
    """The working-day calendar of a handbook version: Monday to Friday without its holidays."""

    holidays: Sourced[tuple[str, ...]]

    def holidays_in(self, year: int) -> frozenset[dt.date]:
        """The days of the year that are not working days although they fall on a weekday."""
        days = (HOLIDAYS[name](year) for name in self.holidays.value)
        return frozenset(day for day in days if day is not None)

    def is_working_day(self, day: dt.date) -> bool:
        """Monday to Friday, not one of the calendar's holidays."""
        return day.weekday() < calendar.SATURDAY and day not in self.holidays_in(day.year)

    def add(self, day: dt.date, count: int) -> dt.date:
        """The working day that lies ``count`` working days after ``day``."""
        current = day
        remaining = count
        while remaining > 0:
            current += dt.timedelta(days=1)
            if self.is_working_day(current):
                remaining -= 1
        return current
