"""The outbox delivers every message at least once, under the same id every time: a postman
killed during a delivery leaves a claim that is delivered again once its lease ended, never a
lost message; two postmen never deliver one message together; failures are retried with backoff
until the message is undeliverable, and staff see it.

Postmen run as real processes (tests/outbox_worker.py) that append each message id they deliver
to a receiver file, so every delivery is counted, also those of a process killed afterwards.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Column, DateTime, MetaData, String, Table, select

from api.app import create_app
from api.settings import Settings
from api.storage import engine_for
from api.wiring import Backend
from domain.clock import SimulatedClock
from projections.outbox import Outbox
from scheduler.deliveries import LEASE_ENDED, DeliveryRecord, Policy, deliveries
from scheduler.delivery import Deliver, PermanentDeliveryError, Postman
from tests.projection_support import populate

ROOT = Path(__file__).resolve().parents[2]
PSO = Path(sys.executable).parent / "pso"
DUE = dt.datetime(2028, 6, 1, tzinfo=dt.UTC)  # reminders and overdue notices of populate()
LEASE = dt.timedelta(minutes=5)


def with_messages(url: str, organisations: int) -> list[str]:
    """A register whose sweep wrote outbox messages (none delivered); their ids, oldest first."""
    populate(url, organisations).close()
    backend = Backend.build(Settings(database_url=url), clock=SimulatedClock(DUE))
    backend.scheduler.sweep.run()
    ids = [m["message_id"] for m in backend.scheduler.postman.undelivered()]
    backend.close()
    assert ids
    return ids


def worker(url: str, receiver: Path, *args: str, lease: float = 300) -> subprocess.Popen[bytes]:
    """A postman process delivering to the receiver file (see tests/outbox_worker.py)."""
    env = {**os.environ, "PSO_DATABASE_URL": url, "PSO_OUTBOX_LEASE": str(lease)}
    with Path(f"{receiver}.stderr").open("ab") as errors:
        return subprocess.Popen(  # noqa: S603 (our own test module)
            [sys.executable, "-m", "tests.outbox_worker", str(receiver), *args],
            cwd=ROOT,
            env={**env, "PSO_LOG_FORMAT": "json"},
            stdout=subprocess.DEVNULL,
            stderr=errors,
        )


def kill(process: subprocess.Popen[bytes]) -> None:
    """SIGKILL: no handler, no clean-up, nothing flushed that was not written."""
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=10)


def wait_until(condition: Callable[[], bool], timeout: float = 60) -> None:
    """Poll until the condition holds (a real process is working)."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.005)


def received(receiver: Path) -> Counter[str]:
    """How often each message id reached the receiver."""
    return Counter(receiver.read_text().split()) if receiver.exists() else Counter()


def records(url: str) -> dict[str, dict[str, Any]]:
    """The delivery record of every claimed message."""
    engine = engine_for(url)
    with engine.connect() as conn:
        rows = {r.message_id: dict(r._mapping) for r in conn.execute(select(deliveries))}
    engine.dispose()
    return rows


def postman_at(
    url: str, moment: dt.datetime | SimulatedClock, deliver: Deliver, **policy: Any
) -> Postman:
    """A postman in this process whose clock stands at a moment (or is the given clock)."""
    clock = moment if isinstance(moment, SimulatedClock) else SimulatedClock(moment)
    return Postman(engine_for(url, writer=True), Outbox(), clock, deliver, Policy(**policy))


@pytest.mark.parametrize("window", ["before", "after"])
def test_a_postman_killed_during_a_delivery_is_followed_after_the_lease_by_one_with_the_same_id(
    database_url: str, tmp_path: Path, window: str
) -> None:
    """Killed before the receiver got it: delivered once in all; killed after the receiver got it
    but before the mark: delivered twice, both times with the same id. Within the lease nobody
    else delivers it; every other message is delivered once."""
    ids = with_messages(database_url, 3)
    receiver = tmp_path / "received"
    process = worker(database_url, receiver, "--hang", window)
    seen = Path(f"{receiver}.claimed") if window == "before" else receiver
    wait_until(lambda: seen.exists() and seen.read_bytes().endswith(b"\n"))
    kill(process)
    killed = seen.read_text().strip()
    assert killed == ids[0]
    assert received(receiver) == (Counter({killed: 1}) if window == "after" else Counter())
    claim = records(database_url)[killed]
    assert (claim["state"], claim["attempts"], claim["delivered_at"]) == ("claimed", 1, None)

    here: list[str] = []
    now = dt.datetime.now(dt.UTC)
    restarted = postman_at(database_url, now, lambda m: here.append(m["message_id"]), lease=LEASE)
    restarted.deliver_all()
    assert sorted(here) == sorted(ids[1:]), "within the lease the claim is left alone"
    later = postman_at(database_url, now + LEASE, lambda m: here.append(m["message_id"]))
    assert later.deliver_all() == 1
    assert later.deliver_all() == 0
    assert later.undelivered() == []

    every_delivery = received(receiver) + Counter(here)
    assert every_delivery == Counter(ids) + Counter([killed] if window == "after" else [])
    claim = records(database_url)[killed]
    assert (claim["state"], claim["attempts"]) == ("delivered", 2)
    assert claim["last_error"].startswith(LEASE_ENDED)
    for postman in (restarted, later):
        postman.engine.dispose()


def test_many_kills_lose_no_message_and_double_only_those_killed_between_delivery_and_mark(
    database_url: str, tmp_path: Path
) -> None:
    """Forty messages, a postman killed at random moments six times and restarted: every message
    arrives; a message arrives twice exactly once per kill that fell after its delivery and
    before its mark, and never otherwise."""
    ids = with_messages(database_url, 30)
    receiver = tmp_path / "received"
    chance = random.Random(11)  # noqa: S311 (kill moments, not secrets)
    doubled: Counter[str] = Counter()
    before_kill: Counter[str] = Counter()
    for _ in range(6):
        process = worker(database_url, receiver, "--delay", "0.01", lease=0.3)
        so_far = before_kill.total()
        wait_until(lambda so_far=so_far: received(receiver).total() > so_far)  # type: ignore[misc]
        time.sleep(chance.uniform(0, 0.04))
        if process.poll() is not None:
            break  # it finished everything before this kill
        kill(process)
        at_kill = received(receiver)
        # claims without a mark: this postman's last one, and maybe one of the postman killed
        # before it whose lease had not ended yet; a claim whose message arrived since the last
        # kill was hit between its delivery and its mark
        unmarked = [m for m, r in records(database_url).items() if r["state"] == "claimed"]
        hit = [m for m in unmarked if at_kill[m] > before_kill[m]]
        assert len(hit) <= 1, "one postman delivers one message at a time"
        doubled.update(hit)
        before_kill = at_kill
    last = worker(database_url, receiver, lease=0.3)
    assert last.wait(timeout=120) == 0, Path(f"{receiver}.stderr").read_text()[-2000:]

    assert received(receiver) == Counter(ids) + doubled
    assert {r["state"] for r in records(database_url).values()} == {"delivered"}


def test_two_postmen_at_once_deliver_each_message_once(database_url: str, tmp_path: Path) -> None:
    """Two processes start at the same moment on forty messages, half of them claimed an hour
    ago by a postman that stopped: each stale claim is taken over once, both postmen deliver
    some, no message is delivered twice."""
    ids = with_messages(database_url, 30)
    stopped = DeliveryRecord(
        engine_for(database_url, writer=True),
        SimulatedClock(dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)),
        Policy(),
        "a-postman-that-stopped",
    )
    stale = ids[::2]
    for message_id in stale:
        stopped.claim_new({"message_id": message_id, "kind": "renewal_reminder", "recipient": "?"})
    stopped.engine.dispose()
    receiver, go = tmp_path / "received", tmp_path / "go"
    postmen = [
        worker(database_url, receiver, "--delay", "0.005", "--wait-for", str(go)) for _ in range(2)
    ]
    wait_until(lambda: len(list(tmp_path.glob("received.ready.*"))) == len(postmen))
    go.touch()
    for postman in postmen:
        assert postman.wait(timeout=120) == 0, Path(f"{receiver}.stderr").read_text()[-2000:]
    assert received(receiver) == Counter(ids)
    after = records(database_url)
    assert {after[m]["attempts"] for m in stale} == {2}, "each stale claim taken over once"
    assert {after[m]["attempts"] for m in set(ids) - set(stale)} == {1}
    by = Counter(r["claimed_by"] for r in after.values())
    assert len(by) == len(postmen), f"one postman did all the work: {by}"


def failing_backend(url: str, clock: SimulatedClock, calls: list[tuple[str, dt.datetime]]) -> Any:
    """The wired backend whose every delivery fails (the mail server is down)."""

    def deliver(message: dict[str, Any]) -> None:
        calls.append((message["message_id"], clock.now()))
        msg = "mail server down"
        raise ConnectionRefusedError(msg)

    settings = Settings(database_url=url, outbox_max_attempts=3, outbox_retry_seconds=60)
    return Backend.build(settings, clock=clock, deliver=deliver)


def test_a_failing_delivery_is_retried_with_backoff_then_undeliverable_and_shown_to_staff(
    database_url: str,
) -> None:
    """Attempts at 0 s, 60 s and 180 s (first retry after a minute, then doubling), none after
    the third; staff see the messages with kind, recipient, attempts and the last error in the
    worklist and in ``pso outbox status``."""
    populate(database_url, 3).close()
    clock = SimulatedClock(DUE)
    calls: list[tuple[str, dt.datetime]] = []
    backend = failing_backend(database_url, clock, calls)
    backend.scheduler.tick()
    ids = sorted({message_id for message_id, _ in calls})
    assert ids
    for step in (0, 59, 1, 119, 1, 3600 * 24 * 10):
        clock.advance(dt.timedelta(seconds=step))
        backend.scheduler.tick()
    offsets = Counter((at - DUE).total_seconds() for _, at in calls)
    assert offsets == {0: len(ids), 60: len(ids), 180: len(ids)}

    shown = backend.scheduler.postman.needing_attention()
    assert [m["message_id"] for m in shown] == sorted(ids, key=ids.index)  # each one, once
    assert {(m["state"], m["attempts"], m["last_error"]) for m in shown} == {
        ("undeliverable", 3, "ConnectionRefusedError: mail server down")
    }
    assert {m["kind"] for m in shown} <= {"renewal_reminder", "contribution_overdue"}
    assert all(m["recipient"].startswith("Organisatie ") for m in shown)
    assert backend.scheduler.postman.undelivered() == []
    backend.close()

    settings = Settings(database_url=database_url, scheduler=False, rate_limit_per_minute=0)
    with TestClient(create_app(settings)) as client:
        token = client.app.state.users.create("anna", "staff")  # type: ignore[attr-defined]
        response = client.get(
            "/api/v1/staff/worklist", headers={"Authorization": f"Bearer {token}"}
        )
    assert response.status_code == 200, response.text
    listed = response.json()["messages_needing_attention"]
    assert sorted(m["message_id"] for m in listed) == ids
    assert {m["attempts"] for m in listed} == {3}

    cli = subprocess.run(  # noqa: S603 (our own console script)
        [str(PSO), "outbox", "status"],
        env={**os.environ, "PSO_DATABASE_URL": database_url, "PSO_LOG_FORMAT": "json"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert cli.returncode == 0, cli.stderr
    status = json.loads(cli.stdout)
    assert status["counts"]["undeliverable"] == len(ids)
    assert sorted(m["message_id"] for m in status["needing_attention"]) == ids
    assert {m["last_error"] for m in status["needing_attention"]} == {
        "ConnectionRefusedError: mail server down"
    }


class Stopped(BaseException):
    """The postman's process stops in the middle of a delivery (nothing after it runs)."""


def test_a_message_whose_every_delivery_stops_the_postman_becomes_undeliverable(
    database_url: str,
) -> None:
    """A poison message that takes its postman down each time is taken over once per lease, and
    after the last attempt it is undeliverable with the reason, instead of being tried for ever."""
    ids = with_messages(database_url, 3)
    poison = ids[0]
    delivered: list[str] = []

    def deliver(message: dict[str, Any]) -> None:
        if message["message_id"] == poison:
            raise Stopped
        delivered.append(message["message_id"])

    moment, tries = dt.datetime.now(dt.UTC), 0
    for _ in range(5):
        postman = postman_at(database_url, moment, deliver, lease=LEASE, max_attempts=3)
        try:
            postman.deliver_all()
        except Stopped:
            tries += 1
        postman.engine.dispose()
        moment += LEASE
    assert tries == 3
    assert sorted(delivered) == sorted(ids[1:])
    record = records(database_url)[poison]
    assert (record["state"], record["attempts"]) == ("undeliverable", 3)
    assert record["last_error"].startswith(LEASE_ENDED)


def test_a_permanent_failure_is_undeliverable_at_once(database_url: str) -> None:
    """A recipient that cannot exist is not retried."""
    ids = with_messages(database_url, 3)

    def deliver(message: dict[str, Any]) -> None:
        msg = f"no such mailbox: {message['recipient']}"
        raise PermanentDeliveryError(msg)

    clock = SimulatedClock(DUE)
    postman = postman_at(database_url, clock, deliver)
    postman.deliver_all()
    clock.advance(dt.timedelta(days=30))
    postman.deliver_all()
    status = postman.status()
    assert status["counts"]["undeliverable"] == len(ids)
    assert {m["attempts"] for m in status["needing_attention"]} == {1}
    postman.engine.dispose()


def test_messages_the_earlier_at_most_once_postman_marked_are_not_sent_again(
    database_url: str,
) -> None:
    """A register upgraded from the at-most-once table keeps its marks: those messages count as
    delivered, the others are delivered now."""
    ids = with_messages(database_url, 3)
    engine = engine_for(database_url, writer=True)
    earlier = Table(
        "pso_outbox_delivered",
        MetaData(),
        Column("message_id", String(60), primary_key=True),
        Column("delivered_at", DateTime(timezone=True), nullable=False),
    )
    earlier.create(engine)
    with engine.begin() as conn:
        conn.execute(earlier.insert().values(message_id=ids[0], delivered_at=DUE))
    engine.dispose()
    got: list[str] = []
    postman = postman_at(database_url, DUE, lambda m: got.append(m["message_id"]))
    postman.deliver_all()
    assert got == ids[1:]
    assert records(database_url)[ids[0]]["state"] == "delivered"
    assert postman.status()["counts"]["delivered"] == len(ids)
    postman.engine.dispose()
