"""``make bench-scale``: the register at 100,000 organisations with their history.

Generates the register with ``pso demo`` (or reuses one: ``--reuse``), then measures its size, a
full rebuild of the read models, the start-up of ``pso serve`` (no replay at start), its resident
memory after 10,000+ mixed public requests, the p99 of the history query and of a name search,
and an idle sweep.
Results are merged into ``var/bench.json`` like ``make bench``'s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx

from api.logging import configure_logging
from api.settings import Settings
from api.wiring import Backend
from bench import http
from bench.__main__ import WORK, result, write
from domain.clock import SimulatedClock
from domain.register import Register
from projections.register import RegisterView

PSO = str(Path(sys.executable).parent / "pso")


def main() -> None:
    """Generate (or reuse) the register, measure, merge the results."""
    parser = argparse.ArgumentParser(prog="python -m bench.scale")
    parser.add_argument("--orgs", type=int, default=100_000)
    parser.add_argument("--years", type=int, default=3)
    parser.add_argument("--reuse", action="store_true", help="keep an existing generated file")
    parser.add_argument(
        "--serve-only", action="store_true", help="with --reuse: only the serving figures"
    )
    args = parser.parse_args()
    configure_logging("console", "WARNING")
    WORK.mkdir(parents=True, exist_ok=True)
    path = (WORK / f"scale-{args.orgs}.sqlite3").resolve()
    url = f"sqlite:///{path}"
    env = {**os.environ, "PSO_DATABASE_URL": url, "PSO_LOG_LEVEL": "WARNING"}
    results: list[dict[str, Any]] = []
    if not (args.reuse and path.exists()):
        for old in path.parent.glob(f"{path.name}*"):
            old.unlink()
        started = time.perf_counter()
        demo = [PSO, "demo", "--orgs", str(args.orgs), "--years", str(args.years), "--seed", "1"]
        subprocess.run(demo, env=env, check=True, stdout=subprocess.DEVNULL)  # noqa: S603
        took = time.perf_counter() - started
        print(f"generated {args.orgs} organisations over {args.years} years in {took:.0f} s")
        results.append(result("scale_generation", took, None, None, "s"))
    size = sum(p.stat().st_size for p in path.parent.glob(f"{path.name}*") if p.is_file())
    results.append(result("scale_database", size / 1e6, None, None, "MB"))
    if not (args.reuse and args.serve_only):
        results += rebuild_and_idle_sweep(url)
    results += serving(path, env)
    results.append(name_search(url, path))
    write(results)


def name_search(url: str, path: Path, count: int = 2000) -> dict[str, Any]:
    """p99 of ``RegisterQueries.search`` (what the API calls) on the generated register: a name
    ("Simulatie 70012345", any case), a KvK number, a certificate number, a lone common word."""
    numbers, kvks = _numbers_and_kvks(path)
    rng = random.Random(9)
    backend = Backend.build(Settings(database_url=url, scheduler=False))
    asked = [
        rng.choice(
            (
                f"simulatie {rng.choice(kvks)}",
                f"SIMULATIE {rng.choice(kvks)}",
                rng.choice(kvks),
                rng.choice(numbers),
                "simulatie",
            )
        )
        for _ in range(count)
    ]
    times = []
    for q in asked[:50] + asked:  # the first 50 warm the caches
        began = time.perf_counter()
        backend.queries.search(q=q)
        times.append((time.perf_counter() - began) * 1000)
    backend.close()
    p99 = statistics.quantiles(times[50:], n=100, method="inclusive")[98]
    print(f"name search: p99 {p99:.2f} ms over {count} searches", flush=True)
    return result("scale_search_p99", p99, None, "<= 10", "ms")


def _numbers_and_kvks(path: Path) -> tuple[list[str], list[str]]:
    """Every certificate number and main KvK number of the generated register."""
    register = RegisterView()
    with sqlite3.connect(path) as conn:
        numbers = [r[0] for r in conn.execute(f"SELECT number FROM {register.certificates.name}")]  # noqa: S608 (our table names)
        kvks = [r[0] for r in conn.execute(f"SELECT main_kvk FROM {register.organisations.name}")]  # noqa: S608 (our table names)
    return numbers, kvks


def rebuild_and_idle_sweep(url: str) -> list[dict[str, Any]]:
    """A full rebuild of every read model, then a sweep with nothing due, on the day the
    generated register ends (the demo swept every deadline due until then)."""
    backend = Backend.build(Settings(database_url=url, scheduler=False))
    events = backend.runner.head()
    started = time.perf_counter()
    backend.runner.rebuild()
    rebuilt = time.perf_counter() - started
    print(f"rebuilt {events} events in {rebuilt:.0f} s", flush=True)
    end = SimulatedClock(_last_recorded(backend.register))
    backend.close()
    backend = Backend.build(Settings(database_url=url, scheduler=False), clock=end)
    backend.scheduler.sweep.run()  # acts on anything still due at that moment
    started = time.perf_counter()
    idle = backend.scheduler.sweep.run()
    idle_ms = (time.perf_counter() - started) * 1000
    backend.close()
    print(f"idle sweep: {len(idle)} due, {idle_ms:.1f} ms", flush=True)
    return [
        result("scale_events", events, None, None, "events"),
        result("scale_rebuild", rebuilt, None, None, "s"),
        result("scale_idle_sweep", idle_ms, None, "<= 50", "ms"),
    ]


def serving(path: Path, env: dict[str, str]) -> list[dict[str, Any]]:
    """Start-up time, memory after mixed public requests, p99 of the history query."""
    numbers, kvks = _numbers_and_kvks(path)
    rng = random.Random(5)
    positions = [
        f"/api/v1/organisations/{rng.choice(kvks)}/position?on=20{rng.randint(21, 23)}-"
        f"{rng.randint(1, 12):02d}-15&as_known_at=2023-{rng.randint(1, 12):02d}-01T00:00:00Z"
        for _ in range(5000)
    ]
    mixed = [
        *(f"/api/v1/certificates/{n}" for n in rng.sample(numbers, min(3000, len(numbers)))),
        *positions[:3000],
        *(f"/api/v1/organisations/{k}" for k in rng.sample(kvks, 2000)),
        *(f"/api/v1/register?q=Simulatie%20{rng.choice(kvks)}" for _ in range(500)),
    ]
    port = http.free_port()
    serve_env = {**env, "PSO_SCHEDULER": "off", "PSO_RATE_LIMIT": "0"}
    started = time.perf_counter()
    process = subprocess.Popen(  # noqa: S603 (our own console script)
        [PSO, "serve", "--port", str(port)],
        env=serve_env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        startup = _ready(base, started)
        requests, began = 0, time.perf_counter()
        while requests < 10_000 and time.perf_counter() - began < 120:
            requests += http.wrk(base, mixed, WORK, seconds=10).requests
        took = time.perf_counter() - began
        rss_mb = _rss_mb(process.pid)
        _ready(base, time.perf_counter())  # the last queued requests are answered
        time.sleep(5)
        history = http.wrk(base, positions, WORK, seconds=8)
    finally:
        process.terminate()
        process.wait(timeout=30)
    print(f"start-up {startup:.2f} s; {requests:,} mixed requests in {took:.0f} s")
    print(f"resident memory after them: {rss_mb:.0f} MB")
    return [
        result("scale_startup", startup, None, "<= 3", "s"),
        result("scale_requests", requests, None, ">= 10000", "requests"),
        result("scale_mixed_throughput", requests / took, None, None, "requests/s"),
        result("scale_rss", rss_mb, None, "<= 300", "MB"),
        result("scale_history_p99", history.p99_ms, None, "<= 10", "ms"),
    ]


def _last_recorded(register: Register) -> dt.datetime:
    """When the last event was recorded: the generated register's "now"."""
    head = register.recorder.max_notification_id() or 0
    last = register.recorder.select_notifications(head, 1)[0]
    event: Any = register.mapper.to_domain_event(last)
    timestamp: dt.datetime = event.timestamp
    return timestamp


def _ready(base: str, started: float) -> float:
    deadline = started + 120
    while time.perf_counter() < deadline:
        try:
            if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                return time.perf_counter() - started
        except httpx.TransportError:
            pass
        time.sleep(0.02)
    msg = "pso serve did not answer /healthz within 120 s"
    raise RuntimeError(msg)


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


if __name__ == "__main__":
    main()
