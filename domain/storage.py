"""From the one setting ``PSO_DATABASE_URL`` to the event store's configuration."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from domain.errors import InvalidInputError

MEMORY = "memory://"


def event_store_env(url: str, cipher_key: str | None = None) -> dict[str, str]:
    """eventsourcing settings for ``sqlite:///path``, ``postgresql://...`` or ``memory://``.

    With a cipher key, event payloads are encrypted at rest (AES-GCM).
    """
    env = _database_env(url)
    if cipher_key:
        env["CIPHER_TOPIC"] = "eventsourcing.cryptography:AESCipher"
        env["CIPHER_KEY"] = cipher_key
    return env


def new_cipher_key() -> str:
    """A fresh random key for ``PSO_CIPHER_KEY`` (256 bits, base64)."""
    from eventsourcing.cryptography import AESCipher  # noqa: PLC0415 (only when asked)

    return AESCipher.create_key(num_bytes=32)


def sqlite_file(url: str) -> Path | None:
    """The file of a ``sqlite:///relative/path`` or ``sqlite:////abs`` URL; None for another
    database."""
    parts = urlsplit(url)
    if parts.scheme.split("+", 1)[0] != "sqlite":
        return None
    path = unquote(parts.path.removeprefix("/")) if parts.netloc == "" else ""
    if not path:
        msg = f"PSO_DATABASE_URL: expected sqlite:///relative/path or sqlite:////abs, got {url!r}"
        raise InvalidInputError(msg)
    return Path(path)


def _database_env(url: str) -> dict[str, str]:
    if url == MEMORY:
        return {"PERSISTENCE_MODULE": "eventsourcing.popo"}
    parts = urlsplit(url)
    scheme = parts.scheme.split("+", 1)[0]
    path = sqlite_file(url)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        return {
            "PERSISTENCE_MODULE": "eventsourcing.sqlite",
            "SQLITE_DBNAME": str(path),
            # a command waits at most 5 s for SQLite's write lock, then answers 503 (a projection
            # batch of 1,000 events holds it under 0.1 s here; a single command about 1 ms)
            "SQLITE_LOCK_TIMEOUT": "5",
            # writers queue before eventsourcing's pool (see domain/sqlite_recorder.py)
            "APPLICATION_RECORDER_TOPIC": "domain.sqlite_recorder:SQLiteRecorder",
        }
    if scheme in ("postgresql", "postgres"):
        env = {
            "PERSISTENCE_MODULE": "eventsourcing.postgres",
            "POSTGRES_DBNAME": parts.path.removeprefix("/") or "postgres",
            "POSTGRES_HOST": parts.hostname or "127.0.0.1",
            "POSTGRES_PORT": str(parts.port or 5432),
            "POSTGRES_USER": unquote(parts.username or "postgres"),
            "POSTGRES_PASSWORD": unquote(parts.password or ""),
            # eventsourcing's recorder without pipeline mode (see domain/postgres_recorder.py)
            "APPLICATION_RECORDER_TOPIC": "domain.postgres_recorder:PostgresRecorder",
        }
        schema = parse_qs(parts.query).get("schema")
        if schema:
            env["POSTGRES_SCHEMA"] = schema[0]
        return env
    msg = f"PSO_DATABASE_URL: unsupported database {url!r}; use sqlite:///..., postgresql://..."
    raise InvalidInputError(msg)
