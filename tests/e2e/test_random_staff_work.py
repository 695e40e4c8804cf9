"""Random sequences of staff commands through HTTP, with same-day suspensions and reinstatements,
dates at the edges and decimals of every size: every answer is a 2xx or a named refusal, every read
model follows each command without failing, and a rebuild gives the same rows.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api.app import create_app
from api.settings import Settings
from tests.conftest import new_schema
from tests.projection_support import dump
from tests.scenarios import trede_2_declaration
from tests.staff_client import Api
from tests.strategies import declarations

KVKS = ("10000001", "10000002", "10000003")
REFUSALS = {404, 409, 422}
day = st.dates(dt.date(2024, 12, 1), dt.date(2026, 6, 30)) | st.sampled_from(
    [dt.date(2000, 1, 1), dt.date(2100, 12, 31), dt.date(2025, 3, 31), dt.date(2024, 2, 29)]
)
edge_decimal = st.sampled_from(["0.01", "1.5", "1e15", "1e16", "1e999999", "-0", "NaN", "7" * 41])


@st.composite
def commands(draw: st.DrawFn) -> tuple[str, dict[str, Any]]:
    """One staff command with its arguments (the numbers pick among what exists by then)."""
    kind = draw(
        st.sampled_from(
            ["organisation", "submit", "report", "decide", "suspension", "reinstatement",
             "withdrawal", "objection", "payment", "same_day_cycle", "certify", "certify"]
        )
    )  # fmt: skip
    args: dict[str, Any] = {"pick": draw(st.integers(0, 5)), "on": draw(day).isoformat()}
    if kind == "organisation":
        args["kvk"] = draw(st.sampled_from(KVKS))
    if kind == "submit":
        declaration = draw(declarations())
        if draw(st.booleans()):
            declaration["total_fte"] = draw(edge_decimal)
        args["declaration"] = declaration
    if kind == "report":
        args["level"] = draw(st.sampled_from([None, "aspirant", "trede_1", "trede_2", "trede_3"]))
    if kind == "decide":
        args["outcome"] = draw(st.sampled_from(["granted", "refused"]))
    return kind, args


class Work:
    """Runs commands against the app, remembering the applications and certificates made."""

    def __init__(self, api: Api) -> None:
        self.api = api
        self.applications: list[str] = []
        self.certificates: list[str] = []

    def pick(self, items: list[str], index: int) -> str | None:
        """One of the known ids, or None when there are none yet."""
        return items[index % len(items)] if items else None

    def run(self, kind: str, args: dict[str, Any]) -> list[Any]:
        """The responses of one command (a same-day cycle sends three); [] when it cannot apply."""
        on, pick = args["on"], args["pick"]
        app = self.pick(self.applications, pick)
        cert = self.pick(self.certificates, pick)
        post, reason = self.api.post, "random staff work"
        change = {"effective_on": on, "reason": reason}
        requests: dict[str, tuple[bool, list[tuple[str, dict[str, Any]]]]] = {
            "organisation": (True, [("/organisations", {"kvk": args.get("kvk"),
                                                        "name": f"Org {args.get('kvk')}",
                                                        "place": "Ede"})]),
            "report": (app is not None, [(f"/applications/{app}/audit-report",
                                          {"audit_date": on,
                                           "advice": {"level": args.get("level")}})]),
            "decide": (app is not None, [(f"/applications/{app}/decision",
                                          {"decided_on": on, "outcome": args.get("outcome"),
                                           "reason": reason})]),
            "objection": (cert is not None, [("/objections", {"certificate_number": cert,
                                                              "filed_on": on,
                                                              "grounds": reason})]),
            "payment": (cert is not None, [(f"/contributions/{cert}-1/payment",
                                            {"paid_on": on, "amount": "1500"})]),
            "same_day_cycle": (cert is not None, [
                (f"/certificates/{cert}/{step}", change)
                for step in ("suspension", "reinstatement", "suspension")
            ]),
            **{
                step: (cert is not None, [(f"/certificates/{cert}/{step}", change)])
                for step in ("suspension", "reinstatement", "withdrawal")
            },
        }  # fmt: skip
        if kind == "certify":
            return self.certify(KVKS[pick % 3], dt.date.fromisoformat(on))
        if kind == "submit":
            return self.submit(KVKS[pick % 3], on, args["declaration"])
        possible, calls = requests[kind]
        responses = [post(path, body) for path, body in calls] if possible else []
        if kind == "decide" and responses and responses[0].status_code == 200:
            number = responses[0].json()["certificate_number"]
            self.certificates += [number] if number else []
        return responses

    def submit(self, kvk: str, on: str, declaration: dict[str, Any]) -> list[Any]:
        """Submit an application with a random declaration."""
        body = {"kvk": kvk, "submitted_on": on, "certifying_institution": "Kiwa",
                "declaration": declaration}  # fmt: skip
        response = self.api.post("/applications", body)
        if response.status_code == 201:
            self.applications.append(response.json()["id"])
        return [response]

    def certify(self, kvk: str, on: dt.date) -> list[Any]:
        """Submit, audit ten days later and decide ten days after that (dates in order)."""
        post = self.api.post
        body = {"kvk": kvk, "submitted_on": on.isoformat(), "certifying_institution": "Kiwa",
                "declaration": {**trede_2_declaration(), "peiljaar": on.year - 1}}  # fmt: skip
        submitted = post("/applications", body)
        if submitted.status_code != 201:
            return [submitted]
        app = submitted.json()["id"]
        self.applications.append(app)
        audit = {"audit_date": (on + dt.timedelta(10)).isoformat(), "advice": {"level": "trede_2"}}
        reported = post(f"/applications/{app}/audit-report", audit)
        decision = {"decided_on": (on + dt.timedelta(20)).isoformat(), "outcome": "granted"}
        decided = post(f"/applications/{app}/decision", decision)
        if decided.status_code == 200:
            self.certificates.append(decided.json()["certificate_number"])
        return [submitted, reported, decided]


@contextmanager
def served(url: str) -> Iterator[Api]:
    """The app over an empty register, scheduler off, no rate limit."""
    settings = Settings(database_url=url, scheduler=False, rate_limit_per_minute=0)
    with TestClient(create_app(settings)) as client:
        yield Api(client)


def fresh_url(database_url: str, tmp: Any, example: int) -> str:
    """A new empty database of the same kind for each example."""
    if database_url.startswith("sqlite"):
        return f"sqlite:///{tmp}/example-{example}.sqlite3"
    return new_schema(database_url.split("?", 1)[0])


def test_random_staff_work_never_stops_a_read_model_and_rebuilds_equal(
    database_url: str, tmp_path: Any
) -> None:
    """Each command answered 2xx or refused by name; after each, every read model is at the head."""
    examples = iter(range(10_000))
    seen: Counter[str] = Counter()

    @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.lists(commands(), min_size=8, max_size=30))
    def run(steps: list[tuple[str, dict[str, Any]]]) -> None:
        with served(fresh_url(database_url, tmp_path, next(examples))) as api:
            work = Work(api)
            for kvk in KVKS[:2]:
                work.run("organisation", {"kvk": kvk, "pick": 0, "on": "2025-01-01"})
            # every example starts from a certificate, so the random steps have one to change
            prefix = [("certify", {"pick": 0, "on": "2025-03-03"}),
                      ("same_day_cycle", {"pick": 0, "on": "2025-05-01"})]  # fmt: skip
            backend = api.client.app.state.backend  # type: ignore[attr-defined]
            for kind, args in [*prefix, *steps]:
                for response in work.run(kind, args):
                    seen[f"{kind} {response.status_code}"] += 1
                    assert response.status_code < 300 or response.status_code in REFUSALS, (
                        kind,
                        args,
                        response.status_code,
                        response.text,
                    )
                backend.runner.catch_up()
                assert set(backend.runner.positions().values()) == {backend.runner.head()}
            seen["certificates"] += len(work.certificates)
            live = dump(backend.runner.engine, backend.models)
            backend.runner.rebuild()
            assert dump(backend.runner.engine, backend.models) == live

    run()
    # the run did real work: certificates were issued, changed and refused by name
    assert seen["certificates"] > 0, seen
    assert any(key.startswith("same_day_cycle 200") for key in seen), seen
    assert any(key.endswith(" 422") for key in seen), seen
