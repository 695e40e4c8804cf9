"""The list check (``/controle``): a procurement officer pastes or uploads the KvK numbers of the
suppliers in a tender, with the contract period and the level the tender asks, and gets an answer
per line, on the page and as a CSV file for Dutch Excel.

Each line is asked with the coverage answer of the API (``public.get_coverage``, the question of
``GET /api/v1/organisations/{kvk}/coverage``), not with ``POST /api/v1/verify``: verify asks "at
least level L on day D", one day, and a supplier suspended for a month inside the contract period
is at the level on its first and on its last day. A tender needs every day of the period, which is
what coverage answers, with the gaps and why. The list is bounded as verify is (1000 numbers); the
organisation's name is the organisation answer's (``public.get_organisation``), so a KvK number
that was never certified has none. Nothing is stored and the answers are not cached (``no-store``):
the form is a POST because an uploaded file is, not because anything changes.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from gettext import NullTranslations
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from api.dependencies import BackendDep
from api.pages.forms import NOT_VALID, FieldError, FormError, ask, uploaded
from api.pages.kvk_lists import MAX_ENTRIES, MAX_FILE_BYTES, NOTHING, Entry, entries_of
from api.pages.labels import LEVELS, N_, STANDINGS
from api.pages.language import chosen, long_date, translations
from api.pages.rendering import page_router, render
from api.questions import CoverageQuestion, OrganisationQuestion
from api.routes import public
from api.wiring import Backend
from domain.errors import NotFoundError

router = page_router()
PERIOD_FIELDS = ("from", "to", "min_level")
#: the level a tender asks in most cases
USUAL_LEVEL = "trede_2"
#: what a browser or proxy may keep of an answer: nothing (it is about the suppliers asked)
NOT_KEPT = {"Cache-Control": "no-store"}

NOT_A_KVK = N_("‘%(text)s’ is geen geldig KvK-nummer: een KvK-nummer bestaat uit 8 cijfers.")
SEVEN_DIGITS = N_(
    "‘%(text)s’ heeft 7 cijfers; een KvK-nummer heeft er 8. Excel laat soms de 0 aan het begin weg."
)
EMPTY = N_("Geen KvK-nummer ingevuld.")
GAP = N_("%(from)s tot en met %(to)s: %(what)s")
GAP_WITH_CERTIFICATE = N_(
    "%(from)s tot en met %(to)s: %(what)s (certificaat %(number)s, %(level)s)"
)
YES, NO = N_("ja"), N_("nee")
CSV_HEADERS = (
    N_("Regel"), N_("KvK-nummer"), N_("Organisatie"), N_("Gedekt"), N_("Ten minste"), N_("Van"),
    N_("Tot en met"), N_("Dagen zonder de trede"), N_("Fout"),
)  # fmt: skip


@dataclass(frozen=True)
class LineAnswer:
    """The answer for one line: covered or not with the gaps of the coverage answer, or why the
    line could not be asked (a message id and its parameters); the organisation's public name."""

    line: int
    asked: str
    kvk: str | None = None
    name: str | None = None
    covered: bool | None = None
    gaps: list[dict[str, Any]] = field(default_factory=list)
    error: tuple[str, dict[str, str]] | None = None


@router.get("/controle", name="list_check_page")
def list_check_page(request: Request) -> HTMLResponse:
    """The list check's form: KvK numbers pasted or in a CSV file, the period, the level."""
    return _page(request, {"min_level": USUAL_LEVEL}, "", [], None)


@router.post("/controle", name="list_check")
async def list_check(request: Request, backend: BackendDep) -> HTMLResponse:
    """The answer for every line of the list, on the page."""
    form = await request.form(max_files=1, max_fields=20)
    period = _period(form)
    pasted = str(form.get("kvks") or "")
    upload = await uploaded(form, "file", MAX_FILE_BYTES)
    errors: list[FieldError] = []
    answers = None
    try:
        entries = entries_of(pasted, upload)
        answers = await run_in_threadpool(check, backend, entries, period)
    except FormError as exc:
        errors = exc.errors
    return _page(request, period, pasted, errors, answers)


@router.post("/controle.csv", name="list_check_csv")
async def list_check_csv(request: Request, backend: BackendDep) -> Response:
    """The same answers as a CSV file for Dutch Excel: ``;`` separated, UTF-8 with a BOM,
    headers in the page's language, named after today."""
    form = await request.form(max_files=0, max_fields=MAX_ENTRIES + len(PERIOD_FIELDS) + 1)
    await form.close()
    period = _period(form)
    entries = []
    for value in form.getlist("entry")[:MAX_ENTRIES]:
        line, _, text = str(value).partition(" ")
        if not line.isdigit() or len(line) > 7:
            raise FormError([FieldError("kvks", NOT_VALID)])
        entries.append(Entry(int(line), text))
    if not entries:
        raise FormError([FieldError("kvks", NOTHING)])
    answers = await run_in_threadpool(check, backend, entries, period)
    language = chosen(request).language
    body = "\ufeff" + table_csv(answers, period, translations(language), language)
    name = f"pso-controle-{backend.queries.today().isoformat()}.csv"
    headers = {**NOT_KEPT, "Content-Disposition": f'attachment; filename="{name}"'}
    return Response(body.encode(), media_type="text/csv; charset=utf-8", headers=headers)


def _period(form: FormData) -> dict[str, str]:
    """The period and level as sent, without the fields left empty (so they are missing)."""
    sent = {name: str(form.get(name) or "").strip() for name in PERIOD_FIELDS}
    return {name: value for name, value in sent.items() if value}


def check(backend: Backend, entries: list[Entry], period: dict[str, str]) -> list[LineAnswer]:
    """Each line asked with the coverage question of the API; a refusal of the period or the
    level is the form's (the same for every line), a refusal of the KvK number the line's."""
    answers = []
    #: a number asked twice is answered once (a list often names a supplier on several lines)
    known: dict[str, tuple[str | None, dict[str, Any]]] = {}
    for entry in entries:
        kvk = entry.text
        if kvk in known:
            name, coverage = known[kvk]
            answers.append(
                LineAnswer(entry.line, kvk, kvk, name, coverage["covered"], coverage["gaps"])
            )
            continue
        try:
            coverage = ask(backend, public.get_coverage, CoverageQuestion, {"kvk": kvk, **period})
        except FormError as exc:
            of_the_form = [e for e in exc.errors if e.field != "kvk"]
            if of_the_form:
                raise FormError(of_the_form) from None
            answers.append(LineAnswer(entry.line, entry.text, error=_kvk_refusal(entry.text)))
            continue
        name = _name(backend, kvk)
        known[kvk] = (name, coverage)
        answers.append(
            LineAnswer(entry.line, kvk, kvk, name, coverage["covered"], coverage["gaps"])
        )
    return answers


def _name(backend: Backend, kvk: str) -> str | None:
    """The organisation's public name, None when it was never certified."""
    try:
        found: dict[str, Any] = ask(
            backend, public.get_organisation, OrganisationQuestion, {"kvk": kvk}
        )
    except NotFoundError:
        return None
    return str(found["name"])


def _kvk_refusal(text: str) -> tuple[str, dict[str, str]]:
    """Why a line is no KvK number, as message id and parameters."""
    shown = text if len(text) <= 40 else text[:39] + "…"
    if not text:
        return EMPTY, {}
    if text.isdigit() and len(text) == 7:
        return SEVEN_DIGITS, {"text": shown}
    return NOT_A_KVK, {"text": shown}


def said(answer: LineAnswer, words: NullTranslations, language: str) -> dict[str, Any]:
    """A line as a person reads it, on the page and in the file alike: the gaps as sentences
    and the error in the page's language."""
    gettext = words.gettext
    gaps = []
    for gap in answer.gaps:
        held = LEVELS[gap["level"]] if gap["level"] else STANDINGS[gap["status"]]
        params = {"from": long_date(gap["from"], language), "to": long_date(gap["to"], language),
                  "what": gettext(held)}  # fmt: skip
        certificate = gap["certificate"]
        if certificate:
            params |= {"number": certificate["number"],
                       "level": gettext(LEVELS[certificate["level"]])}  # fmt: skip
        gaps.append(gettext(GAP_WITH_CERTIFICATE if certificate else GAP) % params)
    error = None
    if answer.error is not None:
        message, params = answer.error
        error = gettext(message) % params
    covered = None if answer.covered is None else gettext(YES if answer.covered else NO)
    return {"line": answer.line, "asked": answer.asked, "kvk": answer.kvk, "name": answer.name,
            "covered": answer.covered, "covered_text": covered, "gaps": gaps,
            "error": error}  # fmt: skip


#: how the gaps of one line are joined in one cell of the file
GAP_SEPARATOR = "; "


def table_csv(
    answers: list[LineAnswer], period: dict[str, str], words: NullTranslations, language: str
) -> str:
    """The answers as CSV text (``;`` separated, one row a line; the gaps of a line in one cell)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([words.gettext(h) for h in CSV_HEADERS])
    asked = period.get("min_level", "")
    level = words.gettext(LEVELS.get(asked, asked))
    for answer in answers:
        row = said(answer, words, language)
        writer.writerow([
            row["line"], row["kvk"] or row["asked"], row["name"] or "", row["covered_text"] or "",
            level, period.get("from", ""), period.get("to", ""), GAP_SEPARATOR.join(row["gaps"]),
            row["error"] or "",
        ])  # fmt: skip
    return out.getvalue()


def _page(
    request: Request,
    period: dict[str, str],
    pasted: str,
    errors: list[FieldError],
    answers: list[LineAnswer] | None,
) -> HTMLResponse:
    """The form, with the answers below it once asked."""
    language = chosen(request).language
    words = translations(language)
    rows = None if answers is None else [said(a, words, language) for a in answers]
    counts = None
    if rows is not None:
        counts = {
            "all": len(rows),
            "covered": sum(1 for r in rows if r["covered"]),
            "not_covered": sum(1 for r in rows if r["covered"] is False),
            "refused": sum(1 for r in rows if r["error"]),
        }
    context = {
        "fields": period,
        "pasted": pasted,
        "errors": errors,
        "rows": rows,
        "answers": answers or [],
        "counts": counts,
        "max_entries": MAX_ENTRIES,
        "max_kb": MAX_FILE_BYTES // 1024,
    }
    response = render(request, "list_check.html", context, 422 if errors else 200)
    response.headers.update(NOT_KEPT)
    return response
