"""``pso serve`` as a real HTTP server: start the process, talk HTTP over a socket, stop it."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.e2e.serving import pso_serve


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A running ``pso serve`` on a free port with its own SQLite file."""
    with pso_serve(tmp_path_factory.mktemp("serve")) as (base, _):
        yield base


def test_the_server_answers_health_checks(server: str) -> None:
    """/healthz answers 200 over a real socket."""
    assert httpx.get(f"{server}/healthz").json() == {"status": "ok"}


def test_the_norms_are_public_with_their_provenance(server: str) -> None:
    """GET /api/v1/norms/2.1 returns the full version, each value published or provisional."""
    listing = httpx.get(f"{server}/api/v1/norms").json()
    assert [v["version"] for v in listing][-1] == "2.1"
    version = httpx.get(f"{server}/api/v1/norms/2.1").json()
    assert version["effective_from"]["value"] == "2023-04-01"
    assert "source" in version["effective_from"]
    assert "provisional" in version["contracts"]["trial_placement"]["weight"]
    assert len(version["norm_table"]["rows"]) == 104


def test_an_unknown_version_is_a_problem_document(server: str) -> None:
    """404 with application/problem+json and a stable type."""
    response = httpx.get(f"{server}/api/v1/norms/9.9")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"].endswith("/unknown-handbook-version")
