"""The register publishes who holds or held a certificate, never who applied: every public route
answers for a registered organisation that was never decided exactly as for a KvK number the
register has never seen (SQLite and PostgreSQL)."""

from __future__ import annotations

from typing import Any

from tests.scenarios import trede_2_declaration
from tests.staff_client import Api, certified, ok

APPLIED, UNKNOWN = "23456789", "34567890"


def public_answers(api: Api, kvk: str) -> list[tuple[int, Any]]:
    """Status and body of every public route that takes a KvK number, with the number itself
    replaced, so two numbers can be compared."""
    client = api.client
    answers = [
        client.get(f"/api/v1/organisations/{kvk}"),
        client.get(f"/api/v1/organisations/{kvk}/position", params={"on": "2025-06-01"}),
        client.get(
            f"/api/v1/organisations/{kvk}/coverage",
            params={"from": "2025-01-01", "to": "2025-12-31", "min_level": "trede_1"},
        ),
        client.post("/api/v1/verify", json={"items": [{"kvk": kvk, "on": "2025-06-01"}]}),
        client.get("/api/v1/register", params={"q": kvk}),
        client.get("/api/v1/register", params={"q": "Aanvrager"}),
    ]
    return [(r.status_code, r.text.replace(kvk, "<kvk>")) for r in answers]


def test_a_registered_but_undecided_kvk_is_indistinguishable_from_an_unknown_one(
    api: Api,
) -> None:
    """An organisation with a submitted and audited application, but no decision."""
    certified(api)  # someone else is certified, so the register is not empty
    ok(api.post("/organisations", {"kvk": APPLIED, "name": "Aanvrager BV", "place": "Ede"}), 201)
    body = {"kvk": APPLIED, "submitted_on": "2025-03-03", "certifying_institution": "Kiwa",
            "declaration": trede_2_declaration()}  # fmt: skip
    app_id = ok(api.post("/applications", body), 201)["id"]
    report = {"audit_date": "2025-03-20", "advice": {"level": "trede_2"}}
    ok(api.post(f"/applications/{app_id}/audit-report", report, who="kiwa"))
    assert public_answers(api, APPLIED) == public_answers(api, UNKNOWN)
    exported = (
        api.client.get("/api/v1/register.csv").text + api.client.get("/api/v1/register.jsonl").text
    )
    assert APPLIED not in exported
    assert "Aanvrager" not in exported
    assert "Aanvrager" not in api.client.get("/api/v1/changes").text
