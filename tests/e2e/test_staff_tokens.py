"""Staff tokens expire, and the demo keeps one token instead of minting one per start."""

from __future__ import annotations

import datetime as dt
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.lifespan import demo_token, demo_token_file
from api.settings import Settings
from api.storage import engine_for
from api.users import Users, token_lifetime
from domain.clock import SimulatedClock
from domain.errors import InvalidInputError

START = dt.datetime(2026, 12, 1, 10, tzinfo=dt.UTC)
PSO = Path(sys.executable).parent / "pso"


def test_an_expired_token_is_401_saying_when_it_expired(database_url: str) -> None:
    """Valid until its expiry, then a 401 problem that says it expired and what to do."""
    clock = SimulatedClock(START)
    settings = Settings(database_url=database_url, scheduler=False, rate_limit_per_minute=0)
    with TestClient(create_app(settings, clock=clock)) as client:
        users = client.app.state.users  # type: ignore[attr-defined]
        token = users.create("kees", "staff", expires_in=dt.timedelta(days=1))
        auth = {"Authorization": f"Bearer {token}"}
        assert client.get("/api/v1/staff/worklist", headers=auth).status_code == 200
        clock.advance(dt.timedelta(days=1))
        answer = client.get("/api/v1/staff/worklist", headers=auth)
    assert answer.status_code == 401
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.headers["www-authenticate"] == "Bearer"
    assert answer.json()["detail"] == (
        "the token expired at 2026-12-02 10:00 UTC; an admin makes a new one with pso users create"
    )


@pytest.mark.parametrize(("text", "days"), [("90d", 90), ("12h", 0.5), ("730d", 730)])
def test_a_token_lifetime_is_days_or_hours(text: str, days: float) -> None:
    """`--expires 90d` or `--expires 12h`."""
    assert token_lifetime(text) == dt.timedelta(days=days)


@pytest.mark.parametrize("text", ["0d", "731d", "never", "90", "-1d", "1y"])
def test_a_token_lifetime_beyond_two_years_or_without_unit_is_refused(text: str) -> None:
    """Every token ends, within two years."""
    with pytest.raises(InvalidInputError, match="expires"):
        token_lifetime(text)


def test_users_create_prints_the_expiry_it_gave_and_refuses_a_bad_one(tmp_path: Path) -> None:
    """`pso users create --expires 12h` prints the token with its expiry; a bad value exits 2."""
    env = {**os.environ, "PSO_DATABASE_URL": f"sqlite:///{tmp_path}/pso.sqlite3"}

    def users(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(  # noqa: S603 (our own console script, fixed arguments)
            [str(PSO), "users", *args], env=env, capture_output=True, text=True, timeout=60,
            check=False,
        )  # fmt: skip

    made = users("create", "--name", "joke", "--role", "staff", "--expires", "12h")
    assert made.returncode == 0, made.stderr
    created = json.loads(made.stdout)
    expires_at = dt.datetime.fromisoformat(created["expires_at"])
    lifetime = expires_at - dt.datetime.now(dt.UTC)
    assert dt.timedelta(hours=11) < lifetime <= dt.timedelta(hours=12)
    refused = users("create", "--name", "piet", "--role", "staff", "--expires", "forever")
    assert refused.returncode == 2
    assert "expires: a number of days or hours" in refused.stderr
    listed = json.loads(users("list").stdout)
    assert [(u["name"], u["expired"]) for u in listed] == [("joke", False)]


def test_the_demo_keeps_its_token_between_starts_in_a_file_only_its_owner_reads(
    tmp_path: Path,
) -> None:
    """The same token on every start; a new one for the same user once it was revoked."""
    url = f"sqlite:///{tmp_path}/var/pso.sqlite3"
    settings = Settings(database_url=url)
    (tmp_path / "var").mkdir()
    engine, reader = engine_for(url, writer=True), engine_for(url)
    users = Users(engine, reader)
    first = demo_token(settings, users)
    assert demo_token(settings, users) == first
    path = demo_token_file(settings)
    assert path == tmp_path / "var" / "demo-staff.token"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_text().strip() == first
    users.revoke("demo-staff")
    renewed = demo_token(settings, users)
    assert renewed != first
    assert users.authenticate(renewed) is not None
    assert users.authenticate(first) is None
    assert [u["name"] for u in users.listing()] == ["demo-staff"]
    engine.dispose()
    reader.dispose()


def test_a_user_table_from_before_expiries_gets_the_column_and_its_tokens_never_expire(
    tmp_path: Path,
) -> None:
    """An existing database keeps working: old tokens are listed as never expiring."""
    url = f"sqlite:///{tmp_path}/pso.sqlite3"
    engine, reader = engine_for(url, writer=True), engine_for(url)
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "CREATE TABLE pso_users (id INTEGER PRIMARY KEY, name VARCHAR(100) NOT NULL UNIQUE,"
            " role VARCHAR(20) NOT NULL, ci VARCHAR(40), token_hash VARCHAR(64) NOT NULL UNIQUE,"
            " created_at DATETIME NOT NULL, revoked_at DATETIME)"
        )
        conn.exec_driver_sql(  # the hash of "pso_old"
            "INSERT INTO pso_users (name, role, token_hash, created_at) VALUES ('oud', 'staff',"
            " '860800c6abfb6054ece561e6ce122a5ba6b7d664af02413105ed91b808922775', '2025-01-01')"
        )
    users = Users(engine, reader)
    assert users.listing()[0]["expires_at"] == "never"
    old = users.authenticate("pso_old")
    assert old is not None
    assert old.name == "oud"
    engine.dispose()
    reader.dispose()
