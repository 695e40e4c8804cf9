"""The public keys that verify the register's statements: each published once, at the moment
the register began signing with it, and listed for ever (so old statements stay verifiable
after a key is rotated)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from domain.aggregate import AggregateCreated, PsoAggregate, stable_id
from domain.signatures import PUBLIC_KEY_BYTES, PublicKey, b64decode, b64encode, key_id_of
from domain.values import Cause

STATEMENT_KEYS_ID = stable_id("statement-keys", "pso")


class StatementKeys(PsoAggregate):
    """Every key the register signed statements with, by key id, in the order published."""

    TOPIC = "pso.statement_keys.StatementKeys"

    class Started(PsoAggregate.Event, AggregateCreated):
        """The register began keeping the keys of its statements."""

        TOPIC = "pso.statement_keys.Started.v1"

        def apply(self, keys: StatementKeys) -> None:
            """No keys yet."""
            keys.published = {}

    class KeyPublished(PsoAggregate.Event):
        """The register signs statements with this key from now on (its public half)."""

        TOPIC = "pso.statement_keys.KeyPublished.v1"
        key_id: str
        public_key: str

        def apply(self, keys: StatementKeys) -> None:
            """List the key, valid from the moment it was published."""
            raw = b64decode(self.public_key, "public_key", PUBLIC_KEY_BYTES)
            keys.published = {
                **keys.published,
                self.key_id: PublicKey(self.key_id, raw, self.timestamp),
            }

    if TYPE_CHECKING:  # state set by the events' apply methods, typed for mypy
        published: dict[str, PublicKey]

    @classmethod
    def begin(cls, now: dt.datetime, cause: Cause) -> StatementKeys:
        """The single list of statement keys."""
        return cls._create(cls.Started, id=STATEMENT_KEYS_ID, timestamp=now, cause=cause)

    def publish(self, public_key: bytes, now: dt.datetime, cause: Cause) -> bool:
        """List a key from now on; False (nothing recorded) when it is listed already."""
        key_id = key_id_of(public_key)
        if key_id in self.published:
            return False
        self._trigger(
            self.KeyPublished, now, cause, key_id=key_id, public_key=b64encode(public_key)
        )
        return True
