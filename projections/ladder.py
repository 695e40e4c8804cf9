"""The bitemporal ladder history: per certificate, stretches of days (effective time) with the
period in which the register held them true (recorded time). Answers position and coverage.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Connection,
    Date,
    DateTime,
    Index,
    String,
    bindparam,
    or_,
    select,
)

from domain.certificate import Certificate
from domain.position import Standing, Stretch, stretches
from norms.levels import Level
from projections.organisations import kvk_table
from projections.projection import Projection
from projections.rows import CHUNK
from projections.states import AggregateStates, is_created

#: every event that changes a certificate, and its name in the public history
CERTIFICATE_EVENTS: dict[type[Any], str] = {
    Certificate.Issued: "issued",
    Certificate.Suspended: "suspended",
    Certificate.Reinstated: "reinstated",
    Certificate.Withdrawn: "withdrawn",
    Certificate.LevelRevised: "level_revised",
    Certificate.Superseded: "superseded",
    Certificate.Expired: "expired",
    Certificate.AspirantExtended: "aspirant_extended",
}
#: the same by stored topic (what a handler looks an event up by)
CERTIFICATE_CHANGES = {cls.TOPIC: name for cls, name in CERTIFICATE_EVENTS.items()}
FACTS = (
    "standing",
    "level",
    "pso30plus",
    "valid_from",
    "valid_until",
    "start",
    "end",
    "recorded_at",
)


class Ladder(Projection):
    """Bitemporal intervals: level and certificate per day, and when the register knew it."""

    name = "ladder"
    version = 3  # v3: each stretch says when the change that began it was recorded

    def __init__(self) -> None:
        super().__init__()
        self.kvks = kvk_table(self)
        self.rows = self.table(
            "stretches",
            # "<position of the event that opened it>:<n>": the same ids after a rebuild
            Column("id", String(32), primary_key=True),
            Column("organisation_id", String(36), nullable=False),
            Column("number", String(20), nullable=False),
            Column("standing", String(20), nullable=False),
            Column("level", String(12), nullable=False),
            Column("pso30plus", Boolean, nullable=False),
            Column("valid_from", Date, nullable=False),
            Column("valid_until", Date, nullable=False),
            Column("start", Date, nullable=False),
            Column("end", Date),
            # when the register learned of the change that began the stretch (a fact of it)
            Column("recorded_at", DateTime(timezone=True), nullable=False),
            Column("recorded_from", DateTime(timezone=True), nullable=False),
            Column("recorded_to", DateTime(timezone=True)),
        )
        Index(f"{self.rows.name}_org", self.rows.c.organisation_id, self.rows.c.recorded_to)
        Index(f"{self.rows.name}_number", self.rows.c.number, self.rows.c.recorded_to)
        self.stretch_rows = self.buffer(self.rows)
        self._prepare_queries()
        #: per certificate touched in this batch: the facts of its open stretches -> row id
        self._open: dict[str, dict[tuple[Any, ...], str]] = {}
        for event_class in CERTIFICATE_EVENTS:
            self.on(event_class, self.certificate_changed)

    def certificate_changed(self, conn: Connection, event: Any, cert: Any, position: int) -> None:
        """Close the stretches no longer true and open new ones, at the event's recorded time."""
        now = _normal(event.timestamp)
        wanted = {_facts(s) for s in stretches(cert)}
        held = self._held(conn, cert.number)
        for facts in [f for f in held if f not in wanted]:
            self.stretch_rows.update(conn, held.pop(facts), recorded_to=now)
        fresh = sorted((f for f in wanted if f not in held), key=repr)
        for n, facts in enumerate(fresh):
            row_id = f"{position}:{n}"
            self.stretch_rows.add(
                {
                    "id": row_id,
                    **dict(zip(FACTS, facts, strict=True)),
                    "organisation_id": str(cert.organisation_id),
                    "number": cert.number,
                    "recorded_from": now,
                    "recorded_to": None,
                }
            )
            held[facts] = row_id

    def prepare(self, conn: Connection, events: Sequence[Any], states: AggregateStates) -> None:
        """Read the open stretches of every certificate the batch changes with one query each
        chunk (an issued certificate has none yet)."""
        numbers = set()
        for event in events:
            if type(event).TOPIC not in CERTIFICATE_CHANGES:
                continue
            if is_created(event):
                self._open.setdefault(event.number, {})
            elif (cert := states.get(conn, event.originator_id)) is not None:
                numbers.add(cert.number)
        wanted = [n for n in numbers if n not in self._open]
        for start in range(0, len(wanted), CHUNK):
            chunk = wanted[start : start + CHUNK]
            for number in chunk:
                self._open[number] = {}
            found = conn.execute(
                select(self.rows).where(
                    self.rows.c.number.in_(chunk), self.rows.c.recorded_to.is_(None)
                )
            )
            for r in found:
                self._hold(dict(r._mapping))

    def _hold(self, row: dict[str, Any]) -> None:
        self.stretch_rows.remember(row)
        facts = tuple(_normal(row[name]) for name in FACTS)
        self._open.setdefault(row["number"], {})[facts] = row["id"]

    def _held(self, conn: Connection, number: str) -> dict[tuple[Any, ...], str]:
        """The open stretches of a certificate (read once per batch)."""
        if number not in self._open:
            found = conn.execute(
                select(self.rows).where(
                    self.rows.c.number == number, self.rows.c.recorded_to.is_(None)
                )
            )
            self._open[number] = {}
            for r in found:
                self._hold(dict(r._mapping))
        return self._open[number]

    def flush(self, conn: Connection) -> None:
        """Write the batch and forget the open stretches it knew."""
        super().flush(conn)
        self._open.clear()

    def discard(self) -> None:
        """Forget the batch."""
        super().discard()
        self._open.clear()

    def known(
        self, conn: Connection, kvk: str, as_known_at: dt.datetime | None
    ) -> tuple[list[Stretch], bool]:
        """The stretches of the organisation covering ``kvk`` as known now or at a past moment
        (one query, built once: this answers the public position lookups)."""
        if as_known_at is None:
            rows = conn.execute(self._known_now, {"kvk": kvk}).all()
        else:
            rows = conn.execute(self._known_at, {"kvk": kvk, "moment": _normal(as_known_at)}).all()
        return [stretch_of(row) for row in rows], bool(rows)

    def _prepare_queries(self) -> None:
        organisation = (
            select(self.kvks.c.organisation_id)
            .where(self.kvks.c.kvk == bindparam("kvk"))
            .scalar_subquery()
        )
        of_organisation = select(self.rows).where(self.rows.c.organisation_id == organisation)
        self._known_now = of_organisation.where(self.rows.c.recorded_to.is_(None))
        moment = bindparam("moment", type_=self.rows.c.recorded_from.type)
        self._known_at = of_organisation.where(
            self.rows.c.recorded_from <= moment,
            or_(self.rows.c.recorded_to.is_(None), self.rows.c.recorded_to > moment),
        )


def _facts(s: Stretch) -> tuple[Any, ...]:
    return tuple(_normal(getattr(s, name)) for name in FACTS)


def _normal(value: Any) -> Any:
    """Values as they come back from any database: enums as text, datetimes in UTC."""
    if isinstance(value, Standing | Level):
        return value.value
    if isinstance(value, dt.datetime):
        aware = value if value.tzinfo else value.replace(tzinfo=dt.UTC)
        return aware.astimezone(dt.UTC)
    return value


def stretch_of(row: Any) -> Stretch:
    """A stretch from a row of the ladder."""
    return Stretch(
        number=row.number,
        standing=Standing(row.standing),
        level=Level(row.level),
        pso30plus=row.pso30plus,
        valid_from=row.valid_from,
        valid_until=row.valid_until,
        start=row.start,
        end=row.end,
        recorded_at=_normal(row.recorded_at),
    )
