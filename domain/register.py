"""The application service of the PSO register: one method per command, ids and values in and out.

Every method is deterministic given the injected clock and id factory: it loads aggregates,
calls one command on each, and saves them together in one transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any
from uuid import UUID, uuid4

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.persistence import IntegrityError, JSONTranscoder

from domain.aggregate import PsoAggregate, stable_id
from domain.application import Application as CertificationApplication
from domain.certificate import FINAL, Certificate
from domain.clock import Clock, SystemClock, business_date
from domain.errors import (
    ConcurrentModificationError,
    ForbiddenError,
    InvalidInputError,
    InvalidTransitionError,
    NotFoundError,
)
from domain.kvk_index import KvkIndex, kvk_index_id
from domain.numbering import CertificateNumbers, numbering_id
from domain.organisation import Organisation
from domain.position import Gap, Position, coverage_gaps, position_on
from domain.timeline import TimelineEntry, fold, timeline_entries
from domain.transcodings import register_pso_transcodings
from domain.values import KNOWN_CIS, Cause, Role, kvk_number, require_reason
from norms.assessment import Assessment, assess
from norms.assessment_document import assessment_document
from norms.bundled import bundled_catalogue
from norms.calendar import add_working_days, add_years
from norms.catalogue import SchemeCatalogue
from norms.declaration import declaration_from_document
from norms.errors import InvalidDocumentError, NormsError
from norms.levels import Level

STAFF_ROLES = (Role.STAFF, Role.ADMIN, Role.IMPORT)


def certificate_id(number: str) -> UUID:
    """The id of a certificate, derived from its number."""
    return stable_id("certificate", number)


class Register(Application[UUID]):
    """The PSO register as an event-sourced application."""

    name = "Register"

    def __init__(
        self,
        env: Mapping[str, str] | None = None,
        *,
        clock: Clock | None = None,
        catalogue: SchemeCatalogue | None = None,
        new_id: Callable[[], UUID] = uuid4,
    ) -> None:
        super().__init__(env)
        self.clock = clock or SystemClock()
        self.catalogue = catalogue or bundled_catalogue()
        self.new_id = new_id

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        """Dates and causes are stored too."""
        super().register_transcodings(transcoder)
        register_pso_transcodings(transcoder)

    # -- plumbing ---------------------------------------------------------------------------

    def _get(self, cls: type[Any], aggregate_id: UUID, what: str) -> Any:
        try:
            aggregate: Any = self.repository.get(aggregate_id)
        except AggregateNotFoundError:
            raise NotFoundError(f"{what} not found") from None
        if not isinstance(aggregate, cls):
            raise NotFoundError(f"{what} not found")
        return aggregate

    def _save(self, *aggregates: PsoAggregate | None) -> int | None:
        try:
            recordings = self.save(*aggregates)
        except IntegrityError:
            msg = "someone else changed the same record at the same moment; retry the command"
            raise ConcurrentModificationError(msg) from None
        return recordings[-1].notification.id if recordings else None

    @staticmethod
    def _staff_only(cause: Cause, what: str) -> None:
        if cause.actor_role not in STAFF_ROLES:
            msg = f"only PSO staff may {what}"
            raise ForbiddenError(msg)

    def organisation_by_kvk(self, kvk: str) -> Organisation:
        """The organisation that covers a KvK number (main applicant or subsidiary)."""
        kvk_number(kvk)
        try:
            index: KvkIndex = self.repository.get(kvk_index_id(kvk))
        except AggregateNotFoundError:
            raise NotFoundError(f"KvK number {kvk} is not in the register") from None
        if index.organisation_id is None:
            raise NotFoundError(f"KvK number {kvk} is no longer covered by any organisation")
        org: Organisation = self._get(Organisation, index.organisation_id, f"organisation {kvk}")
        return org

    def application(self, application_id: UUID) -> CertificationApplication:
        """One application by id."""
        app: CertificationApplication = self._get(
            CertificationApplication, application_id, f"application {application_id}"
        )
        return app

    def certificate(self, number: str) -> Certificate:
        """One certificate by number."""
        cert: Certificate = self._get(Certificate, certificate_id(number), f"certificate {number}")
        return cert

    # -- organisations ----------------------------------------------------------------------

    def register_organisation(
        self,
        main_kvk: str,
        name: str,
        place: str,
        cause: Cause,
        subsidiaries: tuple[str, ...] = (),
    ) -> UUID:
        """Enter an organisation with its main KvK number and subsidiaries."""
        self._staff_only(cause, "register organisations")
        kvk_number(main_kvk, "main_kvk")
        for i, kvk in enumerate(subsidiaries):
            kvk_number(kvk, f"subsidiaries[{i}]")
        now = self.clock.now()
        org = Organisation.register(main_kvk, name, place, now, cause)
        if subsidiaries:
            org.change_subsidiaries(subsidiaries, now, cause)
        claims = [self._claim(kvk, org.id, now, cause) for kvk in org.covered_kvks]
        self._save(org, *claims)
        return org.id

    def _claim(self, kvk: str, org_id: UUID, now: dt.datetime, cause: Cause) -> KvkIndex:
        try:
            index: KvkIndex = self.repository.get(kvk_index_id(kvk))
        except AggregateNotFoundError:
            return KvkIndex.claim(kvk, org_id, now, cause)
        if index.organisation_id not in (None, org_id):
            msg = f"KvK number {kvk} is already covered by another organisation in the register"
            raise InvalidTransitionError(msg)
        if index.organisation_id is None:
            index.reclaim(org_id, now, cause)
        return index

    def change_subsidiaries(
        self, main_kvk: str, subsidiaries: tuple[str, ...], cause: Cause
    ) -> None:
        """Replace the subsidiaries an organisation's certificates will cover."""
        self._staff_only(cause, "change subsidiaries")
        for i, kvk in enumerate(subsidiaries):
            kvk_number(kvk, f"subsidiaries[{i}]")
        org = self.organisation_by_kvk(main_kvk)
        now = self.clock.now()
        before = set(org.subsidiaries)
        org.change_subsidiaries(subsidiaries, now, cause)
        claims = [self._claim(kvk, org.id, now, cause) for kvk in set(subsidiaries) - before]
        released = []
        for kvk in before - set(subsidiaries):
            index: KvkIndex = self.repository.get(kvk_index_id(kvk))
            index.release(now, cause)
            released.append(index)
        self._save(org, *claims, *released)

    def link_successor(
        self, predecessor_kvk: str, successor_kvk: str, effective_date: dt.date, cause: Cause
    ) -> None:
        """Link an organisation to its successor (takeover or change of legal form)."""
        self._staff_only(cause, "link successors")
        old, new = (
            self.organisation_by_kvk(predecessor_kvk),
            self.organisation_by_kvk(successor_kvk),
        )
        now = self.clock.now()
        old.link_successor(new.main_kvk, effective_date, now, cause)
        new.link_predecessor(old.main_kvk, effective_date, now, cause)
        self._save(old, new)

    # -- applications -----------------------------------------------------------------------

    def submit_application(
        self,
        main_kvk: str,
        declaration: Any,
        ci: str,
        submission_date: dt.date,
        cause: Cause,
    ) -> UUID:
        """Submit the definitive application: figures, scope, CI and handbook version are fixed."""
        if ci not in KNOWN_CIS:
            msg = f"ci: unknown certifying institution {ci!r}; known: {', '.join(KNOWN_CIS)}"
            raise InvalidInputError(msg)
        org = self.organisation_by_kvk(main_kvk)
        try:
            version = self.catalogue.version_in_force(submission_date)
            parsed = declaration_from_document(declaration)
            assess(parsed, version)
        except InvalidDocumentError as exc:
            raise InvalidInputError(str(exc)) from None
        except NormsError as exc:
            raise InvalidInputError(str(exc)) from None
        now = self.clock.now()
        app = CertificationApplication.submit(
            self.new_id(),
            org.id,
            org.covered_kvks,
            parsed.to_document(),
            ci,
            version.version,
            submission_date,
            now,
            cause,
        )
        org.lodge_application(app.id, now, cause)
        self._save(app, org)
        return app.id

    def object_to_audit_plan(
        self, application_id: UUID, objection_date: dt.date, cause: Cause
    ) -> None:
        """Object to the audit plan within the version's window of working days."""
        app = self.application(application_id)
        window = self.catalogue.version(app.handbook_version).procedure
        deadline = add_working_days(
            app.submission_date, window.audit_plan_objection_working_days.value
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
        try:
            parsed = declaration_from_document(declaration)
            assess(parsed, self.catalogue.version(app.handbook_version))
        except NormsError as exc:
            raise InvalidInputError(str(exc)) from None
        app.correct_figures(parsed.to_document(), self.clock.now(), cause)
        self._save(app)

    def file_audit_report(
        self,
        application_id: UUID,
        audit_date: dt.date,
        advice_level: Level | None,
        summary: str,
        cause: Cause,
        *,
        advice_pso30plus: bool = False,
    ) -> None:
        """File the CI's audit report with its advice."""
        app = self.application(application_id)
        version = self.catalogue.version(app.handbook_version)
        if advice_level is not None and not version.has_level(advice_level):
            msg = f"advice_level: {advice_level} does not exist under handbook {version.version}"
            raise InvalidInputError(msg)
        app.file_audit_report(
            audit_date, advice_level, advice_pso30plus, summary, self.clock.now(), cause
        )
        self._save(app)

    def assessment(self, application_id: UUID) -> Assessment:
        """The assessment of the audited figures under the application's handbook version."""
        app = self.application(application_id)
        return assess(
            declaration_from_document(app.declaration), self.catalogue.version(app.handbook_version)
        )

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

    def cancel_application(
        self, application_id: UUID, cancellation_date: dt.date, cause: Cause
    ) -> None:
        """Cancel an application before its decision (a cancellation fee applies)."""
        app = self.application(application_id)
        app.cancel(cancellation_date, self.clock.now(), cause)
        self._save(app)

    # -- certificates -----------------------------------------------------------------------

    def suspend(self, number: str, effective_date: dt.date, cause: Cause) -> None:
        """Suspend a certificate from a day (staff, with a reason)."""
        self._staff_only(cause, "suspend certificates")
        cert = self.certificate(number)
        cert.suspend(
            effective_date,
            self.clock.now(),
            cause.because(require_reason(cause.reason, "a suspension")),
        )
        self._save(cert)

    def reinstate(self, number: str, effective_date: dt.date, cause: Cause) -> None:
        """Lift a suspension from a day (staff, with a reason)."""
        self._staff_only(cause, "reinstate certificates")
        cert = self.certificate(number)
        cert.reinstate(
            effective_date,
            self.clock.now(),
            cause.because(require_reason(cause.reason, "a reinstatement")),
        )
        self._save(cert)

    def withdraw(self, number: str, effective_date: dt.date, cause: Cause) -> None:
        """Withdraw a certificate from a day that may lie in the past (staff, with a reason)."""
        self._staff_only(cause, "withdraw certificates")
        cert = self.certificate(number)
        cert.withdraw(
            effective_date,
            self.clock.now(),
            cause.because(require_reason(cause.reason, "a withdrawal")),
        )
        self._save(cert)

    def revise_level(
        self, number: str, level: Level, cause: Cause, *, pso30plus: bool = False
    ) -> None:
        """Revise a certificate's level after an objection (staff, with a reason)."""
        self._staff_only(cause, "revise levels")
        cert = self.certificate(number)
        version = self.catalogue.version(cert.handbook_version)
        if not version.has_level(level):
            msg = f"level: {level} does not exist under handbook {version.version}"
            raise InvalidInputError(msg)
        cert.revise_level(
            level,
            pso30plus,
            self.clock.now(),
            cause.because(require_reason(cause.reason, "a revision")),
        )
        self._save(cert)

    def expire(self, number: str, cause: Cause) -> bool:
        """Record expiry when the validity has passed; False when there is nothing to do."""
        cert = self.certificate(number)
        now = self.clock.now()
        if not cert.expire(business_date(now), now, cause):
            return False
        self._save(cert)
        return True

    def issue_reminder(self, number: str, cause: Cause) -> bool:
        """Send the renewal reminder once; False when already sent or no longer running."""
        cert = self.certificate(number)
        now = self.clock.now()
        if not cert.issue_reminder(business_date(now), now, cause):
            return False
        self._save(cert)
        return True

    # -- replay-time queries ----------------------------------------------------------------

    def certificates_of(
        self, org: Organisation, as_known_at: dt.datetime | None = None
    ) -> list[Certificate]:
        """The organisation's certificates, as known now or as known at a past moment."""
        certs = []
        for cert_id in org.certificate_ids:
            cert = fold(self.events.get(cert_id), as_known_at)
            if cert is not None:
                certs.append(cert)
        return certs

    def position(self, kvk: str, on: dt.date, as_known_at: dt.datetime | None = None) -> Position:
        """The level on day ``on`` as known now, or as the register knew it at ``as_known_at``."""
        try:
            org = self.organisation_by_kvk(kvk)
        except NotFoundError:
            return position_on([], on)
        return position_on(self.certificates_of(org, as_known_at), on)

    def coverage(self, kvk: str, start: dt.date, end: dt.date, min_level: Level) -> list[Gap]:
        """The days from start to end (inclusive) without a certificate at min_level or above."""
        if end < start:
            msg = f"to: {end} lies before from: {start}"
            raise InvalidInputError(msg)
        try:
            certs = self.certificates_of(self.organisation_by_kvk(kvk))
        except NotFoundError:
            certs = []
        return coverage_gaps(certs, start, end, min_level)

    def timeline(self, kvk: str) -> list[TimelineEntry]:
        """Every event of the organisation, its applications and certificates, in recorded order."""
        org = self.organisation_by_kvk(kvk)
        ids = [org.id, *org.application_ids, *org.certificate_ids]
        return timeline_entries(
            event for aggregate_id in ids for event in self.events.get(aggregate_id)
        )
