"""Aggregates folded from the log for the read models, once per runner (not once per projection).

The domain events' own ``mutate`` methods build each state, so a read model never re-implements
a transition; a version mismatch (a missed or repeated event) raises instead of drifting. States
are kept with their own position in the tracking table and written in the batch's transaction.
"""

from __future__ import annotations

import pickle
from collections.abc import Iterable
from typing import Any
from uuid import UUID

from sqlalchemy import Column, Connection, LargeBinary, String, Table, bindparam, delete, insert
from sqlalchemy import select as select_

from projections.rows import CHUNK
from projections.tracking import metadata

states = Table(
    "pso_projection_states",
    metadata,
    Column("owner", String(24), primary_key=True),
    Column("id", String(36), primary_key=True),
    Column("state", LargeBinary, nullable=False),
)


class AggregateStates:
    """The folded aggregates of one runner's projections (``owner`` names that set)."""

    def __init__(self, owner: str) -> None:
        self.owner = owner
        self._cache: dict[UUID, Any] = {}
        self._dirty: set[UUID] = set()
        self._stored: set[UUID] = set()  # ids whose state the database holds
        self._delete = delete(states).where(
            states.c.owner == owner, states.c.id == bindparam("key_id")
        )

    def prefetch(self, conn: Connection, ids: Iterable[UUID]) -> None:
        """Load the states of these aggregates with one query per chunk (a batch's misses)."""
        unknown = list({i for i in ids if i not in self._cache})
        for start in range(0, len(unknown), CHUNK):
            chunk = unknown[start : start + CHUNK]
            rows = conn.execute(
                select_(states.c.id, states.c.state).where(
                    states.c.owner == self.owner, states.c.id.in_([str(i) for i in chunk])
                )
            )
            found = {row.id: row.state for row in rows}
            for aggregate_id in chunk:
                blob = found.get(str(aggregate_id))
                self._cache[aggregate_id] = pickle.loads(blob) if blob else None  # noqa: S301
                if blob:
                    self._stored.add(aggregate_id)

    def get(self, conn: Connection, aggregate_id: UUID) -> Any:
        """The aggregate as folded so far, or None."""
        if aggregate_id not in self._cache:
            self.prefetch(conn, [aggregate_id])
        return self._cache[aggregate_id]

    def apply(self, conn: Connection, event: Any) -> Any:
        """Apply an event to its aggregate and return the new state."""
        aggregate = None if is_created(event) else self.get(conn, event.originator_id)
        aggregate = event.mutate(aggregate)
        self._cache[event.originator_id] = aggregate
        self._dirty.add(event.originator_id)
        return aggregate

    def flush(self, conn: Connection) -> None:
        """Write the changed states."""
        stale = [{"key_id": str(i)} for i in self._dirty if i in self._stored]
        if stale:
            conn.execute(self._delete, stale)
        if self._dirty:
            conn.execute(
                insert(states),
                [
                    {
                        "owner": self.owner,
                        "id": str(i),
                        "state": pickle.dumps(self._cache[i], pickle.HIGHEST_PROTOCOL),
                    }
                    for i in self._dirty
                ],
            )
        self.discard()

    def reset(self, conn: Connection) -> None:
        """Forget every state (the projections read the log again from its start)."""
        conn.execute(delete(states).where(states.c.owner == self.owner))
        self.discard()

    def discard(self) -> None:
        """Forget the cache (after a batch, or a rollback)."""
        self._cache.clear()
        self._dirty.clear()
        self._stored.clear()


def is_created(event: Any) -> bool:
    """True for the event that creates an aggregate."""
    return hasattr(event, "originator_topic")
