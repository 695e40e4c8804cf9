"""``pso scheduler``: one sweep now (or at a given moment), or the scheduler as its own process."""

from __future__ import annotations

import datetime as dt
import signal
import threading
from typing import Annotated

import typer

from api.cli.common import BAD_INPUT, emit
from api.settings import Settings
from api.wiring import Backend
from domain.clock import SimulatedClock

scheduler_app = typer.Typer(help="Deadlines: expiry, reminders, contributions, decisions.")


@scheduler_app.command("sweep")
def sweep(
    now: Annotated[
        str | None, typer.Option(help="Act as if it were this ISO-8601 moment (UTC if naive).")
    ] = None,
) -> None:
    """Run one sweep: act on every due deadline, deliver messages, print what was done."""
    clock = None
    if now is not None:
        try:
            moment = dt.datetime.fromisoformat(now)
        except ValueError:
            typer.echo(f"error: --now must be an ISO-8601 moment, got {now!r}", err=True)
            raise typer.Exit(BAD_INPUT) from None
        clock = SimulatedClock(moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC))
    backend = Backend.build(Settings.from_env(), clock=clock)
    try:
        outcomes = backend.scheduler.tick()
        emit(
            {
                "due": len(outcomes),
                "acted": sum(o.acted for o in outcomes),
                "outcomes": [o.to_document() for o in outcomes],
            }
        )
    finally:
        backend.close()


@scheduler_app.command("run")
def run(
    interval: Annotated[float, typer.Option(help="Seconds between sweeps.")] = 60.0,
) -> None:
    """Run the scheduler as its own process until interrupted (SIGINT/SIGTERM)."""
    backend = Backend.build(Settings.from_env())
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    background = backend.scheduler.start(interval)
    try:
        stop.wait()
    finally:
        background.shutdown(wait=True)
        backend.close()
