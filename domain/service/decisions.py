"""The decision: assess the audited figures, issue the certificate, supersede the old one."""

from __future__ import annotations

import datetime as dt
from typing import Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError

from domain.application import Application as CertificationApplication
from domain.certificate import FINAL, Certificate
from domain.errors import (
    InvalidInputError,
    InvalidTransitionError,
)
from domain.numbering import CertificateNumbers, numbering_id
from domain.organisation import Organisation
from domain.service.base import RegisterBase, certificate_id
from domain.values import Cause, require_reason
from norms.assessment import Assessment
from norms.assessment_document import assessment_document
from norms.calendar import add_years
from norms.levels import Level


class DecisionCommands(RegisterBase):
    """The decision: assess the audited figures, issue the certificate, supersede the old one."""

    def decide(
        self,
        application_id: UUID,
        decision_date: dt.date,
        cause: Cause,
        level: Level | None = None,
    ) -> str | None:
        """Decide: grant the level the audited figures support (or a lower one, with a reason).

        Returns the new certificate number, or None when the application is refused because the
        figures support no level. Any running certificate of the organisation is superseded.
        """
        self._staff_only(cause, "decide")
        app = self.application(application_id)
        version = self.catalogue.version(app.handbook_version)
        assessment = self.assessment(application_id)
        supported = assessment.level
        if level is not None and not version.has_level(level):
            msg = f"level: {level} does not exist under handbook {version.version}"
            raise InvalidInputError(msg)
        now = self.clock.now()
        document = assessment_document(assessment)
        granted = level or supported
        if granted is None:
            app.refuse(decision_date, document, now, cause.because(cause.reason or "no level met"))
            self._save(app)
            return None
        self._check_grantable(granted, supported, assessment, cause)
        return self._issue(
            app, version.version, granted, assessment, document, decision_date, cause
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
        version_name: str,
        level: Level,
        assessment: Assessment,
        document: dict[str, Any],
        decision_date: dt.date,
        cause: Cause,
    ) -> str:
        version = self.catalogue.version(version_name)
        now = self.clock.now()
        org: Organisation = self._get(Organisation, app.organisation_id, "organisation")
        numbers = self._numbers(decision_date.year, now, cause)
        number = numbers.next_number(now, cause)
        years = (
            version.aspirant.validity_years.value
            if level is Level.ASPIRANT
            else version.certificate.validity_years.value
        )
        pso30plus = level is Level.TREDE_3 and assessment.pso30plus.eligible
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
            valid_until=add_years(decision_date, years) - dt.timedelta(days=1),
            handbook_version=version_name,
            total_score=document["total_score"],
            assessment=document,
        )
        superseded = []
        for old_id in org.certificate_ids:
            old: Certificate = self.repository.get(old_id)
            if old.status not in FINAL and old.valid_until >= decision_date:
                old.supersede(cert.id, decision_date, now, cause)
                superseded.append(old)
        org.attach_certificate(cert.id, aspirant=level is Level.ASPIRANT, now=now, cause=cause)
        app.grant(decision_date, level, pso30plus, cert.id, document, now, cause)
        self._save(app, cert, org, numbers, *superseded)
        return number

    def _numbers(self, year: int, now: dt.datetime, cause: Cause) -> CertificateNumbers:
        try:
            numbers: CertificateNumbers = self.repository.get(numbering_id(year))
        except AggregateNotFoundError:
            return CertificateNumbers.open(year, now, cause)
        return numbers
