"""The dispute report's printable page in a real browser, as staff open it: the token sent as
the bearer header (Chromium's DevTools protocol sets it, as a member of staff's tool would); it
passes axe-core (WCAG 2.1 A/AA) and is photographed at desktop and phone width, its PDF page by
page (var/screenshots/)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from selenium.webdriver.chrome.webdriver import WebDriver

from api.app import create_app
from api.settings import Settings
from api.storage import event_store_env
from domain.clock import SimulatedClock
from tests.browser.support import Browser, explain
from tests.dispute_register import NOW, populate_dispute
from tests.e2e.serving import uvicorn_in_thread

REPORT = "/api/v1/staff/organisations/12345678/dispute-report?on=2025-07-05&format=html"


@pytest.fixture
def staff_browser(chromium: WebDriver, database_url: str) -> Iterator[Browser]:
    """Chromium at the dispute register, sending a staff user's token with every request."""
    populate_dispute(dict(event_store_env(database_url))).close()
    settings = Settings(database_url=database_url, scheduler=False, rate_limit_per_minute=0)
    app = create_app(settings, clock=SimulatedClock(NOW))
    with uvicorn_in_thread(app) as base:
        app.state.backend.runner.catch_up()
        token = app.state.users.create("anna", "staff")
        chromium.execute_cdp_cmd("Network.enable", {})
        chromium.execute_cdp_cmd(
            "Network.setExtraHTTPHeaders", {"headers": {"Authorization": f"Bearer {token}"}}
        )
        chromium.set_window_size(1280, 900)
        try:
            yield Browser(chromium, base, "postgres" if "postgres" in database_url else "sqlite")
        finally:
            chromium.execute_cdp_cmd("Network.setExtraHTTPHeaders", {"headers": {}})


def test_the_printable_dispute_report_reads_as_a_document_and_passes_axe(
    staff_browser: Browser,
) -> None:
    """Title with the name, the answer now, the backdated change pointed out, the timeline in
    sentences; no accessibility violation; photographed."""
    browser = staff_browser
    browser.open(REPORT)
    assert browser.text("h1") == "Bakkerij De Korf"
    text = browser.text()
    assert "Op 5 juli 2025: Geen geldige trede" in text
    assert (
        "Het register heeft zijn antwoord over 5 juli 2025 op 19 juli 2025 om 12:00 gewijzigd"
        in text
    )
    assert "Het certificaat is ingetrokken." in text
    assert "pso." not in text
    violations = browser.axe_violations()
    assert violations == [], explain(violations)
    browser.photograph("dispute-report")
    browser.follow(browser.link("English"))
    assert "The answer, as the register knows it now" in browser.text()
    violations = browser.axe_violations()
    assert violations == [], explain(violations)
