"""An organisation's full timeline, and folding events up to a moment (what was known then)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from domain.aggregate import PsoAggregate
from domain.values import Cause

BASE_FIELDS = {"originator_id", "originator_version", "timestamp", "originator_topic", "cause"}


@dataclass(frozen=True)
class TimelineEntry:
    """One event as a dispute needs it: when recorded, what, effective when, by whom, why."""

    recorded_at: dt.datetime
    event: str
    aggregate_id: str
    version: int
    cause: Cause
    facts: dict[str, Any]

    def to_document(self) -> dict[str, Any]:
        """JSON form (dates as ISO text)."""
        return {
            "recorded_at": self.recorded_at.isoformat(),
            "event": self.event,
            "aggregate_id": self.aggregate_id,
            "version": self.version,
            "actor_id": self.cause.actor_id,
            "actor_role": self.cause.actor_role.value,
            "correlation_id": self.cause.correlation_id,
            "reason": self.cause.reason,
            "facts": _jsonable(self.facts),
        }


def timeline_entries(events: Iterable[Any]) -> list[TimelineEntry]:
    """Timeline entries in recorded order."""
    entries = [
        TimelineEntry(
            recorded_at=e.timestamp,
            event=type(e).TOPIC,
            aggregate_id=str(e.originator_id),
            version=e.originator_version,
            cause=e.cause,
            facts={
                f.name: getattr(e, f.name)
                for f in dataclasses.fields(e)
                if f.name not in BASE_FIELDS | {"assessment", "declaration"}
            },
        )
        for e in events
    ]
    return sorted(
        entries, key=lambda entry: entry.recorded_at
    )  # stable: org, applications, certificates


def fold(events: Iterable[Any], as_known_at: dt.datetime | None = None) -> Any:
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
