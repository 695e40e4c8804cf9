"""Filing an application's audit report in the back office (an auditor of its CI, or staff):
audit date, a few findings (criterion, verdict, note), advice level and PSO 30+, summary; the
body model and command of ``POST /api/v1/staff/applications/{id}/audit-report``."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import RedirectResponse
from pydantic import ValidationError
from starlette.responses import Response

from api.back_office.applications import today, visible
from api.back_office.forms import FORM_KEY, command_errors, field_errors, one_time_key
from api.back_office.guard import SignedInDep, back_office_router, page_context
from api.commands import run_command
from api.dependencies import BackendDep
from api.pages.forms import FieldError
from api.pages.labels import LEVEL_CHOICES, LEVELS, N_
from api.pages.language import chosen, translations
from api.pages.rendering import render
from api.routes.applications import audit_report
from api.staff_schemas import AuditReportCreate
from api.staff_views import ApplicationDetail
from domain.errors import DomainError

router = back_office_router()
#: how many finding rows the form has
FINDING_ROWS = 3
LABELS = {
    "audit_date": N_("Datum van de audit"),
    "findings": N_("Bevindingen"),
    "advice": N_("Geadviseerde trede"),
    "pso30plus": N_("PSO 30+ geadviseerd"),
    "summary": N_("Samenvatting"),
}
VERDICTS = {"note": N_("opmerking"), "met": N_("voldaan"), "not_met": N_("niet voldaan")}
TEMPLATE = "back_office/application_audit_report.html"


@router.get("/aanvragen/{application_id}/auditrapport", name="audit_report_page")
def audit_report_page(
    request: Request, application_id: str, backend: BackendDep, user: SignedInDep
) -> Response:
    """The audit report's form, dated today, with a fresh one-time key."""
    detail = visible(backend, user, application_id)
    values = {"audit_date": today(backend), FORM_KEY: one_time_key()}
    return _page(request, detail, values, [])


@router.post("/aanvragen/{application_id}/auditrapport", name="audit_report_form")
async def audit_report_form(
    request: Request, application_id: str, backend: BackendDep, user: SignedInDep
) -> Response:
    """File the audit report (once per form), then to the application's page."""
    detail = visible(backend, user, application_id)
    form = await request.form()
    values = {k: str(v).strip() for k, v in form.items() if isinstance(v, str)}
    findings = []
    for row in range(FINDING_ROWS):
        found = {k: values.get(f"findings-{row}-{k}", "") for k in ("criterion", "verdict", "note")}
        if found["criterion"] or found["note"]:
            findings.append({**found, "verdict": found["verdict"] or "note"})
    fields: dict[str, Any] = {
        "audit_date": values.get("audit_date", ""),
        "findings": findings,
        "advice": {"level": values.get("advice") or None, "pso30plus": "pso30plus" in values},
        "summary": values.get("summary", ""),
    }
    try:
        body = AuditReportCreate.model_validate(fields)
    except ValidationError as exc:
        return _page(request, detail, values, field_errors(exc, LABELS))
    try:
        key = one_time_key(values.get(FORM_KEY, ""))
        command = audit_report(backend, detail.id, body)
        run_command(request, backend, user, "audit_report", body, command, key=key)
    except DomainError as exc:
        return _page(request, detail, values, command_errors(exc, LABELS, "audit_date"))
    target = request.url_for("application_page", application_id=str(detail.id)).path
    return RedirectResponse(f"{target}?gedaan=auditrapport", 303)


def _page(
    request: Request, detail: ApplicationDetail, values: dict[str, str], errors: list[FieldError]
) -> Response:
    """The form with what was typed (422 with errors: nothing saved)."""
    words = translations(chosen(request).language)
    context = page_context(
        request,
        application=detail,
        values=values,
        errors=errors,
        labels=LABELS,
        key=values.get(FORM_KEY) or one_time_key(),
        rows=FINDING_ROWS,
        verdicts=[(code, words.gettext(text)) for code, text in VERDICTS.items()],
        levels=[(code, words.gettext(LEVELS[code])) for code in LEVEL_CHOICES],
    )
    return render(request, TEMPLATE, context, 422 if errors else 200)
