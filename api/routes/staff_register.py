"""Staff routes for organisations, certificates, objections, contributions and scheme versions."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, HTTPException, Request, status

from api.auth import AdminDep, StaffDep
from api.commands import run_command
from api.dependencies import BackendDep
from api.documents import public_certificate
from api.handbook_documents import OPENAPI, sent_document
from api.http import dumps, etag_of
from api.staff_schemas import (
    CertificateChangeCreate,
    EscalationCreate,
    ObjectionCreate,
    ObjectionDecisionCreate,
    OrganisationCreate,
    PaymentCreate,
    SuccessorCreate,
)
from domain.errors import InvalidInputError
from domain.objection import Outcome
from domain.service.results import CertificateChangeResult
from domain.values import Cause, ContributionYear, kvk_number
from norms.bundled import resolve_document
from norms.levels import Level

router = APIRouter(prefix="/api/v1/staff", tags=["staff: register"])
CERTIFICATE_ACTIONS = {
    "suspension": "suspend_certificate",
    "reinstatement": "reinstate_certificate",
    "withdrawal": "withdraw_certificate",
}


@router.post("/organisations", status_code=status.HTTP_201_CREATED)
def register_organisation(
    body: OrganisationCreate, request: Request, backend: BackendDep, user: StaffDep
) -> dict[str, Any]:
    """Enter an organisation with its main KvK number and subsidiaries."""
    subsidiaries = tuple(body.subsidiaries)

    def command(cause: Cause) -> UUID:
        return backend.register.register_organisation(
            body.kvk, body.name, body.place, cause, subsidiaries
        )

    org_id = run_command(request, backend, user, "register_organisation", body, command)
    return {
        "organisation_id": str(org_id),
        "kvk": body.kvk,
        "covered_kvks": [body.kvk, *subsidiaries],
    }


@router.post("/organisations/{kvk}/successor")
def link_successor(
    kvk: str, body: SuccessorCreate, request: Request, backend: BackendDep, user: StaffDep
) -> dict[str, Any]:
    """Link an organisation to its successor (takeover or change of legal form)."""
    kvk_number(kvk)

    def command(cause: Cause) -> None:
        backend.register.link_successor(kvk, body.successor_kvk, body.effective_on, cause)

    run_command(request, backend, user, "link_successor", body, command)
    return {"kvk": kvk, "successor_kvk": body.successor_kvk}


def _certificate_route(kind: str, action: str) -> None:
    def change(
        number: str,
        body: CertificateChangeCreate,
        request: Request,
        backend: BackendDep,
        user: StaffDep,
    ) -> dict[str, Any]:
        expected = request.headers.get("if-match")
        if expected is not None:
            current = backend.queries.certificate(number)
            seen = etag_of(dumps(public_certificate(current))) if current else None
            if expected.strip() not in ("*", seen):
                raise HTTPException(412, f"certificate {number} changed since that ETag was read")

        def command(cause: Cause) -> CertificateChangeResult:
            changed: CertificateChangeResult = getattr(backend.register, action)(
                number, body.effective_on, cause
            )
            return changed

        changed = run_command(request, backend, user, kind, body, command, reason=body.reason)
        return {
            "certificate_number": changed.number,
            "status": changed.status,
            "effective_on": changed.effective_on.isoformat(),
        }

    change.__doc__ = (
        f"Record the {kind} of a certificate from a day (may lie in the past). With `If-Match` "
        "set to the ETag of `GET /api/v1/certificates/{number}`, a certificate changed since is "
        "refused with 412."
    )
    change.__name__ = f"certificate_{kind}"
    router.post(f"/certificates/{{number}}/{kind}", name=f"certificate_{kind}")(change)


for _kind, _action in CERTIFICATE_ACTIONS.items():
    _certificate_route(_kind, _action)


@router.post("/objections", status_code=status.HTTP_201_CREATED)
def file_objection(
    body: ObjectionCreate, request: Request, backend: BackendDep, user: StaffDep
) -> dict[str, Any]:
    """An objection to the decision behind a certificate (within 4 weeks of the decision)."""
    application_id = backend.register.certificate(body.certificate_number).application_id

    def command(cause: Cause) -> UUID:
        return backend.register.file_objection(application_id, body.filed_on, cause)

    objection_id = run_command(
        request, backend, user, "objection", body, command, reason=body.grounds
    )
    return {"id": str(objection_id), "application_id": str(application_id)}


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
    ) -> dict[str, Any]:
        outcome, level = _outcome(body)
        record = getattr(backend.register, command_name)

        def command(cause: Cause) -> str | None:
            number: str | None = record(objection_id, body.decided_on, outcome, cause, level)
            return number

        number = run_command(request, backend, user, stage, body, command, reason=body.reason)
        return {"id": str(objection_id), "outcome": body.outcome, "certificate_number": number}

    decide.__doc__ = summary
    decide.__name__ = stage.replace("-", "_")
    router.post(f"/objections/{{objection_id}}/{stage}", name=decide.__name__)(decide)


_objection_decision(
    "board-decision",
    "answer_objection",
    "The board's answer; upheld or revised with a level revises the certificate.",
)
_objection_decision(
    "committee-decision",
    "record_committee_decision",
    "The committee's final decision, recorded by staff.",
)


@router.post("/objections/{objection_id}/escalation")
def escalate(
    objection_id: UUID,
    body: EscalationCreate,
    request: Request,
    backend: BackendDep,
    user: StaffDep,
) -> dict[str, Any]:
    """Take the board's answer to TNO's Commissie van Deskundigen (within 4 weeks)."""
    run_command(
        request,
        backend,
        user,
        "escalation",
        body,
        lambda c: backend.register.escalate_objection(objection_id, body.filed_on, c),
    )
    return {"id": str(objection_id), "stage": "committee"}


@router.post("/contributions/{contribution_id:path}/payment")
def payment(
    contribution_id: str, body: PaymentCreate, request: Request, backend: BackendDep, user: StaffDep
) -> dict[str, Any]:
    """Record payment of a contribution year; ``contribution_id`` is the contribution year as
    the contributions worklist answers it, ``PSO-2025-000001/1`` (certificate, slash, year;
    ``PSO-2025-000001-1`` is accepted too)."""
    due = ContributionYear.parse(contribution_id)

    def command(cause: Cause) -> None:
        backend.register.record_contribution_payment(
            due.number, due.year, body.paid_on, cause, body.amount
        )

    run_command(request, backend, user, "payment", body, command)
    return {"id": str(due), "paid_on": body.paid_on.isoformat()}


@router.post("/norms", status_code=status.HTTP_201_CREATED, openapi_extra=OPENAPI)
def publish_norms(
    user: AdminDep,
    document: Annotated[Any, Depends(sent_document)],
    request: Request,
    backend: BackendDep,
) -> dict[str, Any]:
    """Publish a new handbook version (admin): a document like norms/data/handbooks/*.toml, as
    JSON or TOML, ``based_on`` a shipped or published version; a version in force can only be
    followed."""
    resolved = resolve_document(document, backend.register.catalogue)
    published = run_command(
        request,
        backend,
        user,
        "publish_norms",
        resolved,
        lambda c: backend.register.publish_handbook(resolved, c),
    )
    return {"version": published.version, "effective_from": published.effective_from.isoformat()}
