"""Property-based runs of every endpoint from the OpenAPI schema (schemathesis) with random data,
with and without an admin token, on SQLite and PostgreSQL: no 5xx, and every response documented
(its status among the operation's, its content type, its body as the schema says).
``PSO_FUZZ_EXAMPLES`` sets the examples per operation (``make fuzz`` runs long).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api.app import create_app
from api.settings import Settings
from domain.signatures import SigningKey, b64encode
from tests.projection_support import populate

SKIPPED_PATHS = {"/api/v1/register.csv", "/api/v1/register.jsonl"}  # streams: no JSON schema
EXAMPLES = int(os.environ.get("PSO_FUZZ_EXAMPLES", "8"))


@pytest.fixture
def served(database_url: str) -> Iterator[tuple[FastAPI, str]]:
    """The app over a small populated register, with an admin token."""
    url = database_url
    populate(url, 3).close()
    key = b64encode(SigningKey.generate().private_bytes())  # statements are made, not refused
    settings = Settings(
        database_url=url, scheduler=False, rate_limit_per_minute=0, statement_key=key
    )
    app = create_app(settings)
    with TestClient(app) as client:
        token = client.app.state.users.create("fuzzer", "admin")  # type: ignore[attr-defined]
        client.app.state.backend.runner.catch_up()  # type: ignore[attr-defined]
        yield app, token


@pytest.mark.parametrize("signed_in", [True, False], ids=["admin", "anonymous"])
def test_every_endpoint_answers_without_server_errors_and_as_documented(
    served: tuple[FastAPI, str], signed_in: bool
) -> None:
    """For each operation of the schema: random requests, no 5xx, and each answer's status,
    content type and body as documented."""
    app, token = served
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    operations: list[Any] = [result.ok() for result in schema.get_all_operations()]  # type: ignore[union-attr]
    assert len(operations) > 30
    headers = {"Authorization": f"Bearer {token}"} if signed_in else {}
    checks = [
        not_a_server_error,
        status_code_conformance,
        content_type_conformance,
        response_schema_conformance,
    ]
    tried = []
    for operation in operations:
        if operation.path in SKIPPED_PATHS:
            continue

        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            derandomize=False,  # new examples in every run; a failure prints how to reproduce it
            suppress_health_check=list(HealthCheck),
            database=None,
        )
        @given(case=operation.as_strategy())
        def run(case: Any) -> None:
            case.call_and_validate(headers=headers, checks=checks)

        run()
        tried.append(f"{operation.method.upper()} {operation.path}")
    assert "POST /api/v1/staff/applications/{application_id}/decision" in tried
