"""Liveness and readiness of the process."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from api.readiness import Readiness
from api.schemas import Moment, examples

router = APIRouter(tags=["health"])


class Liveness(BaseModel):
    """The process is alive."""

    model_config = examples({"status": "ok"})

    status: str = "ok"


class FailedReadModelPublic(BaseModel):
    """A read model stopped at an event (the error itself is in the staff worklist)."""

    projection: str
    version: int
    position: int
    stage: str
    failed_at: Moment


READY: dict[str, Any] = {
    "head": 1673,
    "lag": {"register_v6": 0, "ladder_v3": 0, "changes_v3": 0, "deadlines_v2": 0,
            "worklists_v2": 0, "outbox_v3": 0},
    "database_writable": True,
    "status": "ready",
}  # fmt: skip
NOT_READY: dict[str, Any] = {
    "head": 1675,
    "lag": {"register_v6": 0, "ladder_v3": 0, "changes_v3": 2, "deadlines_v2": 0,
            "worklists_v2": 0, "outbox_v3": 0},
    "database_writable": True,
    "failed": [{"projection": "changes", "version": 3, "position": 1674, "stage": "apply",
                "failed_at": "2026-12-02T09:15:04.120931+00:00"}],
    "status": "failed: changes_v3",
}  # fmt: skip


class ReadinessReport(BaseModel):
    """Whether the process should get traffic, and why not: the log's head, each read model's
    lag, the failed ones, whether the database takes a write (or, when the database could not
    be read in time, only `status` `unavailable` and `detail`)."""

    model_config = examples(READY, NOT_READY)

    head: int | None = Field(default=None, description="The log's last position.")
    lag: dict[str, int] | None = Field(default=None, description="Events behind, per read model.")
    database_writable: bool | None = None
    failed: list[FailedReadModelPublic] | None = None
    lagging_beyond_bound: list[str] | None = None
    status: str = Field(description="`ready`, `failed: ...`, `lagging: ...`, `unavailable`, ...")
    detail: str | None = None


@router.get("/healthz", response_model=Liveness)
def healthz() -> Liveness:
    """The process is alive and serving requests (liveness only: nothing else is checked)."""
    return Liveness()


NOT_READY_RESPONSE: dict[int | str, dict[str, Any]] = {
    503: {
        "model": ReadinessReport,
        "description": "Not ready: a read model failed, one lags too far for too long, or the "
        "database cannot take a write (or did not answer within a second).",
    }
}


@router.get("/readyz", response_model=ReadinessReport, responses=NOT_READY_RESPONSE)
def readyz(request: Request) -> JSONResponse:
    """200 when ready; 503 while a read model has failed (named, with its event), while one
    lags too far for longer than ``PSO_READY_LAG_GRACE`` seconds, or while the database cannot
    take a write. Answers within a second."""
    readiness: Readiness = request.app.state.readiness
    ready, body = readiness.check()
    report = ReadinessReport.model_validate(body).model_dump(mode="json", exclude_unset=True)
    return JSONResponse(report, status_code=200 if ready else 503)
