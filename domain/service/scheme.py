"""Publishing scheme versions (handbook versions) as events."""

from __future__ import annotations

from typing import Any

from eventsourcing.application import AggregateNotFoundError

from domain.clock import business_date
from domain.scheme_rules import SCHEME_RULES_ID, SchemeRules
from domain.service.authorisation import require_admin
from domain.service.base import RegisterBase
from domain.service.results import PublicationResult
from domain.values import Cause


class SchemeCommands(RegisterBase):
    """Handbook versions published by PSO staff (admins); nothing in force is ever overwritten."""

    def publish_handbook(self, document: dict[str, Any], cause: Cause) -> PublicationResult:
        """Publish a resolved handbook document that comes into force after today."""
        require_admin(cause)
        now = self.clock.now()
        try:
            rules: SchemeRules = self.repository.get(SCHEME_RULES_ID)
        except AggregateNotFoundError:
            rules = SchemeRules.begin(now, cause)
        bundled = {v.version: v.effective_from.value for v in self._catalogue.bundled.versions}
        version = rules.publish(document, business_date(now), bundled, now, cause)
        self._save(rules)
        return PublicationResult(version.version, version.effective_from.value)
