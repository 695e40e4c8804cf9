"""Commands on organisations: registration, subsidiaries, successors."""

from __future__ import annotations

import datetime as dt
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError

from domain.errors import (
    InvalidTransitionError,
)
from domain.kvk_index import KvkIndex, kvk_index_id
from domain.organisation import Organisation, organisation_id
from domain.service.authorisation import require_staff
from domain.service.base import RegisterBase
from domain.values import Cause, kvk_number


class OrganisationCommands(RegisterBase):
    """Commands on organisations: registration, subsidiaries, successors."""

    def register_organisation(
        self,
        main_kvk: str,
        name: str,
        place: str,
        cause: Cause,
        subsidiaries: tuple[str, ...] = (),
    ) -> UUID:
        """Enter an organisation with its main KvK number and subsidiaries."""
        require_staff(cause, "register organisations")
        kvk_number(main_kvk, "main_kvk")
        for i, kvk in enumerate(subsidiaries):
            kvk_number(kvk, f"subsidiaries[{i}]")
        if organisation_id(main_kvk) in self.repository:
            raise InvalidTransitionError(f"KvK number {main_kvk} is already in the register")
        now = self.clock.now()
        org = Organisation.register(main_kvk, name, place, now, cause)
        if subsidiaries:
            org.change_subsidiaries(subsidiaries, now, cause)
        claims = [self._claim(kvk, org.id, now, cause) for kvk in org.covered_kvks]
        self._save(org, *claims)
        return org.id

    def _claim(self, kvk: str, org_id: UUID, now: dt.datetime, cause: Cause) -> KvkIndex:
        try:
            index: KvkIndex = self.repository.get(kvk_index_id(kvk))
        except AggregateNotFoundError:
            return KvkIndex.claim(kvk, org_id, now, cause)
        if index.organisation_id not in (None, org_id):
            msg = f"KvK number {kvk} is already covered by another organisation in the register"
            raise InvalidTransitionError(msg)
        if index.organisation_id is None:
            index.reclaim(org_id, now, cause)
        return index

    def change_subsidiaries(
        self, main_kvk: str, subsidiaries: tuple[str, ...], cause: Cause
    ) -> None:
        """Replace the subsidiaries an organisation's certificates will cover."""
        require_staff(cause, "change subsidiaries")
        for i, kvk in enumerate(subsidiaries):
            kvk_number(kvk, f"subsidiaries[{i}]")
        org = self.organisation_by_kvk(main_kvk)
        now = self.clock.now()
        before = set(org.subsidiaries)
        org.change_subsidiaries(subsidiaries, now, cause)
        claims = [self._claim(kvk, org.id, now, cause) for kvk in set(subsidiaries) - before]
        released = []
        for kvk in before - set(subsidiaries):
            index: KvkIndex = self.repository.get(kvk_index_id(kvk))
            index.release(now, cause)
            released.append(index)
        self._save(org, *claims, *released)

    def record_cedris_membership(self, kvk: str, cause: Cause, *, member: bool) -> None:
        """Record whether the organisation is a Cedris member (discount on PSO 30+)."""
        require_staff(cause, "record Cedris membership")
        org = self.organisation_by_kvk(kvk)
        org.record_cedris_membership(member, self.clock.now(), cause)
        self._save(org)

    def link_successor(
        self, predecessor_kvk: str, successor_kvk: str, effective_date: dt.date, cause: Cause
    ) -> None:
        """Link an organisation to its successor (takeover or change of legal form)."""
        require_staff(cause, "link successors")
        old, new = (
            self.organisation_by_kvk(predecessor_kvk),
            self.organisation_by_kvk(successor_kvk),
        )
        now = self.clock.now()
        old.link_successor(new.main_kvk, effective_date, now, cause)
        new.link_predecessor(old.main_kvk, effective_date, now, cause)
        self._save(old, new)
