"""Clean errors: a 500 tells the client the connection closes, a busy SQLite writer is a 503 with
Retry-After, and reads (token checks included) never wait for SQLite's write lock."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from structlog.testing import capture_logs

from api.app import create_app
from api.settings import Settings
from tests.e2e.serving import uvicorn_in_thread
from tests.staff_client import problem_of

ORGANISATION = {"kvk": "12345678", "name": "Voorbeeld BV", "place": "Utrecht", "subsidiaries": []}


def broken(*_: Any) -> Any:
    """A read model that fails unexpectedly."""
    msg = "the read model is gone"
    raise RuntimeError(msg)


def test_a_500_says_connection_close_and_the_next_request_gets_a_new_connection(
    tmp_path: Path,
) -> None:
    """Against uvicorn with a kept-alive client: after a forced 500 (a search and a lookup, each a
    question not answered before, so not cached) the response carries Connection: close, and the
    next request is answered."""
    settings = Settings(
        database_url=f"sqlite:///{tmp_path}/pso.sqlite3", scheduler=False, rate_limit_per_minute=0
    )
    app = create_app(settings)
    with uvicorn_in_thread(app) as base, httpx.Client(base_url=base) as client:
        assert client.get("/api/v1/register").status_code == 200
        queries = app.state.backend.queries
        queries.search = queries.certificate = broken
        for path in ("/api/v1/register?q=gone", "/api/v1/certificates/PSO-2025-000001"):
            with capture_logs() as logs:  # and not the console's rendering of the traceback
                failed = client.get(path)
            assert problem_of(failed, 500)["detail"] == "something went wrong on our side"
            assert failed.headers["connection"] == "close"
            assert [e["event"] for e in logs if e["log_level"] == "error"] == ["unexpected_error"]
            again = client.get("/api/v1/norms")
            assert again.status_code == 200
            assert again.headers.get("connection") != "close"


@pytest.fixture
def sqlite_app(tmp_path: Path) -> Iterator[tuple[TestClient, dict[str, str], Path]]:
    """The app on a SQLite file with one registered organisation; a staff token's header."""
    path = tmp_path / "pso.sqlite3"
    settings = Settings(database_url=f"sqlite:///{path}", scheduler=False, rate_limit_per_minute=0)
    with TestClient(create_app(settings)) as client:
        token = client.app.state.users.create("anna", "staff")  # type: ignore[attr-defined]
        auth = {"Authorization": f"Bearer {token}"}
        created = client.post("/api/v1/staff/organisations", json=ORGANISATION, headers=auth)
        assert created.status_code == 201, created.text
        yield client, auth, path


class WriteLock:
    """SQLite's write lock, held by another connection (a long import, another process)."""

    def __init__(self, path: Path) -> None:
        self.connection = sqlite3.connect(path, isolation_level=None)

    def __enter__(self) -> WriteLock:
        self.connection.execute("BEGIN IMMEDIATE")
        return self

    def __exit__(self, *_: object) -> None:
        self.connection.execute("ROLLBACK")
        self.connection.close()


def test_a_command_that_cannot_get_the_write_lock_is_a_503_with_retry_after(
    sqlite_app: tuple[TestClient, dict[str, str], Path],
) -> None:
    """Another connection holds the write lock beyond the busy timeout: 503 problem+json with
    Retry-After and nothing written; the same command succeeds once the lock is free."""
    client, auth, path = sqlite_app
    second = {**ORGANISATION, "kvk": "23456789"}
    with WriteLock(path):
        busy = client.post("/api/v1/staff/organisations", json=second, headers=auth)
    refused = problem_of(busy, 503)
    assert refused["type"].endswith("/database-busy")
    assert int(busy.headers["retry-after"]) >= 1
    unknown = client.get("/api/v1/staff/organisations/23456789/timeline", headers=auth)
    assert unknown.status_code == 404
    done = client.post("/api/v1/staff/organisations", json=second, headers=auth)
    assert done.status_code == 201, done.text


def test_staff_reads_and_token_checks_answer_while_another_connection_holds_the_write_lock(
    sqlite_app: tuple[TestClient, dict[str, str], Path],
) -> None:
    """Reads never take the write lock: with it held elsewhere, every authenticated staff GET
    answers 200 (a read that needed the lock would wait for it and answer 503)."""
    client, auth, path = sqlite_app
    with WriteLock(path):
        for route in (
            "/worklist",
            "/applications",
            "/contributions",
            "/organisations/12345678/timeline",
            "/organisations/12345678/dispute-report?on=2025-07-01",
        ):
            response = client.get(f"/api/v1/staff{route}", headers=auth)
            assert response.status_code == 200, (route, response.text)
        public = client.get("/api/v1/organisations/12345678/position?on=2025-07-01")
        assert public.status_code == 200
