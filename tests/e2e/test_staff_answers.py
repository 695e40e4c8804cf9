"""What the staff API answers, field by field: each command its role-named result, each read only
its documented fields (no read-model bookkeeping), and recorded moments written as the public API
writes them."""

from __future__ import annotations

import uuid

from tests.scenarios import trede_2_declaration
from tests.staff_client import Api, certified, ok

SUBMISSION = {
    "kvk": "34567890",
    "submitted_on": "2025-03-03",
    "certifying_institution": "TÜV Rheinland",
    "declaration": trede_2_declaration(),
}


def test_each_command_answers_what_it_did(api: Api) -> None:
    """Registration, submission, report, decision (granted and refused), cancellation, audit-plan
    objection and successor: each answer names exactly its fields, with the values recorded."""
    body = {"kvk": "34567890", "name": "De Linde BV", "place": "Amersfoort",
            "subsidiaries": ["34567891"]}  # fmt: skip
    registered = ok(api.post("/organisations", body), 201)
    assert registered == {
        "organisation_id": registered["organisation_id"],
        "kvk": "34567890",
        "covered_kvks": ["34567890", "34567891"],
    }
    assert uuid.UUID(registered["organisation_id"])
    submitted = ok(api.post("/applications", {**SUBMISSION, "requested_level": "trede_2"}), 201)
    assert set(submitted) == {"id", "handbook_version", "requested_level", "provisional_assessment"}
    assert (submitted["handbook_version"], submitted["requested_level"]) == ("2.1", "trede_2")
    assessment = submitted["provisional_assessment"]
    assert (assessment["level"], assessment["handbook_version"]) == ("trede_2", "2.1")
    assert [check["level"] for check in assessment["levels"]] == [
        "basistrede", "trede_1", "trede_2", "trede_3"
    ]  # fmt: skip
    app_id = submitted["id"]
    objected = {"objected_on": "2025-03-05", "reason": "de auditor was eerder adviseur"}
    assert ok(api.post(f"/applications/{app_id}/audit-plan-objection", objected)) == {
        "id": app_id,
        "audit_plan_objection": "2025-03-05",
    }
    cancelled = {"cancelled_on": "2025-03-10", "reason": "opnieuw na de fusie"}
    assert ok(api.post(f"/applications/{app_id}/cancellation", cancelled)) == {
        "id": app_id,
        "state": "cancelled",
    }
    again = ok(api.post("/applications", SUBMISSION), 201)
    report = {"audit_date": "2025-03-20", "advice": {"level": None}}
    assert ok(api.post(f"/applications/{again['id']}/audit-report", report)) == {
        "id": again["id"],
        "state": "reported",
    }
    refused = {"decided_on": "2025-03-31", "outcome": "refused", "reason": "geen opgave"}
    assert ok(api.post(f"/applications/{again['id']}/decision", refused)) == {
        "id": again["id"],
        "outcome": "refused",
        "certificate_number": None,
        "level": None,
        "pso30plus": None,
        "valid_from": None,
        "valid_until": None,
    }
    successor = {"successor_kvk": "34567891", "effective_on": "2025-04-01"}
    ok(api.post("/organisations", {"kvk": "45678901", "name": "Opvolger BV", "place": "Ede"}), 201)
    linked = ok(api.post("/organisations/45678901/successor", successor))
    assert linked == {"kvk": "45678901", "successor_kvk": "34567891", "effective_on": "2025-04-01"}


def test_a_granted_decision_and_an_objection_answer_the_certificate_they_concern(
    api: Api,
) -> None:
    """The decision its certificate's number, level, 30+ and validity (the same again for a
    retry under its key); the objection its id and application; each stage its outcome and,
    when it revised the level, the certificate."""
    ok(api.post("/organisations", {"kvk": "34567890", "name": "De Linde BV", "place": "Ede"}), 201)
    app_id = ok(api.post("/applications", SUBMISSION), 201)["id"]
    report = {"audit_date": "2025-03-20", "advice": {"level": "trede_2"}}
    ok(api.post(f"/applications/{app_id}/audit-report", report))
    decision = {"decided_on": "2025-03-31", "outcome": "granted", "level": "trede_1",
                "reason": "ontwikkelgesprekken summier"}  # fmt: skip
    decided = ok(api.post(f"/applications/{app_id}/decision", decision, **{"Idempotency-Key": "d"}))
    number = decided["certificate_number"]
    assert decided == {
        "id": app_id,
        "outcome": "granted",
        "certificate_number": number,
        "level": "trede_1",
        "pso30plus": False,
        "valid_from": "2025-03-31",
        "valid_until": "2027-03-30",
    }
    assert number.startswith("PSO-2025-")
    retried = api.post(f"/applications/{app_id}/decision", decision, **{"Idempotency-Key": "d"})
    assert ok(retried) == decided
    filed = ok(
        api.post(
            "/objections",
            {"certificate_number": number, "filed_on": "2025-04-10", "grounds": "trede 2"},
        ),
        201,
    )
    assert filed == {"id": filed["id"], "application_id": app_id}
    objection = filed["id"]
    board = {"decided_on": "2025-04-20", "outcome": "rejected", "reason": "trede 1 staat"}
    assert ok(api.post(f"/objections/{objection}/board-decision", board)) == {
        "id": objection,
        "outcome": "rejected",
        "certificate_number": None,
    }
    assert ok(api.post(f"/objections/{objection}/escalation", {"filed_on": "2025-05-01"})) == {
        "id": objection,
        "stage": "committee",
    }
    committee = {"decided_on": "2025-05-20", "outcome": "revised", "level": "trede_2",
                 "reason": "de commissie ziet trede 2"}  # fmt: skip
    assert ok(api.post(f"/objections/{objection}/committee-decision", committee)) == {
        "id": objection,
        "outcome": "revised",
        "certificate_number": number,
    }


def test_the_reads_answer_their_documented_fields_and_no_read_model_bookkeeping(
    api: Api,
) -> None:
    """An application in the list (no log position), in full (findings, advice, assessment), a
    contribution year and the worklist's lists, each with the values recorded."""
    app_id, number = certified(api)
    [listed] = ok(api.get("/applications"))
    assert listed == {
        "application_id": app_id,
        "organisation_id": listed["organisation_id"],
        "ci": "kiwa",
        "state": "granted",
        "handbook_version": "2.1",
        "submission_date": "2025-03-03",
        "audit_date": "2025-03-20",
        "decision_date": "2025-03-31",
        "decision_due_by": listed["decision_due_by"],
        "decided_late": False,
        "late_reason": None,
        "late": False,
    }
    detail = ok(api.get(f"/applications/{app_id}"))
    assert {k: v for k, v in detail.items() if k != "assessment"} == {
        "id": app_id,
        "state": "granted",
        "ci": "kiwa",
        "handbook_version": "2.1",
        "submission_date": "2025-03-03",
        "audit_date": "2025-03-20",
        "decision_date": "2025-03-31",
        "findings": ["begeleiding: met - files ok"],
        "advice": {"level": "trede_2", "pso30plus": False},
    }
    assert detail["assessment"]["level"] == "trede_2"
    year = {"id": f"{number}/1", "certificate_number": number, "year": 1, "amount": "1500.00",
            "due_date": "2025-04-30", "paid_on": None, "overdue": False}  # fmt: skip
    assert ok(api.get("/contributions")) == [year]
    worklist = ok(api.get("/worklist"))
    assert worklist["unpaid_contributions"] == [year]
    assert (worklist["applications_awaiting_decision"], worklist["decisions_late"]) == ([], [])
    assert worklist["statistics"]["issued_per_year"] == {"2025": 1}
    assert (worklist["failed_read_models"], worklist["messages_needing_attention"]) == ([], [])


def test_timeline_and_dispute_report_say_what_the_public_position_says(api: Api) -> None:
    """The report's position now is the public position of that day, to the letter, and every
    recorded moment is written as the public API writes it (ISO-8601 with +00:00)."""
    _, number = certified(api)
    change = {"effective_on": "2025-06-01", "reason": "onderzoek"}
    suspended = ok(api.post(f"/certificates/{number}/suspension", change))
    assert suspended == {
        "certificate_number": number,
        "status": "suspended",
        "effective_on": "2025-06-01",
    }
    report = ok(api.get("/organisations/12345678/dispute-report", on="2025-07-01"))
    assert set(report) == {"kvk", "on", "now", "what_the_register_said", "timeline"}
    public = api.client.get("/api/v1/organisations/12345678/position", params={"on": "2025-07-01"})
    assert report["now"] == public.json()
    assert report["now"]["recorded_at"].endswith("+00:00")
    moments = [s["as_known_at"] for s in report["what_the_register_said"]]
    moments += [t["recorded_at"] for t in report["timeline"]]
    assert all(moment.endswith("+00:00") for moment in moments), moments
    [suspension] = [t for t in report["timeline"] if t["event"] == "pso.certificate.Suspended.v1"]
    assert (suspension["effective_dates"], suspension["reason"]) == (
        {"effective_date": "2025-06-01"},
        "onderzoek",
    )


def test_health_answers_as_documented(api: Api) -> None:
    """Liveness is a bare ok; readiness names the head, each read model's lag and the write."""
    assert ok(api.client.get("/healthz")) == {"status": "ok"}
    ready = ok(api.client.get("/readyz"))
    assert set(ready) == {"head", "lag", "database_writable", "status"}
    assert (ready["status"], ready["database_writable"]) == ("ready", True)
    assert set(ready["lag"].values()) == {0}
