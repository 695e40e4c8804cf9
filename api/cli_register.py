"""``pso`` commands that drive the lifecycle for staff who script; every command prints JSON."""

from __future__ import annotations

import datetime as dt
import getpass
import json
import sys
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any
from uuid import UUID

import typer

from api.settings import Settings
from domain.errors import DomainError
from domain.position import Gap, Position
from domain.register import Register
from domain.storage import event_store_env
from domain.values import Cause, Role
from norms.levels import Level

BAD_INPUT = 2

org_app = typer.Typer(help="Organisations in the register.")
application_app = typer.Typer(help="Certification applications: submit, audit, decide.")
certificate_app = typer.Typer(help="Certificates: suspend, reinstate, withdraw, revise.")
query_app = typer.Typer(help="What the register says: position, coverage, timeline.")

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


def _date(value: str, name: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        typer.echo(f"error: {name} must be a date YYYY-MM-DD, got {value!r}", err=True)
        raise typer.Exit(BAD_INPUT) from None


def _cause(actor: str | None, reason: str | None, auditor_ci: str | None = None) -> Cause:
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


def _run(command: Callable[[Register], Any]) -> None:
    with register() as reg:
        emit(command(reg))


@org_app.command("register")
def org_register(
    kvk: str,
    name: Annotated[str, typer.Option(help="Registered name.")],
    place: Annotated[str, typer.Option(help="Place of business.")],
    subsidiary: Annotated[list[str] | None, typer.Option(help="Covered subsidiary KvK.")] = None,
    actor: Actor = None,
) -> None:
    """Enter an organisation (main KvK number and subsidiaries)."""
    cause = _cause(actor, None)
    subs = tuple(subsidiary or ())
    _run(lambda r: {"organisation_id": r.register_organisation(kvk, name, place, cause, subs)})


@application_app.command("submit")
def application_submit(
    kvk: str,
    declaration: Path,
    ci: Annotated[
        str, typer.Option(help="Certifying institution: kiwa, tuv_rheinland, normec, dnv.")
    ],
    on: Day,
    actor: Actor = None,
) -> None:
    """Submit the definitive application with a declaration JSON file."""
    doc = json.loads(declaration.read_text(encoding="utf-8"))
    day, cause = _date(on, "--on"), _cause(actor, None)
    _run(lambda r: {"application_id": r.submit_application(kvk, doc, ci, day, cause)})


@application_app.command("plan-audit")
def application_plan_audit(
    application_id: UUID, on: Day, actor: Actor = None, as_auditor: AuditorCi = None
) -> None:
    """Set the audit date."""
    day, cause = _date(on, "--on"), _cause(actor, None, as_auditor)

    def plan(r: Register) -> dict[str, Any]:
        r.plan_audit(application_id, day, cause)
        return {"application_id": application_id, "audit_date": day}

    _run(plan)


@application_app.command("report")
def application_report(
    application_id: UUID,
    audit_date: Day,
    advice: Annotated[Level | None, typer.Option(help="The level the CI advises.")] = None,
    summary: Annotated[str, typer.Option(help="Summary of the audit report.")] = "",
    actor: Actor = None,
    as_auditor: AuditorCi = None,
) -> None:
    """File the audit report with the CI's advice."""
    day, cause = _date(audit_date, "--audit-date"), _cause(actor, None, as_auditor)

    def report(r: Register) -> dict[str, Any]:
        r.file_audit_report(application_id, day, advice, summary, cause)
        return {"application_id": application_id, "audit_date": day, "advice": advice}

    _run(report)


@application_app.command("decide")
def application_decide(
    application_id: UUID,
    on: Day,
    level: Annotated[Level | None, typer.Option(help="Grant a lower level than supported.")] = None,
    reason: Reason = None,
    actor: Actor = None,
) -> None:
    """Decide: grant the level the audited figures support (or lower, with a reason)."""
    day, cause = _date(on, "--on"), _cause(actor, reason)

    def decide(r: Register) -> dict[str, Any]:
        number = r.decide(application_id, day, cause, level)
        if number is None:
            return {"decision": "refused"}
        cert = r.certificate(number)
        return {
            "decision": "granted",
            "certificate": number,
            "level": cert.level,
            "pso30plus": cert.pso30plus,
            "valid_from": cert.valid_from,
            "valid_until": cert.valid_until,
        }

    _run(decide)


def _certificate_command(action: str) -> Callable[..., None]:
    def command(number: str, on: Day, reason: Reason = None, actor: Actor = None) -> None:
        day, cause = _date(on, "--on"), _cause(actor, reason)
        _run(lambda r: getattr(r, action)(number, day, cause) or {action: number, "effective": day})

    command.__doc__ = f"{action.capitalize()} a certificate from a day (may lie in the past)."
    return command


for _action in ("suspend", "reinstate", "withdraw"):
    certificate_app.command(_action)(_certificate_command(_action))


def _position(p: Position) -> dict[str, Any]:
    return {key: value for key, value in vars(p).items() if value is not None}


@query_app.command("position")
def query_position(
    kvk: str,
    on: Day,
    as_known_at: Annotated[
        str | None, typer.Option(help="ISO-8601 moment: what the register said then.")
    ] = None,
) -> None:
    """The level on a day, as known now or as known at a past moment."""
    day = _date(on, "--on")
    known = dt.datetime.fromisoformat(as_known_at) if as_known_at else None
    _run(lambda r: _position(r.position(kvk, day, known)))


@query_app.command("coverage")
def query_coverage(
    kvk: str,
    start: Annotated[str, typer.Option("--from", help="First day YYYY-MM-DD.")],
    end: Annotated[str, typer.Option("--to", help="Last day YYYY-MM-DD.")],
    min_level: Annotated[Level, typer.Option(help="The level required every day.")],
) -> None:
    """Was the organisation at min_level or above on every day; the gaps if not."""
    first, last = _date(start, "--from"), _date(end, "--to")

    def coverage(r: Register) -> dict[str, Any]:
        gaps: list[Gap] = r.coverage(kvk, first, last, min_level)
        return {"covered": not gaps, "gaps": [vars(g) for g in gaps]}

    _run(coverage)


@query_app.command("timeline")
def query_timeline(kvk: str) -> None:
    """Every event of the organisation: recorded time, effective dates, actor, reason."""
    _run(lambda r: [entry.to_document() for entry in r.timeline(kvk)])
