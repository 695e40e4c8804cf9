"""The PostgreSQL event recorder of the register: eventsourcing's, writing without pipeline mode.

psycopg's pipeline mode can deadlock when one transaction carries a few megabytes of events (an
import of a few thousand organisations, a week of a large ``pso demo``): the client waits in
``Pipeline.sync`` while the server waits to read (seen here with psycopg 3.3.9; psycopg issue 685
describes the same hang). The statements, the table lock that keeps notification ids in commit
order, and the error translation are eventsourcing's own; only the pipeline is left out.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from eventsourcing.persistence import InterfaceError, OperationalError, StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder
from eventsourcing.utils import retry


class PostgresRecorder(PostgresApplicationRecorder):
    """Inserts a transaction's events with plain statements (lock, insert, fetch the ids)."""

    @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)
    def insert_events(self, stored_events: Sequence[StoredEvent], **kwargs: Any) -> Any:
        """Insert events in one transaction; return their notification ids."""
        with self.datastore.get_connection() as conn, conn.transaction():
            with conn.cursor() as curs:
                self._insert_events(curs, stored_events, **kwargs)
            if not stored_events:
                return None
            with conn.cursor() as curs:
                self._insert_stored_events(curs, stored_events, **kwargs)
                return self._fetch_ids_after_insert_events(curs, stored_events, **kwargs)
