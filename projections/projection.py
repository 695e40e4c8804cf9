"""What every projection is: a name, a version, its tables, and a handler per event topic."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, Self

from sqlalchemy import Connection, MetaData, Table

from projections.rows import Rows
from projections.states import AggregateStates

#: handler(connection, event, the event's aggregate as folded so far (or None), log position)
Handler = Callable[[Connection, Any, Any, int], None]
#: the tag of the projections being built now: a rebuild's new tables are ``<table>_<tag>``
_BUILDING: ContextVar[str] = ContextVar("building", default="")


class Projection:
    """A read model: tables named ``<name>_v<version>_<table>`` and handlers keyed by topic.

    Handlers receive the open transaction, the decoded domain event, its aggregate as folded up to
    and including the event (the runner folds each aggregate once for all projections) and its
    position in the log. They change rows through ``Rows`` buffers, written when the batch ends.
    A schema or logic change bumps ``version``; the new version then builds beside the old one.
    A rebuild builds a ``fresh(tag)`` copy into tables ``<name>_v<version>_<table>_<tag>`` with
    its own tracking row, and switches them in when complete (projections/rebuild.py).
    """

    name: str = "projection"
    version: int = 1

    def __init__(self) -> None:
        #: empty for the serving tables; a rebuild's tag for the tables it builds
        self.tag = _BUILDING.get()
        self.metadata = MetaData()
        self.handlers: dict[str, list[Handler]] = {}
        #: topic prefixes of the aggregates whose state this projection needs folded
        self.folds: set[str] = set()
        self.buffers: list[Rows] = []

    @property
    def key(self) -> tuple[str, int]:
        """Its row in the tracking table: name and version (a rebuild's copy: ``name#tag``)."""
        return (f"{self.name}#{self.tag}" if self.tag else self.name, self.version)

    def table(self, suffix: str, *columns: Any) -> Table:
        """Declare one of this projection's tables."""
        name = f"{self.name}_v{self.version}_{suffix}"
        return Table(f"{name}_{self.tag}" if self.tag else name, self.metadata, *columns)

    def fresh(self, tag: str) -> Self:
        """A new instance of this projection whose tables carry ``tag`` (a rebuild's copy)."""
        with _building(tag):
            return self.renew()

    def renew(self) -> Self:
        """A new instance configured like this one (override when ``__init__`` takes arguments)."""
        return type(self)()

    def buffer(self, table: Table) -> Rows:
        """The batch buffer of one of this projection's tables (flushed by the runner)."""
        buffer = Rows(table)
        self.buffers.append(buffer)
        return buffer

    def on(self, event_class: type[Any], handler: Handler) -> None:
        """Handle events of one class (after any handler registered before); handlers are kept
        by the class's stored topic."""
        topic: str = event_class.TOPIC
        self.handlers.setdefault(topic, []).append(handler)
        self.folds.add(topic.rsplit(".", 2)[0] + ".")

    def handles(self, event: Any) -> bool:
        """True when some handler of this projection takes the event."""
        return type(event).TOPIC in self.handlers

    def prepare(self, conn: Connection, events: Sequence[Any], states: AggregateStates) -> None:
        """Before a batch: read at once the rows its events will need (``events`` are the ones
        this projection handles; ``states`` holds their aggregates as of the batch's start)."""

    def apply(self, conn: Connection, event: Any, aggregate: Any, position: int) -> None:
        """Run the topic's handlers."""
        for handler in self.handlers.get(type(event).TOPIC, ()):
            handler(conn, event, aggregate, position)

    def flush(self, conn: Connection) -> None:
        """Write what the batch changed."""
        for buffer in self.buffers:
            buffer.flush(conn)

    def discard(self) -> None:
        """Forget what was kept in memory (the batch's transaction rolled back)."""
        for buffer in self.buffers:
            buffer.discard()


@contextmanager
def _building(tag: str) -> Iterator[None]:
    token = _BUILDING.set(tag)
    try:
        yield
    finally:
        _BUILDING.reset(token)
