"""After ``simulate --orgs 200 --years 6 --seed 1``: the register obeys the scheme's time rules and
the read models agree with a replay of the events.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

import pytest

from api.settings import Settings
from api.wiring import Backend
from domain.certificate import Status
from domain.clock import SimulatedClock, business_date
from norms.levels import Level
from scheduler.simulation import Simulation

START = dt.datetime(2021, 1, 4, 8, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def simulated(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """A SQLite register after six simulated years of 200 organisations."""
    url = f"sqlite:///{tmp_path_factory.mktemp('simulation')}/pso.sqlite3"
    clock = SimulatedClock(START)
    backend = Backend.build(Settings(database_url=url), clock=clock)
    summary = Simulation(backend.register, backend.scheduler, clock, seed=1).run(200, 6)
    yield backend, summary
    backend.close()


def all_certificates(backend: Backend) -> list[Any]:
    """Every certificate as the domain knows it (replayed from its events)."""
    numbers = []
    for row in backend.queries.search(limit=200)[0]:
        organisation = backend.queries.organisation(row["main_kvk"])
        assert organisation is not None
        numbers += [c["number"] for c in organisation["certificates"]]
    return [backend.register.certificate(n) for n in numbers]


def test_the_simulation_exercised_the_whole_lifecycle(simulated: Any) -> None:
    """Expiries, lapses, reminders, overdue contributions, objections and withdrawals happened."""
    _, summary = simulated
    for kind in ("certificate_expiry", "aspirant_expiry", "renewal_reminder",
                 "contribution_overdue", "contribution_year_two", "decision_final",
                 "objections", "withdrawn", "payments"):  # fmt: skip
        assert summary.counts[kind] > 0, kind


def test_no_certificate_is_active_past_its_validity(simulated: Any) -> None:
    """After the last sweep, every certificate whose last day passed has ended."""
    backend, _ = simulated
    today = business_date(backend.register.clock.now())
    late = [c.number for c in all_certificates(backend)
            if c.status in (Status.ACTIVE, Status.SUSPENDED) and c.valid_until < today]  # fmt: skip
    assert late == []


def test_no_aspirant_status_runs_beyond_its_allowed_period(simulated: Any) -> None:
    """Two years plus the extensions the version allows, and never active after its end."""
    backend, _ = simulated
    aspirants = [c for c in all_certificates(backend) if c.level is Level.ASPIRANT]
    assert aspirants
    for cert in aspirants:
        rules = backend.register.catalogue.version(cert.handbook_version).aspirant
        years = rules.validity_years.value * (1 + rules.max_extensions.value)
        assert cert.valid_until < cert.valid_from.replace(year=cert.valid_from.year + years)
        assert cert.extensions <= rules.max_extensions.value


def test_every_reminder_was_issued_once(simulated: Any) -> None:
    """No certificate got two reminders; every one that expired on schedule got one."""
    backend, _ = simulated
    register = backend.register
    head = register.recorder.max_notification_id() or 0
    reminders = Counter(
        n.originator_id
        for n in register.recorder.select_notifications(1, head + 1)
        if n.topic == "pso.certificate.ReminderIssued.v1"
    )
    assert max(reminders.values()) == 1
    expired = [c for c in all_certificates(backend) if c.status is Status.EXPIRED]
    assert expired
    assert all(c.id in reminders for c in expired)


def test_the_read_models_equal_a_replay_of_the_events(simulated: Any) -> None:
    """Certificates in the register projection and positions in the ladder match the replay."""
    backend, _ = simulated
    for cert in all_certificates(backend):
        row = backend.queries.certificate(cert.number)
        assert row is not None
        assert (row["status"], row["level"], row["valid_until"]) == (
            cert.status.value,
            cert.level.value,
            cert.valid_until,
        )
    orgs = backend.queries.search(limit=200)[0]
    assert len(orgs) == 200
    for org in orgs:
        day = dt.date(2021, 1, 1)
        while day < dt.date(2027, 1, 1):
            assert backend.queries.position(org["main_kvk"], day) == backend.register.position(
                org["main_kvk"], day
            )
            day += dt.timedelta(days=97)
