"""Commands on objections (bezwaar): board stage, committee stage, and the revision that follows."""

from __future__ import annotations

import datetime as dt
from uuid import UUID

from domain.application import ApplicationState
from domain.errors import InvalidInputError, InvalidTransitionError
from domain.objection import Objection, Outcome
from domain.service.decisions import DecisionCommands
from domain.values import Cause, require_reason
from norms.levels import Level


class ObjectionCommands(DecisionCommands):
    """Objections against decisions; an upheld one may revise the level from the original start."""

    def objection(self, objection_id: UUID) -> Objection:
        """One objection by id."""
        found: Objection = self._get(Objection, objection_id, f"objection {objection_id}")
        return found

    def file_objection(self, application_id: UUID, filed_on: dt.date, cause: Cause) -> UUID:
        """Object to the decision on an application, within the board window (4 weeks)."""
        app = self.application(application_id)
        if app.decision_date is None or app.state not in (
            ApplicationState.GRANTED,
            ApplicationState.REFUSED,
        ):
            raise InvalidTransitionError("an objection needs a decision to object to")
        weeks = self.catalogue.version(app.handbook_version).procedure.board_objection_weeks
        objection = Objection.file(
            self.new_id(),
            app.id,
            app.organisation_id,
            app.decision_date,
            filed_on,
            weeks.value,
            self.clock.now(),
            cause.because(require_reason(cause.reason, "an objection")),
        )
        app.lodge_objection(objection.id, self.clock.now(), cause)
        self._save(objection, app)
        return objection.id

    def answer_objection(
        self,
        objection_id: UUID,
        answer_date: dt.date,
        outcome: Outcome,
        cause: Cause,
        revised_level: Level | None = None,
    ) -> str | None:
        """The board's answer; upheld with a level revises (or issues) the certificate."""
        self._staff_only(cause, "answer objections")
        objection = self.objection(objection_id)
        reason = cause.because(require_reason(cause.reason, "an answer to an objection"))
        objection.answer_by_board(
            answer_date, outcome, _level_name(outcome, revised_level), self.clock.now(), reason
        )
        return self._apply_outcome(objection, outcome, revised_level, reason)

    def escalate_objection(self, objection_id: UUID, filed_on: dt.date, cause: Cause) -> None:
        """Take a rejected objection to TNO's committee within 4 weeks of the board's answer."""
        objection = self.objection(objection_id)
        app = self.application(objection.application_id)
        weeks = self.catalogue.version(app.handbook_version).procedure.committee_objection_weeks
        objection.escalate(filed_on, weeks.value, self.clock.now(), cause)
        self._save(objection)

    def record_committee_decision(
        self,
        objection_id: UUID,
        decision_date: dt.date,
        outcome: Outcome,
        cause: Cause,
        revised_level: Level | None = None,
    ) -> str | None:
        """The committee's final decision, recorded by staff."""
        self._staff_only(cause, "record committee decisions")
        objection = self.objection(objection_id)
        reason = cause.because(require_reason(cause.reason, "a committee decision"))
        objection.decide_by_committee(
            decision_date, outcome, _level_name(outcome, revised_level), self.clock.now(), reason
        )
        return self._apply_outcome(objection, outcome, revised_level, reason)

    def _apply_outcome(
        self, objection: Objection, outcome: Outcome, level: Level | None, cause: Cause
    ) -> str | None:
        if outcome is not Outcome.UPHELD or level is None:
            self._save(objection)
            return None
        app = self.application(objection.application_id)
        assessment = self._assess(app)
        self._check_grantable(level, assessment.level, assessment, cause)
        pso30plus = level is Level.TREDE_3 and assessment.pso30plus.eligible
        if app.certificate_id is not None:
            cert = self._certificate_by_id(app.certificate_id)
            cert.revise_level(level, pso30plus, self.clock.now(), cause)
            self._save(objection, cert)
            return cert.number
        assert app.decision_date is not None  # noqa: S101 (objections follow decisions)
        return self._issue(
            app, level, assessment, app.decision_date, cause, together_with=(objection,)
        )


def _level_name(outcome: Outcome, level: Level | None) -> str | None:
    if level is not None and outcome is not Outcome.UPHELD:
        raise InvalidInputError("revised_level: only an upheld objection revises the level")
    return level.value if level else None
