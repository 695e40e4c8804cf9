"""The set of handbook versions and contribution schedules, and which one is in force on a day."""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from norms.contributions import ContributionSchedule
from norms.errors import NoVersionInForceError, UnknownVersionError
from norms.handbook import HandbookVersion


@dataclass(frozen=True)
class SchemeCatalogue:
    """Handbook versions and contribution schedules ordered by effective date."""

    versions: tuple[HandbookVersion, ...]
    schedules: tuple[ContributionSchedule, ...]

    @classmethod
    def of(
        cls, versions: Iterable[HandbookVersion], schedules: Iterable[ContributionSchedule]
    ) -> SchemeCatalogue:
        """A catalogue with both lists sorted by effective date."""
        return cls(
            tuple(sorted(versions, key=lambda v: v.effective_from.value)),
            tuple(sorted(schedules, key=lambda s: s.effective_from.value)),
        )

    def version(self, name: str) -> HandbookVersion:
        """The version with this name, e.g. ``"2.1"``."""
        for version in self.versions:
            if version.version == name:
                return version
        known = ", ".join(v.version for v in self.versions)
        msg = f"unknown handbook version {name!r}; known versions: {known}"
        raise UnknownVersionError(msg)

    def version_in_force(self, on: dt.date) -> HandbookVersion:
        """The version in force on a day: the latest whose effective date is on or before it."""
        dates = [v.effective_from.value for v in self.versions]
        index = bisect.bisect_right(dates, on) - 1
        if index < 0:
            first = self.versions[0] if self.versions else None
            since = f"; the earliest is {first.version} from {dates[0]}" if first else ""
            msg = f"no handbook version was in force on {on}{since}"
            raise NoVersionInForceError(msg)
        return self.versions[index]

    def schedule_in_force(self, on: dt.date) -> ContributionSchedule:
        """The contribution brackets in force on a day."""
        dates = [s.effective_from.value for s in self.schedules]
        index = bisect.bisect_right(dates, on) - 1
        if index < 0:
            msg = f"no contribution brackets were in force on {on}"
            raise NoVersionInForceError(msg)
        return self.schedules[index]
