"""Who a client is for the rate limit: the peer address, unless a proxy named in
PSO_TRUSTED_PROXIES says otherwise in X-Forwarded-For (a real ``pso serve``)."""

from __future__ import annotations

from pathlib import Path

import httpx

from tests.e2e.serving import pso_serve

LIMITED = {"PSO_RATE_LIMIT": "5", "PSO_SCHEDULER": "off"}


def statuses(base: str, forwarded_for: list[str]) -> list[int]:
    """The status of one public read per X-Forwarded-For value, in order."""
    with httpx.Client(base_url=base, timeout=10) as client:
        return [
            client.get("/api/v1/norms", headers={"X-Forwarded-For": ip}).status_code
            for ip in forwarded_for
        ]


def test_a_forged_x_forwarded_for_does_not_give_a_fresh_bucket(tmp_path: Path) -> None:
    """From 127.0.0.1 with a new X-Forwarded-For each time: still one client, refused after 5."""
    with pso_serve(tmp_path, LIMITED) as (base, _):
        answers = statuses(base, [f"203.0.113.{i}" for i in range(8)])
    assert answers[:5] == [200] * 5
    assert answers[5:] == [429] * 3


def test_a_trusted_proxy_names_the_client(tmp_path: Path) -> None:
    """Behind a trusted proxy each forwarded client has its own bucket, and one client still
    runs out of its own."""
    settings = {**LIMITED, "PSO_TRUSTED_PROXIES": "127.0.0.1"}
    with pso_serve(tmp_path, settings) as (base, _):
        many = statuses(base, [f"203.0.113.{i}" for i in range(8)])
        one = statuses(base, ["198.51.100.7"] * 7)
    assert many == [200] * 8
    assert one == [200] * 5 + [429] * 2
