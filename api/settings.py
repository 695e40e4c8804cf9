"""The one settings object, read from ``PSO_*`` environment variables and validated at start.

``Settings.from_env()`` reads the environment; a bad value raises ``SettingsError`` naming every
bad variable with what it expects (the ``pso`` commands print it and exit 2, never a traceback).
Code and tests that build a ``Settings(...)`` themselves pass fields by name; the fields they
leave out are read from the environment the same way.
"""

from __future__ import annotations

import base64
import binascii
import ipaddress
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import AliasChoices, Field, ValidationError, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from domain.signatures import SigningKey, StatementFormatError

LogFormat = Literal["auto", "json", "console"]
LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]
DEFAULT_DATABASE_URL = "sqlite:///var/pso.sqlite3"
DATABASES = ("sqlite", "postgresql", "postgres", "memory")


def _env(name: str, field: str, default: Any, **constraints: Any) -> Any:
    """A field set by ``PSO_<NAME>`` in the environment, or by its name in code."""
    return Field(default, validation_alias=AliasChoices(f"PSO_{name}", field), **constraints)


class SettingsError(ValueError):
    """Environment variables with values the register cannot use; one line per variable."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


class Settings(BaseSettings):
    """Configuration of one process; every field has an environment variable (README)."""

    model_config = SettingsConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    database_url: str = _env("DATABASE_URL", "database_url", DEFAULT_DATABASE_URL)
    log_format: LogFormat = _env("LOG_FORMAT", "log_format", "auto")
    log_level: LogLevel = _env("LOG_LEVEL", "log_level", "INFO")
    host: str = _env("HOST", "host", "127.0.0.1", min_length=1)
    port: int = _env("PORT", "port", 8000, ge=1, le=65535)
    cipher_key: str | None = _env("CIPHER_KEY", "cipher_key", None)
    #: the Ed25519 key that signs statements: its 32 private bytes in base64, or a PEM file
    statement_key: str | None = _env("STATEMENT_KEY", "statement_key", None)
    statement_key_file: str | None = _env("STATEMENT_KEY_FILE", "statement_key_file", None)
    scheduler: bool = _env("SCHEDULER", "scheduler", True)  # noqa: FBT003 (a default)
    sweep_interval: float = _env("SWEEP_INTERVAL", "sweep_interval", 60.0, gt=0)
    #: public requests per client and minute; 0: no limit
    rate_limit_per_minute: int = _env("RATE_LIMIT", "rate_limit_per_minute", 600, ge=0)
    max_body_bytes: int = _env("MAX_BODY_BYTES", "max_body_bytes", 2_000_000, gt=0)
    outbox_lease_seconds: float = _env("OUTBOX_LEASE", "outbox_lease_seconds", 300.0, gt=0)
    outbox_max_attempts: int = _env("OUTBOX_MAX_ATTEMPTS", "outbox_max_attempts", 12, ge=1)
    outbox_retry_seconds: float = _env("OUTBOX_RETRY", "outbox_retry_seconds", 60.0, gt=0)
    #: events a read model may lag behind the log, and for how many seconds longer than that
    #: before /readyz says not ready
    ready_max_lag: int = _env("READY_MAX_LAG", "ready_max_lag", 1000, ge=0)
    ready_lag_grace: float = _env("READY_LAG_GRACE", "ready_lag_grace", 60.0, ge=0)
    #: the back office (/beheer): minutes a session lives without a request, and hours at most
    session_idle_minutes: int = _env("SESSION_IDLE_MINUTES", "session_idle_minutes", 30, ge=1)
    session_lifetime_hours: int = _env(
        "SESSION_LIFETIME_HOURS", "session_lifetime_hours", 12, ge=1, le=168
    )
    #: proxies (addresses or networks) whose X-Forwarded-For names the client; none by default,
    #: so a client cannot pick its own rate-limit bucket by sending the header
    trusted_proxies: Annotated[tuple[str, ...], NoDecode] = _env(
        "TRUSTED_PROXIES", "trusted_proxies", ()
    )

    @classmethod
    def from_env(cls) -> Settings:
        """The settings of this process from its environment; ``SettingsError`` names every
        bad variable."""
        try:
            return cls()
        except ValidationError as exc:
            raise SettingsError([_problem(error) for error in exc.errors()]) from None

    @field_validator("log_format", mode="before")
    @classmethod
    def _lower(cls, value: Any) -> Any:
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper(cls, value: Any) -> Any:
        return value.strip().upper() if isinstance(value, str) else value

    @field_validator("cipher_key", "statement_key", "statement_key_file", mode="before")
    @classmethod
    def _unset_when_empty(cls, value: Any) -> Any:
        return value or None

    @field_validator("database_url")
    @classmethod
    def _database(cls, value: str) -> str:
        parts = urlsplit(value)
        scheme = parts.scheme.split("+", 1)[0]
        sqlite_path = scheme == "sqlite" and parts.netloc == "" and parts.path.strip("/")
        if scheme not in DATABASES or (scheme == "sqlite" and not sqlite_path):
            msg = "expected sqlite:///relative/path, sqlite:////absolute/path or postgresql://..."
            raise ValueError(msg)
        return value

    @field_validator("cipher_key")
    @classmethod
    def _cipher_key(cls, value: str | None) -> str | None:
        if value is None:
            return None
        try:
            key = base64.b64decode(value, validate=True)
        except binascii.Error:
            key = b""
        if len(key) not in (16, 24, 32):
            msg = "expected a base64 AES key of 16, 24 or 32 bytes (see the README: PSO_CIPHER_KEY)"
            raise ValueError(msg)
        return value

    @field_validator("statement_key")
    @classmethod
    def _statement_key(cls, value: str | None) -> str | None:
        if value is not None:
            signing_key_of(value.encode(), "the value")
        return value

    @field_validator("statement_key_file")
    @classmethod
    def _statement_key_file(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is None:
            return None
        if info.data.get("statement_key") is not None:
            msg = "set PSO_STATEMENT_KEY or PSO_STATEMENT_KEY_FILE, not both"
            raise ValueError(msg)
        try:
            content = Path(value).read_bytes()
        except OSError as exc:
            msg = f"cannot read the key file {value}: {exc.strerror}"
            raise ValueError(msg) from None
        signing_key_of(content, f"the key file {value}")
        return value

    @field_validator("trusted_proxies", mode="before")
    @classmethod
    def _proxies(cls, value: Any) -> Any:
        return trusted_proxies(value) if isinstance(value, str) else value


def signing_key_of(content: bytes, what: str) -> SigningKey:
    """The statement key written as PEM (PKCS #8, as ``pso statement keygen FILE`` writes it)
    or as the base64 of its 32 private bytes."""
    try:
        if content.lstrip().startswith(b"-----BEGIN"):
            return SigningKey.from_pem(content)
        raw = base64.b64decode(content.strip(), validate=True)
        return SigningKey.from_raw(raw)
    except (StatementFormatError, binascii.Error, ValueError):
        msg = (
            f"{what} is not an Ed25519 private key: expected the base64 of its 32 bytes or a PEM"
            " file (pso statement keygen makes one)"
        )
        raise ValueError(msg) from None


def trusted_proxies(value: str) -> tuple[str, ...]:
    """PSO_TRUSTED_PROXIES: comma-separated IP addresses or networks (``10.0.0.0/8``)."""
    found = tuple(part.strip() for part in value.split(",") if part.strip())
    for part in found:
        try:
            ipaddress.ip_network(part, strict=False)
        except ValueError:
            msg = f"{part!r} is not an IP address or network"
            raise ValueError(msg) from None
    return found


#: variables whose values an error never repeats
SECRETS = frozenset({"PSO_STATEMENT_KEY"})
#: what each kind of problem means, in the words of an operator
_EXPECTED = {
    "bool_parsing": "expected on/off (or true/false, yes/no, 1/0)",
    "int_parsing": "expected a whole number",
    "float_parsing": "expected a number",
    "literal_error": "expected one of {expected}",
}


def _problem(error: Any) -> str:
    """One line for one bad variable: its name, what it expects, what it got."""
    loc = error["loc"]
    name = loc[0] if loc else "settings"
    if not str(name).startswith("PSO_"):
        name = f"PSO_{str(name).upper()}"
    kind = error["type"]
    context = error.get("ctx") or {}
    if kind in _EXPECTED:
        expected = _EXPECTED[kind].format(**context)
    elif kind == "value_error":
        expected = str(context.get("error", error["msg"]))
    else:
        expected = error["msg"].lower()
    got = error.get("input")
    if name in SECRETS and isinstance(got, str):
        got = f"<{len(got)} characters, not shown>"
    return f"{name}: {expected}, got {got!r}"
