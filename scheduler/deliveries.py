"""The durable record of outbox deliveries: who claimed a message, until when, how often it was
tried, why it failed, and when it was delivered.

This table is not a read model: it is the only memory of what reached the outside world, so a
rebuild never touches it. Every change is one atomic conditional statement, so several postmen
(threads, processes, hosts) agree on who delivers a message without holding locks across the
delivery itself: a claim inserts the row (the primary key lets one claimant win) or takes over a
row whose lease or retry time has passed (the update names the attempt count it saw, so two
takers cannot both win). The delivery mark is written only after the delivery returned.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    Column,
    Connection,
    DateTime,
    Engine,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    case,
    func,
    inspect,
    literal,
    select,
    text,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite

from domain.clock import Clock
from projections.database import SCHEMA_LOCK, create_tables, is_postgres
from projections.queries import plain

#: the table of the earlier at-most-once postman (message id and delivery time only)
EARLIER_TABLE = "pso_outbox_delivered"
#: a kept error text stays readable in a worklist
MAX_ERROR = 2000
LEASE_ENDED = "the lease ended without a delivery mark (its postman stopped): "


class State(StrEnum):
    """Where a message's delivery stands."""

    CLAIMED = "claimed"  # a postman is delivering it; it may be taken over when the lease ends
    RETRYING = "retrying"  # the last delivery failed; it is tried again from ``available_at``
    DELIVERED = "delivered"  # the delivery function returned
    UNDELIVERABLE = "undeliverable"  # the attempts ran out or the failure was permanent


OPEN = (State.CLAIMED, State.RETRYING)

metadata = MetaData()
deliveries = Table(
    "pso_outbox_deliveries",
    metadata,
    Column("message_id", String(60), primary_key=True),
    # what staff need to recognise the message (null for marks carried over from the earlier table)
    Column("kind", String(32)),
    Column("recipient", String(200)),
    Column("state", String(16), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("claimed_by", String(100)),
    Column("claimed_at", DateTime(timezone=True)),
    # claimed: the lease ends then; retrying: the next attempt may start then
    Column("available_at", DateTime(timezone=True), nullable=False),
    Column("last_error", Text),
    Column("delivered_at", DateTime(timezone=True)),
    Column("settled_at", DateTime(timezone=True)),
    Index("pso_outbox_deliveries_open", "state", "available_at"),
)


@dataclass(frozen=True)
class Policy:
    """How long a claim lasts and how failures are retried.

    The lease must be longer than any delivery may take (give SMTP or HTTP clients a timeout
    below it): a postman that outlives its lease may find the message delivered a second time.
    """

    lease: dt.timedelta = dt.timedelta(minutes=5)
    max_attempts: int = 12  # as PSO_OUTBOX_MAX_ATTEMPTS (api/settings.py)
    first_retry: dt.timedelta = dt.timedelta(minutes=1)
    max_retry: dt.timedelta = dt.timedelta(hours=6)

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            msg = f"a message needs at least one attempt, got max_attempts={self.max_attempts}"
            raise ValueError(msg)
        if self.lease <= dt.timedelta(0):
            msg = "a delivery lease must be longer than zero"
            raise ValueError(msg)

    def retry_after(self, attempts: int) -> dt.timedelta:
        """Exponential backoff: the first retry after ``first_retry``, doubling, at most
        ``max_retry``."""
        doublings: int = 2 ** max(attempts - 1, 0)
        return min(self.first_retry * doublings, self.max_retry)


@dataclass(frozen=True)
class Claim:
    """The right of one postman to deliver one message, for one attempt."""

    message_id: str
    attempt: int
    by: str


class DeliveryRecord:
    """Claims, marks and failures of outbox deliveries, each one atomic statement."""

    def __init__(
        self,
        engine: Engine,
        clock: Clock,
        policy: Policy,
        worker: str,
        reader: Engine | None = None,
    ) -> None:
        self.engine = engine
        #: reads never take SQLite's write lock (a writer engine begins with it)
        self.reader = reader or engine
        self.clock = clock
        self.policy = policy
        self.worker = worker
        create_tables(engine, metadata)
        with engine.begin() as conn:
            carry_over_earlier_marks(conn)

    def claim_new(self, message: dict[str, Any]) -> Claim | None:
        """Claim a message nobody claimed before; None when another postman has it."""
        now = self.clock.now()
        values = {
            "message_id": message["message_id"],
            "kind": message["kind"],
            "recipient": message["recipient"][:200],
            "state": State.CLAIMED,
            "attempts": 1,
            "claimed_by": self.worker,
            "claimed_at": now,
            "available_at": now + self.policy.lease,
        }
        dialect = postgresql if is_postgres(self.engine) else sqlite
        statement = (
            dialect.insert(deliveries)
            .values(values)
            .on_conflict_do_nothing()
            .returning(deliveries.c.message_id)
        )
        with self.engine.begin() as conn:
            won = conn.execute(statement).first() is not None
        return Claim(message["message_id"], 1, self.worker) if won else None

    def claim_again(self, message_id: str, seen_attempts: int) -> Claim | None:
        """Take over a message whose lease ended (its postman stopped) or whose retry time came;
        None when another postman took it first or it was settled meanwhile."""
        now = self.clock.now()
        row = deliveries.c
        statement = (
            update(deliveries)
            .where(
                row.message_id == message_id,
                row.attempts == seen_attempts,
                row.state.in_(OPEN),
                row.available_at <= now,
            )
            .values(
                state=State.CLAIMED,
                attempts=row.attempts + 1,
                claimed_by=self.worker,
                claimed_at=now,
                available_at=now + self.policy.lease,
                last_error=case(
                    (row.state == State.CLAIMED, lease_expired(row.claimed_by)),
                    else_=row.last_error,
                ),
            )
        )
        with self.engine.begin() as conn:
            won = conn.execute(statement).rowcount == 1
        return Claim(message_id, seen_attempts + 1, self.worker) if won else None

    def delivered(self, claim: Claim) -> None:
        """Mark the message delivered (the delivery function returned)."""
        now = self.clock.now()
        with self.engine.begin() as conn:
            conn.execute(
                update(deliveries)
                .where(
                    deliveries.c.message_id == claim.message_id,
                    deliveries.c.delivered_at.is_(None),
                )
                .values(state=State.DELIVERED, delivered_at=now, settled_at=now)
            )

    def failed(self, claim: Claim, error: str, *, permanent: bool = False) -> State:
        """Record a failed attempt: retry later with backoff, or give up after the last one."""
        now = self.clock.now()
        last = permanent or claim.attempt >= self.policy.max_attempts
        state = State.UNDELIVERABLE if last else State.RETRYING
        with self.engine.begin() as conn:
            conn.execute(
                update(deliveries)
                .where(
                    deliveries.c.message_id == claim.message_id,
                    deliveries.c.state == State.CLAIMED,
                    deliveries.c.claimed_by == claim.by,
                    deliveries.c.attempts == claim.attempt,
                )
                .values(
                    state=state,
                    available_at=now + self.policy.retry_after(claim.attempt),
                    last_error=error[:MAX_ERROR],
                    settled_at=now if last else None,
                )
            )
        return state

    def give_up_exhausted(self) -> int:
        """Messages whose attempts ran out without a recorded failure (each attempt ended with
        its postman stopping mid-delivery) become undeliverable; how many."""
        now = self.clock.now()
        row = deliveries.c
        with self.engine.begin() as conn:
            return conn.execute(
                update(deliveries)
                .where(
                    row.state.in_(OPEN),
                    row.available_at <= now,
                    row.attempts >= self.policy.max_attempts,
                )
                .values(
                    state=State.UNDELIVERABLE,
                    settled_at=now,
                    last_error=case(
                        (row.state == State.CLAIMED, lease_expired(row.claimed_by)),
                        else_=row.last_error,
                    ),
                )
            ).rowcount

    def due_again(self) -> list[tuple[str, int]]:
        """Messages that may be claimed again now, with the attempt count seen, oldest first."""
        row = deliveries.c
        query = (
            select(row.message_id, row.attempts)
            .where(
                row.state.in_(OPEN),
                row.available_at <= self.clock.now(),
                row.attempts < self.policy.max_attempts,
            )
            .order_by(row.available_at, row.message_id)
        )
        with self.reader.connect() as conn:
            return [(r.message_id, r.attempts) for r in conn.execute(query)]

    def needing_attention(self) -> list[dict[str, Any]]:
        """Messages staff should know about, oldest first within each group: undeliverable ones,
        failing ones waiting for their next attempt, and those whose postman stopped during
        the delivery (lease ended, or taken over after it ended)."""
        row = deliveries.c
        now = self.clock.now()
        group = case(
            (row.state == State.UNDELIVERABLE, 0), (row.state == State.RETRYING, 1), else_=2
        )
        interrupted = (row.state == State.CLAIMED) & (
            row.last_error.is_not(None) | (row.available_at < now)
        )
        query = (
            select(
                row.message_id,
                row.kind,
                row.recipient,
                row.state,
                row.attempts,
                row.last_error,
                row.claimed_by,
                row.claimed_at,
                row.available_at,
            )
            .where(row.state.in_((State.UNDELIVERABLE, State.RETRYING)) | interrupted)
            .order_by(group, row.claimed_at, row.message_id)
        )
        with self.reader.connect() as conn:
            rows = [plain(r) for r in conn.execute(query)]
        for values in rows:
            available = values.pop("available_at")
            values["last_attempt_at"] = values.pop("claimed_at")
            settled = values["state"] == State.UNDELIVERABLE
            values["next_attempt_at"] = None if settled else available
        return rows

    def counts(self) -> dict[str, int]:
        """How many messages are in each state."""
        totals = dict.fromkeys(State, 0)
        query = select(deliveries.c.state, func.count()).group_by(deliveries.c.state)
        with self.reader.connect() as conn:
            for state, n in conn.execute(query):
                totals[State(state)] = n
        return {str(state): n for state, n in totals.items()}


def lease_expired(claimed_by: Any) -> Any:
    """The error recorded when a lease ended without a delivery mark."""
    return literal(LEASE_ENDED, String) + func.coalesce(claimed_by, "?")


def carry_over_earlier_marks(conn: Connection) -> None:
    """Messages the earlier at-most-once postman marked stay delivered (once, then its table
    goes): without this every message ever sent would be sent again after the upgrade."""
    if is_postgres(conn.engine):
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": SCHEMA_LOCK})
    if not inspect(conn).has_table(EARLIER_TABLE):
        return
    conn.execute(
        text(
            f"INSERT INTO {deliveries.name} (message_id, state, attempts, available_at, "  # noqa: S608 (our own table names)
            "delivered_at, settled_at) SELECT message_id, 'delivered', 1, delivered_at, "
            f"delivered_at, delivered_at FROM {EARLIER_TABLE} AS earlier WHERE NOT EXISTS "
            f"(SELECT 1 FROM {deliveries.name} AS d WHERE d.message_id = earlier.message_id)"
        )
    )
    conn.execute(text(f"DROP TABLE {EARLIER_TABLE}"))
