"""Idempotency keys: a retried command with the same key has exactly one effect."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING
from uuid import UUID

from domain.aggregate import AggregateCreated, PsoAggregate, stable_id
from domain.service.results import Result
from domain.values import Cause

#: what the record of a command keeps as its result, and so all a command run under a key may
#: return: a result value of domain/service/results.py, an id, a number, a flag or nothing
Stored = Result


def idempotency_id(key: str) -> UUID:
    """The id of the record of one idempotency key."""
    return stable_id("idempotency", key)


class IdempotencyRecord(PsoAggregate):
    """A command that ran under an idempotency key, with its result, saved with its effects."""

    TOPIC = "pso.idempotency.IdempotencyRecord"

    class Recorded(PsoAggregate.Event, AggregateCreated):
        """The command ran; a repeat returns this result instead of running again."""

        TOPIC = "pso.idempotency.Recorded.v1"
        key: str
        command: str
        fingerprint: str
        result: Stored

        def apply(self, record: IdempotencyRecord) -> None:
            """Keep what a repeat needs."""
            record.key = self.key
            record.command = self.command
            record.fingerprint = self.fingerprint
            record.result = self.result

    if TYPE_CHECKING:  # state set by the events' apply methods, typed for mypy
        key: str
        command: str
        fingerprint: str
        result: Stored

    @classmethod
    def record(
        cls,
        key: str,
        command: str,
        fingerprint: str,
        result: Stored,
        now: dt.datetime,
        cause: Cause,
    ) -> IdempotencyRecord:
        """Record a command's result under its key."""
        return cls._create(
            cls.Recorded,
            id=idempotency_id(key),
            timestamp=now,
            cause=cause,
            key=key,
            command=command,
            fingerprint=fingerprint,
            result=result,
        )
