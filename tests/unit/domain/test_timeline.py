"""The timeline of an organisation, on the in-memory store: what belongs to whose story, and the
order of events recorded at one moment."""

from __future__ import annotations

import datetime as dt

from domain.objection import Outcome
from tests.scenarios import MAIN_KVK, STAFF, SUB_KVK, scenario

OTHER_KVK = "11112222"


def test_a_number_moved_on_is_released_in_one_story_and_claimed_in_the_next() -> None:
    """The first organisation's timeline shows its claim and release of the subsidiary's number;
    the second's shows the new claim, and nothing of the first's."""
    s = scenario()
    s.registered()
    s.register.change_subsidiaries(MAIN_KVK, (), STAFF)
    s.later()
    s.register.register_organisation(OTHER_KVK, "Nieuw BV", "Ede", STAFF, (SUB_KVK,))
    first = [e.event for e in s.register.timeline(MAIN_KVK) if e.event.startswith("pso.kvk_")]
    second = [e.event for e in s.register.timeline(SUB_KVK) if e.event.startswith("pso.kvk_")]
    assert first == [
        "pso.kvk_index.Claimed.v1",
        "pso.kvk_index.Claimed.v1",
        "pso.kvk_index.Released.v1",
    ]
    assert second == ["pso.kvk_index.Claimed.v1", "pso.kvk_index.Reclaimed.v1"]


def test_events_recorded_at_one_moment_keep_the_order_they_were_recorded_in() -> None:
    """Registering with a subsidiary records four events at one moment: in log order."""
    s = scenario()
    s.registered()
    timeline = s.register.timeline(MAIN_KVK)
    assert len({e.recorded_at for e in timeline}) == 1
    assert [e.position for e in timeline] == [1, 2, 3, 4]
    assert [e.event for e in timeline] == [
        "pso.organisation.Registered.v1",
        "pso.organisation.SubsidiariesChanged.v1",
        "pso.kvk_index.Claimed.v1",
        "pso.kvk_index.Claimed.v1",
    ]


def test_an_objection_and_the_contribution_are_in_the_story_with_their_effective_dates() -> None:
    """Filed and answered by the board; year 1 invoiced at the decision and paid."""
    s = scenario()
    number = s.certified()
    application = s.register.certificate(number).application_id
    s.later(7)
    objection = s.register.file_objection(application, dt.date(2025, 4, 7), STAFF)
    s.register.record_contribution_payment(number, 1, dt.date(2025, 4, 7), STAFF)
    s.later(7)
    s.register.answer_objection(objection, dt.date(2025, 4, 14), Outcome.REJECTED, STAFF)
    documents = {e.event: e.to_document() for e in s.register.timeline(MAIN_KVK)}
    assert documents["pso.objection.Filed.v1"]["effective_dates"] == {
        "decision_date": "2025-03-31",
        "filed_on": "2025-04-07",
    }
    answered = documents["pso.objection.BoardAnswered.v1"]
    assert (answered["facts"]["outcome"], answered["reason"]) == ("rejected", "checked")
    assert documents["pso.participation.Invoiced.v1"]["effective_dates"]["due_date"] == "2025-04-30"
    assert documents["pso.participation.Paid.v1"]["actor_id"] == "staff-anna"
