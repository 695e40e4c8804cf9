"""Three changes the demo register records on its last day, so that both of the register's times
can be seen: a withdrawal and a suspension that took effect weeks before the register learned of
them, and a suspension scheduled for a later day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from domain.clock import SimulatedClock, business_date
from domain.register import Register
from domain.values import Cause, Role

STAFF = Cause("demo-staff", Role.STAFF, "demo-stories", reason="demo: a change entered late")
#: (what, days from the register's last day to the day the change takes effect)
STORIES = (("backdated withdrawal", -60), ("backdated suspension", -30),
           ("scheduled suspension", 30))  # fmt: skip


@dataclass(frozen=True)
class Story:
    """A change recorded on purpose: on ``effective_on``, learned at ``recorded_at``."""

    what: str
    kvk: str
    number: str
    effective_on: dt.date
    recorded_at: dt.datetime
    #: a moment before the change was recorded: ask ``as_known_at`` this to see the difference
    known_before: dt.datetime


def tell(register: Register, clock: SimulatedClock, kvks: Iterable[str]) -> list[Story]:
    """Record the stories on organisations certified on the register's last day (each on its
    own certificate, whose validity holds the effective day); fewer when too few qualify."""
    known_before = clock.now()
    clock.advance(dt.timedelta(hours=1))
    today = business_date(clock.now())
    told: list[Story] = []
    remaining = list(STORIES)
    for kvk in kvks:
        if not remaining:
            break
        what, offset = remaining[0]
        day = today + dt.timedelta(days=offset)
        position = register.position(kvk, today)
        cert = position.certificate
        if not position.in_force or cert is None or not cert.valid_from <= day <= cert.valid_until:
            continue
        if what.endswith("withdrawal"):
            register.withdraw_certificate(cert.number, day, STAFF)
        else:
            register.suspend_certificate(cert.number, day, STAFF)
        told.append(Story(what, kvk, cert.number, day, clock.now(), known_before))
        remaining.pop(0)
    return told
