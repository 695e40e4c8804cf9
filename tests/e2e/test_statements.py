"""Statements through HTTP on SQLite and PostgreSQL: made from the public answers, signed,
recorded, read back byte for byte, unchanged by later changes to the register, verifiable with
the listed keys after a rotation; refused as the public questions are."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from api.statement_schemas import KeysPublic, StatementPublic
from domain.clock import SimulatedClock
from domain.register import Register
from domain.signatures import SigningKey, b64encode, keys_of, verify
from tests.projection_support import populate
from tests.scenarios import STAFF, trede_2_declaration
from tests.staff_client import Api, ok, problem_of

KEY = SigningKey.from_raw(bytes(range(32)))
ROTATED = SigningKey.from_raw(bytes(range(32, 64)))
APPLIED = "29000000"  # applied, never decided: not in the public register
#: what a statement holds, and nothing else
CONTENT = {"format", "id", "issued_at", "kind", "question", "organisation", "answer",
           "certificates"}  # fmt: skip


@contextmanager
def serving(
    url: str, clock: SimulatedClock, key: SigningKey | None = KEY, rate_limit: int = 0
) -> Iterator[TestClient]:
    """The app over ``url`` on ``clock``, signing with ``key``; read models caught up."""
    signing = None if key is None else b64encode(key.private_bytes())
    settings = Settings(
        database_url=url, scheduler=False, rate_limit_per_minute=rate_limit, statement_key=signing
    )
    with TestClient(create_app(settings, clock=clock)) as client:
        client.app.state.backend.runner.catch_up()  # type: ignore[attr-defined]
        yield client


@pytest.fixture
def populated(database_url: str) -> SimulatedClock:
    """Five organisations (populate) and one that applied but was never decided; the clock on
    10 April 2025."""
    register: Register = populate(database_url, 5)
    register.register_organisation(APPLIED, "Aanvrager BV", "Zeist", STAFF)
    register.submit_application(APPLIED, trede_2_declaration(), "kiwa", dt.date(2025, 4, 1), STAFF)
    clock: SimulatedClock = register.clock  # type: ignore[assignment]
    register.close()
    return clock


@pytest.fixture
def client(database_url: str, populated: SimulatedClock) -> Iterator[TestClient]:
    """The populated register, signing statements."""
    with serving(database_url, populated) as test_client:
        yield test_client


def stated(client: TestClient, body: dict[str, Any], **headers: str) -> dict[str, Any]:
    """POST a statement: 201, at its Location; the document."""
    made = client.post("/api/v1/statements", json=body, headers=headers)
    assert made.status_code == 201, made.text
    document: dict[str, Any] = made.json()
    assert made.headers["location"] == f"/api/v1/statements/{document['id']}"
    return document


def listed_keys(client: TestClient) -> Any:
    """The register's keys, as GET /api/v1/keys lists them."""
    return keys_of(ok(client.get("/api/v1/keys")))


def test_a_statement_of_a_position_is_signed_recorded_and_the_same_bytes_when_read(
    client: TestClient,
) -> None:
    """201 with the signed document; GET answers the same bytes, for ever (immutable, ETag); the
    answer is the public position as known at issued_at, the organisation and certificates are
    the public organisation's."""
    made = client.post("/api/v1/statements", json={"kvk": "20000002", "on": "2025-04-15"})
    assert made.status_code == 201, made.text
    document = made.json()
    content = document["statement"]
    assert set(content) == CONTENT
    assert content["issued_at"] == "2025-04-10T09:00:00+00:00"
    assert content["question"] == {"kvk": "20000002", "on": "2025-04-15"}
    assert verify(document, listed_keys(client)).valid
    assert StatementPublic.model_validate(document).statement.kind == "position"
    KeysPublic.model_validate(client.get("/api/v1/keys").json())

    read = client.get(made.headers["location"])
    assert read.content == made.content
    assert "immutable" in read.headers["cache-control"]
    again = client.get(made.headers["location"], headers={"If-None-Match": read.headers["etag"]})
    assert again.status_code == 304

    position = client.get(
        "/api/v1/organisations/20000002/position",
        params={"on": "2025-04-15", "as_known_at": content["issued_at"]},
    ).json()
    assert content["answer"] == position
    assert position["status"] == "certified"
    organisation = client.get("/api/v1/organisations/20000002", params={"on": "2025-04-15"}).json()
    assert content["organisation"] == {
        k: organisation[k] for k in ("main_kvk", "name", "place", "covered_kvks")
    }
    assert content["certificates"] == [
        {k: v for k, v in c.items() if k != "history"} for c in organisation["certificates"]
    ]


def test_a_statement_of_coverage_is_the_public_coverage_answer(client: TestClient) -> None:
    """Over a period at a level: the coverage answer with its gaps, and the certificates whose
    validity overlaps the period (status on its last day)."""
    asked = {"kvk": "20000000", "from": "2025-04-01", "to": "2025-12-31", "min_level": "trede_2"}
    document = stated(client, asked)
    content = document["statement"]
    assert content["kind"] == "coverage"
    assert content["question"] == asked
    coverage = client.get("/api/v1/organisations/20000000/coverage", params=asked).json()
    assert content["answer"] == coverage
    assert coverage["covered"] is False
    assert [gap["status"] for gap in coverage["gaps"]] == ["withdrawn"]
    (certificate,) = content["certificates"]
    assert (certificate["number"], certificate["on"]) == ("PSO-2025-000001", "2025-12-31")
    assert certificate["status"] == "withdrawn"
    assert verify(document, listed_keys(client)).valid


def test_a_statement_stays_what_the_register_said_after_a_later_withdrawal(
    client: TestClient, populated: SimulatedClock
) -> None:
    """Withdrawn later with a date before the day asked: the statement is read back unchanged
    and still verifies; a new statement of the same question says withdrawn."""
    before = client.post("/api/v1/statements", json={"kvk": "20000002", "on": "2025-04-15"})
    assert before.json()["statement"]["answer"]["status"] == "certified"
    populated.advance(dt.timedelta(days=1))
    staff = Api(client)
    ok(
        staff.post(
            "/certificates/PSO-2025-000003/withdrawal",
            {"effective_on": "2025-04-01", "reason": "false declaration"},
        )
    )
    kept = client.get(before.headers["location"])
    assert kept.content == before.content
    assert verify(kept.json(), listed_keys(client)).valid
    after = stated(client, {"kvk": "20000002", "on": "2025-04-15"})
    assert after["statement"]["answer"]["status"] == "withdrawn"
    assert after["id"] != before.json()["id"]


def test_a_rotated_key_keeps_verifying_the_statements_it_signed(
    database_url: str, populated: SimulatedClock
) -> None:
    """Restarted with another key: both keys are listed (each valid from its first start), the
    old statement is read back as it was and both statements verify."""
    question = {"kvk": "20000002", "on": "2025-04-15"}
    with serving(database_url, populated, KEY) as first:
        old_id = stated(first, question)["id"]
        old = first.get(f"/api/v1/statements/{old_id}").content
    populated.advance(dt.timedelta(days=30))
    with serving(database_url, populated, ROTATED) as second:
        new = stated(second, question)
        listed = ok(second.get("/api/v1/keys"))["keys"]
        assert [k["key_id"] for k in listed] == [KEY.key_id, ROTATED.key_id]
        assert [k["valid_from"] for k in listed] == [
            "2025-04-10T09:00:00+00:00",
            "2025-05-10T09:00:00+00:00",
        ]
        old_document = json.loads(old)
        assert second.get(f"/api/v1/statements/{old_document['id']}").content == old
        keys = listed_keys(second)
        assert old_document["signature"]["key_id"] == KEY.key_id
        assert verify(old_document, keys).valid
        assert new["signature"]["key_id"] == ROTATED.key_id
        assert verify(new, keys).valid


def test_no_statement_about_a_kvk_number_the_public_register_does_not_show(
    client: TestClient,
) -> None:
    """Never seen and applied-but-never-decided are the same 404 (who applied is private)."""
    unknown = problem_of(client.post("/api/v1/statements", json={"kvk": "29999999",
                                                                 "on": "2025-04-15"}), 404)  # fmt: skip
    applied = problem_of(client.post("/api/v1/statements", json={"kvk": APPLIED,
                                                                 "on": "2025-04-15"}), 404)  # fmt: skip
    assert applied["detail"] == unknown["detail"].replace("29999999", APPLIED)
    problem_of(client.get("/api/v1/statements/0f8fad5b-d9cb-469f-a165-70867728950e"), 404)
    problem_of(client.get("/api/v1/statements/not-an-id"), 422)


@pytest.mark.parametrize(
    ("body", "field", "says"),
    [
        ({"kvk": "20000002", "on": "2025-04-15", "as_known_at": "2025-04-01T00:00:00Z"},
         "as_known_at", "unknown field: this statement takes kvk, on"),
        ({"kvk": "20000002", "on": "2025-04-15", "min_level": "trede_1"}, "min_level",
         "unknown field"),
        ({"kvk": "20000002", "from": "2025-01-01", "to": "2025-02-01", "min_level": "trede_1",
          "limit": 5}, "limit", "this statement takes kvk, from, to, min_level"),
        ({"kvk": "123", "on": "2025-04-15"}, "kvk", "should match pattern"),
        ({"kvk": "20000002", "on": "15-04-2025"}, "on", "YYYY-MM-DD"),
        ({"kvk": "20000002", "on": "1999-12-31"}, "on", "lies outside 2000-01-01 to 2100-12-31"),
        ({"kvk": "20000002", "from": "2025-05-01", "to": "2025-04-01", "min_level": "trede_1"},
         "to", "lies before from"),
        ({"kvk": "20000002", "from": "2000-01-01", "to": "2100-12-31", "min_level": "trede_1"},
         "to", "a period covers at most"),
        ({"kvk": "20000002", "from": "2025-01-01", "to": "2025-02-01", "min_level": "trede_9"},
         "min_level", "Input should be"),
        ({"kvk": "20000002", "from": "2025-01-01"}, "to", "Field required"),
        ([], "body", "a statement asks about a day {kvk, on} or a period"),
    ],
)  # fmt: skip
def test_a_question_is_refused_as_the_public_questions_are_naming_the_field(
    client: TestClient, body: Any, field: str, says: str
) -> None:
    """422 with each bad or unknown field named; nothing is recorded."""
    head = client.app.state.backend.runner.head()  # type: ignore[attr-defined]
    refused = problem_of(client.post("/api/v1/statements", json=body), 422)
    assert {"field": field, "message": refused["errors"][0]["message"]} in refused["errors"]
    assert says in refused["detail"]
    assert client.app.state.backend.runner.head() == head  # type: ignore[attr-defined]


def test_a_body_that_is_not_json_is_refused(client: TestClient) -> None:
    """422 naming the body."""
    refused = problem_of(client.post("/api/v1/statements", content=b"{kvk: 1"), 422)
    assert refused["errors"][0]["field"] == "body"


def test_an_idempotency_key_answers_the_same_statement(client: TestClient) -> None:
    """A retry with the same key and question: the same bytes; another question: 409."""
    asked = {"kvk": "20000002", "on": "2025-04-15"}
    first = client.post("/api/v1/statements", json=asked, headers={"Idempotency-Key": "k1"})
    again = client.post("/api/v1/statements", json=asked, headers={"Idempotency-Key": "k1"})
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.content == first.content
    other = {"kvk": "20000002", "on": "2025-04-16"}
    problem_of(
        client.post("/api/v1/statements", json=other, headers={"Idempotency-Key": "k1"}), 409
    )


def test_without_a_key_the_register_makes_no_statement(
    database_url: str, populated: SimulatedClock
) -> None:
    """503 saying what is missing; no keys are listed."""
    with serving(database_url, populated, key=None) as client:
        refused = problem_of(
            client.post("/api/v1/statements", json={"kvk": "20000002", "on": "2025-04-15"}), 503
        )
        assert "PSO_STATEMENT_KEY" in refused["detail"]
        assert ok(client.get("/api/v1/keys")) == {"keys": []}


def test_statements_are_rate_limited_like_every_public_route(
    database_url: str, populated: SimulatedClock
) -> None:
    """The client's quota is shared with the other public routes: 429 with Retry-After."""
    with serving(database_url, populated, rate_limit=2) as client:
        asked = {"kvk": "20000002", "on": "2025-04-15"}
        assert client.post("/api/v1/statements", json=asked).headers["ratelimit-limit"] == "2"
        assert client.get("/api/v1/keys").status_code == 200
        refused = client.post("/api/v1/statements", json=asked)
        problem_of(refused, 429)
        assert "retry-after" in refused.headers
