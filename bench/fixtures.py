"""Databases and a generated register for the benchmarks: certificates imported in one
transaction, on SQLite or in a fresh PostgreSQL schema."""

from __future__ import annotations

import datetime as dt
import os
import random
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg

from api.settings import Settings
from api.wiring import Backend
from domain.certificate import Status
from domain.clock import SimulatedClock
from domain.import_file import ImportRow
from domain.values import Cause, Role
from norms.levels import Level

LEVELS = [Level.TREDE_1, Level.TREDE_2, Level.TREDE_3, Level.ASPIRANT]
NOW = dt.datetime(2026, 6, 1, 9, tzinfo=dt.UTC)


def rows(count: int, seed: int = 7, *, expired_share: float = 0.0) -> list[ImportRow]:
    """``count`` organisations with one certificate each; some already past their end."""
    rng = random.Random(seed)
    result = []
    for i in range(count):
        start = dt.date(2024, 1, 1) + dt.timedelta(days=rng.randrange(700))
        if rng.random() < expired_share:
            start = dt.date(2023, 1, 1) + dt.timedelta(days=rng.randrange(300))
        level = rng.choice(LEVELS)
        result.append(
            ImportRow(
                line=i + 2,
                kvk=f"{40000000 + i:08d}",
                name=f"Benchmark organisatie {i}",
                place=rng.choice(["Utrecht", "Ede", "Zwolle", "Gouda"]),
                subsidiaries=(),
                certificate_number=f"PSO-{start.year}-{100000 + i:06d}",
                level=level,
                pso30plus=False,
                valid_from=start,
                valid_until=start + dt.timedelta(days=729),
                ci="kiwa",
                status=Status.ACTIVE,
                status_effective_on=None,
            )
        )
    return result


POSTGRES = os.environ.get("PSO_TEST_DATABASE_URL")


@contextmanager
def database(kind: str, work: Path, name: str) -> Iterator[str]:
    """A fresh empty database URL: a new SQLite file, or a new schema dropped afterwards."""
    if kind == "sqlite":
        path = work / f"{name}.sqlite3"
        for old in path.parent.glob(f"{path.name}*"):
            old.unlink()
        yield f"sqlite:///{path.resolve()}"
        return
    assert POSTGRES is not None  # noqa: S101 (asked for only when set)
    schema = f"bench_{name}_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(POSTGRES, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    try:
        yield f"{POSTGRES}?schema={schema}"
    finally:
        with psycopg.connect(POSTGRES, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


def build_register(url: str, count: int, *, expired_share: float = 0.0) -> Backend:
    """A register with ``count`` certificates in an empty database, read models caught up."""
    settings = Settings(database_url=url, scheduler=False, rate_limit_per_minute=0)
    backend = Backend.build(settings, clock=SimulatedClock(NOW))
    cause = Cause("bench", Role.IMPORT, "bench-import")
    backend.register.import_register(rows(count, expired_share=expired_share), cause)
    backend.runner.catch_up()
    return backend
