"""Commands and invariants of the lifecycle, on the in-memory event store."""

from __future__ import annotations

import datetime as dt

import pytest

from domain.certificate import Status
from domain.errors import (
    ForbiddenError,
    InvalidInputError,
    InvalidTransitionError,
    NotFoundError,
)
from domain.position import Standing
from domain.service.results import IssuedCertificate
from domain.values import Cause, Role
from norms.assessment_document import assessment_document
from norms.levels import Level
from tests.scenarios import (
    AUDITOR,
    MAIN_KVK,
    OTHER_AUDITOR,
    STAFF,
    SUB_KVK,
    Scenario,
    scenario,
    trede_2_declaration,
)
from tests.unit.norms.builders import declaration_doc, person


def topics(register: object, aggregate_id: object) -> list[str]:
    """The stored topics of one aggregate, in order."""
    return [type(e).TOPIC for e in register.events.get(aggregate_id)]  # type: ignore[attr-defined]


def test_a_decision_issues_a_certificate_valid_two_years_minus_a_day() -> None:
    """Decided 31 March 2025: valid from that day up to and including 30 March 2027."""
    s = scenario()
    number = s.certified()
    cert = s.register.certificate(number)
    assert number == "PSO-2025-000001"
    assert (cert.level, cert.status) == (Level.TREDE_2, Status.ACTIVE)
    assert (cert.valid_from, cert.valid_until) == (dt.date(2025, 3, 31), dt.date(2027, 3, 30))
    assert cert.covered_kvks == (MAIN_KVK, SUB_KVK)
    assert cert.handbook_version == "2.1"


def test_no_decision_without_an_audit_report() -> None:
    """Deciding a submitted application is refused and writes nothing."""
    s = scenario()
    app = s.submitted()
    before = topics(s.register, app)
    with pytest.raises(InvalidTransitionError, match="no audit report"):
        s.register.decide_application(app, dt.date(2025, 4, 1), STAFF)
    assert topics(s.register, app) == before


def test_the_granted_level_never_exceeds_what_the_audited_figures_support() -> None:
    """Trede 3 on figures that support trede 2 is refused; trede 1 needs a reason."""
    s = scenario()
    app = s.reported()
    with pytest.raises(InvalidTransitionError, match="exceeds"):
        s.register.decide_application(app, dt.date(2025, 3, 31), STAFF, Level.TREDE_3)
    no_reason = Cause("staff-anna", Role.STAFF, "c")
    with pytest.raises(InvalidInputError, match="needs a reason"):
        s.register.decide_application(app, dt.date(2025, 3, 31), no_reason, Level.TREDE_1)
    number = s.register.decide_application(
        app, dt.date(2025, 3, 31), STAFF.because("doubts"), Level.TREDE_1
    ).number
    assert number is not None
    assert s.register.certificate(number).level is Level.TREDE_1


def test_corrected_figures_decide_the_level() -> None:
    """The auditor's corrected declaration (3.0 % at 50 FTE) gives trede 1, not trede 2."""
    s = scenario()
    app = s.submitted()
    s.register.correct_figures(
        app, declaration_doc("50", [person("A", "1.5")], peiljaar=2024), AUDITOR
    )
    s.on("2025-03-31")
    s.register.file_audit_report(app, dt.date(2025, 3, 20), Level.TREDE_1, "corrected", AUDITOR)
    number = s.register.decide_application(app, dt.date(2025, 3, 31), STAFF).number
    assert number is not None
    assert s.register.certificate(number).level is Level.TREDE_1
    assert s.register.application(app).declared["persons"][0]["fte"] == "1.0"


def test_figures_that_support_no_level_are_refused() -> None:
    """0.5 FTE of 50 (1 %) meets nothing without a plan: the application is refused."""
    s = scenario()
    app = s.reported(declaration_doc("50", [person("A", "0.5")], peiljaar=2024))
    assert s.register.decide_application(app, dt.date(2025, 3, 31), STAFF).number is None
    assert s.register.application(app).state == "refused"


def test_an_auditor_acts_only_on_applications_of_its_own_ci() -> None:
    """An auditor of DNV cannot plan the audit of a Kiwa application."""
    s = scenario()
    app = s.submitted()
    with pytest.raises(ForbiddenError, match="dnv"):
        s.register.plan_audit(app, dt.date(2025, 3, 20), OTHER_AUDITOR)


def test_only_staff_decide() -> None:
    """An auditor may advise but not decide."""
    s = scenario()
    app = s.reported()
    with pytest.raises(ForbiddenError, match="only PSO staff"):
        s.register.decide_application(app, dt.date(2025, 3, 31), AUDITOR)


def test_a_new_certificate_supersedes_the_running_one() -> None:
    """Early recertification: the old certificate is superseded on the new decision date."""
    s = scenario()
    first = s.certified()
    s.later(200)
    app = s.register.submit_application(
        MAIN_KVK, trede_2_declaration(), "kiwa", dt.date(2025, 10, 1), STAFF
    ).application_id
    s.register.file_audit_report(app, dt.date(2025, 10, 10), Level.TREDE_2, "again", AUDITOR)
    s.on("2025-10-20")
    second = s.register.decide_application(app, dt.date(2025, 10, 20), STAFF).number
    assert second == "PSO-2025-000002"
    old = s.register.certificate(first)
    assert (old.status, old.ended_on) == (Status.SUPERSEDED, dt.date(2025, 10, 20))
    certificate = s.register.position(MAIN_KVK, dt.date(2025, 11, 1)).certificate
    assert certificate is not None
    assert certificate.number == second


def test_withdrawn_is_final() -> None:
    """A second withdrawal, a suspension or a reinstatement after withdrawal are refused."""
    s = scenario()
    number = s.certified()
    s.register.withdraw_certificate(number, dt.date(2025, 6, 1), STAFF.because("fraud"))
    with pytest.raises(InvalidTransitionError, match="final"):
        s.register.withdraw_certificate(number, dt.date(2025, 7, 1), STAFF.because("again"))
    with pytest.raises(InvalidTransitionError, match="withdrawn"):
        s.register.suspend_certificate(number, dt.date(2025, 7, 1), STAFF.because("x"))


def test_a_withdrawal_needs_a_reason_and_a_date_inside_the_validity() -> None:
    """Without a reason, or before the certificate started, nothing is written."""
    s = scenario()
    number = s.certified()
    with pytest.raises(InvalidInputError, match="needs a reason"):
        s.register.withdraw_certificate(
            number, dt.date(2025, 6, 1), Cause("staff-anna", Role.STAFF, "c")
        )
    with pytest.raises(InvalidInputError, match="outside the validity"):
        s.register.withdraw_certificate(number, dt.date(2025, 1, 1), STAFF)
    assert s.register.certificate(number).status is Status.ACTIVE


PLAN = {
    "parts": [
        "doelstelling",
        "creeren_draagvlak",
        "aanpassen_werving_selectie",
        "functies_beschikbaar",
    ],
    "approved_by_board": True,
}


def _aspirant_decision(s: Scenario, day: dt.date) -> str | None:
    """Submit, report and decide an aspirant application on a day."""
    s.on(day.isoformat())
    doc = declaration_doc("30", peiljaar=day.year - 1, plan_of_approach=PLAN)
    app = s.register.submit_application(MAIN_KVK, doc, "kiwa", day, STAFF).application_id
    s.register.file_audit_report(app, day, Level.ASPIRANT, "plan", AUDITOR)
    return s.register.decide_application(app, day, STAFF).number


def test_aspirant_status_is_extended_once_under_2_1_and_never_obtained_again() -> None:
    """Two years from 31 March 2025; one extension adds two years; a second is refused; after
    it lapses, aspirant status cannot be obtained a second time."""
    s = scenario()
    s.registered()
    number = _aspirant_decision(s, dt.date(2025, 3, 31))
    assert number is not None
    assert s.register.certificate(number).valid_until == dt.date(2027, 3, 30)
    assert _aspirant_decision(s, dt.date(2026, 9, 1)) == number
    assert s.register.certificate(number).valid_until == dt.date(2029, 3, 30)
    with pytest.raises(InvalidTransitionError, match="the handbook allows 1"):
        _aspirant_decision(s, dt.date(2027, 9, 1))
    s.later(365 * 5)
    assert s.register.expire_certificate(number, Cause("scheduler", Role.SCHEDULER, "sweep"))
    with pytest.raises(InvalidTransitionError, match="second time"):
        _aspirant_decision(s, dt.date(2030, 1, 6))


def test_basistrede_only_under_versions_that_have_it() -> None:
    """An application submitted under 2.0 cannot be advised or granted basistrede."""
    s = scenario()
    s.registered()
    declaration = {**trede_2_declaration(), "peiljaar": 2022}
    app = s.register.submit_application(
        MAIN_KVK, declaration, "kiwa", dt.date(2023, 3, 1), STAFF
    ).application_id
    with pytest.raises(InvalidInputError, match=r"basistrede does not exist under handbook 2\.0"):
        s.register.file_audit_report(app, dt.date(2023, 3, 20), Level.BASISTREDE, "x", AUDITOR)


def test_the_audit_plan_objection_window_is_seven_working_days() -> None:
    """Submitted Monday 3 March 2025: the window closes Wednesday 12 March."""
    s = scenario()
    app = s.submitted()
    s.on("2025-03-13")
    with pytest.raises(InvalidTransitionError, match="closed on 2025-03-12"):
        s.register.object_to_audit_plan(app, dt.date(2025, 3, 13), STAFF.because("interviews"))
    s.register.object_to_audit_plan(app, dt.date(2025, 3, 12), STAFF.because("interviews"))
    assert s.register.application(app).audit_plan_objection == dt.date(2025, 3, 12)


@pytest.mark.parametrize(
    ("main_kvk", "message"),
    [("1234567", "exactly 8 digits"), ("1234567a", "exactly 8 digits")],
)
def test_malformed_kvk_numbers_are_refused(main_kvk: str, message: str) -> None:
    """A KvK number has exactly 8 digits."""
    s = scenario()
    with pytest.raises(InvalidInputError, match=message):
        s.register.register_organisation(main_kvk, "X", "Y", STAFF)


def test_a_kvk_number_is_covered_by_one_organisation_only() -> None:
    """Registering another organisation with an already covered subsidiary is refused."""
    s = scenario()
    s.registered()
    with pytest.raises(InvalidTransitionError, match=SUB_KVK):
        s.register.register_organisation("11112222", "Other", "Zeist", STAFF, (SUB_KVK,))


def test_unknown_ids_and_numbers_are_not_found() -> None:
    """Unknown KvK numbers and certificate numbers name what was asked for."""
    s = scenario()
    with pytest.raises(NotFoundError, match="99999999"):
        s.register.organisation_by_kvk("99999999")
    with pytest.raises(NotFoundError, match="PSO-2025-999999"):
        s.register.certificate("PSO-2025-999999")


def test_a_bad_declaration_is_refused_at_submission_naming_the_field() -> None:
    """Nothing is submitted when a person's FTE is negative."""
    s = scenario()
    s.registered()
    with pytest.raises(InvalidInputError, match=r"persons\[0\]\.fte"):
        s.register.submit_application(
            MAIN_KVK, declaration_doc("10", [person("A", "-1")]), "kiwa", dt.date(2025, 3, 3), STAFF
        )
    assert s.register.organisation_by_kvk(MAIN_KVK).application_ids == ()


def test_expiry_and_reminder_happen_once_and_only_when_due() -> None:
    """Valid until 30 March 2027: the reminder from 30 December 2026, once; expiry after the
    end, once."""
    s = scenario()
    number = s.certified()
    scheduler = Cause("scheduler", Role.SCHEDULER, "sweep-1")
    assert s.register.expire_certificate(number, scheduler) is False
    s.clock.advance(dt.datetime(2026, 12, 29, 12, tzinfo=dt.UTC) - s.clock.now())
    assert s.register.issue_renewal_reminder(number, scheduler) is False
    s.later(1)
    assert s.register.issue_renewal_reminder(number, scheduler) is True
    assert s.register.issue_renewal_reminder(number, scheduler) is False
    assert s.register.certificate(number).reminder_issued_on == dt.date(2026, 12, 30)
    s.clock.advance(dt.datetime(2027, 3, 30, 12, tzinfo=dt.UTC) - s.clock.now())
    assert s.register.expire_certificate(number, scheduler) is False
    s.later(1)
    assert s.register.expire_certificate(number, scheduler) is True
    assert s.register.expire_certificate(number, scheduler) is False
    cert = s.register.certificate(number)
    assert (cert.status, cert.ended_on) == (Status.EXPIRED, dt.date(2027, 3, 31))


def test_every_stored_event_names_its_actor_and_correlation_id() -> None:
    """The timeline of a lifecycle shows who caused each event and in which request."""
    s = scenario()
    number = s.certified()
    s.register.withdraw_certificate(number, dt.date(2025, 6, 1), STAFF.because("fraud"))
    entries = s.register.timeline(SUB_KVK)
    assert entries[0].event == "pso.organisation.Registered.v1"
    assert entries[-1].event == "pso.certificate.Withdrawn.v1"
    assert entries[-1].cause.reason == "fraud"
    assert entries[-1].facts["effective_date"] == dt.date(2025, 6, 1)
    assert all(e.cause.actor_id and e.cause.correlation_id for e in entries)
    assert {e.cause.actor_role for e in entries} == {Role.STAFF, Role.AUDITOR}


def test_a_backdated_withdrawal_changes_the_position_but_not_what_the_register_said() -> None:
    """Withdrawn on 20 Jan 2026 with effect from 1 June 2025: on 1 July 2025 as known now it was
    withdrawn; as the register knew it before the withdrawal was recorded, it was certified."""
    s = scenario()
    number = s.certified()
    s.later(100)
    before = s.clock.now()
    s.later(200)
    s.register.withdraw_certificate(number, dt.date(2025, 6, 1), STAFF.because("fraud"))
    now = s.register.position(MAIN_KVK, dt.date(2025, 7, 1))
    then = s.register.position(MAIN_KVK, dt.date(2025, 7, 1), as_known_at=before)
    assert (now.standing, now.since) == (Standing.WITHDRAWN, dt.date(2025, 6, 1))
    assert now.recorded_at == s.clock.now()
    assert now.level is None  # nothing was held on a day after the withdrawal
    assert (then.standing, then.level) == (Standing.CERTIFIED, Level.TREDE_2)


def test_coverage_lists_the_gaps_below_the_required_level() -> None:
    """Trede 2 from 31 March 2025, suspended 1-14 May: two gaps in March-May for min trede 2."""
    s = scenario()
    number = s.certified()
    s.register.suspend_certificate(number, dt.date(2025, 5, 1), STAFF.because("audit doubts"))
    s.register.reinstate_certificate(number, dt.date(2025, 5, 15), STAFF.because("resolved"))
    gaps = s.register.coverage(MAIN_KVK, dt.date(2025, 3, 1), dt.date(2025, 5, 31), Level.TREDE_2)
    assert [(g.start, g.end, g.standing) for g in gaps] == [
        (dt.date(2025, 3, 1), dt.date(2025, 3, 30), Standing.NOT_YET_CERTIFIED),
        (dt.date(2025, 5, 1), dt.date(2025, 5, 14), Standing.SUSPENDED),
    ]
    assert (
        s.register.coverage(MAIN_KVK, dt.date(2025, 4, 1), dt.date(2025, 4, 30), Level.TREDE_2)
        == []
    )
    assert (
        len(s.register.coverage(MAIN_KVK, dt.date(2025, 4, 1), dt.date(2025, 4, 30), Level.TREDE_3))
        == 1
    )


def test_a_never_certified_organisation_says_so() -> None:
    """Unknown KvK numbers are 'never certified', not a bare not-found."""
    s = scenario()
    assert s.register.position("55556666", dt.date(2025, 1, 1)).standing is Standing.NEVER_CERTIFIED


def test_findings_and_cancellation_close_an_application_before_its_decision() -> None:
    """The auditor records a finding; the organisation cancels; deciding is then refused."""
    s = scenario()
    app = s.submitted()
    s.register.record_finding(app, "two files lack development interviews", AUDITOR)
    s.on("2025-03-10")
    s.register.cancel_application(app, dt.date(2025, 3, 10), STAFF.because("not ready"))
    application = s.register.application(app)
    assert application.findings == ("two files lack development interviews",)
    assert application.state == "cancelled"
    with pytest.raises(InvalidTransitionError, match="cancelled"):
        s.register.file_audit_report(app, dt.date(2025, 3, 20), Level.TREDE_2, "x", AUDITOR)


def test_subsidiaries_follow_the_organisation_and_a_lookup_finds_it_by_any_of_them() -> None:
    """Adding and removing a subsidiary moves the KvK index with it."""
    s = scenario()
    s.registered()
    s.register.change_subsidiaries(MAIN_KVK, ("11223344",), STAFF)
    assert s.register.organisation_by_kvk("11223344").main_kvk == MAIN_KVK
    with pytest.raises(NotFoundError, match="no longer covered"):
        s.register.organisation_by_kvk(SUB_KVK)
    s.register.register_organisation("55667788", "Nieuw", "Ede", STAFF, (SUB_KVK,))
    assert s.register.organisation_by_kvk(SUB_KVK).main_kvk == "55667788"


def test_a_successor_is_linked_both_ways() -> None:
    """A takeover gives a new KvK number; predecessor and successor point at each other."""
    s = scenario()
    s.registered()
    s.register.register_organisation("55667788", "Opvolger BV", "Ede", STAFF)
    s.register.link_successor(MAIN_KVK, "55667788", dt.date(2025, 7, 1), STAFF)
    assert s.register.organisation_by_kvk(MAIN_KVK).successor_kvk == "55667788"
    assert s.register.organisation_by_kvk("55667788").predecessor_kvk == MAIN_KVK
    with pytest.raises(InvalidTransitionError, match="already has successor"):
        s.register.link_successor(MAIN_KVK, "55667788", dt.date(2025, 7, 1), STAFF)


def test_dates_out_of_order_are_refused() -> None:
    """An audit before the submission, a decision before the audit."""
    s = scenario()
    app = s.submitted()
    with pytest.raises(InvalidInputError, match="audit_date: 2025-03-01 lies before 2025-03-03"):
        s.register.plan_audit(app, dt.date(2025, 3, 1), AUDITOR)
    s.on("2025-03-20")
    s.register.file_audit_report(app, dt.date(2025, 3, 20), Level.TREDE_2, "ok", AUDITOR)
    with pytest.raises(
        InvalidInputError, match=r"decided_on: 2025-03-19 lies before 2025-03-20 \(the audit date\)"
    ):
        s.register.decide_application(app, dt.date(2025, 3, 19), STAFF)


def test_a_decision_is_flagged_overdue_once_a_month_after_the_audit() -> None:
    """Audit 20 March: not on 20 April, flagged on 21 April, once; never after the decision."""
    s = scenario()
    app = s.reported()
    scheduler = Cause("scheduler", Role.SCHEDULER, "sweep")
    s.clock.advance(dt.datetime(2025, 4, 20, 12, tzinfo=dt.UTC) - s.clock.now())
    assert s.register.flag_decision_overdue(app, scheduler) is False
    s.later(1)
    assert s.register.flag_decision_overdue(app, scheduler) is True
    assert s.register.flag_decision_overdue(app, scheduler) is False
    assert s.register.application(app).decision_overdue_since == dt.date(2025, 4, 21)


def test_a_decision_becomes_final_after_the_objection_window_unless_objected() -> None:
    """Decided 31 March: final after 28 April; an objection keeps it open."""
    scheduler = Cause("scheduler", Role.SCHEDULER, "sweep")
    s = scenario()
    s.certified()
    app = s.register.organisation_by_kvk(MAIN_KVK).application_ids[0]
    s.clock.advance(dt.datetime(2025, 4, 28, 12, tzinfo=dt.UTC) - s.clock.now())
    assert s.register.make_decision_final(app, scheduler) is False
    s.later(1)
    assert s.register.make_decision_final(app, scheduler) is True
    assert s.register.make_decision_final(app, scheduler) is False
    other = scenario()
    other.certified()
    objected = other.register.organisation_by_kvk(MAIN_KVK).application_ids[0]
    other.on("2025-04-10")
    other.register.file_objection(objected, dt.date(2025, 4, 10), STAFF.because("level"))
    other.later(60)
    assert other.register.make_decision_final(objected, scheduler) is False


def test_a_scheduled_withdrawal_does_not_stand_in_the_way_of_a_suspension_before_it() -> None:
    """Withdrawal entered for 1 December 2025: a suspension from 1 June to 1 July can still be
    recorded and lifted, and the certificate still ends withdrawn on 1 December."""
    s = scenario()
    number = s.certified()
    s.register.withdraw_certificate(number, dt.date(2025, 12, 1), STAFF.because("stops trading"))
    s.register.suspend_certificate(number, dt.date(2025, 6, 1), STAFF.because("signals"))
    s.register.reinstate_certificate(number, dt.date(2025, 7, 1), STAFF.because("resolved"))
    with pytest.raises(InvalidTransitionError, match="withdrawn from 2025-12-01"):
        s.register.suspend_certificate(number, dt.date(2025, 12, 2), STAFF.because("late"))
    standings = [
        s.register.position(MAIN_KVK, dt.date(2025, month, day)).standing
        for month, day in ((5, 31), (6, 15), (7, 1), (12, 1))
    ]
    assert standings == [
        Standing.CERTIFIED,
        Standing.SUSPENDED,
        Standing.CERTIFIED,
        Standing.WITHDRAWN,
    ]
    assert s.register.certificate(number).status is Status.WITHDRAWN


def test_an_early_recertification_supersedes_a_certificate_with_a_scheduled_withdrawal() -> None:
    """A withdrawal scheduled for a later day leaves the certificate in force until then, so a
    new certificate decided before it supersedes it: never two in force side by side."""
    s = scenario()
    first = s.certified()
    s.register.withdraw_certificate(first, dt.date(2026, 3, 1), STAFF.because("stops trading"))
    s.on("2025-10-20")
    app = s.register.submit_application(
        MAIN_KVK, trede_2_declaration(), "kiwa", dt.date(2025, 10, 1), STAFF
    ).application_id
    s.register.file_audit_report(app, dt.date(2025, 10, 10), Level.TREDE_2, "again", AUDITOR)
    second = s.register.decide_application(app, dt.date(2025, 10, 20), STAFF).number
    old = s.register.certificate(first)
    assert (old.status, old.ended_on) == (Status.SUPERSEDED, dt.date(2025, 10, 20))
    certificate = s.register.position(MAIN_KVK, dt.date(2026, 3, 2)).certificate
    assert certificate is not None
    assert certificate.number == second


def test_a_submission_answers_its_version_and_the_assessment_it_made() -> None:
    """The submission's result carries the handbook version in force and the assessment of the
    declared figures, the same as assessing the stored application again."""
    s = scenario()
    s.registered()
    submitted = s.register.submit_application(
        MAIN_KVK, trede_2_declaration(), "kiwa", dt.date(2025, 3, 3), STAFF
    )
    assert submitted.handbook_version == "2.1"
    assert submitted.assessment["level"] == "trede_2"
    again = assessment_document(s.register.assessment(submitted.application_id))
    assert submitted.assessment == again


def test_a_decision_answers_the_certificate_it_granted() -> None:
    """Number, level, 30+ and validity come back from the decision itself."""
    s = scenario()
    app = s.reported()
    decision = s.register.decide_application(app, dt.date(2025, 3, 31), STAFF)
    assert decision.outcome == "granted"
    cert = s.register.certificate(decision.number or "")
    assert decision.certificate == IssuedCertificate(
        cert.number, cert.level, cert.pso30plus, cert.valid_from, cert.valid_until
    )


def test_only_an_aspirant_certificate_of_the_same_kvk_can_be_extended_by_a_submission() -> None:
    """Naming a trede certificate (or another organisation's) as the one to extend is refused
    before anything is written."""
    s = scenario()
    number = s.certified()
    before = s.register.recorder.max_notification_id()
    with pytest.raises(InvalidInputError, match="not an aspirant certificate of this KvK"):
        s.register.submit_application(
            MAIN_KVK,
            trede_2_declaration(),
            "kiwa",
            dt.date(2025, 3, 31),
            STAFF,
            extends_certificate=number,
        )
    with pytest.raises(NotFoundError):
        s.register.submit_application(
            MAIN_KVK,
            trede_2_declaration(),
            "kiwa",
            dt.date(2025, 3, 31),
            STAFF,
            extends_certificate="PSO-2025-999999",
        )
    assert s.register.recorder.max_notification_id() == before
