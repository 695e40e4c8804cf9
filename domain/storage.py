"""From the one setting ``PSO_DATABASE_URL`` to the event store's configuration."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from domain.errors import InvalidInputError

MEMORY = "memory://"


def event_store_env(url: str) -> dict[str, str]:
    """eventsourcing settings for ``sqlite:///path``, ``postgresql://...`` or ``memory://``."""
    if url == MEMORY:
        return {"PERSISTENCE_MODULE": "eventsourcing.popo"}
    parts = urlsplit(url)
    scheme = parts.scheme.split("+", 1)[0]
    if scheme == "sqlite":
        path = unquote(parts.path.removeprefix("/")) if parts.netloc == "" else ""
        if not path:
            msg = (
                f"PSO_DATABASE_URL: expected sqlite:///relative/path or sqlite:////abs, got {url!r}"
            )
            raise InvalidInputError(msg)
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        return {
            "PERSISTENCE_MODULE": "eventsourcing.sqlite",
            "SQLITE_DBNAME": path,
            "SQLITE_LOCK_TIMEOUT": "10",
        }
    if scheme in ("postgresql", "postgres"):
        env = {
            "PERSISTENCE_MODULE": "eventsourcing.postgres",
            "POSTGRES_DBNAME": parts.path.removeprefix("/") or "postgres",
            "POSTGRES_HOST": parts.hostname or "127.0.0.1",
            "POSTGRES_PORT": str(parts.port or 5432),
            "POSTGRES_USER": unquote(parts.username or "postgres"),
            "POSTGRES_PASSWORD": unquote(parts.password or ""),
        }
        schema = parse_qs(parts.query).get("schema")
        if schema:
            env["POSTGRES_SCHEMA"] = schema[0]
        return env
    msg = f"PSO_DATABASE_URL: unsupported database {url!r}; use sqlite:///..., postgresql://..."
    raise InvalidInputError(msg)
