"""RFC 9457 problem details: domain errors mapped to HTTP once, here."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from norms.errors import (
    InvalidDocumentError,
    NormsError,
    NotEligibleError,
    NoVersionInForceError,
    UnknownVersionError,
)

PROBLEM_BASE = "https://pso-register.example/problems/"

# (status, stable type slug, title) per error class; the most specific class wins.
STATUS: list[tuple[type[Exception], int, str, str]] = [
    (UnknownVersionError, 404, "unknown-handbook-version", "Unknown handbook version"),
    (NoVersionInForceError, 422, "no-version-in-force", "No handbook version in force"),
    (InvalidDocumentError, 422, "invalid-document", "Invalid document"),
    (NotEligibleError, 422, "not-eligible", "Not eligible"),
]


def problem(status: int, slug: str, title: str, detail: str, **extra: object) -> JSONResponse:
    """A problem+json response with a stable ``type``."""
    body = {"type": PROBLEM_BASE + slug, "title": title, "status": status, "detail": detail}
    return JSONResponse(
        {**body, **extra}, status_code=status, media_type="application/problem+json"
    )


async def _norms_error(_: Request, exc: Exception) -> JSONResponse:
    for cls, status, slug, title in STATUS:
        if isinstance(exc, cls):
            extra = {}
            if isinstance(exc, InvalidDocumentError):
                extra["errors"] = [{"field": p.field, "message": p.message} for p in exc.problems]
            return problem(status, slug, title, str(exc), **extra)
    raise exc


def install_problem_handlers(app: FastAPI) -> None:
    """Register the exception handlers that turn domain errors into problem responses."""
    app.add_exception_handler(NormsError, _norms_error)
