"""The worked examples on the OpenAPI page are what the register answers: the story they tell
(Groenwerk Utrecht BV, trede 2 from 1 July 2025, suspended in March 2026) is entered through the
domain commands, each public question is asked as documented, and the answer must be the example
(its log positions, cursors and recording times aside)."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api import examples
from api.app import create_app
from api.settings import Settings
from api.storage import event_store_env
from domain.signatures import SigningKey, b64encode
from norms.levels import Level
from tests.scenarios import AUDITOR, STAFF, scenario, trede_2_declaration

#: the key the documented statement is signed with: RFC 8032 section 7.1, TEST 1
EXAMPLE_KEY = SigningKey.from_raw(
    bytes.fromhex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")
)
#: what differs from run to run: log positions, cursors, and when a change was recorded
VOLATILE = {"position", "cursor", "next_cursor", "recorded_at"}
RECORDED = re.compile(r"\(recorded [^)]*\)")


@pytest.fixture
def story(database_url: str) -> Iterator[TestClient]:
    """The examples' register, on 1 December 2026."""
    s = scenario(event_store_env(database_url))
    register = s.register
    s.on("2025-06-02")
    register.register_organisation(
        examples.KVK, "Groenwerk Utrecht BV", "Utrecht", STAFF, (examples.SUBSIDIARY,)
    )
    app = register.submit_application(
        examples.KVK, trede_2_declaration(), "kiwa", dt.date(2025, 6, 2), STAFF
    ).application_id
    s.on("2025-06-20")
    register.file_audit_report(app, dt.date(2025, 6, 20), Level.TREDE_2, "ok", AUDITOR)
    s.on("2025-07-01")
    number = register.decide_application(app, dt.date(2025, 7, 1), STAFF).number
    s.on("2026-02-26")
    register.suspend_certificate(str(number), dt.date(2026, 3, 1), STAFF)
    s.on("2026-04-01")
    register.reinstate_certificate(str(number), dt.date(2026, 4, 1), STAFF)
    s.on(examples.ON)
    register.close()
    settings = Settings(
        database_url=database_url,
        scheduler=False,
        rate_limit_per_minute=0,
        statement_key=b64encode(EXAMPLE_KEY.private_bytes()),
    )
    with TestClient(create_app(settings, clock=s.clock)) as client:
        client.app.state.backend.runner.catch_up()  # type: ignore[attr-defined]
        client.headers["X-Number"] = str(number)  # what the register numbered it
        yield client


def _stable(document: Any, number: str) -> Any:
    """The document with the example's certificate number and without what varies per run."""
    text = json.dumps(document).replace(number, examples.NUMBER)

    def strip(value: Any) -> Any:
        if isinstance(value, dict):
            return {
                k: RECORDED.sub("", v) if k == "explanation" else strip(v)
                for k, v in value.items()
                if k not in VOLATILE or isinstance(v, dict)  # an organisation's position stays
            }
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value

    return strip(json.loads(text))


def _documented(client: TestClient, path: str) -> Any:
    """The example the OpenAPI page shows for a successful GET of ``path``."""
    operation = client.get("/openapi.json").json()["paths"][path]
    post = operation.get("post")
    chosen = post or operation["get"]
    (media,) = chosen["responses"]["200"]["content"].values()
    return media["example"]


QUESTIONS = [
    ("/api/v1/certificates/{number}", f"/api/v1/certificates/{examples.NUMBER}"),
    ("/api/v1/organisations/{kvk}", f"/api/v1/organisations/{examples.KVK}"),
    ("/api/v1/organisations/{kvk}/position", f"/api/v1/organisations/{examples.KVK}/position"
     "?on=2026-06-15"),
    ("/api/v1/organisations/{kvk}/coverage", f"/api/v1/organisations/{examples.KVK}/coverage"
     "?from=2026-01-01&to=2026-12-31&min_level=trede_2"),
    ("/api/v1/register", "/api/v1/register?q=groenwerk"),
]  # fmt: skip


@pytest.mark.parametrize(("documented", "asked"), QUESTIONS, ids=[q[0] for q in QUESTIONS])
def test_a_documented_answer_is_the_register_s_answer(
    story: TestClient, documented: str, asked: str
) -> None:
    number = story.headers["X-Number"]
    answer = story.get(asked.replace(examples.NUMBER, number))
    assert answer.status_code == 200, answer.text
    assert _stable(answer.json(), number) == _stable(_documented(story, documented), number)


def test_the_documented_change_is_in_the_feed(story: TestClient) -> None:
    number = story.headers["X-Number"]
    feed = _stable(story.get("/api/v1/changes").json(), number)
    (example,) = _stable(_documented(story, "/api/v1/changes"), number)["items"]
    assert example in feed["items"]
    assert [item["change"] for item in feed["items"]] == ["issued", "suspended", "reinstated"]


def test_the_documented_verification_is_the_register_s(story: TestClient) -> None:
    number = story.headers["X-Number"]
    body = story.get("/openapi.json").json()["paths"]["/api/v1/verify"]["post"]
    sent = body["requestBody"]["content"]["application/json"]["example"]
    assert sent == examples.VERIFY_REQUEST
    answer = story.post("/api/v1/verify", json=sent)
    assert answer.status_code == 200, answer.text
    assert _stable(answer.json(), number) == _stable(examples.VERIFY_RESPONSE, number)


@pytest.mark.parametrize(
    ("path", "example", "media"),
    [
        ("/api/v1/register.csv", examples.CSV, "text/csv"),
        ("/api/v1/register.jsonl", examples.JSONL, "application/x-ndjson"),
    ],
)
def test_the_documented_export_is_the_register_s(
    story: TestClient, path: str, example: str, media: str
) -> None:
    number = story.headers["X-Number"]
    answer = story.get(path)
    assert answer.headers["content-type"].startswith(media)
    assert answer.text.replace(number, examples.NUMBER) == example
    assert _documented(story, path) == example


def test_the_documented_handbook_versions_are_the_register_s(story: TestClient) -> None:
    listed = story.get("/api/v1/norms").json()
    for example in examples.HANDBOOK_VERSIONS:
        assert example in listed
    shown = story.get(f"/api/v1/norms/{examples.HANDBOOK_VERSION['version']}").json()
    for key, value in examples.HANDBOOK_VERSION.items():
        if key == "provisional_values":
            assert all(v in shown[key] for v in value)
        else:
            assert shown[key] == value, key


@pytest.mark.parametrize(
    ("documented", "asked"),
    [
        ("/api/v1/certificates/{number}", "/api/v1/certificates/PSO-2025-000099"),
        ("/api/v1/organisations/{kvk}", "/api/v1/organisations/99999999"),
        ("/api/v1/norms/{version}", "/api/v1/norms/9.9"),
    ],
)
def test_a_documented_refusal_is_the_register_s(
    story: TestClient, documented: str, asked: str
) -> None:
    operation = story.get("/openapi.json").json()["paths"][documented]["get"]
    (media,) = operation["responses"]["404"]["content"].values()
    answer = story.get(asked)
    assert answer.status_code == 404
    assert answer.json() == media["example"]


def test_the_documented_statement_is_the_register_s(story: TestClient) -> None:
    """The documented question makes the documented statement (its id, and so its signature,
    aside), signed by the documented key; the other documented question makes one too."""
    number = story.headers["X-Number"]
    body = story.get("/openapi.json").json()["paths"]["/api/v1/statements"]["post"]
    sent = body["requestBody"]["content"]["application/json"]["examples"]
    assert sent["position"]["value"] == examples.STATEMENT_ON_DAY
    made = story.post("/api/v1/statements", json=sent["position"]["value"])
    assert made.status_code == 201, made.text
    answer = json.loads(made.text.replace(made.json()["id"], examples.STATEMENT_ID))
    documented = _documented(story, "/api/v1/statements/{id}")
    for document in (answer, documented):
        del document["signature"]["value"]
    assert _stable(answer, number) == _stable(documented, number)
    assert story.get("/api/v1/keys").json() == examples.KEYS == _documented(story, "/api/v1/keys")
    period = story.post("/api/v1/statements", json=sent["coverage"]["value"])
    assert period.status_code == 201, period.text
    assert period.json()["statement"]["answer"]["covered"] is False
