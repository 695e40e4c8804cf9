"""Public response and request shapes (schema names by role), documented in the OpenAPI page."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    JsonValue,
    PlainSerializer,
    WithJsonSchema,
)
from pydantic.config import JsonDict

from domain.values import CERTIFICATE_NUMBER
from norms.declaration import KVK_NUMBER
from norms.reading import ISO_DAY

LevelName = Literal["aspirant", "basistrede", "trede_1", "trede_2", "trede_3"]
StatusName = Literal["active", "suspended", "withdrawn", "expired", "superseded"]
CertificateStatusName = Literal[
    "active", "suspended", "withdrawn", "expired", "superseded", "not_yet_valid"
]
Standing = Literal[
    "certified", "suspended", "expired", "withdrawn", "superseded", "not_yet_certified",
    "never_certified",
]  # fmt: skip
Kvk = str


#: the worked examples of each model, by the model's name: FastAPI renders its OpenAPI document
#: without any null, so the nulls of the examples are put back from here (``restore_examples``)
EXAMPLES: dict[str, list[JsonValue]] = {}


def examples(*documents: dict[str, Any]) -> ConfigDict:
    """A model's configuration with its worked examples (shown in its schema)."""
    shown: list[JsonValue] = [*documents]

    def show(schema: JsonDict, model: type[Any]) -> None:
        schema["examples"] = shown
        EXAMPLES[model.__name__] = shown

    return ConfigDict(json_schema_extra=show)


def restore_examples(document: dict[str, Any]) -> None:
    """Give each schema of an OpenAPI document its model's examples as written, nulls too."""
    for name, schema in document.get("components", {}).get("schemas", {}).items():
        if name in EXAMPLES:
            schema["examples"] = EXAMPLES[name]


def parse_day(value: str) -> dt.date:
    """A day written ``YYYY-MM-DD`` (a query parameter or a request field)."""
    if not ISO_DAY.fullmatch(value):
        msg = f"must be a date written YYYY-MM-DD, got {value[:40]!r}"
        raise ValueError(msg)
    return dt.date.fromisoformat(value)


def _iso_day(value: object) -> object:
    """A day only as ``YYYY-MM-DD`` text (or a date): ``0`` is not 1 January 1970."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str):
        return parse_day(value)
    msg = f"must be a date written YYYY-MM-DD, got {str(value)[:40]!r}"
    raise ValueError(msg)


#: a business date in a request (body or query): ISO text only
Day = Annotated[dt.date, BeforeValidator(_iso_day)]
#: a recorded moment, written as the public answers write it (``api.http.dumps``: ISO-8601 with
#: its offset, ``+00:00``; pydantic alone would write ``Z``)
Moment = Annotated[
    dt.datetime,
    PlainSerializer(dt.datetime.isoformat, return_type=str, when_used="json"),
    WithJsonSchema({"type": "string", "format": "date-time"}),
]
KVK_PATTERN = f"^{KVK_NUMBER.pattern}$"
CERTIFICATE_PATTERN = f"^{CERTIFICATE_NUMBER.pattern}$"


class CertificateChange(BaseModel):
    """One change in a certificate's public history."""

    position: int
    change: str
    level: LevelName
    effective_date: dt.date | None
    recorded_at: dt.datetime
    scheduled: bool = Field(
        description="True when the change takes effect after the day the answer is for."
    )


class CertificateSummary(BaseModel):
    """A certificate as the public register shows it, with its status on a day (a statement
    lists its certificates so, without their history)."""

    number: str = Field(examples=["PSO-2025-000001"])
    on: dt.date = Field(description="The business date the status is for.")
    status: CertificateStatusName
    level: LevelName
    pso30plus: bool
    valid_from: dt.date
    valid_until: dt.date
    ended_on: dt.date | None = Field(description="When it ended or is scheduled to end.")
    handbook_version: str
    covered_kvks: list[Kvk]
    ci: str | None


class CertificatePublic(CertificateSummary):
    """A certificate as the public register shows it, with its status on a day."""

    history: list[CertificateChange] = []


class CertificateOnDayPublic(BaseModel):
    """The certificate an answer rests on: its own level and 30+, validity and status that day."""

    number: str
    level: LevelName
    pso30plus: bool
    valid_from: dt.date
    valid_until: dt.date
    status: StatusName


class PositionPublic(BaseModel):
    """The level of an organisation on a day, and what it rests on."""

    kvk: Kvk
    on: dt.date
    as_known_at: Moment | None
    status: Standing
    level: LevelName | None = Field(description="The level held that day; null unless certified.")
    pso30plus: bool = Field(description="True only when a PSO 30+ certificate was held that day.")
    certificate: CertificateOnDayPublic | None
    since: dt.date | None = Field(description="Effective date of the change that decided this.")
    recorded_at: Moment | None = Field(description="When the register recorded that change.")
    explanation: str


class RegisterItem(BaseModel):
    """An organisation in the register with what it holds on a day."""

    main_kvk: Kvk = Field(examples=["12345678"])
    name: str
    place: str
    covered_kvks: list[Kvk]
    on: dt.date
    status: StatusName = Field(description="Status that day of the certificate it rests on.")
    level: LevelName | None = Field(description="The level held that day; null unless certified.")
    pso30plus: bool
    certificate_number: str
    valid_from: dt.date
    valid_until: dt.date
    ci: str | None


class OrganisationLink(BaseModel):
    """Another organisation of the public register this one continues or was continued by
    (a takeover or change of legal form), from a day."""

    kvk: Kvk = Field(examples=["23456789"])
    name: str
    since: dt.date = Field(description="The day the succession took effect.")


class OrganisationPublic(RegisterItem):
    """An organisation with its position on a day and all its certificates; before its first
    certificate the fields of the certificate its position rests on are null."""

    status: StatusName | None = Field(  # type: ignore[assignment]
        description="Status that day of the certificate it rests on; null before the first."
    )
    certificate_number: str | None  # type: ignore[assignment]
    valid_from: dt.date | None  # type: ignore[assignment]
    valid_until: dt.date | None  # type: ignore[assignment]
    position: PositionPublic
    certificates: list[CertificatePublic] = []
    successor: OrganisationLink | None = Field(
        None,
        description="The organisation that continued this one, when it is in the public "
        "register (it held a certificate); else null.",
    )
    predecessor: OrganisationLink | None = Field(
        None,
        description="The organisation this one continues, when it is in the public "
        "register; else null.",
    )


class RegisterPage(BaseModel):
    """One page of register search results."""

    items: list[RegisterItem]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page; null at end.")


class GapPublic(BaseModel):
    """Days without a certificate at the required level."""

    model_config = ConfigDict(populate_by_name=True)

    from_: dt.date = Field(alias="from")
    to: dt.date
    status: Standing
    level: LevelName | None = Field(description="The level held; null unless certified.")
    certificate: CertificateOnDayPublic | None


class CoveragePublic(BaseModel):
    """Whether an organisation was at least a level on every day of a period."""

    model_config = ConfigDict(populate_by_name=True)

    kvk: Kvk
    from_: dt.date = Field(alias="from")
    to: dt.date
    min_level: LevelName
    covered: bool
    gaps: list[GapPublic]


class VerifyItem(BaseModel):
    """One question: was this organisation at least this level on this day? (Any other field is
    refused: that item's result is its error.)"""

    model_config = ConfigDict(extra="forbid")

    kvk: str = Field(pattern=KVK_PATTERN, examples=["12345678"])
    on: Day
    min_level: LevelName = "trede_1"


MAX_VERIFY_ITEMS = 1000


class VerifyRequest(BaseModel):
    """Up to 1000 questions at once; each is validated on its own, so a bad question gets its
    own error in the results and the others their answers."""

    model_config = ConfigDict(extra="forbid")

    items: Annotated[
        list[Any],
        Field(max_length=MAX_VERIFY_ITEMS),
        WithJsonSchema(
            {
                "type": "array",
                "maxItems": MAX_VERIFY_ITEMS,
                "items": {"$ref": "#/components/schemas/VerifyItem"},
            }
        ),
    ]


class VerifyResult(BaseModel):
    """The answer to one question, with the index of the question."""

    index: int
    kvk: Kvk
    on: dt.date
    min_level: LevelName
    ok: bool
    status: Standing
    level: LevelName | None = Field(description="The level held that day; null unless certified.")
    certificate: CertificateOnDayPublic | None


class ProblemPublic(BaseModel):
    """An RFC 9457 problem document."""

    type: str
    title: str
    status: int
    detail: str
    errors: list[dict[str, str]] | None = None


class VerifyRefusal(BaseModel):
    """A question that could not be asked as sent: its index and why (a problem document)."""

    index: int
    error: ProblemPublic


class VerifyResponse(BaseModel):
    """Answers (or refusals) in the order of the questions."""

    results: list[VerifyResult | VerifyRefusal]


class ChangePublic(BaseModel):
    """One public change to a certificate, published on the day it takes effect."""

    cursor: int = Field(description="Stable: pass the last one seen as `after`.")
    position: int
    published_on: dt.date
    change: str
    certificate_number: str
    covered_kvks: list[Kvk]
    level: LevelName
    pso30plus: bool
    status: StatusName
    effective_date: dt.date | None
    recorded_at: dt.datetime


class ChangePage(BaseModel):
    """Changes after a cursor."""

    items: list[ChangePublic]
    next_cursor: int = Field(description="Pass as `after` to continue.")


class HandbookVersionSummary(BaseModel):
    """A handbook version in the list: when it came into force, its levels, how much is assumed."""

    version: str = Field(examples=["2.1"])
    effective_from: dt.date
    effective_from_provisional: bool
    levels: list[LevelName]
    provisional_values: int = Field(description="How many values are assumptions of the project.")


class ProvisionalValue(BaseModel):
    """A value of a handbook version assumed by this project, never shown as official."""

    value: str = Field(description="Its place in the handbook data, e.g. `indirect.cap`.")
    why: str


class HandbookVersionPublic(BaseModel):
    """One handbook version in full, in the shape of `norms/data/handbooks/*.toml`: every rule
    as `{value, source}` (published) or `{value, provisional}` (assumed)."""

    model_config = ConfigDict(extra="allow")

    version: str = Field(examples=["2.1"])
    provisional_values: list[ProvisionalValue]


def problem_response(description: str) -> dict[str, object]:
    """OpenAPI documentation of one problem status."""
    return {
        "description": description,
        "content": {"application/problem+json": {"schema": ProblemPublic.model_json_schema()}},
    }
