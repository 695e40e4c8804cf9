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


@dataclass(frozen=True)
class Stretch:
    """A run of days on which one certificate gave one standing: [start, end), end None = open."""

    number: str
    standing: Standing
    level: Level
    pso30plus: bool
    valid_from: dt.date
    valid_until: dt.date
    start: dt.date
    end: dt.date | None
    ended_on: dt.date | None = None
    ended_recorded_at: dt.datetime | None = None

    def contains(self, day: dt.date) -> bool:
        """True when the day lies in the stretch."""
        return self.start <= day and (self.end is None or day < self.end)


ENDINGS = {Status.WITHDRAWN: Standing.WITHDRAWN, Status.SUPERSEDED: Standing.SUPERSEDED}
IN_FORCE = (Standing.CERTIFIED, Standing.SUSPENDED)


def stretches(cert: Certificate) -> list[Stretch]:
    """The whole time line of a certificate as the register knows it: in force, suspended, ended."""
    ended_on = max(cert.ended_on or cert.valid_until + dt.timedelta(days=1), cert.valid_from)

    def stretch(standing: Standing, start: dt.date, end: dt.date | None) -> Stretch:
        final = end is None
        recorded = cert.ended_recorded_at if final and cert.ended_on is not None else None
        return Stretch(
            number=cert.number,
            standing=standing,
            level=cert.level,
            pso30plus=cert.pso30plus,
            valid_from=cert.valid_from,
            valid_until=cert.valid_until,
            start=start,
            end=end,
            ended_on=ended_on if final else None,
            ended_recorded_at=recorded,
        )

    result: list[Stretch] = []
    cursor = cert.valid_from
    # by start day, in recorded order within a day: a suspension lifted and imposed again on
    # one day holds (day, day) before (day, None), which a plain sort would compare
    for suspended_from, suspended_until in sorted(cert.suspensions, key=lambda s: s[0]):
        begin = max(suspended_from, cursor)
        stop = min(suspended_until or ended_on, ended_on)
        if begin >= stop:
            continue
        if cursor < begin:
            result.append(stretch(Standing.CERTIFIED, cursor, begin))
        result.append(stretch(Standing.SUSPENDED, begin, stop))
        cursor = stop
    if cursor < ended_on:
        result.append(stretch(Standing.CERTIFIED, cursor, ended_on))
    result.append(stretch(ENDINGS.get(cert.status, Standing.EXPIRED), ended_on, None))
    return result


def choose(day: dt.date, known: Sequence[Stretch], *, any_certificate: bool) -> Position:
    """The position on a day from the stretches the register knows (replay or read model)."""
    if not any_certificate:
        return Position(day, Standing.NEVER_CERTIFIED)
    candidates = [s for s in known if s.contains(day)]
    current = [s for s in candidates if s.standing in IN_FORCE]
    if current:
        best = max(
            current, key=lambda s: (s.standing is Standing.CERTIFIED, s.valid_from, s.number)
        )
    elif candidates:
        best = max(candidates, key=lambda s: (s.ended_on or s.start, s.number))
    else:
        return Position(day, Standing.NOT_YET_CERTIFIED)
    return Position(
        on=day,
        standing=best.standing,
        level=best.level,
        pso30plus=best.pso30plus,
        certificate_number=best.number,
        valid_from=best.valid_from,
        valid_until=best.valid_until,
        ended_on=best.ended_on,
        ended_recorded_at=best.ended_recorded_at,
    )


def position_on(certificates: Sequence[Certificate], day: dt.date) -> Position:
    """The position on a day given the certificates as the register knows them (replay)."""
    known = [s for cert in certificates for s in stretches(cert)]
    return choose(day, known, any_certificate=bool(certificates))


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
    """Gaps from the certificates as the register knows them now (replay)."""
    known = [s for cert in certificates for s in stretches(cert)]
    return gaps_in(known, start, end, min_level, any_certificate=bool(certificates))


def gaps_in(
    known: Sequence[Stretch],
    start: dt.date,
    end: dt.date,
    min_level: Level,
    *,
    any_certificate: bool,
) -> list[Gap]:
    """Every run of days from start to end (inclusive) not covered at min_level or above."""
    gaps: list[Gap] = []
    for day in _days(start, end):
        pos = choose(day, known, any_certificate=any_certificate)
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
