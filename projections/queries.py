"""Query functions the API uses; they return plain values (dicts, dataclasses), never ORM rows."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from sqlalchemy import Engine, Row, bindparam, func, or_, select

from domain.bounds import asked, period, search_text
from domain.position import Gap, Position, choose, gaps_in
from domain.values import kvk_number
from norms.levels import Level
from projections.catalogue import ReadModels

MAX_PAGE = 200


def plain(row: Row[Any]) -> dict[str, Any]:
    """A row as a dictionary of plain values: KvK lists split, datetimes aware (UTC)."""
    values = dict(row._mapping)
    if "covered_kvks" in values and isinstance(values["covered_kvks"], str):
        values["covered_kvks"] = values["covered_kvks"].split(",")
    for key, value in values.items():
        if isinstance(value, dt.datetime) and value.tzinfo is None:
            values[key] = value.replace(tzinfo=dt.UTC)  # stored in UTC; SQLite forgets the zone
    return values


class RegisterQueries:
    """Reads of the public register, the ladder history and the change feed."""

    def __init__(self, engine: Engine, models: ReadModels) -> None:
        self.engine = engine
        self.register = models.register
        self.ladder = models.ladder
        self.feed = models.changes
        certs, history = self.register.certificates, self.register.history
        self._certificate = select(certs).where(certs.c.number == bindparam("number"))
        self._history = (
            select(history)
            .where(history.c.number == bindparam("number"))
            .order_by(history.c.position)
        )

    def search(
        self,
        q: str | None = None,
        place: str | None = None,
        level: Level | None = None,
        status: str | None = None,
        cursor: str | None = None,
        limit: int = 50,
    ) -> tuple[list[dict[str, Any]], str | None]:
        """Organisations matching the filters, ordered by main KvK; the next cursor if more."""
        q, place = search_text(q, "q"), search_text(place, "place")
        orgs, kvks = self.register.organisations, self.register.kvks
        query = select(orgs).order_by(orgs.c.main_kvk).limit(min(limit, MAX_PAGE) + 1)
        if q:
            by_kvk = select(kvks.c.organisation_id).where(kvks.c.kvk == q)
            query = query.where(
                or_(
                    orgs.c.name_lower.contains(q.lower(), autoescape=True),
                    orgs.c.organisation_id.in_(by_kvk),
                )
            )
        if place:
            query = query.where(func.lower(orgs.c.place) == place.lower())
        if level:
            query = query.where(orgs.c.level == level.value)
        if status:
            query = query.where(orgs.c.status == status)
        if cursor:
            query = query.where(orgs.c.main_kvk > cursor)
        with self.engine.connect() as conn:
            rows = [plain(r) for r in conn.execute(query)]
        page = rows[: min(limit, MAX_PAGE)]
        more = len(rows) > len(page)
        return page, (page[-1]["main_kvk"] if more and page else None)

    def level_counts(self) -> Counter[str]:
        """Organisations by the level of their certificate in force ("none" without one)."""
        orgs = self.register.organisations
        query = select(orgs.c.level, orgs.c.status, func.count()).group_by(
            orgs.c.level, orgs.c.status
        )
        counts: Counter[str] = Counter()
        with self.engine.connect() as conn:
            for level, status, count in conn.execute(query):
                counts[level if status == "active" and level else "none"] += count
        return counts

    def certificate(self, number: str) -> dict[str, Any] | None:
        """One certificate with its status history, or None."""
        with self.engine.connect() as conn:
            row = conn.execute(self._certificate, {"number": number}).first()
            if row is None:
                return None
            changes = conn.execute(self._history, {"number": number}).all()
        found = plain(row)
        found["history"] = [plain(c) for c in changes]
        return found

    def organisation(self, kvk: str) -> dict[str, Any] | None:
        """The organisation covering a KvK number with all its certificates, or None."""
        kvk_number(kvk)
        orgs, kvks, certs = (
            self.register.organisations,
            self.register.kvks,
            self.register.certificates,
        )
        with self.engine.connect() as conn:
            org_id = conn.execute(
                select(kvks.c.organisation_id).where(kvks.c.kvk == kvk)
            ).scalar_one_or_none()
            if org_id is None:
                return None
            org = conn.execute(select(orgs).where(orgs.c.organisation_id == org_id)).one()
            all_certs = conn.execute(
                select(certs).where(certs.c.organisation_id == org_id).order_by(certs.c.valid_from)
            ).all()
        found = plain(org)
        found["certificates"] = [plain(c) for c in all_certs]
        return found

    def position(self, kvk: str, on: dt.date, as_known_at: dt.datetime | None = None) -> Position:
        """The level on day ``on``, as known now or as the register knew it at ``as_known_at``."""
        kvk_number(kvk)
        on, as_known_at = asked(on, as_known_at)
        with self.engine.connect() as conn:
            known, any_certificate = self.ladder.known(conn, kvk, as_known_at)
        return choose(on, known, any_certificate=any_certificate)

    def coverage(self, kvk: str, start: dt.date, end: dt.date, min_level: Level) -> list[Gap]:
        """The runs of days from start to end without a certificate at min_level or above."""
        kvk_number(kvk)
        start, end = period(start, end)
        with self.engine.connect() as conn:
            known, any_certificate = self.ladder.known(conn, kvk, None)
        return gaps_in(known, start, end, min_level, any_certificate=any_certificate)

    def changes(self, after: int = 0, limit: int = 100) -> tuple[list[dict[str, Any]], int]:
        """Public changes after a cursor, in log order; the cursor to continue from."""
        feed = self.feed.feed
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(feed)
                .where(feed.c.position > after)
                .order_by(feed.c.position)
                .limit(min(limit, MAX_PAGE))
            ).all()
        items = [plain(r) for r in rows]
        return items, (items[-1]["position"] if items else after)
