"""Staff reads: worklists, due deadlines and statistics. Plain values only."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal
from typing import Any

from sqlalchemy import Engine, or_, select

from domain.deadlines import DeadlineKind
from projections.catalogue import ReadModels
from projections.failures import failures_of
from projections.queries import plain

SIZE_CLASSES = ((Decimal(0), "<25"), (Decimal(25), "25-50"), (Decimal(50), "50-100"),
                (Decimal(100), "100-250"), (Decimal(250), "250+"))  # fmt: skip


def size_class(total_fte: Decimal) -> str:
    """The size class statistics group an organisation in."""
    return [label for lower, label in SIZE_CLASSES if total_fte >= lower][-1]


def _with_late(row: dict[str, Any], today: dt.date | None) -> dict[str, Any]:
    due_by = row["decision_due_by"]
    if row["decision_date"] is not None:
        late = bool(row["decided_late"])
    else:
        late = today is not None and due_by is not None and today > due_by
    return {**row, "late": late}


class StaffQueries:
    """Worklists for PSO staff, what the scheduler must do, and counts."""

    def __init__(self, engine: Engine, models: ReadModels) -> None:
        self.engine = engine
        self.models = models

    def _all(self, query: Any) -> list[dict[str, Any]]:
        with self.engine.connect() as conn:
            return [plain(r) for r in conn.execute(query)]

    def applications(
        self, state: str | None = None, today: dt.date | None = None
    ) -> list[dict[str, Any]]:
        """Applications, optionally in one state, oldest submission first.

        ``late`` marks a decision taken after its lead time (``decision_due_by``) and, given
        ``today``, an undecided application past it.
        """
        table = self.models.worklists.applications
        query = select(table).order_by(table.c.submission_date, table.c.application_id)
        if state:
            query = query.where(table.c.state == state)
        return [_with_late(row, today) for row in self._all(query)]

    def organisations(self, ids: set[str]) -> dict[str, dict[str, Any]]:
        """The main KvK number and name of each of these organisations, by id (for links)."""
        table = self.models.register.organisations
        query = select(table.c.organisation_id, table.c.main_kvk, table.c.name).where(
            table.c.organisation_id.in_(sorted(ids))
        )
        return {str(r["organisation_id"]): r for r in self._all(query)} if ids else {}

    def late_decisions(self) -> list[dict[str, Any]]:
        """Decisions taken after their lead time, with the reason stated, latest first."""
        table = self.models.worklists.applications
        query = (
            select(table)
            .where(table.c.decided_late.is_(True))
            .order_by(table.c.decision_date.desc(), table.c.application_id)
        )
        return [_with_late(row, None) for row in self._all(query)]

    def due(self, today: dt.date, kind: str | None = None) -> list[dict[str, Any]]:
        """Open deadlines due on or before a day (what the scheduler must act on)."""
        table = self.models.deadlines.rows
        query = (
            select(table)
            .where(table.c.settled_by.is_(None), table.c.due_date <= today)
            .order_by(table.c.due_date, table.c.kind, table.c.subject)
        )
        if kind:
            query = query.where(table.c.kind == kind)
        return self._all(query)

    def overdue_decisions(self, today: dt.date) -> list[dict[str, Any]]:
        """Applications whose decision is more than the lead time after the audit."""
        return self.due(today, DeadlineKind.DECISION_OVERDUE)

    def open_objections(self) -> list[dict[str, Any]]:
        """Objections not yet closed."""
        table = self.models.worklists.objections
        return self._all(select(table).where(table.c.stage != "closed").order_by(table.c.filed_on))

    def unpaid_contributions(self) -> list[dict[str, Any]]:
        """Invoiced contribution years without payment, oldest due first."""
        table = self.models.worklists.contributions
        return self._all(select(table).where(table.c.paid_on.is_(None)).order_by(table.c.due_date))

    def contributions(self) -> list[dict[str, Any]]:
        """Every invoiced contribution year, oldest due first."""
        table = self.models.worklists.contributions
        return self._all(select(table).order_by(table.c.due_date, table.c.certificate_number))

    def _active_on(self, today: dt.date) -> Any:
        """The condition "the certificate is active on that day" (the ladder as known now; a
        change scheduled for a later day does not count yet)."""
        certs, s = self.models.register.certificates, self.models.ladder.rows
        return (
            select(s.c.id)
            .where(
                s.c.number == certs.c.number,
                s.c.recorded_to.is_(None),
                s.c.standing == "certified",
                s.c.start <= today,
                or_(s.c.end.is_(None), s.c.end > today),
            )
            .exists()
        )

    def expiring(self, today: dt.date, days: int = 90) -> list[dict[str, Any]]:
        """Certificates active today whose validity ends within the coming days."""
        table = self.models.register.certificates
        return self._all(
            select(table)
            .where(
                self._active_on(today),
                table.c.valid_until >= today,
                table.c.valid_until <= today + dt.timedelta(days=days),
            )
            .order_by(table.c.valid_until)
        )

    def failed_read_models(self) -> list[dict[str, Any]]:
        """Read models stopped at an event they could not apply (until rebuilt)."""
        with self.engine.connect() as conn:
            found = failures_of(conn, [p.key for p in self.models.all()])
        return [failure.to_document() for failure in found]

    def statistics(self, today: dt.date) -> dict[str, dict[str, int]]:
        """Counts of the certificates active today per level, size class and CI, and issued
        per year."""
        table = self.models.register.certificates
        active = self._active_on(today).label("active")
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(table.c.level, table.c.total_fte, table.c.ci, table.c.valid_from, active)
            ).all()
        running = [r for r in rows if r.active]
        return {
            "per_level": dict(Counter(r.level for r in running)),
            "per_size_class": dict(
                Counter(
                    size_class(Decimal(r.total_fte)) if r.total_fte is not None else "unknown"
                    for r in running
                )
            ),
            "per_ci": dict(Counter(r.ci or "unknown" for r in running)),
            "issued_per_year": dict(Counter(str(r.valid_from.year) for r in rows)),
        }
