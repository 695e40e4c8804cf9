"""The time to make one document's PDF: the dispute report of the document tests' file (an
objection through both stages, a paid contribution, a scheduled suspension and a backdated
withdrawal: 21 events, 5 A4 pages), from the report to the PDF's bytes."""

from __future__ import annotations

import statistics
import time

from api.pages.dispute_document import author, dispute_document, dispute_pdf
from tests.dispute_register import DISPUTED, NOW, populate_dispute

RUNS = 7


def pdf_seconds() -> dict[str, float]:
    """The first PDF of the process (WeasyPrint loads its fonts then) and the median of the
    next runs, each building the document from the register and rendering it."""
    register = populate_dispute({"PERSISTENCE_MODULE": "eventsourcing.popo"})
    timings = []
    for _ in range(RUNS + 1):
        started = time.perf_counter()
        document = dispute_document(
            register, "12345678", DISPUTED, author("anna", "staff", "nl"), NOW
        )
        dispute_pdf(document, "nl")
        timings.append(time.perf_counter() - started)
    register.close()
    return {
        "cold_s": timings[0],
        "median_s": statistics.median(timings[1:]),
        "max_s": max(timings[1:]),
    }
