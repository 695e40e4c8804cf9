"""What the staff reads answer (schema names by role): applications, contribution years, the
worklist, an organisation's timeline and the dispute report. Each is mapped explicitly from the
read model's row or the domain's value it comes from: a read model's own bookkeeping (log
positions, statuses as last recorded) stays out of the contract. Examples: ``api.staff_examples``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal, TypeVar
from uuid import UUID

from pydantic import BaseModel, Field

from api import staff_examples as ex
from api.assessments import Assessment
from api.documents import pick
from api.schemas import LevelName, Moment, PositionPublic, examples
from api.staff_answers import ApplicationStateName
from domain.values import ContributionYear

M = TypeVar("M", bound=BaseModel)


def from_row(model: type[M], row: dict[str, Any]) -> M:
    """The model of a row, from the fields the model names (and only those)."""
    return model.model_validate(pick(row, tuple(model.model_fields)))


class ApplicationSummary(BaseModel):
    """An application as the staff lists show it: state, dates and the decision's lead time."""

    model_config = examples(ex.APPLICATION_SUMMARY)

    application_id: UUID
    organisation_id: UUID
    ci: str = Field(description="The certifying institution's code, e.g. `kiwa`.")
    state: ApplicationStateName
    handbook_version: str
    submission_date: dt.date
    audit_date: dt.date | None
    decision_date: dt.date | None
    decision_due_by: dt.date | None = Field(
        description="The last day of the decision's lead time after the audit."
    )
    decided_late: bool | None = Field(description="Decided after `decision_due_by`.")
    late_reason: str | None = Field(description="The reason stated for a late decision.")
    late: bool = Field(description="Decided late, or still undecided past `decision_due_by`.")


class AuditAdvice(BaseModel):
    """The CI's advice to PSO-Nederland in its audit report."""

    level: LevelName | None
    pso30plus: bool


class ApplicationDetail(BaseModel):
    """One application with its findings and the assessment of its (audited) figures."""

    model_config = examples(ex.APPLICATION_DETAIL)

    id: UUID
    state: ApplicationStateName
    ci: str
    handbook_version: str
    submission_date: dt.date
    audit_date: dt.date | None
    decision_date: dt.date | None
    findings: list[str] = Field(description="`criterion: verdict - note` per finding.")
    advice: AuditAdvice | None = Field(description="Null before the audit report.")
    assessment: Assessment


class ContributionEntry(BaseModel):
    """An invoiced contribution year (jaarbijdrage) and whether it was paid."""

    model_config = examples(ex.CONTRIBUTION_ENTRY)

    id: str = Field(description="The year as its payment URL takes it: `PSO-2026-000011/1`.")
    certificate_number: str
    year: int = Field(description="1 or 2: the year of the certificate's validity.")
    amount: str = Field(description="Euros, exact decimal text.", examples=["1500.00"])
    due_date: dt.date
    paid_on: dt.date | None
    overdue: bool

    @classmethod
    def of(cls, row: dict[str, Any]) -> ContributionEntry:
        """From a row of the contributions worklist."""
        year = ContributionYear(row["certificate_number"], row["year"])
        return from_row(cls, {**row, "id": str(year), "amount": str(row["amount"])})


class OverdueDecision(BaseModel):
    """An application whose decision is past its lead time (a deadline of the scheduler)."""

    application_id: UUID
    due_date: dt.date

    @classmethod
    def of(cls, row: dict[str, Any]) -> OverdueDecision:
        """From a ``decision_overdue`` row of the deadlines read model."""
        return cls.model_validate({"application_id": row["subject"], "due_date": row["due_date"]})


class ObjectionSummary(BaseModel):
    """An objection still open: its stage and, once answered, the board's outcome."""

    objection_id: UUID
    application_id: UUID
    stage: Literal["board", "board_answered", "committee", "closed"]
    filed_on: dt.date
    outcome: Literal["upheld", "rejected"] | None


class ExpiringCertificate(BaseModel):
    """A certificate active today whose validity ends within 90 days."""

    number: str
    organisation_id: UUID
    level: LevelName
    pso30plus: bool
    valid_from: dt.date
    valid_until: dt.date
    ended_on: dt.date | None = Field(description="A withdrawal or suspension scheduled for later.")
    covered_kvks: list[str]
    ci: str | None


class Statistics(BaseModel):
    """Certificates active today per level, size class and CI, and issued per year."""

    per_level: dict[str, int]
    per_size_class: dict[str, int]
    per_ci: dict[str, int]
    issued_per_year: dict[str, int]


class MessageNeedingAttention(BaseModel):
    """An outbox message that is undeliverable, failing, or whose delivery was interrupted."""

    message_id: str
    kind: str
    recipient: str
    state: Literal["claimed", "retrying", "delivered", "undeliverable"]
    attempts: int
    last_error: str | None
    claimed_by: str | None
    last_attempt_at: Moment | None
    next_attempt_at: Moment | None = Field(description="Null once undeliverable.")


class FailedReadModel(BaseModel):
    """A read model stopped at an event it could not apply (until it is rebuilt)."""

    projection: str
    version: int
    position: int = Field(description="The log position of the event it stopped before.")
    topic: str
    originator_id: str
    stage: Literal["fold", "apply", "write"]
    error: str
    failed_at: Moment
    description: str


class Worklist(BaseModel):
    """What needs staff attention today, and the read models that stopped (until rebuilt, the
    lists stand still at their event)."""

    model_config = examples(ex.WORKLIST)

    today: dt.date
    applications_awaiting_decision: list[ApplicationSummary]
    decisions_overdue: list[OverdueDecision]
    decisions_late: list[ApplicationSummary]
    open_objections: list[ObjectionSummary]
    unpaid_contributions: list[ContributionEntry]
    expiring_within_90_days: list[ExpiringCertificate]
    statistics: Statistics
    messages_needing_attention: list[MessageNeedingAttention]
    failed_read_models: list[FailedReadModel]


class TimelineEntry(BaseModel):
    """One event of an organisation's story, as a dispute needs it: when it was recorded, where
    in the log, what, effective when, by whom and why, and its facts."""

    model_config = examples(ex.TIMELINE_ENTRY)

    recorded_at: Moment
    position: int = Field(description="The event's position in the log.")
    event: str = Field(description="The event's stable topic, e.g. `pso.certificate.Issued.v1`.")
    aggregate_id: UUID
    version: int = Field(description="The event's version in its aggregate.")
    effective_dates: dict[str, dt.date] = Field(description="The business dates among the facts.")
    actor_id: str
    actor_role: Literal["admin", "staff", "auditor", "scheduler", "import"]
    actor_ci: str | None
    correlation_id: str
    reason: str | None
    facts: dict[str, Any] = Field(description="The event's own fields (they differ per event).")


class DisputeReport(BaseModel):
    """The position on a disputed day as known now, what the register said about that day over
    time (each moment its answer changed), and the organisation's whole timeline."""

    model_config = examples(ex.DISPUTE_REPORT)

    kvk: str
    on: dt.date
    now: PositionPublic
    what_the_register_said: list[PositionPublic]
    timeline: list[TimelineEntry]
