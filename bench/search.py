"""``python -m bench.search``: the p99 of a register search at 100,000 organisations, in minutes.

Fills the read-model tables of a scratch database directly with synthetic organisations (Dutch
business names with accents and legal forms, one certificate and one ladder stretch each: what
the search joins), then times ``RegisterQueries.search``, the function the API calls, for random
searches people make: a word of a name, two words of a name, a whole name typed without its
accents, a certificate number and a KvK number. On SQLite, and on PostgreSQL too when
``PSO_TEST_DATABASE_URL`` is set. ``make bench-scale`` measures the same on the generated register.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import time
import unicodedata
from collections.abc import Callable, Iterator
from typing import Any

from sqlalchemy import Engine, insert, text

from api.storage import engine_for
from bench import fixtures
from bench.__main__ import WORK, result, write
from domain.clock import SimulatedClock
from norms.bundled import bundled_catalogue
from projections.catalogue import ReadModels, read_models
from projections.database import create_tables, is_postgres
from projections.queries import RegisterQueries
from projections.search import name_row

KINDS = (
    "Bakkerij", "Café", "Schoonmaakbedrijf", "Zorggroep", "Installatiebedrijf", "Garage",
    "Hoveniersbedrijf", "Drukkerij", "Transport", "Bouwbedrijf", "Stichting", "Kinderopvang",
    "Restaurant", "Adviesbureau", "Techniek", "Logistiek", "Metaalbewerking", "Catering",
    "Groothandel", "Schilders", "Brasserie", "Accountants", "Thuiszorg", "Recycling",
)  # fmt: skip
FAMILIES = (
    "De Vries", "Jansen", "Bakker", "Visser", "Smit", "Meijer", "De Boer", "Mulder", "De Groot",
    "Bos", "Vos", "Peters", "Hendriks", "Van Leeuwen", "Dekker", "Brouwer", "De Wit", "Dijkstra",
    "Smits", "De Graaf", "Van der Meer", "Van der Linden", "Kok", "Jacobs", "De Haan", "Vermeulen",
    "Van den Berg", "Van Dijk", "Schouten", "Van Beek", "Willems", "Hoekstra", "Koster", "Prins",
    "Hermans", "Verhoeven", "Kuipers", "Van Vliet", "Huisman", "Peeters", "Maas", "Verbeek",
    "Dijkman", "Çelik", "Y\u0131lmaz", "Öztürk", "Müller", "Lefèvre", "Ståhl", "Nuñez", "Bartoš",
)  # fmt: skip
PLACES = (
    "Utrecht", "Zwolle", "Tilburg", "Ede", "Groningen", "Maastricht", "Den Bosch", "Leeuwarden",
    "Arnhem", "Enschede", "Almere", "Delft", "Haarlem", "Zeist", "Venlo", "Assen",
)  # fmt: skip
FORMS = ("B.V.", "BV", "N.V.", "V.O.F.", "", "")
DAY = dt.date(2026, 12, 1)


def organisation_name(rng: random.Random, i: int) -> str:
    """A business name: kind, family or place, a distinguishing word, a legal form."""
    parts = [rng.choice(KINDS), rng.choice(FAMILIES)]
    if rng.random() < 0.5:
        parts.append(rng.choice(PLACES))
    parts += [f"{i % 997}", rng.choice(FORMS)]
    return " ".join(p for p in parts if p)


def fill(engine: Engine, models: ReadModels, count: int, seed: int = 7) -> list[dict[str, str]]:
    """Write ``count`` organisations with a certificate each into the read-model tables."""
    rng = random.Random(seed)
    register, ladder = models.register, models.ladder
    orgs = []
    for i in range(count):
        kvk = f"{40000000 + i:08d}"
        orgs.append(
            {"id": f"org-{i:09d}", "kvk": kvk, "name": organisation_name(rng, i)}
            | {"number": f"PSO-2025-{i:06d}", "place": rng.choice(PLACES)}
        )
    start, until = dt.date(2025, 6, 1), dt.date(2027, 5, 31)
    moment = dt.datetime(2025, 6, 1, 9, tzinfo=dt.UTC)
    tables: list[tuple[Any, Callable[[dict[str, str]], dict[str, Any]]]] = [
        (
            register.organisations,
            lambda o: {
                "organisation_id": o["id"],
                "main_kvk": o["kvk"],
                "name": o["name"],
                "place": o["place"],
                "covered_kvks": o["kvk"],
                "position": 1,
            },
        ),
        (register.kvks, lambda o: {"kvk": o["kvk"], "organisation_id": o["id"]}),
        (register.names, lambda o: name_row(o["id"], o["kvk"], o["name"])),
        (
            register.certificates,
            lambda o: {
                "number": o["number"],
                "organisation_id": o["id"],
                "level": "trede_1",
                "pso30plus": False,
                "status": "active",
                "valid_from": start,
                "valid_until": until,
                "ended_on": None,
                "handbook_version": "2.1",
                "covered_kvks": o["kvk"],
                "ci": "kiwa",
                "total_fte": None,
                "issued_at": moment,
            },
        ),
        (
            ladder.rows,
            lambda o: {
                "id": o["number"],
                "organisation_id": o["id"],
                "number": o["number"],
                "standing": "certified",
                "level": "trede_1",
                "pso30plus": False,
                "valid_from": start,
                "valid_until": until,
                "start": start,
                "end": until + dt.timedelta(days=1),
                "recorded_at": moment,
                "recorded_from": moment,
                "recorded_to": None,
            },
        ),
    ]
    with engine.begin() as conn:
        for table, row in tables:
            for first in range(0, count, 5000):
                conn.execute(insert(table), [row(o) for o in orgs[first : first + 5000]])
    if is_postgres(engine):  # as autovacuum (and a rebuild) leave a register: with statistics
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("ANALYZE"))
    return orgs


def searches(orgs: list[dict[str, str]], count: int, seed: int = 11) -> Iterator[tuple[str, str]]:
    """Random searches (kind, q) as people type them."""
    rng = random.Random(seed)
    for _ in range(count):
        org = rng.choice(orgs)
        name_words = org["name"].split()
        kind = rng.choice(("word", "two words", "whole name", "certificate", "kvk"))
        if kind == "word":
            yield kind, rng.choice(name_words[1:3])
        elif kind == "two words":
            yield kind, " ".join(name_words[:2]).lower()
        elif kind == "whole name":
            plain = unicodedata.normalize("NFKD", org["name"])
            yield kind, "".join(c for c in plain if not unicodedata.combining(c))
        elif kind == "certificate":
            yield kind, org["number"]
        else:
            yield kind, org["kvk"]


def measure(url: str, count: int, asked: int) -> dict[str, Any]:
    """Fill a scratch database and time ``asked`` searches; milliseconds per kind and overall."""
    engine = engine_for(url, writer=True)
    models = read_models(bundled_catalogue())
    create_tables(engine, *(p.metadata for p in models.all()))
    started = time.perf_counter()
    orgs = fill(engine, models, count)
    print(f"  filled {count:,} organisations in {time.perf_counter() - started:.0f} s", flush=True)
    queries = RegisterQueries(
        engine, models, clock=SimulatedClock(dt.datetime(2026, 12, 1, 9, tzinfo=dt.UTC))
    )
    for _kind, q in searches(orgs, 50, seed=1):  # warm the caches
        queries.search(q=q, on=DAY)
    times: dict[str, list[float]] = {}
    for kind, q in searches(orgs, asked):
        began = time.perf_counter()
        found, _ = queries.search(q=q, on=DAY)
        times.setdefault(kind, []).append((time.perf_counter() - began) * 1000)
        if kind in ("certificate", "kvk", "whole name") and not found:
            msg = f"the search {q!r} found nothing"
            raise AssertionError(msg)
    engine.dispose()
    every = [t for values in times.values() for t in values]
    return {
        "p50": statistics.median(every),
        "p99": _p99(every),
        "kinds": {kind: (_p99(values), len(values)) for kind, values in times.items()},
    }


def _p99(values: list[float]) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[98]


def main() -> None:
    """Measure on SQLite (and PostgreSQL when set); merge ``search_p99`` into var/bench.json."""
    parser = argparse.ArgumentParser(prog="python -m bench.search")
    parser.add_argument("--orgs", type=int, default=100_000)
    parser.add_argument("--searches", type=int, default=2000)
    args = parser.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    results = []
    for kind in ["sqlite"] + (["postgres"] if fixtures.POSTGRES else []):
        with fixtures.database(kind, WORK, "search") as url:
            print(f"{kind}: {args.orgs:,} organisations, {args.searches:,} searches", flush=True)
            figures = measure(url, args.orgs, args.searches)
        print(f"  p50 {figures['p50']:.2f} ms, p99 {figures['p99']:.2f} ms")
        for name, (p99, n) in figures["kinds"].items():
            print(f"    {name:12} p99 {p99:6.2f} ms ({n} searches)")
        suffix = "" if kind == "sqlite" else "_postgres"
        results.append(result(f"search_p99{suffix}", figures["p99"], None, "<= 10", "ms"))
    write(results)


if __name__ == "__main__":
    main()
