"""Scheme versions (handbook versions) with the provenance of every value: the public list and
versions, and publishing a new one (admin)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, status

from api import examples
from api.answers import Reply
from api.auth import AdminDep
from api.commands import run_command
from api.dependencies import BackendDep
from api.handbook_documents import OPENAPI, sent_document
from api.lean import Operation
from api.questions import NoQuestion, VersionQuestion
from api.schemas import HandbookVersionPublic, HandbookVersionSummary
from api.staff_answers import HandbookPublished
from api.statuses import COMMAND, staff_command
from api.wiring import Backend
from norms.bundled import resolve_document


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

router = APIRouter(prefix="/api/v1/staff/norms", tags=["staff: norms"])
PUBLISHED = staff_command(
    201,
    s409="That version is in force already (it can only be followed by a new one), or the "
    "`Idempotency-Key` was used for another request. A version not yet in force may be "
    "published again: the new document replaces it.",
    s422="`invalid-document` with every problem of the document in `errors` (each with its "
    "`field`): its form, an unknown base version, source or norm table, a value the rules "
    "cannot read; or a date in force that is not after today.",
)


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=HandbookPublished,
    responses=PUBLISHED,
    openapi_extra={**OPENAPI, **COMMAND},
)
def publish_norms(
    user: AdminDep,
    document: Annotated[Any, Depends(sent_document)],
    request: Request,
    backend: BackendDep,
) -> HandbookPublished:
    """Publish a new handbook version (admin): a document like norms/data/handbooks/*.toml, as
    JSON or TOML, ``based_on`` a shipped or published version; a version in force can only be
    followed."""
    resolved = resolve_document(document, backend.register.catalogue)
    published = run_command(
        request,
        backend,
        user,
        "publish_norms",
        resolved,
        lambda c: backend.register.publish_handbook(resolved, c),
    )
    return HandbookPublished.of(published)
