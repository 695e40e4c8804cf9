"""How values that JSON lacks (dates, causes) are stored in events."""

from __future__ import annotations

import datetime as dt
from typing import Any

from eventsourcing.persistence import JSONTranscoder, Transcoding

from domain.values import Cause, Role


class DateAsISO(Transcoding):
    """A calendar date as ``YYYY-MM-DD``."""

    type = dt.date
    name = "date_iso"

    def encode(self, obj: dt.date) -> str:
        """Encode."""
        return obj.isoformat()

    def decode(self, data: str) -> dt.date:
        """Decode."""
        return dt.date.fromisoformat(data)


class CauseAsDict(Transcoding):
    """The cause of an event as a small object."""

    type = Cause
    name = "cause"

    def encode(self, obj: Cause) -> dict[str, Any]:
        """Encode."""
        return {
            "actor_id": obj.actor_id,
            "actor_role": obj.actor_role.value,
            "correlation_id": obj.correlation_id,
            "reason": obj.reason,
            "actor_ci": obj.actor_ci,
        }

    def decode(self, data: dict[str, Any]) -> Cause:
        """Decode."""
        return Cause(
            data["actor_id"],
            Role(data["actor_role"]),
            data["correlation_id"],
            data.get("reason"),
            data.get("actor_ci"),
        )


def register_pso_transcodings(transcoder: JSONTranscoder) -> None:
    """Add the register's transcodings to an eventsourcing transcoder."""
    transcoder.register(DateAsISO())
    transcoder.register(CauseAsDict())
