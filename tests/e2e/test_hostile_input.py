"""Input that once stopped the register, sent again through HTTP: each is refused by name (422)
with nothing written, or accepted and followed by every read model (SQLite and PostgreSQL).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from domain.clock import business_date
from tests.scenarios import trede_2_declaration
from tests.staff_client import Api, certified, ok

ORGANISATION = {"kvk": "12345678", "name": "Voorbeeld BV", "place": "Utrecht", "subsidiaries": []}


def head(api: Api) -> int:
    """The last position of the event log."""
    return int(api.client.app.state.backend.runner.head())  # type: ignore[attr-defined]


def caught_up(api: Api) -> bool:
    """True when every read model reached the head of the log."""
    runner = api.client.app.state.backend.runner  # type: ignore[attr-defined]
    runner.catch_up()
    return all(position == runner.head() for position in runner.positions().values())


def refused(api: Api, path: str, body: Any, field: str, *, who: str = "staff") -> str:
    """POST, expect 422 naming the field, and check that nothing was written; the detail."""
    before = head(api)
    # sent as ASCII JSON, so a lone surrogate arrives as the escape "\ud800" a client may send
    headers = {"Authorization": f"Bearer {api.tokens[who]}", "Content-Type": "application/json"}
    content = json.dumps(body).encode()
    response = api.client.post(f"/api/v1/staff{path}", content=content, headers=headers)
    assert response.status_code == 422, response.text
    detail = str(response.json()["detail"])
    assert field in detail, detail
    assert head(api) == before
    return detail


def application(**changes: Any) -> dict[str, Any]:
    """A submission body for the organisation of ORGANISATION."""
    return {
        "kvk": "12345678",
        "submitted_on": "2025-03-03",
        "certifying_institution": "Kiwa",
        "declaration": trede_2_declaration(),
        **changes,
    }


def test_suspending_again_on_the_day_of_a_reinstatement_keeps_every_read_model_going(
    api: Api,
) -> None:
    """Suspend, reinstate and suspend again on one effective day: ordinary staff work, and the
    ladder once failed on it (a sort compared None with a date) and froze the whole register."""
    _, number = certified(api)
    for action in ("suspension", "reinstatement", "suspension"):
        body = {"effective_on": "2025-05-01", "reason": "signals from the municipality"}
        ok(api.post(f"/certificates/{number}/{action}", body))
    assert caught_up(api)
    position = "/api/v1/organisations/12345678/position"
    assert api.client.get(position, params={"on": "2025-05-01"}).json()["status"] == "suspended"
    assert api.client.get(position, params={"on": "2025-04-30"}).json()["status"] == "certified"
    assert api.client.get("/readyz").status_code == 200


def test_an_audit_report_dated_9999_12_31_is_refused_as_a_date_in_the_future(api: Api) -> None:
    """The deadlines read model once failed on it (year 10000 is out of range)."""
    ok(api.post("/organisations", ORGANISATION), 201)
    app_id = ok(api.post("/applications", application()), 201)["id"]
    report = {"audit_date": "9999-12-31", "advice": {"level": "trede_2"}}
    detail = refused(api, f"/applications/{app_id}/audit-report", report, "audit_date")
    today = business_date(dt.datetime.now(dt.UTC))
    assert f"today is {today}" in detail


@pytest.mark.parametrize("submitted_on", ["2100-01-01", "1999-12-31"])
def test_a_submission_dated_outside_the_register_is_refused(api: Api, submitted_on: str) -> None:
    """A submission in 2100 is in the future; one before 2000 precedes the register."""
    ok(api.post("/organisations", ORGANISATION), 201)
    refused(api, "/applications", application(submitted_on=submitted_on), "submitted_on")


def test_a_decision_dated_tomorrow_is_refused_and_nothing_is_written(api: Api) -> None:
    """A decision is a fact: it cannot be dated after today (Amsterdam)."""
    ok(api.post("/organisations", ORGANISATION), 201)
    app_id = ok(api.post("/applications", application()), 201)["id"]
    report = {"audit_date": "2025-03-20", "advice": {"level": "trede_2"}}
    ok(api.post(f"/applications/{app_id}/audit-report", report, who="kiwa"))
    tomorrow = business_date(dt.datetime.now(dt.UTC)) + dt.timedelta(days=1)
    decision = {"decided_on": tomorrow.isoformat(), "outcome": "granted"}
    refused(api, f"/applications/{app_id}/decision", decision, "decided_on")


@pytest.mark.parametrize(
    "name",
    [
        "Nul\x00 BV",  # PostgreSQL cannot store U+0000
        "\x1b[31mRood BV",  # an ANSI escape rewrites a terminal
        "Echt BV \u202eVB kceN",  # a right-to-left override reverses what a reader sees
        "Twee\nRegels BV",  # a name is one line
        "Surrogaat \ud800 BV",  # cannot be encoded at all
    ],
)
def test_a_name_with_control_or_bidi_characters_is_refused(api: Api, name: str) -> None:
    """Names are printable text; nothing is registered."""
    refused(api, "/organisations", {**ORGANISATION, "name": name}, "name")
    assert api.client.get("/api/v1/organisations/12345678").status_code == 404


def test_a_kvk_number_in_another_script_of_digits_is_refused(api: Api) -> None:
    """Arabic-Indic digits matched Python's \\d, so one number could be registered twice."""
    refused(api, "/organisations", {**ORGANISATION, "kvk": "٧٠٠٠٠٠٠٢"}, "kvk")
    refused(
        api,
        "/organisations",
        {**ORGANISATION, "subsidiaries": ["\uff11\uff12\uff13\uff14\uff15\uff16\uff17\uff18"]},
        "subsid",
    )
    answer = api.client.get("/api/v1/organisations/٧٠٠٠٠٠٠٢/position", params={"on": "2025-01-01"})
    assert answer.status_code == 422


@pytest.mark.parametrize(
    ("total_fte", "field"),
    [("1e999999", "total_fte"), ("1" * 60, "total_fte"), ("-1e-99999", "total_fte")],
)
def test_a_decimal_with_an_unbounded_exponent_or_length_is_refused(
    api: Api, total_fte: str, field: str
) -> None:
    """1e999999 FTE was accepted and made every later read of the application take minutes."""
    ok(api.post("/organisations", ORGANISATION), 201)
    declaration = {**trede_2_declaration(), "total_fte": total_fte}
    refused(api, "/applications", application(declaration=declaration), field)


@pytest.mark.parametrize("peiljaar", [0, 99999, -1])
def test_a_peiljaar_outside_the_years_of_the_scheme_is_refused(api: Api, peiljaar: int) -> None:
    """Peiljaar 0 or 99999 once ended in a 500 (a date in year 99999)."""
    ok(api.post("/organisations", ORGANISATION), 201)
    declaration = {**trede_2_declaration(), "peiljaar": peiljaar}
    refused(api, "/applications", application(declaration=declaration), "peiljaar")


@pytest.mark.parametrize("peiljaar", [2025, 2026])
def test_a_peiljaar_of_the_year_of_submission_or_later_is_refused(api: Api, peiljaar: int) -> None:
    """The figures are of a completed year: submitted in 2025, the peiljaar is 2024 or earlier."""
    ok(api.post("/organisations", ORGANISATION), 201)
    declaration = {**trede_2_declaration(), "peiljaar": peiljaar}
    detail = refused(api, "/applications", application(declaration=declaration), "peiljaar")
    assert "before the year of the submission (2025)" in detail


@pytest.mark.parametrize(
    ("path", "params", "field"),
    [
        ("position", {"on": "2025-01-01", "as_known_at": "0001-01-01T00:00:00+01:00"}, "as_known"),
        ("position", {"on": "2025-01-01", "as_known_at": "9999-12-31T23:59:59-01:00"}, "as_known"),
        ("position", {"on": "9999-12-31"}, "on"),
        ("position", {"on": "0"}, "on"),
        ("coverage", {"from": "2025-01-01", "to": "9999-12-31", "min_level": "trede_1"}, "to"),
        ("coverage", {"from": "0001-01-01", "to": "2025-01-01", "min_level": "trede_1"}, "from"),
    ],
)
def test_questions_about_the_ends_of_the_calendar_are_refused_by_name(
    api: Api, path: str, params: dict[str, str], field: str
) -> None:
    """Moments near year 1 or 9999 with an offset, and periods to 9999-12-31, once gave 500s."""
    response = api.client.get(f"/api/v1/organisations/12345678/{path}", params=params)
    assert response.status_code == 422, response.text
    assert field in response.json()["detail"]


def test_a_nul_in_a_search_is_refused_by_name(api: Api) -> None:
    """q=%00 once gave a 500 on PostgreSQL."""
    response = api.client.get("/api/v1/register", params={"q": "\x00"})
    assert response.status_code == 422, response.text
    assert "q:" in response.json()["detail"]


@pytest.mark.parametrize("on", [0, 20250101, "20250101", "2025-1-1"])
def test_a_verify_question_needs_an_iso_date(api: Api, on: object) -> None:
    """``"on": 0`` was read as 1 January 1970; now it is that question's own error."""
    body = {"items": [{"kvk": "12345678", "on": on, "min_level": "trede_2"}]}
    response = api.client.post("/api/v1/verify", json=body)
    assert response.status_code == 200, response.text
    (result,) = response.json()["results"]
    assert "ok" not in result
    assert result["error"]["status"] == 422
    assert [e["field"] for e in result["error"]["errors"]] == ["items.0.on"]


def test_audited_figures_keep_the_peiljaar_rule_too(api: Api) -> None:
    """The auditor's corrected declaration cannot move the peiljaar into the submission's year."""
    ok(api.post("/organisations", ORGANISATION), 201)
    app_id = ok(api.post("/applications", application()), 201)["id"]
    corrected = {**trede_2_declaration(), "peiljaar": 2025}
    report = {"audit_date": "2025-03-20", "advice": {"level": "trede_2"}, "declaration": corrected}
    refused(api, f"/applications/{app_id}/audit-report", report, "peiljaar", who="kiwa")
