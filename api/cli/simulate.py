"""``pso simulate``: years of a synthetic register in seconds, under a simulated clock."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from api.cli.common import BAD_INPUT
from api.settings import Settings
from api.wiring import Backend
from domain.clock import SimulatedClock
from scheduler.simulation import Simulation

out = Console()


def simulate(
    orgs: Annotated[int, typer.Option(help="Number of organisations.")] = 200,
    years: Annotated[int, typer.Option(help="Years to simulate.")] = 6,
    seed: Annotated[int, typer.Option(help="Seed: the same seed gives the same register.")] = 1,
    start: Annotated[str, typer.Option(help="First simulated day YYYY-MM-DD.")] = "2021-01-04",
) -> None:
    """Simulate a register (applications, audits, decisions, objections, payments, expiry)."""
    first = dt.datetime.combine(dt.date.fromisoformat(start), dt.time(8), tzinfo=dt.UTC)
    clock = SimulatedClock(first)
    backend = Backend.build(Settings.from_env(), clock=clock)
    try:
        if backend.runner.head() > 0:
            out.print("[red]error:[/] simulate needs an empty database; point PSO_DATABASE_URL "
                      "at a new file")  # fmt: skip
            raise typer.Exit(BAD_INPUT)
        simulation = Simulation(backend.register, backend.scheduler, clock, seed)
        with Progress(console=Console(stderr=True)) as bar:
            task = bar.add_task("simulating", total=years * 52)
            summary = simulation.run(
                orgs, years, lambda done, total: bar.update(task, completed=done, total=total)
            )
        table = Table("year", "aspirant", "basistrede", "trede_1", "trede_2", "trede_3", "none",
                      title="Organisations by level at the end of each year")  # fmt: skip
        columns = ("aspirant", "basistrede", "trede_1", "trede_2", "trede_3", "none")
        for year, levels in sorted(summary.levels_per_year.items()):
            table.add_row(str(year), *(str(levels.get(name, 0)) for name in columns))
        out.print(table)
        for name, count in sorted(summary.counts.items()):
            out.print(f"{name}: {count}")
        out.print(f"events in the log: {backend.runner.head()}")
    finally:
        backend.close()
