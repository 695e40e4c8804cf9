"""Projections that stopped at an event they could not apply, recorded beside the tracking table.

A failure is written in the transaction that moves the projection to the event before the one it
failed on, so the record, the rows and the position always agree. It stays until the projection is
rebuilt (``pso projections rebuild NAME``) or a new version replaces it; there is no skipping.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import (
    BigInteger,
    Column,
    Connection,
    DateTime,
    Integer,
    String,
    Table,
    Text,
    delete,
    insert,
    select,
)

from projections.tracking import metadata

#: where it failed: folding the aggregate, a handler (or its prepare), or writing the rows
Stage = Literal["fold", "apply", "write"]
MAX_ERROR = 2000

failures = Table(
    "pso_projection_failures",
    metadata,
    Column("projection", String(64), primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("position", BigInteger, nullable=False),
    Column("topic", String(200), nullable=False),
    Column("originator_id", String(36), nullable=False),
    Column("stage", String(8), nullable=False),
    Column("error", Text, nullable=False),
    Column("failed_at", DateTime(timezone=True), nullable=False),
)


@dataclass(frozen=True)
class Failure:
    """A projection version stopped just before the event at ``position``."""

    projection: str
    version: int
    position: int
    topic: str
    originator_id: str
    stage: Stage
    error: str
    failed_at: dt.datetime

    @property
    def key(self) -> tuple[str, int]:
        """The tracking key of the failed projection version."""
        return (self.projection, self.version)

    @property
    def label(self) -> str:
        """``name_v<version>``, as readiness and the lag header name read models."""
        return f"{self.projection}_v{self.version}"

    def describe(self) -> str:
        """One sentence for people: which projection, which event, what went wrong."""
        return (
            f"projection {self.projection} v{self.version} stopped before event {self.position} "
            f"({self.topic} of {self.originator_id}), failed in {self.stage}: {self.error}"
        )

    def public_document(self) -> dict[str, Any]:
        """What anyone may see (readiness): which read model stopped where and when; the error,
        the topic and the aggregate are for staff (they may name who applied)."""
        return {
            "projection": self.projection,
            "version": self.version,
            "position": self.position,
            "stage": self.stage,
            "failed_at": self.failed_at.isoformat(),
        }

    def to_document(self) -> dict[str, Any]:
        """JSON form (status, readiness, the staff worklist)."""
        return {
            "projection": self.projection,
            "version": self.version,
            "position": self.position,
            "topic": self.topic,
            "originator_id": self.originator_id,
            "stage": self.stage,
            "error": self.error,
            "failed_at": self.failed_at.isoformat(),
            "description": self.describe(),
        }


def failure_of(
    key: tuple[str, int], notification: Any, stage: Stage, exc: BaseException
) -> Failure:
    """The failure of a projection version on one stored event (a notification of the log)."""
    error = f"{type(exc).__name__}: {exc}"
    return Failure(
        projection=key[0],
        version=key[1],
        position=notification.id,
        topic=notification.topic,
        originator_id=str(notification.originator_id),
        stage=stage,
        error=error[:MAX_ERROR],
        failed_at=dt.datetime.now(dt.UTC),
    )


def failures_of(conn: Connection, keys: Iterable[tuple[str, int]] | None = None) -> list[Failure]:
    """The recorded failures (of these projection versions, or all), by projection."""
    rows = conn.execute(select(failures).order_by(failures.c.projection, failures.c.version))
    wanted = None if keys is None else set(keys)
    found = []
    for row in rows:
        failure = Failure(**dict(row._mapping))
        if failure.failed_at.tzinfo is None:  # SQLite forgets the zone; stored in UTC
            failure = _with_zone(failure)
        if wanted is None or failure.key in wanted:
            found.append(failure)
    return found


def record(conn: Connection, failure: Failure) -> None:
    """Record a failure (replacing an older one of the same projection version)."""
    clear(conn, failure.key)
    values = {
        name: getattr(failure, name)
        for name in ("projection", "version", "position", "topic", "originator_id")
    }
    conn.execute(
        insert(failures).values(
            **values, stage=failure.stage, error=failure.error, failed_at=failure.failed_at
        )
    )


def clear(conn: Connection, key: tuple[str, int]) -> None:
    """Forget the failure of a projection version (it was rebuilt)."""
    conn.execute(
        delete(failures).where(failures.c.projection == key[0], failures.c.version == key[1])
    )


def _with_zone(failure: Failure) -> Failure:
    values = vars(failure) | {"failed_at": failure.failed_at.replace(tzinfo=dt.UTC)}
    return Failure(**values)
