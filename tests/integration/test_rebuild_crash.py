"""A rebuild killed with SIGKILL at any moment leaves the old read model serving (complete, at
its old position) or the new one complete: the public register never reads empty or partial,
readiness never says ready with a wrong register, and a later rebuild completes and equals the
live run."""

from __future__ import annotations

import datetime as dt
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from sqlalchemy import inspect

from api.readiness import Readiness
from api.settings import Settings
from api.storage import engine_for
from projections.catalogue import ReadModels
from projections.queries import RegisterQueries
from projections.rebuild import rebuilding
from projections.search import shadow_tables
from tests.projection_support import dump, populate, runner_for

PSO = Path(sys.executable).parent / "pso"
ORGANISATIONS = 12
KILLS = 20


def rebuild_process(url: str) -> subprocess.Popen[bytes]:
    """``pso projections rebuild`` in its own process, in small batches."""
    return subprocess.Popen(  # noqa: S603 (our own console script)
        [str(PSO), "projections", "rebuild", "--batch-size", "4"],
        env={**os.environ, "PSO_DATABASE_URL": url, "PSO_LOG_FORMAT": "json"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def public_answers(queries: RegisterQueries) -> dict[str, Any]:
    """What the public register says: the search, and each organisation's position."""
    page, _ = queries.search(limit=200)
    positions = {
        o["main_kvk"]: queries.position(o["main_kvk"], dt.date(2025, 7, 1)).standing for o in page
    }
    return {"search": page, "positions": positions}


def started(process: subprocess.Popen[bytes], reader: Any, queries: RegisterQueries) -> float:
    """Wait until the rebuild began building (its tracking rows exist); checks the register
    meanwhile. The moment it began."""
    while not rebuilding(reader) and process.poll() is None:
        assert len(queries.search(limit=200)[0]) == ORGANISATIONS
        time.sleep(0.005)
    return time.monotonic()


def test_a_rebuild_killed_at_random_moments_never_leaves_a_wrong_register(
    database_url: str,
) -> None:
    """Twenty kills at random moments of the rebuild's measured duration, a check of the public
    register and of readiness after each, then a rebuild that completes."""
    register = populate(database_url, ORGANISATIONS)
    runner, models = runner_for(register, database_url)
    runner.catch_up()
    reader = engine_for(database_url)
    queries = RegisterQueries(reader, models)
    live = dump(runner.engine, models)
    answers = public_answers(queries)
    assert len(answers["search"]) == ORGANISATIONS
    readiness = Readiness(
        Settings(database_url=database_url), runner, runner.engine, register.clock
    )

    measured = rebuild_process(database_url)
    began = started(measured, reader, queries)
    assert measured.wait(timeout=120) == 0
    duration = time.monotonic() - began
    assert dump(runner.engine, models) == live
    rng = random.Random(os.getpid())  # noqa: S311 (moments to kill at, not secrets)
    interrupted = 0
    for _ in range(KILLS):
        process = rebuild_process(database_url)
        started(process, reader, queries)
        until = time.monotonic() + rng.uniform(0, duration * 1.1)
        while time.monotonic() < until:  # the register serves while the rebuild runs
            assert len(queries.search(limit=200)[0]) == ORGANISATIONS
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
        interrupted += bool(rebuilding(reader))
        assert public_answers(queries) == answers
        assert dump(runner.engine, models) == live
        assert set(runner.positions().values()) == {runner.head()}
        ready, body = readiness.check()
        assert ready, body

    finished = rebuild_process(database_url)
    assert finished.wait(timeout=120) == 0
    assert rebuilding(reader) == {}
    assert dump(runner.engine, models) == live
    serving = _serving_tables(models, runner.engine.dialect.name)
    assert _read_model_tables(runner.engine, models) == serving
    assert interrupted > 0, "no kill landed while the rebuild was building"
    print(f"rebuild {duration:.2f} s; {interrupted} of {KILLS} kills interrupted it")  # noqa: T201
    readiness.close()
    reader.dispose()
    runner.engine.dispose()
    register.close()


def _read_model_tables(engine: Any, models: ReadModels) -> set[str]:
    """Every table named like a read model's (serving, or left by a rebuild)."""
    prefixes = tuple(f"{p.name}_v" for p in models.all())
    return {t for t in inspect(engine).get_table_names() if t.startswith(prefixes)}


def _serving_tables(models: ReadModels, dialect: str) -> set[str]:
    """The serving tables, with those SQLite keeps for each full-text table."""
    tables = [t for p in models.all() for t in p.metadata.sorted_tables]
    return {t.name for t in tables} | {s for t in tables for s in shadow_tables(t, dialect)}
