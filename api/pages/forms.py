"""A form on a page asks a public question: its fields are the question's parameters by their API
names (so ``/?q=korf`` asks what ``/api/v1/register?q=korf`` asks), an empty field is a parameter
not given, and every refusal, the question's own validation or the register's, becomes a message
in the language of the page that names the field by its label."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable, Mapping
from gettext import NullTranslations
from typing import Any, TypeVar

from pydantic import ValidationError
from starlette.datastructures import FormData, QueryParams, UploadFile

from api.answers import Reply
from api.lean import Question
from api.pages.labels import N_
from api.pages.language import long_date
from api.wiring import Backend
from domain.bounds import FIRST_DAY, LAST_DAY, MAX_PERIOD_DAYS
from domain.errors import InvalidInputError, NotFoundError

Asked = TypeVar("Asked", bound=Question)

#: the label of each parameter on a form, by its API name
LABELS: dict[str, str] = {
    "q": N_("Naam, KvK-nummer of certificaatnummer"),
    "place": N_("Plaats"),
    "level": N_("Trede"),
    "status": N_("Status"),
    "on": N_("Datum"),
    "from": N_("Van"),
    "to": N_("Tot en met"),
    "min_level": N_("Ten minste"),
    "cursor": N_("Pagina"),
    "number": N_("Certificaatnummer"),
    "kvk": N_("KvK-nummer"),
    "kvks": N_("KvK-nummers"),
    "file": N_("CSV-bestand"),
}
MISSING = N_("Vul ‘%(label)s’ in.")
NOT_A_DAY = N_(
    "‘%(label)s’ is geen bestaande datum. Vul een dag, maand en jaar in, bijvoorbeeld 1 juli 2026."
)
OUT_OF_RANGE = N_("‘%(label)s’ moet liggen tussen %(first)s en %(last)s.")
BEFORE = N_("‘%(label)s’ ligt vóór ‘%(other)s’.")
TOO_LONG_PERIOD = N_("Een periode is ten hoogste %(years)s jaar lang.")
NOT_A_CHOICE = N_("Kies bij ‘%(label)s’ een van de mogelijkheden.")
TOO_LONG = N_("‘%(label)s’ is ten hoogste %(max)s tekens lang.")
NOT_PRINTABLE = N_("‘%(label)s’ bevat een teken dat niet is toegestaan.")
NOT_VALID = N_("‘%(label)s’ is niet geldig.")
#: the register's refusals of a question, by the start of their (English) reason
REFUSALS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r".* lies outside "), OUT_OF_RANGE),
    (re.compile(r".* lies before from"), BEFORE),
    (re.compile(r"a period covers at most"), TOO_LONG_PERIOD),
    (re.compile(r"contains U\+"), NOT_PRINTABLE),
    (re.compile(r"must be at most"), TOO_LONG),
]
DATE_FIELDS = frozenset({"on", "from", "to"})


@dataclasses.dataclass(frozen=True)
class FieldError:
    """What is wrong with one field: a message id with its parameters (dates are shown in the
    notation of the page)."""

    field: str
    message: str
    params: Mapping[str, Any] = dataclasses.field(default_factory=dict)
    #: the label of a field that ``LABELS`` does not name (a row of a form: "Persoon 2: FTE"),
    #: as message ids joined by ": " once translated, with the parameters of the first
    label: tuple[tuple[str, ...], Mapping[str, Any]] | None = None

    def text(self, translations: NullTranslations, language: str) -> str:
        """The message in a language, naming the field by its label."""
        gettext = translations.gettext
        values: dict[str, Any] = {"label": self.label_text(translations)}
        for name, value in self.params.items():
            if isinstance(value, dt.date):
                values[name] = long_date(value, language)
            elif name == "other":
                values[name] = gettext(LABELS.get(value, value))
            else:
                values[name] = value
        return gettext(self.message) % values

    def label_text(self, translations: NullTranslations) -> str:
        """The field's label in a language."""
        gettext = translations.gettext
        if self.label is None:
            return gettext(LABELS.get(self.field, self.field))
        (first, *rest), params = self.label
        return ": ".join([gettext(first) % params, *map(gettext, rest)])


class FormError(Exception):
    """A question asked through a form that the register refuses; each field's error."""

    def __init__(self, errors: list[FieldError], *, in_path: bool = False) -> None:
        super().__init__("; ".join(f"{e.field}: {e.message}" for e in errors))
        self.errors = errors
        #: the refusal is of the page's own address (``/c/nonsense``): not found, not a form error
        self.in_path = in_path


class Missing(Exception):  # noqa: N818 (a page's answer, like NotFoundError but shown as a page)
    """Nothing to show at this address: the 404 page with a message id and its parameters."""

    def __init__(self, message: str, **params: str) -> None:
        super().__init__(message % params)
        self.message = message
        self.params = params


def filled(query: QueryParams, names: tuple[str, ...]) -> dict[str, str]:
    """The named fields of a form as sent, without the ones left empty."""
    return {name: value for name in names if (value := query.get(name, "")).strip()}


async def uploaded(form: FormData, name: str, limit: int) -> bytes | None:
    """The bytes of the file sent in a form's field (at most one more than ``limit``, so a
    larger file is known to be too large), None when none was chosen; the form's files are
    closed then (its other fields stay readable)."""
    try:
        upload = form.get(name)
        if not isinstance(upload, UploadFile) or not upload.filename:
            return None
        return await upload.read(limit + 1)
    finally:
        await form.close()


def ask(
    backend: Backend,
    answer: Callable[[Backend, Asked], Reply],
    question: type[Asked],
    fields: Mapping[str, str],
) -> Any:
    """The answer to a question asked with these fields (path parameters included): the
    document the API would send for it; ``FormError`` when it cannot be asked so."""
    try:
        asked = question.model_validate(dict(fields))
    except ValidationError as exc:
        errors = [_invalid(error) for error in exc.errors()]
        raise FormError(errors, in_path=any(e.field in question.PATH for e in errors)) from None
    try:
        return answer(backend, asked).value
    except InvalidInputError as exc:
        raise FormError([refused(exc)]) from None


def ask_about(
    backend: Backend,
    answer: Callable[[Backend, Asked], Reply],
    question: type[Asked],
    fields: Mapping[str, str],
    *,
    unknown: str,
    malformed: str,
) -> Any:
    """The answer about what the page's address names (a number in its path), or ``Missing``
    with the message ``unknown`` (not in the register) or ``malformed`` (not a number of that
    kind); both get the fields as parameters."""
    try:
        return ask(backend, answer, question, fields)
    except NotFoundError:
        raise Missing(unknown, **fields) from None
    except FormError as exc:
        if not exc.in_path:
            raise
        raise Missing(malformed, **fields) from None


def _invalid(error: Any) -> FieldError:
    """A field error of the question's own validation."""
    name = str(error["loc"][0]) if error["loc"] else ""
    kind = error["type"]
    if kind == "missing":
        return FieldError(name, MISSING)
    if name in DATE_FIELDS and kind == "value_error":
        return FieldError(name, NOT_A_DAY)
    if kind == "literal_error":
        return FieldError(name, NOT_A_CHOICE)
    if kind == "string_too_long":
        return FieldError(name, TOO_LONG, {"max": error["ctx"]["max_length"]})
    return FieldError(name, NOT_VALID)


def refused(exc: InvalidInputError) -> FieldError:
    """A field error of the register's refusal ``field: why``."""
    name, _, why = str(exc).partition(": ")
    for pattern, message in REFUSALS:
        if pattern.match(why):
            known: dict[str, dict[str, Any]] = {
                OUT_OF_RANGE: {"first": FIRST_DAY, "last": LAST_DAY},
                BEFORE: {"other": "from"},
                TOO_LONG_PERIOD: {"years": MAX_PERIOD_DAYS // 366},
                TOO_LONG: {"max": _number_in(why)},
            }
            params = known.get(message, {})
            return FieldError(name, message, params)
    return FieldError(name, NOT_VALID)


def _number_in(text: str) -> str:
    found = re.search(r"[0-9]+", text)
    return found.group() if found else ""
