"""RFC 9457 problem details: every error mapped to HTTP once; no stack trace reaches a client."""

from __future__ import annotations

from typing import Any

import structlog
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
    429: ("rate-limited", "Too many requests"),
}


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


async def _validation_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)  # noqa: S101 (registered for this type)
    errors = [
        {"field": ".".join(str(p) for p in e.get("loc", ()) if p != "body"), "message": e["msg"]}
        for e in exc.errors()
    ]
    detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors)
    return problem(422, "invalid-input", "Invalid input", detail, errors=errors)


async def _http_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)  # noqa: S101 (registered for this type)
    slug, title = HTTP_SLUGS.get(exc.status_code, ("http-error", "HTTP error"))
    return problem(exc.status_code, slug, title, str(exc.detail), headers=exc.headers)


async def unexpected(_: Request, exc: Exception) -> JSONResponse:
    """Any other error: logged with its traceback, answered 500 without details."""
    log.exception("unexpected_error", error=type(exc).__name__)
    return problem(500, "internal-error", "Internal error", "something went wrong on our side")


def install_problem_handlers(app: FastAPI) -> None:
    """Register the exception handlers that turn every error into a problem response."""
    app.add_exception_handler(NormsError, _domain_error)
    app.add_exception_handler(DomainError, _domain_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, unexpected)
