"""Staff routes for objections (bezwaar) to a decision: filing with the board, the board's
answer, escalation to TNO's Commissie van Deskundigen and the committee's decision."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Request, status

from api.auth import StaffDep
from api.commands import run_command
from api.dependencies import BackendDep
from api.staff_answers import ObjectionDecided, ObjectionEscalated, ObjectionFiled
from api.staff_schemas import EscalationCreate, ObjectionCreate, ObjectionDecisionCreate
from api.statuses import COMMAND, staff_command
from domain.errors import InvalidInputError
from domain.objection import Outcome
from domain.values import Cause
from norms.levels import Level

router = APIRouter(prefix="/api/v1/staff/objections", tags=["staff: objections"])
ON_AN_OBJECTION = staff_command(not_found="No objection with that id.")


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=ObjectionFiled,
    responses=staff_command(201, not_found="No certificate by the number the body names."),
    openapi_extra=COMMAND,
)
def file_objection(
    body: ObjectionCreate, request: Request, backend: BackendDep, user: StaffDep
) -> ObjectionFiled:
    """An objection to the decision behind a certificate (within 4 weeks of the decision)."""
    application_id = backend.register.certificate(body.certificate_number).application_id

    def command(cause: Cause) -> UUID:
        return backend.register.file_objection(application_id, body.filed_on, cause)

    objection_id = run_command(
        request, backend, user, "objection", body, command, reason=body.grounds
    )
    return ObjectionFiled(id=objection_id, application_id=application_id)


def _outcome(body: ObjectionDecisionCreate) -> tuple[Outcome, Level | None]:
    if body.outcome == "rejected":
        if body.level is not None:
            raise InvalidInputError("level: a rejected objection does not revise the level")
        return Outcome.REJECTED, None
    if body.outcome == "revised" and body.level is None:
        raise InvalidInputError("level: a revision names the new level")
    return Outcome.UPHELD, Level(body.level) if body.level else None


def _objection_decision(stage: str, command_name: str, summary: str) -> None:
    """One route per stage: the decision, and the revision of the level when upheld with one."""

    def decide(
        objection_id: UUID,
        body: ObjectionDecisionCreate,
        request: Request,
        backend: BackendDep,
        user: StaffDep,
    ) -> ObjectionDecided:
        outcome, level = _outcome(body)
        record = getattr(backend.register, command_name)

        def command(cause: Cause) -> str | None:
            number: str | None = record(objection_id, body.decided_on, outcome, cause, level)
            return number

        number = run_command(request, backend, user, stage, body, command, reason=body.reason)
        return ObjectionDecided(id=objection_id, outcome=body.outcome, certificate_number=number)

    decide.__doc__ = summary
    decide.__name__ = stage.replace("-", "_")
    router.post(
        f"/{{objection_id}}/{stage}",
        name=decide.__name__,
        response_model=ObjectionDecided,
        responses=ON_AN_OBJECTION,
        openapi_extra=COMMAND,
    )(decide)


_objection_decision(
    "board-decision",
    "answer_objection",
    "The board's answer; upheld or revised with a level revises the certificate.",
)


@router.post(
    "/{objection_id}/escalation",
    response_model=ObjectionEscalated,
    responses=ON_AN_OBJECTION,
    openapi_extra=COMMAND,
)
def escalate_objection(
    objection_id: UUID,
    body: EscalationCreate,
    request: Request,
    backend: BackendDep,
    user: StaffDep,
) -> ObjectionEscalated:
    """Take the board's answer to TNO's Commissie van Deskundigen (within 4 weeks)."""
    run_command(
        request,
        backend,
        user,
        "escalation",
        body,
        lambda c: backend.register.escalate_objection(objection_id, body.filed_on, c),
    )
    return ObjectionEscalated(id=objection_id)


_objection_decision(
    "committee-decision",
    "record_committee_decision",
    "The committee's final decision, recorded by staff.",
)
