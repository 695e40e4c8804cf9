"""An organisation's timeline is its whole story: every stored event of the organisation and of
everything attached to it, in recorded order (SQLite and PostgreSQL).

A new event type fails the first test until it shows in the timeline of the organisation it
concerns, or is listed, with the reason, as no part of an organisation's story.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from domain.register import Register
from domain.timeline import NOT_IN_AN_ORGANISATIONS_TIMELINE, TimelineEntry
from tests.integration.test_boundary_values import Edges
from tests.unit.domain.test_topics import STORED_TOPICS

FIRST_DAY = dt.date(2018, 1, 1)
#: the organisations of the boundary scenario from FIRST_DAY: main, its heir, the imported one
MAIN, SUBSIDIARY, HEIR, IMPORTED = "11800001", "11800002", "11800003", "39999999"


def logged(register: Register) -> dict[tuple[str, int], tuple[int, str]]:
    """Every stored event of the log: (aggregate id, version) to (position, topic)."""
    head = register.recorder.max_notification_id() or 0
    return {
        (str(n.originator_id), n.originator_version): (n.id, n.topic)
        for n in register.recorder.select_notifications(1, head + 1)
    }


def test_every_stored_event_is_in_its_organisations_timeline_unless_listed_as_internal(
    database_url: str,
) -> None:
    """The boundary scenario records every event type: each event of the log is in exactly one
    organisation's timeline, except those of the topics listed as internal, which are in none."""
    edges = Edges(database_url, FIRST_DAY)
    edges.run()
    log = logged(edges.register)
    timelines = {kvk: edges.register.timeline(kvk) for kvk in (MAIN, HEIR, IMPORTED)}
    shown = Counter((e.aggregate_id, e.version) for t in timelines.values() for e in t)
    assert max(shown.values()) == 1, "an event is in two organisations' timelines"
    internal = {key for key, (_, topic) in log.items() if topic in NOT_IN_AN_ORGANISATIONS_TIMELINE}
    assert set(shown) == set(log) - internal
    event_topics = {t for t in STORED_TOPICS if t.rsplit(".", 1)[-1].startswith("v")}
    shown_topics = {e.event for t in timelines.values() for e in t}
    assert event_topics - shown_topics == set(NOT_IN_AN_ORGANISATIONS_TIMELINE)
    edges.register.close()


def test_the_timeline_is_in_recorded_order_with_each_events_log_position(
    database_url: str,
) -> None:
    """Recorded time first, then the position in the log (one command records several events at
    one moment); a subsidiary's KvK number gives its organisation's timeline."""
    edges = Edges(database_url, FIRST_DAY)
    edges.run()
    log = logged(edges.register)
    timeline = edges.register.timeline(MAIN)
    assert [e.position for e in timeline] == [log[e.aggregate_id, e.version][0] for e in timeline]
    assert timeline == sorted(timeline, key=lambda e: (e.recorded_at, e.position))
    assert len({e.recorded_at for e in timeline}) < len(timeline)  # ties were ordered by position
    assert edges.register.timeline(SUBSIDIARY) == timeline
    edges.register.close()


def test_objections_contributions_and_kvk_claims_show_with_their_dates_actor_and_reason(
    database_url: str,
) -> None:
    """The committee stage, the contribution invoices, payment, overdue notice and the sweep's
    actions, and the release and new claim of the subsidiary's number are in the main's story."""
    edges = Edges(database_url, FIRST_DAY)
    edges.run()
    timeline = edges.register.timeline(MAIN)
    by_topic: dict[str, list[TimelineEntry]] = {}
    for entry in timeline:
        by_topic.setdefault(entry.event, []).append(entry)
    decided = by_topic["pso.objection.CommitteeDecided.v1"][0]
    assert decided.to_document()["effective_dates"] == {"decision_date": "2018-03-12"}
    assert decided.facts["revised_level"] == "trede_1"
    assert decided.cause.reason is not None
    assert decided.cause.actor_role.value == "staff"
    overdue = by_topic["pso.participation.MarkedOverdue.v1"][0]
    assert overdue.cause.actor_role.value == "scheduler"
    assert [e.facts["year"] for e in by_topic["pso.participation.Invoiced.v1"]] == [1, 1, 2]
    assert {e.event for e in timeline if e.event.startswith("pso.participation.")} == {
        f"pso.participation.{name}.v1"
        for name in ("Started", "Invoiced", "Discounted", "Paid", "MarkedOverdue")
    }
    assert [e.event for e in timeline if e.event.startswith("pso.kvk_index.")] == [
        "pso.kvk_index.Claimed.v1",
        "pso.kvk_index.Claimed.v1",
        "pso.kvk_index.Released.v1",
        "pso.kvk_index.Reclaimed.v1",
    ]
    document = decided.to_document()
    assert set(document) >= {"recorded_at", "position", "effective_dates", "actor_id", "reason"}
    edges.register.close()
