"""For random lifecycles with backdated and scheduled changes, the read models answer exactly as a
replay of the events does: positions (as known now and at past moments), coverage, and the status
the register, its search and each certificate show on every day."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api.storage import engine_for, event_store_env
from domain.clock import business_date
from domain.errors import DomainError
from domain.position import status_on, stretches
from norms.levels import Level
from projections.catalogue import read_models
from projections.queries import RegisterQueries
from projections.runner import Runner
from tests.scenarios import AUDITOR, MAIN_KVK, STAFF, scenario, trede_2_declaration

ACTIONS = st.lists(
    st.tuples(
        st.sampled_from(["suspend", "reinstate", "withdraw", "recertify", "revise", "expire"]),
        st.integers(0, 800),
        st.integers(1, 120),
    ),
    max_size=8,
)
FIRST, LAST = dt.date(2025, 1, 1), dt.date(2027, 12, 31)


def play(s: Any, actions: list[tuple[str, int, int]]) -> list[dt.datetime]:
    """Run a certified organisation through random actions; return the moments between them."""
    moments = [s.clock.now()]
    s.certified()
    for action, offset, wait in actions:
        day = dt.date(2025, 3, 31) + dt.timedelta(days=offset)
        s.later(wait)
        moments.append(s.clock.now())
        s.later(1)
        current = s.register.certificates_of(s.register.organisation_by_kvk(MAIN_KVK))[-1].number
        try:
            if action in ("suspend", "reinstate", "withdraw"):
                getattr(s.register, f"{action}_certificate")(current, day, STAFF)
            elif action == "revise":
                s.register.revise_certificate_level(current, Level.TREDE_1, STAFF)
            elif action == "expire":
                s.register.expire_certificate(current, STAFF)
            else:
                day = min(day, business_date(s.clock.now()))  # a decision is never dated later
                app = s.register.submit_application(
                    MAIN_KVK, trede_2_declaration(), "kiwa", day, STAFF
                ).application_id
                s.register.file_audit_report(app, day, Level.TREDE_2, "again", AUDITOR)
                s.register.decide_application(app, day, STAFF)
        except DomainError:
            pass
    moments.append(s.clock.now())
    return moments


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(actions=ACTIONS)
def test_position_and_coverage_from_the_ladder_equal_the_replay(
    tmp_path: Path, actions: list[tuple[str, int, int]]
) -> None:
    """Every day from 2025 to 2027, as known now and at moments between the changes."""
    url = f"sqlite:///{tmp_path}/ladder-{abs(hash(tuple(actions)))}.sqlite3"
    s = scenario(event_store_env(url))
    moments = play(s, actions)
    models = read_models(s.register.catalogue)
    runner = Runner(s.register, engine_for(url, writer=True), models.all())
    runner.setup()
    runner.catch_up()
    queries = RegisterQueries(runner.engine, models)
    day = FIRST
    while day <= LAST:
        for moment in (None, *moments):
            assert queries.position(MAIN_KVK, day, moment) == s.register.position(
                MAIN_KVK, day, moment
            ), (day, moment)
        day += dt.timedelta(days=9)
    certificates = s.register.certificates_of(s.register.organisation_by_kvk(MAIN_KVK))
    day = FIRST
    while day <= LAST:
        replayed = s.register.position(MAIN_KVK, day)
        listed = queries.search(q=MAIN_KVK, on=day)[0]
        if replayed.certificate is None:
            assert listed == [], day
        else:
            found = listed[0]
            assert (found["status"], found["level"], found["certificate_number"]) == (
                replayed.certificate.status.value,
                replayed.level.value if replayed.level else None,
                replayed.certificate.number,
            ), day
        for cert in certificates:
            status = status_on(stretches(cert), day)
            shown = queries.certificate(cert.number, day)
            assert shown is not None
            assert shown["status"] == (status.value if status else "not_yet_valid"), day
        day += dt.timedelta(days=5)
    for level in (Level.TREDE_1, Level.TREDE_2):
        assert queries.coverage(MAIN_KVK, FIRST, LAST, level) == s.register.coverage(
            MAIN_KVK, FIRST, LAST, level
        )
    runner.engine.dispose()
    s.register.close()
