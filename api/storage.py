"""From the one setting ``PSO_DATABASE_URL`` to the event store and the read models' engines.

The URL is parsed once, here, into a ``Database``; the event store's settings (eventsourcing's
environment, with the cipher when a key is set) and the SQLAlchemy engines are made from it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal
from urllib.parse import parse_qs, unquote, urlsplit

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from domain.errors import InvalidInputError
from projections.database import memory_engine, postgres_engine, sqlite_engine

MEMORY = "memory://"
Kind = Literal["memory", "sqlite", "postgresql"]


@dataclass(frozen=True)
class Database:
    """The database of ``PSO_DATABASE_URL``: in memory, a SQLite file or PostgreSQL."""

    url: str
    kind: Kind
    #: the SQLite file (relative to the working directory unless absolute)
    path: Path | None = None
    host: str = "127.0.0.1"
    port: int = 5432
    user: str = "postgres"
    password: str = ""
    name: str = "postgres"
    schema: str | None = None

    @classmethod
    def parse(cls, url: str) -> Database:
        """``memory://``, ``sqlite:///relative/path``, ``sqlite:////abs`` or
        ``postgresql://user:password@host:port/name?schema=...``."""
        if url == MEMORY:
            return cls(url, "memory")
        parts = urlsplit(url)
        scheme = parts.scheme.split("+", 1)[0]
        if scheme == "sqlite":
            path = unquote(parts.path.removeprefix("/")) if parts.netloc == "" else ""
            if not path:
                msg = (
                    "PSO_DATABASE_URL: expected sqlite:///relative/path or sqlite:////abs, "
                    f"got {url!r}"
                )
                raise InvalidInputError(msg)
            return cls(url, "sqlite", path=Path(path))
        if scheme in ("postgresql", "postgres"):
            schema = parse_qs(parts.query).get("schema")
            try:
                port = parts.port or 5432
            except ValueError:
                msg = f"PSO_DATABASE_URL: the port of {url!r} is not a number"
                raise InvalidInputError(msg) from None
            return cls(
                url,
                "postgresql",
                host=parts.hostname or "127.0.0.1",
                port=port,
                user=unquote(parts.username or "postgres"),
                password=unquote(parts.password or ""),
                name=parts.path.removeprefix("/") or "postgres",
                schema=schema[0] if schema else None,
            )
        msg = f"PSO_DATABASE_URL: unsupported database {url!r}; use sqlite:///..., postgresql://..."
        raise InvalidInputError(msg)

    def event_store_env(self, cipher_key: str | None = None) -> dict[str, str]:
        """eventsourcing's settings for this database; with a cipher key, event payloads are
        encrypted at rest (AES-GCM)."""
        env = self._recorder_env()
        if cipher_key:
            env["CIPHER_TOPIC"] = "eventsourcing.cryptography:AESCipher"
            env["CIPHER_KEY"] = cipher_key
        return env

    def _recorder_env(self) -> dict[str, str]:
        if self.kind == "memory":
            return {"PERSISTENCE_MODULE": "eventsourcing.popo"}
        if self.kind == "sqlite":
            assert self.path is not None  # noqa: S101 (parse sets it for SQLite)
            self.path.parent.mkdir(parents=True, exist_ok=True)
            return {
                "PERSISTENCE_MODULE": "eventsourcing.sqlite",
                "SQLITE_DBNAME": str(self.path),
                # a command waits at most 5 s for SQLite's write lock, then answers 503 (a
                # projection batch of 1,000 events holds it under 0.1 s here; a command ~1 ms)
                "SQLITE_LOCK_TIMEOUT": "5",
                # writers queue before eventsourcing's pool (see api/recorders.py)
                "APPLICATION_RECORDER_TOPIC": "api.recorders:SQLiteRecorder",
            }
        env = {
            "PERSISTENCE_MODULE": "eventsourcing.postgres",
            "POSTGRES_DBNAME": self.name,
            "POSTGRES_HOST": self.host,
            "POSTGRES_PORT": str(self.port),
            "POSTGRES_USER": self.user,
            "POSTGRES_PASSWORD": self.password,
            # eventsourcing's recorder without pipeline mode (see api/recorders.py)
            "APPLICATION_RECORDER_TOPIC": "api.recorders:PostgresRecorder",
        }
        if self.schema:
            env["POSTGRES_SCHEMA"] = self.schema
        return env

    def engine(self, *, writer: bool = False, timeout: float | None = None) -> Engine:
        """A SQLAlchemy engine for the read models (see projections/database.py for the
        SQLite locking and the PostgreSQL timeouts)."""
        if self.kind == "memory":
            return memory_engine()
        if self.kind == "sqlite":
            return sqlite_engine(self.url, writer=writer, timeout=timeout)
        return postgres_engine(self.url, self.schema, timeout=timeout)

    def exists(self) -> bool:
        """False for a SQLite file not created yet (asking does not create it), else True."""
        return self.path is None or self.path.exists()


def event_store_env(url: str, cipher_key: str | None = None) -> dict[str, str]:
    """eventsourcing settings for a database URL (``Database.parse(url).event_store_env``)."""
    return Database.parse(url).event_store_env(cipher_key)


def engine_for(url: str, *, writer: bool = False, timeout: float | None = None) -> Engine:
    """A read-model engine for a database URL (``Database.parse(url).engine``)."""
    return Database.parse(url).engine(writer=writer, timeout=timeout)


def new_cipher_key() -> str:
    """A fresh random key for ``PSO_CIPHER_KEY`` (256 bits, base64)."""
    from eventsourcing.cryptography import AESCipher  # noqa: PLC0415 (only when asked)

    return AESCipher.create_key(num_bytes=32)


def unreachable(url: str, timeout: float = 5.0) -> str | None:
    """Why a PostgreSQL database cannot be opened (its driver's first line), or None; SQLite
    files are created when first opened."""
    if not url.startswith(("postgresql", "postgres")):
        return None
    engine = engine_for(url, timeout=timeout)
    try:
        with engine.connect():
            return None
    except SQLAlchemyError as exc:
        return str(getattr(exc, "orig", exc) or exc).strip().splitlines()[0]
    finally:
        engine.dispose()
