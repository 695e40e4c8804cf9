"""Staff list filters take the scheme's values only: anything else is refused, never searched."""

from __future__ import annotations

from tests.staff_client import Api, certified, ok


def test_applications_filter_by_a_known_state_and_refuse_an_unknown_one(api: Api) -> None:
    """``state=granted`` lists the granted application; ``state=bogus`` and a NUL are 422."""
    application_id, _ = certified(api)
    assert [a["application_id"] for a in ok(api.get("/applications", state="granted"))] == [
        application_id
    ]
    assert ok(api.get("/applications", state="submitted")) == []
    for bad in ("bogus", "\x00"):
        refused = api.get("/applications", state=bad)
        assert refused.status_code == 422, refused.text
        assert refused.json()["type"].endswith("/invalid-input")
