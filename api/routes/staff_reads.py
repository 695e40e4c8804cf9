"""Staff reads: contributions, the worklist, an organisation's timeline and the dispute report."""

from __future__ import annotations

import datetime as dt
import html
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse, Response

from api.auth import StaffDep
from api.dependencies import BackendDep
from api.documents import position_document
from api.http import dumps
from api.schemas import Day
from domain.clock import business_date
from domain.values import ContributionYear, kvk_number

router = APIRouter(prefix="/api/v1/staff", tags=["staff: reads"])


@router.get("/contributions")
def contributions(
    backend: BackendDep,
    _user: StaffDep,
    unpaid: Annotated[bool, Query(description="Only years not paid yet.")] = False,  # noqa: FBT002
) -> list[dict[str, Any]]:
    """Invoiced contribution years; ``unpaid=true`` for those not paid yet."""
    rows = backend.staff.unpaid_contributions() if unpaid else backend.staff.contributions()
    return [
        {
            **row,
            "id": str(ContributionYear(row["certificate_number"], row["year"])),
            "amount": str(row["amount"]),
        }
        for row in rows
    ]


@router.get("/worklist")
def worklist(backend: BackendDep, _user: StaffDep) -> dict[str, Any]:
    """What needs staff attention today, and the read models that stopped at an event they
    could not apply (``failed_read_models``: until rebuilt, the lists above stand still there)."""
    today = business_date(backend.register.clock.now())
    return {
        "today": today.isoformat(),
        "applications_awaiting_decision": backend.staff.applications("reported", today),
        "decisions_overdue": backend.staff.overdue_decisions(today),
        "decisions_late": backend.staff.late_decisions(),
        "open_objections": backend.staff.open_objections(),
        "unpaid_contributions": backend.staff.unpaid_contributions(),
        "expiring_within_90_days": backend.staff.expiring(today),
        "statistics": backend.staff.statistics(today),
        "messages_needing_attention": backend.scheduler.postman.needing_attention(),
        "failed_read_models": backend.staff.failed_read_models(),
    }


@router.get("/organisations/{kvk}/timeline")
def timeline(kvk: str, backend: BackendDep, _user: StaffDep) -> list[dict[str, Any]]:
    """Every event of the organisation and of everything attached to it (KvK numbers it covered,
    applications, objections, certificates, contributions), in recorded order: recorded time, log
    position, effective dates, actor, role, reason and the facts."""
    kvk_number(kvk)
    return [entry.to_document() for entry in backend.register.timeline(kvk)]


def dispute_report(backend: BackendDep, kvk: str, on: dt.date) -> dict[str, Any]:
    """What was true on a day as known now, and what the register said about it over time."""
    said = backend.register.what_was_said(kvk, on)
    return {
        "kvk": kvk,
        "on": on.isoformat(),
        "now": position_document(kvk, backend.register.position(kvk, on), None),
        "what_the_register_said": [position_document(kvk, p, at) for at, p in said],
        "timeline": [entry.to_document() for entry in backend.register.timeline(kvk)],
    }


@router.get("/organisations/{kvk}/dispute-report", response_model=None)
def get_dispute_report(
    kvk: str,
    on: Annotated[Day, Query(description="The disputed day.")],
    backend: BackendDep,
    _user: StaffDep,
    format: Annotated[str, Query(pattern="^(json|html)$")] = "json",  # noqa: A002 (query name)
) -> Response:
    """The dispute report: the position on a day now and as the register said it then (JSON or
    a printable HTML page)."""
    kvk_number(kvk)
    report = dispute_report(backend, kvk, on)
    if format == "json":
        return Response(dumps(report), media_type="application/json")
    return HTMLResponse(render_report(report))


def render_report(report: dict[str, Any]) -> str:
    """A printable page of the dispute report."""
    e = html.escape
    said = "".join(
        f"<tr><td>{e(str(s['as_known_at']))}</td><td>{e(s['status'])}</td>"
        f"<td>{e(str(s['level']))}</td><td>{e(s['explanation'])}</td></tr>"
        for s in report["what_the_register_said"]
    )
    events = "".join(
        f"<tr><td>{e(t['recorded_at'])}</td><td>{t['position']}</td><td>{e(t['event'])}</td>"
        f"<td>{e(_dates(t['effective_dates']))}</td><td>{e(t['actor_id'])} "
        f"({e(t['actor_role'])})</td><td>{e(str(t['reason'] or ''))}</td>"
        f"<td>{e(str(t['facts']))}</td></tr>"
        for t in report["timeline"]
    )
    now = report["now"]
    return (
        "<!doctype html><html lang='en'><meta charset='utf-8'>"
        f"<title>Dispute report {e(report['kvk'])} on {e(report['on'])}</title>"
        "<style>body{font-family:sans-serif}td,th{border:1px solid #999;padding:4px}"
        "table{border-collapse:collapse}</style>"
        f"<h1>PSO register: dispute report for KvK {e(report['kvk'])} on {e(report['on'])}</h1>"
        f"<h2>As known now</h2><p>{e(now['explanation'])}</p>"
        "<h2>What the register said about that day over time</h2><table>"
        f"<tr><th>as known at</th><th>status</th><th>level</th><th>meaning</th></tr>{said}</table>"
        "<h2>Timeline (recorded time, log position, event, effective dates, actor, reason, facts)"
        "</h2><table><tr><th>recorded</th><th>position</th><th>event</th><th>effective dates</th>"
        "<th>actor</th><th>reason</th><th>facts</th></tr>"
        f"{events}</table></html>"
    )


def _dates(dates: dict[str, str]) -> str:
    return ", ".join(f"{name} {day}" for name, day in dates.items())
