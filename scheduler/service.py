"""The scheduler: one APScheduler interval job that sweeps the deadlines and delivers messages.

Deadlines are data (the deadlines read model), never APScheduler jobs: a missed or doubled job
cannot lose or double an effect, because each sweep acts on what is due and every command is
idempotent.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import structlog
from apscheduler.schedulers.background import BackgroundScheduler

from scheduler.delivery import Postman
from scheduler.sweep import Outcome, Sweep

log = structlog.get_logger(__name__)
JOB_ID = "pso-deadline-sweep"


@dataclass
class Scheduler:
    """Sweeps and delivers, on demand or on an interval."""

    sweep: Sweep
    postman: Postman

    def tick(self) -> list[Outcome]:
        """One sweep followed by delivery of the messages it caused."""
        outcomes = self.sweep.run()
        delivered = self.postman.deliver_all()
        log.info("tick", acted=sum(o.acted for o in outcomes), delivered=delivered)
        return outcomes

    def catch_up(self) -> None:
        """Bring the read models up to date (after commands saved as a batch)."""
        self.sweep.runner.catch_up()

    def start(self, interval_seconds: float) -> BackgroundScheduler:
        """Run ``tick`` every interval in a background thread (one job, never overlapping)."""
        scheduler = BackgroundScheduler(timezone="UTC")
        scheduler.add_job(
            self._safe_tick,
            "interval",
            seconds=interval_seconds,
            id=JOB_ID,
            coalesce=True,
            max_instances=1,
            misfire_grace_time=None,
            next_run_time=dt.datetime.now(dt.UTC),  # the first sweep right away
        )
        scheduler.start()
        return scheduler

    def _safe_tick(self) -> None:
        try:
            self.tick()
        except Exception:
            log.exception("tick_failed")
