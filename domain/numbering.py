"""Certificate numbers (``PSO-2026-000123``): one counter per year, never reused."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING
from uuid import UUID

from domain.aggregate import AggregateCreated, PsoAggregate, stable_id
from domain.values import Cause


def numbering_id(year: int) -> UUID:
    """The id of the counter of one year."""
    return stable_id("certificate-numbers", str(year))


class CertificateNumbers(PsoAggregate):
    """The numbers handed out in one year; concurrent issuers conflict instead of colliding."""

    TOPIC = "pso.numbering.CertificateNumbers"

    class Opened(PsoAggregate.Event, AggregateCreated):
        """The counter of a year was opened."""

        TOPIC = "pso.numbering.Opened.v1"
        year: int

        def apply(self, numbers: CertificateNumbers) -> None:
            """Start at zero."""
            numbers.year = self.year
            numbers.last = 0

    class NumberIssued(PsoAggregate.Event):
        """The next number was handed out."""

        TOPIC = "pso.numbering.NumberIssued.v1"
        sequence: int

        def apply(self, numbers: CertificateNumbers) -> None:
            """Move the counter."""
            numbers.last = self.sequence

    if TYPE_CHECKING:  # state set by the events' apply methods, typed for mypy
        year: int
        last: int

    @classmethod
    def open(cls, year: int, now: dt.datetime, cause: Cause) -> CertificateNumbers:
        """Open the counter of a year."""
        return cls._create(cls.Opened, id=numbering_id(year), timestamp=now, cause=cause, year=year)

    def reserve(self, sequence: int, now: dt.datetime, cause: Cause) -> None:
        """Move the counter past an imported number, so it is never handed out again."""
        if sequence > self.last:
            self._trigger(self.NumberIssued, now, cause, sequence=sequence)

    def next_number(self, now: dt.datetime, cause: Cause) -> str:
        """Hand out the next number of this year."""
        self._trigger(self.NumberIssued, now, cause, sequence=self.last + 1)
        return f"PSO-{self.year}-{self.last:06d}"
