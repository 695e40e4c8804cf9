"""The back office's start page (``/beheer``): the worklist, what needs a person now, from the
answer of ``GET /api/v1/staff/worklist`` (``worklist_for``: an auditor sees its own CI's)."""

from __future__ import annotations

from fastapi import Request
from starlette.responses import Response

from api.back_office.guard import SignedInDep, back_office_router, page_context
from api.dependencies import BackendDep
from api.pages.rendering import render
from api.routes.worklist import worklist_for

router = back_office_router()


@router.get("", name="worklist_page")
def worklist_page(request: Request, backend: BackendDep, user: SignedInDep) -> Response:
    """The worklist in groups, each item with its deadline, lateness and its organisation."""
    worklist = worklist_for(backend, user)
    applications = {str(r["application_id"]): r for r in backend.staff.applications()}
    ids = {str(a.organisation_id) for a in worklist.applications_awaiting_decision}
    ids |= {str(a.organisation_id) for a in worklist.decisions_late}
    ids |= {str(c.organisation_id) for c in worklist.expiring_within_90_days}
    ids |= {str(r["organisation_id"]) for r in applications.values()}
    organisations = backend.staff.organisations(ids)

    def of_application(application_id: object) -> dict[str, object] | None:
        row = applications.get(str(application_id))
        return None if row is None else organisations.get(str(row["organisation_id"]))

    context = page_context(
        request,
        worklist=worklist,
        organisations=organisations,
        of_application=of_application,
        applications=applications,
    )
    return render(request, "back_office/worklist.html", context)
