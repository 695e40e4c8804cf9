"""Public reads: the register and its exports, certificates, organisations, positions, coverage,
the change feed. No authentication; nothing person-level and no contribution data. Each answer is
one function of the backend and a validated question; ``api.lean`` serves and documents it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from typing import Any

from api import examples
from api.answers import Download, Reply
from api.documents import (
    ORGANISATION_FIELDS,
    coverage_document,
    organisation_document,
    pick,
    position_document,
    public_certificate,
)
from api.http import dumps, settled
from api.lean import Operation
from api.questions import (
    CertificateQuestion,
    ChangesQuestion,
    CoverageQuestion,
    OrganisationQuestion,
    PositionQuestion,
    RegisterFilter,
    SearchQuestion,
)
from api.schemas import (
    CertificatePublic,
    ChangePage,
    CoveragePublic,
    OrganisationPublic,
    PositionPublic,
    RegisterPage,
)
from api.wiring import Backend
from domain.bounds import asked
from domain.errors import NotFoundError
from norms.levels import Level

EXPORT_PAGE = 200


def search_register(backend: Backend, question: SearchQuestion) -> Reply:
    """Search the register by name, KvK number (any covered), place, and the level held and the
    status on a day (default today): organisations that hold or held a certificate by then."""
    items, next_cursor = _search(backend, question, question.cursor, question.limit)
    page = {"items": items, "next_cursor": next_cursor}
    return Reply(page, next_page=None if next_cursor is None else {"cursor": next_cursor})


def _search(
    backend: Backend, question: RegisterFilter, cursor: str | None, limit: int
) -> tuple[list[dict[str, Any]], str | None]:
    level = Level(question.level) if question.level else None
    items, next_cursor = backend.queries.search(
        question.q, question.place, level, question.status, cursor, limit, question.on
    )
    return [pick(item, ORGANISATION_FIELDS) for item in items], next_cursor


def _register(backend: Backend, question: RegisterFilter) -> tuple[Iterator[dict[str, Any]], str]:
    """Every organisation matching the filters on one day (fixed once, so an export that runs
    across midnight is of one day), page by page; the first page is read at once, so a refused
    filter is refused before anything is sent."""
    day = question.on or backend.queries.today()
    fixed = question.model_copy(update={"on": day})
    first, cursor = _search(backend, fixed, None, EXPORT_PAGE)

    def rows() -> Iterator[dict[str, Any]]:
        nonlocal cursor
        yield from first
        while cursor is not None:
            items, cursor = _search(backend, fixed, cursor, EXPORT_PAGE)
            yield from items

    return rows(), day.isoformat()


def export_jsonl(backend: Backend, question: RegisterFilter) -> Reply:
    """The register on a day (default today) as JSON lines (open data), streamed; the same
    filters as the search."""
    rows, day = _register(backend, question)
    lines = (dumps(item) + b"\n" for item in rows)
    return Reply(Download(lines, "application/x-ndjson", f"pso-register-{day}.jsonl"))


def export_csv(backend: Backend, question: RegisterFilter) -> Reply:
    """The register on a day (default today) as CSV (open data), streamed; the same filters as
    the search."""
    rows, day = _register(backend, question)

    def lines() -> Iterator[bytes]:
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(ORGANISATION_FIELDS)
        for item in rows:
            item["covered_kvks"] = " ".join(item["covered_kvks"])
            writer.writerow(["" if item[f] is None else item[f] for f in ORGANISATION_FIELDS])
            yield out.getvalue().encode()
            out.seek(0)
            out.truncate()
        yield out.getvalue().encode()

    return Reply(Download(lines(), "text/csv; charset=utf-8", f"pso-register-{day}.csv"))


def get_certificate(backend: Backend, question: CertificateQuestion) -> Reply:
    """One certificate with its status on a day (default today) and its history; changes that
    take effect after that day are marked scheduled."""
    row = backend.queries.certificate(question.number, question.on)
    if row is None:
        raise NotFoundError(f"certificate {question.number} is not in the register")
    return Reply(public_certificate(row))


def get_organisation(backend: Backend, question: OrganisationQuestion) -> Reply:
    """An organisation by any covered KvK number: its position on a day (default today) and all
    its certificates with their status that day."""
    kvk = question.kvk
    row = backend.queries.organisation(kvk, question.on)
    if row is None:
        raise NotFoundError(f"KvK number {kvk} was never certified: it is not in the register")
    for link in ("successor", "predecessor"):
        row[link] = linked(backend, row.pop(f"{link}_kvk"), row.pop(f"{link}_on"))
    return Reply(organisation_document(kvk, row, backend.queries.position(kvk, row["on"])))


def linked(backend: Backend, kvk: str | None, since: dt.date | None) -> dict[str, Any] | None:
    """A successor or predecessor as the public register may show it: only one that is in the
    register itself (it held a certificate), so it never tells who applied without one."""
    other = backend.queries.organisation(kvk) if kvk else None
    if other is None:
        return None
    return {"kvk": other["main_kvk"], "name": other["name"], "since": since}


def get_position(backend: Backend, question: PositionQuestion) -> Reply:
    """The level on a day, as known now or as the register knew it at a past moment (an answer
    about a moment more than ten minutes ago never changes: cached for ever)."""
    on, known = asked(question.on, question.as_known_at)
    position = backend.queries.position(question.kvk, on, known)
    immutable = settled(known, backend.register.clock.now())
    return Reply(position_document(question.kvk, position, known), immutable=immutable)


def get_coverage(backend: Backend, question: CoverageQuestion) -> Reply:
    """Was the organisation at least ``min_level`` on every day of the period; the gaps."""
    kvk, start, end = question.kvk, question.start, question.end
    gaps = backend.queries.coverage(kvk, start, end, Level(question.min_level))
    return Reply(coverage_document(kvk, start, end, question.min_level, gaps))


def changes(backend: Backend, question: ChangesQuestion) -> Reply:
    """Public changes (issued, revised, suspended, reinstated, withdrawn, expired, superseded),
    each published on the day it takes effect; a full page links to the next."""
    items, cursor = backend.queries.changes(question.after, question.limit)
    full = len(items) == question.limit
    return Reply(
        {"items": items, "next_cursor": cursor}, next_page={"after": str(cursor)} if full else None
    )


NEVER = "Nothing in the register by that number (the detail says what)."
BY_NUMBER = "/api/v1/certificates/{number}"
BY_KVK = "/api/v1/organisations/{kvk}"
#: the hot lookups first: the router tries routes in order
OPERATIONS = [
    Operation(BY_NUMBER, get_certificate, CertificateQuestion, CertificatePublic, quick=True,
              not_found=NEVER, missing=examples.NO_CERTIFICATE, example=examples.CERTIFICATE),
    Operation(f"{BY_KVK}/position", get_position, PositionQuestion, PositionPublic, quick=True,
              example=examples.POSITION),
    Operation(BY_KVK, get_organisation, OrganisationQuestion, OrganisationPublic, not_found=NEVER,
              missing=examples.NO_ORGANISATION, gzip=True, example=examples.ORGANISATION),
    Operation(f"{BY_KVK}/coverage", get_coverage, CoverageQuestion, CoveragePublic,
              example=examples.COVERAGE),
    Operation("/api/v1/register", search_register, SearchQuestion, RegisterPage, gzip=True,
              paged=True, example=examples.REGISTER_PAGE),
    Operation("/api/v1/register.csv", export_csv, RegisterFilter, media_type="text/csv",
              gzip=True, example=examples.CSV),
    Operation("/api/v1/register.jsonl", export_jsonl, RegisterFilter,
              media_type="application/x-ndjson", gzip=True, example=examples.JSONL),
    Operation("/api/v1/changes", changes, ChangesQuestion, ChangePage, gzip=True, paged=True,
              cached=False, example=examples.CHANGE_PAGE),
]  # fmt: skip
