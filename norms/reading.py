"""A small reader for JSON/TOML documents that collects every problem with its field path."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Collection, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

from norms.errors import Problem
from norms.provenance import Provenance, Sourced
from norms.text import text_problem

T = TypeVar("T")
#: a decimal is read from at most this many characters, with an exponent of at most MAX_EXPONENT:
#: "1e999999" would otherwise be accepted and cost minutes in every later calculation
#: a day as documents write it: ``date.fromisoformat`` alone would also take 20250101 or 2025-W01-1
ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
MAX_DECIMAL_CHARS = 40
MAX_EXPONENT = 15
#: the longest text a document may hold in one field (a provenance note, a reference)
MAX_TEXT = 2000


class UnreadableError(Exception):
    """Raised inside a reader when a value could not be read; its problem is already recorded."""


class DocumentReader:
    """Reads typed values out of nested mappings and records problems by path."""

    def __init__(self, sources: Mapping[str, str] | None = None) -> None:
        self.problems: list[Problem] = []
        self._sources = sources or {}

    def fail(self, path: str, message: str) -> UnreadableError:
        """Record a problem and return the exception that aborts reading this value."""
        self.problems.append(Problem(path, message))
        return UnreadableError(path)

    def field(self, doc: Mapping[str, Any], key: str, path: str) -> Any:
        """The raw value of a required key."""
        if not isinstance(doc, Mapping):
            raise self.fail(path, "must be an object")
        if key not in doc:
            raise self.fail(_join(path, key), "is required")
        return doc[key]

    def mapping(self, value: Any, path: str) -> Mapping[str, Any]:
        """The value as an object."""
        if not isinstance(value, Mapping):
            raise self.fail(path, "must be an object")
        return value

    def items(self, value: Any, path: str) -> list[Any]:
        """The value as a list."""
        if not isinstance(value, list | tuple):
            raise self.fail(path, "must be a list")
        return list(value)

    def text(self, value: Any, path: str) -> str:
        """A non-empty, printable string (see norms/text.py) of at most MAX_TEXT characters."""
        if not isinstance(value, str) or not value.strip():
            raise self.fail(path, "must be a non-empty text")
        problem = text_problem(value, MAX_TEXT, multiline=True)
        if problem:
            raise self.fail(path, problem)
        return value

    def boolean(self, value: Any, path: str) -> bool:
        """A JSON boolean (not 0/1, not "yes")."""
        if not isinstance(value, bool):
            raise self.fail(path, f"must be true or false, got {value!r}")
        return value

    def integer(self, value: Any, path: str) -> int:
        """A whole number."""
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(path, f"must be a whole number, got {value!r}")
        return value

    def decimal(self, value: Any, path: str) -> Decimal:
        """A finite number given as a JSON number or a decimal string; never a binary float."""
        if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
            raise self.fail(path, f"must be a number or a decimal string, got {_short(value)}")
        too_long = isinstance(value, int) and value.bit_length() > 4 * MAX_DECIMAL_CHARS
        written = "" if too_long else str(value).strip()
        if too_long or len(written) > MAX_DECIMAL_CHARS:
            raise self.fail(path, f"must be written in at most {MAX_DECIMAL_CHARS} characters")
        try:
            number = Decimal(written)
        except InvalidOperation:
            raise self.fail(path, f"must be a number or a decimal string, got {value!r}") from None
        if not number.is_finite():
            raise self.fail(path, f"must be a finite number, got {value!r}")
        if number and abs(number.adjusted()) > MAX_EXPONENT:
            raise self.fail(path, f"must lie between 1e-{MAX_EXPONENT} and 1e{MAX_EXPONENT}")
        return number

    def date(self, value: Any, path: str) -> dt.date:
        """A calendar date, ``YYYY-MM-DD``."""
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return value
        if isinstance(value, str) and ISO_DAY.fullmatch(value):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
        raise self.fail(path, f"must be a date YYYY-MM-DD, got {_short(value)}")

    def choice(self, value: Any, path: str, allowed: Collection[str]) -> str:
        """One of the allowed names."""
        if not isinstance(value, str) or value not in allowed:
            names = ", ".join(sorted(allowed))
            raise self.fail(path, f"unknown value {value!r}; expected one of: {names}")
        return value

    def sourced(
        self, doc: Mapping[str, Any], key: str, path: str, parse: Callable[[Any, str], T]
    ) -> Sourced[T]:
        """A ``{value, source|provisional}`` leaf, parsed by ``parse``."""
        here = _join(path, key)
        leaf = self.mapping(self.field(doc, key, path), here)
        value = parse(self.field(leaf, "value", here), _join(here, "value"))
        return Sourced(value, self.provenance(leaf, here))

    def provenance(self, leaf: Mapping[str, Any], path: str) -> Provenance:
        """Published with a source, or provisional with a reason; exactly one of the two."""
        has_source, has_note = "source" in leaf, "provisional" in leaf
        if has_source == has_note:
            raise self.fail(path, "needs exactly one of 'source' (published) or 'provisional'")
        if has_source:
            source = self.text(leaf["source"], _join(path, "source"))
            return Provenance.published(self._sources.get(source, source))
        return Provenance.provisional(self.text(leaf["provisional"], _join(path, "provisional")))

    def unknown_keys(self, doc: Mapping[str, Any], allowed: set[str], path: str) -> None:
        """Record a problem for every key the document may not have."""
        for key in sorted(set(doc) - allowed):
            self.problems.append(Problem(_join(path, key), "is not a known field"))


def _short(value: Any) -> str:
    """A value as quoted in a problem, cut short (a problem never repeats a whole document)."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key
