"""The dispute report (geschillenrapport) as a document for a lawyer: the JSON report of
``api.dispute_reports`` written out in the language asked, with the organisation's name and KvK
number, a reference, the question, when it was made and by whom, the answer as known now and as
the register gave it at each moment it changed (a change about the day recorded after it marked
as backdated), and the whole timeline in plain sentences. One template, as printable HTML or PDF;
the staff route and ``pso report`` call the same functions."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from api.dispute_reports import dispute_report
from api.pages.documents import filename, pdf, render_document
from api.pages.language import long_date, moment, translations
from api.pages.narration import ROLES, narrate
from api.schemas import PositionPublic
from api.staff_views import DisputeReport
from domain.clock import business_date
from domain.register import Register

TEMPLATE = "dispute_report.html"
#: the first word of the report's file names, by language
FILE_KIND = {"nl": "geschillenrapport", "en": "dispute-report"}


@dataclass(frozen=True)
class Said:
    """What the register answered about the day from one moment until the next change."""

    position: PositionPublic
    since: dt.datetime
    until: dt.datetime | None
    #: the register learned this after the day itself: until then it said another thing was held
    backdated: bool


@dataclass(frozen=True)
class DisputeDocument:
    """Everything the document shows, and the report it was made from."""

    report: DisputeReport
    name: str
    place: str
    covered_kvks: tuple[str, ...]
    reference: str
    generated_at: dt.datetime
    by: str


def dispute_document(
    register: Register, kvk: str, on: dt.date, by: str, now: dt.datetime
) -> DisputeDocument:
    """The report on a day with what the document adds: who the organisation is, a reference
    (KvK number, day and the last log position the report rests on), when and by whom."""
    report = dispute_report(register, kvk, on)
    organisation = register.organisation_by_kvk(kvk)
    last = max((entry.position for entry in report.timeline), default=0)
    return DisputeDocument(
        report=report,
        name=organisation.name,
        place=organisation.place,
        covered_kvks=(organisation.main_kvk, *organisation.subsidiaries),
        reference=f"GR-{kvk}-{on:%Y%m%d}-{last}",
        generated_at=now,
        by=by,
    )


def said_over_time(report: DisputeReport) -> list[Said]:
    """Each answer the register gave about the day, from when until when."""
    said = report.what_the_register_said
    rows = []
    for index, position in enumerate(said):
        since = position.as_known_at
        if since is None:  # every answer of what_the_register_said has its moment
            continue
        following = said[index + 1].as_known_at if index + 1 < len(said) else None
        rows.append(
            Said(
                position=position,
                since=since,
                until=following,
                backdated=index > 0
                and business_date(_aware(since)) > report.on
                and _held(said[index - 1]) != _held(position),
            )
        )
    return rows


def context(document: DisputeDocument, language: str) -> dict[str, Any]:
    """The template's values."""
    report = document.report
    said = said_over_time(report)
    return {
        "document": document,
        "report": report,
        "said": said,
        "changed_after": [s for s in said if s.backdated],
        "timeline": narrate(report.timeline, language, translations(language)),
        "generated": moment(document.generated_at, language),
        "day": long_date(report.on, language),
    }


def dispute_html(document: DisputeDocument, language: str, switch: list[dict[str, str]]) -> str:
    """The report as a printable HTML page."""
    return render_document(language, TEMPLATE, {**context(document, language), "switch": switch})


def dispute_pdf(document: DisputeDocument, language: str) -> bytes:
    """The report as a PDF."""
    return pdf(render_document(language, TEMPLATE, {**context(document, language), "pdf": True}))


def author(name: str, role: str, language: str) -> str:
    """Who made the document, as it names them: ``anna (medewerker PSO)``."""
    return f"{name} ({translations(language).gettext(ROLES.get(role, role))})"


def dispute_filename(document: DisputeDocument, language: str, suffix: str) -> str:
    """``geschillenrapport-12345678-2025-06-01.pdf``: the organisation and the day asked."""
    return filename(FILE_KIND[language], document.report.kvk, document.report.on, suffix)


#: answers that both say nothing was held (the register only learned of a later certificate)
NOTHING_HELD = frozenset({"never_certified", "not_yet_certified"})


def _held(position: PositionPublic) -> tuple[str, str | None]:
    """What an answer says was held that day: a change of this after the day is backdated."""
    status = "nothing" if position.status in NOTHING_HELD else position.status
    return status, position.level


def _aware(instant: dt.datetime) -> dt.datetime:
    return instant if instant.tzinfo else instant.replace(tzinfo=dt.UTC)
