"""The public questions: the path and query parameters each public answer takes, and nothing else
(an unknown parameter is refused by name). Documented in the OpenAPI page from these models."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import BeforeValidator, Field

from api.examples import KVK, NUMBER
from api.lean import Question
from api.schemas import CERTIFICATE_PATTERN, KVK_PATTERN, Day, LevelName, StatusName


def _iso_moment(value: object) -> object:
    """A moment only as ISO-8601 text (or a datetime): ``0`` is not 1 January 1970."""
    if isinstance(value, str):
        try:
            return dt.datetime.fromisoformat(value)
        except ValueError:
            msg = f"not a valid ISO-8601 moment: {value[:40]!r}"
            raise ValueError(msg) from None
    return value


#: a moment asked about: ISO-8601 text only (naive counts as UTC)
Moment = Annotated[dt.datetime, BeforeValidator(_iso_moment)]
KvkPath = Annotated[
    str,
    Field(pattern=KVK_PATTERN, description="Any covered KvK number (8 digits).", examples=[KVK]),
]
OnDay = Annotated[
    Day | None,
    Field(
        description="The business date the statuses are for (default: today, Amsterdam).",
        examples=["2026-06-15"],
    ),
]


class NoQuestion(Question):
    """An answer that takes no parameters."""


class RegisterFilter(Question):
    """Which organisations of the register: by name or KvK, place, level held and status."""

    q: str | None = Field(
        None,
        max_length=100,
        description="Words of the name (accents, case and legal form do not matter), a KvK "
        "number (any covered) or a certificate number.",
        examples=["groenwerk"],
    )
    place: str | None = Field(
        None, max_length=100, description="The place, exactly.", examples=["Utrecht"]
    )
    level: LevelName | None = Field(
        None, description="The level held that day.", examples=["trede_2"]
    )
    status: StatusName | None = Field(
        None, description="The status that day of the certificate the position rests on."
    )
    on: OnDay = None


class SearchQuestion(RegisterFilter):
    """A page of the register."""

    cursor: str | None = Field(None, pattern=KVK_PATTERN, description="From `next_cursor`.")
    limit: int = Field(50, ge=1, le=200, description="Results per page.")


class CertificateQuestion(Question):
    """One certificate on a day."""

    PATH = frozenset({"number"})
    number: str = Field(pattern=CERTIFICATE_PATTERN, examples=[NUMBER])
    on: OnDay = None


class OrganisationQuestion(Question):
    """An organisation by any covered KvK number on a day."""

    PATH = frozenset({"kvk"})
    kvk: KvkPath
    on: OnDay = None


class PositionQuestion(Question):
    """The level on a day, as known now or at a moment."""

    PATH = frozenset({"kvk"})
    kvk: KvkPath
    on: Day = Field(description="The day asked about.", examples=["2026-06-15"])
    as_known_at: Moment | None = Field(
        None,
        description="What the register said at this moment (ISO-8601; naive is UTC).",
        examples=["2026-03-20T12:00:00+01:00"],
    )


class CoverageQuestion(Question):
    """At least a level on every day of a period."""

    PATH = frozenset({"kvk"})
    kvk: KvkPath
    start: Day = Field(
        alias="from", description="The first day of the period.", examples=["2026-01-01"]
    )
    end: Day = Field(
        alias="to", description="The last day of the period (inclusive).", examples=["2026-12-31"]
    )
    min_level: LevelName = Field(description="The lowest level that counts.", examples=["trede_2"])


class ChangesQuestion(Question):
    """A page of the change feed."""

    after: int = Field(
        0,
        ge=0,
        le=2**62,
        description="Cursor: the `next_cursor` (or an item's `cursor`) last seen.",
    )
    limit: int = Field(100, ge=1, le=200, description="Changes per page.")


class VersionQuestion(Question):
    """One handbook version."""

    PATH = frozenset({"version"})
    version: str = Field(max_length=20, examples=["2.1"], description="A handbook version.")
