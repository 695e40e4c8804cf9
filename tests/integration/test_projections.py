"""The read models on SQLite and PostgreSQL: queries, rebuilds, read-your-writes, versions."""

from __future__ import annotations

import dataclasses
import datetime as dt
import pickle
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import Engine, delete, func, inspect, select, update

from domain.certificate import Certificate
from domain.register import Register
from norms.levels import Level
from projections.changes import ChangeFeed
from projections.queries import RegisterQueries
from projections.runner import Runner
from projections.staff_queries import StaffQueries
from projections.states import states
from projections.tracking import active_version, set_position
from tests.projection_support import dump, populate, runner_for
from tests.scenarios import STAFF, trede_2_declaration


def test_the_register_answers_searches_lookups_and_the_change_feed(database_url: str) -> None:
    """Search by name, place, level, status and any KvK, with cursor paging; lookups by number."""
    register = populate(database_url, 5)
    runner, models = runner_for(register, database_url)
    runner.catch_up()
    q = RegisterQueries(runner.engine, models)
    page, cursor = q.search(limit=2)
    assert [o["main_kvk"] for o in page] == ["20000000", "20000001"]
    rest, end = q.search(limit=10, cursor=cursor)
    assert [o["main_kvk"] for o in rest] == ["20000002", "20000003", "20000004"]
    assert end is None
    assert [o["main_kvk"] for o in q.search(q="organisatie 3")[0]] == ["20000003"]
    assert [o["main_kvk"] for o in q.search(q="20000004")[0]] == ["20000004"]
    assert len(q.search(place="ede")[0]) == 2
    assert {o["status"] for o in q.search(status="withdrawn")[0]} == {"withdrawn"}
    # every one held trede 2 in April 2025; today only the one neither withdrawn nor suspended
    assert len(q.search(level=Level.TREDE_2, on=dt.date(2025, 4, 15))[0]) == 5
    assert [o["main_kvk"] for o in q.search(level=Level.TREDE_2)[0]] == ["20000002"]
    assert q.search(status="suspended", on=dt.date(2025, 4, 15))[0] == []
    cert = q.certificate("PSO-2025-000001")
    assert cert is not None
    assert [h["change"] for h in cert["history"]] == ["issued", "withdrawn"]
    org = q.organisation("20000001")
    assert org is not None
    assert org["status"] == "suspended"
    assert [c["number"] for c in org["certificates"]] == ["PSO-2025-000002"]
    assert q.organisation("29999999") is None
    # all recorded on 10 April 2025: the issues are news that day, the suspensions on 1 May
    # and the withdrawals on 1 June, the days they took effect
    changes, after = q.changes(limit=7)
    assert [c["change"] for c in changes] == ["issued"] * 5 + ["suspended"] * 2
    more, _ = q.changes(after=after, limit=100)
    assert [c["change"] for c in more] == ["withdrawn"] * 2
    assert more[0]["cursor"] > after
    assert q.changes(today=dt.date(2025, 5, 31))[0] == changes
    runner.engine.dispose()
    register.close()


def test_staff_worklists_and_statistics(database_url: str) -> None:
    """Unpaid contributions, due deadlines, expiring certificates and counts."""
    register = populate(database_url, 3)
    runner, models = runner_for(register, database_url)
    runner.catch_up()
    staff = StaffQueries(runner.engine, models)
    assert len(staff.unpaid_contributions()) == 2
    assert [a["state"] for a in staff.applications()] == ["granted"] * 3
    due = staff.due(dt.date(2025, 5, 2))
    assert {d["kind"] for d in due} == {"contribution_overdue", "decision_final"}
    assert staff.expiring(dt.date(2026, 12, 1)) == []  # ends 2027-03-30: 119 days later
    # of the three only the third is still active (the first withdrawn, the second suspended)
    assert [c["number"] for c in staff.expiring(dt.date(2027, 1, 15))] == ["PSO-2025-000003"]
    stats = staff.statistics(dt.date(2026, 12, 1))
    assert stats["per_level"] == {"trede_2": 1}
    # in April 2025, before the withdrawal (June) and the suspension (May) took effect, all three
    assert staff.statistics(dt.date(2025, 4, 15))["per_level"] == {"trede_2": 3}
    assert stats["issued_per_year"] == {"2025": 3}
    assert stats["per_size_class"] == {"50-100": 1}
    runner.engine.dispose()
    register.close()


def test_a_rebuild_from_scratch_produces_exactly_the_rows_of_the_live_run(
    database_url: str,
) -> None:
    """Applied batch by batch while the register ran, or all at once later: the same rows."""
    register = populate(database_url, 0)
    runner, models = runner_for(register, database_url, batch_size=3)
    for i in range(3):
        number = _one_lifecycle(register, i)
        runner.catch_up()
        register.withdraw_certificate(number, dt.date(2025, 6, 1), STAFF)
        runner.catch_up()
    live = dump(runner.engine, models)
    assert live[models.ladder.rows.name]
    indexes = _indexes(runner.engine)
    assert f"{models.ladder.rows.name}_org" in indexes
    runner.rebuild()
    assert dump(runner.engine, models) == live
    assert _indexes(runner.engine) == indexes  # dropped while loading, created again after
    runner.engine.dispose()
    register.close()


def _indexes(engine: Engine) -> set[str]:
    inspector = inspect(engine)
    return {
        str(index["name"])
        for table in inspector.get_table_names()
        for index in inspector.get_indexes(table)
    }


def test_setup_creates_the_indexes_an_interrupted_rebuild_left_out(database_url: str) -> None:
    """A rebuild loads without secondary indexes; if it stops half-way, setup adds them back."""
    register = populate(database_url, 1)
    runner, models = runner_for(register, database_url)
    index = next(iter(models.register.organisations.indexes))
    with runner.engine.begin() as conn:
        index.drop(conn)
    assert index.name not in _indexes(runner.engine)
    runner.setup()
    assert index.name in _indexes(runner.engine)
    runner.engine.dispose()
    register.close()


def _one_lifecycle(register: Register, i: int) -> str:
    kvk = f"{30000000 + i:08d}"
    register.register_organisation(kvk, f"Live {i}", "Zeist", STAFF)
    app = register.submit_application(
        kvk, trede_2_declaration(), "kiwa", dt.date(2025, 3, 3), STAFF
    ).application_id
    register.file_audit_report(app, dt.date(2025, 3, 20), Level.TREDE_2, "ok", STAFF)
    number = register.decide_application(app, dt.date(2025, 3, 31), STAFF).number
    assert number is not None
    return number


def test_read_your_writes_waits_for_the_projections(database_url: str) -> None:
    """wait_for returns True once every projection reached the position, False on timeout."""
    register = populate(database_url, 1)
    runner, _ = runner_for(register, database_url)
    head = runner.head()
    assert runner.wait_for(head, timeout=0.05) is False
    runner.catch_up()
    assert runner.catch_up() == 0  # nothing new: a second catch-up only confirms the position
    assert runner.wait_for(head, timeout=0.05) is True
    runner.engine.dispose()
    register.close()


def test_a_backdated_withdrawal_changes_the_position_but_not_what_the_register_said(
    database_url: str,
) -> None:
    """From the ladder read model: as known now withdrawn, as known before: certified."""
    register = populate(database_url, 1)
    runner, models = runner_for(register, database_url)
    kvk = "40000000"
    register.register_organisation(kvk, "Later BV", "Gouda", STAFF)
    app = register.submit_application(
        kvk, trede_2_declaration(), "kiwa", dt.date(2025, 3, 3), STAFF
    ).application_id
    register.file_audit_report(app, dt.date(2025, 3, 20), Level.TREDE_2, "ok", STAFF)
    number = register.decide_application(app, dt.date(2025, 3, 31), STAFF).number or ""
    runner.catch_up()
    before = register.clock.now()
    register.clock.advance(dt.timedelta(days=200))  # type: ignore[attr-defined]
    register.withdraw_certificate(number, dt.date(2025, 6, 1), STAFF)
    runner.catch_up()
    q = RegisterQueries(runner.engine, models)
    now = q.position(kvk, dt.date(2025, 7, 1))
    then = q.position(kvk, dt.date(2025, 7, 1), as_known_at=before)
    assert (now.standing, now.since, now.level) == ("withdrawn", dt.date(2025, 6, 1), None)
    assert (then.standing, then.level) == ("certified", Level.TREDE_2)
    runner.engine.dispose()
    register.close()


def test_a_new_projection_version_builds_beside_the_old_one_and_takes_over_when_caught_up(
    database_url: str,
) -> None:
    """Version 2 gets its own tables; reads switch to it only once it reached the head."""
    register = populate(database_url, 2)
    runner, models = runner_for(register, database_url)
    runner.catch_up()

    class FeedV2(ChangeFeed):
        version = ChangeFeed.version + 1

    newer = FeedV2()
    runner_v2 = Runner(register, runner.engine, [newer], batch_size=3)
    runner_v2.setup()
    with runner.engine.connect() as conn:
        assert active_version(conn, "changes") == ChangeFeed.version
    runner_v2.run_once()
    with runner.engine.connect() as conn:
        assert active_version(conn, "changes") == ChangeFeed.version
    runner_v2.catch_up()
    with runner.engine.connect() as conn:
        assert active_version(conn, "changes") == FeedV2.version
        old = conn.execute(select(func.count()).select_from(models.changes.feed)).scalar()
        new = conn.execute(select(func.count()).select_from(newer.feed)).scalar()
    assert old == new == 4
    runner.engine.dispose()
    register.close()


@pytest.mark.postgres
def test_a_runner_waiting_for_the_leader_lock_follows_the_positions(postgres_url: str) -> None:
    """Only the leader writes; the other process's runner still sees the log move on."""
    register = populate(postgres_url, 1)
    leader, _ = runner_for(register, postgres_url)
    follower, _ = runner_for(register, postgres_url)
    stop = threading.Event()
    threads = [
        threading.Thread(target=leader.run_forever, args=(stop, 0.05)),
        threading.Thread(target=follower.run_forever, args=(stop, 0.05)),
    ]
    threads[0].start()
    assert leader.wait_for(leader.head(), timeout=10)
    threads[1].start()
    deadline = time.monotonic() + 10
    while follower.observed < leader.head() and time.monotonic() < deadline:
        time.sleep(0.05)
    stop.set()
    for thread in threads:
        thread.join(timeout=10)
    assert follower.observed == leader.head()
    leader.engine.dispose()
    follower.engine.dispose()
    register.close()


def test_lost_aggregate_states_are_folded_again_without_applying_events_twice(
    database_url: str,
) -> None:
    """The folded aggregates have their own position: when they are gone (a new runner set, an
    upgrade), the runner folds the log again and applies to each projection only what it lacks."""
    register = populate(database_url, 2)
    runner, models = runner_for(register, database_url, batch_size=4)
    number = _one_lifecycle(register, 7)
    runner.catch_up()
    with runner.engine.begin() as conn:
        conn.execute(delete(states))
        set_position(conn, runner.states_key, 0)
    register.withdraw_certificate(
        number, dt.date(2025, 6, 1), STAFF
    )  # needs the certificate as folded
    runner.catch_up()
    live = dump(runner.engine, models)
    runner.rebuild()
    assert dump(runner.engine, models) == live
    runner.engine.dispose()
    register.close()


def test_a_changed_event_class_folds_the_aggregates_again_instead_of_unpickling_stale_ones(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The folded states are kept under a key that includes the shape of the domain's event
    classes: after a field is added to an event, a new runner ignores the old pickles (here made
    unreadable on purpose) and folds the log again; its read models equal a rebuild's."""
    register = populate(database_url, 2)
    runner, _ = runner_for(register, database_url, batch_size=4)
    number = _one_lifecycle(register, 7)
    runner.catch_up()
    with runner.engine.begin() as conn:  # what an older version of the classes pickled
        conn.execute(update(states).values(state=pickle.dumps("stale state")))
    same, _ = runner_for(register, database_url)
    assert same.states_key == runner.states_key  # unchanged classes: the states are reused

    note = dataclasses.field()
    note.name, note.type = "note", "str"
    monkeypatch.setitem(Certificate.Withdrawn.__dataclass_fields__, "note", note)
    changed, models = runner_for(register, database_url, batch_size=4)
    assert changed.states_key != runner.states_key
    register.withdraw_certificate(
        number, dt.date(2025, 6, 1), STAFF
    )  # needs the certificate as folded
    changed.catch_up()
    assert changed.failures() == []
    live = dump(changed.engine, models)
    changed.rebuild()
    assert dump(changed.engine, models) == live
    for engine in (runner.engine, same.engine, changed.engine):
        engine.dispose()
    register.close()


def test_a_batch_reads_its_rows_through_the_primary_key_index(tmp_path: Path) -> None:
    """Rows read in bulk for a batch are found with the primary-key index, never by scanning
    the table (a scan per batch makes building a large register quadratic)."""
    register = populate(f"sqlite:///{tmp_path}/pso.sqlite3", 0)
    runner, models = runner_for(register, f"sqlite:///{tmp_path}/pso.sqlite3")
    for projection in models.all():
        for rows in projection.buffers:
            width = len(rows.key_columns)
            keys = [tuple(f"{prefix}{i}" for i in range(width)) for prefix in ("a", "b", "c")]
            query = select(rows.table).where(rows._matching(keys))
            sql = str(query.compile(runner.engine, compile_kwargs={"literal_binds": True}))
            with runner.engine.connect() as conn:
                plan = [str(step[-1]) for step in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}")]
            assert not any(step.startswith(f"SCAN {rows.table.name}") for step in plan), plan
    runner.engine.dispose()
    register.close()
