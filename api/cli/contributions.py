"""``pso contribution``: annual contributions, payments."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from api.cli.common import Actor, Day, actor_cause, parse_date, run_printing
from domain.register import Register

contribution_app = typer.Typer(help="Annual contributions: year 2, payments.")


@contribution_app.command("pay")
def contribution_pay(
    number: str,
    year: Annotated[int, typer.Option(help="Contribution year: 1 or 2.")],
    on: Day,
    actor: Actor = None,
) -> None:
    """Record payment of a contribution year (at most once)."""
    day, cause = parse_date(on, "--on"), actor_cause(actor, None)

    def pay(r: Register) -> dict[str, Any]:
        r.record_contribution_payment(number, year, day, cause)
        return {"certificate": number, "year": year, "paid_on": day}

    run_printing(pay)


@contribution_app.command("show")
def contribution_show(number: str) -> None:
    """The invoices, payments and overdue notices of a certificate."""

    def show(r: Register) -> dict[str, Any]:
        p = r.participation(number)
        return {
            "certificate": number,
            "invoices": {year: {"amount": a, "due": d} for year, (a, d) in p.invoices.items()},
            "paid": p.paid,
            "overdue": p.overdue,
        }

    run_printing(show)
