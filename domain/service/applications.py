"""Commands on applications: submission, audit plan, findings, report, cancellation."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any
from uuid import UUID

from domain.application import CertificationApplication
from domain.bounds import fact_day
from domain.deadlines import audit_plan_objection_last_day
from domain.errors import (
    InvalidInputError,
)
from domain.service.base import RegisterBase
from domain.service.results import AuditReportResult, SubmissionResult
from domain.values import Cause, ci_code, require_reason
from norms.assessment import Assessment, assess
from norms.assessment_document import assessment_document
from norms.declaration import PlanOfApproach, declaration_from_document
from norms.errors import NormsError
from norms.handbook import HandbookVersion
from norms.levels import Level


class ApplicationCommands(RegisterBase):
    """Commands on applications: submission, audit plan, findings, report, cancellation."""

    def submit_application(
        self,
        main_kvk: str,
        declaration: Any,
        ci: str,
        submission_date: dt.date,
        cause: Cause,
        *,
        aspirant_plan: PlanOfApproach | None = None,
        extends_certificate: str | None = None,
    ) -> SubmissionResult:
        """Submit the definitive application: figures, scope, CI and handbook version are fixed.

        ``aspirant_plan`` replaces the declaration's plan of approach; ``extends_certificate``
        names the aspirant certificate of ``main_kvk`` the application is to extend.
        """
        if extends_certificate is not None and not self.certificate(
            extends_certificate
        ).extendable_for(main_kvk):
            raise InvalidInputError("extends_certificate: not an aspirant certificate of this KvK")
        if aspirant_plan is not None and isinstance(declaration, Mapping):
            declaration = {**declaration, "plan_of_approach": aspirant_plan.to_document()}
        ci = ci_code(ci)
        fact_day(submission_date, "submitted_on", self.clock.now())
        org = self.organisation_by_kvk(main_kvk)
        try:
            version = self.catalogue.version_in_force(submission_date)
        except NormsError as exc:
            raise InvalidInputError(str(exc)) from None
        document, assessment = self._checked_declaration(declaration, version, submission_date)
        now = self.clock.now()
        app = CertificationApplication.submit(
            self.new_id(),
            org.id,
            org.covered_kvks,
            document,
            ci,
            version.version,
            submission_date,
            now,
            cause,
        )
        org.lodge_application(app.id, now, cause)
        self._save(app, org)
        return SubmissionResult(app.id, version.version, assessment_document(assessment))

    def object_to_audit_plan(
        self, application_id: UUID, objection_date: dt.date, cause: Cause
    ) -> None:
        """Object to the audit plan within the version's window of working days."""
        app = self.application(application_id)
        deadline = audit_plan_objection_last_day(
            app.submission_date, self.catalogue.version(app.handbook_version)
        )
        app.object_to_audit_plan(
            objection_date,
            deadline,
            self.clock.now(),
            cause.because(require_reason(cause.reason, "an objection")),
        )
        self._save(app)

    def plan_audit(self, application_id: UUID, audit_date: dt.date, cause: Cause) -> None:
        """Set the audit date (the application's own CI or staff)."""
        app = self.application(application_id)
        app.plan_audit(audit_date, self.clock.now(), cause)
        self._save(app)

    def record_finding(self, application_id: UUID, finding: str, cause: Cause) -> None:
        """Add an audit finding."""
        app = self.application(application_id)
        app.record_finding(finding, self.clock.now(), cause)
        self._save(app)

    def correct_figures(self, application_id: UUID, declaration: Any, cause: Cause) -> None:
        """Replace the declared figures by the audited ones (validated by the scheme rules)."""
        app = self.application(application_id)
        version = self.catalogue.version(app.handbook_version)
        document, _ = self._checked_declaration(declaration, version, app.submission_date)
        app.correct_figures(document, self.clock.now(), cause)
        self._save(app)

    @staticmethod
    def _checked_declaration(
        declaration: Any, version: HandbookVersion, submission_date: dt.date
    ) -> tuple[dict[str, Any], Assessment]:
        """The declaration's canonical document and its assessment, once it reads and assesses
        under the version and its peiljaar lies before the year of the submission (declared or
        audited figures)."""
        try:
            parsed = declaration_from_document(declaration)
            assessment = assess(parsed, version)
        except NormsError as exc:
            raise InvalidInputError(str(exc)) from None
        if parsed.peiljaar >= submission_date.year:
            msg = (
                f"declaration.peiljaar: {parsed.peiljaar} must lie before the year of the "
                f"submission ({submission_date.year}): the figures are of a completed year"
            )
            raise InvalidInputError(msg)
        return parsed.to_document(), assessment

    def file_audit_report(
        self,
        application_id: UUID,
        audit_date: dt.date,
        advice_level: Level | None,
        summary: str,
        cause: Cause,
        *,
        advice_pso30plus: bool = False,
        corrected_declaration: Any = None,
        findings: tuple[str, ...] = (),
    ) -> AuditReportResult:
        """File the CI's audit report with its advice; corrected figures and findings with it."""
        app = self.application(application_id)
        version = self.catalogue.version(app.handbook_version)
        if advice_level is not None and not version.has_level(advice_level):
            msg = f"advice_level: {advice_level} does not exist under handbook {version.version}"
            raise InvalidInputError(msg)
        now = self.clock.now()
        if corrected_declaration is not None:
            corrected, _ = self._checked_declaration(
                corrected_declaration, version, app.submission_date
            )
            app.correct_figures(corrected, now, cause)
        for finding in findings:
            app.record_finding(finding, now, cause)
        app.file_audit_report(audit_date, advice_level, advice_pso30plus, summary, now, cause)
        self._save(app)
        return AuditReportResult(app.id, app.state.value)

    def cancel_application(
        self, application_id: UUID, cancellation_date: dt.date, cause: Cause
    ) -> None:
        """Cancel an application before its decision (a cancellation fee applies)."""
        app = self.application(application_id)
        app.cancel(cancellation_date, self.clock.now(), cause)
        self._save(app)
