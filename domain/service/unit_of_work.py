"""One unit of work: the aggregates the commands of one context changed, saved together.

Every command runs in one (``Register.once`` opens it for a single command; ``Register.batch()``
for many, as generating or importing a large register needs). A command's changed aggregates
are kept instead of saved (their new events taken, in the order the commands made them); every
later command of the unit sees them (the repository asks the unit first), and the unit saves the
events in one transaction when it ends. ``UnitOfWork.attempt`` runs one command so that a refusal
leaves the unit as it was before that command: each aggregate of the unit the command reads is
copied first, and the copies (and the events up to then) come back if it fails.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from copy import deepcopy
from typing import Any, TypeVar
from uuid import UUID

T = TypeVar("T")

#: the one context variable of the application service: the open unit of work, if any
_UNIT: ContextVar[UnitOfWork | None] = ContextVar("unit_of_work", default=None)


class UnitOfWork:
    """The aggregates changed by the commands of one unit, by id, in the order first changed."""

    def __init__(self, what: str = "command") -> None:
        #: what a conflict asks to retry: ``command`` or ``batch``
        self.what = what
        self.aggregates: dict[UUID, Any] = {}
        #: the events of the unit's commands, in the order the commands made them
        self.events: list[Any] = []
        self._before: dict[UUID, Any] | None = None  # copies taken by the running attempt

    def get(self, aggregate_id: UUID) -> Any | None:
        """The unit's version of an aggregate, or None when the unit did not change it."""
        aggregate = self.aggregates.get(aggregate_id)
        if aggregate is not None and self._before is not None:
            self._before.setdefault(aggregate_id, deepcopy(aggregate))
        return aggregate

    def keep(self, *aggregates: Any) -> None:
        """Keep changed aggregates until the unit is saved."""
        for aggregate in aggregates:
            if aggregate is not None:
                if self._before is not None and aggregate.id not in self.aggregates:
                    self._before.setdefault(aggregate.id, None)
                self.aggregates[aggregate.id] = aggregate
                self.events.extend(aggregate.collect_events())

    def attempt(self, command: Callable[[], T]) -> T:
        """Run one command; if it raises, undo what it changed in the unit and re-raise."""
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


def current_unit() -> UnitOfWork | None:
    """The unit of work the commands of this context are collected in, if any."""
    return _UNIT.get()


@contextmanager
def working(unit: UnitOfWork) -> Iterator[UnitOfWork]:
    """Collect the commands of the block in ``unit`` (saving it is the opener's part)."""
    if _UNIT.get() is not None:
        msg = "a unit of work is already open"
        raise RuntimeError(msg)
    token = _UNIT.set(unit)
    try:
        yield unit
    finally:
        _UNIT.reset(token)
