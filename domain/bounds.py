"""The bounds every value keeps before the register writes it or answers about it.

A stored event is read by every read model for ever, so it may only hold values they can all take:
dates the calendar arithmetic of deadlines and ladders can move through, texts a database and a
terminal can hold. The commands check each value against what it means (a decision is a fact and
cannot lie in the future; a withdrawal may be scheduled); ``check_event`` is the last line before
any event is recorded, whatever command made it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from domain.clock import business_date
from domain.errors import InvalidInputError
from norms.reading import MAX_EXPONENT
from norms.text import clean_text, text_problem

#: the first business date the register records or answers about (the PSO began in 2011)
FIRST_DAY = dt.date(2000, 1, 1)
#: the last business date a command may name or a question may ask about
LAST_DAY = dt.date(2100, 12, 31)
#: what a stored event may hold at all: wider than the commands' bounds, because dates derived
#: from a fact (a validity, an expiry) run on past it, but far from the calendar's end
STORED_FIRST, STORED_LAST = dt.date(1900, 1, 1), dt.date(2199, 12, 31)
#: the longest text a stored event may hold, and how deep its documents may nest
STORED_TEXT = 20_000
STORED_DEPTH = 8

NAME_LENGTH = 200
PLACE_LENGTH = 100
REASON_LENGTH = 2000
SUMMARY_LENGTH = 4000
#: one certificate covers the main applicant and at most this many subsidiaries
MAX_SUBSIDIARIES = 200
FINDING_LENGTH = 2200  # a criterion, a verdict and a note of up to 2000 characters


def fact_day(day: dt.date, field: str, now: dt.datetime) -> dt.date:
    """A day on which something happened: from FIRST_DAY up to today (Dutch date of ``now``)."""
    today = business_date(now)
    if day > today:
        msg = f"{field}: {day} lies in the future (today is {today}); a fact cannot be dated later"
        raise InvalidInputError(msg)
    return _within(day, field, FIRST_DAY, today)


def scheduled_day(day: dt.date, field: str) -> dt.date:
    """A day from which something takes effect, possibly in the future: FIRST_DAY to LAST_DAY."""
    return _within(day, field, FIRST_DAY, LAST_DAY)


query_day = scheduled_day  # a day asked about has the same bounds as a day something may happen
#: the longest period one coverage question may span (a tender runs a few years, not decades)
MAX_PERIOD_DAYS = 366 * 20


def period(start: dt.date, end: dt.date) -> tuple[dt.date, dt.date]:
    """A period asked about, ``from`` to ``to`` inclusive: in bounds, in order, not too long."""
    query_day(start, "from")
    query_day(end, "to")
    if end < start:
        raise InvalidInputError(f"to: {end} lies before from: {start}")
    if (end - start).days > MAX_PERIOD_DAYS:
        raise InvalidInputError(f"to: a period covers at most {MAX_PERIOD_DAYS} days")
    return start, end


def asked(on: dt.date, as_known_at: dt.datetime | None) -> tuple[dt.date, dt.datetime | None]:
    """The day and the moment of a position question, checked (the moment in UTC)."""
    query_day(on, "on")
    return on, (None if as_known_at is None else moment(as_known_at, "as_known_at"))


def moment(value: dt.datetime, field: str) -> dt.datetime:
    """A moment asked about (``as_known_at``): aware (naive counts as UTC), in UTC, within bounds.

    The year is checked before the conversion, so 0001-01-01T00:00+01:00 is refused by name instead
    of overflowing the calendar.
    """
    if not FIRST_DAY.year <= value.year <= LAST_DAY.year:
        msg = f"{field}: {value.isoformat()} lies outside {FIRST_DAY} to {LAST_DAY}"
        raise InvalidInputError(msg)
    return (value if value.tzinfo else value.replace(tzinfo=dt.UTC)).astimezone(dt.UTC)


def text(value: object, field: str, max_length: int, *, multiline: bool = False) -> str:
    """A text as stored: cleaned (NFC, trimmed) and printable, within its column's length."""
    if not isinstance(value, str):
        msg = f"{field}: must be a text, got {type(value).__name__}"
        raise InvalidInputError(msg)
    cleaned = clean_text(value)
    problem = text_problem(cleaned, max_length, multiline=multiline)
    if problem:
        raise InvalidInputError(f"{field}: {problem}")
    return cleaned


def optional_text(value: str | None, field: str, max_length: int) -> str:
    """A multi-line text that may be left empty (a summary, a note)."""
    if value is None or not value.strip():
        return ""
    return text(value, field, max_length, multiline=True)


def search_text(value: str | None, field: str, max_length: int = PLACE_LENGTH) -> str | None:
    """A search term: None when left empty, else printable text (``%00`` is refused by name)."""
    if value is None or not value.strip():
        return None
    return text(value, field, max_length)


def check_event(event_class: type[Any], fields: Mapping[str, Any]) -> None:
    """Refuse an event holding a value no read model could take (whatever command made it)."""
    for name, value in fields.items():
        _check_stored(value, f"{event_class.__name__}.{name}", 0)


def _check_stored(value: Any, path: str, depth: int) -> None:
    if depth > STORED_DEPTH:
        raise InvalidInputError(f"{path}: nested more than {STORED_DEPTH} levels deep")
    problem = _stored_problem(value)
    if problem:
        raise InvalidInputError(f"{path}: {problem}")
    if isinstance(value, Mapping):
        children = [(f"{path}.{k}", part) for k, v in value.items() for part in (k, v)]
    elif isinstance(value, list | tuple | set | frozenset):
        children = [(f"{path}[{i}]", item) for i, item in enumerate(value)]
    elif hasattr(value, "__dataclass_fields__"):
        children = [(f"{path}.{n}", getattr(value, n)) for n in value.__dataclass_fields__]
    else:
        return
    for child_path, child in children:
        _check_stored(child, child_path, depth + 1)


def _stored_problem(value: Any) -> str | None:
    """What makes a single value unstorable, or None."""
    if isinstance(value, dt.datetime):
        aware = value.tzinfo is not None
        return None if aware and STORED_FIRST <= value.date() <= STORED_LAST else "not a moment"
    if isinstance(value, dt.date):
        return None if STORED_FIRST <= value <= STORED_LAST else f"{value} is out of range"
    if isinstance(value, str):
        return text_problem(value, STORED_TEXT, multiline=True) if value else None
    if isinstance(value, Decimal):
        finite = value.is_finite() and abs(value.adjusted()) <= MAX_EXPONENT
        return None if finite else f"{value} is out of range"
    return None


def _within(day: dt.date, field: str, first: dt.date, last: dt.date) -> dt.date:
    if not first <= day <= last:
        msg = f"{field}: {day} lies outside {first} to {last}"
        raise InvalidInputError(msg)
    return day
