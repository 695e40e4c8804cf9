"""The staff timeline and the dispute report through HTTP show the whole story: the objection
through both stages and the contribution, beside the organisation, application and certificate."""

from __future__ import annotations

from typing import Any

from tests.staff_client import Api, certified, ok

OBJECTION_TOPICS = [
    "pso.objection.Filed.v1",
    "pso.objection.BoardAnswered.v1",
    "pso.objection.EscalatedToCommittee.v1",
    "pso.objection.CommitteeDecided.v1",
]
CONTRIBUTION_TOPICS = ["pso.participation.Started.v1", "pso.participation.Invoiced.v1"]


def objected_through_both_stages_and_paid(api: Api) -> str:
    """A certificate whose decision was objected to up to the committee, and whose year 1 was
    paid; its number."""
    _, number = certified(api)
    filed = {"certificate_number": number, "filed_on": "2025-04-10", "grounds": "trede 2 it is"}
    objection = ok(api.post("/objections", filed), 201)["id"]
    board = {"decided_on": "2025-04-20", "outcome": "rejected", "reason": "trede 1 stands"}
    ok(api.post(f"/objections/{objection}/board-decision", board))
    ok(api.post(f"/objections/{objection}/escalation", {"filed_on": "2025-05-01"}))
    committee = {"decided_on": "2025-05-20", "outcome": "rejected", "reason": "board was right"}
    ok(api.post(f"/objections/{objection}/committee-decision", committee))
    ok(api.post(f"/contributions/{number}-1/payment", {"paid_on": "2025-04-05", "amount": "1500"}))
    return number


def events(timeline: list[dict[str, Any]], prefix: str) -> list[str]:
    """The event topics of the timeline that start with a prefix, in timeline order."""
    return [t["event"] for t in timeline if t["event"].startswith(prefix)]


def test_the_timeline_lists_the_objection_stages_and_the_contribution_in_recorded_order(
    api: Api,
) -> None:
    """Each with its effective dates, actor and reason; positions increase with recorded time."""
    objected_through_both_stages_and_paid(api)
    timeline = ok(api.get("/organisations/12345678/timeline"))
    assert events(timeline, "pso.objection.") == OBJECTION_TOPICS
    assert events(timeline, "pso.participation.") == [
        *CONTRIBUTION_TOPICS,
        "pso.participation.Paid.v1",
    ]
    assert events(timeline, "pso.kvk_index.") == ["pso.kvk_index.Claimed.v1"]
    committee = next(t for t in timeline if t["event"] == OBJECTION_TOPICS[-1])
    assert committee["effective_dates"] == {"decision_date": "2025-05-20"}
    assert (committee["actor_id"], committee["reason"]) == ("anna", "board was right")
    order = [(t["recorded_at"], t["position"]) for t in timeline]
    assert order == sorted(order)
    assert len({t["position"] for t in timeline}) == len(timeline)


def test_the_dispute_report_in_json_and_html_shows_the_objection_and_contribution_events(
    api: Api,
) -> None:
    """The printable page tells the same events as the JSON report in plain Dutch, with their
    dates, and shows no topic, id or raw dict."""
    objected_through_both_stages_and_paid(api)
    report = ok(api.get("/organisations/12345678/dispute-report", on="2025-06-01"))
    assert events(report["timeline"], "pso.objection.") == OBJECTION_TOPICS
    assert events(report["timeline"], "pso.participation.")[:2] == CONTRIBUTION_TOPICS
    assert report["timeline"] == ok(api.get("/organisations/12345678/timeline"))
    page = api.get("/organisations/12345678/dispute-report", on="2025-06-01", format="html")
    assert page.status_code == 200
    assert page.headers["content-language"] == "nl"
    told = [
        "Er is bezwaar gemaakt tegen het besluit.",
        "Het bestuur heeft op het bezwaar beslist.",
        "Het bezwaar is voorgelegd aan de bezwaarcommissie.",
        "De bezwaarcommissie heeft beslist.",
        "De jaarbijdrage voor het certificaat is gestart.",
        "Een jaarbijdrage is gefactureerd.",
        "Een jaarbijdrage is betaald.",
    ]
    for sentence in told:
        assert sentence in page.text
    assert (
        page.text.count("<tr")
        == len(report["timeline"]) + len(report["what_the_register_said"]) + 2
    )  # the two header rows
    assert "Besluitdatum:</span> 20 mei 2025" in page.text
    assert "board was right" in page.text
    assert "pso." not in page.text
    assert "{&#39;" not in page.text
    assert "None" not in page.text
