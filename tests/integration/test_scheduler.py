"""The deadline sweep: after downtime every missed deadline fires once; deadlines that no longer
apply do nothing; several schedulers at once still give one effect per deadline.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from api.settings import Settings
from api.wiring import Backend
from domain.clock import SimulatedClock
from domain.register import Register
from norms.levels import Level
from tests.projection_support import populate
from tests.scenarios import AUDITOR, STAFF, START, trede_2_declaration

PSO = Path(sys.executable).parent / "pso"


def topics(register: Register) -> Counter[str]:
    """How many events of each topic the log holds."""
    head = register.recorder.max_notification_id() or 0
    return Counter(n.topic for n in register.recorder.select_notifications(1, head + 1))


def backend_at(url: str, moment: dt.datetime) -> Backend:
    """The wired backend with a clock standing at a moment."""
    return Backend.build(Settings(database_url=url), clock=SimulatedClock(moment))


def test_after_downtime_every_missed_deadline_fires_exactly_once(database_url: str) -> None:
    """Six certificates (two withdrawn earlier), clock three years on: each fires once."""
    populate(database_url, 6).close()
    backend = backend_at(database_url, dt.datetime(2028, 6, 1, tzinfo=dt.UTC))
    first = backend.scheduler.tick()
    second = backend.scheduler.tick()
    counts = topics(backend.register)
    assert counts["pso.certificate.Expired.v1"] == 4
    assert counts["pso.certificate.ReminderIssued.v1"] == 4
    assert counts["pso.participation.Invoiced.v1"] == 12
    assert counts["pso.participation.MarkedOverdue.v1"] == 4
    assert counts["pso.application.DecisionBecameFinal.v1"] == 6
    assert sum(o.acted for o in first) == 4 + 4 + 6 + 4 + 6  # expiry, reminder, y2, overdue, final
    assert second == []
    assert backend.scheduler.postman.undelivered() == []
    backend.close()


def test_deadlines_that_no_longer_apply_do_nothing(database_url: str) -> None:
    """Renewed before expiry: not expired; aspirant who climbed: no lapse; paid: not overdue."""
    # the register's today is the last decision's day: no fact below is dated in the future
    backend = backend_at(database_url, dt.datetime(2026, 2, 1, 12, tzinfo=dt.UTC))
    register = backend.register
    register.register_organisation("61000000", "Klimmer BV", "Ede", STAFF)
    plan = {
        "parts": ["doelstelling", "creeren_draagvlak", "aanpassen_werving_selectie",
                  "functies_beschikbaar"],
        "approved_by_board": True,
    }  # fmt: skip
    plan_doc = _aspirant(plan)
    aspirant = _decide(register, "61000000", plan_doc, dt.date(2025, 3, 31), Level.ASPIRANT)
    register.record_contribution_payment(aspirant, 1, dt.date(2025, 4, 15), STAFF)
    climbed = _decide(
        register, "61000000", trede_2_declaration(), dt.date(2026, 2, 1), Level.TREDE_2
    )
    later = backend_at(database_url, dt.datetime(2027, 5, 1, tzinfo=dt.UTC))
    outcomes = later.scheduler.tick()
    by_subject = {(o.kind, o.subject): o for o in outcomes}
    assert ("aspirant_expiry", aspirant) not in by_subject or not by_subject[
        ("aspirant_expiry", aspirant)
    ].acted
    assert later.register.certificate(aspirant).status == "superseded"
    assert later.register.certificate(climbed).status == "active"
    assert (f"{aspirant}/1") not in {
        o.subject for o in outcomes if o.kind == "contribution_overdue"
    }
    assert later.register.participation(aspirant).overdue == {}
    later.close()
    backend.close()


def _aspirant(plan: dict[str, Any]) -> dict[str, Any]:
    doc = trede_2_declaration()
    return {**doc, "persons": [], "plan_of_approach": plan}


def _decide(register: Register, kvk: str, doc: dict[str, Any], day: dt.date, advice: Level) -> str:
    app = register.submit_application(kvk, doc, "kiwa", day, STAFF).application_id
    register.file_audit_report(app, day, advice, "ok", AUDITOR)
    number = register.decide_application(app, day, STAFF).number
    assert number is not None
    return number


@pytest.mark.postgres
def test_four_schedulers_at_once_give_one_event_per_deadline(postgres_url: str) -> None:
    """Four processes sweep the same hundreds of due deadlines at the same moment."""
    populate(postgres_url, 60).close()
    env = {**os.environ, "PSO_DATABASE_URL": postgres_url, "PSO_LOG_FORMAT": "json"}
    processes = [
        subprocess.Popen(  # noqa: S603 (our own console script)
            [str(PSO), "scheduler", "sweep", "--now", "2028-06-01T00:00:00"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for _ in range(4)
    ]
    acted = 0
    for process in processes:
        out, errors = process.communicate(timeout=300)
        assert process.returncode == 0, errors.decode()[-2000:]
        acted += json.loads(out)["acted"]
    register = backend_at(postgres_url, START)
    counts = topics(register.register)
    assert counts["pso.certificate.Expired.v1"] == 40  # 20 were withdrawn
    assert counts["pso.certificate.ReminderIssued.v1"] == 40
    assert counts["pso.participation.Invoiced.v1"] == 120
    assert counts["pso.application.DecisionBecameFinal.v1"] == 60
    effects = (
        sum(
            counts[t]
            for t in (
                "pso.certificate.Expired.v1",
                "pso.certificate.ReminderIssued.v1",
                "pso.application.DecisionBecameFinal.v1",
                "pso.participation.MarkedOverdue.v1",
            )
        )
        + counts["pso.participation.Invoiced.v1"]
        - 60
    )
    assert acted == effects
    register.close()
