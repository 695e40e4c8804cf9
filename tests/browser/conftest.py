"""Fixtures of the browser tests: Debian's Chromium driven by Selenium through Debian's
chromium-driver (both installed by ``make install``), and the app served by a real uvicorn over
the page tests' register (tests/public_pages.py) on SQLite and PostgreSQL."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.chrome.webdriver import WebDriver

from tests.browser.support import AXE, Browser
from tests.e2e.serving import uvicorn_in_thread
from tests.public_pages import pages_app, populate_pages

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
#: headless, and quiet on this machine's closed network (no background connections at all)
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--window-size=1280,900",
    "--lang=nl-NL",
)


@pytest.fixture(scope="session")
def chromium(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebDriver]:
    """One headless Chromium for the session, with a fresh profile, Dutch as its language."""
    for needed in (CHROMIUM, CHROMEDRIVER, AXE):
        if not needed.exists():
            pytest.fail(f"{needed} is missing: `make install` installs what the browser tests need")
    options = Options()
    options.binary_location = str(CHROMIUM)
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    options.add_experimental_option("prefs", {"intl.accept_languages": "nl-NL,nl"})
    log = tmp_path_factory.mktemp("chromedriver") / "chromedriver.log"
    # Chromium on Linux takes its interface language (and so the order of a date field's day,
    # month and year) from the environment: Dutch, as a Dutch buyer's browser
    dutch = {**os.environ, "LANGUAGE": "nl", "LANG": "nl_NL.UTF-8"}
    service = Service(executable_path=str(CHROMEDRIVER), log_output=str(log), env=dutch)
    driver = webdriver.Chrome(options=options, service=service)
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()


@dataclass(frozen=True)
class Site:
    """The register served over HTTP, and the database it runs on (``sqlite``/``postgres``)."""

    base: str
    database: str


@pytest.fixture
def site(database_url: str) -> Iterator[Site]:
    """The app over the page tests' register in a uvicorn of its own, read models caught up."""
    populate_pages(database_url)
    app = pages_app(database_url)
    with uvicorn_in_thread(app) as base:
        app.state.backend.runner.catch_up()
        yield Site(base, "postgres" if database_url.startswith("postgres") else "sqlite")


@pytest.fixture
def browser(chromium: WebDriver, site: Site) -> Browser:
    """The browser at the register, without cookies of an earlier test (ports share them)."""
    chromium.execute_cdp_cmd("Network.clearBrowserCookies", {})
    chromium.set_window_size(1280, 900)
    return Browser(chromium, site.base, site.database)
