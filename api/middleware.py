"""HTTP conventions applied to every request, as plain ASGI middleware (no per-request task or
stream overhead): request id and one log line, rate limit per client on public reads (the body
limits are in api/bodies.py).
"""

from __future__ import annotations

import itertools
import logging
import math
import time
import uuid
from threading import Lock

import structlog
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


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope["headers"]:
        if key == name:
            return str(value.decode("latin-1"))
    return None


class RequestContext:
    """A request id (from ``X-Request-ID`` or new) in the response and in every log line."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Bind the id, time the request, log one canonical line."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = _header(scope, b"x-request-id") or next_request_id()
        state = scope.setdefault("state", {})
        state["request_id"] = request_id
        status = 500
        started = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [
                    *message.get("headers", []),
                    (b"x-request-id", request_id.encode("latin-1")),
                ]
            await send(message)

        structlog.contextvars.bind_contextvars(request_id=request_id)
        try:
            await self.app(scope, receive, send_with_id)
        finally:
            if log_requests.isEnabledFor(logging.INFO):
                log.info(
                    "request",
                    method=scope["method"],
                    path=scope["path"],
                    status=status,
                    duration_ms=round((time.perf_counter() - started) * 1000, 2),
                    actor=state.get("actor"),
                )
            structlog.contextvars.unbind_contextvars("request_id")


class TokenBuckets:
    """A token bucket per client address, refilled at ``per_minute`` (0 = no limit). One instance
    is shared by every stack the middleware appears in (FastAPI's and the fast path's)."""

    def __init__(self, per_minute: int) -> None:
        self.per_minute = per_minute
        self.buckets: dict[str, tuple[float, float]] = {}
        self.lock = Lock()

    def spend(self, client: str) -> float:
        """Take a token; 0.0, or the seconds to wait when the bucket is empty."""
        rate = self.per_minute / 60.0
        now = time.monotonic()
        with self.lock:
            tokens, last = self.buckets.get(client, (float(self.per_minute), now))
            tokens = min(float(self.per_minute), tokens + (now - last) * rate)
            if tokens < 1:
                self.buckets[client] = (tokens, now)
                return (1 - tokens) / rate
            self.buckets[client] = (tokens - 1, now)
            return 0.0


class RateLimit:
    """The per-client rate limit on public routes; 429 with Retry-After when the bucket is empty."""

    def __init__(self, app: ASGIApp, buckets: TokenBuckets) -> None:
        self.app = app
        self.buckets = buckets

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Spend one token, or refuse."""
        path = scope.get("path", "")
        limited = scope["type"] == "http" and path.startswith("/api/v1") and "/staff" not in path
        if self.buckets.per_minute <= 0 or not limited:
            await self.app(scope, receive, send)
            return
        client = scope["client"][0] if scope.get("client") else "unknown"
        wait = self.buckets.spend(client)
        if wait > 0:
            response = problem(
                429,
                "rate-limited",
                "Too many requests",
                f"at most {self.buckets.per_minute} requests per minute per client",
                headers={"Retry-After": str(math.ceil(wait))},
            )
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)
