"""Scheme versions (handbook versions) with the provenance of every value."""

from __future__ import annotations

from api import examples
from api.answers import Reply
from api.lean import Operation
from api.questions import NoQuestion, VersionQuestion
from api.schemas import HandbookVersionPublic, HandbookVersionSummary
from api.wiring import Backend


def list_versions(backend: Backend, _: NoQuestion) -> Reply:
    """Every handbook version with its effective date and how many values are provisional."""
    return Reply(
        [
            {
                "version": v.version,
                "effective_from": v.effective_from.value.isoformat(),
                "effective_from_provisional": v.effective_from.provenance.is_provisional,
                "levels": [level.value for level in v.levels.value],
                "provisional_values": len(v.provisional_values()),
            }
            for v in backend.register.catalogue.versions
        ]
    )


def show_version(backend: Backend, question: VersionQuestion) -> Reply:
    """One handbook version in full: every rule with ``source`` (published) or ``provisional``."""
    found = backend.register.catalogue.version(question.version)
    return Reply(
        {
            **found.document,
            "provisional_values": [{"value": p, "why": w} for p, w in found.provisional_values()],
        }
    )


NO_VERSION = "No handbook version of that name."
OPERATIONS = [
    Operation("/api/v1/norms", list_versions, NoQuestion, HandbookVersionSummary, tag="norms",
              listed=True, cached=False, example=examples.HANDBOOK_VERSIONS),
    Operation("/api/v1/norms/{version}", show_version, VersionQuestion, HandbookVersionPublic,
              tag="norms", not_found=NO_VERSION, gzip=True, cached=False,
              example=examples.HANDBOOK_VERSION),
]  # fmt: skip
