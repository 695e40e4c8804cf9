"""Real HTTP servers for e2e tests: ``pso serve`` as a process, or uvicorn in a thread."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
import uvicorn
from fastapi import FastAPI

PSO = Path(sys.executable).parent / "pso"


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _wait_until_healthy(base: str, alive: Callable[[], bool], why: Callable[[], str]) -> None:
    deadline = time.monotonic() + 30
    while True:
        try:
            httpx.get(f"{base}/healthz", timeout=1)
            return
        except httpx.TransportError:
            if not alive() or time.monotonic() > deadline:
                pytest.fail(f"the server did not start: {why()}")
            time.sleep(0.1)


@contextmanager
def pso_serve(
    home: Path, settings: dict[str, str] | None = None
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """A running ``pso serve`` on a free port with its own SQLite file in ``home`` (and any
    further ``PSO_...`` settings)."""
    port = free_port()
    env = {
        **os.environ,
        "PSO_DATABASE_URL": f"sqlite:///{home}/pso.sqlite3",
        "PSO_LOG_FORMAT": "json",
        **(settings or {}),
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
        _wait_until_healthy(base, lambda: process.poll() is None, log.read_text)
        yield base, process
    finally:
        process.terminate()
        process.wait(timeout=10)


@contextmanager
def uvicorn_in_thread(app: FastAPI) -> Iterator[str]:
    """The app served by uvicorn (its lifespan included) in a thread of this process."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None))
    thread = threading.Thread(target=server.run, name="uvicorn", daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_healthy(base, thread.is_alive, lambda: "uvicorn thread ended")
        yield base
    finally:
        server.should_exit = True
        thread.join(timeout=10)
