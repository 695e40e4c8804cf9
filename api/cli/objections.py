"""``pso objection``: objections to decisions, board and committee."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

import typer

from api.cli.common import Actor, Day, Reason, actor_cause, parse_date, run_printing
from domain.objection import Outcome
from norms.levels import Level

objection_app = typer.Typer(help="Objections to decisions: board and committee.")


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
