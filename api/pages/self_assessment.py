"""The self-assessment (``/meetlat``), which the scheme invites every organisation to do without
obligation: the figures of a declaration typed into a form, or its JSON form (the one the staff
API takes) uploaded, assessed under the handbook version in force today (or one chosen) and
explained line by line.

The assessment is the one ``pso score`` prints: ``declaration_from_document``, ``assess`` and
``assessment_document`` of ``norms``, under a version of the register's scheme catalogue. Nothing
is stored and nothing is logged: the form is a POST so the figures stay out of addresses and
logs, and the answer echoes only what was entered (``no-store``). Persons and purchases are rows
of the form; "Meer regels" sends it back with more empty rows (no JavaScript needed).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse

from api.dependencies import BackendDep
from api.pages import assessment_view
from api.pages.declaration_errors import field_errors, in_the_file, on_the_form
from api.pages.forms import NOT_A_CHOICE, NOT_VALID, FieldError, FormError, uploaded
from api.pages.labels import CONTRACTS, CRITERIA, N_, PLAN_PARTS, STARTING_POSITIONS
from api.pages.language import chosen, long_date, translations
from api.pages.rendering import page_router, render
from api.questions import NoQuestion
from api.routes import norms as norms_routes
from api.wiring import Backend
from norms.assessment import assess
from norms.assessment_document import assessment_document
from norms.declaration import PERSON_KEYS, PURCHASE_KEYS, declaration_from_document
from norms.errors import DeclarationError, NormsError, NotEligibleError

router = page_router()
#: empty rows a form starts with, and how many "Meer regels" adds
PERSON_ROWS, PURCHASE_ROWS, MORE_ROWS = 5, 3, 5
#: the most rows a form may have (a large employer uploads the JSON form instead)
MAX_ROWS = 500
MAX_JSON_BYTES = 1024 * 1024
#: euros may be written as Dutch write them: 1.000.000 or 50.000,00
EUROS = frozenset({"supplier_turnover", "amount"})
THOUSANDS = re.compile(r"[0-9]{1,3}(\.[0-9]{3})+(,[0-9]*)?")
NOT_JSON = N_("Het bestand is geen opgave in JSON: %(why)s")
TOO_SMALL = N_(
    "Met deze ‘%(label)s’ is de organisatie kleiner dan de kleinste grootte die de PSO "
    "beoordeelt (grootte %(min)s: het aantal FTE afgerond)."
)
SW_COMPANY = N_(
    "Een SW-bedrijf wordt met een eigen berekening beoordeeld, die het register nog niet kent."
)
NOT_KEPT = {"Cache-Control": "no-store"}


@router.get("/meetlat", name="self_assessment_page")
def self_assessment_page(request: Request, backend: BackendDep) -> HTMLResponse:
    """The self-assessment's empty form, under the handbook version in force today."""
    fields = {"peiljaar": str(backend.queries.today().year - 1)}
    return _page(request, backend, fields, PERSON_ROWS, PURCHASE_ROWS, [], None)


@router.post("/meetlat", name="self_assessment")
async def self_assessment(request: Request, backend: BackendDep) -> HTMLResponse:
    """The provisional assessment of the figures sent (typed or uploaded), or the form again
    with more rows, or with every bad figure named."""
    form = await request.form(max_files=1, max_fields=12 * MAX_ROWS)
    fields = {k: v for k, v in form.multi_items() if isinstance(v, str)}
    upload = await uploaded(form, "declaration", MAX_JSON_BYTES)
    persons = _rows(fields, "person_rows", PERSON_ROWS)
    purchases = _rows(fields, "purchase_rows", PURCHASE_ROWS)
    action = fields.get("action", "assess")
    if action == "more_persons":
        persons = min(persons + MORE_ROWS, MAX_ROWS)
    if action == "more_purchases":
        purchases = min(purchases + MORE_ROWS, MAX_ROWS)
    if action != "assess":
        return _page(request, backend, fields, persons, purchases, [], None)
    assessment = None
    errors: list[FieldError] = []
    try:
        version = _version(backend, fields.get("version", ""))
        if upload is not None:
            document = declaration_json(upload)
            assessment = assessed(backend, document, version, in_the_file)
            fields = {"version": fields.get("version", ""), **form_fields(document)}
            persons = max(len(document.get("persons", [])), 1)
            purchases = max(len(document.get("purchases", [])), 1)
        else:
            document, rows = declaration_of(fields, persons, purchases)
            assessment = assessed(backend, document, version, on_the_form(rows))
    except FormError as exc:
        errors = exc.errors
    return _page(request, backend, fields, persons, purchases, errors, assessment)


def _rows(fields: dict[str, str], name: str, default: int) -> int:
    value = fields.get(name, "")
    return min(int(value), MAX_ROWS) if value.isdigit() and 0 < len(value) <= 4 else default


def _version(backend: Backend, name: str) -> str:
    """The handbook version asked (a name of the catalogue), or the one in force today."""
    catalogue = backend.register.catalogue
    if not name:
        return catalogue.version_in_force(backend.queries.today()).version
    if name not in {v.version for v in catalogue.versions}:
        raise FormError([FieldError("version", NOT_A_CHOICE)])
    return name


def declaration_json(data: bytes) -> dict[str, Any]:
    """The uploaded declaration as a JSON object (numbers read as exact decimals)."""
    if len(data) > MAX_JSON_BYTES:
        raise FormError([FieldError("declaration", NOT_JSON, {"why": "> 1 MB"})])
    try:
        document = json.loads(data.decode("utf-8-sig"), parse_float=Decimal)
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        why = str(exc)[:80]
        raise FormError([FieldError("declaration", NOT_JSON, {"why": why})]) from None
    if not isinstance(document, dict):
        raise FormError([FieldError("declaration", NOT_JSON, {"why": "{...}"})])
    return document


def assessed(backend: Backend, document: dict[str, Any], version: str, place: Any) -> Any:
    """The assessment document ``pso score`` prints for this declaration under this version."""
    handbook = backend.register.catalogue.version(version)
    try:
        return assessment_document(assess(declaration_from_document(document), handbook))
    except DeclarationError as exc:
        raise FormError(field_errors(exc.problems, place)) from None
    except NotEligibleError as exc:
        if str(exc).startswith("SW"):
            raise FormError([FieldError("declaration", SW_COMPANY)]) from None
        field, label = place("total_fte")
        params = {"min": handbook.size.min_eligible.value}
        raise FormError([FieldError(field, TOO_SMALL, params, label=label)]) from None
    except NormsError:
        raise FormError([FieldError("declaration", NOT_VALID)]) from None


def number(value: str, key: str = "") -> str:
    """A figure as typed ("12,5", "1.000.000" for euros) in the declaration's notation."""
    written = value.strip().replace(" ", "")
    if key in EUROS and THOUSANDS.fullmatch(written):
        written = written.replace(".", "")
    return written.replace(",", ".")


def declaration_of(
    fields: dict[str, str], persons: int, purchases: int
) -> tuple[dict[str, Any], dict[str, list[int]]]:
    """The declaration the form's fields make, and the row of each person and purchase in it
    (rows left empty are no part of it; a field left empty is missing, so the reader names it)."""
    document: dict[str, Any] = {}
    year = fields.get("peiljaar", "").strip()
    if year:
        document["peiljaar"] = int(year) if year.isdigit() and len(year) <= 6 else year
    if fields.get("total_fte", "").strip():
        document["total_fte"] = number(fields["total_fte"])
    rows: dict[str, list[int]] = {"persons": [], "purchases": []}
    document["persons"] = []
    for row in range(persons):
        given = {k: fields.get(f"persons-{row}-{k}", "").strip() for k in PERSON_KEYS}
        if not any(given.values()):
            continue
        given["ref"] = given["ref"] or f"P{row + 1}"
        given["fte"] = number(given["fte"])
        document["persons"].append({k: v for k, v in given.items() if v})
        rows["persons"].append(row)
    document["purchases"] = []
    for row in range(purchases):
        given = {k: number(fields.get(f"purchases-{row}-{k}", ""), k) for k in PURCHASE_KEYS}
        if not any(given.values()):
            continue
        document["purchases"].append({k: v for k, v in given.items() if v})
        rows["purchases"].append(row)
    document["qualitative"] = {c: fields.get(f"qualitative-{c}") == "yes" for c in CRITERIA}
    parts = [p for p in PLAN_PARTS if fields.get(f"plan-{p}") == "yes"]
    approved = fields.get("plan-approved") == "yes"
    if parts or approved:
        document["plan_of_approach"] = {"parts": parts, "approved_by_board": approved}
    return document, rows


def form_fields(document: dict[str, Any]) -> dict[str, str]:
    """The form's fields showing an uploaded declaration (so it can be changed and sent again)."""
    fields = {k: str(document.get(k, "")) for k in ("peiljaar", "total_fte")}
    for kind, keys in (("persons", PERSON_KEYS), ("purchases", PURCHASE_KEYS)):
        items = document.get(kind, [])
        for row, item in enumerate(items if isinstance(items, list) else []):
            if isinstance(item, dict):
                fields |= {f"{kind}-{row}-{k}": str(item.get(k, "")) for k in keys}
    qualitative = document.get("qualitative", {})
    if isinstance(qualitative, dict):
        fields |= {f"qualitative-{c}": "yes" for c in CRITERIA if qualitative.get(c) is True}
    plan = document.get("plan_of_approach", {})
    if isinstance(plan, dict):
        parts = plan.get("parts", [])
        fields |= {f"plan-{p}": "yes" for p in PLAN_PARTS if isinstance(parts, list) and p in parts}
        if plan.get("approved_by_board") is True:
            fields["plan-approved"] = "yes"
    return fields


def _page(
    request: Request,
    backend: Backend,
    fields: dict[str, str],
    persons: int,
    purchases: int,
    errors: list[FieldError],
    assessment: dict[str, Any] | None,
) -> HTMLResponse:
    """The form (with the assessment above it once made)."""
    versions = [
        {**v, "effective_from": dt.date.fromisoformat(v["effective_from"])}
        for v in norms_routes.list_versions(backend, NoQuestion()).value
    ]
    language = chosen(request).language
    words = translations(language)
    since = N_("%(version)s (geldt vanaf %(day)s)")
    today = backend.queries.today()
    in_force = backend.register.catalogue.version_in_force(today).version
    context = {
        "fields": {"version": in_force, **fields},
        "person_rows": persons,
        "purchase_rows": purchases,
        "errors": errors,
        "version_options": [
            (
                v["version"],
                words.gettext(since)
                % {"version": v["version"], "day": long_date(v["effective_from"], language)},
            )
            for v in versions
        ],
        "position_options": [(c, words.gettext(t)) for c, t in STARTING_POSITIONS.items()],
        "contract_options": [(c, words.gettext(t)) for c, t in CONTRACTS.items()],
        "criteria": CRITERIA,
        "plan_parts": PLAN_PARTS,
        "explained": None
        if assessment is None
        else assessment_view.explained(assessment, words, language),
    }
    response = render(request, "self_assessment.html", context, 422 if errors else 200)
    response.headers.update(NOT_KEPT)
    return response
