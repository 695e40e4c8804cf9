"""The language of a page: Dutch unless asked otherwise (``?lang=``, the cookie it sets, or
``Accept-Language``), its translations (gettext catalogs in ``api/i18n``, read with Babel) and its
notation of dates and times (Babel's CLDR data; times in Europe/Amsterdam)."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from functools import cache
from gettext import NullTranslations
from pathlib import Path

from babel.dates import format_date, format_datetime
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations
from starlette.requests import Request

from domain.clock import NETHERLANDS

#: the languages of the pages; the first is the default and the language of the message ids
LANGUAGES = ("nl", "en")
DEFAULT = LANGUAGES[0]
#: the query parameter of the language switch, and the cookie that keeps the choice
PARAMETER = "lang"
COOKIE = "pso_lang"
COOKIE_SECONDS = 365 * 24 * 3600
CATALOGS = Path(__file__).parent.parent / "i18n"
DOMAIN = "messages"
#: the name of each language in itself (the switch shows it so)
NAMES = {"nl": "Nederlands", "en": "English"}
#: the CLDR locale whose notation each language uses ("1 juli 2026", "1 July 2026")
LOCALES = {"nl": "nl_NL", "en": "en_GB"}
#: a recorded moment, in Amsterdam time ("19 juli 2025 om 11:00")
MOMENT_FORMATS = {"nl": "d MMMM y 'om' HH:mm", "en": "d MMMM y 'at' HH:mm"}


@dataclass(frozen=True)
class Choice:
    """The language of one request, and whether it was asked for explicitly (``?lang=``, so the
    answer keeps it in the cookie)."""

    language: str
    explicit: bool = False


def chosen(request: Request) -> Choice:
    """``?lang=``, else the cookie, else the first language of ``Accept-Language`` the pages
    have, else Dutch."""
    asked = request.query_params.get(PARAMETER)
    if asked in LANGUAGES:
        return Choice(asked, explicit=True)
    kept = request.cookies.get(COOKIE)
    if kept in LANGUAGES:
        return Choice(kept)
    return Choice(preferred(request.headers.get("accept-language", "")))


def preferred(accept_language: str) -> str:
    """The language of the pages a client prefers by its ``Accept-Language`` (RFC 9110 weights;
    ``en-GB`` counts as ``en``), Dutch when it names none of them."""
    best, best_weight = DEFAULT, 0.0
    for place, part in enumerate(accept_language.split(",")[:20]):
        tag, _, params = part.strip().partition(";")
        weight = 1.0
        name, _, value = params.strip().partition("=")
        if name.strip() == "q":
            try:
                weight = float(value)
            except ValueError:
                continue
        primary = tag.strip().lower().split("-")[0]
        # an earlier tag wins a tie: weights fall with the place in the list
        weight -= place * 1e-6
        if primary in LANGUAGES and weight > best_weight:
            best, best_weight = primary, weight
    return best


@cache
def translations(language: str) -> NullTranslations:
    """The translations into a language (none for Dutch: the message ids are Dutch), read from
    ``api/i18n/<language>/LC_MESSAGES/messages.po``; fuzzy entries are left out."""
    if language == DEFAULT:
        return NullTranslations()
    path = CATALOGS / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    with path.open("rb") as po:
        catalog = read_po(po, locale=language, domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)


def long_date(day: dt.date | None, language: str) -> str:
    """A day in the notation of the language: "1 juli 2026"."""
    return "" if day is None else format_date(day, "long", locale=LOCALES[language])


def moment(instant: dt.datetime | None, language: str) -> str:
    """A recorded moment in Amsterdam time: "19 juli 2025 om 11:00" (naive counts as UTC)."""
    if instant is None:
        return ""
    aware = instant if instant.tzinfo else instant.replace(tzinfo=dt.UTC)
    return format_datetime(
        aware, MOMENT_FORMATS[language], tzinfo=NETHERLANDS, locale=LOCALES[language]
    )
