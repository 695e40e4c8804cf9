"""The annual contribution: year 1 at the decision, year 2 at the first anniversary, paid once."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from domain.errors import InvalidInputError, InvalidTransitionError
from domain.values import Cause, Role
from tests.scenarios import MAIN_KVK, STAFF, scenario

SCHEDULER = Cause("scheduler", Role.SCHEDULER, "sweep")


def test_year_one_is_invoiced_at_the_decision_by_the_bracket_of_the_audited_fte() -> None:
    """50 FTE falls in the 50-100 bracket: EUR 1,500, due 30 days after the decision."""
    s = scenario()
    number = s.certified()
    participation = s.register.participation(number)
    assert participation.invoices == {1: (Decimal(1500), dt.date(2025, 4, 30))}


def test_year_two_is_invoiced_once_from_the_first_anniversary() -> None:
    """Not before 31 March 2026; then exactly once."""
    s = scenario()
    number = s.certified()
    assert s.register.invoice_contribution_year_two(number, SCHEDULER) is False
    s.later(400)
    assert s.register.invoice_contribution_year_two(number, SCHEDULER) is True
    assert s.register.invoice_contribution_year_two(number, SCHEDULER) is False
    assert set(s.register.participation(number).invoices) == {1, 2}


def test_a_contribution_is_paid_at_most_once() -> None:
    """A second payment of the same year is refused."""
    s = scenario()
    number = s.certified()
    s.on("2025-04-11")
    s.register.record_contribution_payment(number, 1, dt.date(2025, 4, 10), STAFF)
    with pytest.raises(InvalidTransitionError, match="already paid on 2025-04-10"):
        s.register.record_contribution_payment(number, 1, dt.date(2025, 4, 11), STAFF)
    with pytest.raises(InvalidTransitionError, match="not invoiced"):
        s.register.record_contribution_payment(number, 2, dt.date(2025, 4, 11), STAFF)


def test_an_unpaid_contribution_becomes_overdue_once_after_its_term() -> None:
    """Due 30 April 2025: not overdue on the day, overdue after it, once; never when paid."""
    s = scenario()
    number = s.certified()
    assert s.register.mark_contribution_overdue(number, 1, SCHEDULER) is False
    s.later(40)
    assert s.register.mark_contribution_overdue(number, 1, SCHEDULER) is True
    assert s.register.mark_contribution_overdue(number, 1, SCHEDULER) is False
    s.on("2025-05-20")
    s.register.record_contribution_payment(number, 1, dt.date(2025, 5, 20), STAFF)
    assert s.register.participation(number).paid == {1: dt.date(2025, 5, 20)}


def test_a_discount_needs_a_reason_and_must_lower_the_amount() -> None:
    """Staff may lower an unpaid invoice with a reason."""
    s = scenario()
    number = s.certified()
    with pytest.raises(InvalidInputError, match="needs a reason"):
        s.register.discount_contribution(
            number, 1, Decimal(1200), Cause("staff-anna", Role.STAFF, "c")
        )
    with pytest.raises(InvalidInputError, match="below the current 1500"):
        s.register.discount_contribution(number, 1, Decimal(1600), STAFF)
    s.register.discount_contribution(number, 1, Decimal(1200), STAFF.because("Cedris member"))
    assert s.register.participation(number).invoices[1][0] == Decimal(1200)


def test_cedris_membership_is_recorded_once_per_change() -> None:
    """Recording the same membership twice is refused, naming the organisation."""
    s = scenario()
    s.registered()
    s.register.record_cedris_membership(MAIN_KVK, STAFF, member=True)
    with pytest.raises(InvalidTransitionError, match="already recorded as a member"):
        s.register.record_cedris_membership(MAIN_KVK, STAFF, member=True)


def test_a_payment_that_states_another_amount_than_due_is_refused() -> None:
    """1,000 against 1,500 due is refused and nothing is recorded; the amount due is accepted."""
    s = scenario()
    number = s.certified()
    s.on("2025-04-05")
    with pytest.raises(InvalidInputError, match=r"1000 differs from the 1500\.00 due for year 1"):
        s.register.record_contribution_payment(number, 1, dt.date(2025, 4, 5), STAFF, Decimal(1000))
    assert s.register.participation(number).paid == {}
    s.register.record_contribution_payment(
        number, 1, dt.date(2025, 4, 5), STAFF, Decimal("1500.00")
    )
    assert s.register.participation(number).paid == {1: dt.date(2025, 4, 5)}


def test_a_payment_dated_before_its_invoice_is_refused_so_it_can_be_recorded_right() -> None:
    """Year 1 is invoiced at the decision (31 March 2025): a payment of 1 March is a typing
    error, refused before it closes the year for good."""
    s = scenario()
    number = s.certified()
    with pytest.raises(InvalidInputError, match=r"lies before year 1 was invoiced \(2025-03-31\)"):
        s.register.record_contribution_payment(number, 1, dt.date(2025, 3, 1), STAFF)
    assert s.register.participation(number).paid == {}
