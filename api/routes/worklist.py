"""The staff worklist: what needs attention today, and the read models that stopped."""

from __future__ import annotations

from fastapi import APIRouter

from api.auth import RANK, UserDep
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
from api.users import User
from api.wiring import Backend
from domain.clock import business_date
from domain.values import Role

router = APIRouter(prefix="/api/v1/staff/worklist", tags=["staff: worklist"])


def worklist_for(backend: Backend, user: User) -> Worklist:
    """The worklist as ``user`` may see it: all of it for staff and admins; for an auditor only
    the applications of its own CI, the objections to them and the CI's expiring certificates
    (no contributions, messages or read models: those are PSO's)."""
    staff = backend.staff
    today = business_date(backend.register.clock.now())
    own = RANK[user.role] >= RANK[Role.STAFF]

    def mine(row: dict[str, object]) -> bool:
        return own or row.get("ci") == user.ci

    visible = set() if own else {str(r["application_id"]) for r in staff.applications() if mine(r)}
    return Worklist(
        today=today,
        applications_awaiting_decision=[
            from_row(ApplicationSummary, r)
            for r in staff.applications("reported", today)
            if mine(r)
        ],
        decisions_overdue=[
            OverdueDecision.of(r)
            for r in staff.overdue_decisions(today)
            if own or str(r["subject"]) in visible
        ],
        decisions_late=[from_row(ApplicationSummary, r) for r in staff.late_decisions() if mine(r)],
        open_objections=[
            from_row(ObjectionSummary, r)
            for r in staff.open_objections()
            if own or str(r["application_id"]) in visible
        ],
        unpaid_contributions=[ContributionEntry.of(r) for r in staff.unpaid_contributions() if own],
        expiring_within_90_days=[
            from_row(ExpiringCertificate, r) for r in staff.expiring(today) if mine(r)
        ],
        statistics=Statistics.model_validate(staff.statistics(today)),
        messages_needing_attention=[
            from_row(MessageNeedingAttention, m)
            for m in (backend.scheduler.postman.needing_attention() if own else [])
        ],
        failed_read_models=[
            from_row(FailedReadModel, f) for f in (staff.failed_read_models() if own else [])
        ],
    )


@router.get("", response_model=Worklist, responses=staff_read(any_role=True))
def worklist(backend: BackendDep, user: UserDep) -> Worklist:
    """What needs attention today, and the read models that stopped at an event they could not
    apply (``failed_read_models``: until rebuilt, the lists above stand still there). Staff and
    admins see everything; an auditor only its own CI's applications, the objections to them and
    its CI's expiring certificates."""
    return worklist_for(backend, user)
