"""Bounded requests: the body limit counts the bytes received (chunked or not) and JSON nested
deeper than any document of the register is refused before it is parsed."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from tests.e2e.serving import pso_serve
from tests.staff_client import problem_of

MB = 1_000_000
CHUNK = b"x" * 65_536
FIELD = "VmHWM:"  # the peak resident memory of the process


@pytest.fixture
def small_limit(database_url: str) -> Iterator[TestClient]:
    """The app with a body limit of 1,000 bytes."""
    settings = Settings(
        database_url=database_url, scheduler=False, rate_limit_per_minute=0, max_body_bytes=1000
    )
    with TestClient(create_app(settings)) as client:
        yield client


def verify_items(count: int) -> bytes:
    """A /verify body of ``count`` questions, as JSON bytes."""
    item = b'{"kvk":"12345678","on":"2025-06-01","min_level":"trede_1"}'
    return b'{"items":[' + b",".join([item] * count) + b"]}"


def test_a_chunked_body_is_counted_as_it_arrives_and_refused_past_the_limit(
    small_limit: TestClient,
) -> None:
    """Without Content-Length the bytes are counted: 413 past 1,000, an answer up to it."""

    def chunks(body: bytes) -> Iterator[bytes]:
        for start in range(0, len(body), 100):
            yield body[start : start + 100]

    big = small_limit.post(
        "/api/v1/verify", content=chunks(verify_items(50)), headers={"Content-Type": "x"}
    )
    refused = problem_of(big, 413)
    assert refused["type"].endswith("/too-large")
    assert big.headers["connection"] == "close"
    fits = verify_items(14)
    assert len(fits) <= 1000
    answered = small_limit.post(
        "/api/v1/verify",
        content=chunks(fits),
        headers={"Content-Type": "application/json"},
    )
    assert answered.status_code == 200, answered.text
    assert len(answered.json()["results"]) == 14
    declared = small_limit.post("/api/v1/verify", content=verify_items(50))
    assert problem_of(declared, 413)["detail"].startswith("request body of 2")


def nested(depth: int) -> dict[str, Any]:
    """An object nested ``depth`` levels deep."""
    inner: dict[str, Any] = {}
    for _ in range(depth - 1):
        inner = {"x": inner}
    return inner


def test_a_declaration_nested_500_deep_is_refused_with_422_naming_the_depth(
    database_url: str,
) -> None:
    """The audit's 500-deep declaration gave a 500; now 422 says how deep and what is allowed,
    and a /verify body nested 100,000 deep is refused the same way."""
    settings = Settings(database_url=database_url, scheduler=False, rate_limit_per_minute=0)
    with TestClient(create_app(settings)) as client:
        token = client.app.state.users.create("anna", "staff")  # type: ignore[attr-defined]
        body = {
            "kvk": "12345678",
            "submitted_on": "2025-03-03",
            "certifying_institution": "Kiwa",
            "declaration": {"peiljaar": 2024, "total_fte": "1", "persons": [], "x": nested(500)},
        }
        response = client.post(
            "/api/v1/staff/applications", json=body, headers={"Authorization": f"Bearer {token}"}
        )
        refused = problem_of(response, 422)
        assert refused["type"].endswith("/invalid-input")
        assert refused["detail"] == "body: JSON nested 502 levels deep; at most 32 allowed"
        assert refused["errors"] == [
            {"field": "body", "message": "JSON nested 502 levels deep; at most 32 allowed"}
        ]
        deep = client.post(
            "/api/v1/verify",
            content=b"[" * 100_000 + b"]" * 100_000,
            headers={"Content-Type": "application/json"},
        )
        assert "100000 levels deep" in problem_of(deep, 422)["detail"]
        strings = client.post("/api/v1/verify", json={"items": [], "note": "[[[[" * 100})
        assert "levels deep" not in strings.text  # brackets inside strings are text


def peak_rss_kib(pid: int) -> int:
    """The most resident memory a process has had so far, in KiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(FIELD):
            return int(line.split()[1])
    msg = f"no {FIELD} for {pid}"
    raise AssertionError(msg)


def send_chunked(port: int, path: str, total: int) -> bytes:
    """POST ``total`` bytes in HTTP/1.1 chunks over a raw socket; the response as received
    (read concurrently, since the server may answer and close before the upload ends)."""
    received = bytearray()
    sock = socket.create_connection(("127.0.0.1", port), timeout=30)

    def read() -> None:
        try:
            while data := sock.recv(65_536):
                received.extend(data)
        except OSError:
            pass

    reader = threading.Thread(target=read)
    reader.start()
    head = (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        "Transfer-Encoding: chunked\r\n\r\n"
    )
    try:
        sock.sendall(head.encode())
        frame = b"%x\r\n" % len(CHUNK) + CHUNK + b"\r\n"
        for _ in range(total // len(CHUNK)):
            sock.sendall(frame)
        sock.sendall(b"0\r\n\r\n")
    except OSError:
        pass  # the server closed the connection: it answered before the end
    reader.join(timeout=30)
    sock.close()
    return bytes(received)


def test_a_50_mb_chunked_verify_without_a_token_is_refused_and_memory_stays_bounded(
    tmp_path: Path,
) -> None:
    """The audit's 50 MB chunked POST /verify made pso serve read it whole (RSS 95 -> 552 MB);
    now it answers 413 after the 2 MB limit and closes that connection; its peak memory grows by
    far less than the body (0.1 MB measured here; 113 MB without the limit), and the next
    request on a new connection is answered."""
    with pso_serve(tmp_path) as (base, process):
        port = int(base.rsplit(":", 1)[1])
        for _ in range(3):  # warm up: routes, caches and the allocator's first arenas
            send_chunked(port, "/api/v1/verify", 3 * MB)
        before = peak_rss_kib(process.pid)
        response = send_chunked(port, "/api/v1/verify", 50 * MB)
        after = peak_rss_kib(process.pid)
        status_line, _, rest = response.partition(b"\r\n")
        assert status_line == b"HTTP/1.1 413 Request Entity Too Large", response[:300]
        assert b"connection: close" in rest.lower()
        assert b"/problems/too-large" in rest
        assert (after - before) * 1024 < 10 * MB, (before, after)
        assert httpx.get(f"{base}/api/v1/norms").status_code == 200
