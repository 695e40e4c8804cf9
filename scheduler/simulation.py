"""``pso simulate``: a synthetic register driven through years by the same commands and the same
sweep as production, under a simulated clock. Seeded, so a run can be repeated exactly.
"""

from __future__ import annotations

import datetime as dt
import heapq
import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial
from typing import Any

from domain.clock import SimulatedClock, business_date
from domain.errors import DomainError
from domain.objection import Outcome
from domain.register import Register
from domain.service.results import IssuedCertificate
from domain.values import Cause, Role
from norms.levels import Level
from scheduler.service import Scheduler

STAFF = Cause("simulation-staff", Role.STAFF, "simulation", reason="simulated decision")
TARGETS = [(Level.ASPIRANT, 20), (Level.BASISTREDE, 10), (Level.TREDE_1, 30),
           (Level.TREDE_2, 25), (Level.TREDE_3, 15)]  # fmt: skip


@dataclass
class Plan:
    """What one simulated organisation will do next, and when."""

    kvk: str
    size: int
    target: Level
    next_day: dt.date
    step: str = "register"
    application: Any = None
    certificate: IssuedCertificate | None = None


@dataclass
class Summary:
    """What happened, for the printed report."""

    levels_per_year: dict[int, Counter[str]] = field(default_factory=dict)
    counts: Counter[str] = field(default_factory=Counter)


class Simulation:
    """Drives organisations through applications, audits, decisions, objections and payments.

    Each simulated week's commands are saved as one batch (one transaction), then the sweep acts
    on what fell due, also as one batch; organisations and payments wait in queues by day.
    """

    def __init__(
        self,
        register: Register,
        scheduler: Scheduler,
        clock: SimulatedClock,
        seed: int,
        count_levels: Callable[[], Counter[str]] | None = None,
    ) -> None:
        self.register = register
        self.scheduler = scheduler
        self.clock = clock
        self.random = random.Random(seed)  # noqa: S311 (a seeded simulation, not security)
        self.payments: list[tuple[dt.date, str, int]] = []  # a heap by day
        #: organisations by level at a year's end (default: a replay of each organisation)
        self.count_levels = count_levels

    def run(
        self, organisations: int, years: int, progress: Callable[[int, int], None] | None = None
    ) -> Summary:
        """Simulate week by week; sweep the deadlines every week."""
        start = business_date(self.clock.now())
        plans = [self._plan(i, start) for i in range(organisations)]
        waiting = [(plan.next_day, i) for i, plan in enumerate(plans)]
        heapq.heapify(waiting)
        summary = Summary()
        weeks = years * 52
        for week in range(weeks):
            today = business_date(self.clock.now())
            with self.register.batch():
                while waiting and waiting[0][0] <= today:
                    _, i = heapq.heappop(waiting)
                    plan = plans[i]
                    while plan.next_day <= today and plan.step != "done":
                        self._step(plan, today, summary)
                    if plan.step != "done":
                        heapq.heappush(waiting, (plan.next_day, i))
                self._pay(today, summary)
            self._sweep(summary)
            if (today + dt.timedelta(days=7)).year != today.year:
                summary.levels_per_year[today.year] = self._levels(plans, today)
            self.clock.advance(dt.timedelta(days=7))
            if progress is not None:
                progress(week + 1, weeks)
        with self.register.batch():
            self._pay(business_date(self.clock.now()), summary)
        self._sweep(summary)  # end swept: nothing due is left undone
        return summary

    def _sweep(self, summary: Summary) -> None:
        with self.register.batch():
            outcomes = self.scheduler.tick()
        self.scheduler.catch_up()  # the batch was saved after the sweep's own catch-up
        for outcome in outcomes:
            if outcome.acted:
                summary.counts[outcome.kind] += 1

    def _pay(self, today: dt.date, summary: Summary) -> None:
        """Payments whose day came; a year not yet invoiced is tried again next week."""
        later = []
        while self.payments and self.payments[0][0] <= today:
            _, number, year = heapq.heappop(self.payments)
            try:
                self.register.attempt(
                    partial(self.register.record_contribution_payment, number, year, today, STAFF)
                )
                summary.counts["payments"] += 1
            except DomainError:
                if year not in self.register.participation(number).invoices:
                    later.append((today + dt.timedelta(days=7), number, year))
        for payment in later:
            heapq.heappush(self.payments, payment)

    def _plan(self, i: int, start: dt.date) -> Plan:
        size = min(int(self.random.lognormvariate(3.2, 1.0)) + 2, 2000)
        target = self.random.choices([t for t, _ in TARGETS], [w for _, w in TARGETS])[0]
        first = start + dt.timedelta(days=self.random.randrange(365))
        return Plan(kvk=f"{70000000 + i:08d}", size=size, target=target, next_day=first)

    def _later(self, plan: Plan, today: dt.date, low: int, high: int, step: str) -> None:
        plan.next_day = today + dt.timedelta(days=self.random.randint(low, high))
        plan.step = step

    def _step(self, plan: Plan, today: dt.date, summary: Summary) -> None:
        try:
            self.register.attempt(lambda: getattr(self, f"_{plan.step}")(plan, today, summary))
        except DomainError as exc:
            summary.counts[f"refused: {type(exc).__name__}"] += 1
            self._later(plan, today, 60, 200, "apply")

    def _register(self, plan: Plan, today: dt.date, summary: Summary) -> None:
        self.register.register_organisation(plan.kvk, f"Simulatie {plan.kvk}", "Utrecht", STAFF)
        summary.counts["registered"] += 1
        self._later(plan, today, 0, 30, "apply")

    def _apply(self, plan: Plan, today: dt.date, summary: Summary) -> None:
        declaration = self._declaration(plan, today)
        plan.application = self.register.submit_application(
            plan.kvk, declaration, self.random.choice(["kiwa", "normec", "dnv"]), today, STAFF
        ).application_id
        summary.counts["applications"] += 1
        self._later(plan, today, 14, 40, "audit")

    def _audit(self, plan: Plan, today: dt.date, _summary: Summary) -> None:
        self.register.file_audit_report(plan.application, today, None, "simulated audit", STAFF)
        self._later(plan, today, 5, 35, "decide")

    def _decide(self, plan: Plan, today: dt.date, summary: Summary) -> None:
        issued = self.register.decide_application(plan.application, today, STAFF).certificate
        if issued is None:
            summary.counts["refused"] += 1
            self._later(plan, today, 120, 300, "apply")
            return
        summary.counts["granted"] += 1
        plan.certificate = issued
        self._after_decision(plan, today, summary)

    def _after_decision(self, plan: Plan, today: dt.date, summary: Summary) -> None:
        issued = plan.certificate
        assert issued is not None  # noqa: S101 (set by the decision)
        number = issued.number
        roll = self.random.random()
        for year in (1, 2):
            pays = self.random.random()
            if pays < 0.95:  # most pay within the term, some late, a few never
                late = pays >= 0.85
                days = 365 * (year - 1) + (self.random.randint(40, 90) if late else 10)
                heapq.heappush(self.payments, (today + dt.timedelta(days=days), number, year))
        if roll < 0.08:  # object to the decision
            objection = self.register.file_objection(plan.application, today, STAFF)
            self.register.answer_objection(objection, today, Outcome.REJECTED, STAFF)
            summary.counts["objections"] += 1
        if self.random.random() < 0.03:
            summary.counts["withdrawn"] += 1
            day = max(issued.valid_from, today - dt.timedelta(days=self.random.randint(0, 60)))
            self.register.withdraw_certificate(number, day, STAFF)
            plan.step = "done"
            return
        if plan.target is Level.ASPIRANT:
            if self.random.random() < 0.6:  # climbs
                plan.target = Level.TREDE_1
                self._later(plan, today, 200, 600, "apply")
            else:
                plan.step = "done"  # lapses
            return
        if self.random.random() < 0.7:  # recertifies shortly before expiry (some early, to climb)
            early = self.random.random() < 0.15
            self._later(plan, today, 300 if early else 640, 400 if early else 700, "apply")
        else:
            plan.step = "done"

    def _declaration(self, plan: Plan, today: dt.date) -> dict[str, Any]:
        """Figures that reach the target level: weight-1 persons at a little above its norm."""
        version = self.register.catalogue.version_in_force(today)
        target = plan.target if version.has_level(plan.target) else Level.TREDE_1
        doc: dict[str, Any] = {
            "peiljaar": today.year - 1,
            "total_fte": str(plan.size),
            "persons": [],
            "purchases": [],
            "qualitative": dict.fromkeys(
                ("passend_werk", "integratie", "functioneren_en_ontwikkeling", "begeleiding"),
                True,
            ),
        }
        if target is Level.ASPIRANT:
            parts = list(version.aspirant.plan_parts.value)
            doc["plan_of_approach"] = {"parts": parts, "approved_by_board": True}
            return doc
        norm = version.norm_table.row_for(plan.size).norms[target]
        needed = (norm + Decimal("0.3")) * plan.size / 100
        persons: list[dict[str, str]] = []
        while needed > 0:
            fte = max(min(needed, Decimal(1)).quantize(Decimal("0.01")), Decimal("0.01"))
            persons.append({"ref": f"S{len(persons)}", "starting_position": "wajong",
                            "intake_date": f"{today.year - 2}-01-01", "contract": "regular",
                            "fte": str(fte)})  # fmt: skip
            needed -= fte
        doc["persons"] = persons
        doc["total_fte"] = str(max(Decimal(plan.size), sum(Decimal(p["fte"]) for p in persons)))
        return doc

    def _levels(self, plans: list[Plan], today: dt.date) -> Counter[str]:
        if self.count_levels is not None:
            return self.count_levels()
        levels: Counter[str] = Counter()
        for plan in plans:
            position = self.register.position(plan.kvk, today)
            levels[position.level.value if position.in_force and position.level else "none"] += 1
        return levels
