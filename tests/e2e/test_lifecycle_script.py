"""examples/lifecycle.sh, run as staff would run it, against a SQLite file and PostgreSQL."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
PSO = Path(sys.executable).parent / "pso"


def documents(output: str) -> list[Any]:
    """The JSON documents the script printed, in order."""
    decoder = json.JSONDecoder()
    found, index = [], 0
    while (match := re.compile(r"^[\[{]", re.MULTILINE).search(output, index)) is not None:
        value, index = decoder.raw_decode(output, match.start())
        found.append(value)
    return found


def test_the_scripted_lifecycle_ends_with_a_backdated_withdrawal(database_url: str) -> None:
    """Register, apply, audit, decide, withdraw with effect in the past; then ask the register."""
    env = {**os.environ, "PSO_DATABASE_URL": database_url, "PSO": str(PSO)}
    result = subprocess.run(  # noqa: S603 (our own example script)
        ["bash", str(ROOT / "examples" / "lifecycle.sh")],  # noqa: S607 (bash from PATH)
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    docs = documents(result.stdout)
    now, then, coverage, timeline = docs[-4:]
    # the CLI prints the same documents as the HTTP API (api/documents.py)
    assert (now["status"], now["since"], now["level"]) == ("withdrawn", "2025-06-01", None)
    assert now["recorded_at"] > "2025-06-01"
    assert (then["status"], then["level"]) == ("certified", "trede_2")
    assert coverage["covered"] is False
    assert [(g["from"], g["to"], g["status"], g["level"]) for g in coverage["gaps"]] == [
        ("2025-06-01", "2025-12-31", "withdrawn", None)
    ]
    assert coverage["gaps"][0]["certificate"]["level"] == "trede_2"
    withdrawal = timeline[-1]
    assert withdrawal["event"] == "pso.certificate.Withdrawn.v1"
    assert withdrawal["facts"]["effective_date"] == "2025-06-01"
    assert withdrawal["recorded_at"] > withdrawal["facts"]["effective_date"]
    assert withdrawal["reason"] == "false declaration found"
    assert {e["actor_role"] for e in timeline} == {"staff", "auditor"}


def test_a_domain_error_exits_2_with_the_message(tmp_path: Path) -> None:
    """Withdrawing an unknown certificate says so and exits 2."""
    env = {**os.environ, "PSO_DATABASE_URL": f"sqlite:///{tmp_path}/x.sqlite3"}
    result = subprocess.run(  # noqa: S603 (our own console script)
        [str(PSO), "certificate", "withdraw", "PSO-2025-000999", "--on", "2025-06-01"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert "certificate PSO-2025-000999 not found" in result.stderr
