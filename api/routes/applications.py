"""Staff and CI routes for applications: submission, audit-plan objection, audit report,
decision, cancellation, and the reads of them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Request, status

from api.auth import StaffDep, UserDep
from api.commands import run_command
from api.dependencies import BackendDep
from api.staff_answers import (
    ApplicationCancelled,
    ApplicationSubmitted,
    AuditPlanObjected,
    AuditReportFiled,
    DecisionRecorded,
)
from api.staff_schemas import (
    ApplicationCreate,
    AuditPlanObjectionCreate,
    AuditReportCreate,
    CancellationCreate,
    DecisionCreate,
)
from api.staff_views import ApplicationDetail, ApplicationSummary, from_row
from api.statuses import COMMAND, staff_command, staff_read
from api.users import User
from api.wiring import Backend
from domain.application import ApplicationState
from domain.errors import ForbiddenError
from domain.service.results import AuditReportResult, DecisionResult, SubmissionResult
from domain.values import Cause, Role
from norms.assessment_document import assessment_document
from norms.declaration import PlanOfApproach
from norms.levels import Level

router = APIRouter(prefix="/api/v1/staff/applications", tags=["staff: applications"])
NO_APPLICATION = "No application with that id."


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=ApplicationSubmitted,
    responses=staff_command(
        201,
        not_found="No organisation covers that KvK number, or no certificate has the number "
        "`extends_certificate` names.",
        s422="Invalid input (`errors` names each field), a declaration the scheme cannot assess "
        "(the detail names the field, e.g. `persons[0].fte`), an organisation too small "
        "(`not-eligible`) or no handbook version in force on the submission date.",
    ),
    openapi_extra=COMMAND,
)
def submit_application(
    body: ApplicationCreate, request: Request, backend: BackendDep, user: StaffDep
) -> ApplicationSubmitted:
    """Submit a definitive application; answers with its id, the handbook version in force on
    the submission date and the provisional assessment of the declared figures."""
    command = submission(backend, body)
    submitted = run_command(request, backend, user, "submit_application", body, command)
    return ApplicationSubmitted.of(submitted, body.requested_level)


def submission(backend: Backend, body: ApplicationCreate) -> Callable[[Cause], SubmissionResult]:
    """The domain command of a submission (the API's and the back office's)."""
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

    return command


def own_ci(application_id: UUID, user: UserDep, backend: BackendDep) -> User:
    """The user, if it may see and act on this application: staff, or an auditor of its CI."""
    if user.role is Role.AUDITOR and backend.register.application(application_id).ci != user.ci:
        raise ForbiddenError(f"{user.name} may only act on applications of {user.ci}")
    return user


OwnCiDep = Annotated[User, Depends(own_ci)]
ON_AN_APPLICATION = staff_command(not_found=NO_APPLICATION)


@router.post(
    "/{application_id}/audit-plan-objection",
    response_model=AuditPlanObjected,
    responses=ON_AN_APPLICATION,
    openapi_extra=COMMAND,
)
def object_to_audit_plan(
    application_id: UUID,
    body: AuditPlanObjectionCreate,
    request: Request,
    backend: BackendDep,
    user: StaffDep,
) -> AuditPlanObjected:
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
    return AuditPlanObjected(id=application_id, audit_plan_objection=body.objected_on)


@router.post(
    "/{application_id}/audit-report",
    response_model=AuditReportFiled,
    responses=ON_AN_APPLICATION,
    openapi_extra=COMMAND,
)
def file_audit_report(
    application_id: UUID,
    body: AuditReportCreate,
    request: Request,
    backend: BackendDep,
    user: OwnCiDep,
) -> AuditReportFiled:
    """The audit report of the application's own CI (or staff): figures, findings, advice."""
    command = audit_report(backend, application_id, body)
    return AuditReportFiled.of(run_command(request, backend, user, "audit_report", body, command))


def audit_report(
    backend: Backend, application_id: UUID, body: AuditReportCreate
) -> Callable[[Cause], AuditReportResult]:
    """The domain command of an audit report (the API's and the back office's)."""
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

    return command


@router.post(
    "/{application_id}/decision",
    response_model=DecisionRecorded,
    responses=ON_AN_APPLICATION,
    openapi_extra=COMMAND,
)
def decide_application(
    application_id: UUID,
    body: DecisionCreate,
    request: Request,
    backend: BackendDep,
    user: StaffDep,
) -> DecisionRecorded:
    """PSO-Nederland's decision; a granted one answers with its certificate's number, level,
    PSO 30+ and validity."""
    command = decision(backend, application_id, body)
    decided = run_command(request, backend, user, "decision", body, command, reason=body.reason)
    return DecisionRecorded.of(decided)


def decision(
    backend: Backend, application_id: UUID, body: DecisionCreate
) -> Callable[[Cause], DecisionResult]:
    """The domain command of a decision, granted or refused (the API's and the back office's)."""

    def command(cause: Cause) -> DecisionResult:
        if body.outcome == "refused":
            return backend.register.refuse_application(application_id, body.decided_on, cause)
        level = Level(body.level) if body.level else None
        return backend.register.decide_application(
            application_id, body.decided_on, cause, level, pso30plus=body.pso30plus
        )

    return command


@router.post(
    "/{application_id}/cancellation",
    response_model=ApplicationCancelled,
    responses=ON_AN_APPLICATION,
    openapi_extra=COMMAND,
)
def cancel_application(
    application_id: UUID,
    body: CancellationCreate,
    request: Request,
    backend: BackendDep,
    user: StaffDep,
) -> ApplicationCancelled:
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
    return ApplicationCancelled(id=application_id)


@router.get("", response_model=list[ApplicationSummary], responses=staff_read(422, any_role=True))
def list_applications(
    backend: BackendDep, user: UserDep, state: ApplicationState | None = None
) -> list[ApplicationSummary]:
    """Applications by state, oldest submission first (an unknown state is 422); an auditor sees
    its own CI's only."""
    return applications_for(backend, user, state)


def applications_for(
    backend: Backend, user: User, state: ApplicationState | None = None
) -> list[ApplicationSummary]:
    """The applications ``user`` may see (an auditor: its own CI's), by state, oldest first."""
    rows = backend.staff.applications(state.value if state else None, backend.queries.today())
    if user.role is Role.AUDITOR:
        rows = [r for r in rows if r["ci"] == user.ci]
    return [from_row(ApplicationSummary, row) for row in rows]


def _advice(advice: tuple[Level | None, bool] | None) -> dict[str, object] | None:
    if advice is None:
        return None
    level, pso30plus = advice
    return {"level": level.value if level else None, "pso30plus": pso30plus}


@router.get(
    "/{application_id}",
    response_model=ApplicationDetail,
    responses=staff_read(422, not_found=NO_APPLICATION),
)
def get_application(
    application_id: UUID, backend: BackendDep, _user: OwnCiDep
) -> ApplicationDetail:
    """One application with its findings, advice and the assessment of its audited figures."""
    app = backend.register.application(application_id)
    return ApplicationDetail.model_validate(
        {
            "id": app.id,
            "state": app.state.value,
            "ci": app.ci,
            "handbook_version": app.handbook_version,
            "submission_date": app.submission_date,
            "audit_date": app.audit_date,
            "decision_date": app.decision_date,
            "findings": list(app.findings),
            "advice": _advice(app.advice),
            "assessment": assessment_document(backend.register.assessment(app.id)),
        }
    )
