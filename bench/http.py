"""HTTP benchmarks with wrk: our route against a bare Starlette app on the same uvicorn settings."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

LUA = """
local paths = {}
for line in io.lines(os.getenv("PSO_BENCH_PATHS")) do paths[#paths + 1] = line end
math.randomseed(42)
request = function() return wrk.format("GET", paths[math.random(#paths)]) end
"""
UVICORN = [
    sys.executable,
    "-m",
    "uvicorn",
    "--workers",
    "1",
    "--log-level",
    "warning",
    "--no-access-log",
]


@dataclass(frozen=True)
class Load:
    """What wrk measured."""

    requests_per_second: float
    p99_ms: float
    requests: int


def free_port() -> int:
    """A port nobody listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def bare(port: int) -> list[str]:
    """The command serving the baseline app."""
    return [*UVICORN, "--port", str(port), "bench.bare:app"]


def pso_serve(port: int) -> list[str]:
    """The command serving the register, as in production (``pso serve``)."""
    return [str(Path(sys.executable).parent / "pso"), "serve", "--port", str(port)]


@contextmanager
def serving(command: list[str], env: dict[str, str], port: int) -> Iterator[str]:
    """A server process until the block ends."""
    process = subprocess.Popen(  # noqa: S603 (our own app)
        command,
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                httpx.get(base + "/healthz", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


def wrk(base: str, paths: list[str], work: Path, seconds: int = 8) -> Load:
    """32 connections, two threads, random paths from the list."""
    script, listing = work / "paths.lua", work / "paths.txt"
    script.write_text(LUA)
    listing.write_text("\n".join(paths) + "\n")
    result = subprocess.run(  # noqa: S603
        ["wrk", "-t2", "-c32", f"-d{seconds}s", "--latency", "-s", str(script), base],  # noqa: S607
        env={**os.environ, "PSO_BENCH_PATHS": str(listing)},
        capture_output=True,
        text=True,
        check=True,
    )
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", result.stdout).group(1))  # type: ignore[union-attr]
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", result.stdout)
    assert p99 is not None  # noqa: S101 (wrk --latency prints it)
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}[p99.group(2)]
    total = re.search(r"(\d+) requests in", result.stdout)
    assert total is not None  # noqa: S101 (wrk prints it)
    return Load(rps, float(p99.group(1)) * scale, int(total.group(1)))


def dumps_public(certificate: dict[str, object] | None) -> str:
    """The body of a certificate lookup, to size the baseline's constant body alike."""
    from api.documents import public_certificate  # noqa: PLC0415
    from api.http import dumps  # noqa: PLC0415 (bench helper)

    assert certificate is not None  # noqa: S101
    return dumps(public_certificate(certificate)).decode()
