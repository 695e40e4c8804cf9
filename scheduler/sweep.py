"""The deadline sweep: read what is due from the deadlines read model and send the idempotent
domain command for each row. Exactly one effect per deadline holds without claiming rows: every
command re-checks its aggregate and two schedulers racing on the same aggregate conflict on its
version, so the loser retries, sees the effect and does nothing.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import structlog

from domain.clock import business_date
from domain.deadlines import DeadlineKind
from domain.errors import ConcurrentModificationError, DomainError
from domain.register import Register
from domain.values import Cause, ContributionYear, Role
from projections.runner import Runner
from projections.staff_queries import StaffQueries

log = structlog.get_logger(__name__)
RETRIES = 3

Command = Callable[[Register, str, Cause], bool]


def _overdue(register: Register, subject: str, cause: Cause) -> bool:
    due = ContributionYear.parse(subject)
    return register.mark_contribution_overdue(due.number, due.year, cause)


#: the command each kind of deadline sends, with the deadline's subject
COMMANDS: dict[DeadlineKind, Command] = {
    DeadlineKind.CERTIFICATE_EXPIRY: lambda r, subject, cause: r.expire_certificate(subject, cause),
    DeadlineKind.ASPIRANT_EXPIRY: lambda r, subject, cause: r.expire_certificate(subject, cause),
    DeadlineKind.RENEWAL_REMINDER: lambda r, subject, cause: r.issue_renewal_reminder(
        subject, cause
    ),
    DeadlineKind.CONTRIBUTION_YEAR_TWO: lambda r, subject, cause: r.invoice_contribution_year_two(
        subject, cause
    ),
    DeadlineKind.CONTRIBUTION_OVERDUE: _overdue,
    DeadlineKind.DECISION_OVERDUE: lambda r, subject, cause: r.flag_decision_overdue(
        UUID(subject), cause
    ),
    DeadlineKind.DECISION_FINAL: lambda r, subject, cause: r.make_decision_final(
        UUID(subject), cause
    ),
}


@dataclass(frozen=True)
class Outcome:
    """What the sweep did about one due deadline."""

    kind: str
    subject: str
    due_date: dt.date
    acted: bool
    note: str

    def to_document(self) -> dict[str, Any]:
        """JSON form for ``pso scheduler sweep``."""
        return {**vars(self), "due_date": self.due_date.isoformat()}


class Sweep:
    """One pass over the due deadlines."""

    def __init__(self, register: Register, runner: Runner, staff: StaffQueries) -> None:
        self.register = register
        self.runner = runner
        self.staff = staff

    def run(self) -> list[Outcome]:
        """Bring the deadlines up to date, act on every due one, and settle them."""
        self.runner.catch_up()
        today = business_date(self.register.clock.now())
        cause = Cause("scheduler", Role.SCHEDULER, f"sweep-{uuid.uuid4()}")
        outcomes = [self._act(row, cause) for row in self.staff.due(today)]
        self.runner.catch_up()
        acted = sum(o.acted for o in outcomes)
        log.info("sweep", today=today.isoformat(), due=len(outcomes), acted=acted)
        return outcomes

    def _act(self, row: dict[str, Any], cause: Cause) -> Outcome:
        kind, subject, due = row["kind"], row["subject"], row["due_date"]
        command = COMMANDS[DeadlineKind(kind)]
        for _ in range(RETRIES):
            try:
                acted = self.register.attempt(lambda: command(self.register, subject, cause))
            except ConcurrentModificationError:
                continue  # another scheduler changed it this instant: look again
            except DomainError as exc:
                log.warning("deadline_refused", kind=kind, subject=subject, error=str(exc))
                return Outcome(kind, subject, due, acted=False, note=f"refused: {exc}")
            note = "done" if acted else "nothing to do: no longer applies or already done"
            log.info("deadline", kind=kind, subject=subject, acted=acted, note=note)
            return Outcome(kind, subject, due, acted=acted, note=note)
        return Outcome(kind, subject, due, acted=False, note="kept conflicting; next sweep")
