"""An organisation's full timeline, and folding events up to a moment (what was known then)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from domain.aggregate import PsoAggregate
from domain.values import Cause

BASE_FIELDS = {"originator_id", "originator_version", "timestamp", "originator_topic", "cause"}
#: facts too large for a timeline; the application's own reads show them
BULKY_FIELDS = {"assessment", "declaration"}

_COUNTER = (
    "the register's certificate counter of a year; the certificate's Issued event carries the "
    "number"
)
_SCHEME = (
    "scheme data of the whole register, not of one organisation; each application records the "
    "handbook version it is assessed under"
)
_STATEMENT = (
    "an answer the register gave about an organisation (a signed statement), not a fact of its "
    "story; the statement itself is at /api/v1/statements/{id}"
)
_KEYS = "the register's own signing keys, not of one organisation"
#: Stored event topics that are no part of any organisation's story, and why. Every other event
#: topic appears in the timeline of the organisation it concerns (tests/integration/
#: test_timeline.py walks every stored topic).
NOT_IN_AN_ORGANISATIONS_TIMELINE: Mapping[str, str] = {
    "pso.numbering.Opened.v1": _COUNTER,
    "pso.numbering.NumberIssued.v1": _COUNTER,
    "pso.scheme_rules.Started.v1": _SCHEME,
    "pso.scheme_rules.VersionPublished.v1": _SCHEME,
    "pso.statement.Issued.v1": _STATEMENT,
    "pso.statement_keys.Started.v1": _KEYS,
    "pso.statement_keys.KeyPublished.v1": _KEYS,
    "pso.idempotency.Recorded.v1": (
        "bookkeeping of a retried request (its key and first answer); the events of the command "
        "itself are in the timeline"
    ),
}


@dataclass(frozen=True)
class TimelineEntry:
    """One event as a dispute needs it: when recorded, what, effective when, by whom, why."""

    recorded_at: dt.datetime
    position: int
    event: str
    aggregate_id: str
    version: int
    cause: Cause
    facts: dict[str, Any]

    @property
    def effective_dates(self) -> dict[str, dt.date]:
        """The business dates among the facts (effective, decision, filing, due dates...)."""
        return {
            name: value
            for name, value in self.facts.items()
            if isinstance(value, dt.date) and not isinstance(value, dt.datetime)
        }

    def to_document(self) -> dict[str, Any]:
        """JSON form (dates as ISO text)."""
        return {
            "recorded_at": self.recorded_at.isoformat(),
            "position": self.position,
            "event": self.event,
            "aggregate_id": self.aggregate_id,
            "version": self.version,
            "effective_dates": _jsonable(self.effective_dates),
            "actor_id": self.cause.actor_id,
            "actor_role": self.cause.actor_role.value,
            "actor_ci": self.cause.actor_ci,
            "correlation_id": self.cause.correlation_id,
            "reason": self.cause.reason,
            "facts": _jsonable(self.facts),
        }


def timeline_entries(
    events: Iterable[Any], positions: Mapping[tuple[UUID, int], int]
) -> list[TimelineEntry]:
    """Timeline entries in recorded order: recorded time, then position in the log."""
    entries = [
        TimelineEntry(
            recorded_at=e.timestamp,
            position=positions[e.originator_id, e.originator_version],
            event=type(e).TOPIC,
            aggregate_id=str(e.originator_id),
            version=e.originator_version,
            cause=e.cause,
            facts={
                f.name: getattr(e, f.name)
                for f in dataclasses.fields(e)
                if f.name not in BASE_FIELDS | BULKY_FIELDS
            },
        )
        for e in events
    ]
    return sorted(entries, key=lambda entry: (entry.recorded_at, entry.position))


def replay_as_known_at(events: Iterable[Any], as_known_at: dt.datetime | None = None) -> Any:
    """The aggregate from its events recorded up to ``as_known_at`` (all when None)."""
    aggregate: PsoAggregate | None = None
    for event in events:
        if as_known_at is not None and event.timestamp > as_known_at:
            break
        aggregate = event.mutate(aggregate)
    return aggregate


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)
