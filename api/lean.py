"""Lean routes for the public answers: plain ASGI endpoints in the application's one router, behind
its one middleware stack, without FastAPI's per-request dependency and serialisation layers.

An ``Operation`` names the one function that answers a question and the models that describe it;
``PublicRoute`` serves it (validation, cache, ETag, HEAD, ``Link``) and ``api.openapi`` documents
it from the same models, so what is served and what is documented cannot drift apart.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar
from urllib.parse import parse_qsl, urlencode

from pydantic import BaseModel, ConfigDict, ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.responses import StreamingResponse
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from api.answers import Answer, AnswerCache, Download, Reply, current, send_answer
from api.http import cache_control, etag_of
from api.problems import invalid
from api.wiring import Backend
from domain.clock import business_date
from domain.errors import InvalidInputError
from projections.database import is_postgres

#: answers at least this large are compressed for clients that accept gzip
GZIP_MINIMUM = 1024


class Question(BaseModel):
    """The parameters of a public question; any parameter not named here is refused (422)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    #: the fields taken from the path (the others come from the query string)
    PATH: ClassVar[frozenset[str]] = frozenset()


@dataclass(frozen=True)
class Operation:
    """One public answer as the API serves it: the function that answers it, the question it
    takes and the schemas that document it."""

    path: str
    answer: Callable[[Backend, Any], Reply]
    question: type[Question]
    response: type[BaseModel] | None = None
    method: str = "GET"
    #: the documented request body (the answer function gets the JSON as sent, and validates it)
    body: type[BaseModel] | None = None
    #: an indexed read of a fraction of a millisecond: on SQLite answered on the event loop (WAL
    #: readers never wait for the writer; handing it to a thread costs more than the query)
    quick: bool = False
    #: when a 404 is possible: what it means, and the problem document it is (for the page)
    not_found: str | None = None
    missing: dict[str, Any] | None = None
    #: the media type of a download (an export), else JSON
    media_type: str = "application/json"
    gzip: bool = False
    paged: bool = False
    #: the answer is a list of ``response`` documents
    listed: bool = False
    #: the answer is a function of the read models' position and the business date alone, so it
    #: is kept in the answer cache (the change feed also moves with the clock after midnight;
    #: the scheme catalogue is read from the event store, not from the read models)
    cached: bool = True
    tag: str = "public"
    #: a worked answer (and request body) as the OpenAPI page shows it (``api.examples``)
    example: Any = None
    body_example: Any = None

    @property
    def name(self) -> str:
        """The operation id: the answer function's name."""
        return self.answer.__name__

    @property
    def doc(self) -> str:
        """The answer function's docstring (the operation's description)."""
        return " ".join((self.answer.__doc__ or "").split())


class PublicRoute(Route):
    """A route serving an ``Operation``; gzip where the answers may be large."""

    def __init__(self, operation: Operation) -> None:
        middleware = [Middleware(GZipMiddleware, minimum_size=GZIP_MINIMUM)]
        super().__init__(
            operation.path,
            Endpoint(operation),
            methods=[operation.method],
            name=operation.name,
            middleware=middleware if operation.gzip else None,
        )
        self.operation = operation


class Endpoint:
    """The ASGI endpoint of an operation: cached answer, or validate, answer and cache."""

    def __init__(self, operation: Operation) -> None:
        self.operation = operation
        self.cached = operation.method == "GET" and operation.cached

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Answer from the cache when the same question was answered at this moment."""
        backend: Backend = scope["app"].state.backend
        now = backend.register.clock.now()
        moment = (backend.runner.observed, business_date(now))
        key = scope["path"] + "?" + scope["query_string"].decode("latin-1")
        cache: AnswerCache = scope["app"].state.answers
        if self.cached:
            found = cache.get(key, moment)
            if found is not None:
                await send_answer(scope["headers"], send, found, now)
                return
        try:
            asked = await self._asked(scope, receive)
            if self.operation.quick and not is_postgres(backend.reader):
                reply = self.operation.answer(backend, asked)
            else:
                reply = await run_in_threadpool(self.operation.answer, backend, asked)
        except ValidationError as exc:
            await invalid(self._fields(exc))(scope, receive, send)
            return
        except InvalidInputError as exc:
            await invalid([self._field_of(exc)])(scope, receive, send)
            return
        if isinstance(reply.value, Download):
            etag = etag_of(repr((moment, key)).encode()).encode()
            await self._download(scope, receive, send, reply.value, etag, now)
            return
        headers = [] if reply.next_page is None else [(b"link", self._next(scope, reply))]
        answer = Answer.of(reply.value, immutable=reply.immutable, headers=headers)
        if self.cached:
            cache.put(key, moment, answer)
        await send_answer(scope["headers"], send, answer, now)

    async def _asked(self, scope: Scope, receive: Receive) -> Any:
        """The validated question; for a POST (no query parameters) the JSON body as sent."""
        query = scope["query_string"].decode("latin-1")
        params: dict[str, Any] = dict(parse_qsl(query, keep_blank_values=True))
        params.update(scope.get("path_params", {}))
        asked = self.operation.question.model_validate(params)
        if self.operation.method == "GET":
            return asked
        raw = await Request(scope, receive).body()
        try:
            return json.loads(raw)
        except ValueError as exc:
            message = f"not a JSON document ({exc})"
            raise InvalidInputError(f"body: {message}") from exc

    def _fields(self, exc: ValidationError) -> list[dict[str, str]]:
        """Each error with the field it concerns (``path.kvk``, ``query.on``, ``items.0.on``)."""
        errors = []
        for error in exc.errors():
            loc = [str(part) for part in error["loc"]]
            if exc.title == self.operation.question.__name__ and loc:
                where = "path" if loc[0] in self.operation.question.PATH else "query"
                loc = [where, *loc]
            message = error["msg"]
            if error["type"] == "extra_forbidden":
                message = "unknown parameter: this question takes " + self._known()
            errors.append({"field": ".".join(loc), "message": message})
        return errors

    def _known(self) -> str:
        fields = self.operation.question.model_fields
        names = [f.alias or name for name, f in fields.items()]
        return ", ".join(names) if names else "no parameters"

    def _field_of(self, exc: InvalidInputError) -> dict[str, str]:
        """A domain refusal ``name: why`` with the name placed (``query.on``)."""
        name, _, message = str(exc).partition(": ")
        question = self.operation.question
        aliases = {f.alias or n for n, f in question.model_fields.items()}
        if name in aliases:
            name = ("path." if name in question.PATH else "query.") + name
        return {"field": name, "message": message or str(exc)}

    def _next(self, scope: Scope, reply: Reply) -> bytes:
        """The ``Link`` to the next page: this request with the page's parameters replaced."""
        params = dict(parse_qsl(scope["query_string"].decode("latin-1"), keep_blank_values=True))
        params.update(reply.next_page or {})
        return f'<{scope["path"]}?{urlencode(params)}>; rel="next"'.encode("latin-1")

    async def _download(
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        download: Download,
        etag: bytes,
        now: dt.datetime,
    ) -> None:
        """Stream an export (none when the client has it, or asked with HEAD)."""
        headers = {
            "ETag": etag.decode(),
            "Cache-Control": cache_control(immutable=False, now=now),
            "Content-Disposition": f'attachment; filename="{download.filename}"',
        }
        if current(scope["headers"], etag) or scope.get("head"):
            status = 304 if current(scope["headers"], etag) else 200
            start = [(k.lower().encode(), v.encode()) for k, v in headers.items()]
            start.append((b"content-type", download.media_type.encode()))
            await send({"type": "http.response.start", "status": status, "headers": start})
            await send({"type": "http.response.body", "body": b""})
            return
        response = StreamingResponse(
            download.chunks, media_type=download.media_type, headers=headers
        )
        await response(scope, receive, send)
