"""``pso org``: organisations in the register."""

from __future__ import annotations

from typing import Annotated

import typer

from api.cli.common import Actor, actor_cause, run_printing

org_app = typer.Typer(help="Organisations in the register.")


@org_app.command("register")
def org_register(
    kvk: str,
    name: Annotated[str, typer.Option(help="Registered name.")],
    place: Annotated[str, typer.Option(help="Place of business.")],
    subsidiary: Annotated[list[str] | None, typer.Option(help="Covered subsidiary KvK.")] = None,
    actor: Actor = None,
) -> None:
    """Enter an organisation (main KvK number and subsidiaries)."""
    cause = actor_cause(actor, None)
    subs = tuple(subsidiary or ())
    run_printing(
        lambda r: {"organisation_id": r.register_organisation(kvk, name, place, cause, subs)}
    )
