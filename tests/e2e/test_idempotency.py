"""Idempotency-Key through HTTP: a retry answers the first result, also when retries race each
other across threads and across processes (two apps on one database), and also when the command
would be refused by then; a key reused for another request is refused."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack
from functools import partial
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings

KVK = "55556666"
ORGANISATION = {"kvk": KVK, "name": "Twee Keer BV", "place": "Ede", "subsidiaries": []}
RETRIES_PER_PROCESS = 4


@pytest.fixture
def clients(database_url: str) -> Iterator[tuple[list[TestClient], dict[str, str]]]:
    """Two apps on one empty register (as two ``pso serve`` processes), and a token per role."""
    settings = Settings(database_url=database_url, scheduler=False, rate_limit_per_minute=0)
    with ExitStack() as stack:
        apps = [stack.enter_context(TestClient(create_app(settings))) for _ in range(2)]
        users = apps[0].app.state.users  # type: ignore[attr-defined]
        tokens = {"admin": users.create("bea", "admin"), "staff": users.create("anna", "staff")}
        for client in apps:  # FastAPI builds a route's body model on its first request
            assert post(client, tokens["staff"], "/organisations", {}).status_code == 422
            assert post(client, tokens["admin"], "/norms", {}).status_code == 422
        yield apps, tokens


def post(client: TestClient, token: str, path: str, body: Any, key: str | None = None) -> Any:
    """POST to the staff API with a bearer token and maybe an Idempotency-Key."""
    headers = {"Authorization": f"Bearer {token}"}
    if key is not None:
        headers["Idempotency-Key"] = key
    return client.post(f"/api/v1/staff{path}", json=body, headers=headers)


def at_once(calls: Sequence[Callable[[], Any]]) -> list[Any]:
    """Run the calls in threads released together; their results in order."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(index: int) -> None:
        barrier.wait()
        results[index] = calls[index]()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def timeline_events(client: TestClient, token: str, kvk: str) -> list[str]:
    """The event topics of an organisation's timeline."""
    response = client.get(
        f"/api/v1/staff/organisations/{kvk}/timeline",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 200, response.text
    return [event["event"] for event in response.json()]


def handbook_2_2(client: TestClient) -> dict[str, Any]:
    """Handbook version 2.1 renamed 2.2, in force from 2099."""
    document = dict(client.get("/api/v1/norms/2.1").json())
    document.pop("provisional_values")
    document["version"] = "2.2"
    document["effective_from"] = {"value": "2099-04-01", "provisional": "announced"}
    return document


def test_concurrent_retries_with_one_key_have_one_effect_and_all_answer_the_first_result(
    clients: tuple[list[TestClient], dict[str, str]],
) -> None:
    """Eight identical POSTs with one key from two processes at once: one organisation is
    registered and every response is the same 201, never 409 or 500."""
    apps, tokens = clients
    calls = [
        partial(post, client, tokens["staff"], "/organisations", ORGANISATION, "race-1")
        for client in apps
        for _ in range(RETRIES_PER_PROCESS)
    ]
    responses = at_once(calls)
    assert [r.status_code for r in responses] == [201] * len(calls), [r.text for r in responses]
    assert len({r.text for r in responses}) == 1
    events = timeline_events(apps[0], tokens["staff"], KVK)
    assert events.count("pso.organisation.Registered.v1") == 1


def test_a_retry_answers_the_first_result_although_the_command_is_refused_by_now(
    clients: tuple[list[TestClient], dict[str, str]],
) -> None:
    """The organisation registered under a key; the retry gets the 201, a request without the
    key is refused as a duplicate, and another body under the key is refused as a reuse."""
    apps, tokens = clients
    first = post(apps[0], tokens["staff"], "/organisations", ORGANISATION, "retry-1")
    assert first.status_code == 201, first.text
    again = post(apps[1], tokens["staff"], "/organisations", ORGANISATION, "retry-1")
    assert (again.status_code, again.json()) == (201, first.json())
    duplicate = post(apps[1], tokens["staff"], "/organisations", ORGANISATION)
    assert duplicate.status_code == 409
    reused = post(
        apps[1], tokens["staff"], "/organisations", {**ORGANISATION, "name": "Anders"}, "retry-1"
    )
    assert reused.status_code == 409
    assert "Idempotency-Key 'retry-1' was already used for another request" in reused.text


def test_publishing_a_handbook_version_with_a_key_replays_and_refuses_another_document(
    clients: tuple[list[TestClient], dict[str, str]],
) -> None:
    """POST /staff/norms with an Idempotency-Key: 201 with the version, the same again from
    concurrent retries, and 409 for another document under the same key."""
    apps, tokens = clients
    document = handbook_2_2(apps[0])
    calls = [
        partial(post, client, tokens["admin"], "/norms", document, "norms-2.2")
        for client in apps
        for _ in range(2)
    ]
    responses = at_once(calls)
    assert [r.status_code for r in responses] == [201] * len(calls), [r.text for r in responses]
    assert {r.text for r in responses} == {'{"version":"2.2","effective_from":"2099-04-01"}'}
    listed = [v["version"] for v in apps[1].get("/api/v1/norms").json()]
    assert listed.count("2.2") == 1
    other = {**document, "effective_from": {"value": "2099-05-01", "provisional": "moved"}}
    reused = post(apps[0], tokens["admin"], "/norms", other, "norms-2.2")
    assert reused.status_code == 409, reused.text
    assert "already used for another request" in reused.json()["detail"]
