"""RFC 9457 problem details: every error mapped to HTTP once; no stack trace reaches a client."""

from __future__ import annotations

import sqlite3
from typing import Any

import sqlalchemy.exc
import structlog
from eventsourcing.persistence import ConnectionUnavailableError
from eventsourcing.persistence import OperationalError as EventStoreOperationalError
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from domain.errors import (
    ConcurrentModificationError,
    DomainError,
    ForbiddenError,
    InvalidInputError,
    InvalidTransitionError,
    NotFoundError,
)
from norms.errors import (
    InvalidDocumentError,
    NormsError,
    NotEligibleError,
    NoVersionInForceError,
    UnknownVersionError,
)

log = structlog.get_logger(__name__)
PROBLEM_BASE = "https://pso-register.example/problems/"
PROBLEM_JSON = "application/problem+json"

# (error class, status, stable type slug, title); the first matching class wins.
STATUS: list[tuple[type[Exception], int, str, str]] = [
    (UnknownVersionError, 404, "unknown-handbook-version", "Unknown handbook version"),
    (NoVersionInForceError, 422, "no-version-in-force", "No handbook version in force"),
    (InvalidDocumentError, 422, "invalid-document", "Invalid document"),
    (NotEligibleError, 422, "not-eligible", "Not eligible"),
    (NotFoundError, 404, "not-found", "Not found"),
    (InvalidInputError, 422, "invalid-input", "Invalid input"),
    (ForbiddenError, 403, "forbidden", "Forbidden"),
    (ConcurrentModificationError, 409, "concurrent-modification", "Changed concurrently"),
    (InvalidTransitionError, 409, "invalid-transition", "Not possible now"),
]
HTTP_SLUGS = {
    400: ("bad-request", "Bad request"),
    401: ("unauthorized", "Authentication required"),
    403: ("forbidden", "Forbidden"),
    404: ("not-found", "Not found"),
    405: ("method-not-allowed", "Method not allowed"),
    412: ("precondition-failed", "Precondition failed"),
    413: ("too-large", "Request body too large"),
    422: ("invalid-input", "Invalid input"),
    429: ("rate-limited", "Too many requests"),
}
#: the errors of a database that could not take a request in time: SQLite's write lock held
#: beyond the busy timeout, or no pooled connection free (each store wraps them in its own class)
BUSY_ERRORS: tuple[type[Exception], ...] = (
    sqlite3.OperationalError,
    sqlalchemy.exc.OperationalError,
    sqlalchemy.exc.TimeoutError,
    EventStoreOperationalError,
)
BUSY_MESSAGES = ("database is locked", "database table is locked")
BUSY_RETRY_AFTER = "2"  # seconds; a write waits 5 s for the lock, batches hold it < 0.1 s
#: every answer of ``unexpected`` closes the connection: Starlette re-raises the error after the
#: answer and the server then drops the connection, so the client is told so beforehand
CLOSE = {"Connection": "close"}


def problem(status: int, slug: str, title: str, detail: str, **extra: Any) -> JSONResponse:
    """A problem+json response with a stable ``type``."""
    body = {"type": PROBLEM_BASE + slug, "title": title, "status": status, "detail": detail}
    headers = extra.pop("headers", None)
    return JSONResponse(
        {**body, **extra}, status_code=status, media_type=PROBLEM_JSON, headers=headers
    )


async def _domain_error(_: Request, exc: Exception) -> JSONResponse:
    for cls, status, slug, title in STATUS:
        if isinstance(exc, cls):
            extra = {}
            if isinstance(exc, InvalidDocumentError):
                extra["errors"] = [{"field": p.field, "message": p.message} for p in exc.problems]
            return problem(status, slug, title, str(exc), **extra)
    return problem(400, "bad-request", "Bad request", str(exc))


def invalid(errors: list[dict[str, str]]) -> JSONResponse:
    """422 naming each field and what is wrong with it."""
    detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors)
    return problem(422, "invalid-input", "Invalid input", detail, errors=errors)


async def _validation_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)  # noqa: S101 (registered for this type)
    return invalid(
        [
            {
                "field": ".".join(str(p) for p in e.get("loc", ()) if p != "body"),
                "message": e["msg"],
            }
            for e in exc.errors()
        ]
    )


async def _http_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)  # noqa: S101 (registered for this type)
    slug, title = HTTP_SLUGS.get(exc.status_code, ("http-error", "HTTP error"))
    return problem(exc.status_code, slug, title, str(exc.detail), headers=exc.headers)


def is_busy(exc: BaseException) -> bool:
    """True when the error, or one it was raised from, says the database was too busy."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, ConnectionUnavailableError | sqlalchemy.exc.TimeoutError):
            return True
        if isinstance(current, BUSY_ERRORS) and any(m in str(current) for m in BUSY_MESSAGES):
            return True
        current = current.__cause__ or current.__context__
    return False


def busy(**headers: str) -> JSONResponse:
    """503: the database could not take the request in time; retry shortly."""
    return problem(
        503,
        "database-busy",
        "Database busy",
        "the register could not get the database in time; nothing was changed, retry shortly",
        headers={"Retry-After": BUSY_RETRY_AFTER, **headers},
    )


class ReadModelsBehindError(Exception):
    """A command's events are saved, but the read models did not reach them in time."""


READ_MODELS_RETRY_AFTER = "1"  # seconds; the runner applies a batch of 1,000 events in < 0.5 s


async def _read_models_behind(_: Request, exc: Exception) -> JSONResponse:
    return problem(
        503,
        "read-models-behind",
        "Read models behind",
        str(exc),
        headers={"Retry-After": READ_MODELS_RETRY_AFTER},
    )


async def _database_error(_: Request, exc: Exception) -> JSONResponse:
    if is_busy(exc):
        log.warning("database_busy", error=type(exc).__name__, message=str(exc))
        return busy()
    raise exc  # any other database error is unexpected (500, below)


async def unexpected(_: Request, exc: Exception) -> JSONResponse:
    """Any other error: logged with its traceback, answered 500 without details (503 for a busy
    database); the connection is then closed."""
    if is_busy(exc):
        log.warning("database_busy", error=type(exc).__name__, message=str(exc))
        return busy(**CLOSE)
    log.exception("unexpected_error", error=type(exc).__name__)
    return problem(
        500, "internal-error", "Internal error", "something went wrong on our side", headers=CLOSE
    )


def install_problem_handlers(app: FastAPI) -> None:
    """Register the exception handlers that turn every error into a problem response."""
    app.add_exception_handler(NormsError, _domain_error)
    app.add_exception_handler(DomainError, _domain_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(ReadModelsBehindError, _read_models_behind)
    for database_error in BUSY_ERRORS:
        app.add_exception_handler(database_error, _database_error)
    app.add_exception_handler(Exception, unexpected)
