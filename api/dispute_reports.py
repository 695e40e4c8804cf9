"""The dispute report of an organisation on a day: one answer, the JSON of the staff route and
the content of its document (api/pages/dispute_document.py: printable HTML and PDF)."""

from __future__ import annotations

import datetime as dt

from api.documents import position_document
from api.schemas import PositionPublic
from api.staff_views import DisputeReport, TimelineEntry
from domain.register import Register


def timeline(register: Register, kvk: str) -> list[TimelineEntry]:
    """Every event of the organisation and of everything attached to it, in recorded order."""
    return [TimelineEntry.model_validate(e.to_document()) for e in register.timeline(kvk)]


def dispute_report(register: Register, kvk: str, on: dt.date) -> DisputeReport:
    """What was true on a day as known now, and what the register said about it over time."""
    said = register.what_was_said(kvk, on)
    return DisputeReport(
        kvk=kvk,
        on=on,
        now=PositionPublic.model_validate(position_document(kvk, register.position(kvk, on), None)),
        what_the_register_said=[
            PositionPublic.model_validate(position_document(kvk, p, at)) for at, p in said
        ],
        timeline=timeline(register, kvk),
    )
