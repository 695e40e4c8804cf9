"""A contribution year has one text form, ``PSO-2025-000001/1``: the worklist answers it and the
payment URL takes it (and the older ``PSO-2025-000001-1``)."""

from __future__ import annotations

from tests.staff_client import Api, certified, ok


def test_the_worklist_id_of_a_contribution_year_is_the_id_its_payment_url_takes(api: Api) -> None:
    """The unpaid year's id goes into the URL as it is; the answer names it the same way."""
    _, number = certified(api)
    [unpaid] = ok(api.get("/contributions", unpaid="true"))
    assert unpaid["id"] == f"{number}/1"
    paid = ok(
        api.post(
            f"/contributions/{unpaid['id']}/payment", {"paid_on": "2025-04-05", "amount": "1500.00"}
        )
    )
    assert paid == {"id": f"{number}/1", "paid_on": "2025-04-05"}
    assert ok(api.get("/contributions", unpaid="true")) == []


def test_the_hyphenated_form_is_accepted_and_anything_else_is_refused(api: Api) -> None:
    """``PSO-…-1`` (the form URLs used before) pays the same year; a malformed id is a 422."""
    _, number = certified(api)
    paid = ok(
        api.post(
            f"/contributions/{number}-1/payment", {"paid_on": "2025-04-05", "amount": "1500.00"}
        )
    )
    assert paid["id"] == f"{number}/1"
    bad = api.post(
        f"/contributions/{number}.1/payment", {"paid_on": "2025-04-05", "amount": "1500.00"}
    )
    assert bad.status_code == 422
    assert "expected PSO-YYYY-NNNNNN/<year>" in bad.json()["detail"]
