"""The JSON form of an assessment: what ``pso score`` prints and a decision stores."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from norms.assessment import Assessment, LevelCheck, PersonContribution

SHARE_PLACES = Decimal("0.000001")
SCORE_PLACES = Decimal("0.0001")
FTE_PLACES = Decimal("0.0001")


def show(value: Fraction, places: Decimal) -> str:
    """An exact fraction as a decimal string rounded half up, for display only."""
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return str(exact.quantize(places, rounding=ROUND_HALF_UP))


def assessment_document(a: Assessment) -> dict[str, Any]:
    """Every figure of the assessment with the rule, weight and norm row behind it."""
    version = a.version
    return {
        "handbook_version": version.version,
        "handbook_effective_from": version.effective_from.value.isoformat(),
        "peiljaar": a.declaration.peiljaar,
        "total_fte": str(a.declaration.total_fte),
        "size_fte": a.size,
        "norm_row": a.norm_row,
        "direct_fte": show(a.direct_fte, FTE_PLACES),
        "direct_share": show(a.direct_share, SHARE_PLACES),
        "indirect_fte": show(a.indirect_fte, FTE_PLACES),
        "indirect_share_uncapped": show(a.indirect_share_uncapped, SHARE_PLACES),
        "indirect_share": show(a.indirect_share, SHARE_PLACES),
        "indirect_capped": a.indirect_share < a.indirect_share_uncapped,
        "total_score": show(a.total_score, SCORE_PLACES),
        "norms": {c.level.value: str(c.norm) for c in a.checks},
        "levels": [_check(c) for c in a.checks],
        "qualitative": {**a.declaration.qualitative, "all_met": a.qualitative_met},
        "aspirant_plan_complete": a.aspirant_plan_complete,
        "level": a.level.value if a.level else None,
        "pso30plus": a.pso30plus.eligible,
        "pso30plus_check": {
            "trede_3": a.pso30plus.trede_3,
            "counted_target_group_fte": show(a.pso30plus.counted_fte, FTE_PLACES),
            "target_group_share": show(a.pso30plus.target_group_share, SHARE_PLACES),
            "min_target_group_share": str(a.pso30plus.min_share),
            "min_total_fte_met": a.pso30plus.large_enough,
        },
        "persons": [_person(p) for p in a.persons],
        "purchases": [
            {
                "supplier_kvk": b.purchase.supplier_kvk,
                "amount": str(b.purchase.amount),
                "target_group_fte": show(b.fte, FTE_PLACES),
            }
            for b in a.purchases
        ],
        "provisional": [{"value": path, "why": why} for path, why in a.provisional],
    }


def _check(c: LevelCheck) -> dict[str, Any]:
    return {
        "level": c.level.value,
        "norm": str(c.norm),
        "norm_provisional": c.norm_provenance.is_provisional,
        "score_met": c.score_met,
        "qualitative_required": c.qualitative_required,
        "met": c.met,
    }


def _person(p: PersonContribution) -> dict[str, Any]:
    return {
        "ref": p.person.ref,
        "starting_position": p.person.starting_position,
        "starting_weight": str(p.starting_weight.value),
        "contract": p.person.contract,
        "contract_weight": str(p.contract_weight.value),
        "fte": str(p.person.fte),
        "window_factor": show(p.window_factor, SHARE_PLACES),
        "weighted_fte": show(p.weighted_fte, FTE_PLACES),
    }
