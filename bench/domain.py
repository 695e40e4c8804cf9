"""Benchmarks of the write side: commands against raw appends, rebuild against reading the log,
the deadline sweep against the commands figure.
"""

from __future__ import annotations

import datetime as dt
import time
import uuid
from collections import defaultdict
from typing import Any

from eventsourcing.persistence import StoredEvent

from api.storage import event_store_env
from domain.clock import SimulatedClock
from domain.register import Register
from domain.values import Cause, Role
from norms.levels import Level

START = dt.datetime(2025, 4, 2, 9, tzinfo=dt.UTC)  # every fact below lies on or before it
DECLARATION = {
    "peiljaar": 2024,
    "total_fte": "50",
    "persons": [
        {
            "ref": "A",
            "starting_position": "wajong",
            "intake_date": "2020-01-01",
            "contract": "regular",
            "fte": "1.0",
        },
        {
            "ref": "B",
            "starting_position": "wajong",
            "intake_date": "2020-01-01",
            "contract": "regular",
            "fte": "1.0",
        },
    ],
    "purchases": [],
    "qualitative": {
        "passend_werk": True,
        "integratie": True,
        "functioneren_en_ontwikkeling": True,
        "begeleiding": True,
    },
}


def commands(url: str, raw_url: str, organisations: int) -> dict[str, float]:
    """A mixed lifecycle per organisation, then the same events appended raw, same grouping;
    ``url`` and ``raw_url`` are empty databases of one kind."""
    register = Register(event_store_env(url), clock=SimulatedClock(START))

    def cause() -> Cause:
        return Cause("bench", Role.STAFF, str(uuid.uuid4()), reason="bench")

    count = 0
    started = time.perf_counter()
    for i in range(organisations):
        kvk = f"{50000000 + i:08d}"
        register.register_organisation(kvk, f"Org {i}", "Ede", cause())
        app = register.submit_application(
            kvk, DECLARATION, "kiwa", dt.date(2025, 3, 3), cause()
        ).application_id
        register.file_audit_report(app, dt.date(2025, 3, 20), Level.TREDE_2, "ok", cause())
        number = register.decide_application(app, dt.date(2025, 3, 31), cause()).number
        assert number is not None  # noqa: S101
        register.record_contribution_payment(number, 1, dt.date(2025, 4, 2), cause())
        register.suspend_certificate(number, dt.date(2025, 5, 1), cause())
        count += 6
    elapsed = time.perf_counter() - started
    head = register.recorder.max_notification_id() or 0
    notifications = register.recorder.select_notifications(1, head + 1)
    groups: dict[str, list[Any]] = defaultdict(list)
    for n in notifications:
        event: Any = register.mapper.to_domain_event(n)
        groups[event.cause.correlation_id].append(
            StoredEvent(n.originator_id, n.originator_version, n.topic, n.state)
        )
    stored = list(groups.values())
    register.close()
    raw = Register(event_store_env(raw_url))
    raw_started = time.perf_counter()
    for group in stored:
        raw.recorder.insert_events(group)
    raw_elapsed = time.perf_counter() - raw_started
    raw.close()
    return {
        "commands_per_s": count / elapsed,
        "events_per_s": head / elapsed,
        "raw_events_per_s": head / raw_elapsed,
        "commands": count,
        "events": head,
    }


def rebuild(backend: Any) -> dict[str, float]:
    """A full rebuild of every projection against reading and decoding the whole log."""
    register = backend.register
    head = register.recorder.max_notification_id() or 0
    started = time.perf_counter()
    position = 0
    while position < head:
        batch = register.recorder.select_notifications(position + 1, 1000)
        for notification in batch:
            register.mapper.to_domain_event(notification)
        position = batch[-1].id
    read = time.perf_counter() - started
    started = time.perf_counter()
    backend.runner.rebuild()
    built = time.perf_counter() - started
    return {"read_events_per_s": head / read, "rebuild_events_per_s": head / built, "events": head}


def sweep(backend: Any) -> dict[str, float]:
    """Act on every due deadline of the register; then an idle sweep."""
    started = time.perf_counter()
    outcomes = backend.scheduler.sweep.run()
    elapsed = time.perf_counter() - started
    acted = sum(o.acted for o in outcomes)
    started = time.perf_counter()
    idle = backend.scheduler.sweep.run()
    idle_ms = (time.perf_counter() - started) * 1000
    return {
        "deadlines_per_s": acted / elapsed if elapsed else 0.0,
        "acted": acted,
        "idle_ms": idle_ms,
        "idle_due": len(idle),
    }
