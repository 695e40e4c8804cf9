"""Stored topics are schema: this list changes only on purpose (a new class_version or event)."""

from __future__ import annotations

import dataclasses
import inspect

import pytest
from eventsourcing.domain import CanMutateAggregate

from domain import event_schema
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
from domain.statement import Statement
from domain.statement_keys import StatementKeys
from norms.catalogue import SchemeCatalogue
from projections.catalogue import read_models

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
    "pso.statement.Statement",
    "pso.statement.Issued.v1",
    "pso.statement_keys.StatementKeys",
    "pso.statement_keys.Started.v1",
    "pso.statement_keys.KeyPublished.v1",
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
    Statement,
    StatementKeys,
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


def test_the_domain_lists_the_same_aggregates_and_every_event_class_by_its_topic() -> None:
    """domain/event_schema.py knows every aggregate; its events by topic are the stored ones."""
    assert set(event_schema.AGGREGATES) == set(AGGREGATES)
    by_topic = event_schema.event_classes()
    assert set(by_topic) == STORED_TOPICS - {a.TOPIC for a in AGGREGATES}
    assert all(topic == cls.TOPIC for topic, cls in by_topic.items())


def test_every_projection_handler_names_a_stored_topic(catalogue: SchemeCatalogue) -> None:
    """A read model subscribes by event class; a handler keyed by a topic nothing stores (a
    typo, a renamed event) would never run, so it fails here."""
    for projection in read_models(catalogue).all():
        unknown = set(projection.handlers) - STORED_TOPICS
        assert not unknown, f"{projection.name} handles topics never stored: {unknown}"
        assert projection.handlers, f"{projection.name} handles nothing"


def test_the_schema_version_changes_when_an_event_gains_a_field(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The digest the folded states are kept under reads the classes as they are."""
    before = event_schema.schema_version()
    assert event_schema.schema_version() == before  # stable while nothing changes
    note = dataclasses.field()
    note.name, note.type = "note", "str"
    monkeypatch.setitem(Certificate.Suspended.__dataclass_fields__, "note", note)
    assert event_schema.schema_version() != before
