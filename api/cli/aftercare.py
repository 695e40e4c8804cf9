"""``pso objection|contribution`` and publishing scheme versions."""

from __future__ import annotations

import getpass
import json
import uuid
from pathlib import Path
from typing import Annotated, Any
from uuid import UUID

import typer

from api.cli.common import Actor, Day, Reason, actor_cause, parse_date, run_printing
from domain.objection import Outcome
from domain.register import Register
from domain.values import Cause, Role
from norms.levels import Level

objection_app = typer.Typer(help="Objections to decisions: board and committee.")
contribution_app = typer.Typer(help="Annual contributions: year 2, payments.")


@objection_app.command("file")
def objection_file(
    application_id: UUID, on: Day, reason: Reason = None, actor: Actor = None
) -> None:
    """Object to the decision on an application (within 4 weeks)."""
    day, cause = parse_date(on, "--on"), actor_cause(actor, reason)
    run_printing(lambda r: {"objection_id": r.file_objection(application_id, day, cause)})


@objection_app.command("answer")
def objection_answer(
    objection_id: UUID,
    on: Day,
    outcome: Annotated[Outcome, typer.Option(help="upheld or rejected.")],
    level: Annotated[Level | None, typer.Option(help="Revised level when upheld.")] = None,
    reason: Reason = None,
    actor: Actor = None,
) -> None:
    """Record the board's answer; an upheld objection with a level revises the certificate."""
    day, cause = parse_date(on, "--on"), actor_cause(actor, reason)
    run_printing(
        lambda r: {"certificate": r.answer_objection(objection_id, day, outcome, cause, level)}
    )


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


def publish_norms(path: Path, actor: str | None) -> None:
    """Publish a resolved handbook document (JSON) as an admin."""
    document = json.loads(path.read_text(encoding="utf-8"))
    cause = Cause(actor or f"cli:{getpass.getuser()}", Role.ADMIN, f"cli-{uuid.uuid4()}")

    def publish(r: Register) -> dict[str, Any]:
        published = r.publish_handbook(document, cause)
        return {"version": published.version, "effective_from": published.effective_from}

    run_printing(publish)
