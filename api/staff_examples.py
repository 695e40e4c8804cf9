"""Worked examples of the staff API, requests and answers: one lifecycle as it really ran
against the demo register (``make run``) on 2 December 2026 (README, "The staff commands,
worked").
Each model shows its example in its schema; ``tests/unit/api/test_openapi_examples.py`` checks
that every example fits its schema, and ``tests/e2e/test_staff_examples.py`` sends the lifecycle
over HTTP and checks that each answer is its example."""

from __future__ import annotations

from typing import Any

Document = dict[str, Any]

ORGANISATION_ID = "312d7fdb-d308-568e-af29-92437eb8988e"
APPLICATION_ID = "6928c553-9298-4e7c-8541-564dea1d89cc"
CANCELLED_APPLICATION_ID = "f61c06ca-a8ee-41ce-a485-e9daa4dd85dd"
OBJECTION_ID = "474ab2ce-13e9-4c62-9180-b4d9fa12ef0c"
CERTIFICATE_ID = "52213b93-276f-5c55-9e7d-de5b34a3e2eb"
NUMBER = "PSO-2026-000010"

# --- requests ------------------------------------------------------------------------------

DECLARATION: Document = {
    "peiljaar": 2024,
    "total_fte": "50.0",
    "persons": [
        {"ref": "A1", "starting_position": "wajong", "intake_date": "2024-01-15",
         "contract": "regular", "fte": "1.0"},
        {"ref": "A2", "starting_position": "participatiewet", "intake_date": "2023-06-01",
         "contract": "regular", "fte": "0.8"},
        {"ref": "A3", "starting_position": "ww", "intake_date": "2022-09-01",
         "contract": "secondment", "fte": "1.0"},
    ],
    "purchases": [
        {"supplier_kvk": "12345678", "supplier_turnover": "1000000", "supplier_total_fte": "20",
         "supplier_direct_share": "0.30", "amount": "50000"},
    ],
    "qualitative": {"passend_werk": True, "integratie": True,
                    "functioneren_en_ontwikkeling": True, "begeleiding": True},
}  # fmt: skip
ORGANISATION_CREATE: Document = {
    "kvk": "34567890",
    "name": "Groenvoorziening De Linde BV",
    "place": "Amersfoort",
    "subsidiaries": ["34567891"],
}
SUCCESSOR_CREATE: Document = {"successor_kvk": "12345678", "effective_on": "2026-12-01"}
APPLICATION_CREATE: Document = {
    "kvk": "12345678",
    "submitted_on": "2026-11-02",
    "certifying_institution": "Kiwa",
    "requested_level": "trede_2",
    "declaration": DECLARATION,
}
AUDIT_PLAN_OBJECTION_CREATE: Document = {
    "objected_on": "2026-11-27",
    "reason": "de auditor adviseerde de organisatie eerder over haar opgave",
}
AUDIT_REPORT_CREATE: Document = {
    "audit_date": "2026-11-13",
    "findings": [
        {"criterion": "begeleiding", "verdict": "met",
         "note": "begeleidingsplannen voor alle drie medewerkers aanwezig"},
        {"criterion": "functioneren_en_ontwikkeling", "verdict": "note",
         "note": "ontwikkelgesprekken summier vastgelegd"},
    ],
    "advice": {"level": "trede_2", "pso30plus": False},
    "summary": "Cijfers gecontroleerd tegen de loonadministratie; advies trede 2.",
}  # fmt: skip
DECISION_CREATE: Document = {
    "decided_on": "2026-11-20",
    "outcome": "granted",
    "level": "trede_1",
    "reason": "ontwikkelgesprekken onvoldoende vastgelegd",
}
CANCELLATION_CREATE: Document = {
    "cancelled_on": "2026-12-01",
    "reason": "de organisatie dient na de fusie opnieuw in",
}
CERTIFICATE_CHANGE_CREATE: Document = {
    "effective_on": "2026-12-01",
    "reason": "onderzoek naar de opgave loopt",
}
OBJECTION_CREATE: Document = {
    "certificate_number": NUMBER,
    "filed_on": "2026-11-23",
    "grounds": "de gecontroleerde cijfers halen de norm van trede 2",
}
BOARD_REJECTION: Document = {
    "decided_on": "2026-11-25",
    "outcome": "rejected",
    "reason": "het besluit volgt het handboek: ontwikkeling moet aantoonbaar zijn",
}
COMMITTEE_REVISION: Document = {
    "decided_on": "2026-12-01",
    "outcome": "revised",
    "level": "trede_2",
    "reason": "de commissie acht de ontwikkelgesprekken voldoende aangetoond",
}
ESCALATION_CREATE: Document = {"filed_on": "2026-11-26"}
PAYMENT_CREATE: Document = {"paid_on": "2026-11-27", "amount": "1500.00"}

# --- answers -------------------------------------------------------------------------------

ASSESSMENT: Document = {
    "handbook_version": "2.1",
    "handbook_effective_from": "2023-04-01",
    "peiljaar": 2024,
    "total_fte": "50.0",
    "size_fte": 50,
    "norm_row": 50,
    "direct_fte": "2.4750",
    "direct_share": "0.049500",
    "indirect_fte": "0.3000",
    "indirect_share_uncapped": "0.005964",
    "indirect_share": "0.005964",
    "indirect_capped": False,
    "total_score": "5.5464",
    "norms": {"basistrede": "1.5", "trede_1": "3.0", "trede_2": "3.7", "trede_3": "6.8"},
    "levels": [
        {"level": "basistrede", "norm": "1.5", "norm_provisional": True, "score_met": True,
         "qualitative_required": True, "met": True},
        {"level": "trede_1", "norm": "3.0", "norm_provisional": False, "score_met": True,
         "qualitative_required": True, "met": True},
        {"level": "trede_2", "norm": "3.7", "norm_provisional": False, "score_met": True,
         "qualitative_required": True, "met": True},
        {"level": "trede_3", "norm": "6.8", "norm_provisional": False, "score_met": False,
         "qualitative_required": True, "met": False},
    ],
    "qualitative": {"passend_werk": True, "integratie": True,
                    "functioneren_en_ontwikkeling": True, "begeleiding": True, "all_met": True},
    "aspirant_plan_complete": False,
    "level": "trede_2",
    "pso30plus": False,
    "pso30plus_check": {"trede_3": False, "counted_target_group_fte": "2.8000",
                        "target_group_share": "0.056000", "min_target_group_share": "0.30",
                        "min_total_fte_met": True},
    "persons": [
        {"ref": "A1", "starting_position": "wajong", "starting_weight": "1",
         "contract": "regular", "contract_weight": "1", "fte": "1.0",
         "window_factor": "1.000000", "weighted_fte": "1.0000"},
        {"ref": "A2", "starting_position": "participatiewet", "starting_weight": "1",
         "contract": "regular", "contract_weight": "1", "fte": "0.8",
         "window_factor": "1.000000", "weighted_fte": "0.8000"},
        {"ref": "A3", "starting_position": "ww", "starting_weight": "0.75",
         "contract": "secondment", "contract_weight": "0.9", "fte": "1.0",
         "window_factor": "1.000000", "weighted_fte": "0.6750"},
    ],
    "purchases": [{"supplier_kvk": "12345678", "amount": "50000", "target_group_fte": "0.3000"}],
    "provisional": [
        {"value": "norm_table[50].basistrede",
         "why": "basistrede norms are not published here; half the trede 1 norm, rounded to one "
                "decimal"},
    ],
}  # fmt: skip
ORGANISATION_REGISTERED: Document = {
    "organisation_id": "1e3a8959-57b9-5674-8088-bb7698a71a42",
    "kvk": "34567890",
    "covered_kvks": ["34567890", "34567891"],
}
SUCCESSOR_LINKED: Document = {
    "kvk": "34567890",
    "successor_kvk": "12345678",
    "effective_on": "2026-12-01",
}
APPLICATION_SUBMITTED: Document = {
    "id": APPLICATION_ID,
    "handbook_version": "2.1",
    "requested_level": "trede_2",
    "provisional_assessment": ASSESSMENT,
}
AUDIT_PLAN_OBJECTED: Document = {
    "id": CANCELLED_APPLICATION_ID,
    "audit_plan_objection": "2026-11-27",
}
AUDIT_REPORT_FILED: Document = {"id": APPLICATION_ID, "state": "reported"}
DECISION_GRANTED: Document = {
    "id": APPLICATION_ID,
    "outcome": "granted",
    "certificate_number": NUMBER,
    "level": "trede_1",
    "pso30plus": False,
    "valid_from": "2026-11-20",
    "valid_until": "2028-11-19",
}
DECISION_REFUSED: Document = {
    "id": APPLICATION_ID,
    "outcome": "refused",
    "certificate_number": None,
    "level": None,
    "pso30plus": None,
    "valid_from": None,
    "valid_until": None,
}
APPLICATION_CANCELLED: Document = {"id": CANCELLED_APPLICATION_ID, "state": "cancelled"}
CERTIFICATE_SUSPENDED: Document = {
    "certificate_number": NUMBER,
    "status": "suspended",
    "effective_on": "2026-12-01",
}
OBJECTION_FILED: Document = {"id": OBJECTION_ID, "application_id": APPLICATION_ID}
OBJECTION_REJECTED: Document = {
    "id": OBJECTION_ID,
    "outcome": "rejected",
    "certificate_number": None,
}
OBJECTION_REVISED: Document = {
    "id": OBJECTION_ID,
    "outcome": "revised",
    "certificate_number": NUMBER,
}
OBJECTION_ESCALATED: Document = {"id": OBJECTION_ID, "stage": "committee"}
PAYMENT_RECORDED: Document = {"id": f"{NUMBER}/1", "paid_on": "2026-11-27"}
HANDBOOK_PUBLISHED: Document = {"version": "2.2", "effective_from": "2028-01-01"}
APPLICATION_SUMMARY: Document = {
    "application_id": APPLICATION_ID,
    "organisation_id": ORGANISATION_ID,
    "ci": "kiwa",
    "state": "granted",
    "handbook_version": "2.1",
    "submission_date": "2026-11-02",
    "audit_date": "2026-11-13",
    "decision_date": "2026-11-20",
    "decision_due_by": "2026-12-13",
    "decided_late": False,
    "late_reason": None,
    "late": False,
}
APPLICATION_DETAIL: Document = {
    "id": APPLICATION_ID,
    "state": "granted",
    "ci": "kiwa",
    "handbook_version": "2.1",
    "submission_date": "2026-11-02",
    "audit_date": "2026-11-13",
    "decision_date": "2026-11-20",
    "findings": [
        "begeleiding: met - begeleidingsplannen voor alle drie medewerkers aanwezig",
        "functioneren_en_ontwikkeling: note - ontwikkelgesprekken summier vastgelegd",
    ],
    "advice": {"level": "trede_2", "pso30plus": False},
    "assessment": ASSESSMENT,
}
CONTRIBUTION_ENTRY: Document = {
    "id": f"{NUMBER}/1",
    "certificate_number": NUMBER,
    "year": 1,
    "amount": "1500.00",
    "due_date": "2026-12-20",
    "paid_on": None,
    "overdue": False,
}
WORKLIST: Document = {
    "today": "2026-12-02",
    "applications_awaiting_decision": [
        {**APPLICATION_SUMMARY, "state": "reported", "decision_date": None, "decided_late": None},
    ],
    "decisions_overdue": [
        {"application_id": "9d01cfb7-85b6-4822-8998-80b68f44bd89", "due_date": "2026-11-30"}
    ],
    "decisions_late": [
        {"application_id": "b1edcf69-0791-4b19-ab47-05910f0397ad",
         "organisation_id": "77ab1d80-c217-55e1-a6d4-af4cfa21e188", "ci": "normec",
         "state": "granted", "handbook_version": "2.1", "submission_date": "2026-03-21",
         "audit_date": "2026-04-18", "decision_date": "2026-05-23",
         "decision_due_by": "2026-05-18", "decided_late": True,
         "late_reason": "het rapport van de CI kwam laat", "late": True},
    ],
    "open_objections": [
        {"objection_id": OBJECTION_ID, "application_id": APPLICATION_ID,
         "stage": "committee", "filed_on": "2026-11-23", "outcome": "rejected"},
    ],
    "unpaid_contributions": [CONTRIBUTION_ENTRY],
    "expiring_within_90_days": [
        {"number": "PSO-2025-000001", "organisation_id": "5bf130f3-b019-56d4-8a22-8ca8b8fd7629",
         "level": "trede_2", "pso30plus": False, "valid_from": "2025-01-04",
         "valid_until": "2027-01-03", "ended_on": None, "covered_kvks": ["70000032"],
         "ci": "kiwa"},
    ],
    "statistics": {
        "per_level": {"trede_2": 9, "trede_1": 20, "trede_3": 4, "basistrede": 2},
        "per_size_class": {"<25": 13, "50-100": 11, "25-50": 8, "250+": 2, "100-250": 1},
        "per_ci": {"kiwa": 13, "dnv": 9, "normec": 13},
        "issued_per_year": {"2023": 50, "2024": 14, "2025": 36, "2026": 10},
    },
    "messages_needing_attention": [
        {"message_id": "31e886c9-c520-5132-864b-d5fe9c433c04:3", "kind": "contribution_overdue",
         "recipient": "Voorbeeld BV (KvK 12345678)", "state": "retrying", "attempts": 2,
         "last_error": "SMTPServerDisconnected: Connection unexpectedly closed",
         "claimed_by": "pso-serve-1", "last_attempt_at": "2026-12-02T03:40:00.104215+00:00",
         "next_attempt_at": "2026-12-02T03:42:00.104215+00:00"},
    ],
    "failed_read_models": [
        {"projection": "changes", "version": 3, "position": 1700,
         "topic": "pso.certificate.Suspended.v1", "originator_id": CERTIFICATE_ID,
         "stage": "apply", "error": "ValueError: cannot describe this suspension",
         "failed_at": "2026-12-02T03:35:56.401288+00:00",
         "description": "projection changes v3 stopped before event 1700 "
                        "(pso.certificate.Suspended.v1 of " + CERTIFICATE_ID + "), failed in "
                        "apply: ValueError: cannot describe this suspension"},
    ],
}  # fmt: skip
TIMELINE_ENTRY: Document = {
    "recorded_at": "2026-12-02T03:35:35.510652+00:00",
    "position": 1685,
    "event": "pso.certificate.Issued.v1",
    "aggregate_id": CERTIFICATE_ID,
    "version": 1,
    "effective_dates": {"valid_from": "2026-11-20", "valid_until": "2028-11-19"},
    "actor_id": "demo-staff",
    "actor_role": "staff",
    "actor_ci": None,
    "correlation_id": "c8f74d8969d2-00000006",
    "reason": "ontwikkelgesprekken onvoldoende vastgelegd",
    "facts": {
        "number": NUMBER,
        "organisation_id": ORGANISATION_ID,
        "application_id": APPLICATION_ID,
        "level": "trede_1",
        "pso30plus": False,
        "covered_kvks": ["12345678"],
        "valid_from": "2026-11-20",
        "valid_until": "2028-11-19",
        "handbook_version": "2.1",
        "total_score": "5.5464",
    },
}
_CERTIFIED_TREDE_1: Document = {
    "kvk": "12345678",
    "on": "2026-12-01",
    "as_known_at": "2026-12-02T03:35:35.510652+00:00",
    "status": "certified",
    "level": "trede_1",
    "pso30plus": False,
    "certificate": {"number": NUMBER, "level": "trede_1", "pso30plus": False,
                    "valid_from": "2026-11-20", "valid_until": "2028-11-19", "status": "active"},
    "since": "2026-11-20",
    "recorded_at": "2026-12-02T03:35:35.510652+00:00",
    "explanation": f"certified at trede_1 by {NUMBER} since 2026-11-20 (recorded "
    "2026-12-02T03:35:35.510652+00:00); valid 2026-11-20 to 2028-11-19",
}  # fmt: skip
_SUSPENDED: Document = {
    "kvk": "12345678",
    "on": "2026-12-01",
    "as_known_at": "2026-12-02T03:35:56.343813+00:00",
    "status": "suspended",
    "level": None,
    "pso30plus": False,
    "certificate": {"number": NUMBER, "level": "trede_2", "pso30plus": False,
                    "valid_from": "2026-11-20", "valid_until": "2028-11-19", "status": "suspended"},
    "since": "2026-12-01",
    "recorded_at": "2026-12-02T03:35:56.343813+00:00",
    "explanation": f"{NUMBER} (trede_2) suspended from 2026-12-01 (recorded "
    "2026-12-02T03:35:56.343813+00:00)",
}  # fmt: skip
DISPUTE_REPORT: Document = {
    "kvk": "12345678",
    "on": "2026-12-01",
    "now": {**_SUSPENDED, "as_known_at": None},
    "what_the_register_said": [_CERTIFIED_TREDE_1, _SUSPENDED],
    "timeline": [TIMELINE_ENTRY],
}
DISPUTE_REPORT_HTML = (
    '<!doctype html>\n<html lang="nl">\n<head>...<title>Geschillenrapport Voorbeeld BV (KvK '
    "12345678) over 1 december 2026 \u2013 PSO-register</title>...<h1>Voorbeeld BV</h1>\n"
    '<p class="subtitle">KvK 12345678 · Utrecht</p>...<h2 id="now-title">Antwoord, zoals het '
    'register het nu weet</h2>\n<p class="sentence">Op 1 december 2026: Geschorst sinds 1 '
    "december 2026: certificaat PSO-2026-000010 (Trede 2) geldt tijdelijk niet.</p>..."
    "</html>"
)
