"""Small builders for declarations in tests, in the public JSON form."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from norms.declaration import Declaration, declaration_from_document

ALL_MET = {
    "passend_werk": True,
    "integratie": True,
    "functioneren_en_ontwikkeling": True,
    "begeleiding": True,
}


def person(
    ref: str,
    fte: str | Decimal,
    starting_position: str = "wajong",
    contract: str = "regular",
    intake_date: str = "2020-01-01",
) -> dict[str, Any]:
    """One target-group person."""
    return {
        "ref": ref,
        "starting_position": starting_position,
        "intake_date": intake_date,
        "contract": contract,
        "fte": str(fte),
    }


def purchase(
    amount: str, turnover: str = "1000000", total_fte: str = "20", share: str = "0.30"
) -> dict[str, Any]:
    """Purchases from one certified supplier."""
    return {
        "supplier_kvk": "12345678",
        "supplier_turnover": turnover,
        "supplier_total_fte": total_fte,
        "supplier_direct_share": share,
        "amount": amount,
    }


def declaration_doc(
    total_fte: str | Decimal,
    persons: list[dict[str, Any]] | None = None,
    purchases: list[dict[str, Any]] | None = None,
    qualitative: dict[str, bool] | None = None,
    peiljaar: int = 2025,
    **extra: Any,
) -> dict[str, Any]:
    """A declaration document with sensible defaults (all qualitative criteria met)."""
    return {
        "peiljaar": peiljaar,
        "total_fte": str(total_fte),
        "persons": persons or [],
        "purchases": purchases or [],
        "qualitative": ALL_MET if qualitative is None else qualitative,
        **extra,
    }


def declaration(*args: Any, **kwargs: Any) -> Declaration:
    """A parsed declaration (see `declaration_doc`)."""
    return declaration_from_document(declaration_doc(*args, **kwargs))


def persons_for_fte(total: Decimal) -> list[dict[str, Any]]:
    """Wajong persons on regular contracts (weight 1) adding up to ``total`` FTE, 1 FTE each."""
    persons = []
    remaining = total
    index = 0
    while remaining > 0:
        fte = min(remaining, Decimal(1))
        persons.append(person(f"P{index}", fte))
        remaining -= fte
        index += 1
    return persons
