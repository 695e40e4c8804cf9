"""When each time-driven step falls due: one rule per deadline, used by the commands that act
on it and by the deadlines read model that lists it.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from norms.calendar import add_months, add_years
from norms.handbook import HandbookVersion

ONE_DAY = dt.timedelta(days=1)


class DeadlineKind(StrEnum):
    """Every kind of deadline the scheduler acts on; the subject of each is a certificate number,
    an application id or a contribution year (``ContributionYear``)."""

    CERTIFICATE_EXPIRY = "certificate_expiry"
    ASPIRANT_EXPIRY = "aspirant_expiry"
    RENEWAL_REMINDER = "renewal_reminder"
    CONTRIBUTION_YEAR_TWO = "contribution_year_two"
    CONTRIBUTION_OVERDUE = "contribution_overdue"
    DECISION_OVERDUE = "decision_overdue"
    DECISION_FINAL = "decision_final"


def last_valid_day(valid_from: dt.date, years: int) -> dt.date:
    """A certificate is valid up to and including the day before the anniversary of its first day
    (for 29 February the anniversary in a common year is 28 February, as `add_years` clips)."""
    return add_years(valid_from, years) - ONE_DAY


def expiry_day(valid_until: dt.date) -> dt.date:
    """A certificate ends on the day after its last valid day."""
    return valid_until + ONE_DAY


def reminder_day(valid_until: dt.date, version: HandbookVersion) -> dt.date:
    """The renewal reminder goes out the version's lead time before the end of validity."""
    return add_months(valid_until, -version.certificate.reminder_months_before_expiry.value)


def audit_plan_objection_last_day(submission_date: dt.date, version: HandbookVersion) -> dt.date:
    """The last day to object to the audit plan: the version's number of working days (by its
    working-day calendar) after the definitive application."""
    days = version.procedure.audit_plan_objection_working_days.value
    return version.working_days.add(submission_date, days)


def last_timely_decision_day(audit_date: dt.date, version: HandbookVersion) -> dt.date:
    """The last day of the lead time for the decision: the version's months after the audit
    (31 January + 1 month = 28/29 February)."""
    return add_months(audit_date, version.procedure.decision_months_after_audit.value)


def decision_overdue_day(audit_date: dt.date, version: HandbookVersion) -> dt.date:
    """A decision is overdue from the day after the lead time after the audit."""
    return last_timely_decision_day(audit_date, version) + ONE_DAY


def decision_final_day(decision_date: dt.date, version: HandbookVersion) -> dt.date:
    """Without an objection, a decision is final the day after its objection window closed."""
    return (
        decision_date + dt.timedelta(weeks=version.procedure.board_objection_weeks.value) + ONE_DAY
    )


def contribution_overdue_day(due_date: dt.date) -> dt.date:
    """An unpaid contribution is overdue from the day after its payment term."""
    return due_date + ONE_DAY
