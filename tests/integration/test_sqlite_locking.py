"""SQLite's one write lock: writers wait for it without blocking readers of the event store."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

from api.storage import event_store_env
from domain.clock import SimulatedClock
from domain.register import Register
from tests.scenarios import STAFF, START


def _in_thread(work: Callable[[], object], failures: list[BaseException]) -> threading.Thread:
    def run() -> None:
        try:
            work()
        except Exception as exc:  # noqa: BLE001 (collected and asserted on below)
            failures.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def test_two_waiting_writers_do_not_block_a_reader_that_holds_the_write_lock(
    tmp_path: Path,
) -> None:
    """While another connection holds the write lock and reads the log (as the projection runner
    does), two commands of one process wait for the lock; neither fails once it is released.

    With eventsourcing's pool alone the second writer held the pool's turn while waiting for the
    first, so the reader waited for the pool, and the second writer failed after 5 seconds.
    """
    url = f"sqlite:///{tmp_path}/pso.sqlite3"
    register = Register(event_store_env(url), clock=SimulatedClock(START))
    register.register_organisation("10000001", "Eerste BV", "Ede", STAFF)
    holder = sqlite3.connect(tmp_path / "pso.sqlite3", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    failures: list[BaseException] = []
    writers = []
    for kvk in ("10000002", "10000003"):
        command = partial(register.register_organisation, kvk, "BV", "Ede", STAFF)
        writers.append(_in_thread(command, failures))
        time.sleep(0.3)  # the first waits for SQLite's lock, the second behind it
    read = register.recorder.select_notifications(start=1, limit=100)
    holder.execute("COMMIT")
    for writer in writers:
        writer.join(timeout=30)
    assert failures == []
    assert len(read) >= 1
    assert len(register.recorder.select_notifications(start=1, limit=100)) == len(read) + 4
    register.close()
    holder.close()
