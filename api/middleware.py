"""The API's conventions on every request, in one plain ASGI layer with one send wrapper (each
layer more cost microseconds on the hot reads; bench/README.md): request id and one log line,
CORS, the rate limit per client on public routes with its ``RateLimit-*`` headers, and HEAD as a
GET without its body (the body limits are in api/bodies.py).
"""

from __future__ import annotations

import itertools
import logging
import math
import time
import uuid
from threading import Lock

import structlog
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.problems import problem

log = structlog.get_logger("api.request")
log_requests = logging.getLogger("api.request")
#: request ids: unique per process start, then counted (os.urandom per request costs ~10 us here)
_ID_PREFIX = uuid.uuid4().hex[:12]
_ID_COUNTER = itertools.count(1)


def next_request_id() -> str:
    """A new request id, unique across processes and restarts."""
    return f"{_ID_PREFIX}-{next(_ID_COUNTER):08x}"


class TokenBuckets:
    """A token bucket per client address, refilled at ``per_minute`` (0 = no limit)."""

    def __init__(self, per_minute: int) -> None:
        self.per_minute = per_minute
        self.buckets: dict[str, tuple[float, float]] = {}
        self.lock = Lock()

    def spend(self, client: str) -> tuple[float, float]:
        """Take a token: the tokens left, and 0.0 or the seconds to wait when none was left."""
        rate = self.per_minute / 60.0
        now = time.monotonic()
        with self.lock:
            tokens, last = self.buckets.get(client, (float(self.per_minute), now))
            tokens = min(float(self.per_minute), tokens + (now - last) * rate)
            if tokens < 1:
                self.buckets[client] = (tokens, now)
                return tokens, (1 - tokens) / rate
            self.buckets[client] = (tokens - 1, now)
            return tokens - 1, 0.0

    def full_in(self, tokens: float) -> int:
        """Whole seconds until a bucket holding ``tokens`` is full again."""
        return math.ceil((self.per_minute - tokens) * 60.0 / self.per_minute)


def too_many_page(scope: Scope, seconds: str) -> ASGIApp:
    """The 429 page of a refused page request, in the language of the request."""
    from api.pages.rendering import error_page  # noqa: PLC0415 (pages import this module)

    return error_page(Request(scope), 429, retry_after=seconds)


def _header(scope: Scope, name: bytes) -> bytes | None:
    for key, value in scope["headers"]:
        if key == name:
            return bytes(value)
    return None


#: the public pages (rate limited like the public API; their style sheets and the back office
#: are not): the search, organisation, certificate, list check, self-assessment, open data and
#: statement pages
PAGES = ("/o/", "/c/", "/controle", "/meetlat", "/open-data", "/verklaring")


def is_public(path: str) -> bool:
    """The public API (rate limited): under /api/v1, outside /api/v1/staff."""
    return path.startswith("/api/v1") and not path.startswith("/api/v1/staff")


def is_page(path: str) -> bool:
    """A public page (rate limited too; answered with a page when refused)."""
    return path == "/" or path.startswith(PAGES)


class Conventions:
    """Request id (``X-Request-ID`` as sent, or new) in the response and every log line, and one
    canonical log line per request; CORS: any origin may read every answer, so each carries
    ``Access-Control-Allow-Origin: *`` (the same for every request: nothing to ``Vary`` on) and
    preflight requests are answered by Starlette's ``CORSMiddleware``; the per-client rate limit
    on public routes, told in ``RateLimit-Limit``, ``RateLimit-Remaining`` and ``RateLimit-Reset``
    (IETF draft; seconds until the quota is full), 429 with ``Retry-After`` when the bucket is
    empty; HEAD answered as the GET of the same URL without its body (the scope then says
    ``"head": True``, so a download skips its rows)."""

    def __init__(self, app: ASGIApp, buckets: TokenBuckets) -> None:
        self.app = app
        self.buckets = buckets
        self.limit = str(buckets.per_minute).encode()
        self.cors = [
            (b"access-control-allow-origin", b"*"),
            # every header may be read (ETag, Link, RateLimit-*, X-Request-ID...): the wildcard
            # holds for requests without cookies, and each header of an answer costs (bench/)
            (b"access-control-expose-headers", b"*"),
        ]
        self.preflight = CORSMiddleware(
            app, allow_origins=["*"], allow_methods=["GET", "HEAD", "POST"], allow_headers=["*"]
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Bind the id, spend a token, answer, log one line."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        sent_id = _header(scope, b"x-request-id")
        request_id = sent_id.decode("latin-1") if sent_id else next_request_id()
        state = scope.setdefault("state", {})
        state["request_id"] = request_id
        extra = [*self.cors, (b"x-request-id", request_id.encode("latin-1"))]
        method = scope["method"]
        app = self.app
        if method == "OPTIONS" and _header(scope, b"access-control-request-method"):
            app = self.preflight
        elif self.buckets.per_minute > 0 and (is_public(scope["path"]) or is_page(scope["path"])):
            refused = self._spend(scope, extra)
            if refused is not None:
                app = refused
        head = method == "HEAD"
        if head:
            scope = {**scope, "method": "GET", "head": True}
        status = 500
        started = time.perf_counter()

        async def send_with_conventions(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", ()), *extra]
            elif head and message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        structlog.contextvars.bind_contextvars(request_id=request_id)
        try:
            await app(scope, receive, send_with_conventions)
        finally:
            if log_requests.isEnabledFor(logging.INFO):
                log.info(
                    "request",
                    method=method,
                    path=scope["path"],
                    status=status,
                    duration_ms=round((time.perf_counter() - started) * 1000, 2),
                    actor=state.get("actor"),
                )
            structlog.contextvars.unbind_contextvars("request_id")

    def _spend(self, scope: Scope, extra: list[tuple[bytes, bytes]]) -> ASGIApp | None:
        """Take the client's token and add the quota to the headers; the 429 when none is left."""
        client = scope["client"][0] if scope.get("client") else "unknown"
        left, wait = self.buckets.spend(client)
        if wait > 0:
            seconds = str(math.ceil(wait))
            extra += [(b"ratelimit-limit", self.limit), (b"ratelimit-remaining", b"0"),
                      (b"ratelimit-reset", seconds.encode())]  # fmt: skip
            if is_page(scope["path"]):
                return too_many_page(scope, seconds)
            return problem(
                429,
                "rate-limited",
                "Too many requests",
                f"at most {self.buckets.per_minute} requests per minute per client",
                headers={"Retry-After": seconds},
            )
        extra += [(b"ratelimit-limit", self.limit), (b"ratelimit-remaining", b"%d" % left),
                  (b"ratelimit-reset", b"%d" % self.buckets.full_in(left))]  # fmt: skip
        return None
