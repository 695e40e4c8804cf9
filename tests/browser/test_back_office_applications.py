"""The application screens of the back office in a real browser: staff submit an application
with an uploaded declaration (checked first), Kiwa's auditor files the audit report, staff
decide and the new certificate is on the public page; every screen passes axe-core (WCAG 2.1
A/AA) and is photographed at desktop and phone width."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from selenium.webdriver.chrome.webdriver import WebDriver
from selenium.webdriver.common.by import By

from tests.back_office import PASSWORD, add_accounts, back_office_app, populate_back_office
from tests.browser.support import Browser
from tests.e2e.serving import uvicorn_in_thread
from tests.scenarios import STAFF

EXAMPLE = Path(__file__).parents[2] / "examples" / "declaration-trede-2.json"
NEW_KVK, NEW_NAME = "55555555", "Nieuwe Aanvrager BV"


@pytest.fixture
def office(chromium: WebDriver, database_url: str) -> Iterator[Browser]:
    """The browser at the back office over the back-office tests' register (one more
    organisation to apply), served by uvicorn, without cookies of an earlier test."""
    populate_back_office(database_url)
    app, _ = back_office_app(database_url)
    with uvicorn_in_thread(app) as base:
        backend = app.state.backend
        backend.runner.catch_up()
        add_accounts(app)
        backend.register.register_organisation(NEW_KVK, NEW_NAME, "Deventer", STAFF)
        backend.runner.catch_up()
        chromium.execute_cdp_cmd("Network.clearBrowserCookies", {})
        chromium.set_window_size(1280, 900)
        database = "postgres" if database_url.startswith("postgres") else "sqlite"
        yield Browser(chromium, base, database)


def sign_in_as(browser: Browser, name: str, target: str) -> None:
    """Sign in through the sign-in page, which leads on to ``target``."""
    browser.driver.execute_cdp_cmd("Network.clearBrowserCookies", {})
    browser.open(target)
    browser.type_into("gebruikersnaam", name)
    browser.type_into("wachtwoord", PASSWORD)
    browser.press("Inloggen")


def test_an_application_goes_from_submission_through_audit_to_a_public_certificate(
    office: Browser,
) -> None:
    """Submit with the example declaration (Controleren shows trede 2 first), file the report
    as Kiwa's auditor, grant the level the figures support, and find it at /c/{number}."""
    sign_in_as(office, "anna", "/beheer/aanvragen")
    assert "Aanvragen" in office.text("h1")
    office.passes_axe_and_is_photographed("office-applications")

    office.follow(office.link("Aanvraag indienen"))
    office.press("Controleren")
    assert "Er is een probleem" in office.text(".error-summary")
    office.passes_axe_and_is_photographed("office-application-refused")
    office.type_into("kvk", NEW_KVK)
    office.type_date("submitted_on", "2025-09-01")
    office.choose("certifying_institution", "Kiwa")
    office.find('[name="declaration"]').send_keys(str(EXAMPLE))
    office.press("Controleren")
    assert "Trede 2" in office.text("#assessment-level")
    assert office.find("#declaration-kept").is_displayed()
    office.passes_axe_and_is_photographed("office-application-check")
    office.press("Indienen")
    assert "De aanvraag is ingediend." in office.text()
    assert "ingediend" in office.text("#application-state")
    office.passes_axe_and_is_photographed("office-application")
    address = office.driver.current_url.split("?")[0].removeprefix(office.base)

    sign_in_as(office, "kees", address + "/auditrapport")
    office.type_date("audit_date", "2025-09-01")
    office.type_into("findings-0-criterion", "begeleiding")
    office.choose("findings-0-verdict", "voldaan")
    office.type_into("findings-0-note", "Jobcoach aanwezig")
    office.choose("advice", "Trede 2")
    office.type_into("summary", "In orde.")
    office.passes_axe_and_is_photographed("office-audit-report")
    office.press("Auditrapport vastleggen")
    assert "Het auditrapport is vastgelegd." in office.text()
    assert "begeleiding: met - Jobcoach aanwezig" in office.text("#application-findings")
    office.passes_axe_and_is_photographed("office-application-auditor")

    sign_in_as(office, "anna", address)
    office.follow(office.link("Besluit nemen"))
    assert "steunen Trede 2" in office.text("#decision-supported")
    office.type_date("decided_on", "2025-09-01")
    office.passes_axe_and_is_photographed("office-decision")
    office.press("Besluit vastleggen")
    assert "Certificaat toegekend" in office.text("h1")
    office.passes_axe_and_is_photographed("office-decided")
    link = office.find("#certificate-link")
    number = re.sub(r".*/c/", "", str(link.get_attribute("href")))
    office.follow(link)
    assert number in office.text()
    assert NEW_NAME in office.text()
    assert office.driver.find_elements(By.TAG_NAME, "h1")
