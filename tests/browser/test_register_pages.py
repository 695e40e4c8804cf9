"""The public register in a real browser: a buyer searches, follows a result to the organisation
and the certificate, asks the date and the coverage question, switches language, makes a mistake,
scans the QR code; every page type passes axe-core (WCAG 2.1 A/AA) and is photographed at
desktop and phone width (var/screenshots/)."""

from __future__ import annotations

from tests.browser.support import Browser
from tests.public_pages import KORF
from tests.scenarios import MAIN_KVK, SUB_KVK


def test_a_buyer_searches_follows_a_result_and_asks_both_questions(browser: Browser) -> None:
    """Search "korf", open the organisation, then its certificate; the position on 15 June
    2025; coverage at trede 2 over the year (not covered: the scheduled suspension) and up to
    30 September (covered)."""
    browser.open("/")
    assert browser.text("h1") == "Zoek in het register"
    browser.type_into("q", "korf")
    browser.press("Zoeken")
    results = browser.text(".result-list")
    assert "Bakkerij De Korf" in results
    assert "Trede 2" in results
    assert f"KvK {MAIN_KVK}, {SUB_KVK}" in results
    browser.follow(browser.link("Bakkerij De Korf"))

    assert browser.text("h1") == "Bakkerij De Korf"
    assert "Trede 2 sinds 31 maart 2025, geldig tot en met 30 maart 2027." in browser.text()
    history = browser.text("table.history")
    assert "1 oktober 2025 geschorst gepland" in history
    browser.follow(browser.find(f'.card a[href="/c/{KORF}"]'))

    assert browser.text("h1") == f"Certificaat {KORF}"
    assert "Status vandaag, 1 september 2025" in browser.text()
    position_form = browser.find('form[action*="position"]')
    browser.type_date("on", "2025-06-15")
    browser.press("Bekijk de positie", position_form)
    answer = browser.text("#position-answer")
    assert "Op 15 juni 2025" in answer
    assert "Trede 2 sinds 31 maart 2025, geldig tot en met 30 maart 2027." in answer

    browser.choose("min_level", "Trede 2")
    browser.type_date("from", "2025-04-01")
    browser.type_date("to", "2025-12-31")
    browser.press("Controleer de periode")
    answer = browser.text("#coverage-answer")
    assert "Nee, niet gedekt" in answer
    assert "1 oktober 2025 31 december 2025 geschorst" in answer
    browser.type_date("to", "2025-09-30")
    browser.press("Controleer de periode")
    answer = browser.text("#coverage-answer")
    assert "Ja, gedekt" in answer
    assert "op elke dag van 1 april 2025 tot en met 30 september 2025 ten minste Trede 2" in answer


def test_the_language_switch_turns_the_pages_english_and_back(browser: Browser) -> None:
    """ "English" on a Dutch page answers it in English and the next page too (the cookie);
    "Nederlands" turns it back."""
    browser.open(f"/c/{KORF}")
    browser.follow(browser.link("English"))
    assert browser.text("h1") == f"Certificate {KORF}"
    assert browser.find("html").get_attribute("lang") == "en"
    assert "Status today, 1 September 2025" in browser.text()
    browser.follow(browser.link("Bakkerij De Korf"))
    assert "Level 2 since 31 March 2025, valid up to and including 30 March 2027." in (
        browser.text()
    )
    assert "scheduled" in browser.text("table.history")
    browser.follow(browser.link("Nederlands"))
    assert "Trede 2 sinds 31 maart 2025" in browser.text()
    assert browser.find("html").get_attribute("lang") == "nl"


def test_a_bad_date_shows_the_dutch_error_naming_the_field(browser: Browser) -> None:
    """An emptied date field, and an impossible date in the address, each give the error
    summary naming the field; its link leads to the field."""
    browser.open(f"/c/{KORF}")
    browser.find('[name="on"]').clear()
    browser.press("Bekijk de positie")
    assert browser.driver.title.startswith("Fout: ")
    assert "Er is een probleem" in browser.text(".error-summary")
    assert "Vul ‘Datum’ in." in browser.text(".error-summary")
    assert browser.find('[name="on"]').get_attribute("aria-invalid") == "true"
    browser.link("Vul ‘Datum’ in.").click()
    assert browser.driver.switch_to.active_element.get_attribute("name") == "on"

    browser.open(f"/c/{KORF}?on=2025-02-30")
    summary = browser.text(".error-summary")
    assert "‘Datum’ is geen bestaande datum." in summary
    assert "Op " not in browser.text(".question")


def test_the_qr_code_decodes_to_the_address_of_the_page(browser: Browser) -> None:
    """The code on the certificate page, read from a screenshot, is this page's address."""
    browser.open(f"/c/{KORF}?on=2025-06-15")
    assert browser.qr_text(".qr-code svg") == f"{browser.base}/c/{KORF}"
    assert browser.link(f"{browser.base}/c/{KORF}")


def test_every_page_type_passes_axe_and_fits_a_phone(browser: Browser) -> None:
    """axe-core finds no WCAG 2.1 A/AA violation on any page type, in Dutch and in English; each
    is photographed at desktop and phone width and none is wider than a phone."""
    pages = {
        "search": "/?q=organisatie",
        "search-empty": "/?q=niemand",
        "organisation": f"/o/{MAIN_KVK}",
        "organisation-withdrawn": "/o/20000001",
        "certificate": f"/c/{KORF}?on=2025-06-15&from=2025-04-01&to=2025-12-31&min_level=trede_2",
        "certificate-english": f"/c/{KORF}?on=2025-06-15&from=2025-04-01&to=2025-09-30"
        "&min_level=trede_2&lang=en",
        "form-error": f"/c/{KORF}?on=2025-02-30&from=2025-09-01&to=2025-01-01&min_level=trede_1"
        "&lang=nl",
        "search-error": "/?level=trede_9",
        "not-found": "/c/PSO-2025-999999",
    }
    for name, path in pages.items():
        browser.open(path)
        browser.passes_axe_and_is_photographed(name)
