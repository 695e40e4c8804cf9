"""Organisations in the back office: register one (the example command screen: form, command,
errors beside the fields, one-time key, Post/Redirect/Get), an organisation's page with its
timeline, and its dispute report as a document."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import Query, Request
from fastapi.responses import RedirectResponse
from pydantic import ValidationError
from starlette.responses import Response

from api.back_office.forms import FORM_KEY, command_errors, field_errors, one_time_key
from api.back_office.guard import StaffSignedInDep, back_office_router, page_context
from api.commands import run_command
from api.dependencies import BackendDep
from api.dispute_reports import timeline
from api.pages.forms import FieldError, Missing
from api.pages.labels import N_
from api.pages.language import chosen, translations
from api.pages.narration import narrate
from api.pages.rendering import render
from api.routes.organisations import dispute_document_response
from api.staff_schemas import OrganisationCreate
from api.wiring import Backend
from domain.clock import business_date
from domain.errors import DomainError, InvalidInputError, NotFoundError
from domain.organisation import Organisation
from domain.values import Cause, kvk_number

router = back_office_router()
#: the labels of the registration form's fields, by their API names
LABELS = {
    "kvk": N_("KvK-nummer"),
    "name": N_("Naam"),
    "place": N_("Plaats"),
    "subsidiaries": N_("KvK-nummers van dochterondernemingen"),
}
UNKNOWN = N_("Geen organisatie in het register heeft KvK-nummer %(kvk)s.")
NOT_A_KVK = N_("‘%(kvk)s’ is geen KvK-nummer (acht cijfers).")
_SEPARATORS = re.compile(r"[\s,;]+")


@router.get("/organisaties", name="organisations_page")
def organisations_page(
    request: Request, _user: StaffSignedInDep, kvk: str | None = None
) -> Response:
    """Find an organisation by KvK number, or register a new one."""
    if kvk and kvk.strip():
        target = request.url_for("office_organisation_page", kvk=kvk.strip()).path
        return RedirectResponse(target, 303)
    return render(request, "back_office/organisations.html", page_context(request))


@router.get("/organisaties/nieuw", name="register_organisation_page")
def register_organisation_page(request: Request, _user: StaffSignedInDep) -> Response:
    """The form to register an organisation, with a fresh one-time key."""
    context = page_context(request, values={}, errors=[], key=one_time_key(), labels=LABELS)
    return render(request, "back_office/register_organisation.html", context)


@router.post("/organisaties/nieuw", name="register_organisation_form")
async def register_organisation_form(
    request: Request, backend: BackendDep, user: StaffSignedInDep
) -> Response:
    """Register the organisation (``POST /api/v1/staff/organisations``'s command, once per
    form: a second submit of the same form answers the first's result), then to its page."""
    form = await request.form()
    values = {name: str(form.get(name, "")).strip() for name in (*LABELS, FORM_KEY)}
    subsidiaries = [k for k in _SEPARATORS.split(values["subsidiaries"]) if k]
    body_fields: dict[str, Any] = {**values, "subsidiaries": subsidiaries}
    try:
        body = OrganisationCreate.model_validate(body_fields)
    except ValidationError as exc:
        return _again(request, values, field_errors(exc, LABELS))

    def command(cause: Cause) -> UUID:
        return backend.register.register_organisation(
            body.kvk, body.name, body.place, cause, tuple(body.subsidiaries)
        )

    try:
        key = one_time_key(values[FORM_KEY])
        run_command(request, backend, user, "register_organisation", body, command, key=key)
    except DomainError as exc:
        return _again(request, values, command_errors(exc, LABELS, _field_of(exc, body)))
    target = request.url_for("office_organisation_page", kvk=body.kvk).path
    return RedirectResponse(f"{target}?ingeschreven=1", 303)


def _field_of(exc: DomainError, body: OrganisationCreate) -> str:
    """The field a refusal concerns: the KvK number it names (main or subsidiary), else none."""
    text = str(exc)
    if body.kvk in text:
        return "kvk"
    if any(k in text for k in body.subsidiaries):
        return "subsidiaries"
    return ""


def _again(request: Request, values: dict[str, str], errors: list[FieldError]) -> Response:
    """The form again with what was typed, the errors at the top and beside the fields (422);
    the same one-time key, since nothing was saved."""
    key = values.get(FORM_KEY) or one_time_key()
    context = page_context(request, values=values, errors=errors, key=key, labels=LABELS)
    return render(request, "back_office/register_organisation.html", context, 422)


@router.get("/organisaties/{kvk}", name="office_organisation_page")
def organisation_page(
    request: Request, kvk: str, backend: BackendDep, _user: StaffSignedInDep,
    ingeschreven: str | None = None,
) -> Response:  # fmt: skip
    """An organisation as staff see it: who it is, its timeline and its dispute report."""
    organisation = _organisation(backend, kvk)
    language = chosen(request).language
    told = narrate(timeline(backend.register, kvk), language, translations(language))
    context = page_context(
        request,
        organisation=organisation,
        kvk=kvk,
        timeline=told,
        registered=ingeschreven == "1",
        today=business_date(backend.register.clock.now()),
    )
    return render(request, "back_office/organisation.html", context)


@router.get("/organisaties/{kvk}/geschilrapport", name="dispute_report_page")
def dispute_report_page(
    request: Request,
    kvk: str,
    backend: BackendDep,
    user: StaffSignedInDep,
    dag: Annotated[str, Query(max_length=10)] = "",
    formaat: Literal["html", "pdf"] = "html",
) -> Response:
    """The dispute report of ``kvk`` on ``dag`` (today when empty) as the staff route's document:
    HTML to print, or the PDF."""
    _organisation(backend, kvk)
    try:
        on = dt.date.fromisoformat(dag) if dag else business_date(backend.register.clock.now())
    except ValueError:
        raise Missing(N_("‘%(dag)s’ is geen datum (JJJJ-MM-DD)."), dag=dag) from None
    return dispute_document_response(request, backend, user, kvk, on, formaat, None)


def _organisation(backend: Backend, kvk: str) -> Organisation:
    """The organisation covering a KvK number, or ``Missing``."""
    try:
        kvk_number(kvk)
    except InvalidInputError:
        raise Missing(NOT_A_KVK, kvk=kvk[:20]) from None
    try:
        return backend.register.organisation_by_kvk(kvk)
    except NotFoundError:
        raise Missing(UNKNOWN, kvk=kvk) from None
