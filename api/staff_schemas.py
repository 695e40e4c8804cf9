"""Request shapes of the staff and CI API (the contract CIs integrate against)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, Field

from api import staff_examples as ex
from api.schemas import CERTIFICATE_PATTERN, KVK_PATTERN, Day, LevelName, examples

Reason = Field(min_length=1, max_length=2000, description="Why (recorded on the event).")


class OrganisationCreate(BaseModel):
    """Enter an organisation with its subsidiaries."""

    model_config = examples(ex.ORGANISATION_CREATE)

    kvk: str = Field(pattern=KVK_PATTERN, examples=["12345678"])
    name: str = Field(min_length=1, max_length=200, examples=["Voorbeeld BV"])
    place: str = Field(min_length=1, max_length=100, examples=["Utrecht"])
    subsidiaries: list[str] = Field(default=[], max_length=200, examples=[["23456789"]])


class SuccessorCreate(BaseModel):
    """Link to the successor after a takeover or change of legal form."""

    model_config = examples(ex.SUCCESSOR_CREATE)

    successor_kvk: str = Field(pattern=KVK_PATTERN)
    effective_on: Day


class AspirantPlan(BaseModel):
    """The plan of approach of an aspirant: its four parts and board approval."""

    objective: bool
    support: bool
    recruitment_and_selection: bool
    jobs_available: bool
    approved_by_board: bool = True


class ApplicationCreate(BaseModel):
    """Submit a definitive application (figures in the ``pso score`` declaration format)."""

    model_config = examples(ex.APPLICATION_CREATE)

    kvk: str = Field(pattern=KVK_PATTERN, examples=["12345678"])
    submitted_on: Day
    certifying_institution: str = Field(examples=["Kiwa"])
    requested_level: LevelName | None = None
    declaration: dict[str, Any] = Field(description="The declaration (see README).")
    aspirant_plan: AspirantPlan | None = None
    extends_certificate: str | None = None


class Finding(BaseModel):
    """One audit finding."""

    criterion: str = Field(max_length=100, examples=["begeleiding"])
    verdict: Literal["met", "not_met", "note"] = "note"
    note: str = Field(default="", max_length=2000)


class Advice(BaseModel):
    """The CI's advice to PSO-Nederland."""

    level: LevelName | None
    pso30plus: bool = False


class AuditReportCreate(BaseModel):
    """The audit report: date, corrected figures with verdicts, findings, advice."""

    model_config = examples(ex.AUDIT_REPORT_CREATE)

    audit_date: Day
    declaration: dict[str, Any] | None = None
    findings: list[Finding] = Field(default=[], max_length=200)
    advice: Advice
    summary: str = Field(default="", max_length=4000)


class AuditPlanObjectionCreate(BaseModel):
    """An objection to the audit plan (within 7 working days of the submission)."""

    model_config = examples(ex.AUDIT_PLAN_OBJECTION_CREATE)

    objected_on: Day
    reason: str = Reason


class DecisionCreate(BaseModel):
    """PSO-Nederland's decision."""

    model_config = examples(ex.DECISION_CREATE)

    decided_on: Day
    outcome: Literal["granted", "refused"]
    level: LevelName | None = None
    pso30plus: bool | None = None
    reason: str | None = Field(default=None, max_length=2000)


class CancellationCreate(BaseModel):
    """The organisation cancels its application."""

    model_config = examples(ex.CANCELLATION_CREATE)

    cancelled_on: Day
    reason: str = Reason


class CertificateChangeCreate(BaseModel):
    """Suspend, reinstate or withdraw from a day (may lie in the past)."""

    model_config = examples(ex.CERTIFICATE_CHANGE_CREATE)

    effective_on: Day
    reason: str = Reason


class ObjectionCreate(BaseModel):
    """An objection to the decision behind a certificate."""

    model_config = examples(ex.OBJECTION_CREATE)

    certificate_number: str = Field(pattern=CERTIFICATE_PATTERN)
    filed_on: Day
    grounds: str = Reason


class ObjectionDecisionCreate(BaseModel):
    """The board's or the committee's decision on an objection."""

    model_config = examples(ex.BOARD_REJECTION, ex.COMMITTEE_REVISION)

    decided_on: Day
    outcome: Literal["upheld", "rejected", "revised"]
    level: LevelName | None = None
    reason: str = Reason


class EscalationCreate(BaseModel):
    """Take the board's answer to TNO's committee."""

    model_config = examples(ex.ESCALATION_CREATE)

    filed_on: Day


class PaymentCreate(BaseModel):
    """A contribution payment."""

    model_config = examples(ex.PAYMENT_CREATE)

    paid_on: Day
    amount: Decimal = Field(gt=0, examples=["1500.00"])
