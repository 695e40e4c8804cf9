"""Staff and CI routes for applications: submission, audit, decision, cancellation."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Request, status

from api.auth import StaffDep, UserDep
from api.commands import run_command
from api.dependencies import BackendDep
from api.staff_schemas import (
    ApplicationCreate,
    AuditPlanObjectionCreate,
    AuditReportCreate,
    CancellationCreate,
    DecisionCreate,
)
from api.users import User
from domain.application import ApplicationState
from domain.errors import ForbiddenError
from domain.service.results import AuditReportResult, DecisionResult, SubmissionResult
from domain.values import Cause, Role
from norms.assessment_document import assessment_document
from norms.declaration import PlanOfApproach
from norms.levels import Level

router = APIRouter(prefix="/api/v1/staff/applications", tags=["staff: applications"])


@router.post("", status_code=status.HTTP_201_CREATED)
def submit(
    body: ApplicationCreate, request: Request, backend: BackendDep, user: StaffDep
) -> dict[str, Any]:
    """Submit a definitive application; answers with its id, version and provisional assessment."""
    plan = None
    if body.aspirant_plan is not None:
        parts = body.aspirant_plan.model_dump(exclude={"approved_by_board"})
        plan = PlanOfApproach.of(parts, approved_by_board=body.aspirant_plan.approved_by_board)

    def command(cause: Cause) -> SubmissionResult:
        return backend.register.submit_application(
            body.kvk,
            dict(body.declaration),
            body.certifying_institution,
            body.submitted_on,
            cause,
            aspirant_plan=plan,
            extends_certificate=body.extends_certificate,
        )

    submitted = run_command(request, backend, user, "submit_application", body, command)
    return {
        "id": str(submitted.application_id),
        "handbook_version": submitted.handbook_version,
        "requested_level": body.requested_level,
        "provisional_assessment": submitted.assessment,
    }


def own_ci(application_id: UUID, user: UserDep, backend: BackendDep) -> User:
    """The user, if it may see and act on this application: staff, or an auditor of its CI."""
    if user.role is Role.AUDITOR and backend.register.application(application_id).ci != user.ci:
        raise ForbiddenError(f"{user.name} may only act on applications of {user.ci}")
    return user


OwnCiDep = Annotated[User, Depends(own_ci)]


@router.post("/{application_id}/audit-plan-objection")
def object_to_audit_plan(
    application_id: UUID,
    body: AuditPlanObjectionCreate,
    request: Request,
    backend: BackendDep,
    user: StaffDep,
) -> dict[str, Any]:
    """Record an objection to the audit plan (within 7 working days of the submission)."""
    run_command(
        request,
        backend,
        user,
        "audit_plan_objection",
        body,
        lambda c: backend.register.object_to_audit_plan(application_id, body.objected_on, c),
        reason=body.reason,
    )
    return {"id": str(application_id), "audit_plan_objection": body.objected_on.isoformat()}


@router.post("/{application_id}/audit-report")
def audit_report(
    application_id: UUID,
    body: AuditReportCreate,
    request: Request,
    backend: BackendDep,
    user: OwnCiDep,
) -> dict[str, Any]:
    """The audit report of the application's own CI (or staff): figures, findings, advice."""
    findings = tuple(
        f"{f.criterion}: {f.verdict}" + (f" - {f.note}" if f.note else "") for f in body.findings
    )

    def command(cause: Cause) -> AuditReportResult:
        return backend.register.file_audit_report(
            application_id,
            body.audit_date,
            Level(body.advice.level) if body.advice.level else None,
            body.summary,
            cause,
            advice_pso30plus=body.advice.pso30plus,
            corrected_declaration=body.declaration,
            findings=findings,
        )

    filed = run_command(request, backend, user, "audit_report", body, command)
    return {"id": str(application_id), "state": filed.state}


@router.post("/{application_id}/decision")
def decide(
    application_id: UUID,
    body: DecisionCreate,
    request: Request,
    backend: BackendDep,
    user: StaffDep,
) -> dict[str, Any]:
    """PSO-Nederland's decision; a granted one answers with the certificate number."""

    def command(cause: Cause) -> DecisionResult:
        if body.outcome == "refused":
            return backend.register.refuse_application(application_id, body.decided_on, cause)
        level = Level(body.level) if body.level else None
        return backend.register.decide_application(
            application_id, body.decided_on, cause, level, pso30plus=body.pso30plus
        )

    decision = run_command(request, backend, user, "decision", body, command, reason=body.reason)
    cert = decision.certificate
    answer: dict[str, Any] = {
        "id": str(application_id),
        "outcome": body.outcome,
        "certificate_number": decision.number,
    }
    if cert is not None:
        answer |= {
            "level": cert.level.value,
            "pso30plus": cert.pso30plus,
            "valid_from": cert.valid_from.isoformat(),
            "valid_until": cert.valid_until.isoformat(),
        }
    return answer


@router.post("/{application_id}/cancellation")
def cancel(
    application_id: UUID,
    body: CancellationCreate,
    request: Request,
    backend: BackendDep,
    user: StaffDep,
) -> dict[str, Any]:
    """The organisation cancels before the decision."""
    run_command(
        request,
        backend,
        user,
        "cancellation",
        body,
        lambda c: backend.register.cancel_application(application_id, body.cancelled_on, c),
        reason=body.reason,
    )
    return {"id": str(application_id), "state": "cancelled"}


@router.get("")
def list_applications(
    backend: BackendDep, user: UserDep, state: ApplicationState | None = None
) -> list[dict[str, Any]]:
    """Applications by state (an unknown state is 422); an auditor sees its own CI's only."""
    rows = backend.staff.applications(state.value if state else None)
    if user.role is Role.AUDITOR:
        rows = [r for r in rows if r["ci"] == user.ci]
    return rows


@router.get("/{application_id}")
def get_application(application_id: UUID, backend: BackendDep, _user: OwnCiDep) -> dict[str, Any]:
    """One application with its findings, advice and the assessment of its audited figures."""
    app = backend.register.application(application_id)
    return {
        "id": str(app.id),
        "state": app.state.value,
        "ci": app.ci,
        "handbook_version": app.handbook_version,
        "submission_date": app.submission_date.isoformat(),
        "audit_date": app.audit_date.isoformat() if app.audit_date else None,
        "decision_date": app.decision_date.isoformat() if app.decision_date else None,
        "findings": list(app.findings),
        "assessment": assessment_document(backend.register.assessment(app.id)),
    }
