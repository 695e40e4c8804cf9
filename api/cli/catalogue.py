"""The scheme catalogue of the ``pso`` commands: the register's, so the CLI and the API agree."""

from __future__ import annotations

import typer
from eventsourcing.persistence import PersistenceError

from api.cli.common import BAD_INPUT, register
from api.settings import Settings
from api.storage import Database
from domain.errors import DomainError
from norms.bundled import bundled_catalogue
from norms.catalogue import SchemeCatalogue


def register_catalogue() -> SchemeCatalogue:
    """The handbook versions shipped in norms/data plus those published in the register on
    ``PSO_DATABASE_URL``; only the shipped ones while that SQLite file does not exist yet (it is
    not created by asking)."""
    try:
        database = Database.parse(Settings.from_env().database_url)
    except DomainError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(BAD_INPUT) from None
    if database.kind == "memory" or not database.exists():
        return bundled_catalogue()
    try:
        with register() as reg:
            return reg.catalogue
    except PersistenceError as exc:
        typer.echo(f"error: cannot read the scheme versions from PSO_DATABASE_URL: {exc}", err=True)
        raise typer.Exit(BAD_INPUT) from None
