"""What the browser tests do with a page: open it, fill and send its forms, run axe-core on it,
photograph it at desktop and phone width, and read its QR code back from a screenshot."""

from __future__ import annotations

import base64
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import zxingcpp
from PIL import Image
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.chrome.webdriver import WebDriver
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.expected_conditions import staleness_of
from selenium.webdriver.support.select import Select
from selenium.webdriver.support.wait import WebDriverWait

ROOT = Path(__file__).parents[2]
#: axe-core, installed from the npm registry by ``make install``
AXE = ROOT / "var" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "var" / "screenshots"
#: the rules of WCAG 2.1 levels A and AA
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
#: a phone-sized screen (CSS pixels), as Chromium's device emulation gives it
PHONE = {"width": 390, "height": 844, "deviceScaleFactor": 2, "mobile": True}


@dataclass
class Browser:
    """Chromium at the register of one test."""

    driver: WebDriver
    base: str
    database: str

    def open(self, path: str) -> None:
        """Open a page of the register."""
        self.driver.get(self.base + path)

    def find(self, css: str) -> WebElement:
        """The first element matching a CSS selector."""
        return self.driver.find_element(By.CSS_SELECTOR, css)

    def text(self, css: str = "main") -> str:
        """The text a person sees in an element (the main content by default)."""
        return self.find(css).text

    def link(self, text: str) -> WebElement:
        """The link with exactly this text."""
        return self.driver.find_element(By.LINK_TEXT, text)

    def type_into(self, name: str, text: str) -> None:
        """Type into a text field, as a person does (what was there first is cleared)."""
        field = self.find(f'[name="{name}"]')
        field.clear()
        field.send_keys(text)

    def type_date(self, name: str, day: str) -> None:
        """Type a day (``YYYY-MM-DD``) into a date field with the keyboard as a Dutch person
        does: day, month, year (the order the field shows in Dutch: dd-mm-jjjj)."""
        year, month, date = day.split("-")
        field = self.find(f'[name="{name}"]')
        field.clear()
        field.send_keys(date + month + year)

    def choose(self, name: str, text: str) -> None:
        """Choose an option of a select field by the text it shows."""
        Select(self.find(f'[name="{name}"]')).select_by_visible_text(text)

    def press(self, button: str, form: WebElement | None = None) -> None:
        """Press the button with this text (in a form, or anywhere on the page) and wait for the
        page it leads to."""
        scope: Any = form or self.driver
        self.follow(scope.find_element(By.XPATH, f'.//button[normalize-space()="{button}"]'))

    def follow(self, element: WebElement) -> None:
        """Click a link or button that leads to another page, and wait until that page is here
        (a click returns before the browser has left the page it was on)."""
        page = self.driver.find_element(By.TAG_NAME, "html")
        element.click()
        # while the old page goes, Chromium may answer "Node ... does not belong to the
        # document" instead of a stale element: that, too, means the page has left
        WebDriverWait(self.driver, 15, ignored_exceptions=(WebDriverException,)).until(
            staleness_of(page)
        )

    def axe_violations(self) -> list[dict[str, Any]]:
        """axe-core's WCAG 2.1 A/AA violations of the page as it is now (rule, impact, nodes)."""
        self.driver.execute_script(AXE.read_text())
        found: list[dict[str, Any]] = self.driver.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}})"
            ".then(r => done(r.violations.map(v => ({id: v.id, impact: v.impact,"
            " help: v.help, nodes: v.nodes.map(n => n.html)}))),"
            " e => done([{id: 'axe-error', help: String(e), nodes: []}]));",
            WCAG_21_AA,
        )
        return found

    def overflows_sideways(self) -> bool:
        """True when the page is wider than its window (a phone user would scroll sideways)."""
        return bool(
            self.driver.execute_script(
                "return document.documentElement.scrollWidth > window.innerWidth;"
            )
        )

    def photograph(self, name: str) -> list[Path]:
        """The whole page at desktop and at phone width, as PNG files in var/screenshots; the
        phone photograph also checks nothing runs off the side of the screen."""
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        written = []
        for width, metrics in (("desktop", None), ("phone", PHONE)):
            if metrics:
                self.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)
            try:
                path = SCREENSHOTS / f"{self.database}-{name}-{width}.png"
                path.write_bytes(self._full_page())
                written.append(path)
                if metrics:
                    assert not self.overflows_sideways(), f"{name} is wider than a phone"
            finally:
                if metrics:
                    self.driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
        return written

    def passes_axe_and_is_photographed(self, name: str) -> None:
        """axe-core finds no WCAG 2.1 A/AA violation on the page as it is now, and it is
        photographed at desktop and phone width (none wider than a phone)."""
        violations = self.axe_violations()
        assert violations == [], f"{name}: {explain(violations)}"
        assert len(self.photograph(name)) == 2

    def _full_page(self) -> bytes:
        """A PNG of the whole page, beyond the window."""
        shot = self.driver.execute_cdp_cmd(
            "Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True}
        )
        return base64.b64decode(shot["data"])

    def qr_text(self, css: str) -> str:
        """What the QR code in an element says, read back from a screenshot of it."""
        image = Image.open(io.BytesIO(self.find(css).screenshot_as_png))
        codes = zxingcpp.read_barcodes(image)
        assert len(codes) == 1, f"expected one code in {css}, read {len(codes)}"
        return str(codes[0].text)


def explain(violations: list[dict[str, Any]]) -> str:
    """axe-core's findings, readable in a test failure."""
    return json.dumps(violations, indent=1, ensure_ascii=False)
