"""The read models' database, the event store's own: engines (made from ``PSO_DATABASE_URL`` by
api/storage.py), table creation and the schema lock."""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from sqlalchemy import Connection, Engine, MetaData, Table, create_engine, event, text
from sqlalchemy.pool import StaticPool


def memory_engine() -> Engine:
    """An engine on one in-memory SQLite database shared by every connection of the process."""
    engine = create_engine(
        "sqlite://", poolclass=StaticPool, connect_args={"check_same_thread": False}
    )
    _sqlite_setup(engine, writer=True)
    return engine


def sqlite_engine(url: str, *, writer: bool = False, timeout: float | None = None) -> Engine:
    """An engine on a SQLite file (``sqlite:///...``).

    A writer's transactions take the write lock at BEGIN (so two writers queue instead of failing
    half-way); readers use deferred transactions and never wait for a writer (WAL). ``timeout``
    (seconds) bounds a probe's wait for the write lock; without it a writer waits 30 s.
    """
    wait = 30.0 if timeout is None else timeout
    engine = create_engine(url, connect_args={"timeout": wait, "check_same_thread": False})
    _sqlite_setup(engine, writer=writer, busy_ms=int(wait * 1000))
    return engine


def postgres_engine(url: str, schema: str | None, *, timeout: float | None = None) -> Engine:
    """A pooled engine on PostgreSQL; ``timeout`` (seconds) bounds connecting, locks and each
    statement of a probe."""
    parts = urlsplit(url)
    # a plan per execution even for prepared statements: the name search's best plan depends
    # on how common the word asked is, and a generic plan would freeze one for every word
    options = ["-c plan_cache_mode=force_custom_plan"]
    connect_args: dict[str, Any] = {}
    if schema:
        options.append(f"-c search_path={schema}")
    if timeout is not None:
        milliseconds = int(timeout * 1000)
        options += [f"-c lock_timeout={milliseconds}", f"-c statement_timeout={milliseconds}"]
        connect_args["connect_timeout"] = max(1, math.ceil(timeout))
    connect_args["options"] = " ".join(options)
    plain = urlunsplit(("postgresql+psycopg", parts.netloc, parts.path, "", ""))
    return create_engine(plain, connect_args=connect_args, pool_pre_ping=True)


SCHEMA_LOCK = 7_305_018  # pg_advisory_xact_lock key held while creating tables


def create_tables(engine: Engine, *metadatas: MetaData) -> None:
    """Create missing tables; on PostgreSQL under a lock, so processes starting together agree."""
    with engine.begin() as conn:
        if is_postgres(engine):
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": SCHEMA_LOCK})
        for metadata in metadatas:
            metadata.create_all(conn)
            for table in metadata.sorted_tables:
                for index in table.indexes:  # also those a rebuild dropped while loading
                    index.create(conn, checkfirst=True)


@contextmanager
def schema_lock(engine: Engine) -> Iterator[None]:
    """Hold the schema lock while tables are created outside SQLAlchemy (the event store's own
    recorders), so processes starting together on PostgreSQL do not trip over each other."""
    if not is_postgres(engine):
        yield
        return
    with engine.connect() as conn:
        conn.execute(text("SELECT pg_advisory_lock(:key)"), {"key": SCHEMA_LOCK})
        conn.commit()
        try:
            yield
        finally:
            conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": SCHEMA_LOCK})
            conn.commit()


def analyse(conn: Connection, tables: Iterable[Table]) -> None:
    """PostgreSQL: the planner's statistics of freshly loaded tables now, not when autovacuum
    comes by (the name search chooses between its indexes by them). SQLite: nothing."""
    if not is_postgres(conn.engine):
        return
    quote = conn.dialect.identifier_preparer.quote
    for table in tables:
        conn.execute(text(f"ANALYZE {quote(table.name)}"))


def is_postgres(engine: Engine) -> bool:
    """True on PostgreSQL (advisory locks, row locks), False on SQLite."""
    return engine.dialect.name == "postgresql"


def _sqlite_setup(engine: Engine, *, writer: bool, busy_ms: int = 30_000) -> None:
    """SQLite: WAL and a busy timeout; a writer begins with the write lock (BEGIN IMMEDIATE)."""

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        dbapi_connection.execute("PRAGMA journal_mode=WAL")
        dbapi_connection.execute(f"PRAGMA busy_timeout={busy_ms}")
        # WAL with synchronous=NORMAL: a crashed process loses nothing; a power cut may lose
        # the last commits (read models then apply those events again); no fsync per commit
        dbapi_connection.execute("PRAGMA synchronous=NORMAL")
        if writer:  # the runner's batches; readers keep SQLite's small default cache each
            dbapi_connection.execute("PRAGMA cache_size=-65536")  # 64 MiB of pages

    @event.listens_for(engine, "begin")
    def _begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE" if writer else "BEGIN")
