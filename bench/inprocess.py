"""Profile the public reads inside the process: the ASGI app called in a loop, no server, no wrk.

``python -m bench.inprocess [N] [--profile]`` generates a register of N certificates (default
2,000), then times cached lookups, cached positions and the bare baseline app per request (µs);
``--profile`` prints cProfile's 25 most expensive functions of the cached lookups.
"""

from __future__ import annotations

import asyncio
import cProfile
import pstats
import random
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from api.app import create_app
from api.logging import configure_logging
from api.settings import Settings
from bench import bare, fixtures

WORK = Path("var/bench")
ASGI = Callable[[dict[str, Any], Any, Any], Awaitable[None]]


def scope(path: str) -> dict[str, Any]:
    """The scope uvicorn gives a GET of ``path`` (query string split off)."""
    path, _, query = path.partition("?")
    return {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.4"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": query.encode(),
        "root_path": "",
        "headers": [(b"host", b"127.0.0.1:8000"), (b"user-agent", b"wrk")],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
        "state": {},
    }


async def _loop(app: ASGI, paths: list[str], rounds: int) -> float:
    """Seconds per request over ``rounds`` requests of random paths."""

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    statuses: list[int] = []

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            statuses.append(message["status"])

    rng = random.Random(1)
    chosen = [rng.choice(paths) for _ in range(rounds)]
    started = time.thread_time()  # CPU time of this thread: other load on the machine is noise
    for path in chosen:
        await app(scope(path), receive, send)
    elapsed = time.thread_time() - started
    assert set(statuses) <= {200}, set(statuses)  # noqa: S101 (a profile of errors is useless)
    return elapsed / rounds


def main() -> None:
    """Generate, warm the cache, time and optionally profile."""
    configure_logging("console", "WARNING")
    WORK.mkdir(parents=True, exist_ok=True)
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    size = int(args[0]) if args else 2_000
    with fixtures.database("sqlite", WORK, "inprocess") as url:
        fixtures.build_register(url, size, expired_share=0.3).close()
        generated = fixtures.rows(size, expired_share=0.3)
        rng = random.Random(3)
        lookups = [f"/api/v1/certificates/{r.certificate_number}" for r in generated[:500]]
        positions = [
            f"/api/v1/organisations/{rng.choice(generated).kvk}/position?on=2025-06-15"
            "&as_known_at=2026-01-01T00:00:00Z"
            for _ in range(500)
        ]
        settings = Settings(
            database_url=url, scheduler=False, rate_limit_per_minute=0, log_level="WARNING"
        )
        app = create_app(settings)
        asyncio.run(_measure(app, lookups, positions, profile="--profile" in sys.argv))


async def _measure(app: Any, lookups: list[str], positions: list[str], *, profile: bool) -> None:
    async with app.router.lifespan_context(app):
        app.state.backend.runner.catch_up()
        for paths in (lookups, positions):
            await _loop(app, paths, len(paths) * 3)  # every answer cached
        figures = {
            "bare": await _loop(bare.app, ["/x"], 20_000),
            "lookup": await _loop(app, lookups, 20_000),
            "position": await _loop(app, positions, 20_000),
        }
        for name, seconds in figures.items():
            print(f"{name:10} {seconds * 1e6:7.1f} µs per request")
        if profile:
            profiler = cProfile.Profile()
            profiler.enable()
            await _loop(app, lookups, 20_000)
            profiler.disable()
            pstats.Stats(profiler).sort_stats("tottime").print_stats(25)


if __name__ == "__main__":
    main()
