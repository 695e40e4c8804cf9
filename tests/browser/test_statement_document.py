"""A statement's printable page in a real browser: what it says, its QR code read back from a
screenshot (the organisation's live page), axe-core (WCAG 2.1 A/AA) and photographs."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from selenium.webdriver.chrome.webdriver import WebDriver

from api.app import create_app
from api.settings import Settings
from api.storage import event_store_env
from domain.clock import SimulatedClock
from domain.signatures import SigningKey, b64encode
from tests.browser.support import Browser, explain
from tests.dispute_register import NOW, populate_dispute
from tests.e2e.serving import uvicorn_in_thread

KEY = SigningKey.from_raw(bytes(range(32)))


@pytest.fixture
def signing_site(chromium: WebDriver, database_url: str) -> Iterator[Browser]:
    """Chromium at the dispute register, which signs statements."""
    populate_dispute(dict(event_store_env(database_url))).close()
    settings = Settings(
        database_url=database_url,
        scheduler=False,
        rate_limit_per_minute=0,
        statement_key=b64encode(KEY.private_bytes()),
    )
    app = create_app(settings, clock=SimulatedClock(NOW))
    with uvicorn_in_thread(app) as base:
        app.state.backend.runner.catch_up()
        chromium.execute_cdp_cmd("Network.clearBrowserCookies", {})
        chromium.set_window_size(1280, 900)
        yield Browser(chromium, base, "postgres" if "postgres" in database_url else "sqlite")


def test_a_statement_page_shows_the_answer_its_id_and_a_qr_code_of_the_live_page(
    signing_site: Browser,
) -> None:
    """A position on 1 June 2025 (trede 2 then, as known on 19 July)."""
    browser = signing_site
    made = httpx.post(
        f"{browser.base}/api/v1/statements", json={"kvk": "12345678", "on": "2025-06-01"}
    )
    assert made.status_code == 201, made.text
    statement_id = made.json()["id"]
    browser.open(f"/verklaring/{statement_id}")
    assert browser.text("h1") == "Bakkerij De Korf"
    text = browser.text()
    assert statement_id in text
    assert "Op 1 juni 2025: Trede 2 sinds 31 maart 2025" in text
    assert "19 juli 2025 om 12:00" in text
    assert browser.qr_text("svg.qr").endswith("/o/12345678")
    violations = browser.axe_violations()
    assert violations == [], explain(violations)
    browser.photograph("statement")
