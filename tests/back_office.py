"""A register for the back-office tests (tests/e2e/test_back_office.py, tests/browser/): the
populated register with a report of Kiwa's waiting for a decision since April (late on NOW) and
one of DNV's; the app's clock stands still on NOW until a test moves it; helpers to sign in."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from contextlib import contextmanager

from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from domain.clock import SimulatedClock
from domain.values import Cause, Role
from norms.levels import Level
from tests.projection_support import populate
from tests.scenarios import AUDITOR, STAFF, trede_2_declaration

NOW = dt.datetime(2025, 9, 1, 10, 0, tzinfo=dt.UTC)
LATE_KVK, LATE_NAME = "33333333", "Laat Besluit BV"  # Kiwa's report, audited 5 April 2025
DNV_KVK, DNV_NAME = "44444444", "Ander Bureau BV"  # DNV's report, audited 7 April 2025
DNV_AUDITOR = Cause("auditor-dnv-1", Role.AUDITOR, "corr-audit-dnv", actor_ci="dnv")
PASSWORD = "correct horse battery staple"  # noqa: S105 (a test's password)
#: the accounts of the tests: name, role, CI
ACCOUNTS = (("anna", "staff", None), ("kees", "auditor", "kiwa"), ("dirk", "auditor", "dnv"))


def populate_back_office(url: str) -> None:
    """Write the back-office tests' register into the database at ``url``."""
    register = populate(url, 2)
    for kvk, name, ci, audited, auditor in (
        (LATE_KVK, LATE_NAME, "kiwa", dt.date(2025, 4, 5), AUDITOR),
        (DNV_KVK, DNV_NAME, "dnv", dt.date(2025, 4, 7), DNV_AUDITOR),
    ):
        register.register_organisation(kvk, name, "Zwolle", STAFF)
        application = register.submit_application(
            kvk, trede_2_declaration(), ci, dt.date(2025, 4, 1), STAFF
        ).application_id
        register.file_audit_report(application, audited, Level.TREDE_2, "ok", auditor)
    register.close()


def back_office_app(url: str) -> tuple[FastAPI, SimulatedClock]:
    """The app over that register at NOW (scheduler off, no rate limit), and its clock."""
    clock = SimulatedClock(NOW)
    settings = Settings(database_url=url, scheduler=False, rate_limit_per_minute=0)
    return create_app(settings, clock=clock), clock


def add_accounts(app: FastAPI) -> None:
    """The tests' accounts, each with ``PASSWORD``."""
    users = app.state.users
    for name, role, ci in ACCOUNTS:
        users.create(name, role, ci)
        users.set_password(name, PASSWORD)


@contextmanager
def serving(url: str) -> Iterator[tuple[TestClient, SimulatedClock]]:
    """A test client at 127.0.0.1 (so the cookies are not Secure) over the populated register,
    read models caught up, the accounts made."""
    populate_back_office(url)
    app, clock = back_office_app(url)
    with TestClient(app, base_url="http://127.0.0.1") as client:
        app.state.backend.runner.catch_up()
        add_accounts(app)
        yield client, clock


def hidden(html: str, name: str) -> str:
    """The value of a form's hidden field."""
    found = re.search(rf'name="{name}" value="([^"]*)"', html)
    assert found, f"no field {name}"
    return found.group(1)


def sign_in(
    client: TestClient, name: str, password: str = PASSWORD, target: str = "/beheer"
) -> object:
    """Fill the sign-in form as a browser does; the answer (303 on success)."""
    page = client.get("/beheer/inloggen", params={"next": target})
    form = {
        "csrf": hidden(page.text, "csrf"),
        "gebruikersnaam": name,
        "wachtwoord": password,
        "next": target,
    }
    return client.post("/beheer/inloggen", data=form, follow_redirects=False)


def head(client: TestClient) -> int:
    """The position of the last event in the log."""
    return int(client.app.state.backend.runner.head())  # type: ignore[attr-defined]
