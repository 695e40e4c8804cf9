"""Query functions the API uses; they return plain values, never ORM rows."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine

from domain.position import Gap, Position, choose, gaps_in
from domain.values import kvk_number
from norms.levels import Level
from projections.ladder import Ladder


class LadderQueries:
    """Position and coverage from the bitemporal ladder history."""

    def __init__(self, engine: Engine, ladder: Ladder) -> None:
        self.engine = engine
        self.ladder = ladder

    def position(self, kvk: str, on: dt.date, as_known_at: dt.datetime | None = None) -> Position:
        """The level on day ``on``, as known now or as the register knew it at ``as_known_at``."""
        kvk_number(kvk)
        with self.engine.connect() as conn:
            known, any_certificate = self.ladder.known(conn, kvk, as_known_at)
        return choose(on, known, any_certificate=any_certificate)

    def coverage(self, kvk: str, start: dt.date, end: dt.date, min_level: Level) -> list[Gap]:
        """The runs of days from start to end without a certificate at min_level or above."""
        kvk_number(kvk)
        with self.engine.connect() as conn:
            known, any_certificate = self.ladder.known(conn, kvk, None)
        return gaps_in(known, start, end, min_level, any_certificate=any_certificate)
