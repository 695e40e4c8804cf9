"""Value types shared by the aggregates: KvK numbers, actors and the cause of every event."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum

from domain.bounds import REASON_LENGTH, text
from domain.errors import InvalidInputError
from norms.declaration import KVK_NUMBER

#: a certificate number: PSO-<year>-<serial>, ASCII digits only
CERTIFICATE_NUMBER = re.compile(r"PSO-([0-9]{4})-([0-9]{6})")


class Role(StrEnum):
    """Who may cause an event."""

    ADMIN = "admin"
    STAFF = "staff"
    AUDITOR = "auditor"
    SCHEDULER = "scheduler"
    IMPORT = "import"
    #: anyone, without an account: asks the register for a statement
    PUBLIC = "public"


#: The certifying institutions (CIs) named in public sources; staff may add more later.
KNOWN_CIS = ("kiwa", "tuv_rheinland", "normec", "dnv")


def ci_code(name: str, field: str = "ci") -> str:
    """``TÜV Rheinland`` -> ``tuv_rheinland``: the register's code of a certifying institution."""
    code = name.strip().lower().replace("ü", "u").replace(" ", "_").replace("-", "_")
    if code not in KNOWN_CIS:
        msg = f"{field}: unknown certifying institution {name!r}; known: {', '.join(KNOWN_CIS)}"
        raise InvalidInputError(msg)
    return code


@dataclass(frozen=True)
class Cause:
    """Who caused an event, in which request, and why (where a person decided)."""

    actor_id: str
    actor_role: Role
    correlation_id: str
    reason: str | None = None
    actor_ci: str | None = None

    def because(self, reason: str | None) -> Cause:
        """The same cause with a reason."""
        return Cause(self.actor_id, self.actor_role, self.correlation_id, reason, self.actor_ci)


def kvk_number(value: object, field: str = "kvk") -> str:
    """A KvK number: exactly 8 digits, kept as text (leading zeros matter)."""
    if not isinstance(value, str) or not KVK_NUMBER.fullmatch(value):
        msg = f"{field}: a KvK number has exactly 8 digits, got {value!r}"
        raise InvalidInputError(msg)
    return value


def require_reason(reason: str | None, what: str) -> str:
    """A person's decision needs a reason."""
    if reason is None or not reason.strip():
        msg = f"{what} needs a reason"
        raise InvalidInputError(msg)
    return text(reason, "reason", REASON_LENGTH, multiline=True)


def require_order(first: dt.date, second: dt.date, what: str, first_is: str = "") -> None:
    """Refuse dates in the wrong order, naming them (``first_is``: what the earlier date is)."""
    if second < first:
        earlier = f"{first} ({first_is})" if first_is else str(first)
        msg = f"{what}: {second} lies before {earlier}"
        raise InvalidInputError(msg)


@dataclass(frozen=True, order=True)
class ContributionYear:
    """One year of a certificate's annual contribution (jaarbijdrage), written
    ``PSO-2025-000001/1``: the certificate number, a slash, the year of the agreement (1 or 2).

    The staff API's URLs (and ids answered before this form) spell it ``PSO-2025-000001-1``;
    ``parse`` accepts that too.
    """

    number: str
    year: int

    def __str__(self) -> str:
        return f"{self.number}/{self.year}"

    @classmethod
    def parse(cls, text: str) -> ContributionYear:
        """``PSO-YYYY-NNNNNN/<year>`` (or ``PSO-YYYY-NNNNNN-<year>``)."""
        found = _CONTRIBUTION_YEAR.fullmatch(text)
        if found is None:
            msg = f"contribution id: expected PSO-YYYY-NNNNNN/<year>, got {text!r}"
            raise InvalidInputError(msg)
        return cls(found["number"], int(found["year"]))


_CONTRIBUTION_YEAR = re.compile(r"(?P<number>PSO-[0-9]{4}-[0-9]{6})[/-](?P<year>[0-9]{1,2})")
