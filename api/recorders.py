"""The event recorders of the register: eventsourcing's, with two changes measured here.

SQLite: writers queue before eventsourcing's connection pool. The pool issues connections one
request at a time, and a request for the writer connection waits for it while it holds that turn.
So with two writers in one process, the second blocks every reader of the event store until the
first has written; the first waits for SQLite's write lock; and the projection runner, which holds
that lock while it reads the next events, waits for a reader: a cycle that only the pool's timeout
broke (5 s, then an error). Here a writer first takes the recorder's own lock, outside the pool,
so readers are never queued behind a waiting writer.

PostgreSQL: no pipeline mode. psycopg's pipeline mode can deadlock when one transaction carries a
few megabytes of events (an import of a few thousand organisations, a week of a large
``pso demo``): the client waits in ``Pipeline.sync`` while the server waits to read (seen here with
psycopg 3.3.9; psycopg issue 685 describes the same hang).

The statements, the table lock that keeps notification ids in commit order, and the error
translation are eventsourcing's own.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

from eventsourcing.persistence import InterfaceError, OperationalError, StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder
from eventsourcing.sqlite import SQLiteApplicationRecorder, SQLiteDatastore
from eventsourcing.utils import retry


class SQLiteRecorder(SQLiteApplicationRecorder):
    """Inserts events one writer at a time per process, waiting outside the connection pool."""

    def __init__(self, datastore: SQLiteDatastore, **kwargs: Any) -> None:
        super().__init__(datastore, **kwargs)
        self._one_writer = threading.Lock()
        lock_timeout = datastore.pool.lock_timeout
        self._wait = float(lock_timeout) if lock_timeout else 5.0

    def insert_events(self, stored_events: Sequence[StoredEvent], **kwargs: Any) -> Any:
        """Insert events in one transaction, after this process's previous writer finished."""
        if not self._one_writer.acquire(timeout=self._wait):
            msg = "database is locked: another write of this process is still waiting"
            raise OperationalError(msg)
        try:
            return super().insert_events(stored_events, **kwargs)
        finally:
            self._one_writer.release()


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
