"""Publishing scheme versions (handbook versions) as events."""

from __future__ import annotations

from typing import Any

from eventsourcing.application import AggregateNotFoundError

from domain.clock import business_date
from domain.errors import ForbiddenError
from domain.scheme_rules import SCHEME_RULES_ID, SchemeRules
from domain.service.base import RegisterBase
from domain.values import Cause, Role
from norms.handbook import HandbookVersion


class SchemeCommands(RegisterBase):
    """Handbook versions published by PSO staff (admins); nothing in force is ever overwritten."""

    def publish_handbook(self, document: dict[str, Any], cause: Cause) -> HandbookVersion:
        """Publish a resolved handbook document that comes into force after today."""
        if cause.actor_role not in (Role.ADMIN, Role.IMPORT):
            raise ForbiddenError("only an admin may publish scheme versions")
        now = self.clock.now()
        try:
            rules: SchemeRules = self.repository.get(SCHEME_RULES_ID)
        except AggregateNotFoundError:
            rules = SchemeRules.begin(now, cause)
        bundled = {v.version: v.effective_from.value for v in self._bundled.versions}
        version = rules.publish(document, business_date(now), bundled, now, cause)
        self._save(rules)
        return version
