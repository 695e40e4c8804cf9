"""Shared fixtures: the bundled scheme catalogue, and the PostgreSQL guard for CI."""

from __future__ import annotations

import os

import pytest

from norms.bundled import bundled_catalogue
from norms.catalogue import SchemeCatalogue


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
