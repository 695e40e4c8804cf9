"""Every projection of the register, at its current version, in the order they are applied."""

from __future__ import annotations

from norms.catalogue import SchemeCatalogue
from projections.changes import ChangeFeed
from projections.deadlines import Deadlines
from projections.ladder import Ladder
from projections.projection import Projection
from projections.register import RegisterView
from projections.worklists import Worklists


def all_projections(catalogue: SchemeCatalogue) -> list[Projection]:
    """Fresh instances of every projection (each keeps per-batch state)."""
    return [RegisterView(), Ladder(), ChangeFeed(), Deadlines(catalogue), Worklists()]
