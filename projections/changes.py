"""The public change feed: certificate changes in the order they were published, each on the day
it takes effect (a change recorded with a future effective date waits for its day), with a stable
cursor (publication day and log position).

Each entry's status is the certificate's status on the day the change takes effect (the
publication day for a change without one), as the register knew it when the change was recorded.
A scheduled entry that a later change makes void before its day (a suspension scheduled after a
withdrawal that takes effect first) is removed before anyone could read it:
``RegisterQueries.changes`` serves a day's entries only once every change recorded before that
day has been applied, so a cursor a client holds never skips a later entry.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import BigInteger, Boolean, Column, Connection, Date, DateTime, String

from domain.certificate import Status
from domain.clock import business_date
from domain.position import Stretch, status_on, stretches
from projections.ladder import CERTIFICATE_CHANGES, CERTIFICATE_EVENTS
from projections.projection import Projection
from projections.register import effective_date

#: a cursor is the publication day and the log position: day * 2**40 + position
POSITIONS_PER_DAY = 2**40


def cursor_of(published_on: dt.date, position: int) -> int:
    """The cursor of a change published on a day (positions stay below 2**40)."""
    return published_on.toordinal() * POSITIONS_PER_DAY + position


class ChangeFeed(Projection):
    """Issued, level revised, suspended, reinstated, withdrawn, expired, superseded, extended."""

    name = "changes"
    # v2: published on the effective day, cursors by publication day and position; v3: status on
    # the publication day, void scheduled entries removed
    version = 3

    def __init__(self) -> None:
        super().__init__()
        self.feed = self.table(
            "feed",
            Column("cursor", BigInteger, primary_key=True),
            Column("position", BigInteger, nullable=False),
            Column("published_on", Date, nullable=False, index=True),
            Column("change", String(20), nullable=False),
            Column("certificate_number", String(20), nullable=False, index=True),
            Column("covered_kvks", String(2000), nullable=False),
            Column("level", String(12), nullable=False),
            Column("pso30plus", Boolean, nullable=False),
            Column("status", String(12), nullable=False),
            Column("effective_date", Date),
            Column("recorded_at", DateTime(timezone=True), nullable=False, index=True),
        )
        self.feed_rows = self.buffer(self.feed)
        for event_class in CERTIFICATE_EVENTS:
            self.on(event_class, self.changed)

    def changed(self, conn: Connection, event: Any, cert: Any, position: int) -> None:
        """One public line per certificate event that takes effect, published on the day it takes
        effect (or the day it was recorded, if that is later: a backdated change is news on the
        day it is learned)."""
        change = CERTIFICATE_CHANGES[type(event).TOPIC]
        effective = effective_date(event, cert)
        recorded = business_date(event.timestamp)
        published = max(recorded, effective) if effective else recorded
        own = stretches(cert)
        if change in ENDING_CHANGES or _may_have_scheduled(cert, recorded):
            for row in self.feed_rows.find(conn, "certificate_number", cert.number):
                day = row["effective_date"] or row["published_on"]
                if row["published_on"] > recorded and not takes_effect(row["change"], own, day):
                    self.feed_rows.delete(conn, row["cursor"])
        day = effective or published
        if not takes_effect(change, own, day):
            return
        status = status_on(own, day)
        self.feed_rows.add(
            {
                "cursor": cursor_of(published, position),
                "position": position,
                "published_on": published,
                "change": change,
                "certificate_number": cert.number,
                "covered_kvks": ",".join(cert.covered_kvks),
                "level": cert.level.value,
                "pso30plus": cert.pso30plus,
                "status": (status or Status.ACTIVE).value,
                "effective_date": effective,
                "recorded_at": event.timestamp,
            }
        )


#: the status a change of this kind leaves the certificate in on its day, if it takes effect
TAKES_EFFECT_AS = {
    "suspended": Status.SUSPENDED,
    "reinstated": Status.ACTIVE,
    "withdrawn": Status.WITHDRAWN,
    "superseded": Status.SUPERSEDED,
    "expired": Status.EXPIRED,
}


#: changes that may end a certificate earlier than a change scheduled before them
ENDING_CHANGES = ("withdrawn", "superseded", "expired")


def takes_effect(change: str, own: list[Stretch], day: dt.date) -> bool:
    """True when the change shows on its day in the certificate's stretches (a reinstatement
    also needs a suspension the day before); issues, revisions and extensions always do."""
    wanted = TAKES_EFFECT_AS.get(change)
    if wanted is None:
        return True
    if status_on(own, day) is not wanted:
        return False
    before = status_on(own, day - dt.timedelta(days=1))
    return change != "reinstated" or before is Status.SUSPENDED


def _may_have_scheduled(cert: Any, recorded: dt.date) -> bool:
    """True when some change of the certificate takes effect after the day (only then can an
    entry of it still wait for its day)."""
    later = [cert.ended_on, *(d for s in cert.suspensions for d in (s.since, s.until))]
    return any(day is not None and day > recorded for day in later)
