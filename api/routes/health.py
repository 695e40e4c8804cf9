"""Liveness and readiness of the process."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from api.readiness import Readiness

router = APIRouter(tags=["health"])


@router.get("/healthz")
def healthz() -> dict[str, str]:
    """The process is alive and serving requests (liveness only: nothing else is checked)."""
    return {"status": "ok"}


@router.get("/readyz")
def readyz(request: Request) -> JSONResponse:
    """200 when ready; 503 while a read model has failed (named, with its event), while one
    lags too far for longer than ``PSO_READY_LAG_GRACE`` seconds, or while the database cannot
    take a write. Answers within a second."""
    readiness: Readiness = request.app.state.readiness
    ready, body = readiness.check()
    return JSONResponse(body, status_code=200 if ready else 503)
