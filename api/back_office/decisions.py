"""PSO-Nederland's decision on an audited application in the back office (staff): granted or
refused, a level the audited figures allow (the page says which they support), a reason; the
body model and command of ``POST /api/v1/staff/applications/{id}/decision``. A granted decision
is confirmed with a link to the new certificate's page."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import RedirectResponse
from pydantic import ValidationError
from starlette.responses import Response

from api.back_office.applications import today, visible
from api.back_office.forms import FORM_KEY, command_errors, field_errors, one_time_key
from api.back_office.guard import StaffSignedInDep, back_office_router, page_context
from api.commands import run_command
from api.dependencies import BackendDep
from api.pages.forms import FieldError
from api.pages.labels import LEVELS, N_
from api.pages.language import chosen, translations
from api.pages.rendering import render
from api.routes.applications import decision
from api.staff_schemas import DecisionCreate
from api.staff_views import ApplicationDetail
from api.wiring import Backend
from domain.errors import DomainError
from domain.service.base import certificate_id

router = back_office_router()
LABELS = {
    "decided_on": N_("Datum van het besluit"),
    "outcome": N_("Besluit"),
    "level": N_("Trede"),
    "reason": N_("Reden"),
}
OUTCOMES = {"granted": N_("toekennen"), "refused": N_("afwijzen")}
SUPPORTED = N_("%(level)s (wat de cijfers steunen)")
TEMPLATE = "back_office/application_decision.html"


@router.get("/aanvragen/{application_id}/besluit", name="decision_page")
def decision_page(
    request: Request, application_id: str, backend: BackendDep, user: StaffSignedInDep
) -> Response:
    """The decision's form, dated today, offering the levels the audited figures allow."""
    detail = visible(backend, user, application_id)
    values = {"decided_on": today(backend), "outcome": "granted", FORM_KEY: one_time_key()}
    return _page(request, detail, values, [])


@router.post("/aanvragen/{application_id}/besluit", name="decision_form")
async def decision_form(
    request: Request, application_id: str, backend: BackendDep, user: StaffSignedInDep
) -> Response:
    """Record the decision (once per form); granted: to the confirmation with the certificate."""
    detail = visible(backend, user, application_id)
    form = await request.form()
    values = {k: str(form.get(k, "")).strip() for k in (*LABELS, FORM_KEY)}
    fields: dict[str, Any] = {k: values[k] or None for k in LABELS}
    try:
        body = DecisionCreate.model_validate(fields)
    except ValidationError as exc:
        return _page(request, detail, values, field_errors(exc, LABELS))
    try:
        key = one_time_key(values[FORM_KEY])
        command = decision(backend, detail.id, body)
        done = run_command(request, backend, user, "decision", body, command, body.reason, key)
    except DomainError as exc:
        text = str(exc)
        field = "reason" if "reason" in text else "level" if "level" in text else "decided_on"
        return _page(request, detail, values, command_errors(exc, LABELS, field))
    if done.number is None:
        target = request.url_for("application_page", application_id=str(detail.id)).path
        return RedirectResponse(f"{target}?gedaan=afgewezen", 303)
    target = request.url_for("decision_done_page", application_id=str(detail.id)).path
    return RedirectResponse(f"{target}?certificaat={done.number}", 303)


@router.get("/aanvragen/{application_id}/besluit/genomen", name="decision_done_page")
def decision_done_page(
    request: Request,
    application_id: str,
    backend: BackendDep,
    user: StaffSignedInDep,
    certificaat: str = "",
) -> Response:
    """The confirmation of a granted decision, with the link to the certificate's page (only
    for the certificate this application was granted)."""
    detail = visible(backend, user, application_id)
    number = certificaat if _granted(backend, detail, certificaat) else None
    context = page_context(request, application=detail, number=number)
    return render(request, "back_office/application_decided.html", context)


def _granted(backend: Backend, detail: ApplicationDetail, number: str) -> bool:
    """Whether ``number`` is the certificate granted on this application."""
    app = backend.register.application(detail.id)
    try:
        return bool(number) and app.certificate_id == certificate_id(number)
    except ValueError:
        return False


def _page(
    request: Request, detail: ApplicationDetail, values: dict[str, str], errors: list[FieldError]
) -> Response:
    """The form: the levels the audited figures meet, the one they support named (422 with
    errors: nothing saved)."""
    words = translations(chosen(request).language)
    assessment = detail.assessment.model_dump(mode="json")
    supported = assessment["level"]
    allowed = [c["level"] for c in assessment["levels"] if c["met"]]
    levels = [
        (
            code,
            words.gettext(SUPPORTED) % {"level": words.gettext(LEVELS[code])}
            if code == supported
            else words.gettext(LEVELS[code]),
        )
        for code in reversed(allowed)
    ]
    context = page_context(
        request,
        application=detail,
        values={"level": supported or "", **values},
        errors=errors,
        labels=LABELS,
        key=values.get(FORM_KEY) or one_time_key(),
        outcomes=[(code, words.gettext(text)) for code, text in OUTCOMES.items()],
        levels=levels,
        supported=supported,
        advice=detail.advice,
    )
    return render(request, TEMPLATE, context, 422 if errors else 200)
