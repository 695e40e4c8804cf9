"""The back office over HTTP: signing in and out, the redirect and its ``next``, the one refusal
and the rate limit, the idle timeout, CSRF on every POST, the worklist by role, registering an
organisation once per form, and the dispute report with the session."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from domain.clock import SimulatedClock
from tests.back_office import (
    DNV_KVK,
    DNV_NAME,
    LATE_KVK,
    LATE_NAME,
    head,
    hidden,
    serving,
    sign_in,
)


@pytest.fixture
def office(database_url: str) -> Iterator[tuple[TestClient, SimulatedClock]]:
    """The back office over the tests' register, and the app's clock."""
    with serving(database_url) as found:
        yield found


def test_a_signed_out_browser_is_sent_to_sign_in_and_back_to_the_page_it_asked(
    office: tuple[TestClient, SimulatedClock],
) -> None:
    """303 to /beheer/inloggen with next; signing in leads there, with an HttpOnly Lax cookie
    on /beheer, not Secure on 127.0.0.1."""
    client, _ = office
    asked = client.get("/beheer/organisaties/nieuw", follow_redirects=False)
    assert asked.status_code == 303
    assert asked.headers["location"] == "/beheer/inloggen?next=%2Fbeheer%2Forganisaties%2Fnieuw"
    done = sign_in(client, "anna", target="/beheer/organisaties/nieuw")
    assert done.status_code == 303, done.text  # type: ignore[attr-defined]
    assert done.headers["location"] == "/beheer/organisaties/nieuw"  # type: ignore[attr-defined]
    cookie = done.headers["set-cookie"].lower()  # type: ignore[attr-defined]
    assert "pso_beheer=" in cookie
    assert "httponly" in cookie
    assert "samesite=lax" in cookie
    assert "path=/beheer" in cookie
    assert "secure" not in cookie.split("pso_beheer_inloggen")[0]
    assert client.get("/beheer/organisaties/nieuw").status_code == 200


def test_next_never_leads_off_the_back_office(office: tuple[TestClient, SimulatedClock]) -> None:
    """An address elsewhere as next leads to the worklist instead."""
    client, _ = office
    for elsewhere in ("https://evil.example/", "//evil.example/beheer", "/docs"):
        done = sign_in(client, "anna", target=elsewhere)
        assert done.headers["location"] == "/beheer"  # type: ignore[attr-defined]


def test_the_cookie_is_secure_off_localhost(database_url: str) -> None:
    """Served under another name than localhost, the back office's cookies are Secure."""
    with serving(database_url) as (client, _):
        client.base_url = "http://register.example"
        page = client.get("/beheer/inloggen")
        assert "secure" in page.headers["set-cookie"].lower()


def test_a_wrong_password_and_an_unknown_user_get_the_same_message(
    office: tuple[TestClient, SimulatedClock],
) -> None:
    """401 and one Dutch sentence, whichever of the two was wrong; no session."""
    client, _ = office
    wrong = sign_in(client, "anna", "not the password at all")
    unknown = sign_in(client, "nobody", "not the password at all")
    message = "Deze combinatie van gebruikersnaam en wachtwoord kennen we niet."
    for answer in (wrong, unknown):
        assert answer.status_code == 401  # type: ignore[attr-defined]
        assert message in answer.text  # type: ignore[attr-defined]
    assert client.get("/beheer", follow_redirects=False).status_code == 303


def test_five_failures_lock_the_user_name_for_fifteen_minutes(
    office: tuple[TestClient, SimulatedClock],
) -> None:
    """The sixth attempt, even with the right password, is refused saying when to try again;
    after fifteen minutes the right password signs in."""
    client, clock = office
    for _ in range(4):
        assert sign_in(client, "anna", "wrong password!!").status_code == 401  # type: ignore[attr-defined]
    fifth = sign_in(client, "anna", "wrong password!!")
    assert fifth.status_code == 429  # type: ignore[attr-defined]
    locked = sign_in(client, "anna")
    assert locked.status_code == 429  # type: ignore[attr-defined]
    assert "Te veel mislukte pogingen om in te loggen" in locked.text  # type: ignore[attr-defined]
    assert "1 september 2025 om 12:15" in locked.text  # type: ignore[attr-defined]
    assert locked.headers["retry-after"] == "900"  # type: ignore[attr-defined]
    clock.advance(dt.timedelta(minutes=15))
    assert sign_in(client, "anna").status_code == 303  # type: ignore[attr-defined]


def test_a_revoked_user_cannot_sign_in_and_its_session_opens_nothing(
    office: tuple[TestClient, SimulatedClock],
) -> None:
    """Revoking ends the way in at once."""
    client, _ = office
    assert sign_in(client, "anna").status_code == 303  # type: ignore[attr-defined]
    client.app.state.users.revoke("anna")  # type: ignore[attr-defined]
    assert client.get("/beheer", follow_redirects=False).status_code == 303
    assert sign_in(client, "anna").status_code == 401  # type: ignore[attr-defined]


def test_an_idle_session_ends_after_thirty_minutes(
    office: tuple[TestClient, SimulatedClock],
) -> None:
    """29 minutes apart the session lives on; 30 minutes without a request it is gone."""
    client, clock = office
    sign_in(client, "anna")
    clock.advance(dt.timedelta(minutes=29))
    assert client.get("/beheer").status_code == 200
    clock.advance(dt.timedelta(minutes=30))
    assert client.get("/beheer", follow_redirects=False).status_code == 303


def test_signing_out_deletes_the_session(office: tuple[TestClient, SimulatedClock]) -> None:
    """After Uitloggen the old cookie, sent again, opens nothing."""
    client, _ = office
    sign_in(client, "anna")
    cookie = client.cookies.get("pso_beheer")
    page = client.get("/beheer")
    out = client.post("/beheer/uitloggen", data={"csrf": hidden(page.text, "csrf")})
    assert "U bent uitgelogd." in out.text
    client.cookies.set("pso_beheer", cookie or "", path="/beheer")
    assert client.get("/beheer", follow_redirects=False).status_code == 303


def test_a_post_without_or_with_a_wrong_csrf_token_is_refused_and_writes_nothing(
    office: tuple[TestClient, SimulatedClock],
) -> None:
    """403 with the Dutch page; the log does not grow. Sign-out and sign-in need it too."""
    client, _ = office
    sign_in(client, "anna")
    form = client.get("/beheer/organisaties/nieuw").text
    body = {
        "idempotency_key": hidden(form, "idempotency_key"),
        "kvk": "66666666",
        "name": "Zonder Token BV",
        "place": "Ede",
    }
    before = head(client)
    for token in ({}, {"csrf": "forged"}):
        refused = client.post("/beheer/organisaties/nieuw", data={**body, **token})
        assert refused.status_code == 403
        assert "Er is niets opgeslagen" in refused.text
    assert client.post("/beheer/uitloggen", data={}).status_code == 403
    assert head(client) == before
    assert client.get("/beheer").status_code == 200  # still signed in
    client.cookies.clear()
    login = {"gebruikersnaam": "anna", "wachtwoord": "x", "csrf": "forged"}
    assert client.post("/beheer/inloggen", data=login).status_code == 403


def test_the_worklist_shows_the_late_decision_with_its_deadline(
    office: tuple[TestClient, SimulatedClock],
) -> None:
    """Staff see both reports waiting, the deadline in Dutch, marked late, linked."""
    client, _ = office
    sign_in(client, "anna")
    page = client.get("/beheer").text
    assert LATE_NAME in page
    assert DNV_NAME in page
    assert "te laat" in page
    assert re.search(r"\d{1,2} (mei|juni) 2025", page)
    assert f'href="/beheer/organisaties/{LATE_KVK}"' in page


def test_an_auditor_sees_only_its_own_ci_and_cannot_open_staff_screens(
    office: tuple[TestClient, SimulatedClock],
) -> None:
    """Kiwa's auditor sees Kiwa's report, not DNV's, in the page and in the API alike; the
    registration form and the organisation page of DNV's applicant are refused (403)."""
    client, _ = office
    sign_in(client, "kees")
    page = client.get("/beheer").text
    assert LATE_NAME in page
    assert DNV_NAME not in page
    for address in ("/beheer/organisaties/nieuw", f"/beheer/organisaties/{DNV_KVK}",
                    f"/beheer/organisaties/{DNV_KVK}/geschilrapport?dag=2025-09-01"):  # fmt: skip
        refused = client.get(address)
        assert refused.status_code == 403, address
        assert "U mag dit niet met uw rol" in refused.text
    token = client.app.state.users.create("kiwa-script", "auditor", "kiwa")  # type: ignore[attr-defined]
    listed = client.get(
        "/api/v1/staff/worklist", headers={"Authorization": f"Bearer {token}"}
    ).json()
    cis = {a["ci"] for a in listed["applications_awaiting_decision"]}
    assert cis == {"kiwa"}
    assert listed["unpaid_contributions"] == []


def test_registering_an_organisation_through_the_form_writes_once_on_a_double_submit(
    office: tuple[TestClient, SimulatedClock],
) -> None:
    """The same form sent twice: one organisation, the second answer the same redirect; its
    page confirms in Dutch and shows the timeline."""
    client, _ = office
    sign_in(client, "anna")
    form = client.get("/beheer/organisaties/nieuw").text
    body = {
        "csrf": hidden(form, "csrf"),
        "idempotency_key": hidden(form, "idempotency_key"),
        "kvk": "66666666",
        "name": "Dubbel Geklikt BV",
        "place": "Ede",
        "subsidiaries": "66666667, 66666668",
    }
    before = head(client)
    first = client.post("/beheer/organisaties/nieuw", data=body, follow_redirects=False)
    after_first = head(client)
    second = client.post("/beheer/organisaties/nieuw", data=body, follow_redirects=False)
    assert first.status_code == second.status_code == 303
    assert first.headers["location"] == second.headers["location"]
    assert first.headers["location"] == "/beheer/organisaties/66666666?ingeschreven=1"
    assert after_first > before
    assert head(client) == after_first
    organisation = client.app.state.backend.register.organisation_by_kvk("66666668")  # type: ignore[attr-defined]
    assert organisation.name == "Dubbel Geklikt BV"
    page = client.get(first.headers["location"]).text
    assert "Dubbel Geklikt BV (KvK 66666666) staat nu in het register." in page
    assert "Tijdlijn" in page


def test_a_refused_registration_shows_each_error_beside_its_field_and_saves_nothing(
    office: tuple[TestClient, SimulatedClock],
) -> None:
    """Bad KvK number and empty name: 422 with both; a KvK number already covered: the
    domain's refusal beside the KvK field; the log unchanged."""
    client, _ = office
    sign_in(client, "anna")
    form = client.get("/beheer/organisaties/nieuw").text
    body = {"csrf": hidden(form, "csrf"), "idempotency_key": hidden(form, "idempotency_key"),
            "kvk": "123", "name": "", "place": "Ede", "subsidiaries": ""}  # fmt: skip
    before = head(client)
    bad = client.post("/beheer/organisaties/nieuw", data=body)
    assert bad.status_code == 422
    assert "‘KvK-nummer’ bestaat uit acht cijfers, zoals 12345678." in bad.text
    assert "Vul ‘Naam’ in." in bad.text
    assert 'href="#field-kvk"' in bad.text
    taken = client.post(
        "/beheer/organisaties/nieuw", data={**body, "kvk": LATE_KVK, "name": "Nog Eens BV"}
    )
    assert taken.status_code == 422
    assert 'id="error-kvk"' in taken.text
    assert LATE_KVK in taken.text
    assert head(client) == before


def test_staff_open_the_dispute_report_with_the_session(
    office: tuple[TestClient, SimulatedClock],
) -> None:
    """HTML by default, PDF by formaat=pdf, both the staff route's document."""
    client, _ = office
    sign_in(client, "anna")
    html = client.get(f"/beheer/organisaties/{LATE_KVK}/geschilrapport?dag=2025-09-01")
    assert html.status_code == 200
    assert LATE_NAME in html.text
    pdf = client.get(f"/beheer/organisaties/{LATE_KVK}/geschilrapport?dag=2025-09-01&formaat=pdf")
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
