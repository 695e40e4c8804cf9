"""``pso outbox``: where the delivery of the outbox messages stands."""

from __future__ import annotations

import typer

from api.cli.common import emit
from api.settings import Settings
from api.wiring import Backend

outbox_app = typer.Typer(help="Messages to organisations: delivery state and failures.")


@outbox_app.command("status")
def status() -> None:
    """Print how many messages are in each delivery state and every undeliverable, failing or
    interrupted message (id, kind, recipient, attempts, last error) as JSON."""
    backend = Backend.build(Settings.from_env())
    try:
        emit(backend.scheduler.postman.status())
    finally:
        backend.close()
