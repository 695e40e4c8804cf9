"""Statements (verklaringen): the register's answer about an organisation at a moment, signed
and recorded as a fact; and the keys that verify them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any, Protocol
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError

from domain.errors import ConcurrentModificationError
from domain.service.base import RegisterBase
from domain.service.results import IssuedStatement
from domain.signatures import FORMAT, PublicKey, b64encode, canonical
from domain.statement import Statement
from domain.statement_keys import STATEMENT_KEYS_ID, StatementKeys
from domain.values import Cause


class Signer(Protocol):
    """A private key that signs statements (``domain.signatures.SigningKey``)."""

    key_id: str
    public_key: bytes

    def sign(self, message: bytes) -> bytes:
        """The Ed25519 signature of a message."""
        ...


#: what a statement says, given the moment it is made (the public answer, the question and the
#: organisation, as JSON values)
About = Callable[[dt.datetime], Mapping[str, Any]]


class StatementCommands(RegisterBase):
    """Statements, issued by anyone (they state only what the public register shows)."""

    def issue_statement(self, about: About, signer: Signer, cause: Cause) -> IssuedStatement:
        """Make a statement of what the register says now, sign its canonical JSON and record
        it, with its key when the key is new (so no statement is ever kept without its key)."""
        now = self.clock.now()
        statement_id = self.new_id()
        content = {
            **about(now),
            "format": FORMAT,
            "id": str(statement_id),
            "issued_at": now.isoformat(),
        }
        signature = b64encode(signer.sign(canonical(content)))
        keys, changed = self._keys_with(signer.public_key, now, cause)
        statement = Statement.issue(statement_id, content, signer.key_id, signature, now, cause)
        self._save(keys if changed else None, statement)
        return IssuedStatement(statement_id, content, signer.key_id, signature)

    def publish_statement_key(self, public_key: bytes, cause: Cause) -> bool:
        """List a key that will sign statements from now on; False when it is listed already
        (also when another process listed it at the same moment)."""
        keys, changed = self._keys_with(public_key, self.clock.now(), cause)
        if not changed:
            return False
        try:
            self._save(keys)
        except ConcurrentModificationError:
            return False
        return True

    def statement(self, statement_id: UUID) -> Statement:
        """One statement by id."""
        found: Statement = self._get(Statement, statement_id, f"statement {statement_id}")
        return found

    def statement_keys(self) -> list[PublicKey]:
        """Every key that verifies statements, in the order the register began using them."""
        try:
            keys: StatementKeys = self.repository.get(STATEMENT_KEYS_ID)
        except AggregateNotFoundError:
            return []
        return list(keys.published.values())

    def _keys_with(
        self, public_key: bytes, now: dt.datetime, cause: Cause
    ) -> tuple[StatementKeys, bool]:
        """The list of keys with this one on it; whether that took new events."""
        try:
            keys: StatementKeys = self.repository.get(STATEMENT_KEYS_ID)
            started = False
        except AggregateNotFoundError:
            keys, started = StatementKeys.begin(now, cause), True
        return keys, keys.publish(public_key, now, cause) or started
