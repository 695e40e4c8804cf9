"""Where a scheme value comes from: published by PSO-Nederland or TNO, or provisional (assumed)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, Literal, TypeVar

T = TypeVar("T")

Status = Literal["published", "provisional"]


@dataclass(frozen=True)
class Provenance:
    """Published with a citation, or provisional with the reason it is assumed."""

    status: Status
    source: str | None = None
    note: str | None = None

    @classmethod
    def published(cls, source: str) -> Provenance:
        """A value PSO-Nederland or TNO published, with where it was published."""
        return cls("published", source=source)

    @classmethod
    def provisional(cls, note: str) -> Provenance:
        """An assumption of this project, replaceable by publishing a corrected version."""
        return cls("provisional", note=note)

    @property
    def is_provisional(self) -> bool:
        """True when the value is an assumption, never to be presented as official."""
        return self.status == "provisional"

    @property
    def mark(self) -> str:
        """A short mark for tables: ``P`` published, ``A`` assumed."""
        return "A" if self.is_provisional else "P"


@dataclass(frozen=True)
class Sourced(Generic[T]):
    """A scheme value together with its provenance."""

    value: T
    provenance: Provenance
