"""``pso query``: what the register says about a day, a period, an organisation."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

import typer

from api.cli.common import Day, parse_date, run_printing
from api.documents import coverage_document, position_document
from domain.bounds import asked
from domain.register import Register
from norms.levels import Level

query_app = typer.Typer(help="What the register says: position, coverage, timeline.")


@query_app.command("position")
def query_position(
    kvk: str,
    on: Day,
    as_known_at: Annotated[
        str | None, typer.Option(help="ISO-8601 moment: what the register said then.")
    ] = None,
) -> None:
    """The level on a day, as known now or as known at a past moment."""
    day = parse_date(on, "--on")
    known = dt.datetime.fromisoformat(as_known_at) if as_known_at else None

    def position(r: Register) -> dict[str, Any]:
        day_asked, moment = asked(day, known)
        return position_document(kvk, r.position(kvk, day_asked, moment), moment)

    run_printing(position)


@query_app.command("coverage")
def query_coverage(
    kvk: str,
    start: Annotated[str, typer.Option("--from", help="First day YYYY-MM-DD.")],
    end: Annotated[str, typer.Option("--to", help="Last day YYYY-MM-DD.")],
    min_level: Annotated[Level, typer.Option(help="The level required every day.")],
) -> None:
    """Was the organisation at min_level or above on every day; the gaps if not."""
    first, last = parse_date(start, "--from"), parse_date(end, "--to")

    def coverage(r: Register) -> dict[str, Any]:
        gaps = r.coverage(kvk, first, last, min_level)
        return coverage_document(kvk, first, last, min_level.value, gaps)

    run_printing(coverage)


@query_app.command("timeline")
def query_timeline(kvk: str) -> None:
    """Every event of the organisation: recorded time, effective dates, actor, reason."""
    run_printing(lambda r: [entry.to_document() for entry in r.timeline(kvk)])
