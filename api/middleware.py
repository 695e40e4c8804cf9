"""HTTP conventions applied to every request: request id and one log line, body size limit,
rate limit per client on public reads.
"""

from __future__ import annotations

import math
import time
import uuid
from collections.abc import Awaitable, Callable
from threading import Lock

import structlog
from fastapi import Request, Response
from starlette.middleware.base import BaseHTTPMiddleware
from starlette.types import ASGIApp

from api.problems import problem

log = structlog.get_logger("api.request")
Next = Callable[[Request], Awaitable[Response]]


class RequestContext(BaseHTTPMiddleware):
    """A request id (from ``X-Request-ID`` or new) in the response and in every log line."""

    async def dispatch(self, request: Request, call_next: Next) -> Response:
        """Bind the id, time the request, log one canonical line."""
        request_id = request.headers.get("x-request-id") or str(uuid.uuid4())
        structlog.contextvars.bind_contextvars(request_id=request_id)
        request.state.request_id = request_id
        started = time.perf_counter()
        try:
            response = await call_next(request)
        finally:
            structlog.contextvars.unbind_contextvars("request_id")
        response.headers["X-Request-ID"] = request_id
        log.info(
            "request",
            request_id=request_id,
            method=request.method,
            path=request.url.path,
            status=response.status_code,
            duration_ms=round((time.perf_counter() - started) * 1000, 2),
            actor=getattr(request.state, "actor", None),
        )
        return response


class BodyLimit(BaseHTTPMiddleware):
    """Refuse request bodies above a size (413) before reading them."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        super().__init__(app)
        self.max_bytes = max_bytes

    async def dispatch(self, request: Request, call_next: Next) -> Response:
        """Check Content-Length."""
        length = request.headers.get("content-length")
        if length is not None and length.isdigit() and int(length) > self.max_bytes:
            detail = f"request body of {length} bytes exceeds {self.max_bytes}"
            return problem(413, "too-large", "Request body too large", detail)
        return await call_next(request)


class RateLimit(BaseHTTPMiddleware):
    """A token bucket per client address on public routes; 429 with Retry-After when empty."""

    def __init__(self, app: ASGIApp, per_minute: int) -> None:
        super().__init__(app)
        self.per_minute = per_minute
        self.buckets: dict[str, tuple[float, float]] = {}
        self.lock = Lock()

    async def dispatch(self, request: Request, call_next: Next) -> Response:
        """Spend one token, or refuse."""
        path = request.url.path
        if self.per_minute <= 0 or not path.startswith("/api/v1") or "/staff" in path:
            return await call_next(request)
        client = request.client.host if request.client else "unknown"
        wait = self._spend(client)
        if wait > 0:
            return problem(
                429,
                "rate-limited",
                "Too many requests",
                f"at most {self.per_minute} requests per minute per client",
                headers={"Retry-After": str(math.ceil(wait))},
            )
        return await call_next(request)

    def _spend(self, client: str) -> float:
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
