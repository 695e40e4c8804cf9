"""Back-office sessions in the register's database (table ``pso_sessions``), so signing out and
the idle timeout are real and several processes share them: the session id is stored only as
its SHA-256 hash, with the user, when it began, when it was last seen and its CSRF secret."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from sqlalchemy import (
    Column,
    DateTime,
    Engine,
    MetaData,
    String,
    Table,
    delete,
    insert,
    select,
    update,
)

from domain.clock import Clock
from projections.database import create_tables

metadata = MetaData()
sessions = Table(
    "pso_sessions",
    metadata,
    Column("id_hash", String(64), primary_key=True),
    Column("user_name", String(100), nullable=False, index=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("last_seen_at", DateTime(timezone=True), nullable=False),
    Column("csrf_secret", String(64), nullable=False),
)
#: a session seen more recently than this is not written again (one write a minute at most)
TOUCH_EVERY = dt.timedelta(minutes=1)


@dataclass(frozen=True)
class Session:
    """A signed-in session: whose it is and the secret its forms carry."""

    user_name: str
    created_at: dt.datetime
    last_seen_at: dt.datetime
    csrf_secret: str

    def csrf_matches(self, token: str) -> bool:
        """Whether a form's token is this session's (compared in constant time)."""
        return hmac.compare_digest(self.csrf_secret.encode(), token.encode())


def _hash(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()


def _utc(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


class Sessions:
    """The session table: begun at sign-in, found per request (ended once idle or too old),
    ended at sign-out."""

    def __init__(
        self, engine: Engine, reader: Engine, clock: Clock, idle: dt.timedelta,
        lifetime: dt.timedelta,
    ) -> None:  # fmt: skip
        self.engine = engine
        self.reader = reader
        self.clock = clock
        self.idle = idle
        self.lifetime = lifetime
        create_tables(engine, metadata)

    def begin(self, user_name: str) -> tuple[str, Session]:
        """A new session for a user: its id (for the cookie; only its hash is kept) and it."""
        session_id = secrets.token_urlsafe(32)
        now = self.clock.now()
        session = Session(user_name, now, now, secrets.token_urlsafe(32))
        with self.engine.begin() as conn:
            conn.execute(delete(sessions).where(sessions.c.last_seen_at < now - self.idle))
            conn.execute(
                insert(sessions).values(
                    id_hash=_hash(session_id),
                    user_name=user_name,
                    created_at=now,
                    last_seen_at=now,
                    csrf_secret=session.csrf_secret,
                )
            )
        return session_id, session

    def find(self, session_id: str) -> Session | None:
        """The live session of this id, seen now; None when unknown, idle longer than the idle
        timeout or older than the lifetime (such a session is deleted)."""
        digest = _hash(session_id)
        with self.reader.connect() as conn:
            row = conn.execute(select(sessions).where(sessions.c.id_hash == digest)).first()
        if row is None:
            return None
        now = self.clock.now()
        created, seen = _utc(row.created_at), _utc(row.last_seen_at)
        if now - seen >= self.idle or now - created >= self.lifetime:
            self.end(session_id)
            return None
        if now - seen >= TOUCH_EVERY:
            with self.engine.begin() as conn:
                conn.execute(
                    update(sessions).where(sessions.c.id_hash == digest).values(last_seen_at=now)
                )
            seen = now
        return Session(row.user_name, created, seen, row.csrf_secret)

    def end(self, session_id: str) -> None:
        """Delete a session (sign-out): its cookie opens nothing from now on."""
        with self.engine.begin() as conn:
            conn.execute(delete(sessions).where(sessions.c.id_hash == _hash(session_id)))

    def end_all(self, user_name: str) -> None:
        """Delete every session of a user (a revoked user, a new password)."""
        with self.engine.begin() as conn:
            conn.execute(delete(sessions).where(sessions.c.user_name == user_name))
