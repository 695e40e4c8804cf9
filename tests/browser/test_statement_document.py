"""A statement's printable page in a real browser: what it says, its QR code read back from a
screenshot (the organisation's live page), axe-core (WCAG 2.1 A/AA) and photographs."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from pypdf import PdfReader
from selenium.webdriver.chrome.webdriver import WebDriver
from typer.testing import CliRunner

from api.app import create_app
from api.cli import app as cli
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


def test_a_buyer_makes_a_statement_from_the_certificate_page_saves_its_pdf_and_it_verifies(
    signing_site: Browser, tmp_path: Path
) -> None:
    """The position form's answer offers a statement; its page saves the PDF (which names the
    statement), and the signed document it links to verifies with the register's keys — until
    one byte of its content is changed."""
    browser = signing_site
    organisation = httpx.get(f"{browser.base}/api/v1/organisations/12345678").json()
    number = organisation["certificates"][0]["number"]
    browser.open(f"/c/{number}")
    browser.type_date("on", "2025-06-01")
    browser.press("Bekijk de positie")
    browser.press("Maak hiervan een verklaring")
    assert "/verklaring/" in browser.driver.current_url
    statement_id = browser.driver.current_url.rsplit("/", 1)[-1]
    assert statement_id in browser.text()
    assert "Op 1 juni 2025: Trede 2 sinds 31 maart 2025" in browser.text()
    browser.passes_axe_and_is_photographed("statement-made")

    saved = tmp_path / "downloads"
    saved.mkdir()
    browser.driver.execute_cdp_cmd(
        "Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(saved)}
    )
    browser.link("Bewaar als PDF").click()
    pdf = _downloaded(saved, f"verklaring-{statement_id}.pdf")
    text = "".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert statement_id in text
    assert "Bakkerij De Korf" in text

    document = tmp_path / "statement.json"
    href = browser.link("Het ondertekende document (JSON)").get_attribute("href")
    document.write_bytes(httpx.get(str(href)).content)
    keys = tmp_path / "keys.json"
    keys.write_bytes(httpx.get(f"{browser.base}/api/v1/keys").content)
    checked = CliRunner().invoke(cli, ["statement", "verify", str(document), "--keys", str(keys)])
    assert checked.exit_code == 0, checked.output
    assert checked.output.splitlines()[-1].startswith("VALID")
    by_id = ["statement", "verify", statement_id, "--register", browser.base]
    assert CliRunner().invoke(cli, by_id).exit_code == 0

    changed = document.read_text().replace("Bakkerij De Korf", "Bakkerij De Kors")
    document.write_text(changed)
    refused = CliRunner().invoke(cli, ["statement", "verify", str(document), "--keys", str(keys)])
    assert refused.exit_code == 1, refused.output
    assert "NOT VALID" in refused.output


def _downloaded(folder: Path, name: str) -> Path:
    """The file the browser saved under ``name``, once it is complete."""
    target = folder / name
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if target.exists() and not list(folder.glob("*.crdownload")):
            return target
        time.sleep(0.1)
    found = [p.name for p in folder.iterdir()]
    pytest.fail(f"the browser saved no {name} (the folder holds {found})")
