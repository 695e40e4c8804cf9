"""The shapes of statements (verklaringen): the two questions a statement answers, the signed
content, the document the register answers and the list of its keys (OpenAPI page)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from api import examples
from api.lean import Question
from api.questions import CoverageQuestion, KvkPath
from api.schemas import (
    CertificateSummary,
    CoveragePublic,
    Day,
    Kvk,
    LevelName,
    PositionPublic,
)
from domain.signatures import ALG, FORMAT


class StatementOnDay(Question):
    """A statement of an organisation's position on a day (any other field is refused)."""

    kvk: KvkPath
    on: Day = Field(description="The day the statement is about.", examples=["2026-06-15"])


#: a statement about a period asks what the coverage question asks, field for field
StatementOverPeriod = CoverageQuestion
StatementQuestion = StatementOnDay | StatementOverPeriod


class StatementAsked(BaseModel):
    """The question as the statement states it: ``{kvk, on}`` or ``{kvk, from, to,
    min_level}``."""

    model_config = ConfigDict(populate_by_name=True)

    kvk: Kvk
    on: dt.date | None = Field(None, description="The day asked about (a position).")
    from_: dt.date | None = Field(None, alias="from", description="First day (coverage).")
    to: dt.date | None = Field(None, description="Last day, inclusive (coverage).")
    min_level: LevelName | None = Field(None, description="The level required (coverage).")


class StatedOrganisation(BaseModel):
    """The organisation as the public register shows it."""

    main_kvk: Kvk
    name: str
    place: str
    covered_kvks: list[Kvk]


class StatementContent(BaseModel):
    """What a statement says, exactly as signed: its RFC 8785 canonical JSON is what the
    signature covers (docs/statements.md)."""

    format: Literal["pso-statement/1"] = Field(description=f"`{FORMAT}`: this shape.")
    id: str = Field(description="The statement's id (also the document's).")
    issued_at: dt.datetime = Field(
        description="When the register made the statement, in UTC (as known at this moment)."
    )
    kind: Literal["position", "coverage"]
    question: StatementAsked
    organisation: StatedOrganisation
    answer: PositionPublic | CoveragePublic = Field(
        description="The public answer, exactly as `GET .../position` (as known at `issued_at`)"
        " or `GET .../coverage` gave it at that moment."
    )
    certificates: list[CertificateSummary] = Field(
        description="The certificates whose validity overlaps the day or period asked, with "
        "their status on the day asked (a position) or on the period's last day (coverage)."
    )


class SignaturePublic(BaseModel):
    """An Ed25519 signature over the canonical JSON of the statement."""

    alg: Literal["Ed25519"] = Field(description=f"`{ALG}`.")
    key_id: str = Field(description="The key of `GET /api/v1/keys` that verifies it.")
    value: str = Field(description="The 64 signature bytes in standard base64.")


class StatementPublic(BaseModel):
    """A signed statement: the same document, byte for byte, every time it is asked for."""

    model_config = ConfigDict(json_schema_extra={"examples": [examples.STATEMENT]})

    id: str
    statement: StatementContent
    signature: SignaturePublic


class KeyPublic(BaseModel):
    """A public key that verifies the statements it signed, from ``valid_from`` on."""

    key_id: str = Field(description="Hex of the first 8 bytes of SHA-256 of the public key.")
    alg: Literal["Ed25519"]
    public_key: str = Field(description="The 32 raw public-key bytes in standard base64.")
    valid_from: dt.datetime = Field(description="When the register began signing with it.")


class KeysPublic(BaseModel):
    """Every key the register signed statements with; a rotated key stays listed."""

    keys: list[KeyPublic]


class StatementId(Question):
    """One statement by its id."""

    PATH = frozenset({"id"})
    id: str = Field(
        pattern=r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$",
        description="The statement's id, as answered by `POST /api/v1/statements`.",
        examples=["0f8fad5b-d9cb-469f-a165-70867728950e"],
    )
