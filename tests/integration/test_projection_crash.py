"""Crashes and concurrency: a runner killed with SIGKILL mid-run loses nothing and doubles nothing;
two runners started together apply every event exactly once.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import Engine

from api.storage import engine_for
from projections.tracking import all_positions
from tests.projection_support import dump, populate, runner_for

PSO = Path(sys.executable).parent / "pso"


def catch_up_process(url: str) -> subprocess.Popen[bytes]:
    """``pso projections catch-up`` in its own process, small batches."""
    return subprocess.Popen(  # noqa: S603 (our own console script)
        [str(PSO), "projections", "catch-up", "--batch-size", "5"],
        env={**os.environ, "PSO_DATABASE_URL": url, "PSO_LOG_FORMAT": "json"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def lowest_position(engine: Engine) -> int:
    """The lowest tracking position, read without waiting for the writer."""
    with engine.connect() as conn:
        positions = list(all_positions(conn).values())
    return min(positions, default=0)


def test_a_runner_killed_mid_run_continues_where_its_last_commit_ended(database_url: str) -> None:
    """Kill -9 after the first commits, restart, and compare with a rebuild from scratch."""
    register = populate(database_url, 60)
    runner, models = runner_for(register, database_url)
    head = runner.head()
    reader = engine_for(database_url)
    process = catch_up_process(database_url)
    deadline = time.monotonic() + 60
    while lowest_position(reader) == 0 and time.monotonic() < deadline:
        time.sleep(0.002)
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=10)
    assert process.stderr is not None
    process.stderr.close()
    killed_at = lowest_position(reader)
    reader.dispose()
    assert 0 < killed_at < head, f"the kill came at {killed_at} of {head}: not mid-run"
    restarted = catch_up_process(database_url)
    _, errors = restarted.communicate(timeout=120)
    assert restarted.returncode == 0, errors.decode()
    assert set(runner.positions().values()) == {head}
    after_crash = dump(runner.engine, models)
    runner.rebuild()
    assert dump(runner.engine, models) == after_crash
    runner.engine.dispose()
    register.close()


@pytest.mark.postgres
def test_two_runners_started_together_apply_every_event_exactly_once(postgres_url: str) -> None:
    """Both finish without error; the rows equal a rebuild (a double apply would duplicate keys)."""
    register = populate(postgres_url, 40)
    runner, models = runner_for(register, postgres_url)
    processes = [catch_up_process(postgres_url) for _ in range(2)]
    for process in processes:
        _, errors = process.communicate(timeout=180)
        assert process.returncode == 0, errors.decode()
    assert set(runner.positions().values()) == {runner.head()}
    together = dump(runner.engine, models)
    runner.rebuild()
    assert dump(runner.engine, models) == together
    runner.engine.dispose()
    register.close()
