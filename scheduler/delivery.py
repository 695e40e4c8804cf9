"""Delivering outbox messages at least once, with the same message id every time.

A postman claims a message in the durable delivery record (scheduler/deliveries.py) with a
lease, calls the delivery function, and only after it returned marks the message delivered. A
crash between claim and mark leaves the claim; when its lease ends another postman (or the same
one restarted) delivers the message again under the same id, so a receiver can deduplicate. A
delivery that raises is retried with exponential backoff until the attempts run out; the message
is then undeliverable and shown to staff.
"""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Callable
from typing import Any

import structlog
from sqlalchemy import Engine, select

from domain.clock import Clock
from projections.outbox import Outbox
from projections.queries import plain
from scheduler.deliveries import Claim, DeliveryRecord, Policy, State, deliveries

log = structlog.get_logger(__name__)

#: delivers one message or raises; must return within the policy's lease
Deliver = Callable[[dict[str, Any]], None]


class PermanentDeliveryError(Exception):
    """A delivery that can never succeed (e.g. a recipient that does not exist): no retries."""


def log_delivery(message: dict[str, Any]) -> None:
    """The default delivery: one log line per message."""
    log.info(
        "message_delivered",
        message_id=message["message_id"],
        kind=message["kind"],
        recipient=message["recipient"],
        text_en=message["text_en"],
    )


def worker_name() -> str:
    """Who claims: host, process and a random part (a restarted process is another claimant)."""
    return f"{socket.gethostname()[:60]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class Postman:
    """Delivers every outbox message at least once; never two postmen at once for one message."""

    def __init__(
        self,
        engine: Engine,
        outbox: Outbox,
        clock: Clock,
        deliver: Deliver = log_delivery,
        policy: Policy | None = None,
        reader: Engine | None = None,
    ) -> None:
        self.engine = engine
        self.reader = reader or engine  # for reads: never SQLite's write lock
        self.outbox = outbox
        self.deliver = deliver
        self.record = DeliveryRecord(engine, clock, policy or Policy(), worker_name(), reader)
        #: every message up to this log position has a delivery row (claimed by this process or
        #: another), so a round looks for new ones only after it; retries come from the record
        self.claimed_up_to = 0

    def unclaimed(self) -> list[dict[str, Any]]:
        """Messages nobody claimed yet, oldest first."""
        messages = self.outbox.messages
        claimed = select(deliveries.c.message_id).where(
            deliveries.c.message_id == messages.c.message_id
        )
        query = (
            select(messages)
            .where(messages.c.position > self.claimed_up_to, ~claimed.exists())
            .order_by(messages.c.position)
        )
        with self.reader.connect() as conn:
            return [plain(r) for r in conn.execute(query)]

    def undelivered(self) -> list[dict[str, Any]]:
        """Messages not delivered yet and not given up: unclaimed, being delivered, or waiting
        for a retry, oldest first."""
        messages = self.outbox.messages
        settled = select(deliveries.c.message_id).where(
            deliveries.c.message_id == messages.c.message_id,
            deliveries.c.state.in_((State.DELIVERED, State.UNDELIVERABLE)),
        )
        query = select(messages).where(~settled.exists()).order_by(messages.c.position)
        with self.reader.connect() as conn:
            return [plain(r) for r in conn.execute(query)]

    def deliver_all(self) -> int:
        """One round: first the messages due again (interrupted or failed before), then the new
        ones; how many were delivered."""
        delivered = 0
        self.record.give_up_exhausted()
        for message_id, attempts in self.record.due_again():
            again = self._message(message_id)
            if again is not None:  # else its read model is being rebuilt: a later round
                delivered += self._attempt(again, self.record.claim_again(message_id, attempts))
        fresh = self.unclaimed()
        for message in fresh:
            delivered += self._attempt(message, self.record.claim_new(message))
        if fresh:
            self.claimed_up_to = max(self.claimed_up_to, fresh[-1]["position"])
        return delivered

    def _attempt(self, message: dict[str, Any], claim: Claim | None) -> bool:
        """Deliver under a claim and record how it went; True when delivered."""
        if claim is None:
            return False  # another postman has it
        try:
            self.deliver(message)
        except Exception as exc:  # noqa: BLE001 (any failure of a delivery is recorded and retried)
            error = f"{type(exc).__name__}: {exc}"
            permanent = isinstance(exc, PermanentDeliveryError)
            state = self.record.failed(claim, error, permanent=permanent)
            log.warning(
                "message_failed",
                message_id=claim.message_id,
                attempt=claim.attempt,
                state=str(state),
                error=error,
            )
            return False
        self.record.delivered(claim)
        return True

    def _message(self, message_id: str) -> dict[str, Any] | None:
        messages = self.outbox.messages
        with self.reader.connect() as conn:
            row = conn.execute(select(messages).where(messages.c.message_id == message_id)).first()
        return plain(row) if row is not None else None

    def status(self) -> dict[str, Any]:
        """How many messages are in each delivery state, and those staff should look at."""
        return {"counts": self.record.counts(), "needing_attention": self.needing_attention()}

    def needing_attention(self) -> list[dict[str, Any]]:
        """Undeliverable, failing and interrupted messages (see DeliveryRecord)."""
        return self.record.needing_attention()
