"""A certification application (aanvraag): from definitive submission to decision."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import TYPE_CHECKING, Any
from uuid import UUID

from domain.aggregate import AggregateCreated, PsoAggregate
from domain.bounds import (
    FINDING_LENGTH,
    SUMMARY_LENGTH,
    fact_day,
    optional_text,
    scheduled_day,
    text,
)
from domain.errors import ForbiddenError, InvalidTransitionError
from domain.values import Cause, Role, require_order
from norms.levels import Level


class ApplicationState(StrEnum):
    """Where an application stands."""

    SUBMITTED = "submitted"
    AUDIT_PLANNED = "audit_planned"
    REPORTED = "reported"
    GRANTED = "granted"
    REFUSED = "refused"
    CANCELLED = "cancelled"


OPEN = (ApplicationState.SUBMITTED, ApplicationState.AUDIT_PLANNED)


def _begin(
    app: CertificationApplication,
    organisation_id: UUID,
    scope: tuple[str, ...],
    ci: str,
    handbook_version: str,
) -> None:
    """The state every application starts from: scope, CI and version fixed, nothing else yet."""
    app.organisation_id = organisation_id
    app.scope = tuple(scope)
    app.declaration = {}
    app.declared = {}
    app.ci = ci
    app.handbook_version = handbook_version
    app.audit_plan_objection = None
    app.audit_date = None
    app.findings = ()
    app.advice = None
    app.decision_date = None
    app.certificate_id = None
    app.decision_overdue_since = None
    app.final_on = None
    app.objected = False
    app.objection_ids = ()


class CertificationApplication(PsoAggregate):
    """One certification attempt with a frozen declaration, scope, CI and handbook version."""

    TOPIC = "pso.application.Application"

    class Submitted(PsoAggregate.Event, AggregateCreated):
        """The definitive application was submitted; figures, scope and version are now fixed."""

        TOPIC = "pso.application.Submitted.v1"
        organisation_id: UUID
        scope: tuple[str, ...]
        declaration: dict[str, Any]
        ci: str
        handbook_version: str
        submission_date: dt.date

        def apply(self, app: CertificationApplication) -> None:
            """Freeze what was submitted."""
            _begin(app, self.organisation_id, self.scope, self.ci, self.handbook_version)
            app.declaration = self.declaration
            app.declared = self.declaration
            app.submission_date = self.submission_date
            app.state = ApplicationState.SUBMITTED

    class Imported(PsoAggregate.Event, AggregateCreated):
        """A decided application brought in from an existing register (figures not available)."""

        TOPIC = "pso.application.Imported.v1"
        organisation_id: UUID
        scope: tuple[str, ...]
        ci: str
        handbook_version: str
        decision_date: dt.date
        certificate_id: UUID

        def apply(self, app: CertificationApplication) -> None:
            """A granted application with no declaration."""
            _begin(app, self.organisation_id, self.scope, self.ci, self.handbook_version)
            app.submission_date = self.decision_date
            app.state = ApplicationState.GRANTED
            app.decision_date = self.decision_date
            app.certificate_id = self.certificate_id
            app.final_on = self.decision_date

    class AuditPlanObjected(PsoAggregate.Event):
        """The organisation objected to the audit plan (e.g. interviews with target-group staff)."""

        TOPIC = "pso.application.AuditPlanObjected.v1"
        objection_date: dt.date

        def apply(self, app: CertificationApplication) -> None:
            """Remember the objection."""
            app.audit_plan_objection = self.objection_date

    class AuditPlanned(PsoAggregate.Event):
        """The CI set the audit date."""

        TOPIC = "pso.application.AuditPlanned.v1"
        audit_date: dt.date

        def apply(self, app: CertificationApplication) -> None:
            """Plan (or re-plan) the audit."""
            app.audit_date = self.audit_date
            app.state = ApplicationState.AUDIT_PLANNED

    class FindingRecorded(PsoAggregate.Event):
        """The auditor recorded a finding."""

        TOPIC = "pso.application.FindingRecorded.v1"
        finding: str

        def apply(self, app: CertificationApplication) -> None:
            """Add the finding."""
            app.findings = (*app.findings, self.finding)

    class FiguresCorrected(PsoAggregate.Event):
        """The auditor corrected the declared figures; the decision uses the audited ones."""

        TOPIC = "pso.application.FiguresCorrected.v1"
        declaration: dict[str, Any]

        def apply(self, app: CertificationApplication) -> None:
            """Replace the audited figures (the submitted ones stay in the log)."""
            app.declaration = self.declaration

    class AuditReportFiled(PsoAggregate.Event):
        """The CI sent its audit report with advice to PSO-Nederland."""

        TOPIC = "pso.application.AuditReportFiled.v1"
        audit_date: dt.date
        advice_level: str | None
        advice_pso30plus: bool
        summary: str

        def apply(self, app: CertificationApplication) -> None:
            """Record the advice."""
            app.audit_date = self.audit_date
            app.advice = (
                Level(self.advice_level) if self.advice_level else None,
                self.advice_pso30plus,
            )
            app.state = ApplicationState.REPORTED

    class Granted(PsoAggregate.Event):
        """PSO-Nederland decided a level; a certificate was issued."""

        TOPIC = "pso.application.Granted.v1"
        decision_date: dt.date
        level: str
        pso30plus: bool
        certificate_id: UUID
        assessment: dict[str, Any]

        def apply(self, app: CertificationApplication) -> None:
            """Close the application with its certificate."""
            app.decision_date = self.decision_date
            app.certificate_id = self.certificate_id
            app.state = ApplicationState.GRANTED

    class Refused(PsoAggregate.Event):
        """PSO-Nederland refused the application."""

        TOPIC = "pso.application.Refused.v1"
        decision_date: dt.date
        assessment: dict[str, Any]

        def apply(self, app: CertificationApplication) -> None:
            """Close the application without a certificate."""
            app.decision_date = self.decision_date
            app.state = ApplicationState.REFUSED

    class DecisionOverdueFlagged(PsoAggregate.Event):
        """No decision within the lead time after the audit (flagged by the scheduler)."""

        TOPIC = "pso.application.DecisionOverdueFlagged.v1"
        flagged_on: dt.date

        def apply(self, app: CertificationApplication) -> None:
            """Remember the flag."""
            app.decision_overdue_since = self.flagged_on

    class DecisionBecameFinal(PsoAggregate.Event):
        """The objection window closed without an objection; the decision is final."""

        TOPIC = "pso.application.DecisionBecameFinal.v1"
        final_on: dt.date

        def apply(self, app: CertificationApplication) -> None:
            """The decision can no longer be objected to."""
            app.final_on = self.final_on

    class ObjectionLodged(PsoAggregate.Event):
        """An objection was filed against the decision; it is not final while it runs."""

        TOPIC = "pso.application.ObjectionLodged.v1"
        objection_id: UUID

        def apply(self, app: CertificationApplication) -> None:
            """The decision stays open; the objection is found from here."""
            app.objected = True
            app.objection_ids = (*app.objection_ids, self.objection_id)

    class Cancelled(PsoAggregate.Event):
        """The organisation cancelled after submission (a fee applies)."""

        TOPIC = "pso.application.Cancelled.v1"
        cancellation_date: dt.date

        def apply(self, app: CertificationApplication) -> None:
            """Close the application."""
            app.state = ApplicationState.CANCELLED

    if TYPE_CHECKING:  # state set by the events' apply methods, typed for mypy
        organisation_id: UUID
        scope: tuple[str, ...]
        declaration: dict[str, Any]
        declared: dict[str, Any]
        ci: str
        handbook_version: str
        submission_date: dt.date
        state: ApplicationState
        audit_plan_objection: dt.date | None
        audit_date: dt.date | None
        findings: tuple[str, ...]
        advice: tuple[Level | None, bool] | None
        decision_date: dt.date | None
        certificate_id: UUID | None
        decision_overdue_since: dt.date | None
        final_on: dt.date | None
        objected: bool
        objection_ids: tuple[UUID, ...]

    @classmethod
    def submit(
        cls,
        application_id: UUID,
        organisation_id: UUID,
        scope: tuple[str, ...],
        declaration: dict[str, Any],
        ci: str,
        handbook_version: str,
        submission_date: dt.date,
        now: dt.datetime,
        cause: Cause,
    ) -> CertificationApplication:
        """Submit the definitive application (a fact: not dated in the future)."""
        fact_day(submission_date, "submitted_on", now)
        return cls._create(
            cls.Submitted,
            id=application_id,
            timestamp=now,
            cause=cause,
            organisation_id=organisation_id,
            scope=scope,
            declaration=declaration,
            ci=ci,
            handbook_version=handbook_version,
            submission_date=submission_date,
        )

    @classmethod
    def imported(
        cls,
        application_id: UUID,
        organisation_id: UUID,
        scope: tuple[str, ...],
        ci: str,
        handbook_version: str,
        decision_date: dt.date,
        certificate_id: UUID,
        now: dt.datetime,
        cause: Cause,
    ) -> CertificationApplication:
        """Record a decided application of an imported certificate."""
        fact_day(decision_date, "decided_on", now)
        return cls._create(
            cls.Imported,
            id=application_id,
            timestamp=now,
            cause=cause,
            organisation_id=organisation_id,
            scope=scope,
            ci=ci,
            handbook_version=handbook_version,
            decision_date=decision_date,
            certificate_id=certificate_id,
        )

    def check_actor(self, cause: Cause) -> None:
        """An auditor acts only on applications assigned to its own CI."""
        if cause.actor_role is Role.AUDITOR and cause.actor_ci != self.ci:
            msg = (
                f"auditor of {cause.actor_ci or 'no CI'} may not act on an application of {self.ci}"
            )
            raise ForbiddenError(msg)

    def _require(self, states: tuple[ApplicationState, ...], what: str) -> None:
        if self.state not in states:
            allowed = " or ".join(states)
            msg = f"cannot {what}: the application is {self.state}, not {allowed}"
            raise InvalidTransitionError(msg)

    def object_to_audit_plan(
        self, objection_date: dt.date, deadline: dt.date, now: dt.datetime, cause: Cause
    ) -> None:
        """Object to the audit plan, within the window after submission."""
        self._require(OPEN, "object to the audit plan")
        fact_day(objection_date, "objected_on", now)
        require_order(self.submission_date, objection_date, "objected_on", "the submission date")
        if objection_date > deadline:
            msg = f"the audit-plan objection window closed on {deadline}, not {objection_date}"
            raise InvalidTransitionError(msg)
        if self.audit_plan_objection is not None:
            msg = f"an objection to the audit plan was already made on {self.audit_plan_objection}"
            raise InvalidTransitionError(msg)
        self._trigger(self.AuditPlanObjected, now, cause, objection_date=objection_date)

    def plan_audit(self, audit_date: dt.date, now: dt.datetime, cause: Cause) -> None:
        """Set or move the audit date."""
        self.check_actor(cause)
        self._require(OPEN, "plan the audit")
        scheduled_day(audit_date, "audit_date")
        require_order(self.submission_date, audit_date, "audit_date", "the submission date")
        self._trigger(self.AuditPlanned, now, cause, audit_date=audit_date)

    def record_finding(self, finding: str, now: dt.datetime, cause: Cause) -> None:
        """Add an audit finding."""
        self.check_actor(cause)
        self._require(OPEN, "record a finding")
        finding = text(finding, "finding", FINDING_LENGTH, multiline=True)
        self._trigger(self.FindingRecorded, now, cause, finding=finding)

    def correct_figures(self, declaration: dict[str, Any], now: dt.datetime, cause: Cause) -> None:
        """Replace the audited figures (already validated by the scheme rules)."""
        self.check_actor(cause)
        self._require(OPEN, "correct the figures")
        self._trigger(self.FiguresCorrected, now, cause, declaration=declaration)

    def file_audit_report(
        self,
        audit_date: dt.date,
        advice_level: Level | None,
        advice_pso30plus: bool,  # noqa: FBT001 (a verdict, named at every call site)
        summary: str,
        now: dt.datetime,
        cause: Cause,
    ) -> None:
        """File the audit report with the CI's advice."""
        self.check_actor(cause)
        self._require(OPEN, "file the audit report")
        fact_day(audit_date, "audit_date", now)
        require_order(self.submission_date, audit_date, "audit_date", "the submission date")
        summary = optional_text(summary, "summary", SUMMARY_LENGTH)
        self._trigger(
            self.AuditReportFiled,
            now,
            cause,
            audit_date=audit_date,
            advice_level=advice_level.value if advice_level else None,
            advice_pso30plus=advice_pso30plus,
            summary=summary,
        )

    def grant(
        self,
        decision_date: dt.date,
        level: Level,
        pso30plus: bool,  # noqa: FBT001 (a verdict, named at every call site)
        certificate_id: UUID,
        assessment: dict[str, Any],
        now: dt.datetime,
        cause: Cause,
    ) -> None:
        """Decide a level: only after the audit report."""
        self._require_decidable(decision_date, now)
        self._trigger(
            self.Granted,
            now,
            cause,
            decision_date=decision_date,
            level=level.value,
            pso30plus=pso30plus,
            certificate_id=certificate_id,
            assessment=assessment,
        )

    def refuse(
        self, decision_date: dt.date, assessment: dict[str, Any], now: dt.datetime, cause: Cause
    ) -> None:
        """Refuse the application: only after the audit report."""
        self._require_decidable(decision_date, now)
        self._trigger(self.Refused, now, cause, decision_date=decision_date, assessment=assessment)

    def _require_decidable(self, decision_date: dt.date, now: dt.datetime) -> None:
        if self.state in OPEN:
            msg = "cannot decide: there is no audit report yet"
            raise InvalidTransitionError(msg)
        if self.state is ApplicationState.REFUSED and decision_date == self.decision_date:
            return  # an upheld objection grants a level from the original decision date
        self._require((ApplicationState.REPORTED,), "decide")
        fact_day(decision_date, "decided_on", now)
        assert self.audit_date is not None  # noqa: S101 (set by the report)
        require_order(self.audit_date, decision_date, "decided_on", "the audit date")

    def flag_decision_overdue(
        self, today: dt.date, due: dt.date, now: dt.datetime, cause: Cause
    ) -> bool:
        """Flag a missing decision once overdue; False when decided, flagged or not yet due."""
        flagged = self.decision_overdue_since is not None
        if self.state is not ApplicationState.REPORTED or flagged or today < due:
            return False
        self._trigger(self.DecisionOverdueFlagged, now, cause, flagged_on=today)
        return True

    def decision_to_object_to(self) -> dt.date:
        """The date of the decision an objection would be against; refused without one."""
        decided = self.state in (ApplicationState.GRANTED, ApplicationState.REFUSED)
        if self.decision_date is None or not decided:
            raise InvalidTransitionError("an objection needs a decision to object to")
        return self.decision_date

    def lodge_objection(self, objection_id: UUID, now: dt.datetime, cause: Cause) -> None:
        """Record that the decision is objected to."""
        if self.final_on is not None:
            raise InvalidTransitionError(f"the decision became final on {self.final_on}")
        self._trigger(self.ObjectionLodged, now, cause, objection_id=objection_id)

    def make_final(self, today: dt.date, due: dt.date, now: dt.datetime, cause: Cause) -> bool:
        """Make the decision final after the objection window; False if objected or not due."""
        decided = self.state in (ApplicationState.GRANTED, ApplicationState.REFUSED)
        if not decided or self.final_on or self.objected or today < due:
            return False
        self._trigger(self.DecisionBecameFinal, now, cause, final_on=today)
        return True

    def cancel(self, cancellation_date: dt.date, now: dt.datetime, cause: Cause) -> None:
        """Cancel before the decision."""
        self._require((*OPEN, ApplicationState.REPORTED), "cancel")
        fact_day(cancellation_date, "cancelled_on", now)
        require_order(
            self.submission_date, cancellation_date, "cancelled_on", "the submission date"
        )
        self._trigger(self.Cancelled, now, cause, cancellation_date=cancellation_date)
