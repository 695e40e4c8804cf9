"""Staff routes for the annual contributions (jaarbijdrage): the invoiced years and payments."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request

from api.auth import StaffDep
from api.commands import run_command
from api.dependencies import BackendDep
from api.staff_answers import PaymentRecorded
from api.staff_schemas import PaymentCreate
from api.staff_views import ContributionEntry
from api.statuses import COMMAND, staff_command, staff_read
from domain.values import Cause, ContributionYear

router = APIRouter(prefix="/api/v1/staff/contributions", tags=["staff: contributions"])


@router.get("", response_model=list[ContributionEntry], responses=staff_read(422))
def list_contributions(
    backend: BackendDep,
    _user: StaffDep,
    unpaid: Annotated[bool, Query(description="Only years not paid yet.")] = False,  # noqa: FBT002
) -> list[ContributionEntry]:
    """Invoiced contribution years, oldest due first; ``unpaid=true`` for those not paid yet."""
    rows = backend.staff.unpaid_contributions() if unpaid else backend.staff.contributions()
    return [ContributionEntry.of(row) for row in rows]


@router.post(
    "/{contribution_id:path}/payment",
    response_model=PaymentRecorded,
    responses=staff_command(not_found="No contribution year by that id."),
    openapi_extra=COMMAND,
)
def record_payment(
    contribution_id: str, body: PaymentCreate, request: Request, backend: BackendDep, user: StaffDep
) -> PaymentRecorded:
    """Record payment of a contribution year; ``contribution_id`` is the contribution year as
    the contributions worklist answers it, ``PSO-2025-000001/1`` (certificate, slash, year;
    ``PSO-2025-000001-1`` is accepted too)."""
    due = ContributionYear.parse(contribution_id)

    def command(cause: Cause) -> None:
        backend.register.record_contribution_payment(
            due.number, due.year, body.paid_on, cause, body.amount
        )

    run_command(request, backend, user, "payment", body, command)
    return PaymentRecorded(id=str(due), paid_on=body.paid_on)
