"""Properties of the assessment that must hold for every declaration."""

from __future__ import annotations

import copy
from decimal import Decimal
from fractions import Fraction
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from norms.assessment import assess, highest_met, level_checks
from norms.bundled import bundled_catalogue
from norms.declaration import declaration_from_document
from tests.strategies import declarations, persons

CATALOGUE = bundled_catalogue()
versions = st.sampled_from(CATALOGUE.versions)


@given(
    versions,
    st.integers(2, 200),
    st.fractions(0, 60, max_denominator=10_000),
    st.fractions(0, 60, max_denominator=10_000),
    st.booleans(),
)
def test_a_higher_score_never_gives_a_lower_level(
    version: Any, size: int, a: Fraction, b: Fraction, qualitative: bool
) -> None:
    """For any size and version, the level is monotone in the score."""
    low, high = sorted((a, b))

    def rank(score: Fraction) -> int:
        checks = level_checks(version, size, score, qualitative_met=qualitative, has_direct=True)
        level = highest_met(checks)
        return -1 if level is None else level.rank

    assert rank(low) <= rank(high)


@given(versions, declarations(headroom=Decimal("1.5")), persons(min_size=1, max_size=1))
def test_adding_a_target_group_person_never_lowers_the_score(
    version: Any, doc: dict[str, Any], extra: list[dict[str, Any]]
) -> None:
    """Another target-group worker (total FTE unchanged) adds to the direct share, never less."""
    before = assess(declaration_from_document(doc), version)
    grown = {**doc, "persons": [*doc["persons"], {**extra[0], "ref": "NEW"}]}
    after = assess(declaration_from_document(grown), version)
    assert after.total_score >= before.total_score
    assert after.direct_share >= before.direct_share


@given(versions, declarations())
def test_the_indirect_part_never_exceeds_80_percent_of_the_total(
    version: Any, doc: dict[str, Any]
) -> None:
    """After the cap, indirect share <= 0.8 x (direct share + indirect share)."""
    a = assess(declaration_from_document(doc), version)
    assert a.indirect_share <= Fraction(4, 5) * (a.direct_share + a.indirect_share)
    assert a.indirect_share <= a.indirect_share_uncapped


@given(versions, declarations(), st.randoms(use_true_random=False))
def test_results_do_not_depend_on_the_order_of_persons_or_purchases(
    version: Any, doc: dict[str, Any], random: Any
) -> None:
    """Shuffling persons and purchases gives exactly the same score and level."""
    shuffled = copy.deepcopy(doc)
    random.shuffle(shuffled["persons"])
    random.shuffle(shuffled["purchases"])
    a = assess(declaration_from_document(doc), version)
    b = assess(declaration_from_document(shuffled), version)
    assert (a.direct_fte, a.indirect_fte, a.total_score, a.level) == (
        b.direct_fte,
        b.indirect_fte,
        b.total_score,
        b.level,
    )
    assert a.pso30plus == b.pso30plus
