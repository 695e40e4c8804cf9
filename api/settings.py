"""The one settings object, read from ``PSO_*`` environment variables."""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass
from typing import Literal

LogFormat = Literal["auto", "json", "console"]
DEFAULT_DATABASE_URL = "sqlite:///var/pso.sqlite3"


@dataclass(frozen=True)
class Settings:
    """Configuration of one process; every field has an environment variable."""

    database_url: str = DEFAULT_DATABASE_URL
    log_format: LogFormat = "auto"
    log_level: str = "INFO"
    host: str = "127.0.0.1"
    port: int = 8000
    cipher_key: str | None = None
    scheduler: bool = True
    sweep_interval: float = 60.0
    rate_limit_per_minute: int = 600
    max_body_bytes: int = 2_000_000
    outbox_lease_seconds: float = 300.0
    outbox_max_attempts: int = 12
    outbox_retry_seconds: float = 60.0
    #: events a read model may lag behind the log, and for how many seconds longer than that
    #: before /readyz says not ready
    ready_max_lag: int = 1000
    ready_lag_grace: float = 60.0
    #: proxies (addresses or networks) whose X-Forwarded-For names the client; none by default,
    #: so a client cannot pick its own rate-limit bucket by sending the header
    trusted_proxies: tuple[str, ...] = ()

    @classmethod
    def from_env(cls) -> Settings:
        """Read PSO_DATABASE_URL, PSO_LOG_*, PSO_HOST, PSO_PORT and PSO_CIPHER_KEY."""
        env = os.environ
        log_format = env.get("PSO_LOG_FORMAT", "auto")
        if log_format not in ("auto", "json", "console"):
            msg = f"PSO_LOG_FORMAT must be auto, json or console, got {log_format!r}"
            raise ValueError(msg)
        port = env.get("PSO_PORT", "8000")
        if not port.isdigit():
            msg = f"PSO_PORT must be a port number, got {port!r}"
            raise ValueError(msg)
        return cls(
            database_url=env.get("PSO_DATABASE_URL", DEFAULT_DATABASE_URL),
            log_format=log_format,  # type: ignore[arg-type]  # checked against the Literal above
            log_level=env.get("PSO_LOG_LEVEL", "INFO").upper(),
            host=env.get("PSO_HOST", "127.0.0.1"),
            port=int(port),
            cipher_key=env.get("PSO_CIPHER_KEY") or None,
            scheduler=env.get("PSO_SCHEDULER", "on").lower() not in ("off", "0", "false", "no"),
            sweep_interval=float(env.get("PSO_SWEEP_INTERVAL", "60")),
            rate_limit_per_minute=int(env.get("PSO_RATE_LIMIT", "600")),
            outbox_lease_seconds=float(env.get("PSO_OUTBOX_LEASE", "300")),
            outbox_max_attempts=int(env.get("PSO_OUTBOX_MAX_ATTEMPTS", "12")),
            outbox_retry_seconds=float(env.get("PSO_OUTBOX_RETRY", "60")),
            ready_max_lag=int(env.get("PSO_READY_MAX_LAG", "1000")),
            ready_lag_grace=float(env.get("PSO_READY_LAG_GRACE", "60")),
            trusted_proxies=trusted_proxies(env.get("PSO_TRUSTED_PROXIES", "")),
        )


def trusted_proxies(value: str) -> tuple[str, ...]:
    """PSO_TRUSTED_PROXIES: comma-separated IP addresses or networks (``10.0.0.0/8``)."""
    found = tuple(part.strip() for part in value.split(",") if part.strip())
    for part in found:
        try:
            ipaddress.ip_network(part, strict=False)
        except ValueError:
            msg = f"PSO_TRUSTED_PROXIES: {part!r} is not an IP address or network"
            raise ValueError(msg) from None
    return found
