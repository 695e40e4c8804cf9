"""Staff routes for organisations: entering one, linking its successor, its timeline and the
dispute report."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal
from uuid import UUID

from fastapi import APIRouter, Query, Request, status
from fastapi.responses import HTMLResponse, Response

from api.auth import StaffDep
from api.commands import run_command
from api.dependencies import BackendDep
from api.dispute_reports import dispute_report, timeline
from api.pages.dispute_document import (
    author,
    dispute_document,
    dispute_filename,
    dispute_html,
    dispute_pdf,
)
from api.pages.documents import PDF
from api.pages.language import chosen
from api.pages.rendering import HEADERS, switch
from api.schemas import Day
from api.staff_answers import OrganisationRegistered, SuccessorLinked
from api.staff_examples import DISPUTE_REPORT_HTML
from api.staff_schemas import OrganisationCreate, SuccessorCreate
from api.staff_views import DisputeReport, TimelineEntry
from api.statuses import COMMAND, staff_command, staff_read
from api.users import User
from api.wiring import Backend
from domain.values import Cause, kvk_number

router = APIRouter(prefix="/api/v1/staff/organisations", tags=["staff: organisations"])
NO_ORGANISATION = "No organisation covers that KvK number."


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=OrganisationRegistered,
    responses=staff_command(201),
    openapi_extra=COMMAND,
)
def register_organisation(
    body: OrganisationCreate, request: Request, backend: BackendDep, user: StaffDep
) -> OrganisationRegistered:
    """Enter an organisation with its main KvK number and subsidiaries (409 when one of them
    is covered already)."""
    subsidiaries = tuple(body.subsidiaries)

    def command(cause: Cause) -> UUID:
        return backend.register.register_organisation(
            body.kvk, body.name, body.place, cause, subsidiaries
        )

    org_id = run_command(request, backend, user, "register_organisation", body, command)
    return OrganisationRegistered(
        organisation_id=org_id, kvk=body.kvk, covered_kvks=[body.kvk, *subsidiaries]
    )


@router.post(
    "/{kvk}/successor",
    response_model=SuccessorLinked,
    responses=staff_command(
        not_found="No organisation covers that KvK number (or the successor's)."
    ),
    openapi_extra=COMMAND,
)
def link_successor(
    kvk: str, body: SuccessorCreate, request: Request, backend: BackendDep, user: StaffDep
) -> SuccessorLinked:
    """Link an organisation to its successor (takeover or change of legal form)."""
    kvk_number(kvk)

    def command(cause: Cause) -> None:
        backend.register.link_successor(kvk, body.successor_kvk, body.effective_on, cause)

    run_command(request, backend, user, "link_successor", body, command)
    return SuccessorLinked(
        kvk=kvk, successor_kvk=body.successor_kvk, effective_on=body.effective_on
    )


@router.get(
    "/{kvk}/timeline",
    response_model=list[TimelineEntry],
    responses=staff_read(422, not_found=NO_ORGANISATION),
)
def organisation_timeline(kvk: str, backend: BackendDep, _user: StaffDep) -> list[TimelineEntry]:
    """Every event of the organisation and of everything attached to it (KvK numbers it covered,
    applications, objections, certificates, contributions), in recorded order: recorded time, log
    position, effective dates, actor, role, reason and the facts."""
    kvk_number(kvk)
    return timeline(backend.register, kvk)


DISPUTE_RESPONSES = staff_read(422, not_found=NO_ORGANISATION) | {
    200: {
        "description": "The report as JSON; `format=html` a printable page, `format=pdf` the "
        "same document as a PDF (Dutch, or English by `?lang=en` or `Accept-Language`).",
        "content": {
            "text/html": {"schema": {"type": "string"}, "example": DISPUTE_REPORT_HTML},
            PDF: {
                "schema": {"type": "string", "format": "binary"},
                "example": "%PDF-1.7 ... (the same document, A4, 'pagina 1 van 5' ...) %%EOF",
            },
        },
    }
}


@router.get("/{kvk}/dispute-report", response_model=DisputeReport, responses=DISPUTE_RESPONSES)
def get_dispute_report(
    kvk: str,
    on: Annotated[Day, Query(description="The disputed day.")],
    request: Request,
    backend: BackendDep,
    user: StaffDep,
    format: Annotated[  # noqa: A002 (the query parameter's name)
        Literal["json", "html", "pdf"],
        Query(description="`html` for a printable page, `pdf` for the same document as a PDF."),
    ] = "json",
    lang: Annotated[
        Literal["nl", "en"] | None,
        Query(description="The document's language (default: `Accept-Language`, else Dutch)."),
    ] = None,
) -> DisputeReport | Response:
    """The dispute report: the position on a day now and as the register said it then, with the
    timeline (JSON; or a document in Dutch or English: printable HTML, or PDF with a dated file
    name). A browser cannot send the token: staff save the PDF with `pso report`."""
    kvk_number(kvk)
    if format == "json":
        return dispute_report(backend.register, kvk, on)
    return dispute_document_response(request, backend, user, kvk, on, format, lang)


def dispute_document_response(
    request: Request, backend: Backend, user: User, kvk: str, on: dt.date,
    format: Literal["html", "pdf"], lang: str | None,  # noqa: A002 (as the query calls it)
) -> Response:  # fmt: skip
    """The dispute report as a document by ``user``: printable HTML (with the language switch)
    or PDF with a dated file name; the staff route and the back office both answer with it."""
    language = lang or chosen(request).language
    by = author(user.name, user.role, language)
    document = dispute_document(backend.register, kvk, on, by, backend.register.clock.now())
    headers = {**HEADERS, "Content-Language": language, "Cache-Control": "no-store"}
    name = dispute_filename(document, language, format)
    headers["Content-Disposition"] = (
        f'{"attachment" if format == "pdf" else "inline"}; filename="{name}"'
    )
    if format == "pdf":
        return Response(dispute_pdf(document, language), media_type=PDF, headers=headers)
    page = dispute_html(document, language, switch(request, language))
    return HTMLResponse(page, headers=headers)
