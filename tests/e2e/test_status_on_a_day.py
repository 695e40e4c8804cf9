"""Status is always on a day: a withdrawal recorded today for a later day is scheduled; it shows
from that day at midnight in Amsterdam in every public answer, and the change feed publishes it
once, on that day. Expiry, too, takes effect at midnight, before any sweep (SQLite and PostgreSQL).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from domain.clock import SimulatedClock
from projections.queries import SEAL_GRACE
from tests.scenarios import trede_2_declaration
from tests.staff_client import Api, ok

KVK = "12345678"
#: 1 December 2026, 11:00 in Amsterdam
START = dt.datetime(2026, 12, 1, 10, tzinfo=dt.UTC)


@pytest.fixture
def clocked(database_url: str) -> Iterator[tuple[Api, SimulatedClock]]:
    """The app on an empty register with a clock the test moves; no scheduler."""
    clock = SimulatedClock(START)
    settings = Settings(database_url=database_url, scheduler=False, rate_limit_per_minute=0)
    with TestClient(create_app(settings, clock=clock)) as client:
        yield Api(client), clock


def certify(api: Api) -> str:
    """Trede 2 decided on 20 November 2026 (valid to 19 November 2028)."""
    organisation = {"kvk": KVK, "name": "Voorbeeld BV", "place": "Utrecht"}
    ok(api.post("/organisations", organisation), 201)
    body = {"kvk": KVK, "submitted_on": "2026-11-02", "certifying_institution": "Kiwa",
            "declaration": {**trede_2_declaration(), "peiljaar": 2025}}  # fmt: skip
    app_id = ok(api.post("/applications", body), 201)["id"]
    report = {"audit_date": "2026-11-10", "advice": {"level": "trede_2"}}
    ok(api.post(f"/applications/{app_id}/audit-report", report))
    decision = {"decided_on": "2026-11-20", "outcome": "granted"}
    number: str = ok(api.post(f"/applications/{app_id}/decision", decision))["certificate_number"]
    return number


def seen(api: Api, number: str) -> dict[str, Any]:
    """What every public answer says today about the organisation and its certificate."""
    client = api.client
    today = client.get(f"/api/v1/certificates/{number}").json()
    organisation = client.get(f"/api/v1/organisations/{KVK}").json()
    search = client.get("/api/v1/register", params={"q": KVK}).json()["items"]
    exported = list(csv.DictReader(io.StringIO(client.get("/api/v1/register.csv").text)))
    lines = client.get("/api/v1/register.jsonl").text.splitlines()
    verify = client.post("/api/v1/verify", json={"items": [
        {"kvk": KVK, "on": today["on"], "min_level": "trede_2"}]}).json()  # fmt: skip
    position = client.get(f"/api/v1/organisations/{KVK}/position", params={"on": today["on"]})
    return {
        "certificate": today["status"],
        "organisation": organisation["status"],
        "organisation position": organisation["position"]["status"],
        "search": [item["status"] for item in search],
        "csv": [row["status"] for row in exported],
        "jsonl": len(lines),
        "verify": verify["results"][0]["ok"],
        "position": position.json()["status"],
    }


def feed(api: Api, after: int = 0) -> list[dict[str, Any]]:
    """The change feed after a cursor."""
    items: list[dict[str, Any]] = api.client.get("/api/v1/changes", params={"after": after}).json()[
        "items"
    ]
    return items


def test_a_scheduled_withdrawal_shows_from_its_day_at_midnight_amsterdam(
    clocked: tuple[Api, SimulatedClock],
) -> None:
    """Withdrawn with effect from 15 January 2027: active until 23:59:59 on the 14th, withdrawn
    from 00:00, published in the feed once, that day (a minute after midnight); cursors seen before
    stay valid."""
    api, clock = clocked
    number = certify(api)
    body = {"effective_on": "2027-01-15", "reason": "the organisation stops its activities"}
    ok(api.post(f"/certificates/{number}/withdrawal", body))
    active = {"certificate": "active", "organisation": "active",
              "organisation position": "certified", "search": ["active"], "csv": ["active"],
              "jsonl": 1, "verify": True, "position": "certified"}  # fmt: skip
    assert seen(api, number) == active
    history = api.client.get(f"/api/v1/certificates/{number}").json()["history"]
    assert [(h["change"], h["scheduled"]) for h in history] == [
        ("issued", False),
        ("withdrawn", True),
    ]
    before = feed(api)
    assert [c["change"] for c in before] == ["issued"]
    cursor = before[-1]["cursor"]

    clock.advance(dt.datetime(2027, 1, 14, 22, 59, 59, tzinfo=dt.UTC) - clock.now())
    assert seen(api, number) == active  # 23:59:59 on 14 January in Amsterdam
    assert feed(api, cursor) == []

    clock.advance(dt.timedelta(seconds=1))  # midnight in Amsterdam: 15 January
    withdrawn = {**active, "certificate": "withdrawn", "organisation": "withdrawn",
                 "organisation position": "withdrawn", "search": ["withdrawn"],
                 "csv": ["withdrawn"], "verify": False, "position": "withdrawn"}  # fmt: skip
    assert seen(api, number) == withdrawn
    assert feed(api, cursor) == []  # the feed waits a minute for commands recorded before midnight
    clock.advance(SEAL_GRACE)
    published = feed(api, cursor)
    assert [(c["change"], c["published_on"]) for c in published] == [("withdrawn", "2027-01-15")]
    assert published[0]["cursor"] > cursor
    assert [c["change"] for c in feed(api)] == ["issued", "withdrawn"]
    history = api.client.get(f"/api/v1/certificates/{number}").json()["history"]
    assert [h["scheduled"] for h in history] == [False, False]


def test_a_certificate_expires_at_midnight_after_its_last_valid_day_before_any_sweep(
    clocked: tuple[Api, SimulatedClock],
) -> None:
    """Valid up to and including 19 November 2028: expired from 00:00 on the 20th, although no
    sweep has recorded the expiry yet."""
    api, clock = clocked
    number = certify(api)
    clock.advance(dt.datetime(2028, 11, 19, 22, 59, 59, tzinfo=dt.UTC) - clock.now())
    assert api.client.get(f"/api/v1/certificates/{number}").json()["status"] == "active"
    clock.advance(dt.timedelta(seconds=1))
    expired = api.client.get(f"/api/v1/certificates/{number}").json()
    assert (expired["status"], expired["on"]) == ("expired", "2028-11-20")
    organisation = api.client.get(f"/api/v1/organisations/{KVK}").json()
    assert (organisation["status"], organisation["level"]) == ("expired", None)


def test_an_organisation_asked_about_a_day_before_its_first_certificate_is_not_yet_certified(
    clocked: tuple[Api, SimulatedClock],
) -> None:
    """Certified from 20 November 2026; asked about 1 October: the organisation is public (it holds
    a certificate), its position that day is not yet certified, and search that day omits it."""
    api, _ = clocked
    certify(api)
    before = api.client.get(f"/api/v1/organisations/{KVK}", params={"on": "2026-10-01"})
    assert before.status_code == 200, before.text
    body = before.json()
    assert (body["status"], body["level"], body["certificate_number"]) == (None, None, None)
    assert body["position"]["status"] == "not_yet_certified"
    assert [c["status"] for c in body["certificates"]] == ["not_yet_valid"]
    search = api.client.get("/api/v1/register", params={"q": KVK, "on": "2026-10-01"}).json()
    assert search["items"] == []
