"""Shared fixtures: the scheme catalogue, real databases, and the PostgreSQL guard for CI.

Databases: a SQLite file per test, and a PostgreSQL schema per test in a database per run.
PostgreSQL tests run when ``PSO_TEST_DATABASE_URL`` is set; CI sets ``PSO_REQUIRE_POSTGRES=1``
and then fails the run if any of them was skipped.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
from hypothesis import settings

from norms.bundled import bundled_catalogue
from norms.catalogue import SchemeCatalogue

ADMIN_URL = os.environ.get("PSO_TEST_DATABASE_URL")

# properties are about results, never about time (timings belong in ``make bench``): no
# per-example deadline, which a loaded CI machine overran in a scoring property
settings.register_profile("register", deadline=None)
settings.load_profile("register")


@pytest.fixture(scope="session")
def catalogue() -> SchemeCatalogue:
    """Every handbook version shipped in norms/data."""
    return bundled_catalogue()


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Fail the run when PostgreSQL is required (CI) but PostgreSQL tests were skipped."""
    if os.environ.get("PSO_REQUIRE_POSTGRES") != "1" or exitstatus != 0:
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    postgres_skipped = [r for r in skipped if "postgres" in getattr(r, "keywords", {})]
    if postgres_skipped:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
        if reporter:
            names = ", ".join(r.nodeid for r in postgres_skipped[:5])
            reporter.write_line(
                f"PostgreSQL tests were skipped but are required: {names}", red=True
            )


def _with_database(url: str, database: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{database}", parts.query, parts.fragment))


@pytest.fixture(scope="session")
def postgres_run_url() -> Iterator[str]:
    """A database of its own for this test run, dropped at the end."""
    if not ADMIN_URL:
        pytest.skip("PSO_TEST_DATABASE_URL is not set")
    name = f"pso_test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield _with_database(ADMIN_URL, name)
    finally:
        with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, empty database URL: a SQLite file, or a new PostgreSQL schema."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/pso.sqlite3"
    return new_schema(request.getfixturevalue("postgres_run_url"))


@pytest.fixture
def postgres_url(postgres_run_url: str) -> str:
    """A fresh PostgreSQL schema, for tests that only make sense on PostgreSQL."""
    return new_schema(postgres_run_url)


def new_schema(run_url: str) -> str:
    """Create an empty schema in the run's database and return its URL."""
    schema = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(run_url, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    return f"{run_url}?schema={schema}"
