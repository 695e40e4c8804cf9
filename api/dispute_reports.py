"""The dispute report of an organisation on a day: one answer, as JSON and as a printable page."""

from __future__ import annotations

import datetime as dt
import html

from api.documents import position_document
from api.schemas import PositionPublic
from api.staff_views import DisputeReport, TimelineEntry
from api.wiring import Backend


def timeline(backend: Backend, kvk: str) -> list[TimelineEntry]:
    """Every event of the organisation and of everything attached to it, in recorded order."""
    return [TimelineEntry.model_validate(e.to_document()) for e in backend.register.timeline(kvk)]


def dispute_report(backend: Backend, kvk: str, on: dt.date) -> DisputeReport:
    """What was true on a day as known now, and what the register said about it over time."""
    said = backend.register.what_was_said(kvk, on)
    return DisputeReport(
        kvk=kvk,
        on=on,
        now=PositionPublic.model_validate(
            position_document(kvk, backend.register.position(kvk, on), None)
        ),
        what_the_register_said=[
            PositionPublic.model_validate(position_document(kvk, p, at)) for at, p in said
        ],
        timeline=timeline(backend, kvk),
    )


def render_report(report: DisputeReport) -> str:
    """A printable page of the dispute report."""
    e = html.escape
    said = "".join(
        f"<tr><td>{e(str(s.as_known_at))}</td>"
        f"<td>{e(s.status)}</td><td>{e(str(s.level))}</td><td>{e(s.explanation)}</td></tr>"
        for s in report.what_the_register_said
    )
    events = "".join(
        f"<tr><td>{e(t.recorded_at.isoformat())}</td><td>{t.position}</td><td>{e(t.event)}</td>"
        f"<td>{e(_dates(t.effective_dates))}</td><td>{e(t.actor_id)} "
        f"({e(t.actor_role)})</td><td>{e(t.reason or '')}</td>"
        f"<td>{e(str(t.facts))}</td></tr>"
        for t in report.timeline
    )
    kvk, on = e(report.kvk), e(report.on.isoformat())
    return (
        "<!doctype html><html lang='en'><meta charset='utf-8'>"
        f"<title>Dispute report {kvk} on {on}</title>"
        "<style>body{font-family:sans-serif}td,th{border:1px solid #999;padding:4px}"
        "table{border-collapse:collapse}</style>"
        f"<h1>PSO register: dispute report for KvK {kvk} on {on}</h1>"
        f"<h2>As known now</h2><p>{e(report.now.explanation)}</p>"
        "<h2>What the register said about that day over time</h2><table>"
        f"<tr><th>as known at</th><th>status</th><th>level</th><th>meaning</th></tr>{said}</table>"
        "<h2>Timeline (recorded time, log position, event, effective dates, actor, reason, facts)"
        "</h2><table><tr><th>recorded</th><th>position</th><th>event</th><th>effective dates</th>"
        "<th>actor</th><th>reason</th><th>facts</th></tr>"
        f"{events}</table></html>"
    )


def _dates(dates: dict[str, dt.date]) -> str:
    return ", ".join(f"{name} {day.isoformat()}" for name, day in dates.items())
