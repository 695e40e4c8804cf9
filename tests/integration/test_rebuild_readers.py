"""A rebuild switching its tables in never makes a public read fail on PostgreSQL.

A reader takes its tables one by one; a switch that held one table and waited for another could
deadlock with a reader holding the second and waiting for the first, and PostgreSQL then aborts
one of them (a public search failed this way while the register was rebuilt). The switch gives
way instead: the reader's transaction completes, and so does the rebuild.
"""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import Engine, func, select, text

from api.storage import engine_for
from projections.rebuild import Rebuilt, rebuild
from tests.projection_support import dump, populate, runner_for

pytestmark = pytest.mark.postgres


def _waiting_for_a_table(engine: Engine) -> bool:
    """Whether another connection waits for an exclusive lock on a table."""
    with engine.connect() as conn:
        return bool(
            conn.execute(
                text(
                    "SELECT count(*) FROM pg_locks WHERE NOT granted "
                    "AND mode = 'AccessExclusiveLock' AND locktype = 'relation'"
                )
            ).scalar()
        )


def test_a_reader_holding_tables_in_the_other_order_completes_and_so_does_the_rebuild(
    postgres_url: str,
) -> None:
    register = populate(postgres_url, 3)
    runner, models = runner_for(register, postgres_url)
    runner.catch_up()
    live = dump(runner.engine, models)
    serving = [t for p in models.all() for t in p.metadata.sorted_tables]
    first, last = serving[0], serving[-1]
    reader = engine_for(postgres_url)
    outcome: list[Rebuilt | BaseException] = []

    def run() -> None:
        try:
            outcome.append(rebuild(runner))
        except BaseException as error:  # noqa: BLE001 (reported to the test below)
            outcome.append(error)

    with reader.connect() as conn, conn.begin():
        conn.execute(select(func.count()).select_from(last))  # the reader holds the last table
        thread = threading.Thread(target=run)
        thread.start()
        until = time.monotonic() + 60
        while not _waiting_for_a_table(reader):  # the switch waits for what the reader holds
            assert time.monotonic() < until, "the rebuild never reached its switch"
            assert thread.is_alive(), outcome
            time.sleep(0.005)
        time.sleep(0.05)
        # and now the reader wants the first table too: it gets it, without a deadlock
        count = conn.execute(select(func.count()).select_from(first)).scalar()
        assert count is not None
        assert thread.is_alive(), "the rebuild switched while a reader held a serving table"
    thread.join(timeout=120)
    assert not thread.is_alive()
    (result,) = outcome
    assert isinstance(result, Rebuilt), result
    assert sorted(result.switched) == sorted(p.name for p in models.all())
    assert dump(runner.engine, models) == live
    reader.dispose()
    runner.engine.dispose()
    register.close()
