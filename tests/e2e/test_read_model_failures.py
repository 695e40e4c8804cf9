"""Through HTTP: a read model that cannot follow never turns a saved staff command into a 500;
the command answers its result and says the read models lag, readiness names the failed read
model, the worklist lists it, and a rebuild of the corrected read model clears it all."""

from __future__ import annotations

from typing import Any

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
    feed.on(SUSPENDED, broken)

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
