"""The staff worklist: what needs attention today, and the read models that stopped."""

from __future__ import annotations

from fastapi import APIRouter

from api.auth import StaffDep
from api.dependencies import BackendDep
from api.staff_views import (
    ApplicationSummary,
    ContributionEntry,
    ExpiringCertificate,
    FailedReadModel,
    MessageNeedingAttention,
    ObjectionSummary,
    OverdueDecision,
    Statistics,
    Worklist,
    from_row,
)
from api.statuses import staff_read
from domain.clock import business_date

router = APIRouter(prefix="/api/v1/staff/worklist", tags=["staff: worklist"])


@router.get("", response_model=Worklist, responses=staff_read())
def worklist(backend: BackendDep, _user: StaffDep) -> Worklist:
    """What needs staff attention today, and the read models that stopped at an event they
    could not apply (``failed_read_models``: until rebuilt, the lists above stand still there)."""
    staff = backend.staff
    today = business_date(backend.register.clock.now())
    return Worklist(
        today=today,
        applications_awaiting_decision=[
            from_row(ApplicationSummary, r) for r in staff.applications("reported", today)
        ],
        decisions_overdue=[OverdueDecision.of(r) for r in staff.overdue_decisions(today)],
        decisions_late=[from_row(ApplicationSummary, r) for r in staff.late_decisions()],
        open_objections=[from_row(ObjectionSummary, r) for r in staff.open_objections()],
        unpaid_contributions=[ContributionEntry.of(r) for r in staff.unpaid_contributions()],
        expiring_within_90_days=[from_row(ExpiringCertificate, r) for r in staff.expiring(today)],
        statistics=Statistics.model_validate(staff.statistics(today)),
        messages_needing_attention=[
            from_row(MessageNeedingAttention, m)
            for m in backend.scheduler.postman.needing_attention()
        ],
        failed_read_models=[from_row(FailedReadModel, f) for f in staff.failed_read_models()],
    )
