"""A register for the dispute report's document tests: Bakkerij De Korf, trede 2 from 31 March
2025 (tests/scenarios.py), with an objection through the board and the committee, its first
contribution paid, a withdrawal recorded on 19 July 2025 but effective from 1 July (backdated)
and, at Organisatie 0 beside it, nothing; the clock then stands on NOW. A second organisation,
Organisatie Gepland, has a suspension scheduled for after NOW."""

from __future__ import annotations

import datetime as dt

from domain.objection import Outcome
from domain.register import Register
from tests.scenarios import STAFF, scenario

#: the moment the documents are made at: 19 July 2025, 12:00 in Amsterdam
NOW = dt.datetime(2025, 7, 19, 10, 0, tzinfo=dt.UTC)
#: the disputed day: after the withdrawal took effect, before it was recorded
DISPUTED = dt.date(2025, 7, 5)
WITHDRAWN_ON = dt.date(2025, 7, 1)
SUSPENDED_FROM = dt.date(2025, 8, 1)


def populate_dispute(env: dict[str, str]) -> Register:
    """Write the register into the event store of ``env``; the register, its clock on NOW."""
    s = scenario(env)
    number = s.certified()
    application = s.register.certificate(number).application_id
    s.on("2025-04-10")
    objection = s.register.file_objection(application, dt.date(2025, 4, 10), STAFF)
    s.on("2025-04-20")
    s.register.answer_objection(
        objection, dt.date(2025, 4, 20), Outcome.REJECTED, STAFF.because("trede 2 blijft")
    )
    s.on("2025-05-01")
    s.register.escalate_objection(objection, dt.date(2025, 5, 1), STAFF)
    s.on("2025-05-20")
    s.register.record_committee_decision(
        objection, dt.date(2025, 5, 20), Outcome.REJECTED, STAFF.because("het bestuur had gelijk")
    )
    s.register.record_contribution_payment(number, 1, dt.date(2025, 4, 5), STAFF)
    s.clock.advance(NOW - s.clock.now())
    s.register.suspend_certificate(number, SUSPENDED_FROM, STAFF.because("onderzoek"))
    s.register.withdraw_certificate(number, WITHDRAWN_ON, STAFF.because("fraude met de opgave"))
    return s.register
