"""Readiness tells the truth and answers fast; liveness is only liveness."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from api.app import create_app
from api.readiness import Readiness, health
from api.settings import Settings
from api.storage import engine_for
from projections.register import RegisterView
from tests.projection_support import populate, runner_for


def test_readyz_answers_503_within_a_second_while_a_writer_holds_the_sqlite_write_lock(
    tmp_path: Path,
) -> None:
    """The write probe gives up after half a second instead of queueing behind the writer;
    /healthz still says alive; once the writer is done the process is ready again."""
    url = f"sqlite:///{tmp_path}/pso.sqlite3"
    settings = Settings(database_url=url, scheduler=False, rate_limit_per_minute=0)
    with TestClient(create_app(settings)) as client:
        assert client.get("/readyz").status_code == 200
        writer = sqlite3.connect(tmp_path / "pso.sqlite3", isolation_level=None)
        writer.execute("BEGIN IMMEDIATE")
        try:
            started = time.monotonic()
            answer = client.get("/readyz")
            took = time.monotonic() - started
            assert answer.status_code == 503
            assert answer.json()["status"] == "database cannot take a write"
            assert took < 1.2, took
            assert client.get("/healthz").json() == {"status": "ok"}
        finally:
            writer.execute("ROLLBACK")
            writer.close()
        assert client.get("/readyz").status_code == 200


def test_readiness_allows_a_lag_beyond_the_bound_only_for_the_grace_period(
    database_url: str,
) -> None:
    """Behind the bound: ready during the grace period, not ready after it, ready once the
    read models caught up."""
    register = populate(database_url, 2)
    runner, _ = runner_for(register, database_url)
    settings = Settings(database_url=database_url, ready_max_lag=5, ready_lag_grace=0.3)
    readiness = Readiness(settings, runner, runner.engine, register.clock)
    try:
        ready, body = readiness.check()
        assert ready, body
        assert body["lagging_beyond_bound"]
        time.sleep(0.4)
        ready, body = readiness.check()
        assert not ready
        assert body["status"].startswith(f"lagging: register_v{RegisterView.version}")
        runner.catch_up()
        ready, body = readiness.check()
        assert ready, body
        assert "lagging_beyond_bound" not in body
    finally:
        readiness.close()
        runner.engine.dispose()
        register.close()


@pytest.mark.postgres
def test_readyz_answers_503_within_a_second_while_the_probe_row_is_locked_on_postgresql(
    postgres_url: str,
) -> None:
    """On PostgreSQL the probe's lock timeout bounds the wait for a writer holding its row."""
    settings = Settings(database_url=postgres_url, scheduler=False, rate_limit_per_minute=0)
    with TestClient(create_app(settings)) as client:
        assert client.get("/readyz").status_code == 200
        locker = engine_for(postgres_url)
        with locker.connect() as conn:
            conn.execute(select(health).with_for_update())
            started = time.monotonic()
            answer = client.get("/readyz")
            took = time.monotonic() - started
            conn.rollback()
        locker.dispose()
        assert answer.status_code == 503
        assert answer.json()["status"] == "database cannot take a write"
        assert took < 1.2, took
        assert client.get("/readyz").status_code == 200
