"""``pso certificate``: suspend, reinstate, withdraw, revise."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

import typer

from api.cli.common import Actor, Day, Reason, actor_cause, parse_date, run_printing
from domain.register import Register
from norms.levels import Level

certificate_app = typer.Typer(help="Certificates: suspend, reinstate, withdraw, revise.")


def _certificate_command(action: str) -> Callable[..., None]:
    def command(number: str, on: Day, reason: Reason = None, actor: Actor = None) -> None:
        day, cause = parse_date(on, "--on"), actor_cause(actor, reason)

        def change(r: Register) -> dict[str, Any]:
            getattr(r, f"{action}_certificate")(number, day, cause)
            return {action: number, "effective": day}

        run_printing(change)

    command.__doc__ = f"{action.capitalize()} a certificate from a day (may lie in the past)."
    return command


for _action in ("suspend", "reinstate", "withdraw"):
    certificate_app.command(_action)(_certificate_command(_action))


@certificate_app.command("revise")
def certificate_revise(
    number: str,
    level: Annotated[Level, typer.Option(help="The revised level.")],
    reason: Reason = None,
    actor: Actor = None,
) -> None:
    """Revise a certificate's level (e.g. after an objection), from its original start."""
    cause = actor_cause(actor, reason)

    def revise(r: Register) -> dict[str, Any]:
        r.revise_certificate_level(number, level, cause)
        return {"certificate": number, "level": level}

    run_printing(revise)
