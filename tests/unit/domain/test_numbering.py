"""Certificate numbers: one counter per year, never reused, loaded from a snapshot when long."""

from __future__ import annotations

import datetime as dt

from api.storage import MEMORY, event_store_env
from domain.clock import SimulatedClock
from domain.numbering import CertificateNumbers, numbering_id
from domain.register import Register
from tests.scenarios import STAFF

NOW = dt.datetime(2026, 1, 5, 9, tzinfo=dt.UTC)


def test_a_long_counter_is_loaded_from_its_latest_snapshot_and_counts_on() -> None:
    """120 numbers: snapshots at 50 and 100, the counter loads as 120 and hands out 121."""
    register = Register(event_store_env(MEMORY), clock=SimulatedClock(NOW))
    numbers = CertificateNumbers.open(2026, NOW, STAFF)
    handed_out = []
    for _ in range(120):
        handed_out.append(numbers.next_number(NOW, STAFF))
        register.save(numbers)
        numbers = register.repository.get(numbering_id(2026))
    assert handed_out[0] == "PSO-2026-000001"
    assert handed_out[-1] == "PSO-2026-000120"
    assert len(set(handed_out)) == 120
    assert register.snapshots is not None
    snapshots = list(register.snapshots.get(numbering_id(2026)))
    assert [s.originator_version for s in snapshots] == [50, 100]
    assert numbers.next_number(NOW, STAFF) == "PSO-2026-000121"


def test_a_batch_takes_the_snapshots_its_events_made_due() -> None:
    """60 numbers saved in one batch: the snapshot at version 50 is taken when the batch ends."""
    register = Register(event_store_env(MEMORY), clock=SimulatedClock(NOW))
    with register.batch() as batch:
        numbers = CertificateNumbers.open(2027, NOW, STAFF)
        for _ in range(60):
            numbers.next_number(NOW, STAFF)
            batch.keep(numbers)
    assert register.snapshots is not None
    snapshots = list(register.snapshots.get(numbering_id(2027)))
    assert [s.originator_version for s in snapshots] == [50]
    assert snapshots[0].state["last"] == 49  # type: ignore[attr-defined]
    assert register.repository.get(numbering_id(2027)).last == 60
