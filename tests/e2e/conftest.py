"""Fixtures of the end-to-end tests: the HTTP app over a real database."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from tests.projection_support import populate
from tests.public_pages import pages_app, populate_pages
from tests.scenarios import STAFF
from tests.staff_client import Api


@pytest.fixture
def api(database_url: str) -> Iterator[Api]:
    """The app on an empty register, scheduler off."""
    settings = Settings(database_url=database_url, scheduler=False, rate_limit_per_minute=0)
    with TestClient(create_app(settings)) as client:
        yield Api(client)


@pytest.fixture
def client(database_url: str) -> Iterator[TestClient]:
    """A populated register (5 organisations, one withdrawn backdated), read models caught up."""
    register = populate(database_url, 5)
    register.clock.advance(dt.timedelta(days=100))  # type: ignore[attr-defined]
    register.withdraw_certificate(
        "PSO-2025-000002", dt.date(2025, 7, 1), STAFF.because("backdated")
    )
    register.close()
    settings = Settings(database_url=database_url, scheduler=False, rate_limit_per_minute=0)
    with TestClient(create_app(settings)) as test_client:
        test_client.app.state.backend.runner.catch_up()  # type: ignore[attr-defined]
        yield test_client


@pytest.fixture
def pages(database_url: str) -> Iterator[TestClient]:
    """The app over the page tests' register (tests/public_pages.py), read models caught up."""
    populate_pages(database_url)
    with TestClient(pages_app(database_url)) as client:
        client.app.state.backend.runner.catch_up()  # type: ignore[attr-defined]
        yield client
