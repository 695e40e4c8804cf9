"""The domain's aggregates and their event classes: what the log stores, and the shape of it.

``event_classes`` lists every event class by its stored topic (the projections subscribe by
class and a test compares the topics with the stored ones); ``schema_version`` is a digest of
each aggregate's topic and class name and of its events' topics, class versions, names, field
names and types, so a cache of folded aggregates (projections/states.py) can tell that the
classes changed.
"""

from __future__ import annotations

import hashlib
import inspect
from typing import Any

from eventsourcing.domain import CanMutateAggregate

from domain.application import CertificationApplication
from domain.certificate import Certificate
from domain.idempotency import IdempotencyRecord
from domain.kvk_index import KvkIndex
from domain.numbering import CertificateNumbers
from domain.objection import Objection
from domain.organisation import Organisation
from domain.participation import Participation
from domain.scheme_rules import SchemeRules
from domain.statement import Statement
from domain.statement_keys import StatementKeys

#: every aggregate of the register (one per module)
AGGREGATES: tuple[type[Any], ...] = (
    CertificationApplication,
    Certificate,
    KvkIndex,
    CertificateNumbers,
    Organisation,
    Participation,
    Objection,
    SchemeRules,
    IdempotencyRecord,
    Statement,
    StatementKeys,
)


def events_of(aggregate: type[Any]) -> list[type[Any]]:
    """The event classes declared on an aggregate (its base ``Event`` left out), by name."""
    return [
        member
        for name, member in inspect.getmembers(aggregate, inspect.isclass)
        if issubclass(member, CanMutateAggregate) and name != "Event"
    ]


def event_classes(aggregates: tuple[type[Any], ...] = AGGREGATES) -> dict[str, type[Any]]:
    """Every event class by its stored topic."""
    return {event.TOPIC: event for aggregate in aggregates for event in events_of(aggregate)}


def schema_version(aggregates: tuple[type[Any], ...] = AGGREGATES) -> str:
    """A digest of the aggregates' and events' topics, class versions and fields (name: type),
    read from the classes as they are now (so a changed class gives another digest)."""
    parts = []
    for aggregate in sorted(aggregates, key=lambda a: str(a.TOPIC)):
        # the class's own name too: a pickled state names it
        name = f"{aggregate.__module__}.{aggregate.__qualname__}"
        parts.append(f"{aggregate.TOPIC}:{getattr(aggregate, 'class_version', 1)}:{name}")
        for event in sorted(events_of(aggregate), key=lambda e: str(e.TOPIC)):
            fields = getattr(event, "__dataclass_fields__", {})
            described = ",".join(f"{n}:{f.type}" for n, f in sorted(fields.items()))
            version = getattr(event, "class_version", 1)
            parts.append(f"{event.TOPIC}:{version}:{event.__qualname__}({described})")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


_AGGREGATE_OF = {event: aggregate for aggregate in AGGREGATES for event in events_of(aggregate)}


def aggregate_of(event: Any) -> type[Any] | None:
    """The aggregate class whose event this is (None for an event of no listed aggregate)."""
    return _AGGREGATE_OF.get(type(event))
