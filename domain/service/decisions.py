"""The decision on an application: assess the audited figures, grant or refuse, and the
deadlines after it (overdue, final)."""

from __future__ import annotations

import datetime as dt
from uuid import UUID

from domain.application import ApplicationState, CertificationApplication
from domain.bounds import fact_day
from domain.clock import business_date
from domain.deadlines import decision_final_day, decision_overdue_day, last_timely_decision_day
from domain.errors import InvalidInputError
from domain.service.authorisation import require_staff
from domain.service.issuance import Issuance
from domain.service.results import DecisionResult
from domain.values import Cause, require_order, require_reason
from norms.assessment_document import assessment_document
from norms.handbook import HandbookVersion
from norms.levels import Level


class DecisionCommands(Issuance):
    """The decision: assess the audited figures, issue the certificate, supersede the old one."""

    def decide_application(
        self,
        application_id: UUID,
        decision_date: dt.date,
        cause: Cause,
        level: Level | None = None,
        *,
        pso30plus: bool | None = None,
    ) -> DecisionResult:
        """Decide: grant the level the audited figures support (or a lower one, with a reason).

        ``pso30plus``: None grants the flag when the figures support it; False withholds it;
        True insists on it (refused when the figures do not support it).

        Answers the certificate granted, or none when the application is refused because the
        figures support no level. Any running certificate of the organisation is superseded.
        """
        require_staff(cause, "decide")
        app = self.application(application_id)
        version = self.catalogue.version(app.handbook_version)
        self._check_timely(app, decision_date, version, cause)
        assessment = self._assess(app)
        if level is not None and not version.has_level(level):
            msg = f"level: {level} does not exist under handbook {version.version}"
            raise InvalidInputError(msg)
        granted = self._grant(assessment, level, cause, pso30plus=pso30plus)
        if granted is None:
            document = assessment_document(assessment)
            reason = cause.reason or "the audited figures meet no level"
            app.refuse(decision_date, document, self.clock.now(), cause.because(reason))
            self._save(app)
            return DecisionResult(app.id, None)
        issued = self._issue(
            app, granted.level, assessment, decision_date, cause, pso30plus=granted.pso30plus
        )
        return DecisionResult(app.id, issued)

    def refuse_application(
        self, application_id: UUID, decision_date: dt.date, cause: Cause
    ) -> DecisionResult:
        """Refuse an application whatever its figures support (staff, with a reason)."""
        require_staff(cause, "decide")
        reason = require_reason(cause.reason, "a refusal")
        app = self.application(application_id)
        document = assessment_document(self._assess(app))
        app.refuse(decision_date, document, self.clock.now(), cause.because(reason))
        self._save(app)
        return DecisionResult(app.id, None)

    def flag_decision_overdue(self, application_id: UUID, cause: Cause) -> bool:
        """Flag a missing decision after the lead time; False when there is nothing to flag."""
        app = self.application(application_id)
        if app.audit_date is None:
            return False
        due = decision_overdue_day(app.audit_date, self.catalogue.version(app.handbook_version))
        now = self.clock.now()
        if not app.flag_decision_overdue(business_date(now), due, now, cause):
            return False
        self._save(app)
        return True

    def make_decision_final(self, application_id: UUID, cause: Cause) -> bool:
        """Make a decision final once its objection window closed without an objection."""
        app = self.application(application_id)
        if app.decision_date is None:
            return False
        final = decision_final_day(app.decision_date, self.catalogue.version(app.handbook_version))
        now = self.clock.now()
        if not app.make_final(business_date(now), final, now, cause):
            return False
        self._save(app)
        return True

    def _check_timely(
        self,
        app: CertificationApplication,
        decision_date: dt.date,
        version: HandbookVersion,
        cause: Cause,
    ) -> None:
        """A decision later than the lead time after the audit needs a stated reason."""
        if app.state is not ApplicationState.REPORTED or app.audit_date is None:
            return  # not decidable: the aggregate refuses it with its own reason
        fact_day(decision_date, "decided_on", self.clock.now())  # a future date is refused first
        require_order(app.audit_date, decision_date, "decided_on", "the audit date")
        last = last_timely_decision_day(app.audit_date, version)
        if decision_date > last:
            months = version.procedure.decision_months_after_audit.value
            require_reason(
                cause.reason,
                f"a decision later than {months} month{'s' if months != 1 else ''} after the "
                f"audit (audit {app.audit_date}, decision due by {last}; "
                "procedure.decision_months_after_audit)",
            )
