"""Granting: what a decision may give on an assessment (one pure function for the decision and
an upheld objection)."""

from __future__ import annotations

import pytest

from norms.assessment import Assessment, assess
from norms.catalogue import SchemeCatalogue
from norms.declaration import PLAN_PARTS, PlanOfApproach
from norms.granting import Grant, NotGrantableError, ReasonNeededError, grant
from norms.levels import Level
from tests.unit.norms.builders import declaration, person


def trede_3(catalogue: SchemeCatalogue, *, pso30plus: bool) -> Assessment:
    """10 FTE with 3.0 target-group FTE: trede 3, with 30+ unless one counts as BBL level 1."""
    third = person("C", "1.0", "bbl_bol_1") if not pso30plus else person("C", "1.0")
    people = [person("A", "1.0"), person("B", "1.0"), third]
    if not pso30plus:
        people.append(person("D", "0.5"))
    return assess(declaration("10", people), catalogue.version("2.1"))


def test_without_a_level_asked_the_supported_level_is_granted_with_30plus_when_supported(
    catalogue: SchemeCatalogue,
) -> None:
    """Trede 3 with 30+ figures: trede 3 and the flag; without 30+ figures: no flag."""
    assert grant(trede_3(catalogue, pso30plus=True)) == Grant(Level.TREDE_3, pso30plus=True)
    assert grant(trede_3(catalogue, pso30plus=False)) == Grant(Level.TREDE_3, pso30plus=False)


def test_staff_may_withhold_30plus_but_never_grant_it_against_the_figures(
    catalogue: SchemeCatalogue,
) -> None:
    """pso30plus False withholds the flag; True without the figures is refused."""
    supported = trede_3(catalogue, pso30plus=True)
    assert grant(supported, pso30plus=False) == Grant(Level.TREDE_3, pso30plus=False)
    with pytest.raises(NotGrantableError, match="do not support PSO 30"):
        grant(trede_3(catalogue, pso30plus=False), pso30plus=True)


def test_a_lower_level_needs_a_reason_and_a_higher_one_is_refused(
    catalogue: SchemeCatalogue,
) -> None:
    """Trede 1 below the supported trede 3 is granted with a reason (never with 30+); a level
    above the supported one is refused whatever the reason."""
    supported = trede_3(catalogue, pso30plus=True)
    with pytest.raises(ReasonNeededError, match="granting trede_1 below the supported trede_3"):
        grant(supported, Level.TREDE_1)
    lower = grant(supported, Level.TREDE_1, reasoned=True)
    assert lower == Grant(Level.TREDE_1, pso30plus=False, below_supported=True)
    small = assess(declaration("30", [person("A", "1.5")]), catalogue.version("2.1"))
    with pytest.raises(NotGrantableError, match="exceeds what the audited figures support"):
        grant(small, Level.TREDE_3, reasoned=True)


def test_aspirant_needs_the_complete_plan_and_no_figures_means_no_grant(
    catalogue: SchemeCatalogue,
) -> None:
    """With the plan's four parts approved by the board aspirant is granted; without a plan and
    without a level the figures support, nothing is (a refusal)."""
    plan = PlanOfApproach.of(dict.fromkeys(PLAN_PARTS, True), approved_by_board=True)
    version = catalogue.version("2.1")
    aspirant = assess(declaration("30", plan_of_approach=plan.to_document()), version)
    assert grant(aspirant) == Grant(Level.ASPIRANT, pso30plus=False)
    nothing = assess(declaration("30"), version)
    assert grant(nothing) is None
    with pytest.raises(NotGrantableError, match="complete, board-approved plan"):
        grant(nothing, Level.ASPIRANT)
