"""A statement (verklaring) as a document: its printable page at ``/verklaring/{id}`` and its PDF
at ``/api/v1/statements/{id}.pdf``, from one template (``statement.html``): the organisation and
its KvK numbers, the question, the answer, the certificates, "as known at" in Amsterdam time, a
QR code of the organisation's live page, the statement's id, its signature and key, and how to
verify it. Both read the recorded statement (``GET /api/v1/statements/{id}``'s answer function),
never make one."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError

from api.dependencies import BackendDep
from api.pages.documents import PDF, pdf, render_document
from api.pages.forms import Missing
from api.pages.labels import N_
from api.pages.language import chosen, translations
from api.pages.qr import qr_svg
from api.pages.rendering import HEADERS, page_router, render
from api.routes.statements import get_statement
from api.statement_schemas import StatementId, StatementPublic
from api.wiring import Backend
from domain.errors import NotFoundError

TEMPLATE = "statement.html"
router = page_router()
#: the PDF is an answer of the API (documented there), not a page
pdf_router = APIRouter(tags=["statements"])
UNKNOWN_STATEMENT = N_("Verklaring %(id)s staat niet in het register.")
QR_LABEL = N_("QR-code met het adres van de actuele stand: %(address)s")


def recorded(backend: Backend, statement_id: str) -> StatementPublic:
    """The statement as it was made (what ``GET /api/v1/statements/{id}`` answers)."""
    try:
        question = StatementId.model_validate({"id": statement_id})
    except ValidationError:
        raise NotFoundError(f"statement {statement_id} is not in the register") from None
    answer = get_statement(backend, question).value
    document = json.loads(answer) if isinstance(answer, bytes | str) else answer
    return StatementPublic.model_validate(document)


def statement_context(statement: StatementPublic, address: str, language: str) -> dict[str, Any]:
    """The template's values: the statement with dates as dates, the live page and its QR."""
    label = translations(language).gettext(QR_LABEL) % {"address": address}
    return {
        "statement": statement.model_dump(by_alias=True),
        "address": address,
        "qr": qr_svg(address, label),
    }


def statement_pdf(statement: StatementPublic, address: str, language: str) -> bytes:
    """The statement as a PDF."""
    return pdf(render_document(language, TEMPLATE, statement_context(statement, address, language)))


def _live(request: Request, statement: StatementPublic) -> str:
    kvk = statement.statement.organisation.main_kvk
    return str(request.url_for("organisation_page", kvk=kvk))


@router.get("/verklaring/{statement_id}", name="statement_page")
def statement_page(statement_id: str, request: Request, backend: BackendDep) -> HTMLResponse:
    """A statement's printable page."""
    try:
        statement = recorded(backend, statement_id)
    except NotFoundError:
        raise Missing(UNKNOWN_STATEMENT, id=statement_id) from None
    language = chosen(request).language
    return render(
        request, TEMPLATE, statement_context(statement, _live(request, statement), language)
    )


@pdf_router.get(
    "/api/v1/statements/{statement_id}.pdf",
    response_class=Response,
    responses={
        200: {
            "description": "The statement as a PDF (`verklaring-{id}.pdf`).",
            "content": {
                PDF: {
                    "schema": {"type": "string", "format": "binary"},
                    "example": "%PDF-1.7 ... (Verklaring 0f8fad5b-..., 'pagina 1 van 1') %%EOF",
                }
            },
        },
        404: {"description": "No statement has that id."},
    },
)
def statement_pdf_document(statement_id: str, request: Request, backend: BackendDep) -> Response:
    """A statement as a PDF (Dutch, or English by `?lang=en` or `Accept-Language`): the same
    content as `GET /api/v1/statements/{id}`, with its id, signature and how to verify it."""
    statement = recorded(backend, statement_id)
    language = chosen(request).language
    document = statement_pdf(statement, _live(request, statement), language)
    saved = f'attachment; filename="verklaring-{statement.id}.pdf"'
    headers = {**HEADERS, "Content-Language": language, "Content-Disposition": saved}
    return Response(document, media_type=PDF, headers=headers)
