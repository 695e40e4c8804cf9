"""Commands on objections (bezwaar): board stage, committee stage, and the revision that follows."""

from __future__ import annotations

import datetime as dt
from uuid import UUID

from domain.errors import InvalidInputError
from domain.objection import Objection, Outcome
from domain.service.authorisation import require_staff
from domain.service.issuance import Issuance
from domain.values import Cause, require_reason
from norms.levels import Level


class ObjectionCommands(Issuance):
    """Objections against decisions; an upheld one may revise the level from the original start."""

    def objection(self, objection_id: UUID) -> Objection:
        """One objection by id."""
        found: Objection = self._get(Objection, objection_id, f"objection {objection_id}")
        return found

    def file_objection(self, application_id: UUID, filed_on: dt.date, cause: Cause) -> UUID:
        """Object to the decision on an application, within the board window (4 weeks)."""
        app = self.application(application_id)
        decided_on = app.decision_to_object_to()
        weeks = self.catalogue.version(app.handbook_version).procedure.board_objection_weeks
        objection = Objection.file(
            self.new_id(),
            app.id,
            app.organisation_id,
            decided_on,
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
        require_staff(cause, "answer objections")
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
        require_staff(cause, "record committee decisions")
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
        granted = self._grant(assessment, level, cause, pso30plus=None)
        assert granted is not None  # noqa: S101 (a level was asked for)
        if app.certificate_id is not None:
            cert = self._certificate_by_id(app.certificate_id)
            cert.revise_level(granted.level, granted.pso30plus, self.clock.now(), cause)
            self._save(objection, cert)
            return cert.number
        issued = self._issue(
            app,
            granted.level,
            assessment,
            app.decision_to_object_to(),
            cause,
            together_with=(objection,),
            pso30plus=granted.pso30plus,
        )
        return issued.number


def _level_name(outcome: Outcome, level: Level | None) -> str | None:
    if level is not None and outcome is not Outcome.UPHELD:
        raise InvalidInputError("revised_level: only an upheld objection revises the level")
    return level.value if level else None
