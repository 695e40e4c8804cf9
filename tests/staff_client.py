"""A test client of the staff API with a token per role, and a lifecycle over HTTP."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.scenarios import trede_2_declaration


class Api:
    """A test client with one token per role."""

    def __init__(self, client: TestClient) -> None:
        self.client = client
        users = client.app.state.users  # type: ignore[attr-defined]
        self.tokens = {
            "admin": users.create("bea", "admin"),
            "staff": users.create("anna", "staff"),
            "kiwa": users.create("auditor-kiwa", "auditor", "kiwa"),
            "dnv": users.create("auditor-dnv", "auditor", "dnv"),
        }

    def post(self, path: str, body: Any, who: str = "staff", **headers: str) -> Any:
        """POST as a role."""
        auth = {"Authorization": f"Bearer {self.tokens[who]}"} if who else {}
        return self.client.post(f"/api/v1/staff{path}", json=body, headers={**auth, **headers})

    def get(self, path: str, who: str = "staff", **params: Any) -> Any:
        """GET as a role."""
        auth = {"Authorization": f"Bearer {self.tokens[who]}"} if who else {}
        return self.client.get(f"/api/v1/staff{path}", params=params, headers=auth)


def ok(response: Any, status: int = 200) -> Any:
    """The JSON body of a successful response."""
    assert response.status_code == status, response.text
    return response.json()


def certified(api: Api, kvk: str = "12345678", level: str = "trede_2") -> tuple[str, str]:
    """Register, apply, audit and decide over HTTP; the application id and certificate number."""
    ok(
        api.post(
            "/organisations",
            {"kvk": kvk, "name": "Voorbeeld BV", "place": "Utrecht", "subsidiaries": []},
        ),
        201,
    )
    application = ok(
        api.post(
            "/applications",
            {
                "kvk": kvk,
                "submitted_on": "2025-03-03",
                "certifying_institution": "Kiwa",
                "requested_level": level,
                "declaration": trede_2_declaration(),
            },
        ),
        201,
    )
    assert application["handbook_version"] == "2.1"
    assert application["provisional_assessment"]["level"] == "trede_2"
    report = {
        "audit_date": "2025-03-20",
        "advice": {"level": "trede_2"},
        "findings": [{"criterion": "begeleiding", "verdict": "met", "note": "files ok"}],
    }
    ok(api.post(f"/applications/{application['id']}/audit-report", report, who="kiwa"))
    decision = ok(
        api.post(
            f"/applications/{application['id']}/decision",
            {
                "decided_on": "2025-03-31",
                "outcome": "granted",
                "level": "trede_1",
                "reason": "development interviews thin",
            },
        )
    )
    return application["id"], decision["certificate_number"]


def problem_of(response: Any, status: int) -> dict[str, Any]:
    """The problem document of an error response, checked for shape."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    assert body["type"].startswith("https://")
    return body
