"""Query functions the API uses; they return plain values (dicts, dataclasses), never ORM rows."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from typing import Any, NamedTuple

from sqlalchemy import (
    Connection,
    Date,
    Engine,
    Integer,
    Row,
    and_,
    bindparam,
    case,
    func,
    or_,
    select,
    union,
)

from domain.bounds import asked, period, query_day, search_text
from domain.clock import Clock, SystemClock, business_date
from domain.position import (
    IN_FORCE,
    STATUS_OF,
    Gap,
    Position,
    Standing,
    choose,
    gaps_in,
    status_on,
)
from domain.values import kvk_number
from norms.levels import Level
from projections.catalogue import ReadModels
from projections.ladder import stretch_of
from projections.search import match_text, matching, words
from projections.tracking import tracking

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


class Shape(NamedTuple):
    """Which parts a register search has: each shape is one prebuilt statement."""

    q: bool
    words: bool
    alone: bool
    cursor: bool
    place: bool
    level: bool
    status: bool


class RegisterQueries:
    """Reads of the public register, the ladder history and the change feed.

    Every status is the status on a business date (default: today in the Netherlands), read from
    the ladder's stretches as the register knows them now; only organisations that hold or held
    a certificate (aspirant status included) by that day appear.
    """

    def __init__(
        self,
        engine: Engine,
        models: ReadModels,
        clock: Clock | None = None,
        head: Callable[[], int] | None = None,
    ) -> None:
        self.engine = engine
        self.clock = clock or SystemClock()
        #: the event log's last position (None: the caller keeps the read models caught up)
        self.head = head
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
        self._on_day_statements = {o: self._build_on_day(outer=o) for o in (False, True)}
        self._search_statements: dict[Shape, Any] = {}
        stretches = self.ladder.rows
        self._own_stretches = select(stretches).where(
            stretches.c.number == bindparam("number"), stretches.c.recorded_to.is_(None)
        )

    def _sealed(self, conn: Connection) -> dt.date:
        """The last day whose feed entries are all applied (see ``changes``)."""
        feed = self.feed.feed
        last = conn.execute(select(func.max(feed.c.recorded_at))).scalar()
        sealed = business_date(_utc(last)) if last is not None else dt.date.min
        position = conn.execute(
            select(tracking.c.position).where(
                tracking.c.projection == self.feed.key[0], tracking.c.version == self.feed.key[1]
            )
        ).scalar()
        if self.head is None or (position or 0) >= self.head():
            sealed = max(sealed, business_date(self.clock.now() - SEAL_GRACE))
        return sealed

    def today(self) -> dt.date:
        """The business date of now (Europe/Amsterdam)."""
        return business_date(self.clock.now())

    def _on_day(self, on: dt.date | None, *, outer: bool = False) -> tuple[Any, Any, dt.date]:
        """The organisations joined with the stretch that decides their position on the day (the
        ordering of ``domain.position.choose`` in SQL; the day is the bind parameter ``day``),
        and the day. ``outer``: also those certified only after the day (no stretch holds it
        yet), never those never certified."""
        day = query_day(on, "on") if on is not None else self.today()
        query, chosen = self._on_day_statements[outer]
        return query, chosen, day

    def _build_on_day(self, *, outer: bool) -> tuple[Any, Any]:
        day = bindparam("day", type_=Date)
        orgs, s = self.register.organisations, self.ladder.rows
        in_force = s.c.standing.in_(IN_FORCE_NAMES)
        chosen_id = (
            select(s.c.id)
            .where(
                s.c.organisation_id == orgs.c.organisation_id,
                s.c.recorded_to.is_(None),
                s.c.start <= day,
                or_(s.c.end.is_(None), s.c.end > day),
            )
            .order_by(
                case((in_force, 1), else_=0).desc(),
                case((and_(in_force, s.c.standing == "certified"), 1), else_=0).desc(),
                case((in_force, s.c.valid_from), else_=s.c.start).desc(),
                s.c.number.desc(),
            )
            .limit(1)
            .correlate(orgs)
            .scalar_subquery()
        )
        chosen = s.alias("chosen")
        certs = self.register.certificates
        query = (
            select(
                orgs,
                chosen.c.number.label("certificate_number"),
                chosen.c.standing,
                chosen.c.level.label("certificate_level"),
                chosen.c.pso30plus.label("certificate_pso30plus"),
                chosen.c.valid_from,
                chosen.c.valid_until,
                certs.c.ci,
            )
            .select_from(orgs)
            .join(chosen, chosen.c.id == chosen_id, isouter=outer)
            .join(certs, certs.c.number == chosen.c.number, isouter=outer)
        )
        if outer:
            ever = select(s.c.id).where(s.c.organisation_id == orgs.c.organisation_id)
            query = query.where(ever.exists())
        return query, chosen

    def search(
        self,
        q: str | None = None,
        place: str | None = None,
        level: Level | None = None,
        status: str | None = None,
        cursor: str | None = None,
        limit: int = 50,
        on: dt.date | None = None,
    ) -> tuple[list[dict[str, Any]], str | None]:
        """Organisations matching the filters on a day, ordered by main KvK; the next cursor."""
        q, place = search_text(q, "q"), search_text(place, "place")
        day = query_day(on, "on") if on is not None else self.today()
        limit = min(limit, MAX_PAGE)
        asked = words(q) if q else []
        # alone, a name search stops at the page's last name (cursors are main KvK numbers, the
        # names' rowids); with other filters it cannot
        alone = not (place or level or status) and (cursor is None or _is_kvk(cursor))
        shape = Shape(bool(q), bool(asked), alone, bool(cursor), bool(place), bool(level),
                      bool(status))  # fmt: skip
        statement = self._search_statements.get(shape)
        if statement is None:
            statement = self._search_statements[shape] = self._build_search(shape)
        params: dict[str, Any] = {"day": day, "page": limit + 1}
        if q:
            params |= {"q": q, "number": q.upper()}
        if asked:
            params["match"] = match_text(asked, self.engine.dialect.name)
        if cursor:
            params["cursor"] = cursor
            if alone:
                params["cursor_rowid"] = int(cursor)
        if place:
            params["place"] = place.lower()
        if level:
            params["level"] = level.value
        if status:
            params["standing"] = STANDING_OF_STATUS[status]
        with self.engine.connect() as conn:
            rows = [_organisation_on_day(plain(r), day) for r in conn.execute(statement, params)]
        page = rows[:limit]
        more = len(rows) > len(page)
        return page, (page[-1]["main_kvk"] if more and page else None)

    def _build_search(self, shape: Shape) -> Any:
        """The statement of one shape of search, its values bind parameters."""
        orgs = self.register.organisations
        query, chosen = self._on_day_statements[False]
        query = query.order_by(orgs.c.main_kvk).limit(bindparam("page", type_=Integer))
        if shape.q:
            query = query.where(orgs.c.organisation_id.in_(self._found(shape)))
        if shape.place:
            query = query.where(func.lower(orgs.c.place) == bindparam("place"))
        if shape.level:
            query = query.where(
                chosen.c.standing == "certified", chosen.c.level == bindparam("level")
            )
        if shape.status:
            query = query.where(chosen.c.standing == bindparam("standing"))
        if shape.cursor:
            query = query.where(orgs.c.main_kvk > bindparam("cursor"))
        return query

    def _found(self, shape: Shape) -> Any:
        """The organisations a search finds: by the words of their name (accents, case and
        legal forms ignored, each word asked beginning a word of the name), by any KvK number
        they cover, or by the number of any of their certificates. Alone, only the first page
        of name matches after the cursor, in main KvK order."""
        kvks, certs, names = self.register.kvks, self.register.certificates, self.register.names
        found = [
            select(kvks.c.organisation_id).where(kvks.c.kvk == bindparam("q")),
            select(certs.c.organisation_id).where(certs.c.number == bindparam("number")),
        ]
        if shape.words:
            by_name = select(names.c.organisation_id).where(
                matching(names, self.engine.dialect.name)
            )
            if shape.alone:
                if shape.cursor:
                    by_name = by_name.where(names.c.rowid > bindparam("cursor_rowid"))
                page = by_name.order_by(names.c.rowid).limit(bindparam("page", type_=Integer))
                by_name = select(page.subquery().c.organisation_id)
            found.append(by_name)
        return union(*found)

    def level_counts(self, on: dt.date | None = None) -> Counter[str]:
        """Organisations by the level they hold on a day ("none" without one)."""
        query, _, day = self._on_day(on)
        inner = query.subquery()
        counted = select(inner.c.standing, inner.c.certificate_level, func.count()).group_by(
            inner.c.standing, inner.c.certificate_level
        )
        counts: Counter[str] = Counter()
        with self.engine.connect() as conn:
            for standing, level, count in conn.execute(counted, {"day": day}):
                counts[level if standing == "certified" else "none"] += count
        return counts

    def certificate(self, number: str, on: dt.date | None = None) -> dict[str, Any] | None:
        """One certificate with its status on a day and its history (changes whose effective
        date lies after that day are marked scheduled), or None."""
        day = query_day(on, "on") if on is not None else self.today()
        with self.engine.connect() as conn:
            row = conn.execute(self._certificate, {"number": number}).first()
            if row is None:
                return None
            changes = conn.execute(self._history, {"number": number}).all()
            own = conn.execute(self._own_stretches, {"number": number}).all()
        found = plain(row)
        status = status_on([stretch_of(s) for s in own], day)
        found["status"] = status.value if status else NOT_YET_VALID
        found["on"] = day
        found["history"] = [_change_on_day(plain(c), day) for c in changes]
        return found

    def organisation(self, kvk: str, on: dt.date | None = None) -> dict[str, Any] | None:
        """The organisation covering a KvK number on a day, with all its certificates (each
        with its status that day), or None: also for an organisation that never held one, so
        the register does not reveal who applied."""
        kvk_number(kvk)
        orgs, kvks = self.register.organisations, self.register.kvks
        query, _, day = self._on_day(on, outer=True)
        query = query.join(kvks, kvks.c.organisation_id == orgs.c.organisation_id).where(
            kvks.c.kvk == kvk
        )
        with self.engine.connect() as conn:
            row = conn.execute(query, {"day": day}).first()
            numbers = [] if row is None else self._numbers(conn, row.organisation_id)
        if row is None:
            return None
        found = _organisation_on_day(plain(row), day)
        found["certificates"] = [self.certificate(n, day) for n in numbers]
        return found

    def _numbers(self, conn: Connection, organisation_id: str) -> list[str]:
        certs = self.register.certificates
        query = (
            select(certs.c.number)
            .where(certs.c.organisation_id == organisation_id)
            .order_by(certs.c.valid_from, certs.c.number)
        )
        return [number for (number,) in conn.execute(query)]

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

    def changes(
        self, after: int = 0, limit: int = 100, today: dt.date | None = None
    ) -> tuple[list[dict[str, Any]], int]:
        """Public changes published by today, after a cursor; the cursor to continue from.

        A day's entries are served only once the feed applied every change recorded before that
        day (so no entry can later appear below a cursor a client holds): up to the day of the
        last change it applied, and up to today once it is at the head of the log (from
        ``SEAL_GRACE`` after midnight: a command recorded just before midnight may commit just
        after it).
        """
        feed = self.feed.feed
        day = today or self.today()
        with self.engine.connect() as conn:
            day = min(day, self._sealed(conn))
            rows = conn.execute(
                select(feed)
                .where(feed.c.cursor > after, feed.c.published_on <= day)
                .order_by(feed.c.cursor)
                .limit(min(limit, MAX_PAGE))
            ).all()
        items = [plain(r) for r in rows]
        return items, (items[-1]["cursor"] if items else after)


#: how long after midnight the entries of the new day wait for commands recorded before it
SEAL_GRACE = dt.timedelta(seconds=60)
IN_FORCE_NAMES = tuple(s.value for s in IN_FORCE)
STANDING_OF_STATUS = {status.value: standing.value for standing, status in STATUS_OF.items()}
#: the status of a certificate on a day before its validity starts
NOT_YET_VALID = "not_yet_valid"


def _organisation_on_day(row: dict[str, Any], day: dt.date) -> dict[str, Any]:
    """An organisation row with the certificate that decides its position on the day: the level
    and 30+ it holds (None unless certified) and the status of that certificate (None before its
    first certificate)."""
    found = row.pop("standing")
    standing = Standing(found) if found is not None else None
    level, pso30plus = row.pop("certificate_level"), row.pop("certificate_pso30plus")
    held = standing is Standing.CERTIFIED
    return {
        **row,
        "on": day,
        "level": level if held else None,
        "pso30plus": bool(pso30plus) if held else False,
        "status": STATUS_OF[standing].value if standing is not None else None,
        "certificate_level": level,
    }


def _change_on_day(row: dict[str, Any], day: dt.date) -> dict[str, Any]:
    """A history entry; scheduled when it takes effect after the day."""
    effective = row.get("effective_date")
    return {**row, "scheduled": effective is not None and effective > day}


def _is_kvk(text: str) -> bool:
    """Eight ASCII digits."""
    return len(text) == 8 and text.isascii() and text.isdigit()


def _utc(moment: dt.datetime) -> dt.datetime:
    """A stored moment as aware UTC (SQLite forgets the zone)."""
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
