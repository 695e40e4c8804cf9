"""Calendar arithmetic on Dutch business dates (no clock, no time zones: plain dates)."""

from __future__ import annotations

import calendar
import datetime as dt


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


def dutch_public_holidays(year: int) -> frozenset[dt.date]:
    """National public holidays; Liberation Day only in lustrum years (as most CAOs count it)."""
    easter = easter_sunday(year)
    kings_day = dt.date(year, 4, 27)
    if kings_day.weekday() == calendar.SUNDAY:
        kings_day = dt.date(year, 4, 26)
    days = {
        dt.date(year, 1, 1),
        easter + dt.timedelta(days=1),
        kings_day,
        easter + dt.timedelta(days=39),
        easter + dt.timedelta(days=50),
        dt.date(year, 12, 25),
        dt.date(year, 12, 26),
    }
    if year % 5 == 0:
        days.add(dt.date(year, 5, 5))
    return frozenset(days)


def is_working_day(day: dt.date) -> bool:
    """Monday to Friday, not a Dutch public holiday."""
    return day.weekday() < calendar.SATURDAY and day not in dutch_public_holidays(day.year)


def add_working_days(day: dt.date, count: int) -> dt.date:
    """The working day that lies ``count`` working days after ``day``."""
    current = day
    remaining = count
    while remaining > 0:
        current += dt.timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current
