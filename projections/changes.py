"""The public change feed: certificate changes in log order, with a stable cursor (the position)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import BigInteger, Boolean, Column, Connection, Date, DateTime, String

from projections.ladder import CERTIFICATE_CHANGES, CERTIFICATE_TOPICS
from projections.projection import Projection
from projections.register import effective_date


class ChangeFeed(Projection):
    """Issued, level revised, suspended, reinstated, withdrawn, expired, superseded, extended."""

    name = "changes"
    version = 1

    def __init__(self) -> None:
        super().__init__()
        self.feed = self.table(
            "feed",
            Column("position", BigInteger, primary_key=True),
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
        """One public line per certificate event."""
        self.feed_rows.add(
            {
                "position": position,
                "change": CERTIFICATE_CHANGES[type(event).TOPIC],
                "certificate_number": cert.number,
                "covered_kvks": ",".join(cert.covered_kvks),
                "level": cert.level.value,
                "pso30plus": cert.pso30plus,
                "status": cert.status.value,
                "effective_date": effective_date(event, cert),
                "recorded_at": event.timestamp,
            }
        )
