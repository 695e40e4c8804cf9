"""Running a staff command over HTTP: the cause, the Idempotency-Key, and read-your-writes."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from fastapi import Request
from pydantic import BaseModel

from api.auth import cause_of
from api.read_models import follow
from api.users import User
from api.wiring import Backend
from domain.idempotency import Stored
from domain.values import Cause

R = TypeVar("R", bound=Stored)


def run_command(
    request: Request,
    backend: Backend,
    user: User,
    name: str,
    body: BaseModel | Mapping[str, Any] | None,
    command: Callable[[Cause], R],
    reason: str | None = None,
    key: str | None = None,
) -> R:
    """Run once per ``Idempotency-Key``; answer once the read models reached the command's
    events (or said in ``PSO-Read-Models`` that one failed; 503 when they are too slow:
    api/read_models.py).

    The command answers a small result value its key's record keeps (``Stored``): a repeat of
    the request, however late or concurrent, gets that value back and the route builds the same
    answer from it. A back-office form passes its one-time ``key`` (a hidden field) instead of
    the header.
    """
    cause = cause_of(request, user, reason)
    key = key if key is not None else request.headers.get("idempotency-key")
    fingerprint = fingerprint_of(name, request.url.path, body)
    done = backend.register.once(key, name, fingerprint, cause, lambda: command(cause))
    follow(request, backend, done.position)
    return done.result


def fingerprint_of(name: str, path: str, body: BaseModel | Mapping[str, Any] | None) -> str:
    """What makes two requests under one key the same request: command, path and body."""
    if body is None:
        payload = ""
    elif isinstance(body, BaseModel):
        payload = body.model_dump_json()
    else:  # a free-form document: canonical, so the order of its keys does not matter
        payload = json.dumps(body, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(f"{name}|{path}|{payload}".encode()).hexdigest()
