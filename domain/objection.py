"""An objection (bezwaar) to a decision: to the board, then to TNO's Commissie van Deskundigen."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import TYPE_CHECKING
from uuid import UUID

from domain.aggregate import AggregateCreated, PsoAggregate
from domain.bounds import fact_day
from domain.errors import InvalidTransitionError
from domain.values import Cause, require_order


class Stage(StrEnum):
    """Who handles the objection now, or how it ended."""

    BOARD = "board"
    BOARD_ANSWERED = "board_answered"
    COMMITTEE = "committee"
    CLOSED = "closed"


class Outcome(StrEnum):
    """The answer to an objection."""

    UPHELD = "upheld"
    REJECTED = "rejected"


class Objection(PsoAggregate):
    """An objection against the decision on one application, in two stages with 4-week windows."""

    TOPIC = "pso.objection.Objection"

    class Filed(PsoAggregate.Event, AggregateCreated):
        """The organisation objected to the decision with the PSO-Nederland board."""

        TOPIC = "pso.objection.Filed.v1"
        application_id: UUID
        organisation_id: UUID
        decision_date: dt.date
        filed_on: dt.date

        def apply(self, o: Objection) -> None:
            """The board handles it."""
            o.application_id = self.application_id
            o.organisation_id = self.organisation_id
            o.decision_date = self.decision_date
            o.filed_on = self.filed_on
            o.stage = Stage.BOARD
            o.board_answer = None
            o.outcome = None
            o.revised_level = None

    class BoardAnswered(PsoAggregate.Event):
        """The board answered the objection."""

        TOPIC = "pso.objection.BoardAnswered.v1"
        answer_date: dt.date
        outcome: str
        revised_level: str | None

        def apply(self, o: Objection) -> None:
            """Upheld ends it; rejected may go to the committee."""
            o.board_answer = self.answer_date
            o.outcome = Outcome(self.outcome)
            o.revised_level = self.revised_level
            o.stage = Stage.CLOSED if o.outcome is Outcome.UPHELD else Stage.BOARD_ANSWERED

    class EscalatedToCommittee(PsoAggregate.Event):
        """The organisation took the board's answer to TNO's Commissie van Deskundigen."""

        TOPIC = "pso.objection.EscalatedToCommittee.v1"
        filed_on: dt.date

        def apply(self, o: Objection) -> None:
            """The committee handles it."""
            o.stage = Stage.COMMITTEE

    class CommitteeDecided(PsoAggregate.Event):
        """The committee decided; this ends the procedure."""

        TOPIC = "pso.objection.CommitteeDecided.v1"
        decision_date: dt.date
        outcome: str
        revised_level: str | None

        def apply(self, o: Objection) -> None:
            """Closed with the committee's outcome."""
            o.outcome = Outcome(self.outcome)
            o.revised_level = self.revised_level
            o.stage = Stage.CLOSED

    if TYPE_CHECKING:  # state set by the events' apply methods, typed for mypy
        application_id: UUID
        organisation_id: UUID
        decision_date: dt.date
        filed_on: dt.date
        stage: Stage
        board_answer: dt.date | None
        outcome: Outcome | None
        revised_level: str | None

    @classmethod
    def file(
        cls,
        objection_id: UUID,
        application_id: UUID,
        organisation_id: UUID,
        decision_date: dt.date,
        filed_on: dt.date,
        window_weeks: int,
        now: dt.datetime,
        cause: Cause,
    ) -> Objection:
        """Object to a decision within the window after it."""
        fact_day(filed_on, "filed_on", now)
        require_order(decision_date, filed_on, "filed_on", "the decision date")
        closes = decision_date + dt.timedelta(weeks=window_weeks)
        if filed_on > closes:
            msg = f"the objection window closed on {closes} ({window_weeks} weeks)"
            raise InvalidTransitionError(msg)
        return cls._create(
            cls.Filed,
            id=objection_id,
            timestamp=now,
            cause=cause,
            application_id=application_id,
            organisation_id=organisation_id,
            decision_date=decision_date,
            filed_on=filed_on,
        )

    def answer_by_board(
        self,
        answer_date: dt.date,
        outcome: Outcome,
        revised_level: str | None,
        now: dt.datetime,
        cause: Cause,
    ) -> None:
        """The board's answer; an upheld objection may carry a revised level."""
        if self.stage is not Stage.BOARD:
            raise InvalidTransitionError(
                f"the board already answered; the objection is {self.stage}"
            )
        fact_day(answer_date, "decided_on", now)
        require_order(self.filed_on, answer_date, "decided_on", "the day the objection was filed")
        self._trigger(
            self.BoardAnswered,
            now,
            cause,
            answer_date=answer_date,
            outcome=outcome.value,
            revised_level=revised_level,
        )

    def escalate(
        self, filed_on: dt.date, window_weeks: int, now: dt.datetime, cause: Cause
    ) -> None:
        """Take a rejected objection to the committee within the window after the board's answer."""
        if self.stage is not Stage.BOARD_ANSWERED or self.board_answer is None:
            raise InvalidTransitionError(
                f"only a rejected board answer can be escalated ({self.stage})"
            )
        fact_day(filed_on, "filed_on", now)
        require_order(self.board_answer, filed_on, "filed_on", "the board's answer")
        closes = self.board_answer + dt.timedelta(weeks=window_weeks)
        if filed_on > closes:
            msg = f"the committee window closed on {closes} ({window_weeks} weeks after the answer)"
            raise InvalidTransitionError(msg)
        self._trigger(self.EscalatedToCommittee, now, cause, filed_on=filed_on)

    def decide_by_committee(
        self,
        decision_date: dt.date,
        outcome: Outcome,
        revised_level: str | None,
        now: dt.datetime,
        cause: Cause,
    ) -> None:
        """The committee's final decision."""
        if self.stage is not Stage.COMMITTEE:
            raise InvalidTransitionError(
                f"the committee is not handling this objection ({self.stage})"
            )
        fact_day(decision_date, "decided_on", now)
        self._trigger(
            self.CommitteeDecided,
            now,
            cause,
            decision_date=decision_date,
            outcome=outcome.value,
            revised_level=revised_level,
        )
