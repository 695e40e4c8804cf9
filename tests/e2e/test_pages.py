"""The public pages through HTTP: what a browser is sent (statuses, headers, language, errors as
pages), on the page tests' register at a fixed today (tests/public_pages.py)."""

from __future__ import annotations

import re
import sqlite3

import pytest
from fastapi.testclient import TestClient

from api.routes import public
from tests.public_pages import (
    APPLICANT_KVK,
    KORF,
    WITHDRAWN_BACKDATED,
)
from tests.scenarios import MAIN_KVK, SUB_KVK

HTML = "text/html; charset=utf-8"


def visible(html: str) -> str:
    """The text of a page as words, without its markup."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_the_home_page_is_the_dutch_search_and_the_api_stays_json(pages: TestClient) -> None:
    """`/` is an HTML page in Dutch for a browser; the API under /api/v1 answers JSON as before,
    whatever the browser accepts."""
    home = pages.get("/", headers={"Accept": "text/html"})
    assert (home.status_code, home.headers["content-type"]) == (200, HTML)
    assert home.headers["content-language"] == "nl"
    assert '<html lang="nl">' in home.text
    assert "Zoek in het register" in home.text
    api = pages.get("/api/v1/register", headers={"Accept": "text/html"})
    assert api.headers["content-type"] == "application/json"
    assert api.json()["items"]
    assert pages.get(f"/api/v1/certificates/{KORF}").json()["number"] == KORF


def test_the_search_asks_what_the_api_asks(pages: TestClient) -> None:
    """The page shows the organisations the API finds for the same parameters, with the stand of
    today (1 September 2025) and level badges; a next page is linked when there is one."""
    for params in ({"q": "korf"}, {"place": "Ede"}, {"status": "withdrawn"}, {"q": SUB_KVK}):
        page = pages.get("/", params=params).text
        found = pages.get("/api/v1/register", params=params).json()["items"]
        assert found
        for item in found:
            assert f'href="/o/{item["main_kvk"]}"' in page
        assert page.count('class="result"') == len(found)
    korf = pages.get("/", params={"q": "de korf"}).text
    assert "Resultaten, met de stand op 1 september 2025" in korf
    assert '<span class="badge level-trede_2">Trede 2</span>' in korf
    assert "geldig tot en met 30 maart 2027" in korf
    everything = pages.get("/", params={"q": "organisatie", "place": "", "level": ""})
    assert everything.status_code == 200
    assert everything.text.count('class="result"') == 5
    assert 'rel="next"' not in everything.text


def test_the_organisation_page_says_the_position_in_one_sentence(pages: TestClient) -> None:
    """Position today in one sentence, every certificate, the history with the scheduled
    suspension marked; a subsidiary's KvK number finds the same organisation."""
    page = pages.get(f"/o/{MAIN_KVK}").text
    assert "<h1>Bakkerij De Korf</h1>" in page
    assert "Trede 2 sinds 31 maart 2025, geldig tot en met 30 maart 2027." in page
    assert f'href="/c/{KORF}"' in page
    assert f"gepland geschorst per 1 oktober 2025 (certificaat {KORF})" in visible(page)
    assert "1 oktober 2025 geschorst gepland" in visible(page)  # the history
    assert pages.get(f"/o/{SUB_KVK}").text.count("<h1>Bakkerij De Korf</h1>") == 1
    withdrawn = pages.get("/o/20000001").text
    assert (
        f"Geen geldige trede: certificaat {WITHDRAWN_BACKDATED} (Trede 2) is ingetrokken per "
        "1 juli 2025." in withdrawn
    )
    assert "met terugwerkende kracht" in withdrawn
    assert "19 juli 2025 om 11:00" in withdrawn  # recorded 09:00 UTC, shown in Amsterdam time


def test_the_certificate_page_answers_the_date_and_the_coverage_form(pages: TestClient) -> None:
    """Status today, validity, covered KvK numbers, CI, handbook version, a QR code, and the
    answers of both GET forms on the page."""
    page = pages.get(f"/c/{KORF}").text
    for shown in ("Status vandaag, 1 september 2025", "actief", "van 31 maart 2025 tot en met "
                  "30 maart 2027", MAIN_KVK, SUB_KVK, "Kiwa", "2.1", '<svg role="img"'):  # fmt: skip
        assert shown in page
    assert f"http://testserver/c/{KORF}" in page
    assert f"gepland geschorst per 1 oktober 2025 (certificaat {KORF})" in visible(page)
    on_a_day = pages.get(f"/c/{KORF}", params={"on": "2025-06-15"}).text
    assert "Op 15 juni 2025" in on_a_day
    assert "Trede 2 sinds 31 maart 2025, geldig tot en met 30 maart 2027." in on_a_day
    covered = pages.get(
        f"/c/{KORF}", params={"from": "2025-04-01", "to": "2025-09-30", "min_level": "trede_2"}
    ).text
    assert "Ja, gedekt" in covered
    gap = pages.get(
        f"/c/{KORF}", params={"from": "2025-04-01", "to": "2025-12-31", "min_level": "trede_2"}
    ).text
    assert "Nee, niet gedekt" in gap
    assert "1 oktober 2025 31 december 2025 geschorst" in visible(gap)
    lower = pages.get(f"/c/{KORF.lower()}?on=2025-06-15", follow_redirects=False)
    assert (lower.status_code, lower.headers["location"]) == (308, f"/c/{KORF}?on=2025-06-15")


def test_bad_form_input_is_a_dutch_page_naming_the_field(pages: TestClient) -> None:
    """422 with the form again, each refused field named by its label; never JSON."""
    bad_day = pages.get(f"/c/{KORF}", params={"on": "2025-02-30"})
    assert (bad_day.status_code, bad_day.headers["content-type"]) == (422, HTML)
    assert "‘Datum’ is geen bestaande datum" in bad_day.text
    assert 'aria-invalid="true"' in bad_day.text
    empty = pages.get(f"/c/{KORF}", params={"on": ""})
    assert (empty.status_code, "Vul ‘Datum’ in." in empty.text) == (422, True)
    backwards = pages.get(
        f"/c/{KORF}", params={"from": "2025-09-01", "to": "2025-01-01", "min_level": "trede_1"}
    )
    assert "‘Tot en met’ ligt vóór ‘Van’." in backwards.text
    far = pages.get(f"/c/{KORF}", params={"on": "1999-12-31"})
    assert "‘Datum’ moet liggen tussen 1 januari 2000 en 31 december 2100." in far.text
    search = pages.get("/", params={"level": "trede_9", "q": "a\x00b"})
    assert search.status_code == 422
    assert "Kies bij ‘Trede’ een van de mogelijkheden." in search.text


def test_unknown_numbers_are_dutch_404_pages(pages: TestClient) -> None:
    """An unknown certificate or KvK number, or no number at all, is a 404 page saying so."""
    for path, says in [
        ("/c/PSO-2025-999999", "Certificaat PSO-2025-999999 staat niet in het register."),
        ("/c/nonsense", "‘nonsense’ is geen certificaatnummer."),
        ("/o/29999999", "KvK-nummer 29999999 staat niet in het register"),
        ("/o/123", "‘123’ is geen KvK-nummer."),
    ]:
        page = pages.get(path)
        assert (page.status_code, page.headers["content-type"]) == (404, HTML)
        assert says in page.text
        assert "<h1>Niet gevonden</h1>" in page.text


def test_who_applied_without_a_decision_is_not_on_any_page(pages: TestClient) -> None:
    """An applicant never decided is neither found nor shown (as for one never seen)."""
    assert "Aanvrager" not in pages.get("/", params={"q": "aanvrager"}).text
    assert "Aanvrager" not in pages.get("/", params={"q": APPLICANT_KVK}).text
    assert pages.get(f"/o/{APPLICANT_KVK}").status_code == 404


def test_english_by_switch_cookie_or_accept_language(pages: TestClient) -> None:
    """``?lang=en`` answers English and keeps it in a cookie; Accept-Language chooses too;
    every page links to itself in the other language."""
    dutch = pages.get(f"/c/{KORF}", params={"on": "2025-06-15"}).text
    assert '<a href="?on=2025-06-15&amp;lang=en" lang="en" hreflang="en">English</a>' in dutch
    english = pages.get(f"/c/{KORF}", params={"on": "2025-06-15", "lang": "en"})
    assert english.headers["content-language"] == "en"
    assert "pso_lang=en" in english.headers["set-cookie"]
    assert "Level 2 since 31 March 2025, valid up to and including 30 March 2027." in english.text
    assert "On 15 June 2025" in english.text
    assert pages.get("/").headers["content-language"] == "en"  # the cookie
    pages.cookies.clear()
    preferred = pages.get("/", headers={"Accept-Language": "de-DE, en-GB;q=0.8, nl;q=0.5"})
    assert preferred.headers["content-language"] == "en"
    assert "Search the register" in preferred.text
    assert pages.get("/", headers={"Accept-Language": "fr"}).headers["content-language"] == "nl"


def test_pages_carry_their_own_assets_and_no_script(pages: TestClient) -> None:
    """The style sheet is served by the app; pages allow no script and nothing from elsewhere."""
    page = pages.get("/")
    policy = page.headers["content-security-policy"]
    assert "default-src 'none'" in policy
    assert "script-src" not in policy
    assert "<script" not in page.text
    assert "Accept-Language" in page.headers["vary"]
    css = pages.get("/static/pages/pso.css")
    assert (css.status_code, css.headers["content-type"]) == (200, "text/css; charset=utf-8")
    assert 'href="/static/pages/pso.css?v=' in page.text
    assert "http" not in page.text.split("<body>")[0]  # nothing loaded from another host


def test_a_failure_behind_a_page_is_a_page_too(
    pages: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Our own error is a Dutch 500 page without details; a busy database a 503 page with
    Retry-After; never a traceback or JSON."""

    def broken(*_: object) -> None:
        msg = "a bug behind the page"
        raise RuntimeError(msg)

    def busy(*_: object) -> None:
        msg = "database is locked"
        raise sqlite3.OperationalError(msg)

    monkeypatch.setattr(public, "get_certificate", broken)
    failed = pages.get(f"/c/{KORF}")
    assert (failed.status_code, failed.headers["content-type"]) == (500, HTML)
    assert "<h1>Er ging iets mis</h1>" in failed.text
    assert "a bug behind the page" not in failed.text
    assert "Traceback" not in failed.text
    monkeypatch.setattr(public, "get_certificate", busy)
    waiting = pages.get(f"/c/{KORF}", params={"lang": "en"})
    assert (waiting.status_code, waiting.headers["retry-after"]) == (503, "2")
    assert "<h1>The register is busy</h1>" in waiting.text
