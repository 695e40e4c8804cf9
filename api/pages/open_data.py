"""The open data page (``/open-data``): the register's exports with their date and the SHA-256
checksum of exactly the bytes each serves today, the change feed and how to follow it, the
handbook versions with their dates, and the API's documentation.

The checksums are of the exports' own answer functions (``public.export_csv``,
``public.export_jsonl``), joined as the API streams them (before any gzip of the transfer), so
``sha256sum`` of a download made today gives the same digest. They are computed once per log
position and business date, as the API's answers are cached, and kept while neither moves.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from threading import Lock
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse

from api.answers import Download, Moment
from api.dependencies import BackendDep
from api.pages.rendering import page_router, render
from api.questions import NoQuestion, RegisterFilter
from api.routes import norms as norms_routes
from api.routes import public
from api.wiring import Backend
from domain.clock import business_date

router = page_router()
#: the exports, by the address the API serves them at
EXPORTS = (
    ("/api/v1/register.csv", public.export_csv),
    ("/api/v1/register.jsonl", public.export_jsonl),
)


@dataclass(frozen=True)
class Export:
    """One export as served today: its address, file name, size and SHA-256 of its bytes."""

    path: str
    filename: str
    size: int
    sha256: str


class Checksums:
    """The exports' checksums at one moment (log position, business date), computed when the
    moment moved; one computation at a time."""

    def __init__(self) -> None:
        self.moment: Moment | None = None
        self.exports: list[Export] = []
        self.lock = Lock()

    def at(self, backend: Backend) -> list[Export]:
        """The exports as they are served now."""
        moment = (backend.runner.observed, business_date(backend.register.clock.now()))
        with self.lock:
            if moment != self.moment:
                self.exports = [_export(backend, path, answer) for path, answer in EXPORTS]
                self.moment = moment
            return self.exports


CHECKSUMS = Checksums()


def _export(backend: Backend, path: str, answer: Any) -> Export:
    download: Download = answer(backend, RegisterFilter.model_validate({})).value
    digest = hashlib.sha256()
    size = 0
    for chunk in download.chunks:
        digest.update(chunk)
        size += len(chunk)
    return Export(path, download.filename, size, digest.hexdigest())


@router.get("/open-data", name="open_data_page")
def open_data_page(request: Request, backend: BackendDep) -> HTMLResponse:
    """The exports with their checksums, the change feed, the handbook versions, the API."""
    versions = [
        {**v, "effective_from": dt.date.fromisoformat(v["effective_from"])}
        for v in norms_routes.list_versions(backend, NoQuestion()).value
    ]
    context = {
        "exports": CHECKSUMS.at(backend),
        "today": backend.queries.today(),
        "versions": versions,
        "base": str(request.base_url).rstrip("/"),
    }
    return render(request, "open_data.html", context)
