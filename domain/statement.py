"""A statement (verklaring): what the register answered about an organisation at a moment,
signed; recorded once and never changed."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any
from uuid import UUID

from domain.aggregate import AggregateCreated, PsoAggregate
from domain.signatures import signed_document
from domain.values import Cause


class Statement(PsoAggregate):
    """One signed statement: its content (the public answer, the question, the organisation,
    its id and the moment it was issued) and the signature over the content's canonical JSON."""

    TOPIC = "pso.statement.Statement"

    class Issued(PsoAggregate.Event, AggregateCreated):
        """The register issued a statement: what it said, signed by one of its keys."""

        TOPIC = "pso.statement.Issued.v1"
        content: dict[str, Any]
        key_id: str
        signature: str

        def apply(self, statement: Statement) -> None:
            """Keep the content as signed."""
            statement.content = self.content
            statement.key_id = self.key_id
            statement.signature = self.signature

    if TYPE_CHECKING:  # state set by the events' apply methods, typed for mypy
        content: dict[str, Any]
        key_id: str
        signature: str

    @classmethod
    def issue(
        cls,
        statement_id: UUID,
        content: dict[str, Any],
        key_id: str,
        signature: str,
        now: dt.datetime,
        cause: Cause,
    ) -> Statement:
        """Record a signed statement (its content holds its id and ``issued_at``: ``now``)."""
        return cls._create(
            cls.Issued,
            id=statement_id,
            timestamp=now,
            cause=cause,
            content=content,
            key_id=key_id,
            signature=signature,
        )

    def document(self) -> dict[str, Any]:
        """The statement document: id, content and signature."""
        return signed_document(self.content, self.key_id, self.signature)
