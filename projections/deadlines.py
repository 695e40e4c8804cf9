"""Deadlines as data: what is due when, and the event that created each one.

The scheduler sweeps the due rows and sends idempotent commands; a row is done when the event
that settles it arrives (expired, reminder sent, invoiced, paid, decided, ...).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, Self

from sqlalchemy import BigInteger, Column, Connection, Date, Index, String

from domain.application import CertificationApplication
from domain.certificate import Certificate
from domain.deadlines import (
    DeadlineKind,
    contribution_overdue_day,
    decision_final_day,
    decision_overdue_day,
    expiry_day,
    reminder_day,
)
from domain.event_schema import aggregate_of
from domain.objection import Objection
from domain.participation import Participation
from domain.values import ContributionYear
from norms.catalogue import SchemeCatalogue
from norms.levels import Level
from projections.projection import Projection
from projections.states import AggregateStates, is_created

#: every kind of deadline
KINDS = tuple(DeadlineKind)
K = DeadlineKind


class Deadlines(Projection):
    """One row per (kind, subject): due date, creating event position, settling event position."""

    name = "deadlines"
    version = 2

    def __init__(self, catalogue: SchemeCatalogue) -> None:
        super().__init__()
        self.catalogue = catalogue
        self.rows = self.table(
            "due",
            Column("kind", String(32), primary_key=True),
            Column("subject", String(40), primary_key=True),
            Column("due_date", Date, nullable=False),
            Column("created_by", BigInteger, nullable=False),
            Column("settled_by", BigInteger),
        )
        Index(f"{self.rows.name}_open", self.rows.c.settled_by, self.rows.c.due_date)
        self.due_rows = self.buffer(self.rows)
        for running in (Certificate.Issued, Certificate.AspirantExtended):
            self.on(running, self.certificate_running)
        self.on(Certificate.ReminderIssued, self.settle_kinds(K.RENEWAL_REMINDER))
        for ended in (Certificate.Withdrawn, Certificate.Superseded, Certificate.Expired):
            self.on(
                ended,
                self.settle_kinds(K.CERTIFICATE_EXPIRY, K.ASPIRANT_EXPIRY, K.RENEWAL_REMINDER),
            )
        self.on(Participation.Started, self.participation_started)
        self.on(Participation.Invoiced, self.invoiced)
        self.on(Participation.Paid, self.contribution_settled)
        self.on(Participation.MarkedOverdue, self.contribution_settled)
        app = CertificationApplication
        self.on(app.AuditReportFiled, self.reported)
        for settling in (app.Granted, app.Refused, app.Cancelled, app.DecisionOverdueFlagged):
            self.on(settling, self.settle_kinds(K.DECISION_OVERDUE))
        self.on(app.DecisionBecameFinal, self.settle_kinds(K.DECISION_FINAL))
        for decided in (app.Granted, app.Refused):
            self.on(decided, self.decided)
        self.on(Objection.Filed, self.objection_filed)

    def prepare(self, conn: Connection, events: Sequence[Any], states: AggregateStates) -> None:
        """Read at once the deadlines the batch's events may settle: every kind, for each subject
        the events are about (a certificate number, an application, a contribution year)."""
        subjects: set[str] = set()
        for event in events:
            owner = aggregate_of(event)
            if owner is CertificationApplication:
                subjects.add(str(event.originator_id))
                continue
            aggregate = None if is_created(event) else states.get(conn, event.originator_id)
            if aggregate is None:
                continue  # created in this batch: its deadlines are made in this batch too
            if owner is Certificate:
                subjects.add(aggregate.number)
            elif owner is Participation:
                subjects.add(aggregate.certificate_number)
                if hasattr(event, "year"):
                    subjects.add(str(ContributionYear(aggregate.certificate_number, event.year)))
            elif owner is Objection:
                subjects.add(str(aggregate.application_id))
        self.due_rows.get_many(conn, [(kind, s) for s in subjects for kind in KINDS])

    def due(
        self, _conn: Connection, kind: DeadlineKind, subject: str, day: dt.date, position: int
    ) -> None:
        """Create or move a deadline (open again if it was settled)."""
        self.due_rows.put(
            {
                "kind": kind,
                "subject": subject,
                "due_date": day,
                "created_by": position,
                "settled_by": None,
            }
        )

    def settle(
        self, conn: Connection, kinds: tuple[DeadlineKind, ...], subject: str, position: int
    ) -> None:
        """Mark deadlines of a subject done."""
        found = self.due_rows.get_many(conn, [(kind, subject) for kind in kinds])
        for key, row in found.items():
            if row is not None and row["settled_by"] is None:
                self.due_rows.update(conn, *key, settled_by=position)

    def settle_kinds(self, *kinds: DeadlineKind) -> Any:
        """A handler that settles these kinds for the event's certificate or application."""

        def handler(conn: Connection, event: Any, aggregate: Any, position: int) -> None:
            subject = getattr(aggregate, "number", None) or str(event.originator_id)
            self.settle(conn, kinds, subject, position)

        return handler

    def renew(self) -> Self:
        """A new instance with the same scheme catalogue."""
        return type(self)(self.catalogue)

    def certificate_running(self, conn: Connection, _event: Any, cert: Any, position: int) -> None:
        """Expiry the day after the last valid day; the reminder some months before it."""
        expiry = K.ASPIRANT_EXPIRY if cert.level is Level.ASPIRANT else K.CERTIFICATE_EXPIRY
        self.due(conn, expiry, cert.number, expiry_day(cert.valid_until), position)
        version = self.catalogue.version(cert.handbook_version)
        reminder = reminder_day(cert.valid_until, version)
        if cert.reminder_issued_on is None:
            self.due(conn, K.RENEWAL_REMINDER, cert.number, reminder, position)

    def participation_started(self, conn: Connection, _e: Any, p: Any, position: int) -> None:
        """Year 2 is invoiced at the first anniversary."""
        self.due(conn, K.CONTRIBUTION_YEAR_TWO, p.certificate_number, p.invoice_date(2), position)

    def invoiced(self, conn: Connection, event: Any, p: Any, position: int) -> None:
        """An invoice falls overdue after its term; invoicing year 2 settles that deadline."""
        subject = str(ContributionYear(p.certificate_number, event.year))
        day = contribution_overdue_day(event.due_date)
        self.due(conn, K.CONTRIBUTION_OVERDUE, subject, day, position)
        if event.year == 2:
            self.settle(conn, (K.CONTRIBUTION_YEAR_TWO,), p.certificate_number, position)

    def contribution_settled(self, conn: Connection, event: Any, p: Any, position: int) -> None:
        """Paid or flagged: the overdue deadline of that year is done."""
        subject = str(ContributionYear(p.certificate_number, event.year))
        self.settle(conn, (K.CONTRIBUTION_OVERDUE,), subject, position)

    def reported(self, conn: Connection, event: Any, app: Any, position: int) -> None:
        """The decision is due at most the lead time after the audit."""
        version = self.catalogue.version(app.handbook_version)
        day = decision_overdue_day(event.audit_date, version)
        self.due(conn, K.DECISION_OVERDUE, str(app.id), day, position)

    def decided(self, conn: Connection, event: Any, app: Any, position: int) -> None:
        """The decision becomes final when the objection window closes without an objection."""
        version = self.catalogue.version(app.handbook_version)
        day = decision_final_day(event.decision_date, version)
        self.due(conn, K.DECISION_FINAL, str(app.id), day, position)

    def objection_filed(self, conn: Connection, _event: Any, objection: Any, position: int) -> None:
        """An objection keeps the decision open."""
        self.settle(conn, (K.DECISION_FINAL,), str(objection.application_id), position)
