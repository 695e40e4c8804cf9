"""Where an organisation stood on the ladder on a day: a fold over its certificates.

This is the slow, always-correct path (replay); projections answer the same questions fast and
are checked against it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from domain.certificate import Certificate, Status
from norms.levels import Level


class Standing(StrEnum):
    """What the register says about an organisation on a day."""

    CERTIFIED = "certified"
    SUSPENDED = "suspended"
    EXPIRED = "expired"
    WITHDRAWN = "withdrawn"
    SUPERSEDED = "superseded"
    NOT_YET_CERTIFIED = "not_yet_certified"
    NEVER_CERTIFIED = "never_certified"


@dataclass(frozen=True)
class Position:
    """The answer to "what was the level of this organisation on day D?"."""

    on: dt.date
    standing: Standing
    level: Level | None = None
    pso30plus: bool = False
    certificate_number: str | None = None
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None
    ended_on: dt.date | None = None
    ended_recorded_at: dt.datetime | None = None

    @property
    def in_force(self) -> bool:
        """True when a certificate gave the organisation its level on that day."""
        return self.standing is Standing.CERTIFIED


def standing_on(cert: Certificate, day: dt.date) -> Standing | None:
    """The certificate's standing on a day, or None before it started."""
    if day < cert.valid_from:
        return None
    if cert.ended_on is not None and day >= cert.ended_on:
        return {
            Status.WITHDRAWN: Standing.WITHDRAWN,
            Status.SUPERSEDED: Standing.SUPERSEDED,
        }.get(cert.status, Standing.EXPIRED)
    if day > cert.valid_until:
        return Standing.EXPIRED
    for start, end in cert.suspensions:
        if start <= day and (end is None or day < end):
            return Standing.SUSPENDED
    return Standing.CERTIFIED


def _ended_on(cert: Certificate) -> dt.date:
    return cert.ended_on or cert.valid_until + dt.timedelta(days=1)


def position_on(certificates: Sequence[Certificate], day: dt.date) -> Position:
    """The position on a day given the certificates as the register knows them."""
    if not certificates:
        return Position(day, Standing.NEVER_CERTIFIED)
    standings = [(cert, standing_on(cert, day)) for cert in certificates]
    current = [(c, s) for c, s in standings if s in (Standing.CERTIFIED, Standing.SUSPENDED)]
    if current:
        cert, standing = max(
            current, key=lambda cs: (cs[1] is Standing.CERTIFIED, cs[0].valid_from)
        )
        return _position(cert, day, standing)
    ended = [(c, s) for c, s in standings if s is not None]
    if ended:
        last, last_standing = max(ended, key=lambda cs: _ended_on(cs[0]))
        return _position(last, day, last_standing)
    return Position(day, Standing.NOT_YET_CERTIFIED)


def _position(cert: Certificate, day: dt.date, standing: Standing | None) -> Position:
    assert standing is not None  # noqa: S101 (callers pass started certificates only)
    ended = standing not in (Standing.CERTIFIED, Standing.SUSPENDED)
    return Position(
        on=day,
        standing=standing,
        level=cert.level,
        pso30plus=cert.pso30plus,
        certificate_number=cert.number,
        valid_from=cert.valid_from,
        valid_until=cert.valid_until,
        ended_on=_ended_on(cert) if ended else None,
        ended_recorded_at=cert.ended_recorded_at if ended else None,
    )


@dataclass(frozen=True)
class Gap:
    """Days on which the organisation was not at the required level, and why."""

    start: dt.date
    end: dt.date
    standing: Standing
    level: Level | None


def coverage_gaps(
    certificates: Sequence[Certificate], start: dt.date, end: dt.date, min_level: Level
) -> list[Gap]:
    """Every run of days from start to end (inclusive) not covered at min_level or above."""
    gaps: list[Gap] = []
    for day in _days(start, end):
        pos = position_on(certificates, day)
        covered = pos.in_force and pos.level is not None and pos.level.at_least(min_level)
        if covered:
            continue
        last = gaps[-1] if gaps else None
        if (
            last
            and last.end == day - dt.timedelta(days=1)
            and (last.standing, last.level)
            == (
                pos.standing,
                pos.level,
            )
        ):
            gaps[-1] = Gap(last.start, day, last.standing, last.level)
        else:
            gaps.append(Gap(day, day, pos.standing, pos.level))
    return gaps


def _days(start: dt.date, end: dt.date) -> Iterable[dt.date]:
    day = start
    while day <= end:
        yield day
        day += dt.timedelta(days=1)
