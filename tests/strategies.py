"""Hypothesis strategies for declarations in the public JSON form."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

from norms.handbook import CONTRACTS, STARTING_POSITIONS

# Positions and contracts every bundled version knows (the newer ones are tested by example).
POSITIONS = [p for p in STARTING_POSITIONS if p not in ("temporary_protection", "bbl_bol_3_4")]

fte = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("1.5"), places=2)
money = st.decimals(min_value=Decimal(0), max_value=Decimal(500_000), places=2)


@st.composite
def persons(draw: st.DrawFn, min_size: int = 0, max_size: int = 12) -> list[dict[str, Any]]:
    """Target-group persons with distinct opaque references."""
    count = draw(st.integers(min_size, max_size))
    return [
        {
            "ref": f"R{i}",
            "starting_position": draw(st.sampled_from(POSITIONS)),
            "intake_date": draw(st.dates(dt.date(2015, 1, 1), dt.date(2025, 12, 31))).isoformat(),
            "contract": draw(st.sampled_from(CONTRACTS)),
            "fte": str(draw(fte)),
        }
        for i in range(count)
    ]


@st.composite
def purchases(draw: st.DrawFn, max_size: int = 5) -> list[dict[str, Any]]:
    """Purchases from certified suppliers (amount never above turnover)."""
    result = []
    for _ in range(draw(st.integers(0, max_size))):
        turnover = draw(st.decimals(min_value=Decimal(100_000), max_value=Decimal(10**7), places=0))
        result.append(
            {
                "supplier_kvk": draw(st.from_regex(r"\A[0-9]{8}\Z")),
                "supplier_turnover": str(turnover),
                "supplier_total_fte": str(draw(st.decimals(Decimal(2), Decimal(500), places=1))),
                "supplier_direct_share": str(draw(st.decimals(Decimal(0), Decimal(1), places=3))),
                "amount": str(min(draw(money), turnover)),
            }
        )
    return result


@st.composite
def declarations(draw: st.DrawFn, headroom: Decimal = Decimal(0)) -> dict[str, Any]:
    """A valid peiljaar-2025 declaration; total FTE leaves ``headroom`` above the persons' FTE."""
    people = draw(persons())
    declared = sum((Decimal(p["fte"]) for p in people), Decimal(0))
    extra = draw(st.decimals(min_value=Decimal(2), max_value=Decimal(300), places=1))
    verdict = draw(st.booleans())
    return {
        "peiljaar": 2025,
        "total_fte": str(declared + headroom + extra),
        "persons": people,
        "purchases": draw(purchases()),
        "qualitative": {
            "passend_werk": True,
            "integratie": True,
            "functioneren_en_ontwikkeling": True,
            "begeleiding": verdict,
        },
    }
