"""The decision: assess the audited figures, issue the certificate, supersede the old one."""

from __future__ import annotations

import datetime as dt
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError

from domain.aggregate import PsoAggregate
from domain.application import Application as CertificationApplication
from domain.application import ApplicationState
from domain.bounds import fact_day
from domain.certificate import Certificate
from domain.clock import business_date
from domain.deadlines import (
    decision_final_day,
    decision_overdue_day,
    last_timely_decision_day,
    last_valid_day,
)
from domain.errors import (
    InvalidInputError,
    InvalidTransitionError,
)
from domain.numbering import CertificateNumbers, numbering_id
from domain.organisation import Organisation
from domain.participation import Participation
from domain.service.base import RegisterBase, certificate_id
from domain.values import Cause, require_order, require_reason
from norms.assessment import Assessment
from norms.assessment_document import assessment_document
from norms.calendar import add_years
from norms.contributions import quote_contribution
from norms.errors import NoVersionInForceError
from norms.handbook import HandbookVersion
from norms.levels import Level


class DecisionCommands(RegisterBase):
    """The decision: assess the audited figures, issue the certificate, supersede the old one."""

    def decide(
        self,
        application_id: UUID,
        decision_date: dt.date,
        cause: Cause,
        level: Level | None = None,
        *,
        pso30plus: bool | None = None,
    ) -> str | None:
        """Decide: grant the level the audited figures support (or a lower one, with a reason).

        ``pso30plus``: None grants the flag when the figures support it; False withholds it;
        True insists on it (refused when the figures do not support it).

        Returns the new certificate number, or None when the application is refused because the
        figures support no level. Any running certificate of the organisation is superseded.
        """
        self._staff_only(cause, "decide")
        app = self.application(application_id)
        version = self.catalogue.version(app.handbook_version)
        self._check_timely(app, decision_date, version, cause)
        assessment = self._assess(app)
        supported = assessment.level
        if level is not None and not version.has_level(level):
            msg = f"level: {level} does not exist under handbook {version.version}"
            raise InvalidInputError(msg)
        granted = level or supported
        if granted is None:
            document = assessment_document(assessment)
            reason = cause.reason or "the audited figures meet no level"
            app.refuse(decision_date, document, self.clock.now(), cause.because(reason))
            self._save(app)
            return None
        self._check_grantable(granted, supported, assessment, cause)
        eligible = granted is Level.TREDE_3 and assessment.pso30plus.eligible
        if pso30plus and not eligible:
            raise InvalidTransitionError("pso30plus: the audited figures do not support PSO 30+")
        flag = eligible if pso30plus is None else pso30plus
        return self._issue(app, granted, assessment, decision_date, cause, pso30plus=flag)

    def refuse(self, application_id: UUID, decision_date: dt.date, cause: Cause) -> None:
        """Refuse an application whatever its figures support (staff, with a reason)."""
        self._staff_only(cause, "decide")
        reason = require_reason(cause.reason, "a refusal")
        app = self.application(application_id)
        document = assessment_document(self._assess(app))
        app.refuse(decision_date, document, self.clock.now(), cause.because(reason))
        self._save(app)

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
        require_order(app.audit_date, decision_date, "decided_on")
        last = last_timely_decision_day(app.audit_date, version)
        if decision_date > last:
            months = version.procedure.decision_months_after_audit.value
            require_reason(
                cause.reason,
                f"a decision later than {months} month{'s' if months != 1 else ''} after the "
                f"audit (audit {app.audit_date}, decision due by {last}; "
                "procedure.decision_months_after_audit)",
            )

    @staticmethod
    def _check_grantable(
        granted: Level, supported: Level | None, assessment: Assessment, cause: Cause
    ) -> None:
        if granted is Level.ASPIRANT:
            if not assessment.aspirant_plan_complete:
                msg = "level: aspirant needs a complete, board-approved plan of approach"
                raise InvalidTransitionError(msg)
            return
        if supported is None or supported is Level.ASPIRANT or not supported.at_least(granted):
            msg = (
                f"level: {granted} exceeds what the audited figures support ({supported or 'none'})"
            )
            raise InvalidTransitionError(msg)
        if granted is not supported:
            require_reason(cause.reason, f"granting {granted} below the supported {supported}")

    def _issue(
        self,
        app: CertificationApplication,
        level: Level,
        assessment: Assessment,
        decision_date: dt.date,
        cause: Cause,
        *,
        together_with: tuple[PsoAggregate, ...] = (),
        pso30plus: bool | None = None,
    ) -> str:
        """Issue a certificate (or extend the running aspirant status) and invoice year 1.

        ``together_with`` are saved in the same transaction (e.g. the upheld objection).
        """
        version = assessment.version
        document = assessment_document(assessment)
        now = self.clock.now()
        org: Organisation = self._get(Organisation, app.organisation_id, "organisation")
        if pso30plus is None:
            pso30plus = level is Level.TREDE_3 and assessment.pso30plus.eligible
        running = self._running_certificates(org, decision_date)
        aspirant = [c for c in running if c.level is Level.ASPIRANT]
        if level is Level.ASPIRANT and aspirant:
            current = aspirant[0]
            current.extend_aspirant(
                add_years(current.valid_until, version.aspirant.validity_years.value),
                app.id,
                version.aspirant.max_extensions.value,
                now,
                cause,
            )
            app.grant(decision_date, level, pso30plus, current.id, document, now, cause)
            self._save(app, current, *together_with)
            return current.number
        numbers = self._numbers(decision_date.year, now, cause)
        number = numbers.next_number(now, cause)
        years = (
            version.aspirant.validity_years.value
            if level is Level.ASPIRANT
            else version.certificate.validity_years.value
        )
        cert = Certificate.issue(
            certificate_id(number),
            now,
            cause,
            number=number,
            organisation_id=org.id,
            application_id=app.id,
            level=level.value,
            pso30plus=pso30plus,
            covered_kvks=app.scope,
            valid_from=decision_date,
            valid_until=last_valid_day(decision_date, years),
            handbook_version=version.version,
            total_score=document["total_score"],
            assessment=document,
        )
        for old in running:
            old.supersede(cert.id, decision_date, now, cause)
        org.attach_certificate(cert.id, aspirant=level is Level.ASPIRANT, now=now, cause=cause)
        app.grant(decision_date, level, pso30plus, cert.id, document, now, cause)
        participation = self._start_participation(
            org, number, decision_date, assessment, pso30plus=pso30plus, cause=cause
        )
        self._save(app, cert, org, numbers, participation, *running, *together_with)
        return number

    def _running_certificates(self, org: Organisation, day: dt.date) -> list[Certificate]:
        running = []
        for cert_id in org.certificate_ids:
            cert: Certificate = self.repository.get(cert_id)
            if cert.in_force_on(day):
                running.append(cert)
        return running

    def _start_participation(
        self,
        org: Organisation,
        number: str,
        decision_date: dt.date,
        assessment: Assessment,
        *,
        pso30plus: bool,
        cause: Cause,
    ) -> Participation:
        """The participation agreement starts with the decision; year 1 is invoiced at once."""
        now = self.clock.now()
        total_fte = assessment.declaration.total_fte
        participation = Participation.start(org.id, number, decision_date, total_fte, now, cause)
        try:
            schedule = self.catalogue.schedule_in_force(decision_date)
        except NoVersionInForceError:
            return participation  # no brackets known for that year: staff invoice by hand
        quote = quote_contribution(
            schedule, total_fte, pso30plus=pso30plus, cedris_member=org.cedris_member
        )
        participation.invoice(1, quote, decision_date, now, cause)
        return participation

    def _numbers(self, year: int, now: dt.datetime, cause: Cause) -> CertificateNumbers:
        try:
            numbers: CertificateNumbers = self.repository.get(numbering_id(year))
        except AggregateNotFoundError:
            return CertificateNumbers.open(year, now, cause)
        return numbers
