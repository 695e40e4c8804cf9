"""The organisation (organisatie): main applicant, subsidiaries, certificates, successors."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING
from uuid import UUID

from domain.aggregate import AggregateCreated, PsoAggregate, stable_id
from domain.bounds import MAX_SUBSIDIARIES, NAME_LENGTH, PLACE_LENGTH, scheduled_day, text
from domain.errors import InvalidInputError, InvalidTransitionError
from domain.values import Cause


def organisation_id(main_kvk: str) -> UUID:
    """The id of an organisation, derived from its main applicant's KvK number."""
    return stable_id("organisation", main_kvk)


class Organisation(PsoAggregate):
    """An applying organisation: one main applicant (own KvK number) plus subsidiaries."""

    TOPIC = "pso.organisation.Organisation"

    class Registered(PsoAggregate.Event, AggregateCreated):
        """The organisation was entered in the register."""

        TOPIC = "pso.organisation.Registered.v1"
        main_kvk: str
        name: str
        place: str

        def apply(self, org: Organisation) -> None:
            """Set the identity; no subsidiaries or certificates yet."""
            org.main_kvk = self.main_kvk
            org.name = self.name
            org.place = self.place
            org.subsidiaries = ()
            org.kvks_ever_covered = (self.main_kvk,)
            org.certificate_ids = ()
            org.application_ids = ()
            org.successor_kvk = None
            org.predecessor_kvk = None
            org.aspirant_used = False
            org.cedris_member = False

    class SubsidiariesChanged(PsoAggregate.Event):
        """The subsidiaries covered together with the main applicant changed."""

        TOPIC = "pso.organisation.SubsidiariesChanged.v1"
        subsidiaries: tuple[str, ...]

        def apply(self, org: Organisation) -> None:
            """Replace the covered subsidiaries; remember every number it has covered."""
            org.subsidiaries = tuple(self.subsidiaries)
            new = tuple(kvk for kvk in self.subsidiaries if kvk not in org.kvks_ever_covered)
            org.kvks_ever_covered = (*org.kvks_ever_covered, *new)

    class ApplicationLodged(PsoAggregate.Event):
        """A definitive application was submitted for this organisation."""

        TOPIC = "pso.organisation.ApplicationLodged.v1"
        application_id: UUID

        def apply(self, org: Organisation) -> None:
            """Remember the application."""
            org.application_ids = (*org.application_ids, self.application_id)

    class CertificateAttached(PsoAggregate.Event):
        """A certificate was issued to this organisation."""

        TOPIC = "pso.organisation.CertificateAttached.v1"
        certificate_id: UUID
        aspirant: bool

        def apply(self, org: Organisation) -> None:
            """Remember the certificate; aspirant status counts as used."""
            org.certificate_ids = (*org.certificate_ids, self.certificate_id)
            org.aspirant_used = org.aspirant_used or self.aspirant

    class CedrisMembershipRecorded(PsoAggregate.Event):
        """Whether the organisation is a member of Cedris (discount on PSO 30+ contributions)."""

        TOPIC = "pso.organisation.CedrisMembershipRecorded.v1"
        member: bool

        def apply(self, org: Organisation) -> None:
            """Set the membership."""
            org.cedris_member = self.member

    class SucceededBy(PsoAggregate.Event):
        """A takeover or change of legal form gave the organisation a new KvK number."""

        TOPIC = "pso.organisation.SucceededBy.v1"
        successor_kvk: str
        effective_date: dt.date

        def apply(self, org: Organisation) -> None:
            """Link to the successor."""
            org.successor_kvk = self.successor_kvk

    class PrecededBy(PsoAggregate.Event):
        """This organisation continues one that had another KvK number."""

        TOPIC = "pso.organisation.PrecededBy.v1"
        predecessor_kvk: str
        effective_date: dt.date

        def apply(self, org: Organisation) -> None:
            """Link to the predecessor."""
            org.predecessor_kvk = self.predecessor_kvk

    if TYPE_CHECKING:  # state set by the events' apply methods, typed for mypy
        main_kvk: str
        name: str
        place: str
        subsidiaries: tuple[str, ...]
        kvks_ever_covered: tuple[str, ...]
        certificate_ids: tuple[UUID, ...]
        application_ids: tuple[UUID, ...]
        successor_kvk: str | None
        predecessor_kvk: str | None
        aspirant_used: bool
        cedris_member: bool

    @classmethod
    def register(
        cls, main_kvk: str, name: str, place: str, now: dt.datetime, cause: Cause
    ) -> Organisation:
        """Enter a new organisation in the register."""
        name = text(name, "name", NAME_LENGTH)
        place = text(place, "place", PLACE_LENGTH)
        return cls._create(
            cls.Registered,
            id=organisation_id(main_kvk),
            timestamp=now,
            cause=cause,
            main_kvk=main_kvk,
            name=name,
            place=place,
        )

    @property
    def covered_kvks(self) -> tuple[str, ...]:
        """Every KvK number a certificate of this organisation covers."""
        return (self.main_kvk, *self.subsidiaries)

    def change_subsidiaries(
        self, subsidiaries: tuple[str, ...], now: dt.datetime, cause: Cause
    ) -> None:
        """Set the covered subsidiaries (fixed per application once submitted)."""
        if self.main_kvk in subsidiaries:
            msg = f"subsidiaries: {self.main_kvk} is the main applicant itself"
            raise InvalidInputError(msg)
        if len(set(subsidiaries)) != len(subsidiaries):
            msg = "subsidiaries: a KvK number is listed twice"
            raise InvalidInputError(msg)
        if len(subsidiaries) > MAX_SUBSIDIARIES:
            msg = f"subsidiaries: at most {MAX_SUBSIDIARIES}, got {len(subsidiaries)}"
            raise InvalidInputError(msg)
        self._trigger(
            self.SubsidiariesChanged, now, cause, subsidiaries=tuple(sorted(subsidiaries))
        )

    def lodge_application(self, application_id: UUID, now: dt.datetime, cause: Cause) -> None:
        """Record that a definitive application was submitted."""
        self._trigger(self.ApplicationLodged, now, cause, application_id=application_id)

    def attach_certificate(
        self, certificate_id: UUID, *, aspirant: bool, now: dt.datetime, cause: Cause
    ) -> None:
        """Record that a certificate was issued to this organisation."""
        if aspirant and self.aspirant_used:
            msg = f"{self.name} already had aspirant status; it cannot be obtained a second time"
            raise InvalidTransitionError(msg)
        self._trigger(
            self.CertificateAttached, now, cause, certificate_id=certificate_id, aspirant=aspirant
        )

    def record_cedris_membership(
        self,
        member: bool,  # noqa: FBT001 (the fact recorded)
        now: dt.datetime,
        cause: Cause,
    ) -> None:
        """Record Cedris membership, which discounts PSO 30+ contributions."""
        if member == self.cedris_member:
            state = "a member" if member else "not a member"
            raise InvalidTransitionError(f"{self.name} is already recorded as {state} of Cedris")
        self._trigger(self.CedrisMembershipRecorded, now, cause, member=member)

    def link_successor(
        self, successor_kvk: str, effective_date: dt.date, now: dt.datetime, cause: Cause
    ) -> None:
        """Record the successor after a takeover or change of legal form."""
        if self.successor_kvk is not None:
            msg = f"{self.name} already has successor {self.successor_kvk}"
            raise InvalidTransitionError(msg)
        if successor_kvk == self.main_kvk:
            msg = "successor_kvk: an organisation cannot succeed itself"
            raise InvalidInputError(msg)
        scheduled_day(effective_date, "effective_on")
        self._trigger(
            self.SucceededBy, now, cause, successor_kvk=successor_kvk, effective_date=effective_date
        )

    def link_predecessor(
        self, predecessor_kvk: str, effective_date: dt.date, now: dt.datetime, cause: Cause
    ) -> None:
        """Record the predecessor this organisation continues."""
        self._trigger(
            self.PrecededBy,
            now,
            cause,
            predecessor_kvk=predecessor_kvk,
            effective_date=effective_date,
        )
