"""Staff and CI users with bearer tokens: a token is shown once, stored only as a hash, and
expires (90 days unless asked otherwise). A user may also have a password for the back office
(``pso users password``; only its Argon2id hash is kept: api/passwords.py)."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
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
    inspect,
    select,
    text,
    update,
)
from sqlalchemy.exc import OperationalError

from api.passwords import hash_password, needs_rehash, verify_password
from domain.clock import Clock, SystemClock
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
    #: null for tokens made before tokens expired (``pso users list`` shows them as "never")
    Column("expires_at", DateTime(timezone=True)),
    #: the Argon2id hash of the back-office password; null: the user cannot sign in
    Column("password_hash", String(200)),
)
USER_ROLES = (Role.ADMIN, Role.STAFF, Role.AUDITOR)
#: how long a token is valid unless ``pso users create --expires`` says otherwise
TOKEN_LIFETIME = dt.timedelta(days=90)
#: the longest lifetime a token may be given
MAX_TOKEN_LIFETIME = dt.timedelta(days=730)
_LIFETIME = re.compile(r"(\d{1,6})([dh])")


@dataclass(frozen=True)
class User:
    """Someone who may call the staff API."""

    name: str
    role: Role
    ci: str | None


class ExpiredTokenError(Exception):
    """A token that was valid until the moment given."""

    def __init__(self, expired_at: dt.datetime) -> None:
        super().__init__(f"the token expired at {expired_at:%Y-%m-%d %H:%M} UTC")
        self.expired_at = expired_at


def token_lifetime(text: str) -> dt.timedelta:
    """``90d`` or ``12h``: how long a new token stays valid (at most two years)."""
    found = _LIFETIME.fullmatch(text.strip().lower())
    lifetime = None
    if found:
        count = int(found.group(1))
        lifetime = dt.timedelta(days=count) if found.group(2) == "d" else dt.timedelta(hours=count)
    if lifetime is None or not dt.timedelta(0) < lifetime <= MAX_TOKEN_LIFETIME:
        msg = f"expires: a number of days or hours such as 90d or 12h, at most 730d; got {text!r}"
        raise InvalidInputError(msg)
    return lifetime


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Users:
    """The user table of the register's database: written through ``engine``, read (token
    checks included) through ``reader``, which on SQLite never waits for the write lock."""

    def __init__(self, engine: Engine, reader: Engine, clock: Clock | None = None) -> None:
        self.engine = engine
        self.reader = reader
        self.clock = clock or SystemClock()
        create_tables(engine, metadata)
        _add_expiry_column(engine)
        _add_password_column(engine)

    def create(
        self,
        name: str,
        role: str,
        ci: str | None = None,
        expires_in: dt.timedelta = TOKEN_LIFETIME,
    ) -> str:
        """Add a user and return its token (shown once; only its hash is kept), valid for
        ``expires_in`` from now."""
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
                    created_at=self.clock.now(),
                    expires_at=self.clock.now() + expires_in,
                )
            )
        return token

    def token_for(self, name: str, role: str, token: str | None) -> str:
        """``token`` while it is still the valid token of user ``name``; otherwise a new token
        for that user (created, or its old token replaced), valid for the default lifetime."""
        if token is not None:
            try:
                user = self.authenticate(token)
            except ExpiredTokenError:
                user = None
            if user is not None and user.name == name:
                return token
        with self.reader.connect() as conn:
            known = conn.execute(select(users.c.id).where(users.c.name == name)).first()
        if known is None:
            return self.create(name, role)
        token = "pso_" + secrets.token_urlsafe(32)
        with self.engine.begin() as conn:
            conn.execute(
                update(users)
                .where(users.c.name == name)
                .values(
                    token_hash=_hash(token),
                    revoked_at=None,
                    expires_at=self.clock.now() + TOKEN_LIFETIME,
                )
            )
        return token

    def revoke(self, name: str) -> None:
        """Make a user's token useless from now on."""
        with self.engine.begin() as conn:
            done = conn.execute(
                update(users)
                .where(users.c.name == name, users.c.revoked_at.is_(None))
                .values(revoked_at=self.clock.now())
            )
        if done.rowcount == 0:
            raise NotFoundError(f"no active user {name!r}")

    def authenticate(self, token: str) -> User | None:
        """The active user holding this token, or None (compared in constant time);
        ``ExpiredTokenError`` for a token past its expiry."""
        digest = _hash(token)
        with self.reader.connect() as conn:
            row = conn.execute(
                select(users).where(users.c.token_hash == digest, users.c.revoked_at.is_(None))
            ).first()
        if row is None or not hmac.compare_digest(row.token_hash, digest):
            return None
        if row.expires_at is not None:
            expires_at = _utc(row.expires_at)
            if self.clock.now() >= expires_at:
                raise ExpiredTokenError(expires_at)
        return User(row.name, Role(row.role), row.ci)

    def set_password(self, name: str, password: str) -> None:
        """Give a user a (new) back-office password; ``InvalidInputError`` names the rule a
        password breaks, ``NotFoundError`` when there is no such user."""
        hashed = hash_password(password)
        with self.engine.begin() as conn:
            done = conn.execute(
                update(users).where(users.c.name == name).values(password_hash=hashed)
            )
        if done.rowcount == 0:
            raise NotFoundError(f"no user {name!r}")

    def sign_in(self, name: str, password: str) -> User | None:
        """The user when ``password`` is theirs and they may still sign in (not revoked, not
        expired); None otherwise, in about the same time whether the name is known or not."""
        with self.reader.connect() as conn:
            row = conn.execute(select(users).where(users.c.name == name)).first()
        stored = None if row is None else row.password_hash
        if not verify_password(stored, password) or row is None:
            return None
        if stored is not None and needs_rehash(stored):
            self.set_password(name, password)
        return self.active(name)

    def active(self, name: str) -> User | None:
        """The user called ``name`` while they may act: not revoked and not past the expiry of
        their account (its token's expiry), else None."""
        with self.reader.connect() as conn:
            row = conn.execute(
                select(users).where(users.c.name == name, users.c.revoked_at.is_(None))
            ).first()
        if row is None:
            return None
        if row.expires_at is not None and self.clock.now() >= _utc(row.expires_at):
            return None
        return User(row.name, Role(row.role), row.ci)

    def listing(self) -> list[dict[str, object]]:
        """Every user without its token hash."""
        with self.reader.connect() as conn:
            rows = conn.execute(select(users).order_by(users.c.name)).all()
        now = self.clock.now()
        return [
            {
                "name": r.name,
                "role": r.role,
                "ci": r.ci,
                "revoked": r.revoked_at is not None,
                "expires_at": _utc(r.expires_at).isoformat() if r.expires_at else "never",
                "expired": r.expires_at is not None and now >= _utc(r.expires_at),
                "password": r.password_hash is not None,
            }
            for r in rows
        ]


def _utc(moment: dt.datetime) -> dt.datetime:
    """A stored moment as aware UTC (SQLite forgets the zone)."""
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _add_expiry_column(engine: Engine) -> None:
    """Give a user table made before tokens expired its ``expires_at`` column (its tokens keep
    no expiry: ``pso users list`` shows them, ``pso users revoke`` ends them)."""
    _add_column(engine, "expires_at", "TIMESTAMP WITH TIME ZONE", "DATETIME")


def _add_password_column(engine: Engine) -> None:
    """Give a user table made before the back office its ``password_hash`` column (null: no
    password yet, so nobody signs in until ``pso users password`` sets one)."""
    _add_column(engine, "password_hash", "VARCHAR(200)", "VARCHAR(200)")


def _add_column(engine: Engine, name: str, postgres_kind: str, sqlite_kind: str) -> None:
    """Add a nullable column to the user table unless it has it (a race with another process
    adding it first is harmless)."""
    if name in {c["name"] for c in inspect(engine).get_columns(users.name)}:
        return
    postgres = engine.dialect.name == "postgresql"
    kind = postgres_kind if postgres else sqlite_kind
    guard = "IF NOT EXISTS " if postgres else ""
    try:
        with engine.begin() as conn:
            conn.execute(text(f"ALTER TABLE {users.name} ADD COLUMN {guard}{name} {kind}"))
    except OperationalError:  # SQLite: another process added it first
        if name not in {c["name"] for c in inspect(engine).get_columns(users.name)}:
            raise
