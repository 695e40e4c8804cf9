"""A statement (verklaring) as a document: its printable page at ``/verklaring/{id}`` and its PDF
at ``/api/v1/statements/{id}.pdf``, from one template (``statement.html``): the organisation and
its KvK numbers, the question, the answer, the certificates, "as known at" in Amsterdam time, a
QR code of the organisation's live page, the statement's id, its signature and key, and how to
verify it. Both read the recorded statement (``GET /api/v1/statements/{id}``'s answer function),
never make one; the certificate page's forms make one through ``POST /verklaring``, which asks
the API's ``make`` and goes on to the statement's page."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from api.dependencies import BackendDep
from api.pages.documents import PDF, pdf, render_document
from api.pages.forms import Missing
from api.pages.labels import N_
from api.pages.language import chosen, translations
from api.pages.qr import qr_svg
from api.pages.rendering import HEADERS, error_page, page_router, render
from api.routes.statements import OVER_PERIOD, get_statement, make
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


@router.post("/verklaring", name="make_statement_page")
async def make_statement_page(request: Request, backend: BackendDep) -> Response:
    """Make a statement of the question a certificate page answered (a day, or a period at a
    level) and go on to its page (303); a refusal is a page saying why, nothing made."""
    form = await request.form()
    asked = {name: str(form[name]) for name in (*OVER_PERIOD, "on") if form.get(name)}
    made = await run_in_threadpool(make, request, backend, json.dumps(asked).encode())
    if made.status_code == 201:
        statement_id = made.headers["location"].rsplit("/", 1)[-1]
        return RedirectResponse(
            request.url_for("statement_page", statement_id=statement_id).path, 303
        )
    if made.status_code == 404:
        raise Missing(NOT_STATED, kvk=asked.get("kvk", ""))
    return error_page(request, made.status_code if made.status_code in (422, 503) else 500)


NOT_STATED = N_(
    "KvK-nummer %(kvk)s staat niet in het register: daarover maakt het geen verklaring."
)


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
    context = statement_context(statement, _live(request, statement), language)
    pdf_path = request.url_for("statement_pdf_document", statement_id=statement.id).path
    context["downloads"] = {
        "pdf": f"{pdf_path}?lang={language}",
        "json": f"/api/v1/statements/{statement.id}",
    }
    return render(request, TEMPLATE, context)


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
