"""Running a staff command over HTTP: the cause, the Idempotency-Key, and read-your-writes."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import TypeVar

from fastapi import Request
from pydantic import BaseModel

from api.auth import cause_of
from api.read_models import follow
from api.users import User
from api.wiring import Backend
from domain.values import Cause

T = TypeVar("T")


def run_command(
    request: Request,
    backend: Backend,
    user: User,
    name: str,
    body: BaseModel | None,
    command: Callable[[Cause], T],
    reason: str | None = None,
) -> T:
    """Run once per ``Idempotency-Key``; answer after the read models caught up with it (or
    said in ``PSO-Read-Models`` that they lag: api/read_models.py)."""
    cause = cause_of(request, user, reason)
    key = request.headers.get("idempotency-key")
    payload = body.model_dump_json() if body is not None else ""
    fingerprint = hashlib.sha256(f"{name}|{request.url.path}|{payload}".encode()).hexdigest()
    result = backend.register.once(key, name, fingerprint, cause, lambda: command(cause))
    follow(request, backend)  # never fails the saved command; the header says if reads lag
    return result
