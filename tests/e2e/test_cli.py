"""The ``pso`` command line as a user runs it: a real process, stdout, stderr and exit codes."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PSO = Path(sys.executable).parent / "pso"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    """Run ``pso`` with arguments from the project root."""
    return subprocess.run(  # noqa: S603 (our own console script, fixed arguments)
        [str(PSO), *args], cwd=ROOT, capture_output=True, text=True, timeout=60, check=False
    )


def test_score_prints_an_assessment_whose_level_matches_the_published_table() -> None:
    """The example (50 FTE, score 5.55 %) is trede 2: at least 3.7, below 6.8."""
    result = run("score", "examples/declaration-trede-2.json", "--on", "2026-01-15")
    assert result.returncode == 0, result.stderr
    assessment = json.loads(result.stdout)
    assert assessment["handbook_version"] == "2.1"
    assert assessment["total_score"] == "5.5464"
    assert assessment["norms"] == {
        "basistrede": "1.5",
        "trede_1": "3.0",
        "trede_2": "3.7",
        "trede_3": "6.8",
    }
    assert assessment["level"] == "trede_2"
    assert assessment["pso30plus"] is False


def test_score_under_an_older_version_follows_the_submission_date() -> None:
    """Submitted on 31 March 2023 the example is assessed under 2.0 (no basistrede)."""
    result = run("score", "examples/declaration-trede-2.json", "--on", "2023-03-31")
    assessment = json.loads(result.stdout)
    assert assessment["handbook_version"] == "2.0"
    assert "basistrede" not in assessment["norms"]


def test_score_of_a_bad_declaration_exits_2_naming_the_fields(tmp_path: Path) -> None:
    """Negative FTE and a name field are both reported; nothing is printed on stdout."""
    bad = tmp_path / "bad.json"
    bad.write_text(
        json.dumps(
            {
                "peiljaar": 2025,
                "total_fte": "10",
                "persons": [
                    {
                        "ref": "A",
                        "name": "Jan",
                        "starting_position": "wajong",
                        "intake_date": "2024-01-01",
                        "contract": "regular",
                        "fte": "1",
                    },
                    {
                        "ref": "B",
                        "starting_position": "wajong",
                        "intake_date": "2024-01-01",
                        "contract": "regular",
                        "fte": "-1",
                    },
                ],
                "purchases": [],
                "qualitative": {},
            }
        )
    )
    result = run("score", str(bad))
    assert result.returncode == 2
    assert result.stdout == ""
    assert "persons[0].name" in result.stderr
    assert "persons[1].fte" in result.stderr


def test_score_of_a_date_before_every_version_or_a_missing_file_exits_2(tmp_path: Path) -> None:
    """Errors outside the declaration are clear too."""
    early = run("score", "examples/declaration-trede-2.json", "--on", "2016-05-01")
    assert early.returncode == 2
    assert "no handbook version was in force on 2016-05-01" in early.stderr
    missing = run("score", str(tmp_path / "nope.json"))
    assert missing.returncode == 2
    assert "cannot read" in missing.stderr


def test_norms_show_marks_published_and_provisional_values() -> None:
    """The 2.1 table shows anchor norms as published (P) and interpolated ones as assumed (A)."""
    result = run("norms", "show", "2.1")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    row_50 = next(line for line in lines if line.strip("│ ").startswith("50 "))
    row_51 = next(line for line in lines if line.strip("│ ").startswith("51 "))
    assert "3.0 P" in row_50
    assert "A" in row_51.split("│")[3]
    assert "provisional values" in result.stdout


def test_norms_list_names_every_version() -> None:
    """All bundled versions are listed with their dates."""
    result = run("norms", "list")
    for version in ("1.5", "1.6", "1.7", "1.8", "1.9", "2.0", "2.1"):
        assert f" {version} " in result.stdout
    assert "2023-04-01" in result.stdout


def _demo(database: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 (our own console script, fixed arguments)
        [str(PSO), "demo", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, "PSO_DATABASE_URL": f"sqlite:///{database}", "PSO_LOG_LEVEL": "WARNING"},
    )


def _stored(database: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(database) as conn:
        return list(conn.execute("SELECT topic, state FROM stored_events ORDER BY rowid"))


def test_demo_writes_the_same_register_for_the_same_seed_and_only_into_an_empty_database(
    tmp_path: Path,
) -> None:
    """Two runs with one seed store identical events; a third into the same file is refused;
    the register is readable through the read models (organisations by level per year)."""
    first, second = tmp_path / "a.sqlite3", tmp_path / "b.sqlite3"
    result = _demo(first, "--orgs", "40", "--years", "3", "--seed", "7")
    assert result.returncode == 0, result.stderr
    assert "Organisations by level at the end of each year" in result.stdout
    assert "registered: 40" in result.stdout
    assert _demo(second, "--orgs", "40", "--years", "3", "--seed", "7").returncode == 0
    stored = _stored(first)
    topics = {topic for topic, _ in stored}
    assert {"pso.certificate.Issued.v1", "pso.participation.Paid.v1"} <= topics
    assert [t for t, _ in stored] == [t for t, _ in _stored(second)]
    again = _demo(first, "--orgs", "40", "--years", "3")
    assert again.returncode == 2
    assert "demo needs an empty database" in again.stdout
    bad = _demo(tmp_path / "c.sqlite3", "--orgs", "5", "--start", "2021-13-01")
    assert bad.returncode == 2
    assert "--start: not a date" in bad.stdout


def test_a_bad_setting_stops_every_command_with_its_name_and_exit_2_not_a_traceback() -> None:
    """`pso serve` and any other command check the environment first."""
    env = {**os.environ, "PSO_PORT": "eighty", "PSO_SCHEDULER": "maybe"}
    for args in (["serve"], ["norms", "list"], ["users", "list"]):
        result = subprocess.run(  # noqa: S603 (our own console script, fixed arguments)
            [str(PSO), *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
            check=False,
        )  # fmt: skip
        assert result.returncode == 2, result.stderr
        assert "PSO_PORT: expected a whole number, got 'eighty'" in result.stderr
        assert "PSO_SCHEDULER: expected on/off" in result.stderr
        assert "Traceback" not in result.stderr


def test_serve_names_a_database_it_cannot_open_and_exits_2(tmp_path: Path) -> None:
    """A database that refuses the connection is one line on stderr, not a traceback."""
    env = {**os.environ, "PSO_DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none"}
    result = subprocess.run(  # noqa: S603 (our own console script, fixed arguments)
        [str(PSO), "serve", "--port", "1"], cwd=tmp_path, env=env, capture_output=True,
        text=True, timeout=60, check=False,
    )  # fmt: skip
    assert result.returncode == 2, result.stderr
    assert "cannot open the database of PSO_DATABASE_URL" in result.stderr
    assert "Traceback" not in result.stderr
