"""The public change feed: certificate changes in the order they were published, each on the day
it takes effect (a change recorded with a future effective date waits for its day), with a stable
cursor: a change's cursor is fixed when it is recorded and later changes always sort after it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import BigInteger, Boolean, Column, Connection, Date, DateTime, String

from domain.clock import business_date
from projections.ladder import CERTIFICATE_CHANGES, CERTIFICATE_TOPICS
from projections.projection import Projection
from projections.register import effective_date

#: a cursor is the publication day and the log position: day * 2**40 + position
POSITIONS_PER_DAY = 2**40


def cursor_of(published_on: dt.date, position: int) -> int:
    """The cursor of a change published on a day (positions stay below 2**40)."""
    return published_on.toordinal() * POSITIONS_PER_DAY + position


class ChangeFeed(Projection):
    """Issued, level revised, suspended, reinstated, withdrawn, expired, superseded, extended."""

    name = "changes"
    version = 2  # v2: published on the effective day, cursors by publication day and position

    def __init__(self) -> None:
        super().__init__()
        self.feed = self.table(
            "feed",
            Column("cursor", BigInteger, primary_key=True),
            Column("position", BigInteger, nullable=False),
            Column("published_on", Date, nullable=False, index=True),
            Column("change", String(20), nullable=False),
            Column("certificate_number", String(20), nullable=False),
            Column("covered_kvks", String(2000), nullable=False),
            Column("level", String(12), nullable=False),
            Column("pso30plus", Boolean, nullable=False),
            Column("status", String(12), nullable=False),
            Column("effective_date", Date),
            Column("recorded_at", DateTime(timezone=True), nullable=False),
        )
        self.feed_rows = self.buffer(self.feed)
        for topic in CERTIFICATE_TOPICS:
            self.on(topic, self.changed)

    def changed(self, _conn: Connection, event: Any, cert: Any, position: int) -> None:
        """One public line per certificate event, published on the day it takes effect (or the
        day it was recorded, if that is later: a backdated change is news on the day it is
        learned)."""
        effective = effective_date(event, cert)
        recorded = business_date(event.timestamp)
        published = max(recorded, effective) if effective else recorded
        self.feed_rows.add(
            {
                "cursor": cursor_of(published, position),
                "position": position,
                "published_on": published,
                "change": CERTIFICATE_CHANGES[type(event).TOPIC],
                "certificate_number": cert.number,
                "covered_kvks": ",".join(cert.covered_kvks),
                "level": cert.level.value,
                "pso30plus": cert.pso30plus,
                "status": cert.status.value,
                "effective_date": effective,
                "recorded_at": event.timestamp,
            }
        )
