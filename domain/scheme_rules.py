"""Scheme rules (the PSO-handleiding) published as events: revisions never overwrite the past."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from domain.aggregate import AggregateCreated, PsoAggregate, stable_id
from domain.errors import InvalidInputError, InvalidTransitionError
from domain.values import Cause
from norms.bundled import bundled_catalogue
from norms.errors import NormsError
from norms.handbook import HandbookVersion, handbook_from_document
from norms.handbook_upgrade import complete_document

SCHEME_RULES_ID = stable_id("scheme-rules", "pso")


class SchemeRules(PsoAggregate):
    """Every handbook version published in the register, with its full document and provenance."""

    TOPIC = "pso.scheme_rules.SchemeRules"

    class Started(PsoAggregate.Event, AggregateCreated):
        """The register began keeping scheme versions."""

        TOPIC = "pso.scheme_rules.Started.v1"

        def apply(self, rules: SchemeRules) -> None:
            """No versions yet."""
            rules.documents = {}

    class VersionPublished(PsoAggregate.Event):
        """A handbook version was published (or corrected before its effective date)."""

        TOPIC = "pso.scheme_rules.VersionPublished.v1"
        version: str
        effective_from: dt.date
        document: dict[str, Any]

        def apply(self, rules: SchemeRules) -> None:
            """Keep the document; a correction replaces an unpublished-in-force one."""
            rules.documents = {**rules.documents, self.version: self.document}

    if TYPE_CHECKING:  # state set by the events' apply methods, typed for mypy
        documents: dict[str, dict[str, Any]]

    @classmethod
    def begin(cls, now: dt.datetime, cause: Cause) -> SchemeRules:
        """The single scheme-rules aggregate."""
        return cls._create(cls.Started, id=SCHEME_RULES_ID, timestamp=now, cause=cause)

    def versions(self) -> list[HandbookVersion]:
        """Every published version, parsed.

        A document published before the handbook data held a rule (`LATER_KEYS`) takes that
        rule from the newest bundled version, marked provisional, so its events still replay.
        """
        base = bundled_catalogue().versions[-1]
        return [handbook_from_document(complete_document(d, base)) for d in self.documents.values()]

    def publish(
        self,
        document: dict[str, Any],
        today: dt.date,
        in_force_elsewhere: dict[str, dt.date],
        now: dt.datetime,
        cause: Cause,
    ) -> HandbookVersion:
        """Publish a version; one already in force cannot change, only be followed by a new one."""
        try:
            version = handbook_from_document(document)
        except NormsError as exc:
            raise InvalidInputError(str(exc)) from None
        known = dict(in_force_elsewhere)
        known.update({v.version: v.effective_from.value for v in self.versions()})
        if version.version in known and known[version.version] <= today:
            msg = (
                f"handbook {version.version} has been in force since {known[version.version]}; "
                "it cannot be changed, only followed by a new version"
            )
            raise InvalidTransitionError(msg)
        if version.effective_from.value <= today:
            msg = f"effective_from: a new version must come into force after today ({today})"
            raise InvalidInputError(msg)
        self._trigger(
            self.VersionPublished,
            now,
            cause,
            version=version.version,
            effective_from=version.effective_from.value,
            document=document,
        )
        return version
