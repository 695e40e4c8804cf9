"""Lean JSON responses for the public reads: serialised once, with ETag and Cache-Control."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from decimal import Decimal
from enum import Enum
from typing import Any
from uuid import UUID

from fastapi import Request, Response

SHORT = "public, max-age=30"
IMMUTABLE = "public, max-age=31536000, immutable"


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


def cached_json(request: Request, value: Any, *, immutable: bool = False) -> Response:
    """A JSON response with a strong ETag; 304 when the client already has it."""
    body = dumps(value)
    etag = etag_of(body)
    headers = {"ETag": etag, "Cache-Control": IMMUTABLE if immutable else SHORT}
    if etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    return Response(body, media_type="application/json", headers=headers)
