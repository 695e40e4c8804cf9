"""The back office's application screens over HTTP: the list by role and state, one
application's page (refused to an auditor of another CI), submission with an uploaded
declaration (checked first, saved once), objection, cancellation, audit report and decision:
each refused form writes nothing and each double submit writes once."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from domain.clock import SimulatedClock
from tests.back_office import DNV_NAME, LATE_KVK, LATE_NAME, head, hidden, serving, sign_in
from tests.scenarios import STAFF

DECLARATION = (Path(__file__).parents[2] / "examples" / "declaration-trede-2.json").read_bytes()
NEW_KVK, NEW_NAME = "55555555", "Nieuwe Aanvrager BV"


@pytest.fixture
def office(database_url: str) -> Iterator[TestClient]:
    """The back office over the tests' register, with one more organisation to apply."""
    found: tuple[TestClient, SimulatedClock]
    with serving(database_url) as found:
        client = found[0]
        backend = client.app.state.backend  # type: ignore[attr-defined]
        backend.register.register_organisation(NEW_KVK, NEW_NAME, "Deventer", STAFF)
        backend.runner.catch_up()
        yield client


def application_of(client: TestClient, name: str) -> str:
    """The address of the application of the organisation called ``name`` in the list."""
    page = client.get("/beheer/aanvragen")
    found = re.search(rf'href="(/beheer/aanvragen/[0-9a-f-]{{36}})">{name}<', page.text)
    assert found, f"no application of {name}"
    return found.group(1)


def form_of(client: TestClient, address: str) -> dict[str, str]:
    """The CSRF token and one-time key of the form on the page at ``address``."""
    page = client.get(address)
    assert page.status_code == 200, page.text
    return {
        "csrf": hidden(page.text, "csrf"),
        "idempotency_key": hidden(page.text, "idempotency_key"),
    }


def submission(client: TestClient, action: str, **fields: str) -> object:
    """The submission form sent with the example declaration uploaded."""
    data = {
        **form_of(client, "/beheer/aanvragen/nieuw"),
        "kvk": NEW_KVK,
        "submitted_on": "2025-09-01",
        "certifying_institution": "kiwa",
        "requested_level": "trede_2",
        "action": action,
        **fields,
    }
    files = {"declaration": ("opgave.json", DECLARATION, "application/json")}
    return client.post("/beheer/aanvragen/nieuw", data=data, files=files, follow_redirects=False)


def test_the_list_shows_staff_every_application_and_an_auditor_its_own_ci(
    office: TestClient,
) -> None:
    """Staff see Kiwa's and DNV's reports, filtered by state; Kiwa's auditor only Kiwa's; an
    unknown state is named (422)."""
    sign_in(office, "anna")
    page = office.get("/beheer/aanvragen")
    assert page.status_code == 200
    assert LATE_NAME in page.text
    assert DNV_NAME in page.text
    assert "te laat" in page.text
    assert LATE_NAME in office.get("/beheer/aanvragen?status=reported").text
    assert LATE_NAME not in office.get("/beheer/aanvragen?status=granted").text
    wrong = office.get("/beheer/aanvragen?status=nonsense")
    assert wrong.status_code == 422
    assert "Er is een probleem" in wrong.text
    sign_in(office, "kees")
    own = office.get("/beheer/aanvragen")
    assert LATE_NAME in own.text
    assert DNV_NAME not in own.text


def test_an_application_page_explains_its_assessment_and_shows_the_timeline(
    office: TestClient,
) -> None:
    """State, dates, advice, the assessment explained as /meetlat does, the timeline and the
    dispute report's link."""
    sign_in(office, "anna")
    page = office.get(application_of(office, LATE_NAME))
    assert page.status_code == 200
    assert "auditrapport binnen" in page.text
    assert 'id="assessment-norms"' in page.text
    assert "Zo is het berekend" in page.text
    assert "Tijdlijn" in page.text
    assert f"/beheer/organisaties/{LATE_KVK}/geschilrapport" in page.text


def test_an_auditor_of_another_ci_sees_nothing_of_a_foreign_application(
    office: TestClient,
) -> None:
    """DNV's auditor gets the 403 page for Kiwa's application and its audit-report form, with
    no data of it; an unknown id is 404."""
    sign_in(office, "anna")
    address = application_of(office, LATE_NAME)
    sign_in(office, "dirk")
    for path in (address, f"{address}/auditrapport"):
        page = office.get(path)
        assert page.status_code == 403, path
        assert LATE_NAME not in page.text
        assert LATE_KVK not in page.text
    assert office.get("/beheer/aanvragen/00000000-0000-0000-0000-000000000000").status_code == 404
    assert office.get("/beheer/aanvragen/geen-id").status_code == 404
    sign_in(office, "kees")
    assert office.get(address).status_code == 200
    assert office.get(f"{address}/besluit").status_code == 403


def test_checking_a_submission_shows_the_assessment_and_writes_nothing(
    office: TestClient,
) -> None:
    """ "Controleren" answers the provisional assessment under the version in force and keeps
    the declaration for "Indienen"; no event is written."""
    sign_in(office, "anna")
    before = head(office)
    page = submission(office, "check")
    assert page.status_code == 200, page.text  # type: ignore[attr-defined]
    text = page.text  # type: ignore[attr-defined]
    assert 'id="assessment-level"' in text
    assert 'name="checked_declaration"' in text
    assert 'value="submit"' in text
    assert head(office) == before


def test_a_submission_is_saved_once_however_often_it_is_sent(office: TestClient) -> None:
    """ "Indienen" writes the submission and leads to its page; the same form again leads there
    too and writes nothing more."""
    sign_in(office, "anna")
    data = {
        **form_of(office, "/beheer/aanvragen/nieuw"),
        "kvk": NEW_KVK,
        "submitted_on": "2025-09-01",
        "certifying_institution": "kiwa",
        "requested_level": "",
        "checked_declaration": DECLARATION.decode(),
        "action": "submit",
    }
    first = office.post("/beheer/aanvragen/nieuw", data=data, follow_redirects=False)
    assert first.status_code == 303, first.text
    after = head(office)
    again = office.post("/beheer/aanvragen/nieuw", data=data, follow_redirects=False)
    assert again.headers["location"] == first.headers["location"]
    assert head(office) == after
    page = office.get(first.headers["location"])
    assert "De aanvraag is ingediend." in page.text
    assert NEW_NAME in page.text


def test_a_refused_submission_names_the_field_and_writes_nothing(office: TestClient) -> None:
    """A bad KvK number, an unknown organisation, no file, a file that is no JSON: 422 with the
    error, nothing written."""
    sign_in(office, "anna")
    before = head(office)
    bad = submission(office, "submit", kvk="1234")
    assert bad.status_code == 422  # type: ignore[attr-defined]
    assert 'id="field-kvk"' in bad.text  # type: ignore[attr-defined]
    unknown = submission(office, "submit", kvk="99999998")
    assert unknown.status_code == 422  # type: ignore[attr-defined]
    data = {**form_of(office, "/beheer/aanvragen/nieuw"), "kvk": NEW_KVK, "action": "check",
            "submitted_on": "2025-09-01", "certifying_institution": "kiwa"}  # fmt: skip
    none = office.post("/beheer/aanvragen/nieuw", data=data)
    assert none.status_code == 422
    files = {"declaration": ("opgave.json", b"{nope", "application/json")}
    broken = office.post("/beheer/aanvragen/nieuw", data=data, files=files)
    assert broken.status_code == 422
    assert "geen opgave in JSON" in broken.text
    assert head(office) == before


def test_objection_and_cancellation_refuse_without_reason_and_save_once(
    office: TestClient,
) -> None:
    """Without a reason: 422 beside the field, nothing written; with one: saved once, the page
    says so; the cancelled application offers no forms any more."""
    sign_in(office, "anna")
    assert submission(office, "submit").status_code == 303  # type: ignore[attr-defined]
    address = application_of(office, NEW_NAME)
    before = head(office)
    keys = form_of(office, address)
    empty = {**keys, "objected_on": "2025-09-01", "objection_reason": ""}
    refused = office.post(f"{address}/bezwaar-auditplan", data=empty)
    assert refused.status_code == 422
    assert 'aria-invalid="true"' in refused.text
    assert head(office) == before
    objection = {**empty, "objection_reason": "De auditor is dezelfde als vorig jaar."}
    done = office.post(f"{address}/bezwaar-auditplan", data=objection, follow_redirects=False)
    assert done.status_code == 303, done.text
    after = head(office)
    office.post(f"{address}/bezwaar-auditplan", data=objection, follow_redirects=False)
    assert head(office) == after
    assert (
        "Het bezwaar tegen het auditplan is vastgelegd."
        in office.get(done.headers["location"]).text
    )
    keys = form_of(office, address)
    cancel = {**keys, "cancelled_on": "2025-09-01", "cancellation_reason": "Trekt zich terug."}
    cancelled = office.post(f"{address}/intrekking", data=cancel, follow_redirects=False)
    assert cancelled.status_code == 303, cancelled.text
    page = office.get(cancelled.headers["location"])
    assert "ingetrokken" in page.text
    assert "intrekking" not in page.text


def test_a_form_without_the_csrf_token_is_refused_before_anything_runs(
    office: TestClient,
) -> None:
    """A POST without the session's token: the 403 page, nothing written."""
    sign_in(office, "anna")
    address = application_of(office, LATE_NAME)
    before = head(office)
    sent = office.post(
        f"{address}/besluit", data={"decided_on": "2025-09-01", "outcome": "refused"}
    )
    assert sent.status_code == 403
    assert head(office) == before


def test_the_auditor_files_the_report_and_staff_grant_the_certificate(
    office: TestClient,
) -> None:
    """Kiwa's auditor files the report of a new submission (a bad date first: 422, nothing
    written); staff see the supported level offered and grant it once; the confirmation links
    to the public certificate page."""
    sign_in(office, "anna")
    assert submission(office, "submit").status_code == 303  # type: ignore[attr-defined]
    address = application_of(office, NEW_NAME)
    sign_in(office, "kees")
    before = head(office)
    report = {
        **form_of(office, f"{address}/auditrapport"),
        "audit_date": "2025-13-01",
        "findings-0-criterion": "begeleiding",
        "findings-0-verdict": "met",
        "findings-0-note": "Jobcoach aanwezig",
        "advice": "trede_2",
        "summary": "In orde.",
    }
    wrong = office.post(f"{address}/auditrapport", data=report)
    assert wrong.status_code == 422
    assert head(office) == before
    filed = office.post(f"{address}/auditrapport", data={**report, "audit_date": "2025-09-01"},
                        follow_redirects=False)  # fmt: skip
    assert filed.status_code == 303, filed.text
    page = office.get(filed.headers["location"])
    assert "begeleiding: met - Jobcoach aanwezig" in page.text
    sign_in(office, "anna")
    form = office.get(f"{address}/besluit")
    assert "(wat de cijfers steunen)" in form.text
    decision = {
        "csrf": hidden(form.text, "csrf"),
        "idempotency_key": hidden(form.text, "idempotency_key"),
        "decided_on": "2025-09-01",
        "outcome": "granted",
        "level": "trede_2",
        "reason": "",
    }
    granted = office.post(f"{address}/besluit", data=decision, follow_redirects=False)
    assert granted.status_code == 303, granted.text
    after = head(office)
    again = office.post(f"{address}/besluit", data=decision, follow_redirects=False)
    assert again.headers["location"] == granted.headers["location"]
    assert head(office) == after
    done = office.get(granted.headers["location"])
    number = re.search(r'id="certificate-link" href="/c/([^"]+)"', done.text)
    assert number, done.text
    assert office.get(f"/c/{number.group(1)}").status_code == 200
    assert "toegekend" in office.get(address).text


def test_a_late_decision_needs_a_reason_and_a_refusal_is_recorded_once(
    office: TestClient,
) -> None:
    """Kiwa's late report: granting without a reason is refused beside the reason (422,
    nothing written); refusing with one is saved once and the page says so."""
    sign_in(office, "anna")
    address = application_of(office, LATE_NAME)
    form = office.get(f"{address}/besluit")
    decision = {
        "csrf": hidden(form.text, "csrf"),
        "idempotency_key": hidden(form.text, "idempotency_key"),
        "decided_on": "2025-09-01",
        "outcome": "granted",
        "level": "trede_2",
        "reason": "",
    }
    before = head(office)
    late = office.post(f"{address}/besluit", data=decision)
    assert late.status_code == 422
    assert 'href="#field-reason"' in late.text
    assert head(office) == before
    refusal = {**decision, "outcome": "refused", "reason": "Te laat en onvoldoende onderbouwd."}
    refused = office.post(f"{address}/besluit", data=refusal, follow_redirects=False)
    assert refused.status_code == 303, refused.text
    after = head(office)
    office.post(f"{address}/besluit", data=refusal, follow_redirects=False)
    assert head(office) == after
    assert "De aanvraag is afgewezen." in office.get(refused.headers["location"]).text


def test_the_screens_speak_english_when_asked(office: TestClient) -> None:
    """With ?lang=en the list, an application and its forms are in English."""
    sign_in(office, "anna")
    address = application_of(office, LATE_NAME)
    assert "Applications" in office.get("/beheer/aanvragen?lang=en").text
    assert "audit report received" in office.get(f"{address}?lang=en").text
    assert "Record the decision" in office.get(f"{address}/besluit?lang=en").text
    assert "File the audit report" in office.get(f"{address}/auditrapport?lang=en").text
    assert "Submit an application" in office.get("/beheer/aanvragen/nieuw?lang=en").text
