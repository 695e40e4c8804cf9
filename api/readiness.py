"""Readiness: whether this process should get traffic. Not ready while a read model has failed,
while one lags more than ``PSO_READY_MAX_LAG`` events for longer than ``PSO_READY_LAG_GRACE``
seconds, or while the database cannot take a write (a one-row upsert with short timeouts).
Always answered within ``DEADLINE`` seconds: the checks run in a small pool and a check that
hangs counts as not ready.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as CheckTimeoutError
from typing import Any

import structlog
from sqlalchemy import Column, DateTime, Engine, MetaData, String, Table
from sqlalchemy.dialects import postgresql, sqlite

from api.settings import Settings
from api.storage import Database
from domain.clock import Clock
from projections.database import create_tables, is_postgres
from projections.runner import Runner

log = structlog.get_logger(__name__)
DEADLINE = 1.0  # seconds within which /readyz answers
PROBE_TIMEOUT = 0.5  # seconds the write probe may wait for a lock or a statement

metadata = MetaData()
health = Table(
    "pso_health",
    metadata,
    Column("probe", String(32), primary_key=True),
    Column("checked_at", DateTime(timezone=True), nullable=False),
)


class Readiness:
    """The readiness check of one process."""

    def __init__(
        self,
        settings: Settings,
        runner: Runner,
        writer: Engine,
        clock: Clock,
        database: Database | None = None,
    ) -> None:
        """``database``: the parsed ``PSO_DATABASE_URL`` (parsed from the settings if not given)."""
        self.runner = runner
        self.clock = clock
        self.max_lag = settings.ready_max_lag
        self.grace = settings.ready_lag_grace
        create_tables(writer, metadata)
        database = database or Database.parse(settings.database_url)
        self.probe = database.engine(writer=True, timeout=PROBE_TIMEOUT)
        self.pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="readyz")
        #: since when (monotonic seconds) some read model lags beyond the bound
        self.lagging_since: float | None = None

    def check(self) -> tuple[bool, dict[str, Any]]:
        """Ready or not, and why (a JSON document)."""
        future = self.pool.submit(self._check)
        try:
            return future.result(timeout=DEADLINE)
        except CheckTimeoutError:
            detail = f"the database did not answer within {DEADLINE:g} s"
            return False, {"status": "unavailable", "detail": detail}

    def close(self) -> None:
        """Stop the pool and release the probe's connections."""
        self.pool.shutdown(wait=False, cancel_futures=True)
        self.probe.dispose()

    def _check(self) -> tuple[bool, dict[str, Any]]:
        try:
            head = self.runner.head()
            positions = self.runner.positions()
            failed = self.runner.failures()
        except Exception as exc:  # noqa: BLE001 (any database failure means not ready)
            log.warning("readiness_unavailable", error=str(exc))
            return False, {"status": "unavailable", "detail": "the database cannot be read"}
        writable = self._can_write()
        stopped = {f.key for f in failed}
        lag = {f"{name}_v{version}": head - pos for (name, version), pos in positions.items()}
        behind = [
            f"{key[0]}_v{key[1]}"
            for key, pos in positions.items()
            if key not in stopped and head - pos > self.max_lag
        ]
        lagging_too_long = self._lagging_too_long(bool(behind))
        body: dict[str, Any] = {"head": head, "lag": lag, "database_writable": writable is None}
        if failed:  # the errors themselves are in the staff worklist and the log
            body["failed"] = [f.public_document() for f in failed]
        if writable is not None:
            log.warning("readiness_write_failed", error=writable)
        if behind:
            body["lagging_beyond_bound"] = behind
        ready = not failed and writable is None and not lagging_too_long
        body["status"] = "ready" if ready else _reason(failed, writable, behind)
        return ready, body

    def _can_write(self) -> str | None:
        """None when a tiny write commits within the probe's timeout, else the error."""
        dialect = postgresql if is_postgres(self.probe) else sqlite
        now = self.clock.now()
        upsert = dialect.insert(health).values(probe="readyz", checked_at=now)
        upsert = upsert.on_conflict_do_update(index_elements=["probe"], set_={"checked_at": now})
        try:
            with self.probe.begin() as conn:
                conn.execute(upsert)
        except Exception as exc:  # noqa: BLE001 (locked, read-only, disk full, gone: not ready)
            return str(exc).splitlines()[0]
        return None

    def _lagging_too_long(self, lagging: bool) -> bool:  # noqa: FBT001 (one fact in, one out)
        if not lagging:
            self.lagging_since = None
            return False
        now = time.monotonic()
        if self.lagging_since is None:
            self.lagging_since = now
        return now - self.lagging_since > self.grace


def _reason(failed: list[Any], writable: str | None, behind: list[str]) -> str:
    if failed:
        return "failed: " + ", ".join(f.label for f in failed)
    if writable is not None:
        return "database cannot take a write"
    return "lagging: " + ", ".join(behind)
