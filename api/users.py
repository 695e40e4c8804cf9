"""Staff and CI users with bearer tokens: a token is shown once and stored only as a hash."""

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
    Integer,
    MetaData,
    String,
    Table,
    insert,
    select,
    update,
)

from domain.errors import InvalidInputError, NotFoundError
from domain.values import Role, ci_code
from projections.database import create_tables

metadata = MetaData()
users = Table(
    "pso_users",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(100), nullable=False, unique=True),
    Column("role", String(20), nullable=False),
    Column("ci", String(40)),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("revoked_at", DateTime(timezone=True)),
)
USER_ROLES = (Role.ADMIN, Role.STAFF, Role.AUDITOR)


@dataclass(frozen=True)
class User:
    """Someone who may call the staff API."""

    name: str
    role: Role
    ci: str | None


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Users:
    """The user table of the register's database: written through ``engine``, read (token
    checks included) through ``reader``, which on SQLite never waits for the write lock."""

    def __init__(self, engine: Engine, reader: Engine) -> None:
        self.engine = engine
        self.reader = reader
        create_tables(engine, metadata)

    def create(self, name: str, role: str, ci: str | None = None) -> str:
        """Add a user and return its token (shown once; only its hash is kept)."""
        if role not in [r.value for r in USER_ROLES]:
            raise InvalidInputError(f"role: must be admin, staff or auditor, got {role!r}")
        if role == Role.AUDITOR:
            ci = ci_code(ci or "")
        if role != Role.AUDITOR and ci is not None:
            raise InvalidInputError("ci: only auditors belong to a certifying institution")
        token = "pso_" + secrets.token_urlsafe(32)
        with self.engine.begin() as conn:
            if conn.execute(select(users.c.id).where(users.c.name == name)).first():
                raise InvalidInputError(f"name: a user {name!r} exists already")
            conn.execute(
                insert(users).values(
                    name=name,
                    role=role,
                    ci=ci,
                    token_hash=_hash(token),
                    created_at=dt.datetime.now(dt.UTC),
                )
            )
        return token

    def revoke(self, name: str) -> None:
        """Make a user's token useless from now on."""
        with self.engine.begin() as conn:
            done = conn.execute(
                update(users)
                .where(users.c.name == name, users.c.revoked_at.is_(None))
                .values(revoked_at=dt.datetime.now(dt.UTC))
            )
        if done.rowcount == 0:
            raise NotFoundError(f"no active user {name!r}")

    def authenticate(self, token: str) -> User | None:
        """The active user holding this token, or None (compared in constant time)."""
        digest = _hash(token)
        with self.reader.connect() as conn:
            row = conn.execute(
                select(users).where(users.c.token_hash == digest, users.c.revoked_at.is_(None))
            ).first()
        if row is None or not hmac.compare_digest(row.token_hash, digest):
            return None
        return User(row.name, Role(row.role), row.ci)

    def listing(self) -> list[dict[str, object]]:
        """Every user without its token hash."""
        with self.reader.connect() as conn:
            rows = conn.execute(select(users).order_by(users.c.name)).all()
        return [
            {"name": r.name, "role": r.role, "ci": r.ci, "revoked": r.revoked_at is not None}
            for r in rows
        ]
