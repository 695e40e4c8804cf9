"""Retried commands with the same idempotency key have exactly one effect."""

from __future__ import annotations

import datetime as dt
from uuid import UUID

import pytest

from domain.errors import InvalidTransitionError
from domain.idempotency import idempotency_id
from tests.scenarios import MAIN_KVK, STAFF, scenario, trede_2_declaration


def test_a_retried_submission_returns_the_first_application_and_submits_once() -> None:
    """Same key, same request: the same id back, one application lodged."""
    s = scenario()
    s.registered()

    def submit() -> UUID:
        return s.register.submit_application(
            MAIN_KVK, trede_2_declaration(), "kiwa", dt.date(2025, 3, 3), STAFF
        ).application_id

    first = s.register.once("key-1", "submit", "fp-1", STAFF, submit).result
    again = s.register.once("key-1", "submit", "fp-1", STAFF, submit).result
    assert first == again
    assert s.register.organisation_by_kvk(MAIN_KVK).application_ids == (first,)


def test_a_retried_decision_issues_one_certificate() -> None:
    """Deciding twice under one key gives one number and one certificate."""
    s = scenario()
    app = s.reported()

    def decide() -> str | None:
        return s.register.decide_application(app, dt.date(2025, 3, 31), STAFF).number

    numbers = {s.register.once("key-d", "decide", app.hex, STAFF, decide).result for _ in range(3)}
    assert numbers == {"PSO-2025-000001"}
    assert len(s.register.organisation_by_kvk(MAIN_KVK).certificate_ids) == 1


def test_a_key_reused_for_another_request_is_refused() -> None:
    """The same key with a different body is an error, not a silent repeat."""
    s = scenario()
    s.registered()
    number = s.register.once("key-x", "cedris", "member", STAFF, lambda: None).result
    assert number is None
    with pytest.raises(InvalidTransitionError, match="already used for another request"):
        s.register.once("key-x", "cedris", "not-member", STAFF, lambda: None)


def test_a_failing_command_records_nothing_under_its_key() -> None:
    """A refused command leaves the key free for a corrected retry."""
    s = scenario()
    app = s.submitted()

    def decide() -> str | None:
        return s.register.decide_application(app, dt.date(2025, 3, 31), STAFF).number

    with pytest.raises(InvalidTransitionError, match="no audit report"):
        s.register.once("key-f", "decide", "1", STAFF, decide)
    assert idempotency_id("key-f") not in s.register.repository
