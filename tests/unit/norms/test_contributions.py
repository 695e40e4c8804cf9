"""The annual contribution: brackets of 2018 by audited total FTE, Cedris discount on 30+."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from norms.catalogue import SchemeCatalogue
from norms.contributions import quote_contribution
from norms.errors import NotEligibleError, NoVersionInForceError


@pytest.mark.parametrize(
    ("total_fte", "amount", "bracket"),
    [
        ("2", "500", "2-25 FTE"),
        ("24.9", "500", "2-25 FTE"),
        ("25", "950", "25-50 FTE"),
        ("99.99", "1500", "50-100 FTE"),
        ("100", "2250", "100-250 FTE"),
        ("250", "3500", "250-500 FTE"),
        ("999", "4750", "500-1000 FTE"),
        ("1000", "5950", "1000+ FTE"),
        ("25000", "5950", "1000+ FTE"),
    ],
)
def test_the_bracket_is_chosen_by_audited_total_fte_with_inclusive_lower_bounds(
    catalogue: SchemeCatalogue, total_fte: str, amount: str, bracket: str
) -> None:
    """The 2018 brackets, lower bound inclusive (assumed), still in force in 2026."""
    quote = quote_contribution(catalogue.schedule_in_force(dt.date(2026, 3, 1)), Decimal(total_fte))
    assert quote.amount == Decimal(amount)
    assert quote.bracket == bracket
    assert quote.payment_term_days == 30


def test_cedris_members_get_twenty_percent_off_a_pso30plus_contribution(
    catalogue: SchemeCatalogue,
) -> None:
    """50 FTE, 30+, Cedris member: 1500 - 300 = 1200; not a member or not 30+: 1500."""
    schedule = catalogue.schedule_in_force(dt.date(2025, 1, 1))
    both = quote_contribution(schedule, Decimal(50), pso30plus=True, cedris_member=True)
    assert (both.discount, both.amount) == (Decimal("300.00"), Decimal("1200.00"))
    assert quote_contribution(schedule, Decimal(50), cedris_member=True).amount == 1500


def test_no_contribution_below_two_fte_or_before_2018(catalogue: SchemeCatalogue) -> None:
    """Below the lowest bracket and before the first known schedule are clear errors."""
    with pytest.raises(NotEligibleError, match="below the lowest contribution bracket"):
        quote_contribution(catalogue.schedule_in_force(dt.date(2025, 1, 1)), Decimal("1.9"))
    with pytest.raises(NoVersionInForceError, match="2017-12-31"):
        catalogue.schedule_in_force(dt.date(2017, 12, 31))
