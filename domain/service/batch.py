"""Many commands in one transaction: what generating or importing a large register needs.

Inside ``Register.batch()`` a command's changed aggregates are kept instead of saved (their new
events taken, in the order the commands made them); every later command of the batch sees them
(the repository asks the batch first), and the batch saves the events in one transaction when it
ends. ``Batch.attempt`` runs one command so that a refusal leaves the batch as it was before that
command: each aggregate of the batch the command reads is copied first, and the copies (and the
events up to then) come back if it fails.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from copy import deepcopy
from typing import Any, TypeVar
from uuid import UUID

T = TypeVar("T")

_BATCH: ContextVar[Batch | None] = ContextVar("batch", default=None)


class Batch:
    """The aggregates changed by the commands of one batch, by id, in the order first changed."""

    def __init__(self) -> None:
        self.aggregates: dict[UUID, Any] = {}
        #: the events of the batch's commands, in the order the commands made them
        self.events: list[Any] = []
        self._before: dict[UUID, Any] | None = None  # copies taken by the running attempt

    def get(self, aggregate_id: UUID) -> Any | None:
        """The batch's version of an aggregate, or None when the batch did not change it."""
        aggregate = self.aggregates.get(aggregate_id)
        if aggregate is not None and self._before is not None:
            self._before.setdefault(aggregate_id, deepcopy(aggregate))
        return aggregate

    def keep(self, *aggregates: Any) -> None:
        """Keep changed aggregates until the batch is saved."""
        for aggregate in aggregates:
            if aggregate is not None:
                if self._before is not None and aggregate.id not in self.aggregates:
                    self._before.setdefault(aggregate.id, None)
                self.aggregates[aggregate.id] = aggregate
                self.events.extend(aggregate.collect_events())

    def attempt(self, command: Callable[[], T]) -> T:
        """Run one command; if it raises, undo what it changed in the batch and re-raise."""
        self._before = {}
        made = len(self.events)
        try:
            return command()
        except BaseException:
            del self.events[made:]
            for aggregate_id, before in self._before.items():
                if before is None:
                    self.aggregates.pop(aggregate_id, None)
                else:
                    self.aggregates[aggregate_id] = before
            raise
        finally:
            self._before = None

    def __len__(self) -> int:
        return len(self.aggregates)


def current_batch() -> Batch | None:
    """The batch commands of this context are collected in, if any."""
    return _BATCH.get()


@contextmanager
def collecting(save: Callable[[Batch], Any]) -> Iterator[Batch]:
    """Open a batch; ``save`` stores it in one transaction when the block ends well."""
    if _BATCH.get() is not None:
        msg = "a batch is already open"
        raise RuntimeError(msg)
    batch = Batch()
    token = _BATCH.set(batch)
    try:
        yield batch
    finally:
        _BATCH.reset(token)
    if batch.aggregates:
        save(batch)
