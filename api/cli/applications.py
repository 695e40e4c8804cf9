"""``pso application``: submit, plan the audit, report, decide, refuse, cancel."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any
from uuid import UUID

import typer

from api.cli.common import Actor, AuditorCi, Day, Reason, actor_cause, parse_date, run_printing
from domain.register import Register
from norms.levels import Level

application_app = typer.Typer(help="Certification applications: submit, audit, decide.")


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
    day, cause = parse_date(on, "--on"), actor_cause(actor, None)
    run_printing(
        lambda r: {"application_id": r.submit_application(kvk, doc, ci, day, cause).application_id}
    )


@application_app.command("plan-audit")
def application_plan_audit(
    application_id: UUID, on: Day, actor: Actor = None, as_auditor: AuditorCi = None
) -> None:
    """Set the audit date."""
    day, cause = parse_date(on, "--on"), actor_cause(actor, None, as_auditor)

    def plan(r: Register) -> dict[str, Any]:
        r.plan_audit(application_id, day, cause)
        return {"application_id": application_id, "audit_date": day}

    run_printing(plan)


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
    day, cause = parse_date(audit_date, "--audit-date"), actor_cause(actor, None, as_auditor)

    def report(r: Register) -> dict[str, Any]:
        r.file_audit_report(application_id, day, advice, summary, cause)
        return {"application_id": application_id, "audit_date": day, "advice": advice}

    run_printing(report)


@application_app.command("decide")
def application_decide(
    application_id: UUID,
    on: Day,
    level: Annotated[Level | None, typer.Option(help="Grant a lower level than supported.")] = None,
    reason: Reason = None,
    actor: Actor = None,
) -> None:
    """Decide: grant the level the audited figures support (or lower, with a reason)."""
    day, cause = parse_date(on, "--on"), actor_cause(actor, reason)

    def decide(r: Register) -> dict[str, Any]:
        cert = r.decide_application(application_id, day, cause, level).certificate
        if cert is None:
            return {"decision": "refused"}
        return {
            "decision": "granted",
            "certificate": cert.number,
            "level": cert.level,
            "pso30plus": cert.pso30plus,
            "valid_from": cert.valid_from,
            "valid_until": cert.valid_until,
        }

    run_printing(decide)


@application_app.command("refuse")
def application_refuse(
    application_id: UUID, on: Day, reason: Reason = None, actor: Actor = None
) -> None:
    """Refuse an application whatever its figures support (with a reason)."""
    day, cause = parse_date(on, "--on"), actor_cause(actor, reason)

    def refuse(r: Register) -> dict[str, Any]:
        r.refuse_application(application_id, day, cause)
        return {"application_id": application_id, "decision": "refused"}

    run_printing(refuse)


@application_app.command("cancel")
def application_cancel(
    application_id: UUID, on: Day, reason: Reason = None, actor: Actor = None
) -> None:
    """Cancel an application before its decision."""
    day, cause = parse_date(on, "--on"), actor_cause(actor, reason)

    def cancel(r: Register) -> dict[str, Any]:
        r.cancel_application(application_id, day, cause)
        return {"application_id": application_id, "cancelled": day}

    run_printing(cancel)
