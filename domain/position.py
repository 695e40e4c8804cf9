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


STATUS_OF = {
    Standing.CERTIFIED: Status.ACTIVE,
    Standing.SUSPENDED: Status.SUSPENDED,
    Standing.WITHDRAWN: Status.WITHDRAWN,
    Standing.SUPERSEDED: Status.SUPERSEDED,
    Standing.EXPIRED: Status.EXPIRED,
}


@dataclass(frozen=True)
class CertificateOnDay:
    """The certificate a position rests on, with its own level and its status on that day."""

    number: str
    level: Level
    pso30plus: bool
    valid_from: dt.date
    valid_until: dt.date
    status: Status


@dataclass(frozen=True)
class Position:
    """The answer to "what was the level of this organisation on day D?".

    ``since`` is the effective date of the change that decided the answer (the start of the
    validity, a suspension, a reinstatement, an ending) and ``recorded_at`` when the register
    learned of it; ``certificate`` is the certificate the answer rests on, if any.
    """

    on: dt.date
    standing: Standing
    certificate: CertificateOnDay | None = None
    since: dt.date | None = None
    recorded_at: dt.datetime | None = None

    @property
    def in_force(self) -> bool:
        """True when a certificate gave the organisation its level on that day."""
        return self.standing is Standing.CERTIFIED

    @property
    def level(self) -> Level | None:
        """The level held that day: None unless certified."""
        return self.certificate.level if self.in_force and self.certificate else None

    @property
    def pso30plus(self) -> bool:
        """True when a PSO 30+ certificate was held that day."""
        return self.in_force and self.certificate is not None and self.certificate.pso30plus


@dataclass(frozen=True)
class Stretch:
    """A run of days on which one certificate gave one standing: [start, end), end None = open;
    ``recorded_at`` is when the register learned of the change that began it."""

    number: str
    standing: Standing
    level: Level
    pso30plus: bool
    valid_from: dt.date
    valid_until: dt.date
    start: dt.date
    end: dt.date | None
    recorded_at: dt.datetime

    def contains(self, day: dt.date) -> bool:
        """True when the day lies in the stretch."""
        return self.start <= day and (self.end is None or day < self.end)


ENDINGS = {Status.WITHDRAWN: Standing.WITHDRAWN, Status.SUPERSEDED: Standing.SUPERSEDED}
IN_FORCE = (Standing.CERTIFIED, Standing.SUSPENDED)


def stretches(cert: Certificate) -> list[Stretch]:
    """The whole time line of a certificate as the register knows it: in force, suspended, ended."""
    ended_on = max(cert.ended_on or cert.valid_until + dt.timedelta(days=1), cert.valid_from)
    terms = cert.terms_recorded_at  # the level and validity every stretch carries

    def stretch(
        standing: Standing, start: dt.date, end: dt.date | None, at: dt.datetime
    ) -> Stretch:
        return Stretch(
            number=cert.number,
            standing=standing,
            level=cert.level,
            pso30plus=cert.pso30plus,
            valid_from=cert.valid_from,
            valid_until=cert.valid_until,
            start=start,
            end=end,
            recorded_at=at,
        )

    result: list[Stretch] = []
    cursor, began_at = cert.valid_from, terms
    # by start day, in recorded order within a day: a suspension lifted and imposed again on
    # one day holds (day, day) before (day, None), which a plain sort would compare
    for suspension in sorted(cert.suspensions, key=lambda s: s.since):
        begin = max(suspension.since, cursor)
        stop = min(suspension.until or ended_on, ended_on)
        if begin >= stop:
            continue
        if cursor < begin:
            result.append(stretch(Standing.CERTIFIED, cursor, begin, began_at))
        result.append(stretch(Standing.SUSPENDED, begin, stop, suspension.recorded_at))
        cursor = stop
        began_at = max(suspension.lifted_at or terms, terms)
    if cursor < ended_on:
        result.append(stretch(Standing.CERTIFIED, cursor, ended_on, began_at))
    ended_at = cert.ended_recorded_at if cert.ended_on is not None else None
    final = ENDINGS.get(cert.ended_as, Standing.EXPIRED) if cert.ended_as else Standing.EXPIRED
    result.append(stretch(final, ended_on, None, ended_at or terms))
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
        best = max(candidates, key=lambda s: (s.start, s.number))
    else:
        return Position(day, Standing.NOT_YET_CERTIFIED)
    certificate = CertificateOnDay(
        number=best.number,
        level=best.level,
        pso30plus=best.pso30plus,
        valid_from=best.valid_from,
        valid_until=best.valid_until,
        status=STATUS_OF[best.standing],
    )
    return Position(day, best.standing, certificate, best.start, best.recorded_at)


def status_on(own: Sequence[Stretch], day: dt.date) -> Status | None:
    """A certificate's status on a day from its own stretches; None before it is valid."""
    for candidate in own:
        if candidate.contains(day):
            return STATUS_OF[candidate.standing]
    return None


def position_on(certificates: Sequence[Certificate], day: dt.date) -> Position:
    """The position on a day given the certificates as the register knows them (replay)."""
    known = [s for cert in certificates for s in stretches(cert)]
    return choose(day, known, any_certificate=bool(certificates))


@dataclass(frozen=True)
class Gap:
    """Days on which the organisation was not at the required level, and why: its standing, the
    level it held (None unless certified) and the certificate that answer rests on."""

    start: dt.date
    end: dt.date
    standing: Standing
    level: Level | None
    certificate: CertificateOnDay | None = None


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
        same = last is not None and (last.standing, last.level, last.certificate) == (
            pos.standing,
            pos.level,
            pos.certificate,
        )
        if last is not None and same and last.end == day - dt.timedelta(days=1):
            gaps[-1] = Gap(last.start, day, last.standing, last.level, last.certificate)
        else:
            gaps.append(Gap(day, day, pos.standing, pos.level, pos.certificate))
    return gaps


def _days(start: dt.date, end: dt.date) -> Iterable[dt.date]:
    day = start
    while day <= end:
        yield day
        day += dt.timedelta(days=1)
