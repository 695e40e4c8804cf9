"""The timeline in plain language: every kind of event of an organisation's story has its
sentence, every fact its label, and a backdated or scheduled change is marked."""

from __future__ import annotations

import dataclasses
import datetime as dt

from api.dispute_reports import dispute_report
from api.pages.dispute_document import said_over_time
from api.pages.language import translations
from api.pages.narration import FACTS, SENTENCES, kind_of, narrate
from api.staff_views import TimelineEntry
from domain.event_schema import event_classes
from domain.timeline import BASE_FIELDS, BULKY_FIELDS, NOT_IN_AN_ORGANISATIONS_TIMELINE
from tests.dispute_register import populate_dispute


def test_every_event_of_a_timeline_has_a_sentence_and_every_fact_a_label() -> None:
    """A new event class or field fails here until the document can tell it."""
    timeline_classes = {
        topic: cls
        for topic, cls in event_classes().items()
        if topic not in NOT_IN_AN_ORGANISATIONS_TIMELINE
    }
    assert {kind_of(t) for t in timeline_classes} == set(SENTENCES)
    fields = {
        f.name
        for cls in timeline_classes.values()
        for f in dataclasses.fields(cls)
        if f.name not in BASE_FIELDS | BULKY_FIELDS
    }
    assert fields <= set(FACTS), sorted(fields - set(FACTS))


def test_a_backdated_withdrawal_and_a_scheduled_suspension_are_marked_and_ids_are_named() -> None:
    """Recorded on 19 July: the withdrawal from 1 July is backdated, the suspension from
    1 August scheduled; the certificate is named by its number, not its id."""
    register = populate_dispute({"PERSISTENCE_MODULE": "eventsourcing.popo"})
    entries = [TimelineEntry.model_validate(e.to_document()) for e in register.timeline("12345678")]
    told = narrate(entries, "nl", translations("nl"))
    withdrawn, suspended = told[-1], told[-2]
    assert (withdrawn.sentence, withdrawn.backdated, withdrawn.scheduled) == (
        "Het certificaat is ingetrokken.",
        True,
        False,
    )
    assert (suspended.backdated, suspended.scheduled) == (False, True)
    assert withdrawn.subject == "certificaat PSO-2025-000001"
    assert [(f.label, f.value) for f in withdrawn.effective] == [("Ingangsdatum", "1 juli 2025")]
    granted = next(t for t in told if t.sentence == "Op de aanvraag is positief besloten.")
    assert ("Certificaat", "certificaat PSO-2025-000001") in [
        (f.label, f.value) for f in granted.facts
    ]
    assert ("Trede", "Trede 2") in [(f.label, f.value) for f in granted.facts]
    assert withdrawn.recorded_at == "19 juli 2025 om 12:00"
    assert dt.date(2025, 7, 1).isoformat() not in str(told)


def test_only_a_change_of_what_was_held_after_the_day_is_marked_backdated() -> None:
    """About 5 July the withdrawal recorded on 19 July is backdated; about 1 March (before the
    certificate) learning of a later certificate changes nothing that was held then."""
    register = populate_dispute({"PERSISTENCE_MODULE": "eventsourcing.popo"})
    after = said_over_time(dispute_report(register, "12345678", dt.date(2025, 7, 5)))
    assert [s.backdated for s in after] == [False, False, True]
    before = said_over_time(dispute_report(register, "12345678", dt.date(2025, 3, 1)))
    assert len(before) > 1
    assert not any(s.backdated for s in before)
