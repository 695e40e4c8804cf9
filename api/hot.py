"""The hot public reads as plain Starlette endpoints: no dependency machinery, answers cached as
bytes until the read models move on. The FastAPI routes of the same paths stay for validation
errors and the OpenAPI page; these endpoints answer first when the request is well-formed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import OrderedDict
from threading import Lock
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from api.http import IMMUTABLE, SHORT, dumps, etag_of
from api.problems import problem
from api.routes.public import position_document, public_certificate

NUMBER = re.compile(r"PSO-\d{4}-\d{6}")
KVK = re.compile(r"\d{8}")
MAX_ENTRIES = 50_000


class AnswerCache:
    """Serialised answers keyed by path and query, valid while the read models stand still."""

    def __init__(self) -> None:
        self.entries: OrderedDict[str, tuple[bytes, str, bool]] = OrderedDict()
        self.position = -1
        self.lock = Lock()

    def get(self, key: str, position: int) -> tuple[bytes, str, bool] | None:
        """A cached answer, or None (everything is dropped when the position moved)."""
        with self.lock:
            if position != self.position:
                self.entries.clear()
                self.position = position
                return None
            return self.entries.get(key)

    def put(self, key: str, position: int, answer: tuple[bytes, str, bool]) -> None:
        """Remember an answer computed at a position."""
        with self.lock:
            if position == self.position:
                self.entries[key] = answer
                if len(self.entries) > MAX_ENTRIES:
                    self.entries.popitem(last=False)


def _respond(request: Request, answer: tuple[bytes, str, bool]) -> Response:
    body, etag, immutable = answer
    headers = {"ETag": etag, "Cache-Control": IMMUTABLE if immutable else SHORT}
    if etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    return Response(body, media_type="application/json", headers=headers)


async def _cached(request: Request, compute: Any) -> Response | None:
    backend = request.app.state.backend
    cache: AnswerCache = request.app.state.answers
    key = request.url.path + "?" + request.url.query
    position = backend.runner.observed
    answer = cache.get(key, position)
    if answer is None:
        value, immutable = await run_in_threadpool(compute, backend)
        if value is None:
            return None
        body = dumps(value)
        answer = (body, etag_of(body), immutable)
        cache.put(key, position, answer)
    return _respond(request, answer)


async def certificate(request: Request) -> Response:
    """GET /api/v1/certificates/{number}, cached."""
    number = request.path_params["number"]
    if not NUMBER.fullmatch(number):
        detail = f"number: not a certificate number {number!r}"
        return problem(422, "invalid-input", "Invalid input", detail)

    def compute(backend: Any) -> tuple[Any, bool]:
        row = backend.queries.certificate(number)
        return (public_certificate(row) if row else None), False

    answer = await _cached(request, compute)
    if answer is None:
        return problem(
            404, "not-found", "Not found", f"certificate {number} is not in the register"
        )
    return answer


async def position(request: Request) -> Response:
    """GET /api/v1/organisations/{kvk}/position, cached; odd queries go to the FastAPI route."""
    kvk = request.path_params["kvk"]
    params = request.query_params
    errors = []
    if not KVK.fullmatch(kvk):
        errors.append({"field": "path.kvk", "message": "a KvK number has exactly 8 digits"})
    on = _parse(params.get("on"), dt.date.fromisoformat, "query.on", errors, required=True)
    known = _parse(
        params.get("as_known_at"), dt.datetime.fromisoformat, "query.as_known_at", errors
    )
    if errors or on is None:
        detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors)
        return problem(422, "invalid-input", "Invalid input", detail, errors=errors)
    if known is not None and known.tzinfo is None:
        known = known.replace(tzinfo=dt.UTC)

    def compute(backend: Any) -> tuple[Any, bool]:
        found = backend.queries.position(kvk, on, known)
        immutable = known is not None and known < backend.register.clock.now()
        return position_document(kvk, found, known), immutable

    answer = await _cached(request, compute)
    assert answer is not None  # noqa: S101 (a position always has an answer)
    return answer


def _parse(
    value: str | None,
    parse: Any,
    field: str,
    errors: list[dict[str, str]],
    *,
    required: bool = False,
) -> Any:
    if value is None:
        if required:
            errors.append({"field": field, "message": "Field required"})
        return None
    try:
        return parse(value)
    except ValueError:
        errors.append({"field": field, "message": f"not a valid ISO-8601 value: {value!r}"})
        return None


ROUTES = [
    Route("/api/v1/certificates/{number}", certificate, methods=["GET"]),
    Route("/api/v1/organisations/{kvk}/position", position, methods=["GET"]),
]
