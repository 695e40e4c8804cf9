"""The staff and CI API through HTTP: a full lifecycle, idempotency, and who may do what."""

from __future__ import annotations

import pytest

from tests.scenarios import trede_2_declaration
from tests.staff_client import Api, certified, ok
from tests.unit.norms.builders import declaration_doc, person


def test_a_full_lifecycle_with_a_backdated_withdrawal_and_an_objection(api: Api) -> None:
    """Granted trede 1 below the supported trede 2; objection revises it; withdrawal backdated."""
    _, number = certified(api)
    public = api.client.get("/api/v1/certificates/" + number).json()
    assert public["level"] == "trede_1"
    objection = ok(
        api.post(
            "/objections",
            {
                "certificate_number": number,
                "filed_on": "2025-04-10",
                "grounds": "the figures support trede 2",
            },
        ),
        201,
    )
    revised = ok(
        api.post(
            f"/objections/{objection['id']}/board-decision",
            {
                "decided_on": "2025-05-01",
                "outcome": "revised",
                "level": "trede_2",
                "reason": "agreed",
            },
        )
    )
    assert revised["certificate_number"] == number
    assert api.client.get("/api/v1/certificates/" + number).json()["level"] == "trede_2"
    ok(
        api.post(
            f"/certificates/{number}/withdrawal",
            {"effective_on": "2025-06-01", "reason": "false declaration"},
        )
    )
    position = "/api/v1/organisations/12345678/position"
    assert api.client.get(position, params={"on": "2025-07-01"}).json()["status"] == "withdrawn"
    timeline = ok(api.get("/organisations/12345678/timeline"))
    assert timeline[-1]["event"] == "pso.certificate.Withdrawn.v1"
    assert timeline[-1]["actor_id"] == "anna"
    report = ok(api.get("/organisations/12345678/dispute-report", on="2025-07-01"))
    assert report["now"]["status"] == "withdrawn"
    assert [s["status"] for s in report["what_the_register_said"]][-2:] == [
        "certified",
        "withdrawn",
    ]
    page = api.get("/organisations/12345678/dispute-report", on="2025-07-01", format="html")
    assert page.headers["content-type"].startswith("text/html")
    assert "Geschillenrapport" in page.text  # Dutch first; ?lang=en gives "Dispute report"
    assert "Het certificaat is ingetrokken." in page.text


def test_payments_worklist_and_a_retried_command_with_an_idempotency_key(api: Api) -> None:
    """A payment of the invoiced amount; the worklist; one organisation for two identical POSTs."""
    _, number = certified(api)
    unpaid = ok(api.get("/contributions", unpaid="true"))
    assert [(c["id"], c["amount"]) for c in unpaid] == [(f"{number}/1", "1500.00")]
    wrong = api.post(
        f"/contributions/{number}-1/payment", {"paid_on": "2025-04-05", "amount": "1000"}
    )
    assert wrong.status_code == 422
    ok(
        api.post(
            f"/contributions/{number}-1/payment", {"paid_on": "2025-04-05", "amount": "1500.00"}
        )
    )
    assert ok(api.get("/contributions", unpaid="true")) == []
    assert "statistics" in ok(api.get("/worklist"))
    body = {"kvk": "55556666", "name": "Twee Keer BV", "place": "Ede", "subsidiaries": []}
    first = ok(api.post("/organisations", body, **{"Idempotency-Key": "k-1"}), 201)
    again = ok(api.post("/organisations", body, **{"Idempotency-Key": "k-1"}), 201)
    assert first == again
    other = api.post("/organisations", {**body, "name": "Anders"}, **{"Idempotency-Key": "k-1"})
    assert other.status_code == 409
    assert api.post("/organisations", body).status_code == 409  # registered already


def test_bad_input_is_422_naming_the_field_and_conflicts_are_409(api: Api) -> None:
    """Malformed KvK, a bad declaration, a decision before the audit report."""
    bad = api.post("/organisations", {"kvk": "123", "name": "X", "place": "Y"})
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "kvk"
    ok(api.post("/organisations", {"kvk": "12345678", "name": "X", "place": "Y"}), 201)
    declaration = declaration_doc("10", [person("A", "-1")])
    refused = api.post(
        "/applications",
        {
            "kvk": "12345678",
            "submitted_on": "2025-03-03",
            "certifying_institution": "Kiwa",
            "declaration": declaration,
        },
    )
    assert refused.status_code == 422
    assert "persons[0].fte" in refused.json()["detail"]
    application = ok(
        api.post(
            "/applications",
            {
                "kvk": "12345678",
                "submitted_on": "2025-03-03",
                "certifying_institution": "Kiwa",
                "declaration": trede_2_declaration(),
            },
        ),
        201,
    )
    early = api.post(
        f"/applications/{application['id']}/decision",
        {"decided_on": "2025-03-31", "outcome": "granted"},
    )
    assert early.status_code == 409
    assert "no audit report" in early.json()["detail"]


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("post", "/organisations", {"admin", "staff"}),
        ("post", "/organisations/12345678/successor", {"admin", "staff"}),
        ("post", "/applications", {"admin", "staff"}),
        ("post", "/applications/{app}/audit-plan-objection", {"admin", "staff"}),
        ("post", "/applications/{app}/audit-report", {"admin", "staff", "kiwa"}),
        ("post", "/applications/{app}/decision", {"admin", "staff"}),
        ("post", "/applications/{app}/cancellation", {"admin", "staff"}),
        ("post", "/certificates/PSO-2025-000001/suspension", {"admin", "staff"}),
        ("post", "/certificates/PSO-2025-000001/reinstatement", {"admin", "staff"}),
        ("post", "/certificates/PSO-2025-000001/withdrawal", {"admin", "staff"}),
        ("post", "/objections", {"admin", "staff"}),
        ("post", "/objections/{objection}/board-decision", {"admin", "staff"}),
        ("post", "/objections/{objection}/escalation", {"admin", "staff"}),
        ("post", "/objections/{objection}/committee-decision", {"admin", "staff"}),
        ("post", "/contributions/PSO-2025-000001-1/payment", {"admin", "staff"}),
        ("post", "/norms", {"admin"}),
        ("get", "/applications", {"admin", "staff", "kiwa", "dnv"}),
        ("get", "/applications/{app}", {"admin", "staff", "kiwa"}),
        ("get", "/contributions", {"admin", "staff"}),
        ("get", "/worklist", {"admin", "staff", "kiwa", "dnv"}),  # filtered by CI
        ("get", "/organisations/12345678/timeline", {"admin", "staff"}),
        ("get", "/organisations/12345678/dispute-report?on=2025-07-01", {"admin", "staff"}),
    ],
)
def test_authorisation_matrix(api: Api, method: str, path: str, allowed: set[str]) -> None:
    """No token: 401; wrong role or another CI's auditor: 403; an allowed role gets exactly the
    route's own answer: 200 for a read, and for a command sent an empty body 422 invalid-input
    (invalid-document for a handbook document): it passed the gate and reached validation, and
    nothing is written."""
    app_id, _ = certified(api)
    objection = "00000000-0000-0000-0000-000000000000"
    url, _, query = path.format(app=app_id, objection=objection).partition("?")
    params = dict(part.split("=", 1) for part in query.split("&") if part)
    for who in ("", "admin", "staff", "kiwa", "dnv"):
        if method == "post":
            response = api.post(url, {}, who=who)
        else:
            response = api.get(url, who=who, **params)
        if who == "":
            assert response.status_code == 401, (url, response.text)
        elif who in allowed and method == "get":
            assert response.status_code == 200, (who, url, response.text)
        elif who in allowed:
            assert response.status_code == 422, (who, url, response.text)
            kind = "/invalid-document" if url == "/norms" else "/invalid-input"
            assert response.json()["type"].endswith(kind), (who, url, response.text)
        else:
            assert response.status_code == 403, (who, url, response.text)


def test_if_match_refuses_a_change_to_a_certificate_changed_since_it_was_read(api: Api) -> None:
    """Read the ETag, someone suspends, the withdrawal with the old ETag gets 412."""
    _, number = certified(api)
    etag = api.client.get(f"/api/v1/certificates/{number}").headers["etag"]
    change = {"effective_on": "2025-05-01", "reason": "checks"}
    ok(api.post(f"/certificates/{number}/suspension", change, **{"If-Match": etag}))
    stale = api.post(f"/certificates/{number}/withdrawal", change, **{"If-Match": etag})
    assert stale.status_code == 412
    assert stale.json()["type"].endswith("/precondition-failed")


def test_a_retried_conditional_change_answers_its_first_result(api: Api) -> None:
    """A suspension with If-Match and an Idempotency-Key, retried as sent (a client that timed
    out): the first answer again, not 412 for the change the first request made."""
    _, number = certified(api)
    etag = api.client.get(f"/api/v1/certificates/{number}").headers["etag"]
    change = {"effective_on": "2025-05-01", "reason": "checks"}
    headers = {"If-Match": etag, "Idempotency-Key": "suspend-once"}
    first = ok(api.post(f"/certificates/{number}/suspension", change, **headers))
    assert ok(api.post(f"/certificates/{number}/suspension", change, **headers)) == first
    other = {"If-Match": etag, "Idempotency-Key": "another-key"}
    assert api.post(f"/certificates/{number}/suspension", change, **other).status_code == 412


def test_a_revoked_or_wrong_token_is_401(api: Api) -> None:
    """A made-up token and a revoked one are both refused."""
    api.client.app.state.users.revoke("anna")  # type: ignore[attr-defined]
    assert api.get("/worklist").status_code == 401
    wrong = api.client.get("/api/v1/staff/worklist", headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401
    assert wrong.headers["www-authenticate"] == "Bearer"


def test_a_published_handbook_version_is_listed_by_the_public_norms_route(api: Api) -> None:
    """An admin publishes 2.2; GET /api/v1/norms lists it with its date in force."""
    document = dict(api.client.get("/api/v1/norms/2.1").json())
    document.pop("provisional_values")
    document["version"] = "2.2"
    document["effective_from"] = {"value": "2099-04-01", "provisional": "announced"}
    ok(api.post("/norms", document, who="admin"), 201)
    listed = {v["version"]: v["effective_from"] for v in api.client.get("/api/v1/norms").json()}
    assert listed["2.2"] == "2099-04-01"
