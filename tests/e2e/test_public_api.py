"""The public API through HTTP (FastAPI's test client over the real app and database)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from tests.projection_support import populate
from tests.staff_client import problem_of


def test_search_pages_with_a_cursor_and_filters(client: TestClient) -> None:
    """Two pages of two and one of one; filters by place, status and KvK."""
    first = client.get("/api/v1/register", params={"limit": 2}).json()
    second = client.get(
        "/api/v1/register", params={"limit": 2, "cursor": first["next_cursor"]}
    ).json()
    third = client.get(
        "/api/v1/register", params={"limit": 2, "cursor": second["next_cursor"]}
    ).json()
    kvks = [o["main_kvk"] for page in (first, second, third) for o in page["items"]]
    assert kvks == [f"2000000{i}" for i in range(5)]
    assert third["next_cursor"] is None
    withdrawn = client.get("/api/v1/register", params={"status": "withdrawn"}).json()["items"]
    assert {o["main_kvk"] for o in withdrawn} == {"20000000", "20000001", "20000003"}
    assert len(client.get("/api/v1/register", params={"place": "Ede"}).json()["items"]) == 2


def test_certificates_and_organisations_by_any_covered_kvk(client: TestClient) -> None:
    """A certificate with its history; an organisation with its certificates; no contribution data."""
    cert = client.get("/api/v1/certificates/PSO-2025-000002").json()
    assert [h["change"] for h in cert["history"]] == ["issued", "suspended", "withdrawn"]
    org = client.get("/api/v1/organisations/20000001").json()
    assert org["status"] == "withdrawn"
    assert "total_fte" not in str(org)
    assert "amount" not in str(org)
    problem_of(client.get("/api/v1/organisations/29999999"), 404)
    problem_of(client.get("/api/v1/organisations/123"), 422)
    problem_of(client.get("/api/v1/certificates/PSO-2025-999999"), 404)


def test_a_backdated_withdrawal_is_seen_differently_with_and_without_as_known_at(
    client: TestClient,
) -> None:
    """On 1 Aug 2025 as known now: withdrawn (recorded 11 June); as known on 1 June: suspended."""
    url = "/api/v1/organisations/20000001/position"
    now = client.get(url, params={"on": "2025-08-01"}).json()
    then = client.get(url, params={"on": "2025-08-01", "as_known_at": "2025-06-01T00:00:00Z"})
    assert (now["status"], now["since"], now["level"]) == ("withdrawn", "2025-07-01", None)
    assert now["certificate"]["level"] == "trede_2"
    assert "withdrawn on 2025-07-01 (recorded" in now["explanation"]
    assert then.json()["status"] == "suspended"
    assert "immutable" in then.headers["cache-control"]
    never = client.get("/api/v1/organisations/29999999/position", params={"on": "2025-08-01"})
    assert never.json()["status"] == "never_certified"


def test_coverage_lists_gaps_and_verify_keeps_the_index(client: TestClient) -> None:
    """Coverage of a withdrawn certificate has a gap; verify answers item by item, and a bad or
    unknown field is that item's own error while the others are answered."""
    coverage = client.get(
        "/api/v1/organisations/20000000/coverage",
        params={"from": "2025-04-01", "to": "2025-12-31", "min_level": "trede_2"},
    ).json()
    assert coverage["covered"] is False
    assert coverage["gaps"] == [
        {
            "from": "2025-06-01",
            "to": "2025-12-31",
            "status": "withdrawn",
            "level": None,
            "certificate": {
                "number": "PSO-2025-000001",
                "level": "trede_2",
                "pso30plus": False,
                "valid_from": "2025-03-31",
                "valid_until": "2027-03-30",
                "status": "withdrawn",
            },
        }
    ]
    problem_of(
        client.get(
            "/api/v1/organisations/20000000/coverage",
            params={"from": "2025-12-31", "to": "2025-04-01", "min_level": "trede_2"},
        ),
        422,
    )
    items = [
        {"kvk": "20000002", "on": "2025-08-01", "min_level": "trede_2"},
        {"kvk": "20000002", "on": "2025-08-01", "min_level": "trede_3"},
        {"kvk": "29999999", "on": "2025-08-01"},
    ]
    results = client.post("/api/v1/verify", json={"items": items}).json()["results"]
    assert [(r["index"], r["ok"]) for r in results] == [(0, True), (1, False), (2, False)]
    mixed = [{"kvk": "1", "on": "x"}, items[0], {**items[0], "pso30plus": True}]
    answered = client.post("/api/v1/verify", json={"items": mixed})
    assert answered.status_code == 200, answered.text
    bad, good, unknown = answered.json()["results"]
    assert bad["index"] == 0
    assert {e["field"] for e in bad["error"]["errors"]} == {"items.0.kvk", "items.0.on"}
    assert (good["index"], good["ok"]) == (1, True)
    assert unknown["index"] == 2
    assert [e["field"] for e in unknown["error"]["errors"]] == ["items.2.pso30plus"]


def test_etags_give_304_and_the_change_feed_pages_by_cursor(client: TestClient) -> None:
    """If-None-Match with the ETag answers 304; the feed continues after its cursor."""
    first = client.get("/api/v1/certificates/PSO-2025-000001")
    again = client.get(
        "/api/v1/certificates/PSO-2025-000001", headers={"If-None-Match": first.headers["etag"]}
    )
    assert again.status_code == 304
    page = client.get("/api/v1/changes", params={"limit": 2}).json()
    rest = client.get("/api/v1/changes", params={"after": page["next_cursor"]}).json()
    assert rest["items"][0]["position"] > page["items"][-1]["position"]
    assert client.get("/api/v1/register.csv").text.splitlines()[0].startswith("main_kvk,name")
    lines = client.get("/api/v1/register.jsonl").text.splitlines()
    assert len(lines) == 5


def test_errors_are_problem_documents_with_a_request_id(client: TestClient) -> None:
    """Unknown routes, bad levels and bad cursors: problem+json, and every response has an id."""
    problem_of(client.get("/api/v1/nothing-here"), 404)
    problem_of(client.get("/api/v1/register", params={"level": "trede_9"}), 422)
    problem_of(client.get("/api/v1/register", params={"cursor": "abc"}), 422)
    problem_of(client.get("/api/v1/register", params={"limit": 201}), 422)
    response = client.get("/api/v1/register", headers={"X-Request-ID": "abc-123"})
    assert response.headers["x-request-id"] == "abc-123"


def test_the_rate_limit_answers_429_with_retry_after(database_url: str) -> None:
    """Three requests a minute: the fourth is refused with Retry-After."""
    settings = Settings(database_url=database_url, scheduler=False, rate_limit_per_minute=3)
    with TestClient(create_app(settings)) as client:
        codes = [client.get("/api/v1/register").status_code for _ in range(4)]
        refused = client.get("/api/v1/register")
    assert codes[:3] == [200, 200, 200]
    assert problem_of(refused, 429)["type"].endswith("rate-limited")
    assert int(refused.headers["retry-after"]) >= 1


def test_the_lean_lookups_keep_every_convention_of_the_api(database_url: str) -> None:
    """The hot lookups skip FastAPI's per-request layers but not the API's conventions: request
    id, CORS, ETag, rate limit (shared with every route), problem+json for failures and bad
    input."""
    populate(database_url, 1).close()
    settings = Settings(database_url=database_url, scheduler=False, rate_limit_per_minute=4)
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        client.app.state.backend.runner.catch_up()  # type: ignore[attr-defined]
        found = client.get(
            "/api/v1/certificates/PSO-2025-000001",
            headers={"X-Request-ID": "fast-1", "Origin": "https://gemeente.example"},
        )
        assert found.status_code == 200
        assert found.headers["x-request-id"] == "fast-1"
        assert found.headers["access-control-allow-origin"] == "*"
        assert found.headers["etag"]
        assert found.json()["number"] == "PSO-2025-000001"
        bad = problem_of(client.get("/api/v1/organisations/123/position?on=2025-13-01"), 422)
        assert {e["field"] for e in bad["errors"]} == {"path.kvk", "query.on"}
        problem_of(client.get("/api/v1/certificates/PSO-2025-999999"), 404)
        assert client.get("/api/v1/register").status_code == 200  # the 4th of 4 this minute
        problem_of(client.get("/api/v1/certificates/PSO-2025-000001"), 429)

    settings = Settings(database_url=database_url, scheduler=False, rate_limit_per_minute=0)
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:

        def broken(_: str) -> None:
            raise RuntimeError("database gone")

        client.app.state.backend.queries.certificate = broken  # type: ignore[attr-defined]
        failed = problem_of(client.get("/api/v1/certificates/PSO-2025-000001"), 500)
        assert "database gone" not in failed["detail"]
