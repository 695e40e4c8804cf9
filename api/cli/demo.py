"""``pso demo``: a synthetic register of years in minutes, through the domain commands, under a
simulated clock; each simulated week is saved as one batch."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
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
COLUMNS = ("aspirant", "basistrede", "trede_1", "trede_2", "trede_3", "none")


def demo(
    orgs: Annotated[int, typer.Option(help="Number of organisations.", min=1)] = 200,
    years: Annotated[int, typer.Option(help="Years to simulate.", min=1)] = 6,
    seed: Annotated[int, typer.Option(help="Seed: the same seed gives the same register.")] = 1,
    start: Annotated[str, typer.Option(help="First simulated day YYYY-MM-DD.")] = "2021-01-04",
) -> None:
    """Generate a realistic register in an empty database: organisations of Dutch employer sizes
    apply, are audited and decided, object, pay (some late), climb, lapse, are withdrawn and
    expire, while the deadline sweep runs every simulated week."""
    try:
        first = dt.datetime.combine(dt.date.fromisoformat(start), dt.time(8), tzinfo=dt.UTC)
    except ValueError:
        out.print(f"[red]error:[/] --start: not a date YYYY-MM-DD: {start!r}")
        raise typer.Exit(BAD_INPUT) from None
    clock = SimulatedClock(first)
    settings = Settings.from_env()
    backend = Backend.build(settings, clock=clock)
    try:
        if backend.runner.head() > 0:
            out.print("[red]error:[/] demo needs an empty database; point PSO_DATABASE_URL "
                      "at a new file")  # fmt: skip
            raise typer.Exit(BAD_INPUT)
        simulation = Simulation(
            backend.register, backend.scheduler, clock, seed, backend.queries.level_counts
        )
        began = time.perf_counter()
        with Progress(console=Console(stderr=True)) as bar:
            task = bar.add_task("simulating weeks", total=years * 52)
            summary = simulation.run(
                orgs, years, lambda done, total: bar.update(task, completed=done, total=total)
            )
        elapsed = time.perf_counter() - began
        table = Table("year", *COLUMNS, title="Organisations by level at the end of each year")
        for year, levels in sorted(summary.levels_per_year.items()):
            table.add_row(str(year), *(str(levels.get(name, 0)) for name in COLUMNS))
        out.print(table)
        for name, count in sorted(summary.counts.items()):
            out.print(f"{name}: {count}")
        out.print(f"events in the log: {backend.runner.head()}")
        out.print(f"generated in {elapsed:.1f} s{_size(settings.database_url)}")
    finally:
        backend.close()


def _size(url: str) -> str:
    if not url.startswith("sqlite:///"):
        return ""
    path = Path(url.removeprefix("sqlite:///"))
    size = sum(p.stat().st_size for p in path.parent.glob(f"{path.name}*") if p.is_file())
    return f"; database {size / 1e6:.0f} MB"
