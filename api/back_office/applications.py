"""Applications in the back office: the list (an auditor sees its own CI's, through the answer
of ``GET /api/v1/staff/applications``), one application's page (state, dates, the provisional
assessment explained, findings, advice, decision, the organisation's timeline) and its two small
staff forms, the audit-plan objection and the cancellation."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any, TypeVar
from uuid import UUID

from fastapi import Request
from fastapi.responses import RedirectResponse
from pydantic import BaseModel, ValidationError
from starlette.responses import Response

from api.back_office.forms import FORM_KEY, command_errors, field_errors, one_time_key
from api.back_office.guard import (
    NOT_ALLOWED,
    Refused,
    SignedInDep,
    StaffSignedInDep,
    back_office_router,
    page_context,
)
from api.commands import run_command
from api.dependencies import BackendDep
from api.dispute_reports import timeline
from api.pages import assessment_view
from api.pages.forms import NOT_A_CHOICE, FieldError, Missing
from api.pages.labels import N_
from api.pages.language import chosen, translations
from api.pages.narration import narrate
from api.pages.rendering import render
from api.routes.applications import applications_for, get_application, own_ci
from api.staff_schemas import AuditPlanObjectionCreate, CancellationCreate
from api.staff_views import ApplicationDetail
from api.users import User
from api.wiring import Backend
from domain.application import OPEN, ApplicationState
from domain.clock import business_date
from domain.errors import DomainError, ForbiddenError, NotFoundError
from domain.values import Cause, Role

router = back_office_router()
M = TypeVar("M", bound=BaseModel)
#: an application's states in the page's words
STATES = {
    "submitted": N_("ingediend"),
    "audit_planned": N_("audit gepland"),
    "reported": N_("auditrapport binnen"),
    "granted": N_("toegekend"),
    "refused": N_("afgewezen"),
    "cancelled": N_("ingetrokken"),
}
NO_APPLICATION = N_("Er is geen aanvraag met nummer %(id)s.")
#: the labels of the two small forms' fields, by their API names
OBJECTION_LABELS = {"objected_on": N_("Datum van het bezwaar"), "reason": N_("Reden")}
CANCELLATION_LABELS = {"cancelled_on": N_("Datum van intrekking"), "reason": N_("Reden")}
#: the fields of the two forms (one page: each its own names), by the API names they fill
OBJECTION_FIELDS = {"objected_on": "objected_on", "reason": "objection_reason"}
CANCELLATION_FIELDS = {"cancelled_on": "cancelled_on", "reason": "cancellation_reason"}
#: what the page says after a form was saved, by the ``gedaan`` parameter
DONE = {
    "ingediend": N_("De aanvraag is ingediend."),
    "bezwaar": N_("Het bezwaar tegen het auditplan is vastgelegd."),
    "ingetrokken": N_("De aanvraag is ingetrokken."),
    "auditrapport": N_("Het auditrapport is vastgelegd."),
    "afgewezen": N_("De aanvraag is afgewezen."),
}


def visible(backend: Backend, user: User, application_id: str) -> ApplicationDetail:
    """The application as ``GET /api/v1/staff/applications/{id}`` answers it, if ``user`` may
    see it (staff, or an auditor of its CI: else the 403 page); ``Missing`` when none."""
    try:
        found = UUID(application_id)
        own_ci(found, user, backend)
        return get_application(found, backend, user)
    except (ValueError, NotFoundError):
        raise Missing(NO_APPLICATION, id=application_id[:40]) from None
    except ForbiddenError:
        raise Refused(NOT_ALLOWED) from None


def organisation_of(backend: Backend, application_id: UUID) -> dict[str, Any]:
    """The main KvK number and name of the application's organisation."""
    organisation_id = str(backend.register.application(application_id).organisation_id)
    return backend.staff.organisations({organisation_id})[organisation_id]


def today(backend: Backend) -> str:
    """Today's business date as a date field's value."""
    return business_date(backend.register.clock.now()).isoformat()


@router.get("/aanvragen", name="applications_page")
def applications_page(
    request: Request, backend: BackendDep, user: SignedInDep, status: str = ""
) -> Response:
    """The applications, oldest submission first, optionally of one state; an auditor sees
    its own CI's only."""
    errors: list[FieldError] = []
    state = None
    if status:
        try:
            state = ApplicationState(status)
        except ValueError:
            errors = [FieldError("status", NOT_A_CHOICE, {}, label=((N_("Status"),), {}))]
    rows = [] if errors else applications_for(backend, user, state)
    words = translations(chosen(request).language)
    organisations = backend.staff.organisations({str(r.organisation_id) for r in rows})
    context = page_context(
        request,
        rows=rows,
        organisations=organisations,
        status=status,
        errors=errors,
        states=[(code, words.gettext(text)) for code, text in STATES.items()],
        state_names=STATES,
    )
    return render(request, "back_office/applications.html", context, 422 if errors else 200)


@router.get("/aanvragen/{application_id}", name="application_page")
def application_page(
    request: Request,
    application_id: str,
    backend: BackendDep,
    user: SignedInDep,
    gedaan: str = "",
) -> Response:
    """One application: its state and dates, the assessment of its (audited) figures
    explained, findings, advice, decision, and the organisation's timeline."""
    return detail_page(request, backend, user, application_id, done=gedaan)


def detail_page(
    request: Request,
    backend: Backend,
    user: User,
    application_id: str,
    *,
    done: str = "",
    form: str = "",
    values: dict[str, str] | None = None,
    errors: list[FieldError] | None = None,
) -> Response:
    """The application's page; after a refused form (``form``) with its values and errors
    (422)."""
    detail = visible(backend, user, application_id)
    language = chosen(request).language
    words = translations(language)
    organisation = organisation_of(backend, detail.id)
    kvk = organisation["main_kvk"]
    summary = next(
        (r for r in applications_for(backend, user) if r.application_id == detail.id), None
    )
    staff = user.role is not Role.AUDITOR
    context = page_context(
        request,
        application=detail,
        summary=summary,
        organisation=organisation,
        kvk=kvk,
        state_names=STATES,
        explained=assessment_view.explained(
            detail.assessment.model_dump(mode="json"), words, language
        ),
        timeline=narrate(timeline(backend.register, kvk), language, translations(language))
        if staff
        else [],
        staff=staff,
        open=detail.state in {s.value for s in OPEN},
        done=DONE.get(done),
        form=form,
        values=values or {"objected_on": today(backend), "cancelled_on": today(backend)},
        errors=errors or [],
        key=(values or {}).get(FORM_KEY) or one_time_key(),
        objection_labels=OBJECTION_LABELS,
        cancellation_labels=CANCELLATION_LABELS,
    )
    status = 422 if errors else 200
    return render(request, "back_office/application.html", context, status)


@router.post("/aanvragen/{application_id}/bezwaar-auditplan", name="audit_plan_objection_form")
async def audit_plan_objection_form(
    request: Request, application_id: str, backend: BackendDep, user: StaffSignedInDep
) -> Response:
    """Record an objection to the audit plan (``POST .../audit-plan-objection``'s command)."""
    return await _small_form(
        request, backend, user, application_id, SmallForm(
            "objection", AuditPlanObjectionCreate, OBJECTION_FIELDS, OBJECTION_LABELS,
            "audit_plan_objection", "objected_on", "bezwaar",
        ),
        lambda app, body, cause: backend.register.object_to_audit_plan(
            app, body.objected_on, cause
        ),
    )  # fmt: skip


@router.post("/aanvragen/{application_id}/intrekking", name="cancellation_form")
async def cancellation_form(
    request: Request, application_id: str, backend: BackendDep, user: StaffSignedInDep
) -> Response:
    """Cancel the application on the organisation's behalf (``POST .../cancellation``'s
    command)."""
    return await _small_form(
        request, backend, user, application_id, SmallForm(
            "cancellation", CancellationCreate, CANCELLATION_FIELDS, CANCELLATION_LABELS,
            "cancellation", "cancelled_on", "ingetrokken",
        ),
        lambda app, body, cause: backend.register.cancel_application(
            app, body.cancelled_on, cause
        ),
    )  # fmt: skip


@dataclasses.dataclass(frozen=True)
class SmallForm:
    """One of the application page's small staff forms: its name on the page, the API's body
    model, the form's field of each of the model's, their labels, the command's kind, the field
    a domain refusal is shown beside, and what the page says was done."""

    name: str
    model: type[Any]
    fields: dict[str, str]
    labels: dict[str, str]
    kind: str
    refused_beside: str
    done: str


async def _small_form(
    request: Request,
    backend: Backend,
    user: User,
    application_id: str,
    form: SmallForm,
    command: Callable[[UUID, Any, Cause], None],
) -> Response:
    """Read a small form, run its command once (the form's one-time key), and go back to the
    application's page saying what was done; refused: that page with the form's errors."""
    detail = visible(backend, user, application_id)
    values, body = await _read(request, form.model, form.fields, form.labels)
    if isinstance(body, list):
        return _again(request, backend, user, application_id, form.name, values, body)
    try:
        key = one_time_key(values[FORM_KEY])
        run_command(
            request, backend, user, form.kind, body,
            lambda cause: command(detail.id, body, cause), body.reason, key,
        )  # fmt: skip
    except DomainError as exc:
        errors = _named(command_errors(exc, form.labels, form.refused_beside), form.fields)
        return _again(request, backend, user, application_id, form.name, values, errors)
    return _done(request, detail.id, form.done)


async def _read(
    request: Request, model: type[M], fields: dict[str, str], labels: dict[str, str]
) -> tuple[dict[str, str], M | list[FieldError]]:
    """The form's values and its body model (``fields``: the form's field of each of the
    model's), or the model's refusals beside the form's fields."""
    form = await request.form()
    values = {name: str(form.get(name, "")).strip() for name in (*fields.values(), FORM_KEY)}
    try:
        return values, model.model_validate({k: values[f] for k, f in fields.items()})
    except ValidationError as exc:
        return values, _named(field_errors(exc, labels), fields)


def _named(errors: list[FieldError], fields: dict[str, str]) -> list[FieldError]:
    """The errors beside the form's fields rather than the model's names."""
    return [dataclasses.replace(e, field=fields.get(e.field, e.field)) for e in errors]


def _again(
    request: Request,
    backend: Backend,
    user: User,
    application_id: str,
    form: str,
    values: dict[str, str],
    errors: list[FieldError],
) -> Response:
    """The application's page again with the refused form's values and errors (422)."""
    values = {"objected_on": today(backend), "cancelled_on": today(backend), **values}
    return detail_page(
        request, backend, user, application_id, form=form, values=values, errors=errors
    )


def _done(request: Request, application_id: UUID, done: str) -> Response:
    """Post/Redirect/Get: to the application's page saying what was done."""
    target = request.url_for("application_page", application_id=str(application_id)).path
    return RedirectResponse(f"{target}?gedaan={done}", 303)
