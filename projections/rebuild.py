"""Rebuilding read models with no moment of an empty or partial register.

A rebuild builds fresh copies of the projections into tables of their own
(``<name>_v<version>_<table>_<tag>``, tracked as ``<name>#<tag>``), while the old tables keep
serving and keep following the log. When the copies reached the head of the log, one transaction
(holding the runners' batch lock) applies the last events to them, drops the old tables, renames
the copies to the serving names and moves the tracking position: a SIGKILL at any moment leaves
either the old read model serving with its old position, or the new one, complete. The next
rebuild discards what an interrupted one left. One rebuild at a time.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import structlog
from sqlalchemy import Connection, Engine, Table, delete, select, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.schema import CreateTable

from projections import failures
from projections.database import SCHEMA_LOCK, analyse, is_postgres
from projections.failures import Failure
from projections.projection import Projection
from projections.runner import Runner, TryAgainError, owner_of
from projections.states import states
from projections.tracking import (
    all_positions,
    ensure_rows,
    positions_for_update,
    set_positions,
    tracking,
)

log = structlog.get_logger(__name__)

LOCK_NOT_AVAILABLE = "55P03"  # PostgreSQL: lock_timeout ran out, or NOWAIT found it taken
QUERY_CANCELED = "57014"  # PostgreSQL: statement_timeout ran out


@dataclass(frozen=True)
class Rebuilt:
    """What a rebuild did: events read, projections switched, failures it ran into."""

    events: int
    switched: list[str]
    #: failures of the rebuilt copies (under the serving names); a copy that failed where the
    #: serving version had not is not switched in
    failures: list[Failure]


def rebuild(
    runner: Runner,
    names: Sequence[str] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Rebuilt:
    """Rebuild the named projections of a runner (all when None) and switch them in."""
    chosen = [p for p in runner.projections if names is None or p.name in names]
    discard_interrupted(runner)
    tag = f"r{uuid.uuid4().hex[:6]}"
    copies = [p.fresh(tag) for p in chosen]
    builder = Runner(
        runner.app, runner.engine, copies, batch_size=runner.batch_size, reader=runner.reader
    )
    # the tracking rows first: they are how the next rebuild finds an interrupted one's tables
    ensure_rows(runner.engine, [*builder.keys, builder.states_key])
    with runner.engine.begin() as conn:
        _schema_lock(conn)
        for copy in copies:
            for table in copy.metadata.sorted_tables:
                conn.execute(CreateTable(table))  # secondary indexes after loading: faster
    read = builder.catch_up(progress)
    if is_postgres(runner.engine):
        with runner.engine.begin() as conn:
            for copy in copies:
                for table in copy.metadata.sorted_tables:
                    for index in table.indexes:
                        index.create(conn)
                analyse(conn, copy.metadata.sorted_tables)
    with runner.engine.begin() as conn:
        # the serving runners wait (PostgreSQL: batch lock and rows; SQLite: the write lock)
        positions_for_update(conn, [*runner.keys, runner.states_key], lock=is_postgres(conn.engine))
        read += _finish(builder, conn)
        if is_postgres(runner.engine):
            take_tables(conn, [t for p in [*chosen, *copies] for t in p.metadata.sorted_tables])
        result = _switch(runner, builder, conn, list(zip(chosen, copies, strict=True)))
    for failure in result.failures:
        log.error("rebuild_failed", **failure.to_document())
    log.info("rebuilt", projections=result.switched, events=read)
    return dataclasses.replace(result, events=read)


def _finish(builder: Runner, conn: Connection) -> int:
    """Apply the events that came in since the copies' last batch (in the switch's transaction,
    each batch in a savepoint so a failing projection can be retried without losing the lock)."""
    read = 0
    while True:
        plan = builder.new_plan()
        for _ in range(2 * len(builder.projections) + 2):
            try:
                with conn.begin_nested():
                    count, _recorded = builder.apply_batch(conn, plan)
                break
            except TryAgainError:
                continue
            finally:
                builder.forget()
        else:
            msg = "a batch of the rebuild kept failing"
            raise RuntimeError(msg)
        read += count
        if count == 0:
            return read


def _switch(
    runner: Runner, builder: Runner, conn: Connection, pairs: list[tuple[Projection, Projection]]
) -> Rebuilt:
    """Put the copies in the place of the serving tables, positions and failures."""
    positions = all_positions(conn)
    serving = {f.key: f for f in failures.failures_of(conn, runner.keys)}
    built = {f.key: f for f in failures.failures_of(conn, builder.keys)}
    switched, failed, fold_failed = [], [], False
    for live, copy in pairs:
        failure = built.get(copy.key)
        if failure is not None:
            failure = dataclasses.replace(failure, projection=live.key[0])
            failed.append(failure)
            if live.key not in serving:
                _drop(conn, copy)  # the serving version did not fail there: keep it
                continue
        for old, new in zip(live.metadata.sorted_tables, copy.metadata.sorted_tables, strict=True):
            _replace_table(conn, old, new)
        set_positions(conn, {live.key: positions.get(copy.key, 0)})
        failures.clear(conn, live.key)
        if failure is not None:
            failures.record(conn, failure)
        if live.key in serving and serving[live.key].stage == "fold":
            fold_failed = True
        switched.append(live.name)
    _forget_builder(conn, builder.keys, builder.states_key)
    if fold_failed:
        # the shared states of the serving runner stopped folding with that aggregate: fold again
        runner.states.reset(conn)
        set_positions(conn, {runner.states_key: 0})
    return Rebuilt(0, switched, failed)


#: how long the switch waits for one table before it gives way to the readers holding it
GIVE_WAY = dt.timedelta(milliseconds=200)
#: ... and for all of them together
TAKE_ALL = dt.timedelta(milliseconds=500)
#: how long it keeps trying before the rebuild stops with an error
TAKE_TABLES_FOR = dt.timedelta(seconds=120)


def take_tables(conn: Connection, tables: Sequence[Table]) -> None:
    """Lock every table the switch touches, before it touches any (PostgreSQL).

    A reader takes its tables one by one as it plans a query; a switch that dropped one table and
    then waited for the next could hold what a reader waits for while waiting for what that
    reader holds: a deadlock, and PostgreSQL aborts one of the two (a public read failed this
    way). So the switch waits for one table at most ``GIVE_WAY`` and for all of them at most
    ``TAKE_ALL`` (below PostgreSQL's ``deadlock_timeout`` of one second: a reader that waits for
    a table the switch holds is never the one PostgreSQL aborts), and when it did not get them
    all it lets go of what it had, waits a moment and tries again: the readers finish, and no
    read ever fails for a rebuild. Meanwhile the serving runners wait for their tracking rows,
    so staff commands may answer 503 ``read-models-behind``; after ``TAKE_TABLES_FOR`` the
    rebuild stops with an error and the old read models keep serving.
    """
    quote = conn.dialect.identifier_preparer.quote
    names = ", ".join(quote(table.name) for table in tables)
    deadline = time.monotonic() + TAKE_TABLES_FOR.total_seconds()
    one = int(GIVE_WAY.total_seconds() * 1000)
    every = int(TAKE_ALL.total_seconds() * 1000)
    while True:
        try:
            with conn.begin_nested():
                conn.execute(text(f"SET LOCAL lock_timeout = {one}"))
                conn.execute(text(f"SET LOCAL statement_timeout = {every}"))
                conn.execute(text(f"LOCK TABLE {names} IN ACCESS EXCLUSIVE MODE"))
                conn.execute(text("SET LOCAL lock_timeout TO DEFAULT"))
                conn.execute(text("SET LOCAL statement_timeout TO DEFAULT"))
            return
        except OperationalError as error:
            if getattr(error.orig, "sqlstate", None) not in (LOCK_NOT_AVAILABLE, QUERY_CANCELED):
                raise
            if time.monotonic() > deadline:
                msg = f"the rebuild could not lock the read-model tables in {TAKE_TABLES_FOR}"
                raise RuntimeError(msg) from error
            log.info("rebuild_gives_way", tables=len(tables))
            time.sleep(random.uniform(0.01, 0.1))  # noqa: S311 (a pause, not a secret)


def _replace_table(conn: Connection, old: Table, new: Table) -> None:
    """Drop the serving table and give the copy its name (and its indexes their names)."""
    quote = conn.dialect.identifier_preparer.quote
    conn.execute(text(f"DROP TABLE IF EXISTS {quote(old.name)}"))
    conn.execute(text(f"ALTER TABLE {quote(new.name)} RENAME TO {quote(old.name)}"))
    if not is_postgres(conn.engine):
        for index in old.indexes:  # SQLite cannot rename an index: create it under its name
            index.create(conn)
        return
    indexes = conn.execute(
        text(
            "SELECT indexname FROM pg_indexes "
            "WHERE schemaname = current_schema() AND tablename = :table"
        ),
        {"table": old.name},
    ).scalars()
    for name in list(indexes):
        if new.name in name:
            renamed = name.replace(new.name, old.name)
            conn.execute(text(f"ALTER INDEX {quote(name)} RENAME TO {quote(renamed)}"))


def _drop(conn: Connection, copy: Projection) -> None:
    quote = conn.dialect.identifier_preparer.quote
    for table in reversed(copy.metadata.sorted_tables):
        conn.execute(text(f"DROP TABLE IF EXISTS {quote(table.name)}"))


def _forget_builder(
    conn: Connection, keys: Sequence[tuple[str, int]], states_key: tuple[str, int]
) -> None:
    """Remove a rebuild's tracking rows, failures and folded states."""
    for name, version in [*keys, states_key]:
        conn.execute(
            delete(tracking).where(tracking.c.projection == name, tracking.c.version == version)
        )
        failures.clear(conn, (name, version))
    conn.execute(delete(states).where(states.c.owner == states_key[0].removeprefix("states:")))


def discard_interrupted(runner: Runner) -> list[str]:
    """Drop what rebuilds that never finished left behind (tables, rows, states); their tags."""
    by_name = {p.name: p for p in runner.projections}
    with runner.engine.begin() as conn:
        _schema_lock(conn)
        keys = [
            key
            for key in all_positions(conn)
            if "#" in key[0] and key[0].split("#", 1)[0] in by_name
        ]
        tags = sorted({name.split("#", 1)[1] for name, _ in keys})
        for tag in tags:
            mine = [k for k in keys if k[0].endswith(f"#{tag}")]
            for name, version in mine:
                projection = by_name[name.split("#", 1)[0]]
                if projection.version == version:
                    _drop(conn, projection.fresh(tag))
            _forget_builder(conn, mine, (f"states:{owner_of(mine)}", 1))
    if tags:
        log.info("interrupted_rebuilds_discarded", tags=tags)
    return tags


def _schema_lock(conn: Connection) -> None:
    if is_postgres(conn.engine):
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": SCHEMA_LOCK})


def rebuilding(engine: Engine) -> dict[str, int]:
    """Rebuilds under way (or interrupted): ``name#tag`` and how far they came."""
    with engine.connect() as conn:
        rows = conn.execute(select(tracking.c.projection, tracking.c.position)).all()
    return {row.projection: row.position for row in rows if "#" in row.projection}
