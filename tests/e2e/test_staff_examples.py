"""The worked examples of the staff API (``api.staff_examples``) are what the register answers:
their lifecycle is sent over HTTP as documented, each on the day its body names, and every
answer must be the documented one (the ids the register draws at random aside)."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api import staff_examples as ex
from api.app import create_app
from api.settings import Settings
from domain.clock import SimulatedClock
from tests.staff_client import Api, ok

RECORDED = re.compile(r" \(recorded [^)]*\)")
#: the first day of the documented lifecycle, 11:00 in Amsterdam
START = dt.datetime(2026, 11, 2, 10, tzinfo=dt.UTC)


class Lifecycle:
    """The staff API with a clock that the lifecycle moves to each documented day."""

    def __init__(self, api: Api, clock: SimulatedClock) -> None:
        self.api = api
        self.clock = clock
        #: what the register drew or numbered, and the example's value for it
        self.drawn: dict[str, str] = {}

    def on(self, day: str) -> None:
        """Move the clock to 11:00 (Amsterdam) on ``day``."""
        target = dt.datetime.combine(dt.date.fromisoformat(day), dt.time(10), dt.UTC)
        self.clock.advance(target - self.clock.now())

    def post(self, path: str, body: Any, status: int = 200, who: str = "staff") -> Any:
        """POST the documented body; its answer with the drawn values as documented."""
        return self.stable(ok(self.api.post(self.stable(path, back=True), body, who), status))

    def get(self, path: str, **params: str) -> Any:
        """GET as staff; its answer with the drawn values as documented."""
        return self.stable(ok(self.api.get(self.stable(path, back=True), **params)))

    def draws(self, value: str, documented: str) -> None:
        """The register drew ``value`` where the example shows ``documented``."""
        self.drawn[value] = documented

    def stable(self, document: Any, *, back: bool = False) -> Any:
        """The document with each drawn value replaced by the example's (or back again)."""
        text = json.dumps(document)
        for value, documented in self.drawn.items():
            text = text.replace(documented, value) if back else text.replace(value, documented)
        return json.loads(text)


@pytest.fixture
def lifecycle(database_url: str) -> Iterator[Lifecycle]:
    """An empty register with Voorbeeld BV (KvK 12345678) registered, on 2 November 2026."""
    clock = SimulatedClock(START)
    settings = Settings(database_url=database_url, scheduler=False, rate_limit_per_minute=0)
    with TestClient(create_app(settings, clock=clock)) as client:
        api = Api(client)
        voorbeeld = {"kvk": "12345678", "name": "Voorbeeld BV", "place": "Utrecht"}
        registered = ok(api.post("/organisations", voorbeeld), 201)
        assert registered["organisation_id"] == ex.ORGANISATION_ID
        yield Lifecycle(api, clock)


def test_the_documented_lifecycle_answers_as_documented(lifecycle: Lifecycle) -> None:
    """Registration, submission, audit report, decision, objection through the committee,
    payment, audit-plan objection and cancellation, suspension and successor: each answer is
    its example."""
    life = lifecycle
    assert life.post("/organisations", ex.ORGANISATION_CREATE, 201) == ex.ORGANISATION_REGISTERED

    submitted = life.api.post("/applications", ex.APPLICATION_CREATE)
    life.draws(ok(submitted, 201)["id"], ex.APPLICATION_ID)
    assert life.stable(submitted.json()) == ex.APPLICATION_SUBMITTED

    life.on(ex.AUDIT_REPORT_CREATE["audit_date"])
    path = f"/applications/{ex.APPLICATION_ID}"
    assert life.post(f"{path}/audit-report", ex.AUDIT_REPORT_CREATE, who="kiwa") == (
        ex.AUDIT_REPORT_FILED
    )

    (awaiting,) = life.get("/worklist")["applications_awaiting_decision"]
    assert awaiting == ex.WORKLIST["applications_awaiting_decision"][0]

    life.on(ex.DECISION_CREATE["decided_on"])
    decided = ok(life.api.post(life.stable(f"{path}/decision", back=True), ex.DECISION_CREATE))
    life.draws(decided["certificate_number"], ex.NUMBER)
    assert life.stable(decided) == ex.DECISION_GRANTED
    assert life.get(path) == ex.APPLICATION_DETAIL

    life.on(ex.OBJECTION_CREATE["filed_on"])
    filed = ok(life.api.post("/objections", life.stable(ex.OBJECTION_CREATE, back=True)), 201)
    life.draws(filed["id"], ex.OBJECTION_ID)
    assert life.stable(filed) == ex.OBJECTION_FILED
    objection = f"/objections/{ex.OBJECTION_ID}"
    life.on(ex.BOARD_REJECTION["decided_on"])
    assert life.post(f"{objection}/board-decision", ex.BOARD_REJECTION) == ex.OBJECTION_REJECTED
    life.on(ex.ESCALATION_CREATE["filed_on"])
    assert life.post(f"{objection}/escalation", ex.ESCALATION_CREATE) == ex.OBJECTION_ESCALATED

    listed = life.get("/worklist")
    assert listed["open_objections"] == ex.WORKLIST["open_objections"]
    assert listed["unpaid_contributions"] == ex.WORKLIST["unpaid_contributions"]

    life.on(ex.PAYMENT_CREATE["paid_on"])
    (due,) = life.get("/contributions")
    assert due == ex.CONTRIBUTION_ENTRY
    payment = f"/contributions/{ex.NUMBER}/1/payment"
    assert life.post(payment, ex.PAYMENT_CREATE) == ex.PAYMENT_RECORDED

    # the audit plan can be objected to in the days after a submission: this one came later
    second = {**ex.APPLICATION_CREATE, "kvk": ex.ORGANISATION_CREATE["kvk"],
              "submitted_on": "2026-11-20"}  # fmt: skip
    life.draws(ok(life.api.post("/applications", second), 201)["id"], ex.CANCELLED_APPLICATION_ID)
    cancelled = f"/applications/{ex.CANCELLED_APPLICATION_ID}"
    objected = life.post(f"{cancelled}/audit-plan-objection", ex.AUDIT_PLAN_OBJECTION_CREATE)
    assert objected == ex.AUDIT_PLAN_OBJECTED

    life.on(ex.COMMITTEE_REVISION["decided_on"])
    assert (
        life.post(f"{objection}/committee-decision", ex.COMMITTEE_REVISION) == ex.OBJECTION_REVISED
    )
    assert life.post(f"{cancelled}/cancellation", ex.CANCELLATION_CREATE) == (
        ex.APPLICATION_CANCELLED
    )
    suspension = f"/certificates/{ex.NUMBER}/suspension"
    assert life.post(suspension, ex.CERTIFICATE_CHANGE_CREATE) == ex.CERTIFICATE_SUSPENDED
    successor = f"/organisations/{ex.ORGANISATION_CREATE['kvk']}/successor"
    assert life.post(successor, ex.SUCCESSOR_CREATE) == ex.SUCCESSOR_LINKED
    report = life.get("/organisations/12345678/dispute-report", on=ex.DISPUTE_REPORT["on"])
    (issued,) = [e for e in report["timeline"] if e["event"] == ex.TIMELINE_ENTRY["event"]]
    life.draws(issued["aggregate_id"], ex.CERTIFICATE_ID)
    report = life.stable(report)
    assert unrecorded(report["now"]) == unrecorded(ex.DISPUTE_REPORT["now"])
    said = [unrecorded(p) for p in report["what_the_register_said"]]
    assert all(unrecorded(p) in said for p in ex.DISPUTE_REPORT["what_the_register_said"])
    assert unrecorded(ex.TIMELINE_ENTRY) in [unrecorded(e) for e in report["timeline"]]


def unrecorded(document: dict[str, Any]) -> dict[str, Any]:
    """A position or timeline entry without what differs per run: when and in which request
    it was recorded, at which log position, and by which member of staff."""
    volatile = {"recorded_at", "as_known_at", "position", "correlation_id", "actor_id"}
    kept = {k: v for k, v in document.items() if k not in volatile}
    if "explanation" in kept:
        kept["explanation"] = RECORDED.sub("", kept["explanation"])
    return kept
