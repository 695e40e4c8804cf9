"""The HTTP conventions of the public API, through HTTP: ETag, 304 and Cache-Control on every
public GET, HEAD on every GET, RateLimit headers, Link to the next page, filtered and dated
exports, gzip for large answers, unknown parameters refused by name, docs that work offline and
an OpenAPI document that describes what is served."""

from __future__ import annotations

import csv
import gzip
import io
import json

import httpx
import pytest
from fastapi.testclient import TestClient

from api.app import OPERATIONS, create_app
from api.settings import Settings
from tests.e2e.serving import uvicorn_in_thread
from tests.projection_support import populate
from tests.staff_client import problem_of

PUBLIC_GETS = [
    "/api/v1/register",
    "/api/v1/register?place=Ede&limit=1",
    "/api/v1/register.csv",
    "/api/v1/register.jsonl?status=withdrawn",
    "/api/v1/certificates/PSO-2025-000001",
    "/api/v1/organisations/20000001",
    "/api/v1/organisations/20000001/position?on=2025-08-01",
    "/api/v1/organisations/20000000/coverage?from=2025-04-01&to=2025-12-31&min_level=trede_2",
    "/api/v1/changes?limit=2",
    "/api/v1/norms",
    "/api/v1/norms/2.1",
]


@pytest.mark.parametrize("path", PUBLIC_GETS)
def test_every_public_get_has_an_etag_and_cache_control_and_answers_304_when_current(
    client: TestClient, path: str
) -> None:
    """Exports and handbook versions too: the ETag sent back as If-None-Match gives 304."""
    first = client.get(path)
    assert first.status_code == 200, first.text
    assert first.headers["cache-control"].startswith("public, max-age=")
    again = client.get(path, headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == first.headers["etag"]


@pytest.mark.parametrize("path", [*PUBLIC_GETS, "/healthz", "/openapi.json", "/docs"])
def test_head_answers_every_get_with_its_headers_and_no_body(client: TestClient, path: str) -> None:
    """HEAD is the GET without its body (no 405 anywhere a GET is served)."""
    got = client.get(path)
    head = client.head(path)
    assert head.status_code == got.status_code == 200
    assert head.content == b""
    assert head.headers.get("etag") == got.headers.get("etag")
    assert head.headers["content-type"] == got.headers["content-type"]


def test_a_staff_get_answers_head_too(client: TestClient) -> None:
    """The conventions hold for FastAPI's routes as for the public ones."""
    token = client.app.state.users.create("anna", "staff")  # type: ignore[attr-defined]
    auth = {"Authorization": f"Bearer {token}"}
    got = client.get("/api/v1/staff/worklist", headers=auth)
    head = client.head("/api/v1/staff/worklist", headers=auth)
    assert (got.status_code, head.status_code, head.content) == (200, 200, b"")
    assert client.head("/api/v1/staff/worklist").status_code == 401


def test_public_answers_tell_the_rate_limit_and_a_refusal_says_when_to_retry(
    database_url: str,
) -> None:
    """RateLimit-Limit, -Remaining and -Reset (IETF draft) count down; the 429 has Retry-After;
    staff routes are not limited."""
    settings = Settings(database_url=database_url, scheduler=False, rate_limit_per_minute=3)
    with TestClient(create_app(settings)) as client:
        answers = [client.get("/api/v1/norms") for _ in range(3)]
        refused = client.get("/api/v1/certificates/PSO-2025-000001")
        staff = client.get("/api/v1/staff/worklist")
    assert [a.headers["ratelimit-limit"] for a in answers] == ["3", "3", "3"]
    assert [a.headers["ratelimit-remaining"] for a in answers] == ["2", "1", "0"]
    assert [int(a.headers["ratelimit-reset"]) for a in answers] == [20, 40, 60]
    problem_of(refused, 429)
    assert refused.headers["ratelimit-remaining"] == "0"
    assert refused.headers["retry-after"] == refused.headers["ratelimit-reset"]
    assert 1 <= int(refused.headers["retry-after"]) <= 20
    assert staff.status_code == 401
    assert "ratelimit-limit" not in staff.headers


def test_paged_answers_link_to_their_next_page(client: TestClient) -> None:
    """Register search and change feed: ``Link: <...>; rel="next"`` while there is a next page;
    following the links reads every organisation once."""
    path, seen = "/api/v1/register?limit=2&place=Utrecht", []
    while path:
        page = client.get(path)
        seen += [o["main_kvk"] for o in page.json()["items"]]
        link = page.headers.get("link")
        path = link.split(">")[0].lstrip("<") if link else ""
        assert link is None or link.endswith('>; rel="next"')
    assert seen == ["20000000", "20000002", "20000004"]
    feed = client.get("/api/v1/changes", params={"limit": 2})
    cursor = feed.json()["next_cursor"]
    assert feed.headers["link"] == f'</api/v1/changes?limit=2&after={cursor}>; rel="next"'
    rest = client.get("/api/v1/changes", params={"limit": 200})
    assert "link" not in rest.headers


def test_exports_take_the_search_filters_and_a_dated_file_name(client: TestClient) -> None:
    """CSV and JSON lines with q, place, level, status and on: the same organisations as the
    search, in a file named after the day it is of."""
    filters = {"status": "withdrawn", "on": "2025-08-01"}
    searched = client.get("/api/v1/register", params=filters).json()["items"]
    lines = client.get("/api/v1/register.jsonl", params=filters)
    table = client.get("/api/v1/register.csv", params={**filters, "place": "Ede"})
    assert [json.loads(line) for line in lines.text.splitlines()] == searched
    rows = list(csv.DictReader(io.StringIO(table.text)))
    assert [r["main_kvk"] for r in rows] == [o["main_kvk"] for o in searched if o["place"] == "Ede"]
    assert {r["on"] for r in rows} == {"2025-08-01"}
    disposition = 'attachment; filename="pso-register-2025-08-01'
    assert lines.headers["content-disposition"] == disposition + '.jsonl"'
    assert table.headers["content-disposition"] == disposition + '.csv"'
    today = client.app.state.backend.queries.today()  # type: ignore[attr-defined]
    assert str(today) in client.get("/api/v1/register.csv").headers["content-disposition"]
    problem_of(client.get("/api/v1/register.csv", params={"level": "trede_9"}), 422)
    problem_of(client.get("/api/v1/register.jsonl", params={"q": "\x00"}), 422)


def test_unknown_and_invalid_parameters_are_refused_by_name(client: TestClient) -> None:
    """An unknown parameter is a 422 naming it (not silently ignored); enums are enforced."""
    typo = problem_of(client.get("/api/v1/register", params={"levle": "trede_1"}), 422)
    assert [e["field"] for e in typo["errors"]] == ["query.levle"]
    assert "q, place, level, status, on, cursor, limit" in typo["errors"][0]["message"]
    lookup = problem_of(client.get("/api/v1/certificates/PSO-2025-000001?x=1"), 422)
    assert [e["field"] for e in lookup["errors"]] == ["query.x"]
    bogus = problem_of(client.get("/api/v1/register", params={"status": "bogus"}), 422)
    assert [e["field"] for e in bogus["errors"]] == ["query.status"]
    far = problem_of(client.get("/api/v1/certificates/PSO-2025-000001?on=2101-01-01"), 422)
    assert [e["field"] for e in far["errors"]] == ["query.on"]
    assert client.get("/api/v1/norms", params={"all": "1"}).status_code == 422
    problem_of(client.get("/api/v1/norms/9.9"), 404)


def test_verify_refuses_an_unknown_envelope_and_too_many_questions(client: TestClient) -> None:
    """The body must be ``{"items": [...]}`` of at most 1000; within it each item stands alone."""
    item = {"kvk": "20000002", "on": "2025-08-01"}
    extra = problem_of(client.post("/api/v1/verify", json={"items": [item], "all": True}), 422)
    assert [e["field"] for e in extra["errors"]] == ["all"]
    problem_of(client.post("/api/v1/verify", json={"items": [item] * 1001}), 422)
    problem_of(client.post("/api/v1/verify", content=b"{", headers={"Content-Type": "x"}), 422)
    (odd,) = client.post("/api/v1/verify", json={"items": ["20000002"]}).json()["results"]
    assert (odd["index"], odd["error"]["status"]) == (0, 422)


def test_large_answers_are_gzipped_and_the_hot_lookups_are_not(database_url: str) -> None:
    """Through uvicorn: the export compressed for a client that accepts gzip, a certificate
    (small, cached) sent as it is; HEAD through the server answers headers only."""
    populate(database_url, 5).close()
    app = create_app(Settings(database_url=database_url, scheduler=False, rate_limit_per_minute=0))
    with uvicorn_in_thread(app) as base, httpx.Client(base_url=base) as client:
        app.state.backend.runner.catch_up()
        accept = {"Accept-Encoding": "gzip"}
        export = client.get("/api/v1/register.jsonl", headers=accept)
        assert export.headers["content-encoding"] == "gzip"
        assert len(export.text.splitlines()) == 5
        small = client.get("/api/v1/certificates/PSO-2025-000001", headers=accept)
        assert "content-encoding" not in small.headers
        raw = client.get("/api/v1/register.jsonl", headers={"Accept-Encoding": "identity"})
        assert "content-encoding" not in raw.headers
        assert raw.content == gzip.decompress(gzip.compress(export.content))
        head = client.head("/api/v1/certificates/PSO-2025-000001")
        assert (head.status_code, head.content) == (200, b"")
        assert head.headers["content-length"] == small.headers["content-length"]


def test_the_docs_pages_load_everything_from_the_app(client: TestClient) -> None:
    """Swagger UI and ReDoc work offline: every script and style they name is served here."""
    for page in ("/docs", "/redoc"):
        html = client.get(page).text
        assert "cdn." not in html
        assets = [part.split('"')[0] for part in html.split('"/static/docs/')[1:]]
        assert assets
        for asset in assets:
            assert client.get(f"/static/docs/{asset}").status_code == 200


def test_the_openapi_document_describes_every_public_operation_as_served(
    client: TestClient,
) -> None:
    """Each operation is documented from the models that serve it: its parameters (enums for
    level and status), 304 where an ETag is honoured, no 401 on a public route."""
    schema = client.get("/openapi.json").json()
    for operation in OPERATIONS:
        documented = schema["paths"][operation.path][operation.method.lower()]
        assert documented["operationId"] == operation.name
        assert "401" not in documented["responses"]
        assert ("304" in documented["responses"]) == (operation.method == "GET")
    search = schema["paths"]["/api/v1/register"]["get"]
    parameters = {p["name"]: p for p in search["parameters"]}
    assert parameters["level"]["schema"]["enum"] == [
        "aspirant", "basistrede", "trede_1", "trede_2", "trede_3"
    ]  # fmt: skip
    assert "suspended" in parameters["status"]["schema"]["enum"]
    assert "Link" in search["responses"]["200"]["headers"]
    body = schema["paths"]["/api/v1/verify"]["post"]["requestBody"]["content"]["application/json"]
    assert body["schema"]["$ref"] == "#/components/schemas/VerifyRequest"
    assert "VerifyItem" in schema["components"]["schemas"]
    staff = schema["paths"]["/api/v1/staff/worklist"]["get"]
    assert "401" in staff["responses"]


def test_any_origin_may_read_the_answers_and_a_preflight_is_answered(client: TestClient) -> None:
    """Every answer allows any origin and exposes every header; a browser's preflight for a POST
    to /verify is answered with the methods allowed."""
    answer = client.get("/api/v1/certificates/PSO-2025-000001")
    assert answer.headers["access-control-allow-origin"] == "*"
    assert answer.headers["access-control-expose-headers"] == "*"
    preflight = client.options(
        "/api/v1/verify",
        headers={
            "Origin": "https://gemeente.example",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert preflight.status_code == 200
    assert "POST" in preflight.headers["access-control-allow-methods"]
    assert preflight.headers["x-request-id"]


def test_public_pages_share_the_rate_limit_and_a_browser_is_refused_with_a_dutch_page(
    database_url: str,
) -> None:
    """The pages (a statement's form too) spend the client's tokens as the API does; the 429 is
    a page in the language of the request with Retry-After, and style sheets are not counted."""
    settings = Settings(database_url=database_url, scheduler=False, rate_limit_per_minute=2)
    with TestClient(create_app(settings)) as client:
        home = client.get("/")
        style = client.get(home.text.split('href="', 2)[1].split('"')[0])
        client.get("/open-data")
        refused = client.post("/verklaring", data={"kvk": "12345678", "on": "2026-12-01"})
        english = client.get("/?lang=en")
        api = client.get("/api/v1/norms")
    assert home.headers["ratelimit-limit"] == "2"
    assert style.status_code == 200
    assert "ratelimit-limit" not in style.headers
    assert refused.status_code == 429
    assert refused.headers["content-type"].startswith("text/html")
    assert int(refused.headers["retry-after"]) > 0
    assert "Te veel vragen achter elkaar" in refused.text
    assert "Too many questions in a row" in english.text
    problem_of(api, 429)
