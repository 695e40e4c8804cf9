"""Objections: the board within 4 weeks of the decision, then the committee within 4 weeks."""

from __future__ import annotations

import datetime as dt

import pytest

from domain.errors import InvalidInputError, InvalidTransitionError
from domain.objection import Outcome, Stage
from domain.position import Standing
from norms.levels import Level
from tests.scenarios import MAIN_KVK, STAFF, scenario


def test_an_objection_is_possible_only_within_four_weeks_of_the_decision() -> None:
    """Decided 31 March 2025: 28 April is the last day."""
    s = scenario()
    s.certified()
    app = s.register.organisation_by_kvk(MAIN_KVK).application_ids[0]
    s.on("2025-04-29")
    with pytest.raises(InvalidTransitionError, match="closed on 2025-04-28"):
        s.register.file_objection(app, dt.date(2025, 4, 29), STAFF.because("level too low"))
    objection = s.register.file_objection(app, dt.date(2025, 4, 28), STAFF.because("too low"))
    assert s.register.objection(objection).stage is Stage.BOARD


def test_an_objection_needs_a_decision() -> None:
    """Objecting to an undecided application is refused."""
    s = scenario()
    app = s.submitted()
    with pytest.raises(InvalidTransitionError, match="needs a decision"):
        s.register.file_objection(app, dt.date(2025, 3, 10), STAFF.because("x"))


def test_an_upheld_objection_revises_the_level_from_the_original_start() -> None:
    """Granted trede 1 below the supported trede 2; upheld: trede 2 from 31 March 2025 on."""
    s = scenario()
    app = s.reported()
    number = s.register.decide_application(
        app, dt.date(2025, 3, 31), STAFF.because("doubt"), Level.TREDE_1
    ).number
    assert number is not None
    s.on("2025-05-01")
    objection = s.register.file_objection(app, dt.date(2025, 4, 10), STAFF.because("supported"))
    s.register.answer_objection(
        objection, dt.date(2025, 5, 1), Outcome.UPHELD, STAFF.because("right"), Level.TREDE_2
    )
    assert s.register.certificate(number).level is Level.TREDE_2
    position = s.register.position(MAIN_KVK, dt.date(2025, 4, 1))
    assert (position.standing, position.level) == (Standing.CERTIFIED, Level.TREDE_2)


def test_a_rejected_objection_goes_to_the_committee_within_four_weeks() -> None:
    """Board answer 1 May; committee on 30 May is too late; on 29 May is in time."""
    s = scenario()
    s.certified()
    app = s.register.organisation_by_kvk(MAIN_KVK).application_ids[0]
    s.on("2025-05-01")
    objection = s.register.file_objection(app, dt.date(2025, 4, 10), STAFF.because("trede 3"))
    s.register.answer_objection(
        objection, dt.date(2025, 5, 1), Outcome.REJECTED, STAFF.because("no")
    )
    s.on("2025-05-30")
    with pytest.raises(InvalidTransitionError, match="closed on 2025-05-29"):
        s.register.escalate_objection(objection, dt.date(2025, 5, 30), STAFF)
    s.register.escalate_objection(objection, dt.date(2025, 5, 29), STAFF)
    s.on("2025-07-01")
    s.register.record_committee_decision(
        objection, dt.date(2025, 7, 1), Outcome.REJECTED, STAFF.because("committee agrees")
    )
    assert s.register.objection(objection).stage is Stage.CLOSED


def test_an_objection_cannot_raise_the_level_above_what_the_figures_support() -> None:
    """Upheld with trede 3 on figures supporting trede 2 is refused; nothing is written."""
    s = scenario()
    number = s.certified()
    app = s.register.organisation_by_kvk(MAIN_KVK).application_ids[0]
    s.on("2025-05-01")
    objection = s.register.file_objection(app, dt.date(2025, 4, 10), STAFF.because("trede 3"))
    with pytest.raises(InvalidTransitionError, match="exceeds"):
        s.register.answer_objection(
            objection, dt.date(2025, 5, 1), Outcome.UPHELD, STAFF, Level.TREDE_3
        )
    assert s.register.objection(objection).stage is Stage.BOARD
    assert s.register.certificate(number).level is Level.TREDE_2
    with pytest.raises(InvalidInputError, match="only an upheld objection"):
        s.register.answer_objection(
            objection, dt.date(2025, 5, 1), Outcome.REJECTED, STAFF, Level.TREDE_1
        )


def test_an_upheld_objection_against_a_refusal_issues_a_certificate_from_the_decision_date() -> (
    None
):
    """Refused on 31 March 2025 although trede 2 was supported; upheld: trede 2 from 31 March."""
    s = scenario()
    app = s.reported()
    s.register.refuse_application(app, dt.date(2025, 3, 31), STAFF.because("plan doubts"))
    s.on("2025-04-05")
    objection = s.register.file_objection(app, dt.date(2025, 4, 5), STAFF.because("figures"))
    s.later(40)
    number = s.register.answer_objection(
        objection, dt.date(2025, 5, 1), Outcome.UPHELD, STAFF.because("audited"), Level.TREDE_2
    )
    assert number is not None
    cert = s.register.certificate(number)
    assert (cert.level, cert.valid_from) == (Level.TREDE_2, dt.date(2025, 3, 31))
    assert s.register.application(app).state == "granted"
    assert s.register.objection(objection).stage is Stage.CLOSED
