"""What the staff commands answer (schema names by role): each made from the command's own result
value (``domain/service/results.py``), which a retry under the same ``Idempotency-Key`` gets back,
so the first answer and every repeat are the same. Worked examples: ``api.staff_examples``."""

from __future__ import annotations

import datetime as dt
from typing import Literal
from uuid import UUID

from pydantic import BaseModel, Field

from api import staff_examples as ex
from api.assessments import Assessment
from api.schemas import LevelName, StatusName, examples
from domain.service.results import (
    AuditReportResult,
    CertificateChangeResult,
    DecisionResult,
    PublicationResult,
    SubmissionResult,
)

ApplicationStateName = Literal[
    "submitted", "audit_planned", "reported", "granted", "refused", "cancelled"
]


class OrganisationRegistered(BaseModel):
    """An organisation was entered: its id and the KvK numbers it covers."""

    model_config = examples(ex.ORGANISATION_REGISTERED)

    organisation_id: UUID = Field(description="Derived from the main KvK number.")
    kvk: str
    covered_kvks: list[str]


class SuccessorLinked(BaseModel):
    """An organisation was linked to its successor (takeover or change of legal form)."""

    model_config = examples(ex.SUCCESSOR_LINKED)

    kvk: str
    successor_kvk: str
    effective_on: dt.date


class ApplicationSubmitted(BaseModel):
    """A definitive application was submitted: its id, the handbook version in force on the
    submission date and the provisional assessment of the declared figures."""

    model_config = examples(ex.APPLICATION_SUBMITTED)

    id: UUID
    handbook_version: str
    requested_level: LevelName | None
    provisional_assessment: Assessment

    @classmethod
    def of(cls, done: SubmissionResult, requested: LevelName | None) -> ApplicationSubmitted:
        """From the submission's result."""
        return cls(
            id=done.application_id,
            handbook_version=done.handbook_version,
            requested_level=requested,
            provisional_assessment=Assessment.model_validate(done.assessment),
        )


class AuditPlanObjected(BaseModel):
    """An objection to the audit plan was recorded."""

    model_config = examples(ex.AUDIT_PLAN_OBJECTED)

    id: UUID
    audit_plan_objection: dt.date = Field(description="The day of the objection.")


class AuditReportFiled(BaseModel):
    """The audit report was filed; the application's state after it."""

    model_config = examples(ex.AUDIT_REPORT_FILED)

    id: UUID
    state: ApplicationStateName

    @classmethod
    def of(cls, done: AuditReportResult) -> AuditReportFiled:
        """From the report's result."""
        return cls.model_validate({"id": done.application_id, "state": done.state})


class DecisionRecorded(BaseModel):
    """PSO-Nederland's decision: granted with its certificate (number, level, PSO 30+, validity),
    or refused (those fields null)."""

    model_config = examples(ex.DECISION_GRANTED, ex.DECISION_REFUSED)

    id: UUID
    outcome: Literal["granted", "refused"]
    certificate_number: str | None
    level: LevelName | None
    pso30plus: bool | None
    valid_from: dt.date | None
    valid_until: dt.date | None = Field(description="The last day of validity (inclusive).")

    @classmethod
    def of(cls, done: DecisionResult) -> DecisionRecorded:
        """From the decision's result."""
        cert = done.certificate
        return cls.model_validate(
            {
                "id": done.application_id,
                "outcome": done.outcome,
                "certificate_number": done.number,
                "level": cert.level.value if cert else None,
                "pso30plus": cert.pso30plus if cert else None,
                "valid_from": cert.valid_from if cert else None,
                "valid_until": cert.valid_until if cert else None,
            }
        )


class ApplicationCancelled(BaseModel):
    """The organisation cancelled its application before the decision."""

    model_config = examples(ex.APPLICATION_CANCELLED)

    id: UUID
    state: Literal["cancelled"] = "cancelled"


class CertificateChanged(BaseModel):
    """A suspension, reinstatement or withdrawal was recorded: the certificate's status after it
    as recorded (a change for a later day shows in the register from that day)."""

    model_config = examples(ex.CERTIFICATE_SUSPENDED)

    certificate_number: str
    status: StatusName
    effective_on: dt.date

    @classmethod
    def of(cls, done: CertificateChangeResult) -> CertificateChanged:
        """From the change's result."""
        return cls.model_validate(
            {
                "certificate_number": done.number,
                "status": done.status,
                "effective_on": done.effective_on,
            }
        )


class ObjectionFiled(BaseModel):
    """An objection to the decision behind a certificate was filed with the board."""

    model_config = examples(ex.OBJECTION_FILED)

    id: UUID
    application_id: UUID = Field(description="The application whose decision is objected to.")


class ObjectionDecided(BaseModel):
    """The board's or the committee's decision on an objection; the certificate it revised or
    issued, if any."""

    model_config = examples(ex.OBJECTION_REJECTED, ex.OBJECTION_REVISED)

    id: UUID
    outcome: Literal["upheld", "rejected", "revised"]
    certificate_number: str | None = Field(description="Null unless a level was revised.")


class ObjectionEscalated(BaseModel):
    """The board's answer was taken to TNO's Commissie van Deskundigen."""

    model_config = examples(ex.OBJECTION_ESCALATED)

    id: UUID
    stage: Literal["committee"] = "committee"


class PaymentRecorded(BaseModel):
    """A contribution year (jaarbijdrage) was paid."""

    model_config = examples(ex.PAYMENT_RECORDED)

    id: str = Field(description="The contribution year, `PSO-2026-000011/1`.")
    paid_on: dt.date


class HandbookPublished(BaseModel):
    """A handbook version was published: its name and the day it comes into force."""

    model_config = examples(ex.HANDBOOK_PUBLISHED)

    version: str
    effective_from: dt.date

    @classmethod
    def of(cls, done: PublicationResult) -> HandbookPublished:
        """From the publication's result."""
        return cls(version=done.version, effective_from=done.effective_from)
