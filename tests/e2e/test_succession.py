"""A takeover in the public register: the organisation's answer and page name its successor,
and the successor's name the organisation it continues, each with the day it took effect; a
successor that never held a certificate is not named (the register never tells who applied
without one)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from api.storage import event_store_env
from domain.clock import SimulatedClock
from norms.levels import Level
from tests.scenarios import AUDITOR, MAIN_KVK, STAFF, scenario, trede_2_declaration

SUCCESSOR_KVK = "44445555"
UNCERTIFIED_KVK = "66667777"


@pytest.fixture
def taken_over(database_url: str) -> Iterator[TestClient]:
    """Bakkerij De Korf (trede 2) taken over by Bakkerij Nieuw BV (trede 2 too) on 1 June 2025."""
    s = scenario(event_store_env(database_url))
    s.certified()
    register = s.register
    register.register_organisation(SUCCESSOR_KVK, "Bakkerij Nieuw BV", "Utrecht", STAFF)
    app = register.submit_application(
        SUCCESSOR_KVK, trede_2_declaration(), "kiwa", dt.date(2025, 3, 31), STAFF
    ).application_id
    register.file_audit_report(app, dt.date(2025, 3, 31), Level.TREDE_2, "ok", AUDITOR)
    register.decide_application(app, dt.date(2025, 3, 31), STAFF)
    register.link_successor(MAIN_KVK, SUCCESSOR_KVK, dt.date(2025, 6, 1), STAFF)
    register.close()
    settings = Settings(database_url=database_url, scheduler=False, rate_limit_per_minute=0)
    with TestClient(create_app(settings, clock=SimulatedClock(s.clock.now()))) as client:
        client.app.state.backend.runner.catch_up()  # type: ignore[attr-defined]
        yield client


def test_the_answers_name_successor_and_predecessor_with_the_day(taken_over: TestClient) -> None:
    """Each side of the takeover points at the other, from 1 June 2025."""
    old = taken_over.get(f"/api/v1/organisations/{MAIN_KVK}").json()
    new = taken_over.get(f"/api/v1/organisations/{SUCCESSOR_KVK}").json()
    assert old["successor"] == {"kvk": SUCCESSOR_KVK, "name": "Bakkerij Nieuw BV",
                                "since": "2025-06-01"}  # fmt: skip
    assert old["predecessor"] is None
    assert new["predecessor"] == {"kvk": MAIN_KVK, "name": "Bakkerij De Korf",
                                  "since": "2025-06-01"}  # fmt: skip
    assert new["successor"] is None


def test_the_organisation_page_says_who_continued_it_with_a_link(taken_over: TestClient) -> None:
    """The page of the old organisation says so in one sentence and links the new one."""
    page = taken_over.get(f"/o/{MAIN_KVK}")
    assert page.status_code == 200
    assert "Voortgezet door" in page.text
    assert f'<a href="/o/{SUCCESSOR_KVK}">Bakkerij Nieuw BV</a>' in page.text
    assert "per 1 juni 2025" in page.text
    english = taken_over.get(f"/o/{SUCCESSOR_KVK}?lang=en")
    assert "Continues" in english.text
    assert "from 1 June 2025" in english.text


def test_a_successor_never_certified_is_not_named(database_url: str) -> None:
    """A successor that only registered stays out of the public answer."""
    s = scenario(event_store_env(database_url))
    s.certified()
    s.register.register_organisation(UNCERTIFIED_KVK, "Nog Geen BV", "Ede", STAFF)
    s.register.link_successor(MAIN_KVK, UNCERTIFIED_KVK, dt.date(2025, 6, 1), STAFF)
    s.register.close()
    settings = Settings(database_url=database_url, scheduler=False, rate_limit_per_minute=0)
    with TestClient(create_app(settings, clock=SimulatedClock(s.clock.now()))) as client:
        client.app.state.backend.runner.catch_up()  # type: ignore[attr-defined]
        answer = client.get(f"/api/v1/organisations/{MAIN_KVK}").json()
        page = client.get(f"/o/{MAIN_KVK}").text
    assert answer["successor"] is None
    assert "Nog Geen BV" not in page
    assert UNCERTIFIED_KVK not in page
