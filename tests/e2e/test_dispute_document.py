"""The dispute report as a document a lawyer reads: the PDF and the printable page of a file with
an objection through both stages, a paid contribution, a scheduled suspension and a backdated
withdrawal, in Dutch and in English, through HTTP and through ``pso report``."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from api.storage import event_store_env
from domain.clock import SimulatedClock
from tests.dispute_register import NOW, populate_dispute
from tests.documents import machinery, pdf_pages, pdf_text, photograph_pdf

REPORT = "/api/v1/staff/organisations/12345678/dispute-report"
PSO = Path(sys.executable).parent / "pso"


@pytest.fixture
def staff(database_url: str) -> Iterator[tuple[TestClient, dict[str, str]]]:
    """The app over the dispute register at NOW, and a staff user's authorisation header."""
    populate_dispute(dict(event_store_env(database_url))).close()
    settings = Settings(database_url=database_url, scheduler=False, rate_limit_per_minute=0)
    with TestClient(create_app(settings, clock=SimulatedClock(NOW))) as client:
        client.app.state.backend.runner.catch_up()  # type: ignore[attr-defined]
        token = client.app.state.users.create("anna", "staff")  # type: ignore[attr-defined]
        yield client, {"Authorization": f"Bearer {token}"}


def test_the_pdf_names_the_organisation_the_answer_and_every_event_in_plain_dutch(
    staff: tuple[TestClient, dict[str, str]],
) -> None:
    """Name, KvK, reference, the question, who made it when (Amsterdam time), the answer now and
    what the register said before it learned of the withdrawal, page numbers; no machinery."""
    client, auth = staff
    answer = client.get(REPORT, params={"on": "2025-07-05", "format": "pdf"}, headers=auth)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "application/pdf"
    assert answer.headers["content-disposition"] == (
        'attachment; filename="geschillenrapport-12345678-2025-07-05.pdf"'
    )
    text = pdf_text(answer.content)
    photograph_pdf(answer.content, f"dispute-report-{_kind(client)}")
    flat = " ".join(text.split())
    for expected in [
        "Bakkerij De Korf",
        "KvK 12345678",
        "Kenmerk GR-12345678-20250705-",
        "Welke trede had Bakkerij De Korf op 5 juli 2025",
        "Opgesteld op 19 juli 2025 om 12:00 (Nederlandse tijd)",
        "Opgesteld door anna (medewerker PSO)",
        # the answer as known now: withdrawn from 1 July ...
        "Op 5 juli 2025: Geen geldige trede: certificaat PSO-2025-000001 (Trede 2) is "
        "ingetrokken per 1 juli 2025.",
        # ... but until the withdrawal was recorded the register said trede 2
        "Trede 2 sinds 31 maart 2025, geldig tot en met 30 maart 2027.",
        "met terugwerkende kracht",
        "gepland",
        "Het certificaat is ingetrokken.",
        "Het certificaat is geschorst.",
        "Ingangsdatum: 1 augustus 2025",
        "Er is bezwaar gemaakt tegen het besluit.",
        "De bezwaarcommissie heeft beslist.",
        "Uitkomst: ongegrond",
        "Een jaarbijdrage is betaald.",
        "Bedrag: € 1.500,00",
        "Reden: fraude met de opgave",
        "pagina 1 van",
    ]:
        assert expected in flat, expected
    assert machinery(text) == []
    pages = pdf_pages(answer.content)
    assert f"pagina {pages} van {pages}" in flat


def test_every_event_of_the_timeline_is_in_the_document(
    staff: tuple[TestClient, dict[str, str]],
) -> None:
    """One row per event of the JSON timeline, and the end of the report counts them all."""
    client, auth = staff
    report = client.get(REPORT, params={"on": "2025-07-05"}, headers=auth).json()
    page = client.get(REPORT, params={"on": "2025-07-05", "format": "html"}, headers=auth)
    assert page.status_code == 200
    assert page.headers["content-disposition"].startswith("inline; filename=")
    rows = page.text.split('<table class="timeline">')[1].split("</table>")[0]
    assert rows.count("<tr") == len(report["timeline"]) + 1  # and the header row
    count = len(report["timeline"])
    assert f"Einde van het rapport: {count} gebeurtenissen" in page.text
    assert machinery(page.text.replace("pso.css", "")) == []


def test_the_document_in_english_by_parameter_or_accept_language(
    staff: tuple[TestClient, dict[str, str]],
) -> None:
    """``?lang=en`` and ``Accept-Language: en`` give the same document in English."""
    client, auth = staff
    by_parameter = client.get(
        REPORT, params={"on": "2025-07-05", "format": "pdf", "lang": "en"}, headers=auth
    )
    assert by_parameter.headers["content-disposition"].endswith(
        'filename="dispute-report-12345678-2025-07-05.pdf"'
    )
    text = " ".join(pdf_text(by_parameter.content).split())
    for expected in ["Dispute report", "On 5 July 2025:", "backdated", "page 1 of", "Reference"]:
        assert expected in text, expected
    assert machinery(text) == []
    page = client.get(
        REPORT,
        params={"on": "2025-07-05", "format": "html"},
        headers={**auth, "Accept-Language": "en"},
    )
    assert page.headers["content-language"] == "en"
    assert "The register changed its answer about 5 July 2025" in page.text


def test_the_report_needs_a_staff_token_in_every_format(
    staff: tuple[TestClient, dict[str, str]],
) -> None:
    """Without the bearer token a document is 401, like the JSON."""
    client, _ = staff
    for format_ in ("json", "html", "pdf"):
        answer = client.get(REPORT, params={"on": "2025-07-05", "format": format_})
        assert answer.status_code == 401


def test_pso_report_writes_the_same_pdf_for_staff_without_a_browser_token(
    database_url: str, tmp_path: Path
) -> None:
    """``pso report --kvk N --on D --pdf FILE`` writes the document; without a file, the JSON."""
    populate_dispute(dict(event_store_env(database_url))).close()
    target = tmp_path / "rapport.pdf"
    env = {**os.environ, "PSO_DATABASE_URL": database_url}
    args = [str(PSO), "report", "--kvk", "12345678", "--on", "2025-07-05", "--by", "anna"]
    made = subprocess.run(  # noqa: S603 (our own console script, fixed arguments)
        [*args, "--pdf", str(target)], env=env, capture_output=True, text=True, timeout=120,
        check=False,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    text = " ".join(pdf_text(target.read_bytes()).split())
    assert "Bakkerij De Korf" in text
    assert "Opgesteld door anna (medewerker PSO)" in text
    assert machinery(text) == []
    printed = subprocess.run(  # noqa: S603 (our own console script, fixed arguments)
        args, env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert printed.returncode == 0, printed.stderr
    assert '"kvk": "12345678"' in printed.stdout


def _kind(client: TestClient) -> str:
    url: str = client.app.state.backend.database.url  # type: ignore[attr-defined]
    return "postgres" if url.startswith("postgres") else "sqlite"
