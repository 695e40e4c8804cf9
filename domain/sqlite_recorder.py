"""The SQLite event recorder of the register: eventsourcing's, with writers queued before its pool.

eventsourcing's connection pool issues connections one request at a time, and a request for the
writer connection waits for it while it holds that turn. So with two writers in one process, the
second blocks every reader of the event store until the first has written; the first waits for
SQLite's write lock; and the projection runner, which holds that lock while it reads the next
events, waits for a reader: a cycle that only the pool's timeout broke (5 s, then an error). Here
a writer first takes the recorder's own lock, outside the pool, so readers are never queued
behind a waiting writer. The statements and the error translation are eventsourcing's own.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

from eventsourcing.persistence import OperationalError, StoredEvent
from eventsourcing.sqlite import SQLiteApplicationRecorder, SQLiteDatastore


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
