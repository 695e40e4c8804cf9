"""One worked example per rule of PSO-RULES.md section 2, numbers written out."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from norms.assessment import assess
from norms.catalogue import SchemeCatalogue
from norms.errors import DeclarationError, NotEligibleError
from norms.levels import Level
from tests.unit.norms.builders import declaration, person, purchase


def test_direct_fte_multiplies_fte_by_starting_position_and_contract_weights(
    catalogue: SchemeCatalogue,
) -> None:
    """1.0 x 1 x 1 + 0.8 x 0.75 (WW) x 0.9 (secondment) + 1.0 x 0.25 (BBL 2) x 0.75 = 1.7875."""
    d = declaration(
        "40",
        [
            person("A", "1.0", "wajong", "regular"),
            person("B", "0.8", "ww", "secondment"),
            person("C", "1.0", "bbl_bol_2", "internship", intake_date="2024-09-01"),
        ],
    )
    a = assess(d, catalogue.version("2.1"))
    assert [p.weighted_fte for p in a.persons] == [
        Fraction(1),
        Fraction("0.54"),
        Fraction("0.1875"),
    ]
    assert a.direct_fte == Fraction("1.7275")
    assert a.direct_share == Fraction("1.7275") / 40  # 4.31875 %
    assert a.total_score == Fraction("4.31875")
    # size 40: trede 1 3.7, trede 2 5.1 -> trede 1
    assert a.level is Level.TREDE_1


def test_a_participatiewet_person_counts_only_for_the_days_inside_five_years_from_intake(
    catalogue: SchemeCatalogue,
) -> None:
    """Intake 2020-07-01: the window ends 2025-07-01, so 181 of 365 days of peiljaar 2025 count."""
    d = declaration(
        "20", [person("A", "1.0", "participatiewet", intake_date="2020-07-01")], peiljaar=2025
    )
    a = assess(d, catalogue.version("2.1"))
    assert a.persons[0].window_factor == Fraction(181, 365)
    assert a.direct_fte == Fraction(181, 365)
    assert "counting_window.pro_rata" in dict(a.provisional)


def test_a_window_that_ended_before_the_peiljaar_counts_nothing(catalogue: SchemeCatalogue) -> None:
    """Participatiewet intake 2018-01-01 counts until 2023-01-01: nothing in peiljaar 2024."""
    d = declaration(
        "20", [person("A", "1.0", "participatiewet", intake_date="2018-01-01")], peiljaar=2024
    )
    a = assess(d, catalogue.version("2.1"))
    assert a.direct_fte == 0
    assert a.level is None


def test_an_internship_counts_at_most_three_years_from_its_start(
    catalogue: SchemeCatalogue,
) -> None:
    """Wajong on an internship since 2022-01-01 stops counting on 2025-01-01: zero in 2025."""
    d = declaration("20", [person("A", "1.0", "wajong", "internship", "2022-01-01")])
    assert assess(d, catalogue.version("2.1")).direct_fte == 0


def test_indirect_fte_converts_purchases_pro_rata_to_the_suppliers_target_group_fte(
    catalogue: SchemeCatalogue,
) -> None:
    """50,000 / 1,000,000 x 20 FTE x 0.30 = 0.3 FTE; share = 0.3 / (50 + 0.3) = 0.005964..."""
    d = declaration("50", [person("A", "1.5")], [purchase("50000")])
    a = assess(d, catalogue.version("2.1"))
    assert a.indirect_fte == Fraction("0.3")
    assert a.indirect_share == Fraction("0.3") / Fraction("50.3")
    # direct 1.5 / 50 = 3 %; total 3.5964 % -> trede 1 (3.0), not trede 2 (3.7)
    assert a.level is Level.TREDE_1


def test_the_indirect_share_is_capped_at_four_times_the_direct_share(
    catalogue: SchemeCatalogue,
) -> None:
    """Direct 0.5/50 = 1 %; indirect 10/60 = 16.7 % uncapped, capped to 4 %: total 5 %."""
    d = declaration("50", [person("A", "0.5")], [purchase("1000000", "1000000", "20", "0.5")])
    a = assess(d, catalogue.version("2.1"))
    assert a.indirect_fte == 10
    assert a.indirect_share_uncapped == Fraction(10, 60)
    assert a.indirect_share == Fraction("0.04")
    assert a.total_score == 5
    assert a.indirect_share / (a.direct_share + a.indirect_share) == Fraction("0.8")


def test_without_a_target_group_person_purchases_alone_score_nothing(
    catalogue: SchemeCatalogue,
) -> None:
    """A direct contribution exists only if someone works there; the cap then removes indirect."""
    d = declaration("10", [], [purchase("1000000")])
    a = assess(d, catalogue.version("2.1"))
    assert a.indirect_fte == 6
    assert a.total_score == 0
    assert a.level is None


def test_the_unrounded_score_is_compared_with_the_norm(catalogue: SchemeCatalogue) -> None:
    """2.998 % would print as 3.0 but does not meet a 3.0 norm (size 50, trede 1)."""
    d = declaration("50", [person("A", "1.499")])
    a = assess(d, catalogue.version("1.9"))
    assert a.total_score == Fraction("2.998")
    assert a.level is None


def test_all_four_qualitative_criteria_are_needed_for_a_trede(catalogue: SchemeCatalogue) -> None:
    """A score high enough for trede 3 gives no trede when begeleiding is not met."""
    verdicts = {
        "passend_werk": True,
        "integratie": True,
        "functioneren_en_ontwikkeling": True,
        "begeleiding": False,
    }
    d = declaration("10", [person("A", "1.5"), person("B", "1.0")], qualitative=verdicts)
    a = assess(d, catalogue.version("2.1"))
    assert a.total_score == 25
    assert all(c.score_met for c in a.checks)
    assert a.level is None


def test_basistrede_exists_only_from_handbook_2_1(catalogue: SchemeCatalogue) -> None:
    """Size 50, score 2 %: basistrede (1.5, provisional) under 2.1; nothing under 2.0."""
    d = declaration("50", [person("A", "1.0")])
    assert assess(d, catalogue.version("2.1")).level is Level.BASISTREDE
    assert assess(d, catalogue.version("2.0")).level is None


def test_pso30plus_needs_trede_3_and_thirty_percent_counted_without_bbl_levels_1_and_2(
    catalogue: SchemeCatalogue,
) -> None:
    """10 FTE with 3.0 target-group FTE: 30+ only when none of the 3.0 is BBL/BOL level 1-2."""
    counted = [person("A", "1.0"), person("B", "1.0"), person("C", "1.0")]
    with_bbl = [person("A", "1.0"), person("B", "1.0"), person("C", "1.0", "bbl_bol_1")]
    yes = assess(declaration("10", counted), catalogue.version("2.1"))
    no = assess(declaration("10", [*with_bbl, person("D", "0.5")]), catalogue.version("2.1"))
    assert yes.level is Level.TREDE_3
    assert yes.pso30plus.eligible
    assert no.level is Level.TREDE_3  # 3.0 x ... = 3.0 weighted FTE, still above 15.5 %
    assert no.pso30plus.target_group_share == Fraction("2.5") / 10
    assert not no.pso30plus.eligible


def test_aspirant_needs_a_complete_board_approved_plan_and_no_trede(
    catalogue: SchemeCatalogue,
) -> None:
    """The four parts of the plan of approach plus board approval give aspirant."""
    parts = [
        "doelstelling",
        "creeren_draagvlak",
        "aanpassen_werving_selectie",
        "functies_beschikbaar",
    ]
    complete = {"parts": parts, "approved_by_board": True}
    missing = {"parts": parts[:3], "approved_by_board": True}
    version = catalogue.version("2.1")
    assert assess(declaration("30", plan_of_approach=complete), version).level is Level.ASPIRANT
    assert assess(declaration("30", plan_of_approach=missing), version).level is None
    climbing = declaration("30", [person("A", "1.5")], plan_of_approach=complete)
    assert assess(climbing, version).level is Level.TREDE_1


def test_size_is_total_fte_rounded_half_up_and_below_two_is_not_eligible(
    catalogue: SchemeCatalogue,
) -> None:
    """1.5 FTE is size 2 (eligible); 1.49 FTE is size 1 (not eligible)."""
    version = catalogue.version("2.1")
    assert assess(declaration("1.5", [person("A", "0.5")]), version).size == 2
    assert assess(declaration("104.5", [person("A", "0.5")]), version).norm_row == 105
    with pytest.raises(NotEligibleError, match="size 1"):
        assess(declaration("1.49", [person("A", "0.5")]), version)


def test_sw_companies_are_refused_until_their_formula_is_supplied(
    catalogue: SchemeCatalogue,
) -> None:
    """The separate SW calculation is not published; an SW company gets a clear error."""
    d = declaration("100", [person("A", "1.0", "wsw")], organisation_kind="sw_company")
    with pytest.raises(NotEligibleError, match="SW companies"):
        assess(d, catalogue.version("2.1"))


@pytest.mark.parametrize(
    ("position", "version", "first"),
    [("temporary_protection", "2.0", "2.1"), ("bbl_bol_3_4", "1.8", "1.9")],
)
def test_starting_positions_count_only_from_the_version_that_introduced_them(
    catalogue: SchemeCatalogue, position: str, version: str, first: str
) -> None:
    """A starting position unknown to the version is refused, naming the person's field."""
    d = declaration("20", [person("A", "1.0", position, intake_date="2024-03-01")])
    with pytest.raises(DeclarationError, match=r"persons\[0\]\.starting_position"):
        assess(d, catalogue.version(version))
    assert assess(d, catalogue.version(first)).direct_fte > 0


def test_bbl_bol_weights_keep_their_old_values_marked_provisional_from_1_9(
    catalogue: SchemeCatalogue,
) -> None:
    """Raised in 1.9 but not supplied: 0.5 and 0.25 stay, and the assessment says it is assumed."""
    d = declaration("20", [person("A", "1.0", "bbl_bol_1", intake_date="2025-01-01")])
    a = assess(d, catalogue.version("2.1"))
    assert a.persons[0].starting_weight.value == Decimal("0.5")
    assert "starting_positions.bbl_bol_1.weight" in dict(a.provisional)
