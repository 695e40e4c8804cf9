"""The register on real databases: SQLite file and PostgreSQL, same tests."""

from __future__ import annotations

import datetime as dt
import threading

import pytest

from api.storage import event_store_env
from domain.certificate import Status
from domain.clock import SimulatedClock
from domain.errors import ConcurrentModificationError
from domain.position import Standing
from domain.register import Register
from norms.levels import Level
from tests.scenarios import MAIN_KVK, STAFF, START, scenario


def test_a_lifecycle_survives_reopening_the_database(database_url: str) -> None:
    """Events written by one register are read back, in order, by a new one."""
    s = scenario(event_store_env(database_url))
    number = s.certified()
    s.later(300)
    s.register.withdraw_certificate(number, dt.date(2025, 6, 1), STAFF.because("fraud"))
    s.register.close()
    reopened = Register(event_store_env(database_url), clock=SimulatedClock(START))
    cert = reopened.certificate(number)
    assert (cert.status, cert.ended_on, cert.level) == (
        Status.WITHDRAWN,
        dt.date(2025, 6, 1),
        Level.TREDE_2,
    )
    assert reopened.position(MAIN_KVK, dt.date(2025, 7, 1)).standing is Standing.WITHDRAWN
    topics = [e.event for e in reopened.timeline(MAIN_KVK)]
    assert topics[0] == "pso.organisation.Registered.v1"
    assert topics[-1] == "pso.certificate.Withdrawn.v1"
    notifications = reopened.recorder.select_notifications(start=1, limit=1000)
    # all but the year's certificate counter (opened, number issued) is the organisation's story
    assert len(notifications) == len(topics) + 2
    reopened.close()


def test_two_writers_on_the_same_certificate_one_wins_the_other_may_retry(
    database_url: str,
) -> None:
    """Two registers load the same certificate and both change it: one commits, one conflicts."""
    s = scenario(event_store_env(database_url))
    number = s.certified()
    other = Register(event_store_env(database_url), clock=s.clock)
    first, second = s.register.certificate(number), other.certificate(number)
    first.suspend(dt.date(2025, 5, 1), s.clock.now(), STAFF)
    second.withdraw(dt.date(2025, 5, 1), s.clock.now(), STAFF)
    s.register._save(first)
    with pytest.raises(ConcurrentModificationError, match="retry"):
        other._save(second)
    assert other.certificate(number).status is Status.SUSPENDED
    other.withdraw_certificate(number, dt.date(2025, 5, 2), STAFF.because("retried"))
    assert s.register.certificate(number).status is Status.WITHDRAWN
    other.close()
    s.register.close()


@pytest.mark.postgres
def test_concurrent_threads_suspending_one_certificate_give_exactly_one_suspension(
    postgres_url: str,
) -> None:
    """Eight threads race on PostgreSQL; exactly one Suspended event is stored."""
    database_url = postgres_url
    s = scenario(event_store_env(database_url))
    number = s.certified()
    results: list[str] = []
    barrier = threading.Barrier(8, timeout=30)
    registers = [Register(event_store_env(database_url), clock=s.clock) for _ in range(8)]

    def suspend(register: Register) -> None:
        barrier.wait()
        try:
            register.suspend_certificate(number, dt.date(2025, 5, 1), STAFF.because("race"))
            results.append("ok")
        except Exception as exc:  # noqa: BLE001 (the test counts every outcome)
            results.append(type(exc).__name__)
        finally:
            register.close()

    threads = [threading.Thread(target=suspend, args=(r,)) for r in registers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert results.count("ok") == 1
    assert set(results) - {"ok"} <= {"ConcurrentModificationError", "InvalidTransitionError"}
    events = [type(e).__name__ for e in s.register.events.get(s.register.certificate(number).id)]
    assert events.count("Suspended") == 1
    s.register.close()


def test_certificate_numbers_are_unique_and_never_reused(database_url: str) -> None:
    """Numbers run on within a year across registers sharing the database."""
    s = scenario(event_store_env(database_url))
    first = s.certified()
    s.on("2025-04-20")
    other = Register(event_store_env(database_url), clock=s.clock)
    other.register_organisation("22223333", "Tweede BV", "Ede", STAFF)
    app = other.submit_application(
        "22223333", {**_doc()}, "kiwa", dt.date(2025, 4, 1), STAFF
    ).application_id
    other.file_audit_report(app, dt.date(2025, 4, 10), Level.TREDE_2, "ok", STAFF)
    second = other.decide_application(app, dt.date(2025, 4, 20), STAFF).number
    assert (first, second) == ("PSO-2025-000001", "PSO-2025-000002")
    other.close()
    s.register.close()


def _doc() -> dict[str, object]:
    from tests.scenarios import trede_2_declaration  # noqa: PLC0415

    return trede_2_declaration()
