"""A register on a simulated clock, and the steps of a lifecycle, for domain and storage tests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from domain.clock import SimulatedClock
from domain.organisation import organisation_id
from domain.register import Register
from domain.values import Cause, Role
from norms.levels import Level
from tests.unit.norms.builders import declaration_doc, person

STAFF = Cause("staff-anna", Role.STAFF, "corr-staff", reason="checked")
AUDITOR = Cause("auditor-kiwa-1", Role.AUDITOR, "corr-audit", actor_ci="kiwa")
OTHER_AUDITOR = Cause("auditor-dnv-1", Role.AUDITOR, "corr-audit", actor_ci="dnv")
START = dt.datetime(2025, 3, 3, 9, 0, tzinfo=dt.UTC)
MAIN_KVK, SUB_KVK = "12345678", "87654321"


def trede_2_declaration() -> dict[str, Any]:
    """50 FTE with 2.0 weighted FTE: 4.0 % is trede 2 (3.7) but not trede 3 (6.8)."""
    return declaration_doc("50", [person("A", "1.0"), person("B", "1.0")], peiljaar=2024)


@dataclass
class Scenario:
    """A register plus its clock, with helpers that move through the lifecycle."""

    register: Register
    clock: SimulatedClock

    def later(self, days: int = 1) -> None:
        """Move the clock forward."""
        self.clock.advance(dt.timedelta(days=days))

    def on(self, day: str) -> None:
        """Move the clock forward to 09:00 UTC of a day (facts are never dated after today)."""
        target = dt.datetime.combine(dt.date.fromisoformat(day), dt.time(9), tzinfo=dt.UTC)
        self.clock.advance(max(target - self.clock.now(), dt.timedelta(0)))

    def registered(self) -> UUID:
        """An organisation with one subsidiary."""
        return self.register.register_organisation(
            MAIN_KVK, "Bakkerij De Korf", "Utrecht", STAFF, (SUB_KVK,)
        )

    def submitted(self, declaration: dict[str, Any] | None = None, day: str = "2025-03-03") -> UUID:
        """A submitted application (organisation registered first if needed)."""
        if self._org_id() not in self.register.repository:
            self.registered()
        return self.register.submit_application(
            MAIN_KVK,
            declaration or trede_2_declaration(),
            "kiwa",
            dt.date.fromisoformat(day),
            STAFF,
        ).application_id

    def reported(self, declaration: dict[str, Any] | None = None) -> UUID:
        """An application with its audit report filed."""
        app = self.submitted(declaration)
        self.later(10)
        self.register.plan_audit(app, dt.date(2025, 3, 20), AUDITOR)
        self.later(10)
        self.register.file_audit_report(app, dt.date(2025, 3, 20), Level.TREDE_2, "fine", AUDITOR)
        self.later(8)  # 31 March 2025, 09:00 UTC: the day of the decision (never dated later)
        return app

    def certified(self) -> str:
        """A granted trede 2 certificate, decided on 2025-03-31; returns its number."""
        app = self.reported()
        number = self.register.decide_application(app, dt.date(2025, 3, 31), STAFF).number
        assert number is not None
        return number

    def _org_id(self) -> UUID:
        return organisation_id(MAIN_KVK)


def scenario(env: Mapping[str, str] | None = None) -> Scenario:
    """A fresh register (in memory unless env says otherwise) at 3 March 2025."""
    clock = SimulatedClock(START)
    register = Register(dict(env or {"PERSISTENCE_MODULE": "eventsourcing.popo"}), clock=clock)
    return Scenario(register, clock)
