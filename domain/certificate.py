"""The certificate (certificaat): a level for a period, and everything that happens to it after."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple
from uuid import UUID

from domain.aggregate import AggregateCreated, PsoAggregate
from domain.bounds import scheduled_day
from domain.clock import business_date
from domain.deadlines import expiry_day
from domain.errors import InvalidInputError, InvalidTransitionError
from domain.values import Cause
from norms.levels import Level


class Status(StrEnum):
    """Public status of a certificate."""

    ACTIVE = "active"
    SUSPENDED = "suspended"
    WITHDRAWN = "withdrawn"
    EXPIRED = "expired"
    SUPERSEDED = "superseded"


FINAL = (Status.WITHDRAWN, Status.EXPIRED, Status.SUPERSEDED)


class Suspension(NamedTuple):
    """One suspension: from a day until the day it was lifted (None while it lasts), and when the
    register learned of each."""

    since: dt.date
    until: dt.date | None
    recorded_at: dt.datetime
    lifted_at: dt.datetime | None


class Ending(PsoAggregate.Event):
    """Base of the events that end a certificate from an effective date."""

    ends_as: ClassVar[Status]
    effective_date: dt.date

    def apply(self, cert: Certificate) -> None:
        """The certificate ended on the effective date; remember how, and when the register
        learned it."""
        cert.status = self.ends_as
        cert.ended_as = self.ends_as
        cert.ended_on = self.effective_date
        cert.ended_recorded_at = self.timestamp


class Certificate(PsoAggregate):
    """A PSO certificate: number, level (incl. aspirant), 30+ flag, covered KvKs and validity."""

    TOPIC = "pso.certificate.Certificate"

    class Issued(PsoAggregate.Event, AggregateCreated):
        """The certificate was issued after a decision."""

        TOPIC = "pso.certificate.Issued.v1"
        number: str
        organisation_id: UUID
        application_id: UUID
        level: str
        pso30plus: bool
        covered_kvks: tuple[str, ...]
        valid_from: dt.date
        valid_until: dt.date
        handbook_version: str
        total_score: str
        assessment: dict[str, Any]

        def apply(self, cert: Certificate) -> None:
            """A running certificate."""
            cert.number = self.number
            cert.organisation_id = self.organisation_id
            cert.application_id = self.application_id
            cert.level = Level(self.level)
            cert.pso30plus = self.pso30plus
            cert.covered_kvks = tuple(self.covered_kvks)
            cert.valid_from = self.valid_from
            cert.valid_until = self.valid_until
            cert.handbook_version = self.handbook_version
            cert.total_score = self.total_score
            cert.status = Status.ACTIVE
            cert.issued_at = self.timestamp
            cert.terms_recorded_at = self.timestamp
            cert.suspensions = ()
            cert.ended_on = None
            cert.ended_as = None
            cert.ended_recorded_at = None
            cert.reminder_issued_on = None
            cert.extensions = 0

    class ReminderIssued(PsoAggregate.Event):
        """The renewal reminder went out (three months before expiry)."""

        TOPIC = "pso.certificate.ReminderIssued.v1"
        reminder_date: dt.date

        def apply(self, cert: Certificate) -> None:
            """Remember the reminder."""
            cert.reminder_issued_on = self.reminder_date

    class Suspended(PsoAggregate.Event):
        """Staff suspended the certificate from an effective date (may lie in the past)."""

        TOPIC = "pso.certificate.Suspended.v1"
        effective_date: dt.date

        def apply(self, cert: Certificate) -> None:
            """Open a suspension interval (before an ending scheduled for a later day, the
            certificate's status stays the ending's)."""
            if cert.status not in FINAL:
                cert.status = Status.SUSPENDED
            opened = Suspension(self.effective_date, None, self.timestamp, None)
            cert.suspensions = (*cert.suspensions, opened)

    class Reinstated(PsoAggregate.Event):
        """Staff lifted the suspension from an effective date."""

        TOPIC = "pso.certificate.Reinstated.v1"
        effective_date: dt.date

        def apply(self, cert: Certificate) -> None:
            """Close the open suspension interval (the reinstatement day counts again)."""
            closed = cert.suspensions[-1]._replace(
                until=self.effective_date, lifted_at=self.timestamp
            )
            cert.suspensions = (*cert.suspensions[:-1], closed)
            if cert.status is Status.SUSPENDED:
                cert.status = Status.ACTIVE

    class Withdrawn(Ending):
        """Staff withdrew the certificate from an effective date (may lie in the past); final."""

        TOPIC = "pso.certificate.Withdrawn.v1"
        ends_as = Status.WITHDRAWN

    class LevelRevised(PsoAggregate.Event):
        """An objection revised the level, effective from the original start."""

        TOPIC = "pso.certificate.LevelRevised.v1"
        level: str
        pso30plus: bool

        def apply(self, cert: Certificate) -> None:
            """Replace the level for the whole validity."""
            cert.level = Level(self.level)
            cert.pso30plus = self.pso30plus
            cert.terms_recorded_at = self.timestamp

    class Superseded(Ending):
        """An early recertification replaced this certificate from an effective date."""

        TOPIC = "pso.certificate.Superseded.v1"
        ends_as = Status.SUPERSEDED
        successor_id: UUID

    class Expired(Ending):
        """The validity ran out (recorded by the scheduler) on the day after the last valid day."""

        TOPIC = "pso.certificate.Expired.v1"
        ends_as = Status.EXPIRED

    class AspirantExtended(PsoAggregate.Event):
        """A new audited application extended aspirant status."""

        TOPIC = "pso.certificate.AspirantExtended.v1"
        valid_until: dt.date
        application_id: UUID

        def apply(self, cert: Certificate) -> None:
            """Move the end of validity."""
            cert.valid_until = self.valid_until
            cert.terms_recorded_at = self.timestamp
            cert.extensions += 1

    if TYPE_CHECKING:  # state set by the events' apply methods, typed for mypy
        number: str
        organisation_id: UUID
        application_id: UUID
        level: Level
        pso30plus: bool
        covered_kvks: tuple[str, ...]
        valid_from: dt.date
        valid_until: dt.date
        handbook_version: str
        total_score: str
        status: Status
        #: when the register learned of the issue, and of the latest change of level or validity
        issued_at: dt.datetime
        terms_recorded_at: dt.datetime
        suspensions: tuple[Suspension, ...]
        ended_on: dt.date | None
        #: how it ended (withdrawn, superseded, expired), None while no ending is recorded
        ended_as: Status | None
        ended_recorded_at: dt.datetime | None
        reminder_issued_on: dt.date | None
        extensions: int

    @classmethod
    def issue(
        cls, certificate_id: UUID, now: dt.datetime, cause: Cause, **fields: Any
    ) -> Certificate:
        """Issue a certificate (fields as in `Issued`)."""
        if fields["valid_until"] < fields["valid_from"]:
            raise InvalidInputError("valid_until lies before valid_from")
        return cls._create(cls.Issued, id=certificate_id, timestamp=now, cause=cause, **fields)

    def extendable_for(self, kvk: str) -> bool:
        """True when a new application of ``kvk`` may extend this certificate: an aspirant
        status that covers the number."""
        return self.level is Level.ASPIRANT and kvk in self.covered_kvks

    def in_force_on(self, day: dt.date) -> bool:
        """True when no ending (recorded, possibly scheduled) has taken effect by that day and
        the day lies within the validity."""
        ended = self.ended_on is not None and day >= self.ended_on
        return not ended and self.valid_from <= day <= self.valid_until

    def _require_running(self, what: str, day: dt.date) -> None:
        """Refuse a change from a day on which the certificate has ended (an ending scheduled
        for a later day does not stand in the way of a change before it)."""
        if self.ended_on is not None and day >= self.ended_on:
            msg = f"cannot {what}: certificate {self.number} is {self.status} from {self.ended_on}"
            raise InvalidTransitionError(msg)

    def _require_within(self, day: dt.date, what: str) -> None:
        scheduled_day(day, "effective_on")
        if not self.valid_from <= day <= self.valid_until:
            msg = (
                f"{what} {day} lies outside the validity of {self.number} "
                f"({self.valid_from} to {self.valid_until})"
            )
            raise InvalidInputError(msg)

    def issue_reminder(
        self, reminder_date: dt.date, due: dt.date, now: dt.datetime, cause: Cause
    ) -> bool:
        """Send the renewal reminder once it is due, once; otherwise do nothing (False)."""
        if self.reminder_issued_on is not None or self.status in FINAL or reminder_date < due:
            return False
        self._trigger(self.ReminderIssued, now, cause, reminder_date=reminder_date)
        return True

    def suspend(self, effective_date: dt.date, now: dt.datetime, cause: Cause) -> None:
        """Suspend from a day (staff, with a reason)."""
        self._require_running("suspend", effective_date)
        if self.suspensions and self.suspensions[-1].until is None:
            since = self.suspensions[-1].since
            msg = f"certificate {self.number} is already suspended from {since}"
            raise InvalidTransitionError(msg)
        self._require_within(effective_date, "suspension date")
        self._trigger(self.Suspended, now, cause, effective_date=effective_date)

    def reinstate(self, effective_date: dt.date, now: dt.datetime, cause: Cause) -> None:
        """Lift the suspension from a day (staff, with a reason)."""
        if not self.suspensions or self.suspensions[-1].until is not None:
            msg = f"cannot reinstate: certificate {self.number} is {self.status}, not suspended"
            raise InvalidTransitionError(msg)
        start = self.suspensions[-1].since
        scheduled_day(effective_date, "effective_on")
        if effective_date < start:
            msg = f"reinstatement date {effective_date} lies before the suspension of {start}"
            raise InvalidInputError(msg)
        self._trigger(self.Reinstated, now, cause, effective_date=effective_date)

    def withdraw(self, effective_date: dt.date, now: dt.datetime, cause: Cause) -> None:
        """Withdraw from a day, possibly in the past; withdrawn is final."""
        if self.status is Status.WITHDRAWN:
            msg = (
                f"certificate {self.number} was already withdrawn on {self.ended_on}; that is final"
            )
            raise InvalidTransitionError(msg)
        self._require_running("withdraw", effective_date)
        self._require_within(effective_date, "withdrawal date")
        self._trigger(self.Withdrawn, now, cause, effective_date=effective_date)

    def revise_level(
        self,
        level: Level,
        pso30plus: bool,  # noqa: FBT001 (a verdict, named at every call site)
        now: dt.datetime,
        cause: Cause,
    ) -> None:
        """Revise the level after an objection, effective from the original start."""
        if self.status is Status.WITHDRAWN:
            msg = f"cannot revise: certificate {self.number} was withdrawn"
            raise InvalidTransitionError(msg)
        if (level, pso30plus) == (self.level, self.pso30plus):
            msg = f"certificate {self.number} already has level {level}"
            raise InvalidTransitionError(msg)
        self._trigger(self.LevelRevised, now, cause, level=level.value, pso30plus=pso30plus)

    def supersede(
        self, successor_id: UUID, effective_date: dt.date, now: dt.datetime, cause: Cause
    ) -> None:
        """Replace by an early recertification from a day."""
        self._require_running("supersede", effective_date)
        self._trigger(
            self.Superseded, now, cause, effective_date=effective_date, successor_id=successor_id
        )

    def expire(self, today: dt.date, now: dt.datetime, cause: Cause) -> bool:
        """Record expiry once the validity has passed; otherwise (or again) do nothing (False)."""
        ended = expiry_day(self.valid_until)
        if self.status in FINAL or today < ended:
            return False
        self._trigger(self.Expired, now, cause, effective_date=ended)
        return True

    def extend_aspirant(
        self,
        valid_until: dt.date,
        application_id: UUID,
        max_extensions: int,
        now: dt.datetime,
        cause: Cause,
    ) -> None:
        """Extend aspirant status within the version's limit."""
        self._require_running("extend", business_date(now))
        if self.level is not Level.ASPIRANT:
            msg = f"certificate {self.number} is {self.level}; only aspirant status is extended"
            raise InvalidTransitionError(msg)
        if self.extensions >= max_extensions:
            msg = (
                f"aspirant status of {self.number} was extended {self.extensions} time(s); "
                f"the handbook allows {max_extensions}"
            )
            raise InvalidTransitionError(msg)
        if valid_until <= self.valid_until:
            raise InvalidInputError("valid_until: an extension must end later than now")
        self._trigger(
            self.AspirantExtended,
            now,
            cause,
            valid_until=valid_until,
            application_id=application_id,
        )
