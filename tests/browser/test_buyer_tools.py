"""The buyer's and the business owner's tools in a real browser: a procurement officer uploads
a CSV file (and pastes a list) in the list check and downloads the answers, which say what the
screen says; a small business fills in the self-assessment and gets the level ``pso score``
gives for the same figures; the open data page's checksum is that of the export's bytes. Every
new page passes axe-core (WCAG 2.1 A/AA) and is photographed at desktop and phone width."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import subprocess
import sys
import time
import urllib.request
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from selenium.webdriver.common.by import By

from api.pages.labels import LEVELS
from tests.browser.support import Browser
from tests.public_pages import TODAY
from tests.scenarios import MAIN_KVK

EXAMPLE = Path(__file__).parents[2] / "examples" / "declaration-trede-2.json"


def answers_on_screen(browser: Browser) -> list[list[str]]:
    """The answers table as a person reads it; the gaps of a line joined by "; "."""
    rows = []
    for row in browser.driver.find_elements(By.CSS_SELECTOR, "#answers tbody tr"):
        cells = row.find_elements(By.TAG_NAME, "td")
        texts = [cell.text for cell in cells[:4]]
        gaps = cells[4].find_elements(By.TAG_NAME, "li")
        texts.append("; ".join(g.text for g in gaps) if gaps else cells[4].text)
        rows.append(texts)
    return rows


def download(browser: Browser, button: str, folder: Path) -> bytes:
    """Press a button that downloads a file, and the file's bytes once it is complete."""
    browser.driver.execute_cdp_cmd(
        "Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(folder)}
    )
    browser.driver.find_element(By.XPATH, f'//button[normalize-space()="{button}"]').click()
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        done = [p for p in folder.iterdir() if not p.name.endswith(".crdownload")]
        if done:
            return done[0].read_bytes()
        time.sleep(0.1)
    raise AssertionError(f"no file downloaded by {button}")


def ask_period(browser: Browser) -> None:
    """Fill in the tender's period and level, as a Dutch buyer types them."""
    browser.choose("min_level", "Trede 2")
    browser.type_date("from", "2025-04-01")
    browser.type_date("to", "2025-12-31")


def test_a_buyer_uploads_a_csv_and_the_download_says_what_the_screen_says(
    browser: Browser, tmp_path: Path
) -> None:
    """A Dutch Excel file (BOM, ``;``, a header, the KvK column second, a bad line) gives an
    answer per line; the downloaded CSV (dated, ``;``, BOM) holds the same lines."""
    sheet = tmp_path / "leveranciers.csv"
    sheet.write_bytes(
        f"\ufeffLeverancier;KvK-nummer\r\nBakkerij;{MAIN_KVK}\r\nOnbekend;99999999\r\n"
        "Fout;1234567\r\nOrganisatie 1;20000001\r\n".encode()
    )
    browser.open("/controle")
    assert browser.text("h1") == "Lijstcontrole voor een aanbesteding"
    browser.find('[name="file"]').send_keys(str(sheet))
    ask_period(browser)
    browser.press("Controleer de lijst")
    assert "4 regels: 0 gedekt, 3 niet gedekt, 1 niet te controleren." in browser.text()
    screen = answers_on_screen(browser)
    assert [row[:4] for row in screen] == [
        ["2", MAIN_KVK, "Bakkerij De Korf", "nee"],
        ["3", "99999999", "–", "nee"],
        ["4", "1234567", "–", "–"],
        ["5", "20000001", "Organisatie 1", "nee"],
    ]
    assert "1 oktober 2025 tot en met 31 december 2025: geschorst" in screen[0][4]
    assert "7 cijfers" in screen[2][4]
    browser.passes_axe_and_is_photographed("list-check-answers")

    folder = tmp_path / "downloads"
    folder.mkdir()
    data = download(browser, "Download als CSV-bestand", folder)
    assert [p.name for p in folder.iterdir()] == [f"pso-controle-{TODAY.isoformat()}.csv"]
    assert data.startswith(b"\xef\xbb\xbf")
    table = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert table[0][:4] == ["Regel", "KvK-nummer", "Organisatie", "Gedekt"]
    for row, shown in zip(table[1:], screen, strict=True):
        line, kvk, name, covered, _, _, _, gaps, error = row
        assert [line, kvk, name or "–", covered or "–", error or gaps] == shown


def test_a_buyer_pastes_a_list_and_sees_each_line(browser: Browser) -> None:
    """Numbers pasted with commas, semicolons and line breaks are checked in order; a covered
    period says so on every day."""
    browser.open("/controle")
    browser.type_into("kvks", f"{MAIN_KVK}, 20000001;\nabc")
    browser.choose("min_level", "Trede 2")
    browser.type_date("from", "2025-04-01")
    browser.type_date("to", "2025-09-30")
    browser.press("Controleer de lijst")
    screen = answers_on_screen(browser)
    assert screen[0] == ["1", MAIN_KVK, "Bakkerij De Korf", "ja", "Op elke dag gedekt."]
    assert screen[1][:4] == ["2", "20000001", "Organisatie 1", "nee"]
    assert screen[2] == ["3", "abc", "–", "–",
                         "‘abc’ is geen geldig KvK-nummer: een KvK-nummer bestaat uit 8 cijfers."]  # fmt: skip


def fill_in(browser: Browser, doc: dict[str, Any]) -> None:
    """Type a declaration into the self-assessment's form as a person does (Dutch decimals)."""
    browser.type_into("peiljaar", str(doc["peiljaar"]))
    browser.type_into("total_fte", doc["total_fte"].replace(".", ","))
    positions = {"wajong": "Wajong", "participatiewet":
                 "Participatiewet of bijstand, zonder loonkostensubsidie",
                 "ww": "WW (ten minste 6 maanden)"}  # fmt: skip
    contracts = {"regular": "Regulier contract (vast of tijdelijk)",
                 "secondment": "Detachering of andere flexibele inzet"}  # fmt: skip
    for row, person in enumerate(doc["persons"]):
        field = f"persons-{row}-"
        browser.type_into(field + "ref", person["ref"])
        browser.choose(field + "starting_position", positions[person["starting_position"]])
        browser.type_date(field + "intake_date", person["intake_date"])
        browser.choose(field + "contract", contracts[person["contract"]])
        browser.type_into(field + "fte", person["fte"].replace(".", ","))
    for row, purchase in enumerate(doc["purchases"]):
        for key, value in purchase.items():
            browser.type_into(f"purchases-{row}-{key}", value.replace(".", ","))
    for criterion, met in doc["qualitative"].items():
        if met:
            browser.find(f'[name="qualitative-{criterion}"]').click()


def pso_score(database_url: str, declaration: Path) -> dict[str, Any]:
    """What ``pso score`` prints for a declaration submitted on the pages' today."""
    pso = Path(sys.executable).parent / "pso"
    env = {**os.environ, "PSO_DATABASE_URL": database_url, "PSO_LOG_FORMAT": "json"}
    done = subprocess.run(  # noqa: S603 (the project's own command line)
        [str(pso), "score", str(declaration), "--on", TODAY.isoformat()],
        capture_output=True, check=True, env=env, text=True, timeout=60,
    )  # fmt: skip
    found: dict[str, Any] = json.loads(done.stdout)
    return found


def test_a_business_fills_in_the_self_assessment_and_gets_the_level_of_pso_score(
    browser: Browser, database_url: str
) -> None:
    """The example declaration typed in gives the level, score and norm row ``pso score``
    prints for it; "Meer regels" adds rows and keeps what was typed."""
    doc = json.loads(EXAMPLE.read_text())
    browser.open("/meetlat")
    assert browser.text("h1") == "Meetlat: uw voorlopige trede"
    browser.passes_axe_and_is_photographed("self-assessment")
    fill_in(browser, doc)
    browser.press("Meer regels voor personen")
    assert len(browser.driver.find_elements(By.CSS_SELECTOR, 'input[name$="-ref"]')) == 10
    assert browser.find('[name="persons-0-fte"]').get_attribute("value") == "1,0"
    browser.press("Bereken de voorlopige trede")

    printed = pso_score(database_url, EXAMPLE)
    level = browser.text("#assessment-level")
    assert LEVELS[printed["level"]] in level
    score = Decimal(printed["total_score"]).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    assert f"Met een score van {str(score).replace('.', ',')}%" in level
    assert f"grootte {printed['size_fte']}" in browser.text("#assessment")
    norms = browser.text("#assessment-norms")
    for check in printed["levels"]:
        assert f"{LEVELS[check['level']]} {check['norm'].replace('.', ',')}%" in norms
    browser.passes_axe_and_is_photographed("self-assessment-answer")


def test_a_bad_figure_is_named_in_dutch_and_its_link_leads_to_the_field(
    browser: Browser,
) -> None:
    """An FTE that is no number: the summary names "Persoon 1: FTE"; following it focuses
    the field, which is marked invalid."""
    browser.open("/meetlat")
    browser.type_into("total_fte", "20")
    browser.choose("persons-0-starting_position", "Wajong")
    browser.type_date("persons-0-intake_date", "2024-01-15")
    browser.choose("persons-0-contract", "Begeleid werken")
    browser.type_into("persons-0-fte", "een")
    browser.press("Bereken de voorlopige trede")
    message = "‘Persoon 1: FTE’ is geen getal. Schrijf bijvoorbeeld 12,5."
    assert message in browser.text(".error-summary")
    assert browser.find('[name="persons-0-fte"]').get_attribute("aria-invalid") == "true"
    browser.passes_axe_and_is_photographed("self-assessment-error")
    browser.link(message).click()
    assert browser.driver.switch_to.active_element.get_attribute("name") == "persons-0-fte"


def test_the_open_data_checksum_is_that_of_the_exports_bytes(browser: Browser) -> None:
    """The SHA-256 shown for each export is the digest of the bytes the export serves."""
    browser.open("/open-data")
    assert browser.text("h1") == "Open data"
    for path in ("/api/v1/register.csv", "/api/v1/register.jsonl"):
        shown = browser.find(f'code[data-export="{path}"]').text
        with urllib.request.urlopen(browser.base + path) as served:  # noqa: S310 (the test's own server)
            assert shown == hashlib.sha256(served.read()).hexdigest()
    assert browser.link("Versie 2.1 als JSON").get_attribute("href") == (
        f"{browser.base}/api/v1/norms/2.1"
    )


def test_the_new_pages_pass_axe_and_fit_a_phone(browser: Browser) -> None:
    """The three pages (and the home page that links them), in Dutch and English, and the list
    check's error: no axe-core violation, photographed, none wider than a phone."""
    pages = {
        "home-with-tools": "/",
        "list-check": "/controle",
        "list-check-english": "/controle?lang=en",
        "self-assessment-english": "/meetlat?lang=en",
        "open-data": "/open-data?lang=nl",
        "open-data-english": "/open-data?lang=en",
    }
    for name, path in pages.items():
        browser.open(path)
        browser.passes_axe_and_is_photographed(name)
    browser.open("/controle?lang=nl")
    many = "\n".join(str(10000000 + i) for i in range(1001))
    browser.driver.execute_script(
        "arguments[0].value = arguments[1];", browser.find("#field-kvks"), many
    )
    ask_period(browser)
    browser.press("Controleer de lijst")
    assert "ten hoogste 1000" in browser.text(".error-summary")
    browser.passes_axe_and_is_photographed("list-check-error")
