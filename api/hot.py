"""The hot public reads, answered on a fast path: plain ASGI endpoints behind the same middleware
as every route (request id and log line, CORS, rate limit), without FastAPI's own layers, with
answers cached as bytes until the read models move on. FastAPI's routes of the same paths stay for
the OpenAPI page; requests reach them only when the fast path does not take them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import OrderedDict
from collections.abc import Callable, Sequence
from threading import Lock
from typing import Any
from urllib.parse import parse_qs

from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.errors import ServerErrorMiddleware
from starlette.routing import Route, Router
from starlette.types import ASGIApp, Receive, Scope, Send

from api.documents import position_document, public_certificate
from api.http import cache_control, dumps, etag_of, settled
from api.problems import problem, unexpected
from api.schemas import parse_day
from domain.bounds import asked, query_day
from domain.clock import business_date
from domain.errors import InvalidInputError
from domain.values import CERTIFICATE_NUMBER
from norms.declaration import KVK_NUMBER
from projections.database import is_postgres

HOT = re.compile(r"/api/v1/(certificates/[^/]+|organisations/[^/]+/position)")
MAX_ENTRIES = 50_000
Answer = tuple[bytes, bytes, bool]  # body, ETag, immutable


#: what a cached answer was computed at: the read models' log position and the business date
#: (an answer cached on 31 December is never served on 1 January: statuses are "on today")
Moment = tuple[int, dt.date]


class AnswerCache:
    """Serialised answers keyed by path and query, valid while the read models stand still and
    the business date stays the same."""

    def __init__(self) -> None:
        self.entries: OrderedDict[str, Answer] = OrderedDict()
        self.position: Moment = (-1, dt.date.min)
        self.lock = Lock()

    def get(self, key: str, position: Moment) -> Answer | None:
        """A cached answer, or None (everything is dropped when the position or day moved)."""
        with self.lock:
            if position != self.position:
                self.entries.clear()
                self.position = position
                return None
            return self.entries.get(key)

    def put(self, key: str, position: Moment, answer: Answer) -> None:
        """Remember an answer computed at a position."""
        with self.lock:
            if position == self.position:
                self.entries[key] = answer
                if len(self.entries) > MAX_ENTRIES:
                    self.entries.popitem(last=False)


async def _answer(scope: Scope, send: Send, answer: Answer, now: dt.datetime) -> None:
    body, etag, immutable = answer
    control = cache_control(immutable=immutable, now=now)
    headers = [(b"etag", etag), (b"cache-control", control.encode())]
    if any(name == b"if-none-match" and etag in value for name, value in scope["headers"]):
        await send({"type": "http.response.start", "status": 304, "headers": headers})
        await send({"type": "http.response.body", "body": b""})
        return
    headers += [(b"content-type", b"application/json"), (b"content-length", b"%d" % len(body))]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def _cached(scope: Scope, send: Send, compute: Callable[[Any], tuple[Any, bool]]) -> bool:
    """Answer from the cache or compute (in the thread pool); False when there is nothing."""
    app = scope["app"]
    backend = app.state.backend
    cache: AnswerCache = app.state.answers
    key = scope["path"] + "?" + scope["query_string"].decode("latin-1")
    now = backend.register.clock.now()
    position = (backend.runner.observed, business_date(now))  # the day, as queries.today()
    answer = cache.get(key, position)
    if answer is None:
        if is_postgres(backend.reader):
            value, immutable = await run_in_threadpool(compute, backend)
        else:
            # a local SQLite read takes a fraction of a millisecond and never waits for a writer
            # (WAL); handing it to a thread costs more than the query itself (bench/README.md)
            value, immutable = compute(backend)
        if value is None:
            return False
        body = dumps(value)
        answer = (body, etag_of(body).encode(), immutable)
        cache.put(key, position, answer)
    await _answer(scope, send, answer, now)
    return True


async def certificate(scope: Scope, receive: Receive, send: Send) -> None:
    """GET /api/v1/certificates/{number}, cached."""
    number = scope["path_params"]["number"]
    query = scope["query_string"]
    params = {k: v[-1] for k, v in parse_qs(query.decode("latin-1")).items()} if query else {}
    errors: list[dict[str, str]] = []
    if not CERTIFICATE_NUMBER.fullmatch(number):
        errors.append({"field": "path.number", "message": f"not a certificate number {number!r}"})
    on = _parse(params.get("on"), parse_day, "query.on", errors)
    if on is not None and not errors:
        try:
            query_day(on, "on")
        except InvalidInputError as exc:
            errors.append({"field": "query.on", "message": str(exc).partition(": ")[2]})
    if errors:
        detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors)
        response = problem(422, "invalid-input", "Invalid input", detail, errors=errors)
        await response(scope, receive, send)
        return

    def compute(backend: Any) -> tuple[Any, bool]:
        row = backend.queries.certificate(number, on)
        return (public_certificate(row) if row else None), False

    if not await _cached(scope, send, compute):
        detail = f"certificate {number} is not in the register"
        await problem(404, "not-found", "Not found", detail)(scope, receive, send)


async def position(scope: Scope, receive: Receive, send: Send) -> None:
    """GET /api/v1/organisations/{kvk}/position, cached."""
    kvk = scope["path_params"]["kvk"]
    params = {k: v[-1] for k, v in parse_qs(scope["query_string"].decode("latin-1")).items()}
    errors: list[dict[str, str]] = []
    if not KVK_NUMBER.fullmatch(kvk):
        errors.append({"field": "path.kvk", "message": "a KvK number has exactly 8 digits"})
    on = _parse(params.get("on"), parse_day, "query.on", errors, required=True)
    known = _parse(
        params.get("as_known_at"), dt.datetime.fromisoformat, "query.as_known_at", errors
    )
    if on is not None and not errors:
        try:
            on, known = asked(on, known)
        except InvalidInputError as exc:
            field, _, message = str(exc).partition(": ")
            errors.append({"field": f"query.{field}", "message": message})
    if errors or on is None:
        detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors)
        response = problem(422, "invalid-input", "Invalid input", detail, errors=errors)
        await response(scope, receive, send)
        return

    def compute(backend: Any) -> tuple[Any, bool]:
        found = backend.queries.position(kvk, on, known)
        immutable = settled(known, backend.register.clock.now())
        return position_document(kvk, found, known), immutable

    await _cached(scope, send, compute)


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


class Plain:
    """An endpoint Starlette calls as an ASGI app (no Request or Response objects in between)."""

    def __init__(self, endpoint: ASGIApp) -> None:
        self.endpoint = endpoint

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Call the endpoint."""
        await self.endpoint(scope, receive, send)


ROUTES = [
    Route("/api/v1/certificates/{number}", Plain(certificate), methods=["GET"]),
    Route("/api/v1/organisations/{kvk}/position", Plain(position), methods=["GET"]),
]


def is_hot(scope: Scope) -> bool:
    """True for the requests the fast path answers."""
    return scope["method"] in ("GET", "HEAD") and HOT.fullmatch(scope["path"]) is not None


def fast_path(middleware: Sequence[Middleware]) -> ASGIApp:
    """The hot endpoints wrapped in the application's own middleware, outermost first."""
    app: ASGIApp = Router(routes=ROUTES)
    for cls, args, kwargs in reversed(middleware):
        app = cls(app, *args, **kwargs)
    return ServerErrorMiddleware(app, handler=unexpected)
