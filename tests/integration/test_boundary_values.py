"""Every stored event type, holding the values at the edges of what the commands accept, through
every read model: no projection fails, and a rebuild gives the same rows (SQLite and PostgreSQL).

A new event type fails this test until the scenario below records it, so no topic reaches the
log before the read models were shown to take its boundary values.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal
from typing import Any

import pytest

from api.storage import event_store_env
from domain.bounds import LAST_DAY, NAME_LENGTH, PLACE_LENGTH, REASON_LENGTH
from domain.clock import SimulatedClock
from domain.import_file import parse_register_csv
from domain.objection import Outcome
from domain.register import Register
from domain.signatures import SigningKey
from domain.values import Cause, Role
from norms.levels import Level
from tests.projection_support import dump, runner_for
from tests.unit.domain.test_scheme_rules import version_document
from tests.unit.domain.test_topics import STORED_TOPICS
from tests.unit.norms.builders import declaration_doc, person, purchase

#: printable text from several scripts, with combining marks, an emoji and a zero-width joiner
MIXED = "Zorg & Welzijn 'De Ĳssel' — Ελληνικά 北京 עברית e\u0301 👩\u200d🔧 "
NAME = (MIXED * 10)[: NAME_LENGTH - 1] + "X"
PLACE = (MIXED * 5)[: PLACE_LENGTH - 1] + "X"
REASON = ("Regel één\tmet tab\nregel twee: " + MIXED) * 40
REASON = REASON[: REASON_LENGTH - 1] + "."
PLAN = {
    "parts": ["doelstelling", "creeren_draagvlak", "aanpassen_werving_selectie",
              "functies_beschikbaar"],
    "approved_by_board": True,
}  # fmt: skip
IMPORT_CSV = (
    "kvk,name,place,subsidiaries,certificate_number,level,pso30plus,valid_from,valid_until,"
    "certifying_institution,status,status_effective_on\n"
    "39999999,Import BV,Zwolle,,PSO-2017-000900,trede_1,false,2017-04-01,2019-03-31,DNV,withdrawn,"
    "2017-04-01\n"
)


def staff(reason: str = REASON) -> Cause:
    """A member of staff giving the longest reason."""
    return Cause("staff-" + "a" * 40, Role.STAFF, "corr-" + "c" * 60, reason=reason)


AUDITOR = Cause("auditor-kiwa", Role.AUDITOR, "corr-audit", reason=REASON, actor_ci="kiwa")
SCHEDULER = Cause("scheduler", Role.SCHEDULER, "sweep")
ADMIN = Cause("admin", Role.ADMIN, "corr-admin", reason=REASON)
IMPORT = Cause("import", Role.IMPORT, "import-edge", reason=REASON)
PUBLIC = Cause("public", Role.PUBLIC, "r" * 64)


def edge_statement(number: str) -> dict[str, Any]:
    """What a coverage statement says, with the longest name and place, at its deepest."""
    certificate = {"number": number, "level": "trede_2", "valid_until": LAST_DAY.isoformat()}
    return {
        "kind": "coverage",
        "organisation": {"name": NAME, "place": PLACE, "covered_kvks": ["10000001"]},
        "answer": {"covered": False, "gaps": [{"certificate": certificate, "level": None}]},
        "certificates": [{**certificate, "covered_kvks": ["10000001", "10000002"]}],
    }


def edge_declaration(peiljaar: int, **extra: Any) -> dict[str, Any]:
    """The largest organisation the scheme data allows, with persons and purchases at their ends."""
    persons = [
        person("A" * 64, "1.5", intake_date="1950-01-01"),
        person("ë" * 63 + "z", "1.5", "wsw", "secondment", f"{peiljaar}-12-31"),
        *(person(f"p{i}", "1.5", intake_date=f"{peiljaar}-01-01") for i in range(18)),
    ]
    purchases = [purchase("1000000000000", "1000000000000", "1000000", "1")]
    return declaration_doc("60", persons, purchases, peiljaar=peiljaar, **extra)


class Edges:
    """A register driven through every command with boundary values, starting on ``day``."""

    def __init__(self, url: str, day: dt.date) -> None:
        self.day = day
        self.clock = SimulatedClock(dt.datetime.combine(day, dt.time(9), tzinfo=dt.UTC))
        self.register = Register(event_store_env(url), clock=self.clock)

    def at(self, days: int) -> dt.date:
        """Move the clock to ``days`` after the first day (never back); that day."""
        day = self.day + dt.timedelta(days=days)
        target = dt.datetime.combine(day, dt.time(9), tzinfo=dt.UTC)
        self.clock.advance(max(target - self.clock.now(), dt.timedelta(0)))
        return day

    def certified(
        self, kvk: str, level: Level, days: int, declaration: dict[str, Any] | None = None
    ) -> tuple[Any, str]:
        """Submit, audit and decide at a level on one day; the application and the number."""
        r, day = self.register, self.at(days)
        doc = declaration or edge_declaration(day.year - 1)
        app = r.submit_application(kvk, doc, "kiwa", day, staff()).application_id
        r.file_audit_report(app, day, level, REASON, AUDITOR)
        number = r.decide_application(app, day, staff(), level).number
        assert number is not None
        return app, number

    def run(self) -> None:
        """Every command at least once; the deadlines swept three years later."""
        r, k = self.register, str(self.day.year % 100).zfill(2)
        main, sub, heir = f"1{k}00001", f"1{k}00002", f"1{k}00003"
        r.register_organisation(main, NAME, PLACE, staff(), (sub,))
        r.register_organisation(heir, NAME[:-1] + "Y", PLACE, staff())
        r.record_cedris_membership(main, staff(), member=True)
        r.change_subsidiaries(main, (), staff())  # releases the subsidiary's KvK number
        r.change_subsidiaries(main, (sub,), staff())  # and claims it again
        r.link_successor(main, heir, LAST_DAY, staff())

        # an application with every step before the decision, then cancelled
        day = self.at(0)
        cancelled = r.submit_application(
            main, edge_declaration(day.year - 1), "kiwa", day, staff()
        ).application_id
        r.object_to_audit_plan(cancelled, day, staff())
        r.plan_audit(cancelled, LAST_DAY, AUDITOR)
        r.record_finding(cancelled, REASON, AUDITOR)
        r.correct_figures(cancelled, edge_declaration(day.year - 1), AUDITOR)
        r.cancel_application(cancelled, day, staff())

        # an aspirant, extended once; then a trede certificate supersedes it
        peiljaar = self.day.year - 1
        small_person = [person("x", "0.5", intake_date=f"{peiljaar}-06-30")]
        plan = declaration_doc("60", small_person, peiljaar=peiljaar, plan_of_approach=PLAN)
        aspirant_app, aspirant = self.certified(main, Level.ASPIRANT, 1, plan)
        assert self.certified(main, Level.ASPIRANT, 2, plan)[1] == aspirant
        small = declaration_doc("60", small_person, peiljaar=peiljaar)
        refused_app = r.submit_application(main, small, "kiwa", self.at(3), staff()).application_id
        r.file_audit_report(refused_app, self.at(3), None, "", AUDITOR)
        r.refuse_application(refused_app, self.at(3), staff())
        app, number = self.certified(main, Level.TREDE_2, 4)

        # suspended, reinstated and suspended again on one day; reinstated on the last valid day
        # (or the last day a change may be scheduled for)
        cert = r.certificate(number)
        for act in (r.suspend_certificate, r.reinstate_certificate, r.suspend_certificate):
            act(number, cert.valid_from, staff())
        r.reinstate_certificate(number, min(cert.valid_until, LAST_DAY), staff())

        # an objection through the board and the committee, revising the level
        objection = r.file_objection(app, self.at(4 + 28), staff())
        r.answer_objection(objection, self.at(40), Outcome.REJECTED, staff())
        r.escalate_objection(objection, self.at(40 + 28), staff())
        r.record_committee_decision(objection, self.at(70), Outcome.UPHELD, staff(), Level.TREDE_1)

        # contributions: discounted, paid on the last day of the term, and overdue
        r.discount_contribution(number, 1, Decimal("0.01"), staff())
        r.record_contribution_payment(number, 1, self.at(4 + 30), staff())
        r.publish_handbook(version_document("9.9", LAST_DAY.isoformat()), ADMIN)
        r.once("k" * 200, "edge", "f" * 64, staff(), lambda: None)

        # a statement (its key published with it), as deep as a coverage statement nests, and
        # a rotated key published on its own
        r.issue_statement(lambda _: edge_statement(number), SigningKey.from_raw(bytes(32)), PUBLIC)
        r.publish_statement_key(SigningKey.from_raw(bytes(range(32))).public_key, ADMIN)

        # a certificate withdrawn on its last valid day, and a decision left open for the sweep
        _, withdrawn = self.certified(heir, Level.TREDE_3, 80)
        r.withdraw_certificate(
            withdrawn, min(r.certificate(withdrawn).valid_until, LAST_DAY), staff()
        )
        open_app = r.submit_application(
            heir, edge_declaration(self.at(81).year - 1), "kiwa", self.at(81), staff()
        ).application_id
        r.file_audit_report(open_app, self.at(81), Level.TREDE_2, REASON, AUDITOR)

        self.at(3 * 366)  # three years on: every deadline is due
        assert r.flag_decision_overdue(open_app, SCHEDULER)
        assert r.make_decision_final(aspirant_app, SCHEDULER)
        assert r.invoice_contribution_year_two(number, SCHEDULER)
        self.at(3 * 366 + 31)  # the year-2 invoice is invoiced late, due 30 days later
        assert r.mark_contribution_overdue(number, 2, SCHEDULER)
        assert r.issue_renewal_reminder(number, SCHEDULER)
        assert r.expire_certificate(number, SCHEDULER)
        rows, problems = parse_register_csv(IMPORT_CSV)
        assert problems == []
        r.import_register(rows, IMPORT)


def recorded_topics(register: Register) -> Counter[str]:
    """How many events of each topic the log holds."""
    head = register.recorder.max_notification_id() or 0
    return Counter(n.topic for n in register.recorder.select_notifications(1, head + 1))


@pytest.mark.parametrize("first_day", [dt.date(2018, 1, 1), dt.date(2100, 9, 1)])
def test_every_event_type_with_boundary_values_passes_every_projection(
    database_url: str, first_day: dt.date
) -> None:
    """From the first day with contribution brackets, and from the autumn of the last year accepted."""
    edges = Edges(database_url, first_day)
    edges.run()
    events = {t for t in STORED_TOPICS if t.rsplit(".", 1)[-1].startswith("v")}
    missing = events - set(recorded_topics(edges.register))
    assert not missing, f"the boundary scenario records no event of {sorted(missing)}"
    runner, models = runner_for(edges.register, database_url, batch_size=7)
    runner.catch_up()
    assert set(runner.positions().values()) == {runner.head()}
    live = dump(runner.engine, models)
    runner.rebuild()
    assert dump(runner.engine, models) == live
    runner.engine.dispose()
    edges.register.close()
