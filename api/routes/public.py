"""Public reads: the register, certificates, organisations, positions, coverage, verification,
the change feed. No authentication; nothing person-level and no contribution data.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request, Response
from fastapi.responses import StreamingResponse

from api.dependencies import BackendDep
from api.documents import (
    ORGANISATION_FIELDS,
    certificate_on_day,
    coverage_document,
    organisation_document,
    pick,
    position_document,
    public_certificate,
)
from api.http import cached_json, dumps, settled
from api.schemas import (
    CERTIFICATE_PATTERN,
    KVK_PATTERN,
    CertificatePublic,
    ChangePage,
    CoveragePublic,
    Day,
    LevelName,
    OrganisationPublic,
    PositionPublic,
    RegisterPage,
    StatusName,
    VerifyRequest,
    VerifyResponse,
)
from domain.bounds import asked
from domain.errors import NotFoundError
from norms.levels import Level

router = APIRouter(prefix="/api/v1", tags=["public"])
KvkPath = Annotated[
    str, Path(pattern=KVK_PATTERN, description="Any covered KvK number (8 digits).")
]
OnQuery = Annotated[
    Day | None,
    Query(description="The business date the statuses are for (default: today, Amsterdam)."),
]


@router.get("/register", response_model=None, responses={200: {"model": RegisterPage}})
def search_register(
    request: Request,
    backend: BackendDep,
    q: Annotated[
        str | None, Query(max_length=100, description="Name fragment or KvK number.")
    ] = None,
    place: Annotated[str | None, Query(max_length=100)] = None,
    level: LevelName | None = None,
    status: StatusName | None = None,
    cursor: Annotated[
        str | None, Query(pattern=KVK_PATTERN, description="From `next_cursor`.")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    on: OnQuery = None,
) -> Response:
    """Search the register by name, KvK number (any covered), place, and the level held and the
    status on a day (default today): organisations that hold or held a certificate by then."""
    items, next_cursor = backend.queries.search(
        q, place, Level(level) if level else None, status, cursor, limit, on
    )
    page = [pick(item, ORGANISATION_FIELDS) for item in items]
    return cached_json(request, {"items": page, "next_cursor": next_cursor})


def _whole_register(backend: Any) -> Iterator[dict[str, Any]]:
    """Every organisation on today, page by page; today is fixed once, so an export that runs
    across midnight is of one day."""
    cursor, today = None, backend.queries.today()
    while True:
        items, cursor = backend.queries.search(cursor=cursor, limit=200, on=today)
        yield from (pick(item, ORGANISATION_FIELDS) for item in items)
        if cursor is None:
            return


@router.get("/register.jsonl", response_class=StreamingResponse)
def export_jsonl(backend: BackendDep) -> StreamingResponse:
    """The whole current register as JSON lines (open data), streamed."""
    lines = (dumps(item) + b"\n" for item in _whole_register(backend))
    return StreamingResponse(lines, media_type="application/x-ndjson")


@router.get("/register.csv", response_class=StreamingResponse)
def export_csv(backend: BackendDep) -> StreamingResponse:
    """The whole current register as CSV (open data), streamed."""

    def rows() -> Iterator[str]:
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(ORGANISATION_FIELDS)
        for item in _whole_register(backend):
            item["covered_kvks"] = " ".join(item["covered_kvks"])
            writer.writerow(["" if item[f] is None else item[f] for f in ORGANISATION_FIELDS])
            yield out.getvalue()
            out.seek(0)
            out.truncate()
        yield out.getvalue()

    return StreamingResponse(rows(), media_type="text/csv")


@router.get(
    "/certificates/{number}", response_model=None, responses={200: {"model": CertificatePublic}}
)
def get_certificate(
    request: Request,
    backend: BackendDep,
    number: Annotated[str, Path(pattern=CERTIFICATE_PATTERN, examples=["PSO-2025-000001"])],
    on: OnQuery = None,
) -> Response:
    """One certificate with its status on a day (default today) and its history; changes that
    take effect after that day are marked scheduled."""
    row = backend.queries.certificate(number, on)
    if row is None:
        raise NotFoundError(f"certificate {number} is not in the register")
    return cached_json(request, public_certificate(row))


@router.get(
    "/organisations/{kvk}", response_model=None, responses={200: {"model": OrganisationPublic}}
)
def get_organisation(
    request: Request, backend: BackendDep, kvk: KvkPath, on: OnQuery = None
) -> Response:
    """An organisation by any covered KvK number: its position on a day (default today) and all
    its certificates with their status that day."""
    row = backend.queries.organisation(kvk, on)
    if row is None:
        raise NotFoundError(f"KvK number {kvk} was never certified: it is not in the register")
    return cached_json(
        request, organisation_document(kvk, row, backend.queries.position(kvk, row["on"]))
    )


@router.get(
    "/organisations/{kvk}/position", response_model=None, responses={200: {"model": PositionPublic}}
)
def get_position(
    request: Request,
    backend: BackendDep,
    kvk: KvkPath,
    on: Annotated[Day, Query(description="The day asked about.")],
    as_known_at: Annotated[
        dt.datetime | None, Query(description="What the register said at this moment (ISO-8601).")
    ] = None,
) -> Response:
    """The level on a day, as known now or as the register knew it at a past moment."""
    on, known = asked(on, as_known_at)
    position = backend.queries.position(kvk, on, known)
    immutable = settled(known, backend.register.clock.now())
    return cached_json(request, position_document(kvk, position, known), immutable=immutable)


@router.get(
    "/organisations/{kvk}/coverage", response_model=None, responses={200: {"model": CoveragePublic}}
)
def get_coverage(
    request: Request,
    backend: BackendDep,
    kvk: KvkPath,
    start: Annotated[Day, Query(alias="from")],
    end: Annotated[Day, Query(alias="to")],
    min_level: LevelName,
) -> Response:
    """Was the organisation at least ``min_level`` on every day of the period; the gaps."""
    gaps = backend.queries.coverage(kvk, start, end, Level(min_level))
    body = coverage_document(kvk, start, end, min_level, gaps)
    return cached_json(request, body)


@router.post("/verify", response_model=None, responses={200: {"model": VerifyResponse}})
def verify(body: VerifyRequest, backend: BackendDep) -> Response:
    """Up to 1000 questions "was KvK at least level L on day D?"; answers keep the input index."""
    results = []
    for index, item in enumerate(body.items):
        position = backend.queries.position(item.kvk, item.on)
        level = position.level
        ok = position.in_force and level is not None and level.at_least(Level(item.min_level))
        results.append({
            "index": index, "kvk": item.kvk, "on": item.on, "min_level": item.min_level,
            "ok": ok, "status": position.standing.value,
            "level": level.value if level else None,
            "certificate": certificate_on_day(position.certificate),
        })  # fmt: skip
    return Response(dumps({"results": results}), media_type="application/json")


@router.get("/changes", response_model=None, responses={200: {"model": ChangePage}})
def changes(
    request: Request,
    backend: BackendDep,
    after: Annotated[
        int,
        Query(
            ge=0,
            le=2**62,
            description="Cursor: the `next_cursor` (or an item's `cursor`) last seen.",
        ),
    ] = 0,
    limit: Annotated[int, Query(ge=1, le=200)] = 100,
) -> Response:
    """Public changes (issued, revised, suspended, reinstated, withdrawn, expired, superseded)."""
    items, cursor = backend.queries.changes(after, limit)
    return cached_json(request, {"items": items, "next_cursor": cursor})
