"""Through HTTP: a read model that cannot follow never turns a saved staff command into a 500;
the command answers its result and says the read models lag, readiness names the failed read
model, the worklist lists it, and a rebuild of the corrected read model clears it all."""

from __future__ import annotations

from typing import Any

import pytest

from api import read_models
from domain.certificate import Certificate
from projections.changes import ChangeFeed
from tests.staff_client import Api, certified, ok

SUSPENDED = "pso.certificate.Suspended.v1"
FEED = f"changes_v{ChangeFeed.version}"


def broken(*_: Any) -> None:
    """A deliberate bug in the change feed: it cannot apply a suspension."""
    msg = "cannot describe this suspension"
    raise ValueError(msg)


def test_a_failing_read_model_is_reported_and_the_commands_still_answer(api: Api) -> None:
    """Suspension saved (200, lag header), the register goes on, /readyz 503 names the change
    feed, the worklist lists it; after the correction and a rebuild everything is current."""
    backend = api.client.app.state.backend  # type: ignore[attr-defined]
    _, number = certified(api)
    assert api.client.get("/readyz").status_code == 200
    feed = backend.models.changes
    feed.on(Certificate.Suspended, broken)

    suspended = api.post(
        f"/certificates/{number}/suspension", {"effective_on": "2025-05-01", "reason": "audit"}
    )
    assert suspended.status_code == 200, suspended.text
    assert suspended.headers["PSO-Read-Models"] == f'lagging; failed="{FEED}"'
    public = api.client.get(f"/api/v1/certificates/{number}").json()
    assert public["status"] == "suspended"  # the register projection went on
    ready = api.client.get("/readyz")
    assert ready.status_code == 503
    assert ready.json()["status"] == f"failed: {FEED}"
    [failure] = ready.json()["failed"]
    assert (failure["projection"], failure["stage"]) == ("changes", "apply")
    assert "cannot describe" not in ready.text  # the error is for staff, not for anyone
    worklist = ok(api.get("/worklist"))
    [listed] = worklist["failed_read_models"]
    assert (listed["projection"], listed["topic"], listed["stage"]) == (
        "changes",
        SUSPENDED,
        "apply",
    )
    assert "cannot describe this suspension" in listed["error"]
    reinstated = api.post(
        f"/certificates/{number}/reinstatement", {"effective_on": "2025-05-20", "reason": "audit"}
    )
    assert reinstated.status_code == 200, reinstated.text
    assert reinstated.headers["PSO-Read-Models"] == f'lagging; failed="{FEED}"'

    feed.handlers[SUSPENDED].remove(broken)  # the correction is deployed
    rebuilt = backend.runner.rebuild(["changes"])
    assert (rebuilt.switched, rebuilt.failures) == (["changes"], [])
    assert api.client.get("/readyz").status_code == 200
    assert ok(api.get("/worklist"))["failed_read_models"] == []
    withdrawn = api.post(
        f"/certificates/{number}/withdrawal", {"effective_on": "2025-06-01", "reason": "audit"}
    )
    assert withdrawn.headers["PSO-Read-Models"] == "current"
    changes = [c["change"] for c in api.client.get("/api/v1/changes").json()["items"]]
    assert changes[-3:] == ["suspended", "reinstated", "withdrawn"]


def test_a_command_the_runner_does_not_reach_in_time_answers_503_and_its_retry_the_result(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While the runner is busy past the bounded wait, a saved suspension answers 503 with
    Retry-After (the request thread projects nothing); once the runner got there, a retry under
    the same Idempotency-Key answers the saved result and the register shows it."""
    backend = api.client.app.state.backend  # type: ignore[attr-defined]
    _, number = certified(api)
    monkeypatch.setattr(read_models, "WAIT", 0.3)
    change = {"effective_on": "2025-05-01", "reason": "audit"}
    with backend.runner._lock:  # the runner is in the middle of a long batch
        late = api.post(f"/certificates/{number}/suspension", change, **{"Idempotency-Key": "s1"})
        assert late.status_code == 503, late.text
        assert late.headers["Retry-After"] == "1"
        assert late.headers["PSO-Read-Models"] == "lagging"
        assert late.json()["type"].endswith("/read-models-behind")
        assert backend.register.certificate(number).status.value == "suspended"  # saved
    retried = api.post(f"/certificates/{number}/suspension", change, **{"Idempotency-Key": "s1"})
    assert ok(retried) == {
        "certificate_number": number,
        "status": "suspended",
        "effective_on": "2025-05-01",
    }
    assert retried.headers["PSO-Read-Models"] == "current"
    assert api.client.get(f"/api/v1/certificates/{number}").json()["status"] == "suspended"
