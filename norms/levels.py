"""The rungs of the ladder (prestatieladder), lowest first."""

from __future__ import annotations

from enum import StrEnum


class Level(StrEnum):
    """A certification level; compare by place on the ladder with `rank` or `at_least`."""

    ASPIRANT = "aspirant"
    BASISTREDE = "basistrede"
    TREDE_1 = "trede_1"
    TREDE_2 = "trede_2"
    TREDE_3 = "trede_3"

    @property
    def rank(self) -> int:
        """Position on the ladder: 0 for aspirant up to 4 for trede 3."""
        return _ORDER.index(self)

    def at_least(self, other: Level) -> bool:
        """True when this level is ``other`` or higher."""
        return self.rank >= other.rank


_ORDER = list(Level)

#: Levels reached by a score against a norm (aspirant rests on a plan of approach instead).
SCORED_LEVELS = (Level.BASISTREDE, Level.TREDE_1, Level.TREDE_2, Level.TREDE_3)
