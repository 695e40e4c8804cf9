"""A statement as a document: its PDF (``/api/v1/statements/{id}.pdf``) and its printable page
(``/verklaring/{id}``) carry the id, the organisation, the question and answer in Dutch, the
signature and its key, with no machinery; an unknown id is 404."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from tests.documents import machinery, pdf_text, photograph_pdf
from tests.e2e.test_statements import populated, serving, stated

__all__ = ["populated"]  # the fixture of the statement tests, used here


@pytest.fixture
def client(database_url: str, populated: object) -> Iterator[TestClient]:
    """The populated register of the statement tests, signing statements."""
    with serving(database_url, populated) as test_client:  # type: ignore[arg-type]
        yield test_client


def test_the_pdf_of_a_statement_carries_its_id_signature_and_answer_in_dutch(
    client: TestClient,
) -> None:
    """A position on a day: the PDF says who, what was asked, the answer, its id and key."""
    made = stated(client, {"kvk": "20000001", "on": "2025-04-10"})
    answer = client.get(f"/api/v1/statements/{made['id']}.pdf")
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "application/pdf"
    assert answer.headers["content-disposition"] == (
        f'attachment; filename="verklaring-{made["id"]}.pdf"'
    )
    photograph_pdf(answer.content, "statement")
    text = " ".join(pdf_text(answer.content).split())
    for expected in [
        made["id"],
        "Organisatie 1",
        "Welke trede had Organisatie 1 op 10 april 2025?",
        "Op 10 april 2025:",
        made["signature"]["key_id"],
        "pso statement verify",
        "pagina 1 van",
    ]:
        assert expected in text, expected
    assert machinery(text.replace(made["id"], "")) == []


def test_a_coverage_statement_has_a_printable_page_and_an_unknown_one_is_404(
    client: TestClient,
) -> None:
    """Over a period: the page answers the tender question; an id that was never made is 404,
    as a page and as a PDF."""
    body = {"kvk": "20000001", "from": "2025-04-01", "to": "2025-06-30", "min_level": "trede_2"}
    made = stated(client, body)
    page = client.get(f"/verklaring/{made['id']}")
    assert page.status_code == 200
    assert made["id"] in page.text
    assert "ten minste Trede 2" in page.text
    assert made["signature"]["value"] in page.text
    unknown = "0f8fad5b-d9cb-469f-a165-70867728950e"
    assert client.get(f"/verklaring/{unknown}").status_code == 404
    assert client.get(f"/api/v1/statements/{unknown}.pdf").status_code == 404
    assert client.get("/api/v1/statements/nonsense.pdf").status_code == 404
