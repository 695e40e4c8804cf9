"""The projection runner: reads the event log once, applies each batch to every read model, and
commits the rows together with the tracking positions, so a crash loses nothing and doubles nothing.

A projection that cannot apply an event (its handler, the fold of the event's aggregate, or the
writing of its rows raises) stops just before that event: the batch is tried again with that
projection applied event by event (each in a savepoint) up to the failing event, its failure is
recorded with its position (projections/failures.py), and every other projection goes on.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any

import structlog
from sqlalchemy import Connection, Engine, text

from domain.event_schema import schema_version
from projections import failures
from projections.database import analyse, create_tables, is_postgres
from projections.failures import Failure, Stage, failure_of
from projections.projection import Projection
from projections.states import AggregateStates, is_created

if TYPE_CHECKING:
    from projections.rebuild import Rebuilt
from projections.tracking import (
    activate,
    active_version,
    all_positions,
    ensure_rows,
    metadata,
    positions_for_update,
    set_positions,
)

log = structlog.get_logger(__name__)
LEADER_LOCK = 7_305_017  # pg_advisory_lock key of the projection runner
Key = tuple[str, int]


class ProjectionFailedError(RuntimeError):
    """The runner could not apply a batch at all (not one projection's failure: those are
    recorded and the others go on)."""


class TryAgainError(Exception):
    """The batch is rolled back and tried again with what the attempt learned."""


@dataclass
class _Plan:
    """What earlier attempts at a batch learned."""

    #: projections applied event by event, each event in a savepoint and written at once
    careful: set[Key] = field(default_factory=set)
    #: projections that stop just before an event of this batch, and why
    stops: dict[Key, Failure] = field(default_factory=dict)


class _Batch:
    """One attempt at a batch: its transaction, the plan, and where each projection stops."""

    def __init__(
        self,
        conn: Connection,
        plan: _Plan,
        positions: dict[Key, int],
        live: list[tuple[Projection, Key]],
    ) -> None:
        self.conn = conn
        self.plan = plan
        self.positions = positions
        #: the projections that had not failed before this batch
        self.live = live
        #: the position each projection stops before (None: it goes through the batch)
        self.limit: dict[Key, int | None] = {
            k: plan.stops[k].position if k in plan.stops else None for _, k in live
        }

    def applies(self, key: Key, position: int) -> bool:
        """True when the projection takes the event at ``position`` in this attempt."""
        stop = self.limit[key]
        return self.positions[key] < position and (stop is None or position < stop)


def owner_of(keys: Sequence[Key], schema: str | None = None) -> str:
    """The name of the folded aggregate states of a set of projection versions under the
    domain's event classes as they are (``schema``, default ``domain.event_schema``'s digest):
    after a change to an aggregate's events the states are folded again, never unpickled stale."""
    schema = schema_version() if schema is None else schema
    return hashlib.sha256(f"{sorted(keys)!r}|{schema}".encode()).hexdigest()[:16]


class Runner:
    """Keeps a set of projections up to date with an event-sourced application's log."""

    def __init__(
        self,
        app: Any,
        engine: Engine,
        projections: Sequence[Projection],
        *,
        batch_size: int = 1000,
        reader: Engine | None = None,
    ) -> None:
        self.app = app
        self.engine = engine
        #: reads of positions and failures; on SQLite a reader never waits for the writer
        self.reader = reader or engine
        self.projections = list(projections)
        self.batch_size = batch_size
        self.keys = [p.key for p in self.projections]
        owner = owner_of(self.keys)
        #: the aggregates folded once for all projections; their own tracking row
        self.states = AggregateStates(owner)
        self.states_key = (f"states:{owner}", 1)
        self.folds = tuple(sorted(set().union(*(p.folds for p in self.projections))))
        #: the lowest position this process saw the live read models at (advances every run)
        self.observed = 0
        self._reached = 0  # the position the batch being applied reaches
        #: set while ``run_forever`` applies batches in this process (a thread of ``pso serve``)
        self.running = threading.Event()
        self._wake = threading.Event()
        #: one batch at a time in this process (the runner thread, a command, the sweep)
        self._lock = threading.Lock()
        #: versions known to serve reads (or a newer one does): no need to look again
        self._serving: set[Key] = set()

    def setup(self) -> None:
        """Create tracking and read-model tables that do not exist yet."""
        create_tables(self.engine, metadata, *(p.metadata for p in self.projections))
        ensure_rows(self.engine, [*self.keys, self.states_key])

    def rebuild(
        self, names: Sequence[str] | None = None, progress: Callable[[int, int], None] | None = None
    ) -> Rebuilt:
        """Rebuild the named projections (all when None) from the log into new tables and switch
        them in when complete; the old ones serve until then (projections/rebuild.py)."""
        from projections.rebuild import rebuild  # noqa: PLC0415 (the rebuild builds Runners)

        return rebuild(self, names, progress)

    def head(self) -> int:
        """The last position in the event log."""
        return self.app.recorder.max_notification_id() or 0

    def run_once(self) -> int:
        """Apply the next batch of events in one transaction; return how many were read."""
        plan = _Plan()
        with self._lock:
            for _ in range(2 * len(self.projections) + 2):
                try:
                    self._reached = 0
                    with self.engine.begin() as conn:
                        read, recorded = self.apply_batch(conn, plan)
                    # only now can a reader see the batch: answers cached under the new
                    # position are computed from committed rows
                    self.observed = max(self.observed, self._reached)
                except TryAgainError:
                    continue
                finally:
                    self.forget()
                for failure in recorded:
                    log.error("projection_failed", **failure.to_document())
                return read
        msg = "a batch kept failing in a way no single projection explains"
        raise ProjectionFailedError(msg)

    def apply_batch(self, conn: Connection, plan: _Plan) -> tuple[int, list[Failure]]:
        """One attempt at the next batch in ``conn``: the events read and the failures recorded.

        Raises ``TryAgainError`` (after updating ``plan``) when a projection failed in a way
        that needs the batch rolled back first.
        """
        try:
            return self._apply_batch(conn, plan)
        except TryAgainError:
            raise
        except Exception as exc:
            msg = f"the projection runner could not apply a batch: {exc}"
            raise ProjectionFailedError(msg) from exc

    def _apply_batch(self, conn: Connection, plan: _Plan) -> tuple[int, list[Failure]]:
        positions = positions_for_update(
            conn, [*self.keys, self.states_key], lock=is_postgres(self.engine)
        )
        failed = {f.key for f in failures.failures_of(conn, self.keys)}
        live = [(p, k) for p, k in zip(self.projections, self.keys, strict=True) if k not in failed]
        start = positions.pop(self.states_key)
        if start > min((positions[k] for _, k in live), default=start):
            # a projection starts again (rebuild, new version): fold from the beginning
            self.states.reset(conn)
            start = 0
        notifications = self.app.recorder.select_notifications(start + 1, self.batch_size)
        events = [self.app.mapper.to_domain_event(n) for n in notifications]
        batch = _Batch(conn, plan, positions, live)
        folded = [e for e in events if type(e).TOPIC.startswith(self.folds)]
        self.states.prefetch(conn, (e.originator_id for e in folded if not is_created(e)))
        self._prepare(batch, notifications, events)
        for notification, event in zip(notifications, events, strict=True):
            aggregate = None
            if type(event).TOPIC.startswith(self.folds):
                aggregate = self._fold(batch, event, notification)
            for projection, key in live:
                if batch.applies(key, notification.id):
                    self._apply(batch, projection, key, event, aggregate, notification)
        last = notifications[-1].id if notifications else start
        self.states.flush(conn)
        for projection, key in live:
            if key not in plan.careful:
                self._guarded(plan, key, partial(projection.flush, conn))
        moved: dict[Key, int] = {self.states_key: last}
        for _, key in live:
            stop = batch.limit[key]
            reached = last if stop is None else stop - 1
            if reached > positions[key]:
                moved[key] = reached
        set_positions(conn, moved)
        recorded = [plan.stops[k] for _, k in live if k in plan.stops]
        for failure in recorded:
            failures.record(conn, failure)
        self._reached = last  # becomes ``observed`` once the batch committed (run_once)
        self._activate_caught_up(conn, last, {k for _, k in live if batch.limit[k] is None})
        return len(notifications), recorded

    def _prepare(self, batch: _Batch, notifications: Sequence[Any], events: list[Any]) -> None:
        """Let each projection read ahead the rows its events of the batch need."""
        for projection, key in batch.live:
            if key in batch.plan.careful:
                continue  # prepare only reads ahead; event by event reads as it goes
            mine = [
                e
                for n, e in zip(notifications, events, strict=True)
                if batch.applies(key, n.id) and projection.handles(e)
            ]
            if mine:
                self._guarded(
                    batch.plan, key, partial(projection.prepare, batch.conn, mine, self.states)
                )

    def _apply(
        self,
        batch: _Batch,
        projection: Projection,
        key: Key,
        event: Any,
        aggregate: Any,
        notification: Any,
    ) -> None:
        """One event to one projection (in a savepoint and written at once, if careful)."""
        if key not in batch.plan.careful:
            self._guarded(
                batch.plan,
                key,
                lambda: projection.apply(batch.conn, event, aggregate, notification.id),
            )
            return
        failure = self._carefully(batch.conn, projection, key, event, aggregate, notification)
        if failure is not None:
            batch.plan.stops[key] = failure
            batch.limit[key] = notification.id

    def _guarded(self, plan: _Plan, key: Key, work: Callable[[], Any]) -> None:
        """Run one projection's part of the batch; on failure try the batch again with that
        projection applied event by event."""
        try:
            work()
        except Exception as exc:
            plan.careful.add(key)
            raise TryAgainError from exc

    def _carefully(
        self,
        conn: Connection,
        projection: Projection,
        key: Key,
        event: Any,
        aggregate: Any,
        notification: Any,
    ) -> Failure | None:
        """Apply and write one event in a savepoint; its failure (rolled back) if it fails."""
        stage: Stage = "apply"
        try:
            with conn.begin_nested():
                projection.apply(conn, event, aggregate, notification.id)
                stage = "write"
                projection.flush(conn)
        except Exception as exc:  # noqa: BLE001 (any failure stops this projection only)
            projection.discard()
            return failure_of(key, notification, stage, exc)
        return None

    def _fold(self, batch: _Batch, event: Any, notification: Any) -> Any:
        """The event's aggregate folded; when the fold fails, every projection that handles
        that aggregate's topics stops before the event (the others do not need it)."""
        try:
            return self.states.apply(batch.conn, event)
        except Exception as exc:
            prefix = type(event).TOPIC.rsplit(".", 2)[0] + "."
            needing = [
                k for p, k in batch.live if prefix in p.folds and batch.applies(k, notification.id)
            ]
            if not needing:
                return None  # the stopped ones are folded again from the start when rebuilt
            for key in needing:
                batch.plan.stops[key] = failure_of(key, notification, "fold", exc)
            raise TryAgainError from exc

    def new_plan(self) -> _Plan:
        """A fresh plan for the attempts at one batch."""
        return _Plan()

    def forget(self) -> None:
        """Drop what the batch kept in memory (after a commit or a rollback)."""
        self.states.discard()
        for projection in self.projections:
            projection.discard()

    def _activate_caught_up(self, conn: Connection, last: int, following: set[Key]) -> None:
        waiting = [
            p
            for p, key in zip(self.projections, self.keys, strict=True)
            if key in following and key not in self._serving and not p.tag
        ]
        if not waiting or last < self.head():
            return
        for projection in waiting:
            current = active_version(conn, projection.name)
            if current is None or current < projection.version:
                analyse(conn, projection.metadata.sorted_tables)  # built since it was set up
                activate(conn, projection.name, projection.version)
            self._serving.add(projection.key)

    def catch_up(self, progress: Callable[[int, int], None] | None = None) -> int:
        """Run batches until the log is exhausted; return how many events were read."""
        total = 0
        while (read := self.run_once()) > 0:
            total += read
            if progress is not None:
                progress(total, self.head())
        if total == 0:
            positions = self.positions()
            stopped = {f.key for f in self.failures()}
            lowest = min((v for k, v in positions.items() if k not in stopped), default=0)
            with self.engine.begin() as conn:
                self._activate_caught_up(conn, lowest, set(positions) - stopped)
        return total

    def positions(self) -> dict[Key, int]:
        """Where each of this runner's projections stands."""
        with self.reader.connect() as conn:
            found = all_positions(conn)
        return {key: found.get(key, 0) for key in self.keys}

    def failures(self) -> list[Failure]:
        """The recorded failures of this runner's projections."""
        with self.reader.connect() as conn:
            return failures.failures_of(conn, self.keys)

    def wait_for(self, position: int, timeout: float = 5.0, interval: float = 0.02) -> bool:
        """Read-your-writes: wait until every projection that has not failed reached
        ``position``; False on timeout."""
        deadline = time.monotonic() + timeout
        self.nudge()
        while True:
            stopped = {f.key for f in self.failures()}
            going = [v for k, v in self.positions().items() if k not in stopped]
            if min(going, default=position) >= position:
                return True
            if time.monotonic() >= deadline:
                return False
            time.sleep(interval)

    def nudge(self) -> None:
        """Wake the ``run_forever`` loop now (a command was saved, or it should stop)."""
        self._wake.set()

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
                stopped = {f.key for f in self.failures()}
                going = [v for k, v in self.positions().items() if k not in stopped]
                self.observed = max(self.observed, min(going, default=0))
                stop.wait(interval)
            try:
                self._loop(stop, interval)
            finally:
                lock_conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": LEADER_LOCK})
                lock_conn.commit()

    def _loop(self, stop: threading.Event, interval: float) -> None:
        self.running.set()
        try:
            while not stop.is_set():
                try:
                    read = self.run_once()
                except ProjectionFailedError as exc:
                    log.error("projection_runner_failed", error=str(exc))
                    read = 0  # the database may be back next time; readiness tells meanwhile
                if read == 0:
                    self._wake.wait(interval)
                    self._wake.clear()
        finally:
            self.running.clear()
