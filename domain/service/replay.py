"""Replay: aggregates loaded from their events (after their latest snapshot, if any)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any
from uuid import UUID

from eventsourcing.application import Repository

from domain.service.unit_of_work import current_unit


def replay(aggregate: Any, events: Iterable[Any]) -> Any:
    """Replay events onto an aggregate: eventsourcing's ``project_aggregate`` without its runtime
    protocol check per event, which on Python 3.11 cost more than the replay (bench/README.md)."""
    for event in events:
        aggregate = event.mutate(aggregate)
    return aggregate


class ReplayRepository(Repository[UUID]):
    """The repository of the register: replays with ``replay``; inside a unit of work, an
    aggregate a command of the unit changed is that changed aggregate."""

    def get(
        self,
        aggregate_id: UUID,
        *,
        version: int | None = None,
        projector_func: Callable[[Any, Iterable[Any]], Any] = replay,
        fastforward_skipping: bool = False,
        deepcopy_from_cache: bool = True,
    ) -> Any:
        """An aggregate from its events; the unit of work's version when it changed it."""
        unit = current_unit()
        if unit is not None and version is None:
            changed = unit.get(aggregate_id)
            if changed is not None:
                return changed
        return super().get(
            aggregate_id,
            version=version,
            projector_func=projector_func,
            fastforward_skipping=fastforward_skipping,
            deepcopy_from_cache=deepcopy_from_cache,
        )
