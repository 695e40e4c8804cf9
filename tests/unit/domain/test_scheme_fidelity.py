"""The scheme's rules in the lifecycle: one eligibility rule from submission to the invoice,
a late decision needs a reason, and every deadline's edge day with its rule beside it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

import pytest

from domain.deadlines import (
    audit_plan_objection_last_day,
    decision_overdue_day,
    expiry_day,
    last_timely_decision_day,
    last_valid_day,
    reminder_day,
)
from domain.errors import InvalidInputError
from domain.values import Cause, Role
from norms.bundled import bundled_catalogue
from norms.levels import Level
from tests.scenarios import AUDITOR, STAFF, scenario
from tests.unit.norms.builders import declaration_doc, person

V21 = bundled_catalogue().version("2.1")
SCHEDULER = Cause("scheduler", Role.SCHEDULER, "sweep")
NO_REASON = Cause("staff-anna", Role.STAFF, "corr-staff")
D = dt.date.fromisoformat


@pytest.mark.parametrize("total_fte", ["1.5", "1.99"])
def test_an_organisation_of_1_5_to_1_99_fte_is_size_2_and_decided_in_the_lowest_bracket(
    total_fte: str,
) -> None:
    """Size 2 (rounded half up) is eligible: submitted, decided, invoiced EUR 500 (2-25 FTE)
    in year 1 and year 2; before, the decision failed on the bracket lookup."""
    s = scenario()
    app = s.reported(declaration_doc(total_fte, [person("A", "1.0")], peiljaar=2024))
    number = s.register.decide_application(app, D("2025-03-31"), STAFF).number
    assert number is not None
    assert s.register.certificate(number).level is Level.TREDE_3
    assert s.register.participation(number).invoices[1] == (Decimal(500), D("2025-04-30"))
    s.later(400)
    assert s.register.invoice_contribution_year_two(number, SCHEDULER) is True
    assert s.register.participation(number).invoices[2][0] == Decimal(500)


def test_an_organisation_below_size_2_is_refused_at_submission_with_the_rule() -> None:
    """1.49 FTE is size 1: refused with the reason, and nothing is written."""
    s = scenario()
    s.registered()
    before = s.register.recorder.max_notification_id()
    with pytest.raises(InvalidInputError, match=r"not eligible: total FTE 1\.49 .*size 1"):
        s.submitted(declaration_doc("1.49", [person("A", "1.0")], peiljaar=2024))
    assert s.register.recorder.max_notification_id() == before


def test_a_decision_later_than_a_month_after_the_audit_needs_a_stated_reason() -> None:
    """Audit 20 March: 20 April is on time without a reason; 21 April is refused without one,
    naming the rule, and accepted with one."""
    s = scenario()
    on_time = s.reported()
    s.on("2025-04-21")
    assert s.register.decide_application(on_time, D("2025-04-20"), NO_REASON).number is not None
    late = scenario()
    app = late.reported()
    late.on("2025-04-21")
    with pytest.raises(
        InvalidInputError,
        match=r"later than 1 month after the audit .*due by 2025-04-20; "
        r"procedure\.decision_months_after_audit\) needs a reason",
    ):
        late.register.decide_application(app, D("2025-04-21"), NO_REASON)
    assert late.register.application(app).decision_date is None
    assert (
        late.register.decide_application(app, D("2025-04-21"), NO_REASON.because("CI report late"))
        is not None
    )


def test_a_late_refusal_for_want_of_a_level_needs_a_reason_too() -> None:
    """Figures that meet no level are refused with a default reason, except when late."""
    s = scenario()
    app = s.reported(declaration_doc("50", [], peiljaar=2024))
    s.on("2025-05-01")
    with pytest.raises(InvalidInputError, match="needs a reason"):
        s.register.decide_application(app, D("2025-05-01"), NO_REASON)


def test_an_auditor_report_dated_on_the_last_day_keeps_the_decision_on_time() -> None:
    """The lead time runs from the audit date the report states."""
    s = scenario()
    app = s.submitted()
    s.on("2025-03-31")
    s.register.file_audit_report(app, D("2025-03-31"), Level.TREDE_2, "fine", AUDITOR)
    s.on("2025-04-30")
    assert s.register.decide_application(app, D("2025-04-30"), NO_REASON).number is not None


# Each edge day with the rule that decides it (domain/deadlines.py; handbook 2.1 values).
EDGES = [
    # renewal reminder: exactly three months before the last valid day (add_months clips)
    ("reminder", D("2027-03-30"), D("2026-12-30"), "30 March -> 30 December"),
    ("reminder", D("2027-05-31"), D("2027-02-28"), "31 May -> 28 Feb: no 31 Feb in 2027"),
    ("reminder", D("2028-05-31"), D("2028-02-29"), "31 May -> 29 Feb in a leap year"),
    ("reminder", D("2026-02-27"), D("2025-11-27"), "last valid day of a 29 Feb 2024 decision"),
    # validity: up to and including the day before the second anniversary of the decision
    ("valid_until", D("2024-02-29"), D("2026-02-27"), "29 Feb: the anniversary is 28 Feb 2026"),
    ("valid_until", D("2024-03-01"), D("2026-02-28"), "1 March: the day before is 28 Feb"),
    ("valid_until", D("2026-02-28"), D("2028-02-27"), "28 Feb into a leap year: 27 Feb 2028"),
    ("valid_until", D("2025-03-31"), D("2027-03-30"), "an ordinary day"),
    # expiry: the day after the last valid day
    ("expiry", D("2026-02-27"), D("2026-02-28"), "the day after 27 Feb 2026"),
    ("expiry", D("2028-02-28"), D("2028-02-29"), "a leap day can be the first expired day"),
    # decision lead time: one month after the audit, clipped; overdue from the day after
    ("decision_due_by", D("2025-01-31"), D("2025-02-28"), "31 Jan + 1 month = 28 Feb"),
    ("decision_due_by", D("2024-01-31"), D("2024-02-29"), "31 Jan + 1 month = 29 Feb (leap)"),
    ("decision_overdue", D("2025-01-31"), D("2025-03-01"), "overdue from the day after"),
    ("decision_overdue", D("2024-02-29"), D("2024-03-30"), "29 Feb + 1 month = 29 March"),
    # audit-plan objection: 7 working days after submission (Mon-Fri without the holidays)
    ("objection", D("2025-03-03"), D("2025-03-12"), "Monday -> Wednesday of the next week"),
    ("objection", D("2025-04-28"), D("2025-05-08"), "Liberation Day 2025 (lustrum) skipped"),
    ("objection", D("2026-04-28"), D("2026-05-07"), "Liberation Day 2026 is a working day"),
    ("objection", D("2025-12-19"), D("2026-01-02"), "Christmas, Boxing Day, New Year skipped"),
]
RULES: dict[str, Callable[[dt.date], dt.date]] = {
    "reminder": lambda day: reminder_day(day, V21),
    "valid_until": lambda day: last_valid_day(day, V21.certificate.validity_years.value),
    "expiry": expiry_day,
    "decision_due_by": lambda day: last_timely_decision_day(day, V21),
    "decision_overdue": lambda day: decision_overdue_day(day, V21),
    "objection": lambda day: audit_plan_objection_last_day(day, V21),
}


@pytest.mark.parametrize(("rule", "day", "due", "why"), EDGES)
def test_every_deadline_falls_on_its_rules_day(
    rule: str, day: dt.date, due: dt.date, why: str
) -> None:
    """The due day of each deadline at its calendar edges."""
    assert RULES[rule](day) == due, why


def test_a_decision_on_29_february_is_valid_until_the_day_before_its_second_anniversary() -> None:
    """Decided 29 Feb 2028 (a leap year to come): valid 29 Feb 2028 to 27 Feb 2030; the reminder
    is due 27 Nov 2029, expiry on 28 Feb 2030."""
    s = scenario()
    app = s.reported()
    s.on("2028-02-29")
    number = s.register.decide_application(
        app, D("2028-02-29"), STAFF.because("late: test of the leap day")
    ).number
    assert number is not None
    cert = s.register.certificate(number)
    assert (cert.valid_from, cert.valid_until) == (D("2028-02-29"), D("2030-02-27"))
    assert reminder_day(cert.valid_until, V21) == D("2029-11-27")
