"""The list check, the self-assessment and the open data page through HTTP: what a browser is
sent for good and bad input (Dutch errors naming the field, bounds, files that are no CSV or no
declaration), the CSV download's form, and that nothing of the answers may be kept."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from norms.assessment import assess
from norms.assessment_document import assessment_document
from norms.bundled import bundled_catalogue
from norms.declaration import declaration_from_document
from tests.e2e.test_pages import visible
from tests.public_pages import TODAY
from tests.scenarios import MAIN_KVK

PERIOD = {"from": "2025-04-01", "to": "2025-12-31", "min_level": "trede_2"}
EXAMPLE = Path(__file__).parents[2] / "examples" / "declaration-trede-2.json"


def summary(html: str) -> list[str]:
    """The messages of the error summary at the top of a page."""
    found = re.search(r'<div class="error-summary".*?</ul>', html, re.DOTALL)
    return re.findall(r'<li><a href="#[^"]*">(.*?)</a></li>', found.group()) if found else []


def answer_rows(html: str) -> list[list[str]]:
    """The cells of the answers table, as text; a list of gaps as its items joined by "; "."""
    body = html.split('id="answers"', 1)[1].split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [
        [_cell(cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.DOTALL)]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.DOTALL)
    ]


def _cell(html: str) -> str:
    items = re.findall(r"<li>(.*?)</li>", html, re.DOTALL)
    return "; ".join(visible(i) for i in items) if items else visible(html)


def test_each_bad_line_gets_its_own_dutch_error_and_the_others_their_answer(
    pages: TestClient,
) -> None:
    """A 7-digit number (Excel dropped the 0), a word and a never-certified number among good
    lines: each line is answered on its own, in the order given, and nothing may be kept."""
    kvks = f"{MAIN_KVK}, 1234567; abc\n55555555 20000001"
    page = pages.post("/controle", data={"kvks": kvks, **PERIOD})
    assert page.status_code == 200
    assert page.headers["cache-control"] == "no-store"
    rows = answer_rows(page.text)
    assert [r[0] for r in rows] == ["1", "2", "3", "4", "5"]
    assert rows[0][1:4] == [MAIN_KVK, "Bakkerij De Korf", "nee"]
    assert "1 oktober 2025 tot en met 31 december 2025: geschorst (certificaat" in rows[0][4]
    assert (
        rows[1][4]
        == "‘1234567’ heeft 7 cijfers; een KvK-nummer heeft er 8. Excel laat soms de 0 aan het begin weg."
    )
    assert rows[2][4] == "‘abc’ is geen geldig KvK-nummer: een KvK-nummer bestaat uit 8 cijfers."
    assert rows[3][1:4] == ["55555555", "–", "nee"]
    assert "nooit gecertificeerd" in rows[3][4]
    assert "5 regels: 0 gedekt, 3 niet gedekt, 2 niet te controleren." in visible(page.text)


def test_a_list_of_more_than_1000_numbers_is_refused_with_the_limit(pages: TestClient) -> None:
    """1001 numbers are refused (422) before any is asked, saying the limit; 1000 are the most."""
    many = "\n".join(f"{10000000 + i}" for i in range(1001))
    page = pages.post("/controle", data={"kvks": many, **PERIOD})
    assert page.status_code == 422
    assert summary(page.text) == [
        "De lijst heeft 1001 KvK-nummers; het register controleert er ten hoogste 1000 tegelijk. Verdeel de lijst over meer controles."
    ]
    assert 'id="answers"' not in page.text


def test_a_file_that_is_no_csv_is_refused_naming_the_file_field(pages: TestClient) -> None:
    """A spreadsheet (zip), an image and a file too large are 422 at the file field; so are a
    pasted list and a file at once, and an empty list."""
    for name, data in (
        ("leveranciers.xlsx", b"PK\x03\x04\x14\x00\x06\x00" + b"\x00" * 40),
        ("logo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40),
        ("groot.csv", b"12345678\n" * 60_000),
    ):
        page = pages.post("/controle", data=PERIOD, files={"file": (name, data, "text/csv")})
        assert page.status_code == 422, name
        assert 'href="#field-file"' in page.text
        assert ("geen CSV-bestand" if name != "groot.csv" else "groter dan 512 kB") in summary(
            page.text
        )[0]
    both = pages.post(
        "/controle", data={"kvks": MAIN_KVK, **PERIOD}, files={"file": ("a.csv", b"12345678")}
    )
    assert summary(both.text) == ["Plak de KvK-nummers óf kies een CSV-bestand, niet allebei."]
    empty = pages.post("/controle", data={"kvks": " ,; ", **PERIOD})
    assert summary(empty.text) == ["Vul ten minste één KvK-nummer in, of kies een CSV-bestand."]


def test_a_bad_period_is_the_forms_error_not_each_lines(pages: TestClient) -> None:
    """An end before the start and a missing level name their fields once, by label."""
    page = pages.post(
        "/controle", data={"kvks": MAIN_KVK, "from": "2025-09-01", "to": "2025-01-01"}
    )
    assert page.status_code == 422
    assert summary(page.text) == ["Vul ‘Ten minste’ in."]
    page = pages.post("/controle", data={"kvks": MAIN_KVK, **PERIOD, "to": "2025-01-01"})
    assert summary(page.text) == ["‘Tot en met’ ligt vóór ‘Van’."]


def test_a_dutch_excel_csv_with_bom_semicolons_and_header_is_read_by_its_kvk_column(
    pages: TestClient,
) -> None:
    """UTF-8 with a BOM, ``;``, a header naming the KvK column second, a blank row; and the
    same list saved as Windows-1252: the lines keep their numbers in the file."""
    text = f"Leverancier;KvK-nummer\r\nBakkerij Café;{MAIN_KVK}\r\n;\r\nOnbekend;99999999\r\n"
    for data in (b"\xef\xbb\xbf" + text.encode(), text.encode("cp1252")):
        page = pages.post("/controle", data=PERIOD, files={"file": ("lijst.csv", data)})
        rows = answer_rows(page.text)
        assert [(r[0], r[1]) for r in rows] == [("2", MAIN_KVK), ("4", "99999999")]


def test_the_csv_download_is_for_dutch_excel_and_says_what_the_page_says(
    pages: TestClient,
) -> None:
    """``;`` separated, UTF-8 with a BOM, Dutch headers, a dated file name, not kept; each row
    the line of the page: KvK, name, covered, the gaps (joined by "; ") or the error."""
    page = pages.post("/controle", data={"kvks": f"{MAIN_KVK} abc 20000001", **PERIOD})
    entries = re.findall(r'name="entry" value="([^"]*)"', page.text)
    assert entries == [f"1 {MAIN_KVK}", "2 abc", "3 20000001"]
    download = pages.post("/controle.csv", data={"entry": entries, **PERIOD})
    assert download.status_code == 200
    assert download.headers["content-type"] == "text/csv; charset=utf-8"
    assert download.headers["cache-control"] == "no-store"
    assert download.headers["content-disposition"] == (
        f'attachment; filename="pso-controle-{TODAY.isoformat()}.csv"'
    )
    assert download.content.startswith(b"\xef\xbb\xbf")
    table = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig")), delimiter=";"))
    assert table[0] == ["Regel", "KvK-nummer", "Organisatie", "Gedekt", "Ten minste", "Van",
                        "Tot en met", "Dagen zonder de trede", "Fout"]  # fmt: skip
    for row, shown in zip(table[1:], answer_rows(page.text), strict=True):
        line, kvk, name, covered, level, start, end, gaps, error = row
        assert (line, kvk, name or "–") == (shown[0], shown[1], shown[2])
        assert (covered or "–") == shown[3]
        assert (level, start, end) == ("Trede 2", "2025-04-01", "2025-12-31")
        assert (error or gaps) == shown[4]
    assert "; 1 juli 2025 tot en met 31 december 2025: ingetrokken" in table[3][7]


def example_fields() -> dict[str, str]:
    """The form's fields for examples/declaration-trede-2.json, as a person types them."""
    doc: dict[str, Any] = json.loads(EXAMPLE.read_text())
    fields = {"action": "assess", "peiljaar": str(doc["peiljaar"]), "total_fte": "50,0"}
    for row, person in enumerate(doc["persons"]):
        fields |= {f"persons-{row}-{k}": str(v) for k, v in person.items()}
        fields[f"persons-{row}-fte"] = person["fte"].replace(".", ",")
    for row, purchase in enumerate(doc["purchases"]):
        fields |= {f"purchases-{row}-{k}": str(v) for k, v in purchase.items()}
    fields["purchases-0-amount"] = "50.000"
    fields |= {f"qualitative-{k}": "yes" for k, met in doc["qualitative"].items() if met}
    return fields


def test_the_self_assessment_gives_the_level_pso_score_gives(pages: TestClient) -> None:
    """The example declaration typed in (Dutch decimals, "50.000" euros) and uploaded as JSON:
    both give the level and score the CLI's functions give, under handbook 2.1, not kept."""
    doc = json.loads(EXAMPLE.read_text())
    version = bundled_catalogue().version_in_force(TODAY)
    expected = assessment_document(assess(declaration_from_document(doc), version))
    typed = pages.post("/meetlat", data=example_fields())
    uploaded = pages.post(
        "/meetlat",
        data={"action": "assess"},
        files={"declaration": ("d.json", EXAMPLE.read_bytes())},
    )
    for page in (typed, uploaded):
        assert page.status_code == 200
        assert page.headers["cache-control"] == "no-store"
        text = visible(page.text)
        assert "Voorlopige uitkomst onder handboek 2.1 (geldt vanaf 1 april 2023)" in text
        assert expected["level"] == "trede_2"
        assert "Met een score van 5,55% haalt de opgave voorlopig Trede 2." in text
        assert expected["total_score"] == "5.5464"


def test_more_rows_keeps_what_was_typed_and_adds_five(pages: TestClient) -> None:
    """ "Meer regels voor personen" sends the form back with 10 person rows and the figures
    typed; nothing is assessed."""
    fields = {**example_fields(), "action": "more_persons", "person_rows": "5"}
    page = pages.post("/meetlat", data=fields)
    assert page.status_code == 200
    assert 'name="persons-9-ref"' in page.text
    assert 'name="persons-10-ref"' not in page.text
    assert 'name="persons-0-fte" type="text" value="1,0"' in page.text
    assert 'id="assessment"' not in page.text


def test_a_declaration_with_bad_fields_names_each_in_dutch(pages: TestClient) -> None:
    """Typed: a person with a BSN as reference, one with an FTE that is no number, a purchase
    above the supplier's turnover; uploaded: a name field and a bad peiljaar. Each is named by
    its label on the form, and the link leads to the field."""
    fields = {
        **example_fields(),
        "persons-1-ref": "123456789",
        "persons-2-fte": "veel",
        "purchases-0-amount": "2000000",
    }
    page = pages.post("/meetlat", data=fields)
    assert page.status_code == 422
    assert summary(page.text) == [
        "‘Persoon 2: kenmerk’ lijkt op een BSN. Gebruik een eigen kenmerk, nooit een naam of BSN.",
        "‘Persoon 3: FTE’ is geen getal. Schrijf bijvoorbeeld 12,5.",
        "‘Aankoop 1: bedrag’ is hoger dan de omzet van de leverancier.",
    ]
    assert 'href="#field-persons-2-fte"' in page.text
    assert 'id="field-persons-2-fte"' in page.text
    doc = json.loads(EXAMPLE.read_text())
    doc["peiljaar"] = 1999
    doc["persons"][0]["naam"] = "Jan"
    upload = pages.post("/meetlat", data={"action": "assess"},
                        files={"declaration": ("d.json", json.dumps(doc).encode())})  # fmt: skip
    assert upload.status_code == 422
    assert summary(upload.text) == ["‘Peiljaar’ moet een jaar van 2000 tot en met 2100 zijn."]
    doc["peiljaar"] = 2024
    upload = pages.post("/meetlat", data={"action": "assess"},
                        files={"declaration": ("d.json", json.dumps(doc).encode())})  # fmt: skip
    assert summary(upload.text) == [
        "‘Persoon 1’ hoort niet bij een persoon: alleen kenmerk, uitgangspositie, startdatum, contract en FTE (nooit een naam of BSN)."
    ]
    broken = pages.post("/meetlat", data={"action": "assess"},
                        files={"declaration": ("d.json", b"{not json")})  # fmt: skip
    assert broken.status_code == 422
    assert summary(broken.text)[0].startswith("Het bestand is geen opgave in JSON")


def test_too_small_an_organisation_is_named_at_its_total_fte(pages: TestClient) -> None:
    """1 FTE rounds to size 1, below the smallest size assessed: the error is at the total."""
    fields = {"action": "assess", "peiljaar": "2024", "total_fte": "1",
              **{f"qualitative-{k}": "yes" for k in ("passend_werk", "integratie")}}  # fmt: skip
    page = pages.post("/meetlat", data=fields)
    assert page.status_code == 422
    assert summary(page.text) == [
        "Met deze ‘Totaal aantal FTE’ is de organisatie kleiner dan de kleinste grootte die de PSO beoordeelt (grootte 2: het aantal FTE afgerond)."
    ]


def test_the_open_data_checksums_are_of_the_bytes_the_exports_serve(pages: TestClient) -> None:
    """Each export's SHA-256 on the page is that of the export's body today; the handbook
    versions link to their JSON."""
    page = pages.get("/open-data")
    assert page.status_code == 200
    for path in ("/api/v1/register.csv", "/api/v1/register.jsonl"):
        shown = re.search(
            rf'<code data-export="{re.escape(path)}">([0-9a-f]{{64}})</code>', page.text
        )
        assert shown is not None
        served = pages.get(path, headers={"Accept-Encoding": "identity"}).content
        assert shown.group(1) == hashlib.sha256(served).hexdigest()
    assert 'href="/api/v1/norms/2.1"' in page.text
    assert 'href="/docs"' in page.text
    assert f"pso-register-{TODAY.isoformat()}.csv" in page.text
