"""Issuing a certificate on a grant (a decision, or an upheld objection without one): numbering,
supersession of the running certificate, extension of a running aspirant status, year 1 of the
contribution."""

from __future__ import annotations

import datetime as dt

from eventsourcing.application import AggregateNotFoundError

from domain.aggregate import PsoAggregate
from domain.application import CertificationApplication
from domain.certificate import Certificate
from domain.deadlines import last_valid_day
from domain.errors import InvalidInputError, InvalidTransitionError
from domain.numbering import CertificateNumbers, numbering_id
from domain.organisation import Organisation
from domain.participation import Participation
from domain.service.base import RegisterBase, certificate_id
from domain.service.results import IssuedCertificate
from domain.values import Cause, require_reason
from norms.assessment import Assessment
from norms.assessment_document import assessment_document
from norms.calendar import add_years
from norms.contributions import quote_contribution
from norms.errors import NoVersionInForceError
from norms.granting import Grant, NotGrantableError, ReasonNeededError, grant
from norms.levels import Level


class Issuance(RegisterBase):
    """Issuing certificates on grants (the decision and an upheld objection share it)."""

    @staticmethod
    def _grant(
        assessment: Assessment, level: Level | None, cause: Cause, *, pso30plus: bool | None
    ) -> Grant | None:
        """The grant (norms/granting.py) as domain errors: more than the figures support is an
        invalid transition, a missing reason invalid input."""
        reasoned = cause.reason is not None and bool(cause.reason.strip())
        try:
            granted = grant(assessment, level, pso30plus=pso30plus, reasoned=reasoned)
        except NotGrantableError as exc:
            raise InvalidTransitionError(str(exc)) from None
        except ReasonNeededError as exc:
            require_reason(None, exc.what)
            raise InvalidInputError(str(exc)) from None  # not reached: require_reason raised
        if granted is not None and granted.below_supported:
            require_reason(cause.reason, "a grant below the supported level")
        return granted

    def _issue(
        self,
        app: CertificationApplication,
        level: Level,
        assessment: Assessment,
        decision_date: dt.date,
        cause: Cause,
        *,
        together_with: tuple[PsoAggregate, ...] = (),
        pso30plus: bool,
    ) -> IssuedCertificate:
        """Issue a certificate (or extend the running aspirant status) and invoice year 1.

        ``together_with`` are saved in the same transaction (e.g. the upheld objection).
        """
        version = assessment.version
        document = assessment_document(assessment)
        now = self.clock.now()
        org: Organisation = self._get(Organisation, app.organisation_id, "organisation")
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
            return _issued(current)
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
        return _issued(cert)

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


def _issued(cert: Certificate) -> IssuedCertificate:
    return IssuedCertificate(
        cert.number, cert.level, cert.pso30plus, cert.valid_from, cert.valid_until
    )
