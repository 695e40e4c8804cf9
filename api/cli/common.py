"""Shared pieces of the ``pso`` commands: the register, the actor, dates, JSON output."""

from __future__ import annotations

import datetime as dt
import getpass
import json
import sys
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Annotated, Any

import typer

from api.settings import Settings
from api.storage import event_store_env
from domain.errors import DomainError
from domain.register import Register
from domain.values import Cause, Role

BAD_INPUT = 2

Day = Annotated[str, typer.Option(help="Business date YYYY-MM-DD.")]
Reason = Annotated[str | None, typer.Option(help="Why (needed where a person decides).")]
Actor = Annotated[
    str | None, typer.Option(help="Actor id recorded on the events (default: cli:$USER).")
]
AuditorCi = Annotated[
    str | None,
    typer.Option("--as-auditor", help="Act as an auditor of this CI instead of as staff."),
]


def emit(value: Any) -> None:
    """Print a JSON document on stdout."""
    json.dump(value, sys.stdout, indent=2, default=str)
    sys.stdout.write("\n")


def parse_date(value: str, name: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        typer.echo(f"error: {name} must be a date YYYY-MM-DD, got {value!r}", err=True)
        raise typer.Exit(BAD_INPUT) from None


def actor_cause(actor: str | None, reason: str | None, auditor_ci: str | None = None) -> Cause:
    role = Role.AUDITOR if auditor_ci else Role.STAFF
    actor_id = actor or f"cli:{getpass.getuser()}"
    return Cause(actor_id, role, f"cli-{uuid.uuid4()}", reason, auditor_ci)


@contextmanager
def register() -> Iterator[Register]:
    """The register on ``PSO_DATABASE_URL``; domain errors become exit code 2 with the message."""
    try:
        settings = Settings.from_env()
        reg = Register(event_store_env(settings.database_url, settings.cipher_key))
    except DomainError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(BAD_INPUT) from None
    try:
        yield reg
    except DomainError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(BAD_INPUT) from None
    finally:
        reg.close()


def run_printing(command: Callable[[Register], Any]) -> None:
    with register() as reg:
        emit(command(reg))
