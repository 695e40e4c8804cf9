"""Staff worklists: applications by state (with the decision's lead time and whether it was
late), open objections, unpaid contributions."""

from __future__ import annotations

from typing import Any, Self

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Connection,
    Date,
    Index,
    Numeric,
    String,
)

from domain.application import CertificationApplication
from domain.deadlines import last_timely_decision_day
from domain.objection import Objection
from domain.participation import Participation
from norms.catalogue import SchemeCatalogue
from projections.projection import Projection

REASON_LENGTH = 2000  # domain/bounds.py: the longest reason a command accepts


class Worklists(Projection):
    """The current state of every application, objection and contribution year, for staff."""

    name = "worklists"
    version = 2

    def __init__(self, catalogue: SchemeCatalogue) -> None:
        super().__init__()
        self.catalogue = catalogue
        self.applications = self.table(
            "applications",
            Column("application_id", String(36), primary_key=True),
            Column("organisation_id", String(36), nullable=False),
            Column("ci", String(40), nullable=False),
            Column("state", String(20), nullable=False, index=True),
            Column("handbook_version", String(10), nullable=False),
            Column("submission_date", Date, nullable=False),
            Column("audit_date", Date),
            Column("decision_date", Date),
            #: the last day of the decision's lead time after the audit (None before the audit)
            Column("decision_due_by", Date),
            #: decided after decision_due_by (None while undecided)
            Column("decided_late", Boolean),
            #: the reason stated for a late decision
            Column("late_reason", String(REASON_LENGTH)),
            Column("position", BigInteger, nullable=False),
        )
        self.objections = self.table(
            "objections",
            Column("objection_id", String(36), primary_key=True),
            Column("application_id", String(36), nullable=False),
            Column("stage", String(20), nullable=False, index=True),
            Column("filed_on", Date, nullable=False),
            Column("outcome", String(12)),
        )
        self.contributions = self.table(
            "contributions",
            Column("certificate_number", String(20), primary_key=True),
            Column("year", BigInteger, primary_key=True),
            Column("amount", Numeric(10, 2), nullable=False),
            Column("due_date", Date, nullable=False),
            Column("paid_on", Date),
            Column("overdue", Boolean, nullable=False),
        )
        Index(f"{self.contributions.name}_unpaid", self.contributions.c.paid_on)
        self.application_rows = self.buffer(self.applications)
        self.objection_rows = self.buffer(self.objections)
        self.contribution_rows = self.buffer(self.contributions)
        app = CertificationApplication
        for application_event in (
            app.Submitted, app.AuditPlanned, app.AuditReportFiled, app.Granted, app.Refused,
            app.Cancelled,
        ):  # fmt: skip
            self.on(application_event, self.application_changed)
        for objection_event in (
            Objection.Filed, Objection.BoardAnswered, Objection.EscalatedToCommittee,
            Objection.CommitteeDecided,
        ):  # fmt: skip
            self.on(objection_event, self.objection_changed)
        for contribution_event in (
            Participation.Invoiced, Participation.Discounted, Participation.Paid,
            Participation.MarkedOverdue,
        ):  # fmt: skip
            self.on(contribution_event, self.contribution_changed)

    def renew(self) -> Self:
        """A new instance with the same scheme catalogue (a rebuild's copy)."""
        return type(self)(self.catalogue)

    def application_changed(self, _conn: Connection, event: Any, app: Any, position: int) -> None:
        """Replace the application's row; a decision after the lead time is marked late."""
        due_by = None
        if app.audit_date is not None:
            due_by = last_timely_decision_day(
                app.audit_date, self.catalogue.version(app.handbook_version)
            )
        late = None
        if app.decision_date is not None and due_by is not None:
            late = app.decision_date > due_by
        # only a decision sets the decision date: the reason of a late one is that event's
        reason = event.cause.reason if late else None
        self.application_rows.put(
            {
                "application_id": str(app.id),
                "organisation_id": str(app.organisation_id),
                "ci": app.ci,
                "state": app.state.value,
                "handbook_version": app.handbook_version,
                "submission_date": app.submission_date,
                "audit_date": app.audit_date,
                "decision_date": app.decision_date,
                "decision_due_by": due_by,
                "decided_late": late,
                "late_reason": reason,
                "position": position,
            }
        )

    def objection_changed(self, _conn: Connection, _e: Any, objection: Any, _p: int) -> None:
        """Replace the objection's row."""
        self.objection_rows.put(
            {
                "objection_id": str(objection.id),
                "application_id": str(objection.application_id),
                "stage": objection.stage.value,
                "filed_on": objection.filed_on,
                "outcome": objection.outcome.value if objection.outcome else None,
            }
        )

    def contribution_changed(self, _conn: Connection, event: Any, p: Any, _pos: int) -> None:
        """Replace the row of the contribution year the event is about."""
        amount, due = p.invoices[event.year]
        self.contribution_rows.put(
            {
                "certificate_number": p.certificate_number,
                "year": event.year,
                "amount": amount,
                "due_date": due,
                "paid_on": p.paid.get(event.year),
                "overdue": event.year in p.overdue and event.year not in p.paid,
            }
        )
