"""``pso norms`` and ``pso score`` read the register's scheme catalogue, as the API does: a version
published through HTTP is listed, shown and used by the command line on the same database."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
from pathlib import Path

from domain.clock import SystemClock, business_date
from tests.e2e.test_cli import PSO, ROOT
from tests.staff_client import Api, ok
from tests.unit.domain.test_scheme_rules import version_document

#: a published version comes into force after today: 1 April next year (the scheme's usual day)
IN_FORCE = dt.date(business_date(SystemClock().now()).year + 1, 4, 1).isoformat()
DAY_BEFORE = (dt.date.fromisoformat(IN_FORCE) - dt.timedelta(days=1)).isoformat()


def pso(database_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    """Run ``pso`` as a user does, on one database."""
    env = {**os.environ, "PSO_DATABASE_URL": database_url, "PSO_LOG_LEVEL": "WARNING"}
    return subprocess.run(  # noqa: S603 (our own console script, fixed arguments)
        [str(PSO), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env=env,
    )


def test_a_version_published_through_the_api_is_listed_shown_and_used_by_the_cli(
    api: Api, database_url: str
) -> None:
    """2.2 published by an admin over HTTP: ``pso norms list`` lists what the API lists,
    ``pso norms show 2.2`` shows it, and ``pso score --on`` its first day assesses under it."""
    published = ok(api.post("/norms", version_document("2.2", IN_FORCE), who="admin"), 201)
    assert published == {"version": "2.2", "effective_from": IN_FORCE}
    listed = pso(database_url, "norms", "list")
    assert listed.returncode == 0, listed.stderr
    for version in api.client.get("/api/v1/norms").json():
        assert f" {version['version']} " in listed.stdout
    assert IN_FORCE in listed.stdout
    shown = pso(database_url, "norms", "show", "2.2")
    assert shown.returncode == 0, shown.stderr
    assert f"PSO-handleiding 2.2, in force from {IN_FORCE}" in shown.stdout
    scored = pso(database_url, "score", "examples/declaration-trede-2.json", "--on", IN_FORCE)
    assert scored.returncode == 0, scored.stderr
    assert json.loads(scored.stdout)["handbook_version"] == "2.2"
    day_before = pso(database_url, "score", "examples/declaration-trede-2.json", "--on", DAY_BEFORE)
    assert json.loads(day_before.stdout)["handbook_version"] == "2.1"


def test_without_a_database_file_the_cli_reads_the_shipped_versions_and_creates_nothing(
    tmp_path: Path,
) -> None:
    """A SQLite file that does not exist yet is not created (nor its folder) by asking."""
    url = f"sqlite:///{tmp_path}/not-yet/pso.sqlite3"
    listed = pso(url, "norms", "list")
    assert listed.returncode == 0, listed.stderr
    assert " 2.1 " in listed.stdout
    assert " 2.2 " not in listed.stdout
    assert pso(url, "norms", "show", "2.2").returncode == 2
    assert pso(url, "score", "examples/declaration-trede-2.json").returncode == 0
    assert not (tmp_path / "not-yet").exists()
