"""Retries under one idempotency key racing across processes (two registers on one database):
whichever way the race goes, there is one effect and every retry answers the winner's result."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from uuid import UUID

from api.storage import event_store_env
from domain.clock import SimulatedClock
from domain.idempotency import Stored
from domain.register import Register
from domain.service.results import DecisionResult, IssuedCertificate
from norms.levels import Level
from tests.scenarios import MAIN_KVK, STAFF, START, trede_2_declaration


def two_processes(database_url: str) -> tuple[Register, Register]:
    """Two registers on one database, as two ``pso serve`` processes."""
    env = event_store_env(database_url)
    return Register(env, clock=SimulatedClock(START)), Register(env, clock=SimulatedClock(START))


def meanwhile(work: Callable[[], Stored]) -> list[Stored]:
    """Run work to the end in another thread (a fresh context, as another process would)."""
    results: list[Stored] = []
    thread = threading.Thread(target=lambda: results.append(work()))
    thread.start()
    thread.join(timeout=30)
    return results


def test_a_retry_refused_because_the_winner_committed_meanwhile_answers_the_winners_result(
    database_url: str,
) -> None:
    """While the retry runs, the first attempt registers the organisation; the retry's own
    command is then refused (already in the register) and it answers the first result."""
    first, retry = two_processes(database_url)

    def register(on: Register) -> Callable[[], UUID]:
        return lambda: on.register_organisation(MAIN_KVK, "Bakkerij De Korf", "Utrecht", STAFF)

    won: list[Stored] = []

    def racing() -> UUID:
        won.extend(
            meanwhile(lambda: first.once("org-1", "register", "fp", STAFF, register(first)).result)
        )
        return register(retry)()

    assert retry.once("org-1", "register", "fp", STAFF, racing).result == won[0]
    assert retry.organisation_by_kvk(MAIN_KVK).id == won[0]


def test_a_retry_whose_save_loses_the_race_answers_the_winners_result_and_saves_nothing(
    database_url: str,
) -> None:
    """Both attempts submit (each with a new application id); the first saves, the retry's save
    conflicts, and the retry answers the first application's id: one application lodged."""
    first, retry = two_processes(database_url)
    first.register_organisation(MAIN_KVK, "Bakkerij De Korf", "Utrecht", STAFF)

    def submit(on: Register) -> Callable[[], UUID]:
        return lambda: (
            on.submit_application(
                MAIN_KVK, trede_2_declaration(), "kiwa", dt.date(2025, 3, 3), STAFF
            ).application_id
        )

    won: list[Stored] = []

    def racing() -> UUID:
        own = submit(retry)()
        won.extend(
            meanwhile(lambda: first.once("app-1", "submit", "fp", STAFF, submit(first)).result)
        )
        return own

    answered = retry.once("app-1", "submit", "fp", STAFF, racing).result
    assert answered == won[0]
    assert retry.organisation_by_kvk(MAIN_KVK).application_ids == (won[0],)


def test_a_retried_decision_in_another_process_answers_the_same_decision_from_the_store(
    database_url: str,
) -> None:
    """The decision's result (number, level, 30+, validity) is kept in the key's record: another
    process repeating the request reads it back equal, and nothing is decided twice."""
    first, retry = two_processes(database_url)
    first.register_organisation(MAIN_KVK, "Bakkerij De Korf", "Utrecht", STAFF)
    app = first.submit_application(
        MAIN_KVK, trede_2_declaration(), "kiwa", dt.date(2025, 3, 3), STAFF
    ).application_id
    first.file_audit_report(app, dt.date(2025, 3, 3), Level.TREDE_2, "ok", STAFF)

    def decide(on: Register) -> Callable[[], DecisionResult]:
        return lambda: on.decide_application(app, dt.date(2025, 3, 3), STAFF)

    decided = first.once("decide-1", "decide", "fp", STAFF, decide(first))
    repeated = retry.once("decide-1", "decide", "fp", STAFF, decide(retry))
    assert decided.position is not None
    assert repeated.position is None  # a repeat saved nothing
    assert repeated.result == decided.result
    assert isinstance(repeated.result.certificate, IssuedCertificate)
    assert repeated.result.certificate.level is Level.TREDE_2
    assert len(retry.organisation_by_kvk(MAIN_KVK).certificate_ids) == 1
