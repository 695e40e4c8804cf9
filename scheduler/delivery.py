"""Delivering outbox messages at most once: a message is claimed by inserting its id into a
durable table (not a disposable read model), and only the claimant delivers it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import structlog
from sqlalchemy import Column, DateTime, Engine, MetaData, String, Table, insert, select
from sqlalchemy.exc import IntegrityError

from domain.clock import Clock
from projections.database import create_tables
from projections.outbox import Outbox
from projections.queries import plain

log = structlog.get_logger(__name__)
metadata = MetaData()
delivered = Table(
    "pso_outbox_delivered",
    metadata,
    Column("message_id", String(60), primary_key=True),
    Column("delivered_at", DateTime(timezone=True), nullable=False),
)

Deliver = Callable[[dict[str, Any]], None]


def log_delivery(message: dict[str, Any]) -> None:
    """The default delivery: one log line per message."""
    log.info(
        "message_delivered",
        message_id=message["message_id"],
        kind=message["kind"],
        recipient=message["recipient"],
        text_en=message["text_en"],
    )


class Postman:
    """Delivers every undelivered outbox message once."""

    def __init__(
        self, engine: Engine, outbox: Outbox, clock: Clock, deliver: Deliver = log_delivery
    ) -> None:
        self.engine = engine
        self.outbox = outbox
        self.clock = clock
        self.deliver = deliver
        #: every message up to this log position is claimed (by this process or another), so
        #: a tick looks only at newer ones instead of the whole outbox
        self.claimed_up_to = 0
        create_tables(engine, metadata)

    def undelivered(self) -> list[dict[str, Any]]:
        """Messages nobody claimed yet, oldest first."""
        messages = self.outbox.messages
        claimed = select(delivered.c.message_id).where(
            delivered.c.message_id == messages.c.message_id
        )
        query = (
            select(messages)
            .where(messages.c.position > self.claimed_up_to, ~claimed.exists())
            .order_by(messages.c.position)
        )
        with self.engine.connect() as conn:
            return [plain(r) for r in conn.execute(query)]

    def deliver_all(self) -> int:
        """Claim and deliver; return how many this call delivered."""
        count = 0
        waiting = self.undelivered()
        for message in waiting:
            try:
                with self.engine.begin() as conn:
                    conn.execute(
                        insert(delivered).values(
                            message_id=message["message_id"], delivered_at=self.clock.now()
                        )
                    )
            except IntegrityError:
                continue  # claimed by another deliverer
            self.deliver(message)
            count += 1
        if waiting:
            self.claimed_up_to = max(self.claimed_up_to, waiting[-1]["position"])
        return count
