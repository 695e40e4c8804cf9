"""Every projection of the register, at its current version, in the order they are applied."""

from __future__ import annotations

from dataclasses import dataclass

from norms.catalogue import SchemeCatalogue
from projections.changes import ChangeFeed
from projections.deadlines import Deadlines
from projections.ladder import Ladder
from projections.outbox import Outbox
from projections.projection import Projection
from projections.register import RegisterView
from projections.worklists import Worklists


@dataclass(frozen=True)
class ReadModels:
    """The register's projections by name."""

    register: RegisterView
    ladder: Ladder
    changes: ChangeFeed
    deadlines: Deadlines
    worklists: Worklists
    outbox: Outbox

    def all(self) -> list[Projection]:
        """In the order the runner applies them."""
        return [
            self.register,
            self.ladder,
            self.changes,
            self.deadlines,
            self.worklists,
            self.outbox,
        ]

    def named(self, name: str) -> Projection:
        """One projection by its name."""
        for projection in self.all():
            if projection.name == name:
                return projection
        names = ", ".join(p.name for p in self.all())
        msg = f"unknown projection {name!r}; known: {names}"
        raise KeyError(msg)


def read_models(catalogue: SchemeCatalogue) -> ReadModels:
    """Fresh instances of every projection (each keeps per-batch state)."""
    return ReadModels(
        RegisterView(), Ladder(), ChangeFeed(), Deadlines(catalogue), Worklists(catalogue), Outbox()
    )
