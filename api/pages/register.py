"""The public register as pages: the search (``/``), an organisation (``/o/{kvk}``) and a
certificate (``/c/{number}``) with its QR code and the two questions a buyer asks of it, the
position on a date and the coverage of a period. Each page asks the answer functions of the
public API (``api.routes.public``) and shows what they answer."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.dependencies import BackendDep
from api.pages.forms import FieldError, FormError, ask, ask_about, filled
from api.pages.labels import N_
from api.pages.language import chosen, translations
from api.pages.qr import qr_svg
from api.pages.rendering import page_router, render
from api.questions import (
    CertificateQuestion,
    CoverageQuestion,
    OrganisationQuestion,
    PositionQuestion,
    SearchQuestion,
)
from api.routes import public
from api.wiring import Backend
from domain.clock import business_date
from domain.values import CERTIFICATE_NUMBER

router = page_router()
SEARCH_FIELDS = ("q", "place", "level", "status", "on", "cursor")
COVERAGE_FIELDS = ("from", "to", "min_level")
PAGE_SIZE = "20"
#: the level a tender asks for in most cases ("in most cases trede 2 suffices")
USUAL_LEVEL = "trede_2"


@router.get("/", name="search_page")
def search_page(request: Request, backend: BackendDep) -> HTMLResponse:
    """The register: search by name, KvK number, certificate number, place, level and status
    (the search of ``GET /api/v1/register``, a page at a time)."""
    fields = filled(request.query_params, SEARCH_FIELDS)
    found: dict[str, Any] | None = None
    errors: list[FieldError] = []
    try:
        found = ask(backend, public.search_register, SearchQuestion, {**fields, "limit": PAGE_SIZE})
    except FormError as exc:
        errors = exc.errors
    following = None
    if found and found["next_cursor"]:
        following = "?" + urlencode({**fields, "cursor": found["next_cursor"]})
    first = "?" + urlencode({k: v for k, v in fields.items() if k != "cursor"})
    context = {
        "fields": fields,
        "found": found,
        "errors": errors,
        "following": following,
        "first": first if "cursor" in fields else None,
        "today": backend.queries.today(),
    }
    return render(request, "search.html", context, 422 if errors else 200)


@router.get("/o/{kvk}", name="organisation_page")
def organisation_page(kvk: str, request: Request, backend: BackendDep) -> HTMLResponse:
    """An organisation (by any KvK number it covers): its position today in one sentence, its
    certificates and their public history, scheduled changes marked."""
    organisation = _organisation(backend, kvk)
    context = {"organisation": organisation, "history": history(organisation["certificates"])}
    return render(request, "organisation.html", context)


@router.get("/c/{number}", name="certificate_page")
def certificate_page(number: str, request: Request, backend: BackendDep) -> Response:
    """A certificate at its short address: status today, validity, what it covers, its history,
    a QR code of this address, and the answers to the date and the coverage form."""
    if number != number.upper() and CERTIFICATE_NUMBER.fullmatch(number.upper()):
        canonical = request.url_for("certificate_page", number=number.upper())
        query = f"?{request.url.query}" if request.url.query else ""
        return RedirectResponse(f"{canonical.path}{query}", status_code=308)
    certificate: dict[str, Any] = ask_about(
        backend, public.get_certificate, CertificateQuestion, {"number": number},
        unknown=UNKNOWN_CERTIFICATE, malformed=NOT_A_CERTIFICATE_NUMBER,
    )  # fmt: skip
    kvk = certificate["covered_kvks"][0]
    organisation = _organisation(backend, kvk)
    asked = request.query_params
    errors: list[FieldError] = []
    position = coverage = None
    if "on" in asked:
        fields = {"kvk": kvk, **filled(asked, ("on",))}
        try:
            position = ask(backend, public.get_position, PositionQuestion, fields)
        except FormError as exc:
            errors += exc.errors
    if any(name in asked for name in COVERAGE_FIELDS):
        fields = {"kvk": kvk, **filled(asked, COVERAGE_FIELDS)}
        try:
            coverage = ask(backend, public.get_coverage, CoverageQuestion, fields)
        except FormError as exc:
            errors += exc.errors
    address = str(request.url_for("certificate_page", number=certificate["number"]))
    words = translations(chosen(request).language)
    label = words.gettext(N_("QR-code met het adres van deze pagina: %(address)s"))
    context = {
        "certificate": certificate,
        "organisation": organisation,
        "history": history([certificate]),
        "position": position,
        "coverage": coverage,
        "errors": errors,
        "asked": asked,
        "today": certificate["on"],
        "usual_level": USUAL_LEVEL,
        "address": address,
        "qr": qr_svg(address, label % {"address": address}),
    }
    return render(request, "certificate.html", context, 422 if errors else 200)


UNKNOWN_CERTIFICATE = N_("Certificaat %(number)s staat niet in het register.")
NOT_A_CERTIFICATE_NUMBER = N_(
    "‘%(number)s’ is geen certificaatnummer. Een certificaatnummer ziet eruit als PSO-2026-000011."
)
UNKNOWN_KVK = N_("KvK-nummer %(kvk)s staat niet in het register: het is nooit gecertificeerd.")
NOT_A_KVK = N_("‘%(kvk)s’ is geen KvK-nummer. Een KvK-nummer bestaat uit 8 cijfers.")


def _organisation(backend: Backend, kvk: str) -> dict[str, Any]:
    """The organisation's answer, or the 404 page saying why there is none."""
    found: dict[str, Any] = ask_about(
        backend, public.get_organisation, OrganisationQuestion, {"kvk": kvk},
        unknown=UNKNOWN_KVK, malformed=NOT_A_KVK,
    )  # fmt: skip
    return found


#: changes that take effect on the day they are decided by their nature (an issue from the
#: decision date, an expiry at the end of the validity): never marked as backdated
DATED_BY_NATURE = frozenset({"issued", "expired"})


def history(certificates: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The public history of certificates as one list, by effective date (then as recorded):
    each change with its certificate, and whether it was recorded after the day it took effect
    (backdated: before it was recorded, the register said otherwise about those days)."""
    rows = []
    for certificate in certificates:
        for change in certificate["history"]:
            effective: dt.date | None = change["effective_date"]
            recorded = business_date(_aware(change["recorded_at"]))
            late = effective is not None and effective < recorded
            rows.append(
                {
                    **change,
                    "number": certificate["number"],
                    "backdated": late and change["change"] not in DATED_BY_NATURE,
                }
            )
    return sorted(rows, key=lambda r: (r["effective_date"] or dt.date.max, r["position"]))


def _aware(instant: dt.datetime) -> dt.datetime:
    return instant if instant.tzinfo else instant.replace(tzinfo=dt.UTC)
