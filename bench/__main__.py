"""``make bench``: measure the assessment against a baseline measured in the same run."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from norms.assessment import assess
from norms.bundled import bundled_catalogue
from norms.declaration import declaration_from_document

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "declaration-trede-2.json"
RESULTS = Path("var/bench.json")


def per_second(work: Callable[[], object], seconds: float = 1.0) -> float:
    """How many times ``work`` runs per second, measured for about ``seconds``."""
    count, start = 0, time.perf_counter()
    while (elapsed := time.perf_counter() - start) < seconds:
        work()
        count += 1
    return count / elapsed


def main() -> None:
    """Print a table of benchmark ratios and write them to var/bench.json."""
    text = EXAMPLE.read_text()
    version = bundled_catalogue().version("2.1")
    baseline = per_second(lambda: json.loads(text, parse_float=Decimal))
    value = per_second(
        lambda: assess(declaration_from_document(json.loads(text, parse_float=Decimal)), version)
    )
    rows = [
        {
            "name": "assessment",
            "value": round(value, 1),
            "baseline": round(baseline, 1),
            "ratio": round(value / baseline, 4),
            "target": "informational",
            "unit": "declarations/s (baseline: JSON parses/s of the same file)",
        }
    ]
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text("".join(json.dumps(row) + "\n" for row in rows))
    for row in rows:
        print(f"{row['name']:<12} {row['value']:>12} / {row['baseline']:>12} = {row['ratio']}")


if __name__ == "__main__":
    main()
