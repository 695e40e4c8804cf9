"""Where each projection version stands in the event log, and which version serves reads."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    Connection,
    Engine,
    Integer,
    MetaData,
    String,
    Table,
    bindparam,
    select,
    text,
    update,
)
from sqlalchemy.exc import IntegrityError

metadata = MetaData()
BATCH_LOCK = 7_305_019  # pg_advisory_xact_lock key held by the runner applying a batch

tracking = Table(
    "pso_projection_tracking",
    metadata,
    Column("projection", String(64), primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("position", BigInteger, nullable=False),
)

active = Table(
    "pso_projection_active",
    metadata,
    Column("projection", String(64), primary_key=True),
    Column("version", Integer, nullable=False),
)


def ensure_rows(engine: Engine, keys: list[tuple[str, int]]) -> None:
    """Create the tracking rows at position 0 (each in its own transaction; a race is harmless)."""
    for projection, version in keys:
        try:
            with engine.begin() as conn:
                exists = conn.execute(
                    select(tracking.c.position).where(
                        tracking.c.projection == projection, tracking.c.version == version
                    )
                ).first()
                if exists is None:
                    conn.execute(
                        tracking.insert().values(projection=projection, version=version, position=0)
                    )
        except IntegrityError:
            continue  # another runner created it at the same moment


def positions_for_update(
    conn: Connection, keys: list[tuple[str, int]], *, lock: bool
) -> dict[tuple[str, int], int]:
    """The positions of these projection versions; on PostgreSQL the batch lock is taken first
    (one transaction-scoped advisory lock, so runners in several processes take turns and never
    lock tracking rows in different orders), then the rows are locked until commit."""
    query = (
        select(tracking.c.projection, tracking.c.version, tracking.c.position)
        .where(tracking.c.projection.in_({projection for projection, _ in keys}))
        .order_by(tracking.c.projection, tracking.c.version)
    )
    if lock:
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": BATCH_LOCK})
        query = query.with_for_update()
    found = {(r.projection, r.version): r.position for r in conn.execute(query)}
    return {key: found[key] for key in keys}


def all_positions(conn: Connection) -> dict[tuple[str, int], int]:
    """Every projection version's position."""
    query = select(tracking.c.projection, tracking.c.version, tracking.c.position)
    return {(r.projection, r.version): r.position for r in conn.execute(query)}


def set_position(conn: Connection, key: tuple[str, int], position: int) -> None:
    """Move a projection version to a new position (same transaction as its rows)."""
    conn.execute(
        update(tracking)
        .where(tracking.c.projection == key[0], tracking.c.version == key[1])
        .values(position=position)
    )


def set_positions(conn: Connection, positions: dict[tuple[str, int], int]) -> None:
    """Move several projection versions at once (one statement)."""
    if not positions:
        return
    conn.execute(
        update(tracking)
        .where(
            tracking.c.projection == bindparam("key_projection"),
            tracking.c.version == bindparam("key_version"),
        )
        .values(position=bindparam("new_position")),
        [
            {"key_projection": name, "key_version": version, "new_position": position}
            for (name, version), position in positions.items()
        ],
    )


def active_version(conn: Connection, projection: str) -> int | None:
    """The version that serves reads, if one was switched on."""
    return conn.execute(
        select(active.c.version).where(active.c.projection == projection)
    ).scalar_one_or_none()


def activate(conn: Connection, projection: str, version: int) -> None:
    """Switch reads to a version (once it caught up with the log)."""
    updated = conn.execute(
        update(active).where(active.c.projection == projection).values(version=version)
    )
    if updated.rowcount == 0:
        conn.execute(active.insert().values(projection=projection, version=version))
