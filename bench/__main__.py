"""``make bench``: every figure a ratio to a baseline measured in the same run on this machine.

``python -m bench [N] [--http|--pdf]``: a register of N certificates (10,000); ``--http``
measures the public reads only, ``--pdf`` the documents only. Writes ``var/bench.json`` (one
JSON object per line) and prints a table. See bench/README.md.
"""

from __future__ import annotations

import json
import random
import sys
import time
from pathlib import Path
from typing import Any

from api.logging import configure_logging
from bench import documents, domain, fixtures, http

WORK = Path("var/bench")
RESULTS = Path("var/bench.json")


def result(
    name: str, value: float, baseline: float | None, target: str | None, unit: str
) -> dict[str, Any]:
    """One line of var/bench.json (``target`` None: a figure reported, with no target)."""
    return {
        "name": name,
        "value": round(value, 2),
        "baseline": round(baseline, 2) if baseline else None,
        "ratio": round(value / baseline, 3) if baseline else None,
        "target": target,
        "unit": unit,
    }


def main() -> None:
    """Run the benchmarks, print the table, write the results."""
    configure_logging("console", "WARNING")
    WORK.mkdir(parents=True, exist_ok=True)
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    size = int(args[0]) if args else 10_000
    if "--pdf" in sys.argv:  # the documents only (while working on them)
        write(pdf())
        return
    results, swept = http_and_sweep(size)
    if "--http" in sys.argv:  # the public reads only (while working on them)
        write(results)
        return
    kinds = ["sqlite"] + (["postgres"] if fixtures.POSTGRES else [])
    for kind in kinds:
        written, figures = write_side(kind, size)
        results += written
        if kind == "sqlite":  # the sweep ran on SQLite: compare with SQLite's commands
            rate = swept["deadlines_per_s"]
            results.append(
                result("sweep", rate, figures["commands_per_s"], ">= 0.5", "deadlines/s")
            )
    write(results + pdf())


def pdf() -> list[dict[str, Any]]:
    """One dispute report's PDF: the median of warm runs, and the first run of the process."""
    made = documents.pdf_seconds()
    return [
        result("pdf_document", made["median_s"], None, "<= 1", "s"),
        result("pdf_document_cold", made["cold_s"], None, None, "s"),
    ]


def http_and_sweep(size: int) -> tuple[list[dict[str, Any]], dict[str, float]]:
    """lookup, history, sweep and idle sweep on a generated SQLite register."""
    started = time.perf_counter()
    with fixtures.database("sqlite", WORK, "register") as url:
        backend = fixtures.build_register(url, size, expired_share=0.3)
        print(
            f"generated a register of {size} certificates in {time.perf_counter() - started:.1f} s"
        )
        rng = random.Random(3)
        generated = fixtures.rows(size, expired_share=0.3)
        numbers = [row.certificate_number for row in generated]
        kvks = [row.kvk for row in generated]
        body = http.dumps_public(backend.queries.certificate(numbers[0]))
        env = {
            "PSO_DATABASE_URL": url,
            "PSO_SCHEDULER": "off",
            "PSO_RATE_LIMIT": "0",
            "PSO_LOG_LEVEL": "WARNING",
        }
        port = http.free_port()
        with http.serving(http.bare(port), {"PSO_BENCH_BODY": body}, port) as base:
            bare = http.wrk(base, ["/x"], WORK)
        lookups = [f"/api/v1/certificates/{n}" for n in rng.sample(numbers, 2000)]
        positions = [
            f"/api/v1/organisations/{rng.choice(kvks)}/position?on=2025-{rng.randint(1, 12):02d}-15"
            f"&as_known_at=2026-0{rng.randint(1, 5)}-01T00:00:00Z"
            for _ in range(2000)
        ]
        port = http.free_port()
        with http.serving(http.pso_serve(port), env, port) as base:
            lookup = http.wrk(base, lookups, WORK)
            history = http.wrk(base, positions, WORK)
        swept = domain.sweep(backend)
        backend.close()
    baseline = bare.requests_per_second
    return [
        result("lookup", lookup.requests_per_second, baseline, ">= 0.6", "requests/s"),
        result("lookup_p99", lookup.p99_ms, None, "<= 10", "ms"),
        result("history", history.requests_per_second, baseline, ">= 0.5", "requests/s"),
        result("history_p99", history.p99_ms, None, "<= 10", "ms"),
        result("idle_sweep", swept["idle_ms"], None, "<= 50", "ms"),
    ], swept


def write_side(kind: str, size: int) -> tuple[list[dict[str, Any]], dict[str, float]]:
    """commands and rebuild on one kind of database."""
    suffix = "" if kind == "sqlite" else f"_{kind}"
    with (
        fixtures.database(kind, WORK, "commands") as url,
        fixtures.database(kind, WORK, "raw") as raw,
    ):
        written = domain.commands(url, raw, 300)
    with fixtures.database(kind, WORK, "rebuild") as url:
        backend = fixtures.build_register(url, size, expired_share=0.3)
        built = domain.rebuild(backend)
        backend.close()
    return [
        result(
            f"commands{suffix}",
            written["events_per_s"],
            written["raw_events_per_s"],
            ">= 0.5",
            "events/s",
        ),
        result(
            f"rebuild{suffix}",
            built["rebuild_events_per_s"],
            built["read_events_per_s"],
            ">= 0.25",
            "events/s",
        ),
    ], written


def write(results: list[dict[str, Any]]) -> None:
    """Merge into var/bench.json (lines of other runs, e.g. bench-scale, stay) and print."""
    kept = {}
    if RESULTS.exists():
        for line in RESULTS.read_text().splitlines():
            old = json.loads(line)
            kept[old["name"]] = old
    kept.update({r["name"]: r for r in results})
    RESULTS.write_text("".join(json.dumps(r) + "\n" for r in kept.values()))
    print(f"{'name':<18}{'value':>14}{'baseline':>14}{'ratio':>9}  target")
    for r in results:
        line = f"{r['name']:<18}{r['value']:>14}{r['baseline'] or '':>14}{r['ratio'] or '':>9}"
        print(f"{line}  {r['target'] or ''} ({r['unit']})")


if __name__ == "__main__":
    main()
