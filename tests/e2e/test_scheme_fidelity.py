"""Scheme rules as users meet them: small organisations through ``pso score`` and the staff API,
late decisions through the API and the worklist."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.test_cli import run
from tests.staff_client import Api, ok
from tests.unit.norms.builders import declaration_doc, person


def small(total_fte: str) -> dict[str, Any]:
    """A declaration of a small organisation with one Wajong worker (trede 3 when eligible)."""
    return declaration_doc(total_fte, [person("A", "1.0")], peiljaar=2024)


@pytest.mark.parametrize("total_fte", ["1.5", "1.99"])
def test_pso_score_assesses_1_5_and_1_99_fte_as_size_2(tmp_path: Path, total_fte: str) -> None:
    """Rounded half up, both are size 2: scored on the 2 FTE row, the rounding listed."""
    path = tmp_path / "small.json"
    path.write_text(json.dumps(small(total_fte)))
    result = run("score", str(path), "--on", "2025-03-03")
    assert result.returncode == 0, result.stderr
    assessment = json.loads(result.stdout)
    assert (assessment["size_fte"], assessment["norm_row"], assessment["level"]) == (
        2,
        2,
        "trede_3",
    )
    assert "size.rounding" in {p["value"] for p in assessment["provisional"]}


def test_pso_score_refuses_1_49_fte_with_the_rule_and_exit_2(tmp_path: Path) -> None:
    """Size 1 is not eligible: exit 2, the reason on stderr, no traceback."""
    path = tmp_path / "tiny.json"
    path.write_text(json.dumps(small("1.49")))
    result = run("score", str(path), "--on", "2025-03-03")
    assert result.returncode == 2
    assert "not eligible" in result.stderr
    assert "size.min_eligible" in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def applied(api: Api, declaration: dict[str, Any], kvk: str = "12345678") -> Any:
    """Register an organisation and submit its application; the response."""
    organisation = {"kvk": kvk, "name": "Klein BV", "place": "Utrecht", "subsidiaries": []}
    ok(api.post("/organisations", organisation), 201)
    return api.post(
        "/applications",
        {
            "kvk": kvk,
            "submitted_on": "2025-03-03",
            "certifying_institution": "Kiwa",
            "declaration": declaration,
        },
    )


def reported(api: Api, declaration: dict[str, Any]) -> str:
    """An application with its audit report (audit 20 March 2025); its id."""
    application = ok(applied(api, declaration), 201)
    report = {"audit_date": "2025-03-20", "advice": {"level": "trede_3"}, "findings": []}
    ok(api.post(f"/applications/{application['id']}/audit-report", report, who="kiwa"))
    return str(application["id"])


@pytest.mark.parametrize("total_fte", ["1.5", "1.99"])
def test_the_staff_api_accepts_1_5_and_1_99_fte_and_decides_them_in_the_lowest_bracket(
    api: Api, total_fte: str
) -> None:
    """Submitted (201, size 2), decided (a certificate, not a 500), invoiced EUR 500."""
    app_id = reported(api, small(total_fte))
    decision = ok(
        api.post(
            f"/applications/{app_id}/decision", {"decided_on": "2025-03-31", "outcome": "granted"}
        )
    )
    assert decision["level"] == "trede_3"
    invoices = ok(api.get("/contributions"))
    assert [(i["year"], i["amount"]) for i in invoices] == [(1, "500.00")]


def test_the_staff_api_refuses_a_1_49_fte_application_with_422_and_the_reason(api: Api) -> None:
    """Size 1: a problem document naming the rule, nothing submitted."""
    response = applied(api, small("1.49"))
    assert response.status_code == 422, response.text
    problem = response.json()
    assert "not eligible" in problem["detail"]
    assert "size.min_eligible" in problem["detail"]
    assert ok(api.get("/applications")) == []


def test_a_late_decision_needs_a_reason_and_the_worklist_marks_it_late(api: Api) -> None:
    """Audit 20 March 2025, decided 2 May: refused without a reason (naming the rule), accepted
    with one; waiting past 20 April it was marked late, and once decided it is listed as late."""
    app_id = reported(api, small("10"))
    waiting = ok(api.get("/worklist"))["applications_awaiting_decision"]
    assert [(a["application_id"], a["decision_due_by"], a["late"]) for a in waiting] == [
        (app_id, "2025-04-20", True)
    ]
    body = {"decided_on": "2025-05-02", "outcome": "granted"}
    refused = api.post(f"/applications/{app_id}/decision", body)
    assert refused.status_code == 422, refused.text
    assert "procedure.decision_months_after_audit" in refused.json()["detail"]
    ok(api.post(f"/applications/{app_id}/decision", {**body, "reason": "CI report came late"}))
    late = ok(api.get("/worklist"))["decisions_late"]
    assert [(a["application_id"], a["late"], a["late_reason"]) for a in late] == [
        (app_id, True, "CI report came late")
    ]


def test_pso_norms_show_lists_the_rules_the_project_assumes() -> None:
    """Every assumed rule appears with its reason; the basistrede norms are marked A."""
    result = run("norms", "show", "2.1")
    assert result.returncode == 0, result.stderr
    for value in (
        "size.rounding",
        "size.min_eligible",
        "persons.max_fte",
        "score.comparison",
        "indirect.cap",
        "counting_window.pro_rata",
        "calendar.holidays",
        "pso30plus.excluded_pupil_positions",
        "norm_table.columns.basistrede",
    ):
        assert f"A {value}: " in result.stdout, value
    assert "10.7 A" in result.stdout  # size 2, basistrede
