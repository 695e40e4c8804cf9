"""The projection runner: reads the event log once, applies each batch to every read model, and
commits the rows together with the tracking positions, so a crash loses nothing and doubles nothing.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable, Sequence
from typing import Any

import structlog
from sqlalchemy import Engine, text

from projections.database import create_tables, is_postgres
from projections.projection import Projection
from projections.states import AggregateStates, is_created
from projections.tracking import (
    activate,
    active_version,
    all_positions,
    ensure_rows,
    metadata,
    positions_for_update,
    set_position,
    set_positions,
)

log = structlog.get_logger(__name__)
LEADER_LOCK = 7_305_017  # pg_advisory_lock key of the projection runner


class ProjectionFailedError(RuntimeError):
    """A projection could not apply an event; it stops there instead of skipping it."""


class Runner:
    """Keeps a set of projections up to date with an event-sourced application's log."""

    def __init__(
        self,
        app: Any,
        engine: Engine,
        projections: Sequence[Projection],
        *,
        batch_size: int = 1000,
    ) -> None:
        self.app = app
        self.engine = engine
        self.projections = list(projections)
        self.batch_size = batch_size
        self.keys = [(p.name, p.version) for p in self.projections]
        owner = hashlib.sha256(repr(sorted(self.keys)).encode()).hexdigest()[:16]
        #: the aggregates folded once for all projections; their own tracking row
        self.states = AggregateStates(owner)
        self.states_key = (f"states:{owner}", 1)
        self.folds = tuple(sorted(set().union(*(p.folds for p in self.projections))))
        #: the lowest position this process saw the read models at (advances with every run)
        self.observed = 0
        #: versions known to serve reads (or a newer one does): no need to look again
        self._serving: set[tuple[str, int]] = set()

    def setup(self) -> None:
        """Create tracking and read-model tables that do not exist yet."""
        create_tables(self.engine, metadata, *(p.metadata for p in self.projections))
        ensure_rows(self.engine, [*self.keys, self.states_key])

    def rebuild(
        self, names: Sequence[str] | None = None, progress: Callable[[int, int], None] | None = None
    ) -> int:
        """Drop the named projections' tables (all when None), rebuild them from the log.

        Secondary indexes are created after loading (faster than keeping them up to date row by
        row); if the rebuild stops half-way, ``setup`` creates them again.
        """
        chosen = [p for p in self.projections if names is None or p.name in names]
        for projection in chosen:
            projection.metadata.drop_all(self.engine)
        create_tables(self.engine, *(p.metadata for p in chosen))
        indexes = [i for p in chosen for t in p.metadata.sorted_tables for i in t.indexes]
        with self.engine.begin() as conn:
            for index in indexes:
                index.drop(conn)
            for projection in chosen:
                set_position(conn, (projection.name, projection.version), 0)
        read = self.catch_up(progress)
        create_tables(self.engine, *(p.metadata for p in chosen))
        return read

    def head(self) -> int:
        """The last position in the event log."""
        return self.app.recorder.max_notification_id() or 0

    def run_once(self) -> int:
        """Apply the next batch of events in one transaction; return how many were read."""
        try:
            with self.engine.begin() as conn:
                positions = positions_for_update(
                    conn, [*self.keys, self.states_key], lock=is_postgres(self.engine)
                )
                start = positions.pop(self.states_key)
                if start > min(positions.values(), default=0):
                    # a projection starts again (rebuild, new version): fold from the beginning
                    self.states.reset(conn)
                    start = 0
                notifications = self.app.recorder.select_notifications(start + 1, self.batch_size)
                events = [self.app.mapper.to_domain_event(n) for n in notifications]
                folded = [e for e in events if type(e).TOPIC.startswith(self.folds)]
                self.states.prefetch(conn, (e.originator_id for e in folded if not is_created(e)))
                for projection, key in zip(self.projections, self.keys, strict=True):
                    mine = [
                        e
                        for n, e in zip(notifications, events, strict=True)
                        if n.id > positions[key] and projection.handles(e)
                    ]
                    if mine:
                        projection.prepare(conn, mine, self.states)
                for notification, event in zip(notifications, events, strict=True):
                    aggregate = None
                    if type(event).TOPIC.startswith(self.folds):
                        aggregate = self._fold(conn, event, notification)
                    for projection, key in zip(self.projections, self.keys, strict=True):
                        if notification.id > positions[key]:
                            self._apply(projection, conn, event, aggregate, notification)
                last = notifications[-1].id if notifications else start
                self.observed = max(
                    self.observed, min((max(last, p) for p in positions.values()), default=last)
                )
                self.states.flush(conn)
                moved = {self.states_key: last}
                for projection, key in zip(self.projections, self.keys, strict=True):
                    self._flush(projection, conn, start + 1, last)
                    if last > positions[key]:
                        moved[key] = last
                set_positions(conn, moved)
                self._activate_caught_up(conn, last)
        except BaseException:
            self._serving.clear()
            self.states.discard()
            for projection in self.projections:
                projection.discard()
            raise
        return len(notifications)

    def _apply(
        self, projection: Projection, conn: Any, event: Any, aggregate: Any, notification: Any
    ) -> None:
        try:
            projection.apply(conn, event, aggregate, notification.id)
        except Exception as exc:
            what = f"projection {projection.name} v{projection.version}"
            raise self._failed(what, notification, exc) from exc

    def _fold(self, conn: Any, event: Any, notification: Any) -> Any:
        try:
            return self.states.fold(conn, event)
        except Exception as exc:
            raise self._failed("aggregate states", notification, exc) from exc

    def _flush(self, projection: Projection, conn: Any, first: int, last: int) -> None:
        try:
            projection.flush(conn)
        except Exception as exc:
            log.error(
                "projection_failed",
                projection=projection.name,
                version=projection.version,
                positions=f"{first}..{last}",
                error=str(exc),
            )
            msg = (
                f"projection {projection.name} v{projection.version} failed writing the rows "
                f"of events {first}..{last}: {exc}"
            )
            raise ProjectionFailedError(msg) from exc

    def _failed(self, what: str, notification: Any, exc: Exception) -> ProjectionFailedError:
        log.error(
            "projection_failed",
            projection=what,
            position=notification.id,
            topic=notification.topic,
            originator_id=str(notification.originator_id),
            error=str(exc),
        )
        msg = (
            f"{what} failed on event {notification.id} ({notification.topic} of "
            f"{notification.originator_id}): {exc}"
        )
        return ProjectionFailedError(msg)

    def _activate_caught_up(self, conn: Any, last: int) -> None:
        waiting = [p for p in self.projections if (p.name, p.version) not in self._serving]
        if not waiting or last < self.head():
            return
        for projection in waiting:
            current = active_version(conn, projection.name)
            if current is None or current < projection.version:
                activate(conn, projection.name, projection.version)
            self._serving.add((projection.name, projection.version))

    def catch_up(self, progress: Callable[[int, int], None] | None = None) -> int:
        """Run batches until the log is exhausted; return how many events were read."""
        total = 0
        while (read := self.run_once()) > 0:
            total += read
            if progress is not None:
                progress(total, self.head())
        if total == 0:
            lowest = min(self.positions().values(), default=0)
            with self.engine.begin() as conn:
                self._activate_caught_up(conn, lowest)
        return total

    def positions(self) -> dict[tuple[str, int], int]:
        """Where each of this runner's projections stands."""
        with self.engine.connect() as conn:
            found = all_positions(conn)
        return {key: found.get(key, 0) for key in self.keys}

    def wait_for(self, position: int, timeout: float = 5.0, interval: float = 0.02) -> bool:
        """Read-your-writes: wait until every projection reached ``position``; False on timeout."""
        deadline = time.monotonic() + timeout
        while True:
            if min(self.positions().values(), default=0) >= position:
                return True
            if time.monotonic() >= deadline:
                return False
            time.sleep(interval)

    def run_forever(self, stop: threading.Event, interval: float = 0.5) -> None:
        """Poll the log until stopped; on PostgreSQL only the holder of the leader lock writes."""
        if not is_postgres(self.engine):
            self._loop(stop, interval)
            return
        with self.engine.connect() as lock_conn:
            while not stop.is_set():
                got = lock_conn.execute(
                    text("SELECT pg_try_advisory_lock(:key)"), {"key": LEADER_LOCK}
                ).scalar()
                lock_conn.commit()
                if got:
                    break
                # not the leader: follow the positions, so cached answers of this process expire
                self.observed = max(self.observed, min(self.positions().values(), default=0))
                stop.wait(interval)
            try:
                self._loop(stop, interval)
            finally:
                lock_conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": LEADER_LOCK})
                lock_conn.commit()

    def _loop(self, stop: threading.Event, interval: float) -> None:
        while not stop.is_set():
            if self.run_once() == 0:
                stop.wait(interval)
