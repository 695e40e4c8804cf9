"""Stored topics are schema: this list changes only on purpose (a new class_version or event)."""

from __future__ import annotations

import inspect

from eventsourcing.domain import CanMutateAggregate

from domain.aggregate import PsoAggregate
from domain.application import CertificationApplication
from domain.certificate import Certificate
from domain.idempotency import IdempotencyRecord
from domain.kvk_index import KvkIndex
from domain.numbering import CertificateNumbers
from domain.objection import Objection
from domain.organisation import Organisation
from domain.participation import Participation
from domain.scheme_rules import SchemeRules

STORED_TOPICS = {
    "pso.application.Application",
    "pso.application.AuditPlanObjected.v1",
    "pso.application.AuditPlanned.v1",
    "pso.application.AuditReportFiled.v1",
    "pso.application.Cancelled.v1",
    "pso.application.DecisionBecameFinal.v1",
    "pso.application.DecisionOverdueFlagged.v1",
    "pso.application.ObjectionLodged.v1",
    "pso.application.FiguresCorrected.v1",
    "pso.application.FindingRecorded.v1",
    "pso.application.Imported.v1",
    "pso.application.Granted.v1",
    "pso.application.Refused.v1",
    "pso.application.Submitted.v1",
    "pso.certificate.AspirantExtended.v1",
    "pso.certificate.Certificate",
    "pso.certificate.Expired.v1",
    "pso.certificate.Issued.v1",
    "pso.certificate.LevelRevised.v1",
    "pso.certificate.ReminderIssued.v1",
    "pso.certificate.Reinstated.v1",
    "pso.certificate.Superseded.v1",
    "pso.certificate.Suspended.v1",
    "pso.certificate.Withdrawn.v1",
    "pso.idempotency.IdempotencyRecord",
    "pso.idempotency.Recorded.v1",
    "pso.kvk_index.Claimed.v1",
    "pso.kvk_index.KvkIndex",
    "pso.kvk_index.Reclaimed.v1",
    "pso.kvk_index.Released.v1",
    "pso.numbering.CertificateNumbers",
    "pso.numbering.NumberIssued.v1",
    "pso.numbering.Opened.v1",
    "pso.organisation.ApplicationLodged.v1",
    "pso.organisation.CedrisMembershipRecorded.v1",
    "pso.organisation.CertificateAttached.v1",
    "pso.organisation.Organisation",
    "pso.organisation.PrecededBy.v1",
    "pso.organisation.Registered.v1",
    "pso.organisation.SubsidiariesChanged.v1",
    "pso.organisation.SucceededBy.v1",
    "pso.participation.Participation",
    "pso.participation.Started.v1",
    "pso.participation.Invoiced.v1",
    "pso.participation.Discounted.v1",
    "pso.participation.Paid.v1",
    "pso.participation.MarkedOverdue.v1",
    "pso.objection.Objection",
    "pso.objection.Filed.v1",
    "pso.objection.BoardAnswered.v1",
    "pso.objection.EscalatedToCommittee.v1",
    "pso.objection.CommitteeDecided.v1",
    "pso.scheme_rules.SchemeRules",
    "pso.scheme_rules.Started.v1",
    "pso.scheme_rules.VersionPublished.v1",
}
AGGREGATES = (
    CertificationApplication,
    Certificate,
    KvkIndex,
    CertificateNumbers,
    Organisation,
    Participation,
    Objection,
    SchemeRules,
    IdempotencyRecord,
)


def test_every_aggregate_and_event_has_the_listed_explicit_topic() -> None:
    """Renaming a class cannot change what is stored; adding an event means adding it here."""
    found = set()
    for aggregate in AGGREGATES:
        found.add(aggregate.TOPIC)
        for name, member in inspect.getmembers(aggregate, inspect.isclass):
            if issubclass(member, CanMutateAggregate) and name != "Event":
                found.add(getattr(member, "TOPIC", f"{member.__qualname__} has no topic"))
    assert found == STORED_TOPICS


def test_every_event_records_its_cause() -> None:
    """The base event of every aggregate has a cause field."""
    for aggregate in AGGREGATES:
        assert issubclass(aggregate.Event, PsoAggregate.Event)
        assert "cause" in aggregate.Event.__dataclass_fields__
