"""Liveness and readiness of the process."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

router = APIRouter(tags=["health"])


@router.get("/healthz")
def healthz() -> dict[str, str]:
    """The process is alive and serving requests."""
    return {"status": "ok"}


MAX_LAG = 1000


@router.get("/readyz")
def readyz(request: Request) -> JSONResponse:
    """The database answers and every projection is within a bounded lag of the event log."""
    backend = request.app.state.backend
    try:
        head = backend.runner.head()
        positions = backend.runner.positions()
    except Exception as exc:  # noqa: BLE001 (any database failure means not ready)
        return JSONResponse({"status": "unavailable", "detail": str(exc)}, status_code=503)
    lag = {f"{name}_v{version}": head - pos for (name, version), pos in positions.items()}
    ready = all(value <= MAX_LAG for value in lag.values())
    body = {"status": "ready" if ready else "lagging", "head": head, "lag": lag}
    return JSONResponse(body, status_code=200 if ready else 503)
