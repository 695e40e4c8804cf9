"""The HTTP rules of the public answers: their JSON form, strong ETag, and Cache-Control (for
ever once settled, else briefly and never past midnight in Amsterdam)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from decimal import Decimal
from enum import Enum
from typing import Any
from uuid import UUID

from domain.clock import NETHERLANDS

SHORT_SECONDS = 30
SHORT = f"public, max-age={SHORT_SECONDS}"
IMMUTABLE = "public, max-age=31536000, immutable"
#: how long before now a moment must lie for what the register said then to be settled: every
#: command recorded before it has committed and reached the read models by then
SETTLED_AFTER = dt.timedelta(minutes=10)


def settled(as_known_at: dt.datetime | None, now: dt.datetime) -> bool:
    """True when an answer about ``as_known_at`` can never change (so may be cached for ever)."""
    return as_known_at is not None and as_known_at < now - SETTLED_AFTER


def cache_control(*, immutable: bool, now: dt.datetime) -> str:
    """Cache-Control of a public answer: for ever when settled, else briefly and never past
    midnight in Amsterdam (an answer about "today" is not served into the next day)."""
    if immutable:
        return IMMUTABLE
    left = int((_next_midnight(now) - now).total_seconds())
    return SHORT if left >= SHORT_SECONDS else f"public, max-age={max(0, left)}"


def _next_midnight(now: dt.datetime) -> dt.datetime:
    """The next midnight in Amsterdam after ``now`` (kept while it lies ahead: a request path)."""
    global _MIDNIGHT  # noqa: PLW0603 (a one-value cache of a pure function of the day)
    if not _MIDNIGHT[0] <= now < _MIDNIGHT[1]:
        local = now.astimezone(NETHERLANDS)
        start = dt.datetime.combine(local.date(), dt.time(), NETHERLANDS).astimezone(dt.UTC)
        end = dt.datetime.combine(local.date() + dt.timedelta(days=1), dt.time(), NETHERLANDS)
        _MIDNIGHT = (start, end.astimezone(dt.UTC))  # in UTC: compared on every answer
    return _MIDNIGHT[1]


_MIDNIGHT = (dt.datetime.max.replace(tzinfo=dt.UTC), dt.datetime.min.replace(tzinfo=dt.UTC))


def _default(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, Decimal | UUID):
        return str(value)
    if isinstance(value, Enum):
        return value.value
    msg = f"cannot serialise {type(value).__name__}"
    raise TypeError(msg)


def dumps(value: Any) -> bytes:
    """Compact JSON bytes; dates ISO-8601, decimals as strings."""
    return json.dumps(value, default=_default, separators=(",", ":"), ensure_ascii=False).encode()


def etag_of(body: bytes) -> str:
    """The strong ETag of a serialised body."""
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
