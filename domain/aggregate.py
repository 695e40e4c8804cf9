"""The base of every aggregate: events that carry their cause, and explicit stable topics.

Each aggregate sets ``TOPIC`` and every event class sets ``TOPIC = "pso.<aggregate>.<Event>.v<N>"``:
stored topics are schema, so renaming a class never breaks the log. Event bodies are deterministic:
the recorded time (``timestamp``) and ids come in as arguments, never from a clock inside.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Self
from uuid import UUID, uuid5

from eventsourcing.domain import AggregateCreated, AggregateEvent, BaseAggregate

__all__ = ["AggregateCreated", "PsoAggregate", "stable_id"]

from domain.bounds import check_event
from domain.values import Cause

#: Namespace of the deterministic ids (uuid5) of the register.
PSO_NAMESPACE = UUID("5f0c6e0e-43a4-4b59-9d39-8d7f5c1e2a10")


def stable_id(kind: str, key: str) -> UUID:
    """A deterministic id for an aggregate that is unique by a business key."""
    return uuid5(PSO_NAMESPACE, f"{kind}:{key}")


class PsoAggregate(BaseAggregate[UUID]):
    """An aggregate whose events all say who caused them."""

    class Event(AggregateEvent):
        """Every event records its cause (actor, role, correlation id, reason)."""

        cause: Cause

    @classmethod
    def _create(
        cls,
        event_class: type[Any],
        *,
        id: UUID | None = None,  # noqa: A002 (eventsourcing's name)
        **kwargs: Any,
    ) -> Self:
        """Create the aggregate, once its first event holds only values every read model takes."""
        check_event(event_class, kwargs)
        return super()._create(event_class, id=id, **kwargs)

    def _trigger(
        self, event_class: type[Any], now: dt.datetime, cause: Cause, **fields: Any
    ) -> None:
        """Record an event at the recorded time ``now`` (from the injected clock)."""
        check_event(event_class, {**fields, "timestamp": now, "cause": cause})
        self.trigger_event(event_class, timestamp=now, cause=cause, **fields)
