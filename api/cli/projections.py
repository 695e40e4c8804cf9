"""``pso projections``: status, catch-up and rebuild of the read models."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from api.settings import Settings
from api.wiring import Backend
from projections.rebuild import rebuilding
from projections.runner import Runner

projections_app = typer.Typer(help="Read models: status, catch-up, rebuild.")
out = Console()
BatchSize = Annotated[int, typer.Option(help="Events per transaction.")]


@contextmanager
def runner(batch_size: int = 1000) -> Iterator[Runner]:
    """A runner over every projection on PSO_DATABASE_URL."""
    backend = Backend.build(Settings.from_env(), batch_size=batch_size)
    try:
        yield backend.runner
    finally:
        backend.close()


@projections_app.command("status")
def status() -> None:
    """Position, lag and version of every projection; failed ones with their event and error
    (exit 1 when one failed)."""
    with runner() as run:
        head = run.head()
        failed = {f.key: f for f in run.failures()}
        table = Table(
            "projection", "version", "position", "lag", "state", title=f"event log head: {head}"
        )
        for key, position in run.positions().items():
            state = "[red]FAILED[/]" if key in failed else "ok"
            table.add_row(key[0], str(key[1]), str(position), str(head - position), state)
        out.print(table)
        for name, position in rebuilding(run.reader).items():
            out.print(f"rebuild under way or interrupted: {name} at {position}")
        for failure in failed.values():
            out.print(f"[red]failed:[/] {failure.describe()} (at {failure.failed_at.isoformat()})")
        if failed:
            out.print("correct the projection or the domain, then: pso projections rebuild NAME")
            raise typer.Exit(1)


@projections_app.command("catch-up")
def catch_up(batch_size: BatchSize = 1000) -> None:
    """Apply every event not yet applied, in batches, then stop."""
    with runner(batch_size) as run:
        applied = run.catch_up()
        out.print(f"read {applied} events; every projection is at {run.head()}")


@projections_app.command("rebuild")
def rebuild(
    name: Annotated[str | None, typer.Argument(help="One projection; all when left out.")] = None,
    batch_size: BatchSize = 1000,
) -> None:
    """Rebuild read models from the event log into new tables, with a progress bar; they
    replace the serving ones in one transaction once complete (a failed projection is cleared,
    or fails again at the same event: exit 1)."""
    with runner(batch_size) as run:
        names = None
        if name is not None:
            known = [p.name for p in run.projections]
            if name not in known:
                out.print(f"[red]error:[/] unknown projection {name!r}; known: {', '.join(known)}")
                raise typer.Exit(2)
            names = [name]
        with Progress(console=Console(stderr=True)) as bar:
            task = bar.add_task("rebuilding", total=run.head() or 1)
            rebuilt = run.rebuild(
                names, lambda done, head: bar.update(task, completed=done, total=head)
            )
        out.print(
            f"rebuilt {', '.join(rebuilt.switched) or 'nothing'} from {rebuilt.events} events"
        )
        for failure in rebuilt.failures:
            out.print(f"[red]failed again:[/] {failure.describe()}")
        if rebuilt.failures:
            raise typer.Exit(1)
