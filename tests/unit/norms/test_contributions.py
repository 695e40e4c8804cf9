"""The annual contribution: brackets of 2018 by audited total FTE, Cedris discount on 30+."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest

from norms.catalogue import SchemeCatalogue
from norms.contributions import quote_contribution
from norms.errors import NoVersionInForceError
from norms.provenance import Provenance, Sourced

# Each bracket bound with the rule beside it: lower bound inclusive [A] (2018.toml,
# lower_bound_inclusive), so a total FTE on a bound falls in the upper bracket.
BOUNDS = [
    ("1.5", "500", "2-25 FTE", "size 2 (1.5 rounded half up) is eligible: the lowest bracket"),
    ("1.99", "500", "2-25 FTE", "size 2, below the published bound: still the lowest bracket"),
    ("2", "500", "2-25 FTE", "2 is the lowest bracket's own lower bound"),
    ("24.99", "500", "2-25 FTE", "just below 25: the upper bound is exclusive"),
    ("25", "950", "25-50 FTE", "25 is the lower bound of 25-50, inclusive"),
    ("49.99", "950", "25-50 FTE", "just below 50"),
    ("50", "1500", "50-100 FTE", "50 is the lower bound of 50-100"),
    ("99.99", "1500", "50-100 FTE", "just below 100"),
    ("100", "2250", "100-250 FTE", "100 is the lower bound of 100-250"),
    ("249.99", "2250", "100-250 FTE", "just below 250"),
    ("250", "3500", "250-500 FTE", "250 is the lower bound of 250-500"),
    ("499.99", "3500", "250-500 FTE", "just below 500"),
    ("500", "4750", "500-1000 FTE", "500 is the lower bound of 500-1000"),
    ("999.99", "4750", "500-1000 FTE", "just below 1000"),
    ("1000", "5950", "1000+ FTE", "1000 is the lower bound of the open top bracket"),
    ("25000", "5950", "1000+ FTE", "the top bracket has no upper bound"),
]


@pytest.mark.parametrize(("total_fte", "amount", "bracket", "rule"), BOUNDS)
def test_the_bracket_is_chosen_by_audited_total_fte_with_inclusive_lower_bounds(
    catalogue: SchemeCatalogue, total_fte: str, amount: str, bracket: str, rule: str
) -> None:
    """The 2018 brackets, lower bound inclusive (assumed), still in force in 2026."""
    quote = quote_contribution(catalogue.schedule_in_force(dt.date(2026, 3, 1)), Decimal(total_fte))
    assert (quote.amount, quote.bracket) == (Decimal(amount), bracket), rule
    assert quote.payment_term_days == 30


@pytest.mark.parametrize(("bound", "below"), [("25", "500"), ("50", "950"), ("1000", "4750")])
def test_with_exclusive_lower_bounds_a_total_on_a_bound_falls_in_the_lower_bracket(
    catalogue: SchemeCatalogue, bound: str, below: str
) -> None:
    """The inclusive bound is data: a schedule that says otherwise moves each bound down."""
    schedule = catalogue.schedule_in_force(dt.date(2026, 3, 1))
    exclusive = dataclasses.replace(
        schedule,
        lower_bound_inclusive=Sourced(value=False, provenance=Provenance.provisional("test")),
    )
    assert quote_contribution(exclusive, Decimal(bound)).amount == Decimal(below)


def test_every_organisation_the_size_rule_admits_falls_in_a_bracket(
    catalogue: SchemeCatalogue,
) -> None:
    """The smallest eligible total FTE of every version gets a quote of every schedule."""
    for version in catalogue.versions:
        smallest = Decimal(version.size.min_eligible.value) - Decimal("0.5")
        assert version.size.is_eligible(smallest)
        assert not version.size.is_eligible(smallest - Decimal("0.01"))
        for schedule in catalogue.schedules:
            assert quote_contribution(schedule, smallest).bracket == "2-25 FTE"


def test_cedris_members_get_twenty_percent_off_a_pso30plus_contribution(
    catalogue: SchemeCatalogue,
) -> None:
    """50 FTE, 30+, Cedris member: 1500 - 300 = 1200; not a member or not 30+: 1500."""
    schedule = catalogue.schedule_in_force(dt.date(2025, 1, 1))
    both = quote_contribution(schedule, Decimal(50), pso30plus=True, cedris_member=True)
    assert (both.discount, both.amount) == (Decimal("300.00"), Decimal("1200.00"))
    assert quote_contribution(schedule, Decimal(50), cedris_member=True).amount == 1500


def test_no_contribution_before_2018(catalogue: SchemeCatalogue) -> None:
    """Before the first known schedule is a clear error."""
    with pytest.raises(NoVersionInForceError, match="2017-12-31"):
        catalogue.schedule_in_force(dt.date(2017, 12, 31))
