"""The ``pso`` command line: serve the register, inspect scheme versions, score a declaration."""

from __future__ import annotations

import datetime as dt
import json
import sys
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from api.cli.applications import application_app
from api.cli.catalogue import register_catalogue
from api.cli.certificates import certificate_app
from api.cli.common import BAD_INPUT
from api.cli.contributions import contribution_app
from api.cli.demo import demo
from api.cli.imports import import_register
from api.cli.objections import objection_app
from api.cli.organisations import org_app
from api.cli.outbox import outbox_app
from api.cli.projections import projections_app
from api.cli.publishing import publish_norms
from api.cli.queries import query_app
from api.cli.reports import report
from api.cli.scheduler import scheduler_app
from api.cli.statements import statement_app
from api.cli.users import users_app
from api.logging import configure_logging
from api.settings import Settings, SettingsError
from api.signing import with_demo_key
from api.storage import unreachable
from domain.clock import SystemClock, business_date
from norms.assessment import assess
from norms.assessment_document import assessment_document
from norms.declaration import declaration_from_document
from norms.errors import InvalidDocumentError, NormsError
from norms.levels import SCORED_LEVELS

app = typer.Typer(help="The PSO register.", no_args_is_help=True, pretty_exceptions_enable=False)
norms_app = typer.Typer(help="Scheme versions (handbook versions) and their rules.")
app.add_typer(norms_app, name="norms")
app.add_typer(org_app, name="org")
app.add_typer(application_app, name="application")
app.add_typer(certificate_app, name="certificate")
app.add_typer(objection_app, name="objection")
app.add_typer(contribution_app, name="contribution")
app.add_typer(query_app, name="query")
app.add_typer(projections_app, name="projections")
app.add_typer(scheduler_app, name="scheduler")
app.add_typer(outbox_app, name="outbox")
app.add_typer(statement_app, name="statement")
app.command()(demo)
app.command("simulate", hidden=True)(demo)  # the earlier name of demo
app.add_typer(users_app, name="users")
app.command("import")(import_register)
app.command()(report)
out = Console()
err = Console(stderr=True)


def fail(message: str, details: list[str] | None = None) -> typer.Exit:
    """Print a clear error to stderr and return the exit for bad input (code 2)."""
    err.print(f"[bold red]error:[/] {message}", highlight=False)
    for line in details or []:
        err.print(f"  - {line}", highlight=False)
    return typer.Exit(BAD_INPUT)


@app.callback()
def _configure() -> None:
    """Logging goes to stderr, configured once per process; stdout carries the command's output.
    Every command first checks the environment: bad settings are exit 2, one line for each."""
    try:
        settings = Settings.from_env()
    except SettingsError as exc:
        raise fail("the environment has settings the register cannot use", exc.problems) from None
    configure_logging(settings.log_format, settings.log_level)


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Interface to listen on.")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on.")] = None,
    demo: Annotated[  # noqa: FBT002 (a command-line flag)
        bool, typer.Option("--demo", help="Seed a simulated demo register when the log is empty.")
    ] = False,
) -> None:
    """Serve the register over HTTP, with the projection runner and the scheduler."""
    import uvicorn  # noqa: PLC0415 (only serve needs the server)

    from api.app import create_app  # noqa: PLC0415 (keep the CLI start fast)

    settings = Settings.from_env()
    settings = settings.model_copy(
        update={"host": host or settings.host, "port": port or settings.port}
    )
    problem = unreachable(settings.database_url)
    if problem:
        raise fail(f"cannot open the database of PSO_DATABASE_URL: {problem}")
    if demo:
        from api.lifespan import demo_introduction  # noqa: PLC0415 (only the demo needs it)

        settings = with_demo_key(settings)

        out.print(demo_introduction(settings), highlight=False, soft_wrap=True)
    uvicorn.run(
        create_app(settings),
        host=settings.host,
        port=settings.port,
        log_config=None,
        access_log=False,  # Conventions (api/middleware.py) logs one line per request, with its id
        # X-Forwarded-For names the client only when a trusted proxy sent it (PSO_TRUSTED_PROXIES);
        # uvicorn would otherwise trust it from 127.0.0.1, one fresh rate-limit bucket a request
        proxy_headers=bool(settings.trusted_proxies),
        forwarded_allow_ips=list(settings.trusted_proxies) or None,
    )


@norms_app.command("list")
def norms_list() -> None:
    """List the handbook versions: shipped ones and those published in the register."""
    table = Table("version", "in force from", "levels", "provisional values")
    for v in register_catalogue().versions:
        mark = " (A)" if v.effective_from.provenance.is_provisional else ""
        levels = ", ".join(level.value for level in v.levels.value)
        table.add_row(
            v.version, f"{v.effective_from.value}{mark}", levels, str(len(v.provisional_values()))
        )
    out.print(table)
    out.print("(A) = provisional: an assumption of this project, not published by PSO-Nederland")


@norms_app.command("show")
def norms_show(version: str) -> None:
    """Show one handbook version (shipped or published in the register): norm table and
    weights, each marked P (published) or A."""
    try:
        v = register_catalogue().version(version)
    except NormsError as exc:
        raise fail(str(exc)) from None
    out.print(
        f"[bold]PSO-handleiding {v.version}[/], in force from {v.effective_from.value} "
        f"[{v.effective_from.provenance.mark}]"
    )
    norms = Table(
        "size FTE",
        *(lvl.value for lvl in SCORED_LEVELS if v.has_level(lvl)),
        title="Norms (percent); P published, A provisional",
    )
    for size, row in sorted(v.norm_table.rows.items()):
        cells = [
            f"{row.norms[lvl]} {v.norm_table.cell_provenance(row, lvl).mark}"
            for lvl in SCORED_LEVELS
            if v.has_level(lvl)
        ]
        norms.add_row(f"{size}+" if size == v.norm_table.max_size else str(size), *cells)
    out.print(norms)
    weights = Table("kind", "name", "weight", "counts for", title="Weights")
    for kind, rules in (("starting position", v.starting_positions), ("contract", v.contracts)):
        for rule in rules.values():
            window = rule.counts_for_years
            span = f"{window.value} years [{window.provenance.mark}]" if window else ""
            span = span or (f"while {rule.counts_while}" if rule.counts_while else "")
            weights.add_row(
                kind, rule.name, f"{rule.weight.value} [{rule.weight.provenance.mark}]", span
            )
    out.print(weights)
    provisional = v.provisional_values()
    out.print(f"[bold]{len(provisional)} provisional values[/] (assumptions, not official):")
    for path, why in provisional:
        out.print(f"  A {path}: {why}", highlight=False)


@norms_app.command("publish")
def norms_publish(
    document: Annotated[Path, typer.Argument(help="Resolved handbook document (JSON).")],
    actor: Annotated[str | None, typer.Option(help="Admin id recorded on the event.")] = None,
) -> None:
    """Publish a new handbook version (admin); one already in force can only be followed."""
    publish_norms(document, actor)


@app.command()
def score(
    declaration: Annotated[Path, typer.Argument(help="Declaration JSON file (see README).")],
    on: Annotated[
        str | None,
        typer.Option(help="Submission date YYYY-MM-DD that selects the handbook version; today."),
    ] = None,
) -> None:
    """Assess a declaration under the version in force (shipped or published in the register)
    and print the assessment as JSON."""
    try:
        day = dt.date.fromisoformat(on) if on else business_date(SystemClock().now())
    except ValueError:
        raise fail(f"--on must be a date YYYY-MM-DD, got {on!r}") from None
    document = _read_json(declaration)
    try:
        parsed = declaration_from_document(document)
        assessment = assess(parsed, register_catalogue().version_in_force(day))
    except InvalidDocumentError as exc:
        raise fail(f"invalid {exc.what} in {declaration}", [str(p) for p in exc.problems]) from None
    except NormsError as exc:
        raise fail(str(exc)) from None
    json.dump(assessment_document(assessment), sys.stdout, indent=2)
    sys.stdout.write("\n")


def _read_json(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise fail(f"cannot read {path}: {exc.strerror}") from None
    try:
        return json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as exc:
        raise fail(f"{path} is not valid JSON: {exc}") from None


def main() -> None:
    """Entry point of the ``pso`` console script."""
    app()
