"""Random valid and invalid command sequences: replaying the stored events always gives the live
aggregates, a refused command writes nothing, and no organisation ever has two running certificates.
"""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any
from uuid import UUID

from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, initialize, invariant, rule

from domain.aggregate import PsoAggregate
from domain.certificate import FINAL
from domain.clock import SimulatedClock
from domain.errors import DomainError
from domain.register import Register
from domain.values import Cause, Role
from norms.levels import Level
from tests.scenarios import AUDITOR, OTHER_AUDITOR, START
from tests.unit.norms.builders import declaration_doc, person

STAFF = Cause("staff", Role.STAFF, "sm", reason="random")
SCHEDULER = Cause("scheduler", Role.SCHEDULER, "sm")
KVKS = ["10000001", "10000002", "10000003"]
days = st.integers(min_value=0, max_value=900).map(lambda n: dt.date(2025, 1, 1) + dt.timedelta(n))
ftes = st.sampled_from(["0.5", "1.0", "1.5"])
offsets = st.integers(min_value=-2, max_value=40)


class RecordingRegister(Register):
    """A register that keeps a copy of every aggregate it saved: the live state."""

    def __init__(self, clock: SimulatedClock) -> None:
        super().__init__({"PERSISTENCE_MODULE": "eventsourcing.popo"}, clock=clock)
        self.live: dict[UUID, PsoAggregate] = {}

    def _save(self, *aggregates: PsoAggregate | None) -> None:
        super()._save(*aggregates)
        for aggregate in aggregates:
            if aggregate is not None:
                self.live[aggregate.id] = copy.deepcopy(aggregate)


class Lifecycle(RuleBasedStateMachine):
    """Drive the register with random commands."""

    applications = Bundle("applications")
    certificates = Bundle("certificates")

    def __init__(self) -> None:
        super().__init__()
        self.clock = SimulatedClock(START)
        self.register = RecordingRegister(self.clock)

    def attempt(self, command: Any, *args: Any, **kwargs: Any) -> Any:
        """Run a command; when the domain refuses it, check that nothing was written."""
        before = self.register.recorder.max_notification_id()
        try:
            return command(*args, **kwargs)
        except DomainError as exc:
            assert self.register.recorder.max_notification_id() == before
            event(f"refused: {type(exc).__name__}")
            return None

    @initialize()
    def organisations(self) -> None:
        """Start with the organisations in the register."""
        for kvk in KVKS:
            self.register.register_organisation(kvk, f"Org {kvk}", "Gouda", STAFF)

    @rule(kvk=st.sampled_from(KVKS))
    def register_organisation(self, kvk: str) -> None:
        """Register (again: refused) an organisation."""
        self.attempt(self.register.register_organisation, kvk, f"Org {kvk}", "Gouda", STAFF)

    @rule(target=applications, kvk=st.sampled_from(KVKS), fte=ftes, day=days)
    def submit(self, kvk: str, fte: str, day: dt.date) -> Any:
        """Submit an application (refused for unknown organisations)."""
        doc = declaration_doc("20", [person("A", fte)], peiljaar=2024)
        submitted = self.attempt(self.register.submit_application, kvk, doc, "kiwa", day, STAFF)
        return (submitted.application_id if submitted else None, day)

    @rule(app=applications, later=offsets, own_ci=st.booleans())
    def report(self, app: tuple[UUID | None, dt.date], later: int, own_ci: bool) -> None:
        """File an audit report some days after submission (or before: refused)."""
        app_id, submitted = app
        if app_id is not None:
            auditor = AUDITOR if own_ci else OTHER_AUDITOR
            day = submitted + dt.timedelta(days=later)
            self.attempt(self.register.file_audit_report, app_id, day, Level.TREDE_1, "r", auditor)

    @rule(target=certificates, app=applications, later=offsets)
    def decide(self, app: tuple[UUID | None, dt.date], later: int) -> Any:
        """Decide some days after submission (refused without a report, too early, or twice)."""
        app_id, submitted = app
        if app_id is None:
            return None
        day = submitted + dt.timedelta(days=later + 30)
        decision = self.attempt(self.register.decide_application, app_id, day, STAFF)
        number = decision.number if decision else None
        if number is not None:
            event("certificate issued")
        return number

    @rule(
        number=certificates, day=days, action=st.sampled_from(["suspend", "reinstate", "withdraw"])
    )
    def change_certificate(self, number: str | None, day: dt.date, action: str) -> None:
        """Suspend, reinstate or withdraw on a random day."""
        if number is not None:
            self.attempt(getattr(self.register, f"{action}_certificate"), number, day, STAFF)

    @rule(number=certificates)
    def expire(self, number: str | None) -> None:
        """The scheduler tries to expire."""
        if number is not None:
            self.attempt(self.register.expire_certificate, number, SCHEDULER)

    @rule(days_later=st.integers(1, 400))
    def time_passes(self, days_later: int) -> None:
        """Move the clock."""
        self.clock.advance(dt.timedelta(days=days_later))

    @invariant()
    def replay_gives_the_live_aggregates(self) -> None:
        """Every aggregate rebuilt from stored events equals the one the command left behind."""
        for aggregate_id, live in self.register.live.items():
            assert self.register.repository.get(aggregate_id) == live

    @invariant()
    def at_most_one_running_certificate_per_organisation(self) -> None:
        """A new certificate supersedes the old one, also when the old one is suspended: a
        suspended certificate is still running (it may be reinstated)."""
        for kvk in KVKS:
            try:
                org = self.register.organisation_by_kvk(kvk)
            except DomainError:
                continue
            running = [
                c
                for c in self.register.certificates_of(org)
                if c.status not in FINAL and c.ended_on is None
            ]
            assert len(running) <= 1, [(c.number, c.status) for c in running]


Lifecycle.TestCase.settings = settings(
    max_examples=60,
    stateful_step_count=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
test_lifecycle_state_machine = Lifecycle.TestCase
