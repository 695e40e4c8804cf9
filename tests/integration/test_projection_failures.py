"""A projection that cannot follow the log stops just before the event, says so durably, and
does not hold the others back; a rebuild of the corrected projection clears it."""

from __future__ import annotations

import datetime as dt
import os
import pickle
import subprocess
import sys
from pathlib import Path
from typing import Any, ClassVar

from sqlalchemy import Engine, select, text, update
from structlog.testing import capture_logs

from api.storage import engine_for
from domain.certificate import Certificate
from domain.register import Register
from domain.service.base import certificate_id
from projections.catalogue import ReadModels, read_models
from projections.changes import ChangeFeed
from projections.runner import Runner
from projections.states import states
from tests.projection_support import dump, populate, runner_for
from tests.scenarios import STAFF

SUSPENDED = "pso.certificate.Suspended.v1"
PSO = Path(sys.executable).parent / "pso"


class FaultyFeed(ChangeFeed):
    """The change feed with a bug: it cannot apply the suspension of one certificate."""

    broken: ClassVar[set[str]] = set()  # certificate numbers it fails on; empty once corrected

    def __init__(self) -> None:
        super().__init__()
        self.on(Certificate.Suspended, self.fail_on_broken)

    def fail_on_broken(self, _conn: Any, _event: Any, cert: Any, _position: int) -> None:
        """The deliberate bug."""
        if cert.number in self.broken:
            msg = f"cannot describe the suspension of {cert.number}"
            raise ValueError(msg)


def faulty_runner(register: Register, url: str) -> tuple[Runner, ReadModels, FaultyFeed]:
    """A runner over every projection, with the faulty feed in place of the change feed."""
    models = read_models(register.catalogue)
    feed = FaultyFeed()
    others = [p for p in models.all() if p.name != "changes"]
    runner = Runner(register, engine_for(url, writer=True), [*others, feed], batch_size=1000)
    runner.setup()
    return runner, models, feed


def suspensions(engine: Engine, feed: ChangeFeed) -> list[int]:
    """Log positions of the suspensions in the change feed."""
    table = feed.feed
    with engine.connect() as conn:
        rows = conn.execute(select(table.c.position).where(table.c.change == "suspended"))
        return sorted(rows.scalars())


def positions_of_topic(register: Register, topic: str) -> list[int]:
    """Where the events of one topic are in the log."""
    return [n.id for n in register.recorder.select_notifications(1, 10_000) if n.topic == topic]


def test_a_failing_projection_stops_before_the_event_and_the_others_go_on(
    database_url: str,
) -> None:
    """The failure is recorded with its event and logged once; the failing projection's rows and
    position are those of the event before; every other projection reaches the head, also in
    later batches and after a restart; a rebuild of the corrected projection clears it."""
    register = populate(database_url, 6)  # certificates 2 and 5 are suspended
    FaultyFeed.broken = {"PSO-2025-000005"}
    runner, _, feed = faulty_runner(register, database_url)
    second_suspension = positions_of_topic(register, SUSPENDED)[1]
    with capture_logs() as logs:
        runner.catch_up()
    failed = [entry for entry in logs if entry["event"] == "projection_failed"]
    assert len(failed) == 1
    [failure] = runner.failures()
    assert (failure.projection, failure.version, failure.position) == (
        "changes",
        ChangeFeed.version,
        second_suspension,
    )
    assert (failure.topic, failure.stage) == (SUSPENDED, "apply")
    assert "cannot describe the suspension of PSO-2025-000005" in failure.error
    head = runner.head()
    positions = runner.positions()
    assert positions.pop(feed.key) == second_suspension - 1
    assert set(positions.values()) == {head}
    assert suspensions(runner.engine, feed) == positions_of_topic(register, SUSPENDED)[:1]

    register.withdraw_certificate("PSO-2025-000003", dt.date(2025, 6, 2), STAFF)
    restarted, _, feed = faulty_runner(register, database_url)
    with capture_logs() as logs:
        restarted.catch_up()
    assert not [entry for entry in logs if entry["event"] == "projection_failed"]
    positions = restarted.positions()
    assert positions.pop(feed.key) == second_suspension - 1
    assert set(positions.values()) == {restarted.head()}
    assert restarted.wait_for(restarted.head(), timeout=0.05)  # the stopped one is not waited for

    FaultyFeed.broken = set()  # the correction
    rebuilt = restarted.rebuild(["changes"])
    assert (rebuilt.switched, rebuilt.failures) == (["changes"], [])
    assert restarted.failures() == []
    assert set(restarted.positions().values()) == {restarted.head()}
    assert suspensions(restarted.engine, feed) == positions_of_topic(register, SUSPENDED)
    runner.engine.dispose()
    restarted.engine.dispose()
    register.close()


def test_a_rebuild_without_the_correction_fails_again_at_the_same_event(database_url: str) -> None:
    """Rebuilding does not skip: with the bug still there it stops at the same event, says so,
    and the projection stays stopped there."""
    register = populate(database_url, 6)
    FaultyFeed.broken = {"PSO-2025-000002"}
    runner, _, feed = faulty_runner(register, database_url)
    runner.catch_up()
    [before] = runner.failures()
    rebuilt = runner.rebuild(["changes"])
    [again] = rebuilt.failures
    assert (again.projection, again.position, again.topic) == (
        "changes",
        before.position,
        SUSPENDED,
    )
    [after] = runner.failures()
    assert after.position == before.position
    assert runner.positions()[feed.key] == before.position - 1
    FaultyFeed.broken = set()
    runner.engine.dispose()
    register.close()


def test_a_failing_write_stops_only_that_projection(database_url: str) -> None:
    """Rows are written when the batch ends; when that fails the projection is applied event by
    event to find the event it cannot write, and stops there; the others reach the head."""
    register = populate(database_url, 2)
    runner, models = runner_for(register, database_url)
    with runner.engine.begin() as conn:
        conn.execute(text(f"DROP TABLE {models.changes.feed.name}"))
    runner.catch_up()
    [failure] = runner.failures()
    first_issue = positions_of_topic(register, "pso.certificate.Issued.v1")[0]
    assert (failure.projection, failure.position, failure.stage) == (
        "changes",
        first_issue,
        "write",
    )
    positions = runner.positions()
    assert positions.pop(models.changes.key) == first_issue - 1
    assert set(positions.values()) == {runner.head()}
    runner.engine.dispose()
    register.close()


def test_a_failing_fold_stops_only_the_projections_that_handle_that_aggregate(
    database_url: str,
) -> None:
    """When an aggregate cannot be folded, the projections of its topics stop before the event;
    the worklists (no certificate topics) go on; a rebuild folds again and clears them all."""
    register = populate(database_url, 3)
    runner, models = runner_for(register, database_url)
    runner.catch_up()
    live = dump(runner.engine, models)
    cert_id = str(certificate_id("PSO-2025-000003"))
    with runner.engine.begin() as conn:  # a drifted state: what a fold bug leaves behind
        conn.execute(update(states).where(states.c.id == cert_id).values(state=pickle.dumps(1)))
    register.suspend_certificate("PSO-2025-000003", dt.date(2025, 5, 2), STAFF)
    register.clock.advance(dt.timedelta(days=23))  # type: ignore[attr-defined]  # to 3 May
    register.record_contribution_payment("PSO-2025-000003", 1, dt.date(2025, 5, 3), STAFF)
    suspension = positions_of_topic(register, SUSPENDED)[-1]
    runner.catch_up()
    stopped = {(f.projection, f.position, f.stage) for f in runner.failures()}
    handling = {p.name for p in models.all() if "pso.certificate." in p.folds}
    assert stopped == {(name, suspension, "fold") for name in handling}
    assert runner.positions()[models.worklists.key] == runner.head()  # saw the payment
    assert "worklists" not in handling
    rebuilt = runner.rebuild(sorted(handling))
    assert rebuilt.failures == []
    assert runner.failures() == []
    runner.catch_up()
    assert set(runner.positions().values()) == {runner.head()}
    after = dump(runner.engine, models)
    runner.rebuild()
    assert dump(runner.engine, models) == after != live
    runner.engine.dispose()
    register.close()


def pso(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    """``pso`` in its own process on this database (the corrected code: no faulty feed)."""
    return subprocess.run(  # noqa: S603 (our own console script, fixed arguments)
        [str(PSO), *args],
        env={**os.environ, "PSO_DATABASE_URL": url},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_status_names_the_failed_projection_and_its_event_until_a_rebuild_clears_it(
    database_url: str,
) -> None:
    """``pso projections status`` exits 1 with the event and the error; ``pso projections
    rebuild changes`` with the corrected code clears it; status is clean again."""
    register = populate(database_url, 3)
    FaultyFeed.broken = {"PSO-2025-000002"}
    runner, _, _ = faulty_runner(register, database_url)
    runner.catch_up()
    FaultyFeed.broken = set()
    [failure] = runner.failures()
    status = pso(database_url, "projections", "status")
    assert status.returncode == 1, status.stderr
    said = " ".join(status.stdout.split())  # as printed, without the terminal's line breaks
    assert "FAILED" in said
    assert f"stopped before event {failure.position} ({SUSPENDED}" in said
    assert "cannot describe the suspension of PSO-2025-000002" in said
    rebuilt = pso(database_url, "projections", "rebuild", "changes")
    assert rebuilt.returncode == 0, rebuilt.stdout + rebuilt.stderr
    assert "rebuilt changes" in rebuilt.stdout
    assert runner.failures() == []
    status = pso(database_url, "projections", "status")
    assert status.returncode == 0, status.stdout
    assert "FAILED" not in status.stdout
    runner.engine.dispose()
    register.close()
