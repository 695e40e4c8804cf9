"""The change feed: a day's entries wait until every change recorded before that day is applied,
so a cursor never skips an entry; a scheduled entry made void before its day is never published;
each entry's status is the certificate's status on its publication day (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt

from api.storage import event_store_env
from norms.levels import Level
from projections.queries import RegisterQueries
from tests.projection_support import runner_for
from tests.scenarios import STAFF, Scenario, scenario


def amsterdam(day: str, hh_mm: str) -> dt.datetime:
    """A moment in spring 2025 given in Amsterdam time (UTC+2)."""
    local = dt.datetime.fromisoformat(f"{day}T{hh_mm}:00+02:00")
    return local.astimezone(dt.UTC)


def move_to(s: Scenario, moment: dt.datetime) -> None:
    """Move the scenario's clock forward to a moment."""
    s.clock.advance(moment - s.clock.now())


def changes(q: RegisterQueries, after: int = 0) -> list[tuple[str, str, str]]:
    """The feed after a cursor: change, publication day and status."""
    items, _ = q.changes(after=after)
    return [(c["change"], c["published_on"].isoformat(), c["status"]) for c in items]


def test_a_lagging_feed_never_serves_a_day_before_the_changes_recorded_earlier(
    database_url: str,
) -> None:
    """A suspension scheduled for 1 April; a withdrawal from 31 March recorded at 23:59 on
    31 March is not applied yet when a client reads at 00:02 on 1 April: the client does not get
    the suspension then, and after the feed caught up it gets the withdrawal and never the
    suspension (void: the certificate had ended)."""
    s = scenario(event_store_env(database_url))
    number = s.certified()  # 31 March 2025, 09:00 UTC
    s.register.suspend_certificate(number, dt.date(2025, 4, 1), STAFF)
    runner, models = runner_for(s.register, database_url)
    runner.catch_up()
    q = RegisterQueries(runner.engine, models, s.clock, head=runner.head)
    first = changes(q)
    assert first == [("issued", "2025-03-31", "active")]
    cursor = q.changes()[1]
    move_to(s, amsterdam("2025-03-31", "23:59"))
    s.register.withdraw_certificate(number, dt.date(2025, 3, 31), STAFF)
    move_to(s, amsterdam("2025-04-01", "00:02"))
    assert changes(q, cursor) == []  # not caught up: nothing of 1 April yet
    runner.catch_up()
    assert changes(q, cursor) == [("withdrawn", "2025-03-31", "withdrawn")]
    assert [c for c, _, _ in changes(q)] == ["issued", "withdrawn"]
    runner.engine.dispose()
    s.register.close()


def test_an_entry_says_the_status_on_its_publication_day(database_url: str) -> None:
    """A level revised today while a suspension is scheduled: the revision's entry says active."""
    s = scenario(event_store_env(database_url))
    number = s.certified()
    s.register.suspend_certificate(number, dt.date(2025, 6, 1), STAFF)
    s.register.revise_certificate_level(number, Level.TREDE_1, STAFF)
    runner, models = runner_for(s.register, database_url)
    runner.catch_up()
    q = RegisterQueries(runner.engine, models, s.clock, head=runner.head)
    assert changes(q) == [
        ("issued", "2025-03-31", "active"),
        ("level_revised", "2025-03-31", "active"),
    ]
    move_to(s, amsterdam("2025-06-01", "00:05"))
    assert changes(q)[-1] == ("suspended", "2025-06-01", "suspended")
    runner.engine.dispose()
    s.register.close()
