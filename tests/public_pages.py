"""A register for the page tests (tests/e2e/test_pages.py, tests/browser/): the populated register
of five organisations, Bakkerij De Korf with a subsidiary and a suspension scheduled for after
"today", a backdated withdrawal, and an applicant the public never sees; the app's clock stands
still on TODAY, so every status and date on a page is known in advance."""

from __future__ import annotations

import datetime as dt

from fastapi import FastAPI

from api.app import create_app
from api.settings import Settings
from domain.clock import SimulatedClock
from norms.levels import Level
from tests.projection_support import populate
from tests.scenarios import AUDITOR, MAIN_KVK, STAFF, SUB_KVK, trede_2_declaration

#: the moment the app answers at: 1 September 2025, noon in Amsterdam
NOW = dt.datetime(2025, 9, 1, 10, 0, tzinfo=dt.UTC)
TODAY = NOW.date()
KORF = "PSO-2025-000006"  # Bakkerij De Korf, trede 2 from 31 March 2025
KORF_SUSPENDED_FROM = dt.date(2025, 10, 1)  # scheduled: after TODAY
WITHDRAWN_BACKDATED = "PSO-2025-000002"  # Organisatie 1: withdrawn from 1 July, recorded 19 July
APPLICANT_KVK = "55555555"  # applied, never decided: not public


def populate_pages(url: str) -> None:
    """Write the page tests' register into the database at ``url``."""
    register = populate(url, 5)
    register.register_organisation(MAIN_KVK, "Bakkerij De Korf", "Utrecht", STAFF, (SUB_KVK,))
    application = register.submit_application(
        MAIN_KVK, trede_2_declaration(), "kiwa", dt.date(2025, 3, 3), STAFF
    ).application_id
    register.file_audit_report(application, dt.date(2025, 3, 20), Level.TREDE_2, "ok", AUDITOR)
    number = register.decide_application(application, dt.date(2025, 3, 31), STAFF).number
    assert number == KORF
    register.register_organisation(APPLICANT_KVK, "Aanvrager Zonder Besluit", "Ede", STAFF)
    register.submit_application(
        APPLICANT_KVK, trede_2_declaration(), "dnv", dt.date(2025, 4, 1), STAFF
    )
    register.clock.advance(dt.timedelta(days=100))  # type: ignore[attr-defined]
    register.withdraw_certificate(
        WITHDRAWN_BACKDATED, dt.date(2025, 7, 1), STAFF.because("backdated")
    )
    register.suspend_certificate(KORF, KORF_SUSPENDED_FROM, STAFF.because("audit follow-up"))
    register.close()


def pages_app(url: str) -> FastAPI:
    """The app over that register at NOW, scheduler off, no rate limit."""
    settings = Settings(database_url=url, scheduler=False, rate_limit_per_minute=0)
    return create_app(settings, clock=SimulatedClock(NOW))
