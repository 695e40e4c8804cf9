"""Commands in one batch: one transaction, later commands see earlier ones, refusals undo."""

from __future__ import annotations

import datetime as dt

import pytest

from api.storage import MEMORY, event_store_env
from domain.clock import SimulatedClock
from domain.errors import InvalidTransitionError
from domain.register import Register
from tests.scenarios import STAFF, trede_2_declaration

NOW = dt.datetime(2025, 3, 3, 9, tzinfo=dt.UTC)


def _register() -> Register:
    return Register(event_store_env(MEMORY), clock=SimulatedClock(NOW))


def test_a_batch_saves_every_command_together_and_later_commands_see_earlier_ones() -> None:
    """Registered and applied in one batch: nothing is stored until the batch ends."""
    register = _register()
    with register.batch() as batch:
        register.register_organisation("30000001", "Bakkerij Batch", "Ede", STAFF)
        app = register.submit_application(
            "30000001", trede_2_declaration(), "kiwa", dt.date(2025, 3, 3), STAFF
        ).application_id
        assert register.recorder.max_notification_id() is None
        assert len(batch) == 3  # organisation, its KvK claim, the application
    stored = register.recorder.select_notifications(1, 10)
    assert [n.topic for n in stored] == [
        "pso.organisation.Registered.v1",
        "pso.kvk_index.Claimed.v1",
        "pso.application.Submitted.v1",
        "pso.organisation.ApplicationLodged.v1",
    ]  # in the order the commands made them, not grouped per aggregate
    assert register.application(app).state.value == "submitted"


def test_a_refused_command_in_a_batch_leaves_no_trace() -> None:
    """A command that changed an aggregate and was then refused is undone; the rest is saved."""
    register = _register()
    with register.batch() as batch:
        register.register_organisation("30000001", "Eerste", "Ede", STAFF)
        register.register_organisation("30000002", "Tweede", "Ede", STAFF)
        with pytest.raises(InvalidTransitionError, match="already covered"):
            # changes the organisation first, then finds 30000002 taken
            batch.attempt(lambda: register.change_subsidiaries("30000001", ("30000002",), STAFF))
        with pytest.raises(InvalidTransitionError, match="already in the register"):
            batch.attempt(lambda: register.register_organisation("30000002", "X", "Ede", STAFF))
    org = register.organisation_by_kvk("30000001")
    assert org.subsidiaries == ()
    assert org.version == 1
    assert register.organisation_by_kvk("30000002").name == "Tweede"


def test_a_batch_that_fails_saves_nothing() -> None:
    """An error escaping the batch: nothing of it is written."""
    register = _register()

    def fail_half_way() -> None:
        with register.batch():
            register.register_organisation("30000001", "Eerste", "Ede", STAFF)
            raise RuntimeError("stop")

    with pytest.raises(RuntimeError, match="stop"):
        fail_half_way()
    assert register.recorder.max_notification_id() is None
