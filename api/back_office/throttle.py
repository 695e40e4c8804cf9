"""Failed sign-ins, counted in the register's database per user name and per client (so every
process counts the same): after ``LIMIT`` failures within ``WINDOW`` the next attempt is refused
until the oldest of them is ``WINDOW`` old."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Column,
    DateTime,
    Engine,
    Integer,
    MetaData,
    String,
    Table,
    delete,
    func,
    insert,
    select,
)

from domain.clock import Clock
from projections.database import create_tables

metadata = MetaData()
failures = Table(
    "pso_sign_in_failures",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    #: ``user:<name>`` or ``client:<address>``
    Column("subject", String(140), nullable=False, index=True),
    Column("failed_at", DateTime(timezone=True), nullable=False),
)
LIMIT = 5
WINDOW = dt.timedelta(minutes=15)


def subjects(user_name: str, client: str) -> tuple[str, str]:
    """What one attempt counts against: the user name (lower case) and the client."""
    return f"user:{user_name.strip().lower()[:100]}", f"client:{client[:100]}"


def _utc(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


class SignInThrottle:
    """The failures of the last ``WINDOW``, and whether a new attempt may be made."""

    def __init__(self, engine: Engine, reader: Engine, clock: Clock) -> None:
        self.engine = engine
        self.reader = reader
        self.clock = clock
        create_tables(engine, metadata)

    def refused_until(self, counted: tuple[str, ...]) -> dt.datetime | None:
        """When an attempt against these subjects may be made again; None: now."""
        since = self.clock.now() - WINDOW
        latest: dt.datetime | None = None
        with self.reader.connect() as conn:
            for subject in counted:
                times = conn.execute(
                    select(failures.c.failed_at)
                    .where(failures.c.subject == subject, failures.c.failed_at > since)
                    .order_by(failures.c.failed_at.desc())
                    .limit(LIMIT)
                ).scalars()
                found = [_utc(t) for t in times]
                if len(found) >= LIMIT:
                    until = found[-1] + WINDOW
                    latest = until if latest is None else max(latest, until)
        return latest

    def failed(self, counted: tuple[str, ...]) -> None:
        """Count a failed attempt against each subject (and forget failures past the window)."""
        now = self.clock.now()
        with self.engine.begin() as conn:
            conn.execute(delete(failures).where(failures.c.failed_at <= now - WINDOW))
            conn.execute(insert(failures), [{"subject": s, "failed_at": now} for s in counted])

    def succeeded(self, subject: str) -> None:
        """Forget a user name's failures once its owner signed in."""
        with self.engine.begin() as conn:
            conn.execute(delete(failures).where(failures.c.subject == subject))

    def count(self, subject: str) -> int:
        """Failures within the window (for tests and the log)."""
        since = self.clock.now() - WINDOW
        with self.reader.connect() as conn:
            query = select(func.count()).where(
                failures.c.subject == subject, failures.c.failed_at > since
            )
            return int(conn.execute(query).scalar_one())
