"""The public documents of the register's answers: one function per answer, used by the HTTP
routes (api/routes/public.py) and the command line alike (transports only serialise them).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from domain.position import CertificateOnDay, Gap, Position

ORGANISATION_FIELDS = ("main_kvk", "name", "place", "covered_kvks", "on", "status", "level",
                       "pso30plus", "certificate_number", "valid_from", "valid_until",
                       "ci")  # fmt: skip
CERTIFICATE_FIELDS = ("number", "on", "status", "level", "pso30plus", "valid_from", "valid_until",
                      "ended_on", "handbook_version", "covered_kvks", "ci")  # fmt: skip
HISTORY_FIELDS = ("position", "change", "level", "effective_date", "recorded_at", "scheduled")


def pick(row: dict[str, Any], fields: tuple[str, ...]) -> dict[str, Any]:
    """The named fields of a row (None where absent)."""
    return {name: row.get(name) for name in fields}


def public_certificate(row: dict[str, Any]) -> dict[str, Any]:
    """The public fields of a certificate, with its history when loaded."""
    found = pick(row, CERTIFICATE_FIELDS)
    found["history"] = [pick(h, HISTORY_FIELDS) for h in row.get("history", [])]
    return found


def organisation_document(kvk: str, row: dict[str, Any], position: Position) -> dict[str, Any]:
    """The public JSON form of an organisation on a day."""
    found = pick(row, ORGANISATION_FIELDS)
    found["position"] = position_document(kvk, position, None)
    found["certificates"] = [public_certificate(c) for c in row["certificates"]]
    found["successor"], found["predecessor"] = row.get("successor"), row.get("predecessor")
    return found


def explain(position: Position) -> str:
    """What a position means, in one sentence: the change that decided it, its effective date
    and when the register recorded it."""
    cert, standing = position.certificate, position.standing.value
    if standing == "never_certified" or cert is None:
        if standing == "never_certified":
            return "never certified: the register has no certificate for this organisation"
        return f"not yet certified on {position.on}"
    recorded = f" (recorded {position.recorded_at.isoformat()})" if position.recorded_at else ""
    if standing == "certified":
        return (f"certified at {cert.level.value} by {cert.number} since {position.since}"
                f"{recorded}; valid {cert.valid_from} to {cert.valid_until}")  # fmt: skip
    if standing == "suspended":
        return f"{cert.number} ({cert.level.value}) suspended from {position.since}{recorded}"
    return f"{cert.number} ({cert.level.value}) {standing} on {position.since}{recorded}"


def certificate_on_day(cert: CertificateOnDay | None) -> dict[str, Any] | None:
    """The certificate an answer rests on: its own level and 30+, validity and status that day."""
    if cert is None:
        return None
    return {
        "number": cert.number,
        "level": cert.level.value,
        "pso30plus": cert.pso30plus,
        "valid_from": cert.valid_from,
        "valid_until": cert.valid_until,
        "status": cert.status.value,
    }


def position_document(
    kvk: str, position: Position, as_known_at: dt.datetime | None
) -> dict[str, Any]:
    """The public JSON form of a position: the level held that day (null unless certified) and
    the certificate it rests on."""
    return {
        "kvk": kvk,
        "on": position.on,
        "as_known_at": as_known_at,
        "status": position.standing.value,
        "level": position.level.value if position.level else None,
        "pso30plus": position.pso30plus,
        "certificate": certificate_on_day(position.certificate),
        "since": position.since,
        "recorded_at": position.recorded_at,
        "explanation": explain(position),
    }


def coverage_document(
    kvk: str, start: dt.date, end: dt.date, min_level: str, gaps: list[Gap]
) -> dict[str, Any]:
    """The public JSON form of a coverage answer: covered, or the gaps (position contract)."""
    return {
        "kvk": kvk,
        "from": start,
        "to": end,
        "min_level": min_level,
        "covered": not gaps,
        "gaps": [
            {
                "from": g.start,
                "to": g.end,
                "status": g.standing.value,
                "level": g.level.value if g.level else None,
                "certificate": certificate_on_day(g.certificate),
            }
            for g in gaps
        ],
    }
