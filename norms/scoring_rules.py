"""How a handbook version turns figures into a result: the organisation's size and who is eligible,
the most one person may count for, the pass rule, the indirect cap and the counting window.

Each rule is a value of the handbook data (``{value, source}`` or ``{value, provisional = why}``),
so an assumption of this project is data that PSO staff can replace, never a constant in code.
Each rule also says when it was *decisive* for a declaration: when another reading of the rule
could have given another result. The assessment lists a provisional rule only then.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from fractions import Fraction

from norms.provenance import Sourced

#: how the total FTE may be rounded to a whole organisation size
ROUNDINGS = {
    "half_up": ROUND_HALF_UP,
    "half_even": ROUND_HALF_EVEN,
    "down": ROUND_FLOOR,
    "up": ROUND_CEILING,
}


@dataclass(frozen=True)
class SizeRule:
    """Organisation size (grootte): the total FTE rounded to a whole number of FTE.

    The size picks the norm row; an organisation whose size is below ``min_eligible`` is not
    eligible (refused at submission, never scored, never invoiced).
    """

    rounding: Sourced[str]
    min_eligible: Sourced[int]

    def size_of(self, total_fte: Decimal) -> int:
        """The whole size of an organisation with this total FTE."""
        return int(total_fte.to_integral_value(rounding=ROUNDINGS[self.rounding.value]))

    def is_eligible(self, total_fte: Decimal) -> bool:
        """True when the organisation is large enough for the scheme."""
        return self.size_of(total_fte) >= self.min_eligible.value

    def rounding_decisive(self, total_fte: Decimal, max_size: int) -> bool:
        """True when another rounding could pick another norm row (a fraction below the table's
        last row, which also holds for every larger size)."""
        return total_fte != total_fte.to_integral_value() and math.floor(total_fte) < max_size


def round_half_up_one_decimal(score: Fraction) -> Fraction:
    """A score rounded half up to one decimal, as the norm table prints its values."""
    return Fraction(math.floor(score * 10 + Fraction(1, 2)), 10)


#: how the total score may be compared with a norm (percent); the data names one of them
COMPARISONS: dict[str, Callable[[Fraction, Fraction], bool]] = {
    "at_least_unrounded": lambda score, norm: score >= norm,
    "at_least_rounded_one_decimal": lambda score, norm: round_half_up_one_decimal(score) >= norm,
    "above_unrounded": lambda score, norm: score > norm,
}


@dataclass(frozen=True)
class PassRule:
    """When a score meets a norm."""

    comparison: Sourced[str]

    def meets(self, score: Fraction, norm: Decimal) -> bool:
        """True when the score (percent) meets the norm (percent)."""
        return COMPARISONS[self.comparison.value](score, Fraction(norm))

    @staticmethod
    def decisive(score: Fraction, norm: Decimal) -> bool:
        """True when the readings of the pass rule disagree about this score and norm."""
        outcomes = {compare(score, Fraction(norm)) for compare in COMPARISONS.values()}
        return len(outcomes) > 1


#: how the limit on the indirect part of the score is applied
CAP_MECHANISMS = ("cap_indirect_share",)


@dataclass(frozen=True)
class IndirectRule:
    """The indirect contribution: at most a share of the total score, applied as a cap."""

    max_share_of_score: Sourced[Decimal]
    cap: Sourced[str]

    def capped(self, direct_share: Fraction, uncapped: Fraction) -> Fraction:
        """The indirect share after the cap: at most max/(1-max) times the direct share (4x for
        80%), so that the indirect part is at most ``max_share_of_score`` of the total."""
        limit = Fraction(self.max_share_of_score.value)
        return min(uncapped, direct_share * limit / (1 - limit))


#: how a counting window that ends inside the peiljaar counts the person's FTE
PRO_RATA = ("days",)


@dataclass(frozen=True)
class CountingWindowRule:
    """A target-group person counts only inside the window of their starting position and
    contract; a window that ends within the peiljaar counts part of the year."""

    pro_rata: Sourced[str]


@dataclass(frozen=True)
class PersonRule:
    """Limits on one declared person."""

    max_fte: Sourced[Decimal]

    def fte_decisive(self, fte: Decimal) -> bool:
        """True when the person counts for more than a full-time job: accepted only because the
        limit allows it."""
        return fte > 1
