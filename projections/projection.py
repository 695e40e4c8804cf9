"""What every projection is: a name, a version, its tables, and a handler per event topic."""

from __future__ import annotations

import pickle
from collections.abc import Callable
from typing import Any
from uuid import UUID

from sqlalchemy import (
    Column,
    Connection,
    LargeBinary,
    MetaData,
    String,
    Table,
    delete,
    insert,
    select,
)

#: handler(connection, event, the event's aggregate as folded so far (or None), log position)
Handler = Callable[[Connection, Any, Any, int], None]


class Projection:
    """A read model: tables named ``<name>_v<version>_<table>`` and handlers keyed by topic.

    Handlers receive the open transaction, the decoded domain event and its position in the log.
    A schema or logic change bumps ``version``; the new version then builds beside the old one.
    """

    name: str = "projection"
    version: int = 1

    def __init__(self) -> None:
        self.metadata = MetaData()
        self.handlers: dict[str, list[Handler]] = {}
        #: topic prefixes of the aggregates whose state this projection folds (every event of them)
        self.folds: set[str] = set()
        self.states = AggregateStates(
            self.table(
                "states",
                Column("id", String(36), primary_key=True),
                Column("state", LargeBinary, nullable=False),
            )
        )

    def table(self, suffix: str, *columns: Any) -> Table:
        """Declare one of this projection's tables."""
        return Table(f"{self.name}_v{self.version}_{suffix}", self.metadata, *columns)

    def on(self, topic: str, handler: Handler) -> None:
        """Handle events of one topic (after any handler registered before)."""
        self.handlers.setdefault(topic, []).append(handler)
        self.folds.add(topic.rsplit(".", 2)[0] + ".")

    def apply(self, conn: Connection, event: Any, position: int) -> None:
        """Fold the event into its aggregate's state (if kept) and run the topic's handlers."""
        topic: str = type(event).TOPIC
        aggregate = None
        if topic.startswith(tuple(self.folds)):
            aggregate = self.states.fold(conn, event)
        for handler in self.handlers.get(topic, ()):
            handler(conn, event, aggregate, position)

    def flush(self, conn: Connection) -> None:
        """Write what was kept in memory during a batch."""
        self.states.flush(conn)

    def discard(self) -> None:
        """Forget what was kept in memory (the batch's transaction rolled back)."""
        self.states.discard()


class AggregateStates:
    """Aggregates folded from the events this projection saw, kept per batch in memory.

    The domain events' own ``mutate`` methods build the state, so a read model never re-implements
    a transition; a version mismatch (a missed or repeated event) raises instead of drifting.
    """

    def __init__(self, table: Table) -> None:
        self.table = table
        self._cache: dict[UUID, Any] = {}
        self._dirty: set[UUID] = set()

    def get(self, conn: Connection, aggregate_id: UUID) -> Any:
        """The aggregate as folded so far, or None."""
        if aggregate_id not in self._cache:
            row = conn.execute(
                select(self.table.c.state).where(self.table.c.id == str(aggregate_id))
            ).first()
            self._cache[aggregate_id] = pickle.loads(row.state) if row else None  # noqa: S301
        return self._cache[aggregate_id]

    def fold(self, conn: Connection, event: Any) -> Any:
        """Apply an event to its aggregate and return the new state."""
        aggregate = None if _is_created(event) else self.get(conn, event.originator_id)
        aggregate = event.mutate(aggregate)
        self._cache[event.originator_id] = aggregate
        self._dirty.add(event.originator_id)
        return aggregate

    def flush(self, conn: Connection) -> None:
        """Write the changed states."""
        if not self._dirty:
            self.discard()
            return
        ids = [str(i) for i in self._dirty]
        conn.execute(delete(self.table).where(self.table.c.id.in_(ids)))
        conn.execute(
            insert(self.table),
            [{"id": str(i), "state": pickle.dumps(self._cache[i])} for i in self._dirty],
        )
        self.discard()

    def discard(self) -> None:
        """Forget the cache (after a rollback)."""
        self._cache.clear()
        self._dirty.clear()


def _is_created(event: Any) -> bool:
    return hasattr(event, "originator_topic")
