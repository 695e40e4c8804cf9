"""Fixtures of the end-to-end tests: the HTTP app over a real database."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from tests.staff_client import Api


@pytest.fixture
def api(database_url: str) -> Iterator[Api]:
    """The app on an empty register, scheduler off."""
    settings = Settings(database_url=database_url, scheduler=False, rate_limit_per_minute=0)
    with TestClient(create_app(settings)) as client:
        yield Api(client)
