"""Granting: the level and the PSO 30+ flag a decision may give on an assessment.

One pure function for the decision and for an upheld objection: staff may grant what the audited
figures support, or a lower level with a stated reason; aspirant status needs a complete,
board-approved plan of approach; PSO 30+ goes with trede 3 when the figures support it (staff may
withhold it, never grant it otherwise).
"""

from __future__ import annotations

from dataclasses import dataclass

from norms.assessment import Assessment
from norms.errors import NormsError
from norms.levels import Level


class NotGrantableError(NormsError):
    """The level or the PSO 30+ flag asked for is more than the audited figures support."""


class ReasonNeededError(NormsError):
    """The grant needs a stated reason (``what`` says for what)."""

    def __init__(self, what: str) -> None:
        self.what = what
        super().__init__(f"a reason is needed for {what}")


@dataclass(frozen=True)
class Grant:
    """What a decision grants."""

    level: Level
    pso30plus: bool
    #: granted below the level the figures support (with a stated reason)
    below_supported: bool = False


def grant(
    assessment: Assessment,
    level: Level | None = None,
    *,
    pso30plus: bool | None = None,
    reasoned: bool = False,
) -> Grant | None:
    """The grant for ``level`` (None: the level the figures support), or None when the figures
    support no level (the application is refused).

    ``pso30plus``: None grants the flag when the figures support it; False withholds it; True
    insists on it (refused when the figures do not support it). ``reasoned``: a reason was
    stated (a level below the supported one needs one).
    """
    supported = assessment.level
    granted = level or supported
    if granted is None:
        return None
    below = False
    if granted is Level.ASPIRANT:
        if not assessment.aspirant_plan_complete:
            msg = "level: aspirant needs a complete, board-approved plan of approach"
            raise NotGrantableError(msg)
    elif supported is None or supported is Level.ASPIRANT or not supported.at_least(granted):
        msg = f"level: {granted} exceeds what the audited figures support ({supported or 'none'})"
        raise NotGrantableError(msg)
    elif granted is not supported:
        if not reasoned:
            raise ReasonNeededError(f"granting {granted} below the supported {supported}")
        below = True
    eligible = granted is Level.TREDE_3 and assessment.pso30plus.eligible
    if pso30plus and not eligible:
        raise NotGrantableError("pso30plus: the audited figures do not support PSO 30+")
    return Grant(granted, eligible if pso30plus is None else pso30plus, below)
