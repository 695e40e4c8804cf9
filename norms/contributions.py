"""The annual contribution (jaarbijdrage) to PSO-Nederland: brackets by audited total FTE.

The brackets never refuse anyone: the lowest bracket starts where the scheme starts. Who is
eligible is the handbook's size rule (``size`` in the handbook data, `norms.assessment.
eligible_size`), applied at submission; so every decided organisation falls in a bracket, also
one of 1.5 FTE (size 2) below the lowest bracket's published bound of 2 FTE.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from norms.errors import HandbookError
from norms.provenance import Provenance, Sourced
from norms.reading import DocumentReader, UnreadableError

CENT = Decimal("0.01")


@dataclass(frozen=True)
class Bracket:
    """From ``from_fte`` up to the next bracket's lower bound; the schedule says which bound
    belongs to the bracket (``lower_bound_inclusive``)."""

    from_fte: Decimal
    until_fte: Decimal | None
    amount: Sourced[Decimal]

    @property
    def label(self) -> str:
        """How staff read a bracket, e.g. ``25-50 FTE``."""
        lower = f"{self.from_fte.normalize():f}"
        if self.until_fte is None:
            return f"{lower}+ FTE"
        return f"{lower}-{self.until_fte.normalize():f} FTE"


@dataclass(frozen=True)
class ContributionSchedule:
    """The brackets in force from a date (set per calendar year), with payment terms."""

    effective_from: Sourced[dt.date]
    brackets: tuple[Bracket, ...]
    lower_bound_inclusive: Sourced[bool]
    payment_term_days: Sourced[int]
    cedris_pso30plus_discount: Sourced[Decimal]
    document: Mapping[str, Any] = field(repr=False, compare=False)


@dataclass(frozen=True)
class ContributionQuote:
    """What an organisation owes for one contribution year, and why."""

    schedule_effective_from: dt.date
    bracket: str
    base_amount: Decimal
    discount: Decimal
    amount: Decimal
    payment_term_days: int
    provenance: tuple[Provenance, ...]


def schedule_from_document(doc: Mapping[str, Any]) -> ContributionSchedule:
    """Parse a contribution schedule document; raise `HandbookError` naming every problem."""
    r = DocumentReader()
    try:
        raw = [r.mapping(b, f"brackets[{i}]") for i, b in enumerate(r.items(doc["brackets"], "x"))]
        lowers = [
            r.decimal(b.get("from_fte"), f"brackets[{i}].from_fte") for i, b in enumerate(raw)
        ]
        if not lowers:
            raise r.fail("brackets", "must hold at least one bracket")
        if lowers != sorted(set(lowers)):
            raise r.fail("brackets", "lower bounds must rise strictly")
        uppers: list[Decimal | None] = [*lowers[1:], None]
        brackets = tuple(
            Bracket(low, high, r.sourced(b, "amount_eur", f"brackets[{i}]", r.decimal))
            for i, (b, low, high) in enumerate(zip(raw, lowers, uppers, strict=True))
        )
        schedule = ContributionSchedule(
            effective_from=r.sourced(doc, "effective_from", "", r.date),
            brackets=brackets,
            lower_bound_inclusive=r.sourced(doc, "lower_bound_inclusive", "", r.boolean),
            payment_term_days=r.sourced(doc, "payment_term_days", "", r.integer),
            cedris_pso30plus_discount=r.sourced(doc, "cedris_pso30plus_discount", "", r.decimal),
            document=doc,
        )
    except (UnreadableError, KeyError):
        schedule = None
    if r.problems or schedule is None:
        raise HandbookError(r.problems)
    return schedule


def quote_contribution(
    schedule: ContributionSchedule,
    total_fte: Decimal,
    *,
    pso30plus: bool = False,
    cedris_member: bool = False,
) -> ContributionQuote:
    """The contribution for one year by audited total FTE; Cedris members get a discount on 30+.

    A total FTE on a bound between two brackets falls in the upper one when lower bounds are
    inclusive, else in the lower one; below the lowest bound, in the lowest bracket (see above).
    """
    bracket = bracket_for(schedule, total_fte)
    base = bracket.amount.value
    rate = schedule.cedris_pso30plus_discount.value if (pso30plus and cedris_member) else Decimal(0)
    discount = (base * rate).quantize(CENT)
    return ContributionQuote(
        schedule_effective_from=schedule.effective_from.value,
        bracket=bracket.label,
        base_amount=base,
        discount=discount,
        amount=base - discount,
        payment_term_days=schedule.payment_term_days.value,
        provenance=(
            bracket.amount.provenance,
            schedule.lower_bound_inclusive.provenance,
            schedule.payment_term_days.provenance,
        ),
    )


def bracket_for(schedule: ContributionSchedule, total_fte: Decimal) -> Bracket:
    """The bracket an organisation of this audited total FTE falls in."""
    inclusive = schedule.lower_bound_inclusive.value
    above = [
        b
        for b in schedule.brackets[1:]
        if (total_fte >= b.from_fte if inclusive else total_fte > b.from_fte)
    ]
    return above[-1] if above else schedule.brackets[0]
