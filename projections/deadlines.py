"""Deadlines as data: what is due when, and the event that created each one.

The scheduler sweeps the due rows and sends idempotent commands; a row is done when the event
that settles it arrives (expired, reminder sent, invoiced, paid, decided, ...).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, Self

from sqlalchemy import BigInteger, Column, Connection, Date, Index, String

from domain.deadlines import (
    contribution_overdue_day,
    decision_final_day,
    decision_overdue_day,
    expiry_day,
    reminder_day,
)
from norms.catalogue import SchemeCatalogue
from norms.levels import Level
from projections.projection import Projection
from projections.states import AggregateStates, is_created

#: every kind of deadline
KINDS = (
    "certificate_expiry",
    "aspirant_expiry",
    "renewal_reminder",
    "contribution_year_two",
    "contribution_overdue",
    "decision_overdue",
    "decision_final",
)


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
        certificate = "pso.certificate."
        for topic in ("Issued", "AspirantExtended"):
            self.on(f"{certificate}{topic}.v1", self.certificate_running)
        self.on(f"{certificate}ReminderIssued.v1", self.settle_kinds("renewal_reminder"))
        for topic in ("Withdrawn", "Superseded", "Expired"):
            self.on(
                f"{certificate}{topic}.v1",
                self.settle_kinds("certificate_expiry", "aspirant_expiry", "renewal_reminder"),
            )
        self.on("pso.participation.Started.v1", self.participation_started)
        self.on("pso.participation.Invoiced.v1", self.invoiced)
        self.on("pso.participation.Paid.v1", self.contribution_settled)
        self.on("pso.participation.MarkedOverdue.v1", self.contribution_settled)
        self.on("pso.application.AuditReportFiled.v1", self.reported)
        for topic in ("Granted", "Refused", "Cancelled", "DecisionOverdueFlagged"):
            self.on(f"pso.application.{topic}.v1", self.settle_kinds("decision_overdue"))
        self.on("pso.application.DecisionBecameFinal.v1", self.settle_kinds("decision_final"))
        for topic in ("Granted", "Refused"):
            self.on(f"pso.application.{topic}.v1", self.decided)
        self.on("pso.objection.Filed.v1", self.objection_filed)

    def prepare(self, conn: Connection, events: Sequence[Any], states: AggregateStates) -> None:
        """Read at once the deadlines the batch's events may settle: every kind, for each subject
        the events are about (a certificate number, an application, a contribution year)."""
        subjects: set[str] = set()
        for event in events:
            topic = type(event).TOPIC
            if topic.startswith("pso.application."):
                subjects.add(str(event.originator_id))
                continue
            aggregate = None if is_created(event) else states.get(conn, event.originator_id)
            if aggregate is None:
                continue  # created in this batch: its deadlines are made in this batch too
            if topic.startswith("pso.certificate."):
                subjects.add(aggregate.number)
            elif topic.startswith("pso.participation."):
                subjects.add(aggregate.certificate_number)
                if hasattr(event, "year"):
                    subjects.add(f"{aggregate.certificate_number}/{event.year}")
            elif topic.startswith("pso.objection."):
                subjects.add(str(aggregate.application_id))
        self.due_rows.get_many(conn, [(kind, s) for s in subjects for kind in KINDS])

    def due(self, _conn: Connection, kind: str, subject: str, day: dt.date, position: int) -> None:
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

    def settle(self, conn: Connection, kinds: tuple[str, ...], subject: str, position: int) -> None:
        """Mark deadlines of a subject done."""
        found = self.due_rows.get_many(conn, [(kind, subject) for kind in kinds])
        for key, row in found.items():
            if row is not None and row["settled_by"] is None:
                self.due_rows.update(conn, *key, settled_by=position)

    def settle_kinds(self, *kinds: str) -> Any:
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
        expiry = "aspirant_expiry" if cert.level is Level.ASPIRANT else "certificate_expiry"
        self.due(conn, expiry, cert.number, expiry_day(cert.valid_until), position)
        version = self.catalogue.version(cert.handbook_version)
        reminder = reminder_day(cert.valid_until, version)
        if cert.reminder_issued_on is None:
            self.due(conn, "renewal_reminder", cert.number, reminder, position)

    def participation_started(self, conn: Connection, _e: Any, p: Any, position: int) -> None:
        """Year 2 is invoiced at the first anniversary."""
        self.due(
            conn,
            "contribution_year_two",
            p.certificate_number,
            p.invoice_date(2),
            position,
        )

    def invoiced(self, conn: Connection, event: Any, p: Any, position: int) -> None:
        """An invoice falls overdue after its term; invoicing year 2 settles that deadline."""
        subject = f"{p.certificate_number}/{event.year}"
        self.due(
            conn,
            "contribution_overdue",
            subject,
            contribution_overdue_day(event.due_date),
            position,
        )
        if event.year == 2:
            self.settle(conn, ("contribution_year_two",), p.certificate_number, position)

    def contribution_settled(self, conn: Connection, event: Any, p: Any, position: int) -> None:
        """Paid or flagged: the overdue deadline of that year is done."""
        self.settle(
            conn, ("contribution_overdue",), f"{p.certificate_number}/{event.year}", position
        )

    def reported(self, conn: Connection, event: Any, app: Any, position: int) -> None:
        """The decision is due at most the lead time after the audit."""
        version = self.catalogue.version(app.handbook_version)
        day = decision_overdue_day(event.audit_date, version)
        self.due(conn, "decision_overdue", str(app.id), day, position)

    def decided(self, conn: Connection, event: Any, app: Any, position: int) -> None:
        """The decision becomes final when the objection window closes without an objection."""
        version = self.catalogue.version(app.handbook_version)
        day = decision_final_day(event.decision_date, version)
        self.due(conn, "decision_final", str(app.id), day, position)

    def objection_filed(self, conn: Connection, _event: Any, objection: Any, position: int) -> None:
        """An objection keeps the decision open."""
        self.settle(conn, ("decision_final",), str(objection.application_id), position)
