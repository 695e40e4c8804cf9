"""``pso serve`` as a real HTTP server: start the process, talk HTTP over a socket, stop it."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

PSO = Path(sys.executable).parent / "pso"


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A running ``pso serve`` on a free port with its own SQLite file."""
    port = free_port()
    home = tmp_path_factory.mktemp("serve")
    env = {
        **os.environ,
        "PSO_DATABASE_URL": f"sqlite:///{home}/pso.sqlite3",
        "PSO_LOG_FORMAT": "json",
    }
    log = home / "serve.log"
    with log.open("wb") as sink:
        process = subprocess.Popen(  # noqa: S603 (our own console script)
            [str(PSO), "serve", "--port", str(port)],
            env=env,
            cwd=home,
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(f"{base}/healthz", timeout=1)
                break
            except httpx.TransportError:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"pso serve did not start: {log.read_text()}")
                time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


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
