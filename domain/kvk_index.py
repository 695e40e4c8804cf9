"""Which organisation covers a KvK number: unique by construction (one aggregate per number)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any
from uuid import UUID

from domain.aggregate import AggregateCreated, PsoAggregate, stable_id
from domain.values import Cause


def kvk_index_id(kvk: str) -> UUID:
    """The id of the index entry of one KvK number."""
    return stable_id("kvk", kvk)


class KvkIndex(PsoAggregate):
    """A KvK number (main applicant or subsidiary) and the organisation that covers it."""

    TOPIC = "pso.kvk_index.KvkIndex"

    class Claimed(PsoAggregate.Event, AggregateCreated):
        """The KvK number was first covered by an organisation."""

        TOPIC = "pso.kvk_index.Claimed.v1"
        kvk: str
        organisation_id: UUID

        def apply(self, index: KvkIndex) -> None:
            """Point the number at the organisation."""
            index.kvk = self.kvk
            index.organisation_id = self.organisation_id

    class Released(PsoAggregate.Event):
        """The KvK number is no longer covered by any organisation."""

        TOPIC = "pso.kvk_index.Released.v1"

        def apply(self, index: KvkIndex) -> None:
            """Point the number at nothing."""
            index.organisation_id = None

    class Reclaimed(PsoAggregate.Event):
        """A released KvK number is covered again."""

        TOPIC = "pso.kvk_index.Reclaimed.v1"
        organisation_id: UUID

        def apply(self, index: KvkIndex) -> None:
            """Point the number at the organisation."""
            index.organisation_id = self.organisation_id

    if TYPE_CHECKING:  # state set by the events' apply methods, typed for mypy
        kvk: str
        organisation_id: UUID | None

    @classmethod
    def claim(cls, kvk: str, organisation_id: UUID, now: dt.datetime, cause: Cause) -> KvkIndex:
        """A new index entry; a second claim of the same number conflicts when saved."""
        return cls._create(
            cls.Claimed,
            id=kvk_index_id(kvk),
            timestamp=now,
            cause=cause,
            kvk=kvk,
            organisation_id=organisation_id,
        )

    def release(self, now: dt.datetime, cause: Cause) -> None:
        """The number is no longer covered."""
        self._trigger(self.Released, now, cause)

    def reclaim(self, organisation_id: UUID, now: dt.datetime, cause: Cause) -> None:
        """Cover a released number again."""
        self._trigger(self.Reclaimed, now, cause, organisation_id=organisation_id)


def events_concerning(events: Iterable[Any], organisation_id: UUID) -> list[Any]:
    """The events of one number's entry that concern an organisation: each claim of the number
    for it and the release of that claim (a number may move to another organisation later)."""
    concerning, holder = [], None
    for event in events:
        after = getattr(event, "organisation_id", None)  # a release points at nothing
        if organisation_id in (holder, after):
            concerning.append(event)
        holder = after
    return concerning
