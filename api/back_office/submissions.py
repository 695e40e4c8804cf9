"""Submitting an application in the back office (staff): the organisation's KvK number, the
submission date, the CI, the requested level and the declaration as an uploaded JSON file (the
format the API and ``pso score`` take, read as ``/meetlat`` reads it). "Controleren" shows the
provisional assessment under the handbook version in force on the submission date and saves
nothing; "Indienen" saves, with ``POST /api/v1/staff/applications``'s command."""

from __future__ import annotations

import json
from typing import Any

from fastapi import Request
from fastapi.responses import RedirectResponse
from pydantic import ValidationError
from starlette.responses import Response

from api.back_office.applications import today
from api.back_office.forms import FORM_KEY, command_errors, field_errors, one_time_key
from api.back_office.guard import StaffSignedInDep, back_office_router, page_context
from api.commands import run_command
from api.dependencies import BackendDep
from api.pages import assessment_view
from api.pages.declaration_errors import in_the_file
from api.pages.forms import MISSING, FieldError, FormError, uploaded
from api.pages.labels import INSTITUTIONS, LEVEL_CHOICES, LEVELS, N_
from api.pages.language import chosen, translations
from api.pages.rendering import render
from api.pages.self_assessment import MAX_JSON_BYTES, assessed, declaration_json
from api.routes.applications import submission
from api.staff_schemas import ApplicationCreate
from domain.errors import DomainError
from norms.errors import NormsError

router = back_office_router()
#: the labels of the submission form's fields, by their API names
LABELS = {
    "kvk": N_("KvK-nummer"),
    "submitted_on": N_("Datum van indiening"),
    "certifying_institution": N_("Certificerende instelling"),
    "requested_level": N_("Gevraagde trede"),
    "declaration": N_("JSON-bestand met de opgave"),
}
FIELDS = ("kvk", "submitted_on", "certifying_institution", "requested_level")
#: the declaration checked before, carried to "Indienen" when no new file is chosen
CHECKED = "checked_declaration"
TEMPLATE = "back_office/application_submission.html"


@router.get("/aanvragen/nieuw", name="submission_page")
def submission_page(request: Request, backend: BackendDep, _user: StaffSignedInDep) -> Response:
    """The empty submission form, dated today, with a fresh one-time key."""
    values = {"submitted_on": today(backend), FORM_KEY: one_time_key()}
    return _page(request, values, [], None)


@router.post("/aanvragen/nieuw", name="submission_form")
async def submission_form(
    request: Request, backend: BackendDep, user: StaffSignedInDep
) -> Response:
    """ "Controleren": the provisional assessment of the uploaded declaration (nothing saved);
    "Indienen": the submission, once per form, then to the application's page."""
    form = await request.form(max_files=1)
    values = {k: str(form.get(k, "")).strip() for k in (*FIELDS, FORM_KEY, CHECKED)}
    upload = await uploaded(form, "declaration", MAX_JSON_BYTES)
    text = upload.decode("utf-8-sig", "replace") if upload is not None else values[CHECKED]
    values[CHECKED] = text
    try:
        if not text:
            raise FormError([FieldError("declaration", MISSING, label=_label("declaration"))])
        document = declaration_json(text.encode())
        body = _body(values, text)
        version = backend.register.catalogue.version_in_force(body.submitted_on).version
        assessment = assessed(backend, document, version, in_the_file)
    except FormError as exc:
        values[CHECKED] = "" if any(e.field == "declaration" for e in exc.errors) else text
        return _page(request, values, exc.errors, None)
    except NormsError as exc:
        text_of = str(exc).replace("%", "%%")
        errors = [FieldError("submitted_on", text_of, label=_label("submitted_on"))]
        return _page(request, values, errors, None)
    if str(form.get("action", "check")) != "submit":
        return _page(request, values, [], assessment)
    try:
        key = one_time_key(values[FORM_KEY])
        command = submission(backend, body)
        done = run_command(request, backend, user, "submit_application", body, command, key=key)
    except DomainError as exc:
        errors = command_errors(exc, LABELS, _field_of(exc, body))
        return _page(request, values, errors, assessment)
    target = request.url_for("application_page", application_id=str(done.application_id)).path
    return RedirectResponse(f"{target}?gedaan=ingediend", 303)


def _label(name: str) -> tuple[tuple[str, ...], dict[str, Any]]:
    return ((LABELS[name],), {})


def _body(values: dict[str, str], text: str) -> ApplicationCreate:
    """The API's body model of the form (the declaration as the API reads JSON), or
    ``FormError`` naming each bad field."""
    fields: dict[str, Any] = {k: values[k] for k in FIELDS}
    fields["requested_level"] = fields["requested_level"] or None
    fields["declaration"] = json.loads(text)
    try:
        return ApplicationCreate.model_validate(fields)
    except ValidationError as exc:
        raise FormError(field_errors(exc, LABELS)) from None


def _field_of(exc: DomainError, body: ApplicationCreate) -> str:
    """The field a refusal concerns: the KvK number, the declaration, else the date."""
    text = str(exc)
    if body.kvk in text or "organisation" in text:
        return "kvk"
    if "handbook" in text:
        return "submitted_on"
    return "declaration"


def _page(
    request: Request,
    values: dict[str, str],
    errors: list[FieldError],
    assessment: dict[str, Any] | None,
) -> Response:
    """The form, with the checked assessment above "Indienen" once made (422 with errors)."""
    language = chosen(request).language
    words = translations(language)
    context = page_context(
        request,
        values=values,
        errors=errors,
        labels=LABELS,
        key=values.get(FORM_KEY) or one_time_key(),
        checked=values.get(CHECKED, ""),
        explained=None
        if assessment is None
        else assessment_view.explained(assessment, words, language),
        institutions=sorted(INSTITUTIONS.items(), key=lambda item: item[1]),
        levels=[(code, words.gettext(LEVELS[code])) for code in LEVEL_CHOICES],
    )
    response = render(request, TEMPLATE, context, 422 if errors else 200)
    response.headers["Cache-Control"] = "no-store"
    return response
