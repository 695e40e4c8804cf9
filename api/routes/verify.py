"""Verification of many suppliers at once: up to 1000 questions "was KvK at least level L on day
D?", each answered (or refused) on its own."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from api import examples
from api.answers import Reply
from api.documents import certificate_on_day
from api.lean import Operation
from api.problems import PROBLEM_BASE
from api.questions import NoQuestion
from api.schemas import VerifyItem, VerifyRequest, VerifyResponse
from api.wiring import Backend
from domain.errors import InvalidInputError
from norms.levels import Level


def verify(backend: Backend, body: Any) -> Reply:
    """Up to 1000 questions "was KvK at least level L on day D?"; each result keeps the index of
    its question, and a question that cannot be asked (a bad or unknown field) gets its own
    error while the others are answered. A body that is not such a list is refused (422)."""
    items = VerifyRequest.model_validate(body).items
    return Reply({"results": [_result(backend, index, item) for index, item in enumerate(items)]})


def _result(backend: Backend, index: int, item: Any) -> dict[str, Any]:
    """The answer to one question, or its refusal."""
    try:
        question = VerifyItem.model_validate(item)
        position = backend.queries.position(question.kvk, question.on)
    except ValidationError as exc:
        errors = [
            {"field": ".".join(["items", str(index), *map(str, e["loc"])]), "message": e["msg"]}
            for e in exc.errors()
        ]
        return _refused(index, errors)
    except InvalidInputError as exc:
        name, _, message = str(exc).partition(": ")
        return _refused(index, [{"field": f"items.{index}.{name}", "message": message}])
    level = position.level
    ok = position.in_force and level is not None and level.at_least(Level(question.min_level))
    return {
        "index": index, "kvk": question.kvk, "on": question.on, "min_level": question.min_level,
        "ok": ok, "status": position.standing.value, "level": level.value if level else None,
        "certificate": certificate_on_day(position.certificate),
    }  # fmt: skip


def _refused(index: int, errors: list[dict[str, str]]) -> dict[str, Any]:
    detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors)
    problem = {
        "type": PROBLEM_BASE + "invalid-input",
        "title": "Invalid input",
        "status": 422,
        "detail": detail,
        "errors": errors,
    }
    return {"index": index, "error": problem}


OPERATIONS = [
    Operation(
        "/api/v1/verify",
        verify,
        NoQuestion,
        VerifyResponse,
        method="POST",
        body=VerifyRequest,
        example=examples.VERIFY_RESPONSE,
        body_example=examples.VERIFY_REQUEST,
    ),
]
