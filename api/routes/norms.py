"""Scheme versions (handbook versions) with the provenance of every value."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends

from api.dependencies import BackendDep
from norms.catalogue import SchemeCatalogue

router = APIRouter(prefix="/api/v1/norms", tags=["norms"])


def get_catalogue(backend: BackendDep) -> SchemeCatalogue:
    """The scheme versions in force: those shipped plus those published as events."""
    return backend.register.catalogue


CatalogueDep = Annotated[SchemeCatalogue, Depends(get_catalogue)]


@router.get("")
def list_versions(catalogue: CatalogueDep) -> list[dict[str, Any]]:
    """Every handbook version with its effective date and how many values are provisional."""
    return [
        {
            "version": v.version,
            "effective_from": v.effective_from.value.isoformat(),
            "effective_from_provisional": v.effective_from.provenance.is_provisional,
            "levels": [level.value for level in v.levels.value],
            "provisional_values": len(v.provisional_values()),
        }
        for v in catalogue.versions
    ]


@router.get("/{version}")
def show_version(version: str, catalogue: CatalogueDep) -> dict[str, Any]:
    """One handbook version in full: every rule with ``source`` (published) or ``provisional``."""
    found = catalogue.version(version)
    return {
        **found.document,
        "provisional_values": [{"value": p, "why": w} for p, w in found.provisional_values()],
    }
