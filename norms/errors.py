"""Errors raised by the scheme rules, each with a message a member of staff understands."""

from __future__ import annotations

from dataclasses import dataclass


class NormsError(Exception):
    """Base class of every error raised by norms/."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a document, at a path such as ``persons[2].fte``."""

    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


class InvalidDocumentError(NormsError):
    """A declaration or scheme document breaks one or more rules; nothing was computed."""

    def __init__(self, what: str, problems: list[Problem]) -> None:
        self.what = what
        self.problems = tuple(problems)
        listed = "; ".join(str(p) for p in problems)
        super().__init__(f"invalid {what}: {listed}")


class DeclarationError(InvalidDocumentError):
    """The declaration (opgave) is not valid."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("declaration", problems)


class HandbookError(InvalidDocumentError):
    """A handbook version document is not valid."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("handbook version", problems)


class NoVersionInForceError(NormsError):
    """No known handbook version (or contribution schedule) was in force on the day asked."""


class UnknownVersionError(NormsError):
    """The handbook version named is not known."""


class NotEligibleError(NormsError):
    """The organisation cannot be assessed under the scheme (too small, SW company, ...)."""
