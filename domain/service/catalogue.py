"""The scheme catalogue of the register: the handbook versions shipped with the code plus those
published as events, kept until the rules' latest stored version changes."""

from __future__ import annotations

from uuid import UUID

from eventsourcing.application import Repository
from eventsourcing.persistence import AggregateRecorder

from domain.scheme_rules import SCHEME_RULES_ID, SchemeRules
from domain.service.unit_of_work import current_unit
from norms.catalogue import SchemeCatalogue


class Catalogue:
    """The merged scheme catalogue, asked for often: one small query while nothing was
    published since, no replay of the published handbooks."""

    def __init__(
        self, bundled: SchemeCatalogue, recorder: AggregateRecorder, repository: Repository[UUID]
    ) -> None:
        #: the versions shipped in norms/data
        self.bundled = bundled
        self._recorder = recorder
        self._repository = repository
        self._published: tuple[int, SchemeCatalogue] | None = None

    def current(self) -> SchemeCatalogue:
        """The scheme versions as the register knows them now (inside a unit of work that
        published one, with it)."""
        unit = current_unit()
        if unit is None or SCHEME_RULES_ID not in unit.aggregates:
            latest = self._recorder.select_events(SCHEME_RULES_ID, desc=True, limit=1)
            if not latest:
                return self.bundled
            if self._published is not None and self._published[0] == latest[0].originator_version:
                return self._published[1]
        rules: SchemeRules = self._repository.get(SCHEME_RULES_ID)
        if self._published is None or self._published[0] != rules.version:
            versions = {v.version: v for v in self.bundled.versions}
            versions.update({v.version: v for v in rules.versions()})
            merged = SchemeCatalogue.of(versions.values(), self.bundled.schedules)
            self._published = (rules.version, merged)
        return self._published[1]
