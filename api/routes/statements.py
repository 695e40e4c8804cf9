"""Statements (verklaringen): the register's answer about an organisation on a day or over a
period, signed (Ed25519 over the RFC 8785 canonical JSON of its content) and recorded as a fact,
so that it is shown later exactly as it was made and anyone can check it offline
(docs/statements.md, ``pso statement verify``).

A statement is made from the public answer functions (api/routes/public.py: position, coverage,
organisation), never from a second implementation of them, and holds only what they show.
Making one records a fact, so it is a FastAPI route (201, ``Location``, ``Idempotency-Key``) in
the application's one middleware stack; reading one and the keys are lean operations.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request, Response, status
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from api import examples
from api.answers import Reply
from api.commands import fingerprint_of
from api.dependencies import BackendDep
from api.documents import pick
from api.http import dumps
from api.lean import Operation
from api.middleware import next_request_id
from api.problems import ReadModelsBehindError, invalid, problem
from api.questions import NoQuestion, OrganisationQuestion, PositionQuestion
from api.read_models import WAIT
from api.routes.public import get_coverage, get_organisation, get_position
from api.statement_schemas import (
    KeysPublic,
    StatementId,
    StatementOnDay,
    StatementOverPeriod,
    StatementPublic,
    StatementQuestion,
)
from api.statuses import COMMAND, Responses, problems
from api.wiring import Backend
from domain.errors import InvalidInputError
from domain.service.results import IssuedStatement
from domain.signatures import SigningKey, canonical, signed_document
from domain.values import Cause, Role

router = APIRouter(prefix="/api/v1", tags=["statements"])
PATH = "/api/v1/statements"
#: what the two kinds of statement take
ON_DAY, OVER_PERIOD = ("kvk", "on"), ("kvk", "from", "to", "min_level")
ASKS = "a statement asks about a day {kvk, on} or a period {kvk, from, to, min_level}"
ORGANISATION = ("main_kvk", "name", "place", "covered_kvks")
#: a request id the caller sent is kept as the correlation id only when it is this plain
PLAIN_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")


def statement_question(body: bytes) -> StatementQuestion | list[dict[str, str]]:
    """The question of a request body, validated as the public questions are; or what is wrong
    with it, field by field (an unknown field is named)."""
    try:
        sent = json.loads(body)
    except ValueError as exc:
        return [{"field": "body", "message": f"not a JSON document ({exc}); {ASKS}"}]
    if not isinstance(sent, dict):
        return [{"field": "body", "message": ASKS}]
    over_period = "on" not in sent and bool(set(OVER_PERIOD[1:]) & sent.keys())
    model = StatementOverPeriod if over_period else StatementOnDay
    try:
        return model.model_validate(sent)
    except ValidationError as exc:
        takes = ", ".join(OVER_PERIOD if over_period else ON_DAY)
        return [
            {
                "field": ".".join(str(part) for part in error["loc"]),
                "message": f"unknown field: this statement takes {takes}"
                if error["type"] == "extra_forbidden"
                else error["msg"],
            }
            for error in exc.errors()
        ]


def stated(backend: Backend, question: StatementQuestion, now: dt.datetime) -> dict[str, Any]:
    """What a statement says at the moment ``now``: the question, the organisation, the public
    answer (a position as known at ``now``, or the coverage as known then) and the certificates
    whose validity overlaps the day or period, as JSON values."""
    if isinstance(question, StatementOnDay):
        first = last = question.on
        asked: dict[str, Any] = {"kvk": question.kvk, "on": question.on}
        known = PositionQuestion(kvk=question.kvk, on=question.on, as_known_at=now)
        answer, kind = get_position(backend, known).value, "position"
    else:
        first, last = question.start, question.end
        asked = {"kvk": question.kvk, "from": first, "to": last, "min_level": question.min_level}
        answer, kind = get_coverage(backend, question).value, "coverage"
    organisation = get_organisation(backend, OrganisationQuestion(kvk=question.kvk, on=last)).value
    certificates = [
        {name: value for name, value in certificate.items() if name != "history"}
        for certificate in organisation["certificates"]
        if certificate["valid_from"] <= last and certificate["valid_until"] >= first
    ]
    content = {
        "kind": kind,
        "question": asked,
        "organisation": pick(organisation, ORGANISATION),
        "answer": answer,
        "certificates": certificates,
    }
    found: dict[str, Any] = json.loads(dumps(content))
    return found


def _created(issued: IssuedStatement) -> Response:
    """201 with the statement document in its canonical form (the bytes GET answers)."""
    document = signed_document(issued.content, issued.key_id, issued.signature)
    return Response(
        canonical(document),
        status.HTTP_201_CREATED,
        media_type="application/json",
        headers={"Location": f"{PATH}/{issued.statement_id}"},
    )


def make(request: Request, backend: Backend, body: bytes) -> Response:
    """Make the statement a JSON body asks for: 201 with the document, or the problem (the one
    way a statement is made, for the API and for the pages' form)."""
    signer: SigningKey | None = request.app.state.signer
    if signer is None:
        return problem(
            503,
            "statements-unavailable",
            "Statements unavailable",
            "this register has no statement key (PSO_STATEMENT_KEY or PSO_STATEMENT_KEY_FILE), "
            "so it makes no statements",
        )
    question = statement_question(body)
    if isinstance(question, list):
        return invalid(question)
    failed = _stopped(backend)
    if failed:
        return problem(
            503,
            "statements-unavailable",
            "Statements unavailable",
            f"the read models {failed} stopped at an event they could not apply; the register "
            "makes no statement from them until they are rebuilt",
        )
    if not backend.runner.wait_for(backend.runner.head(), timeout=WAIT):
        msg = (
            "the read models have not reached the register's latest facts yet; nothing was "
            "stated, retry shortly"
        )
        raise ReadModelsBehindError(msg)
    sent_id = getattr(request.state, "request_id", "")
    correlation = sent_id if PLAIN_ID.fullmatch(sent_id) else next_request_id()
    cause = Cause("public", Role.PUBLIC, correlation)
    fingerprint = fingerprint_of("issue_statement", PATH, question)
    register = backend.register
    try:
        done = register.once(
            request.headers.get("idempotency-key"),
            "issue_statement",
            fingerprint,
            cause,
            lambda: register.issue_statement(
                lambda now: stated(backend, question, now), signer, cause
            ),
        )
    except InvalidInputError as exc:
        name, _, message = str(exc).partition(": ")
        return invalid([{"field": name, "message": message or str(exc)}])
    return _created(done.result)


def _stopped(backend: Backend) -> str:
    """The read models a statement rests on that stopped at an event (empty when none)."""
    models = backend.models
    rests_on = {models.register.key, models.ladder.key}
    return " ".join(f.label for f in backend.runner.failures() if f.key in rests_on)


REQUEST_BODY = {
    "required": True,
    "description": "A day (`kvk`, `on`) or a period (`kvk`, `from`, `to`, `min_level`); any "
    "other field is refused (422, naming it). `Idempotency-Key` is honoured: a retry answers "
    "the same statement.",
    "content": {
        "application/json": {
            "schema": {
                "oneOf": [
                    StatementOnDay.model_json_schema(),
                    StatementOverPeriod.model_json_schema(by_alias=True),
                ]
            },
            "examples": {
                "position": {"summary": "On a day", "value": examples.STATEMENT_ON_DAY},
                "coverage": {"summary": "Over a period", "value": examples.STATEMENT_OVER_PERIOD},
            },
        }
    },
}
RESPONSES: Responses = {
    201: {
        "model": StatementPublic,
        "description": "The statement, signed and recorded; `Location` is where it stays.",
        "headers": {
            "Location": {"description": "`/api/v1/statements/{id}`", "schema": {"type": "string"}}
        },
    },
    **problems(
        409,
        413,
        422,
        429,
        503,
        not_found="The KvK number is not in the public register (never certified): no statement.",
        s409="The `Idempotency-Key` was used for another request, or a statement was recorded "
        "at the same moment with a new key (retry).",
        s422="Invalid question: `errors` names each field, and each unknown one.",
        s503="No statement now: no signing key is configured (`statements-unavailable`), the "
        "read models it rests on stopped (`statements-unavailable`) or are behind "
        "(`read-models-behind`, see `Retry-After`), or the database is busy (`database-busy`).",
    ),
}


@router.post(
    "/statements",
    operation_id="make_statement",
    summary="Make statement",
    status_code=status.HTTP_201_CREATED,
    response_class=Response,
    responses=RESPONSES,
    openapi_extra={"requestBody": REQUEST_BODY, **COMMAND},
)
async def make_statement(request: Request, backend: BackendDep) -> Response:
    """Make a signed statement of what the register says now about an organisation (any
    covered KvK number) on a day, or over a period at a minimum level: the question, the
    organisation, the public answer and the certificates it rests on, with the moment it was
    made (`issued_at`, UTC), signed with Ed25519 over the RFC 8785 canonical JSON of that
    content. It is recorded and never changes: `GET /api/v1/statements/{id}` answers the same
    bytes. Check it offline with the keys of `GET /api/v1/keys` (docs/statements.md)."""
    body = await request.body()
    response: Response = await run_in_threadpool(make, request, backend, body)
    return response


def get_statement(backend: Backend, question: StatementId) -> Reply:
    """A statement as it was made: the same document, byte for byte, as when it was made
    (its canonical JSON; cached for ever)."""
    found = backend.register.statement(UUID(question.id))
    return Reply(canonical(found.document()), immutable=True)


def list_keys(backend: Backend, _: NoQuestion) -> Reply:
    """Every public key the register signed statements with, each valid from the moment it
    began signing: a rotated key stays listed, so older statements keep verifying."""
    keys = backend.register.statement_keys()
    return Reply({"keys": [key.document() for key in keys]})


OPERATIONS = [
    Operation(f"{PATH}/{{id}}", get_statement, StatementId, StatementPublic, tag="statements",
              not_found="No statement has that id.", example=examples.STATEMENT),
    Operation("/api/v1/keys", list_keys, NoQuestion, KeysPublic, tag="statements", cached=False,
              example=examples.KEYS),
]  # fmt: skip
