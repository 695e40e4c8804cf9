"""The FastAPI application: one place that wires routers, handlers and state together."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

from api import hot
from api.bodies import BoundedBody
from api.hot import AnswerCache
from api.lifespan import running
from api.middleware import RateLimit, RequestContext, TokenBuckets
from api.problems import install_problem_handlers
from api.read_models import ReadModelsHeader
from api.routes import health, norms, public, staff_applications, staff_reads, staff_register
from api.schemas import PROBLEM_RESPONSES
from api.settings import Settings
from domain.clock import Clock

DESCRIPTION = """
The public register of the Prestatieladder Socialer Ondernemen (PSO): look up certificates and
organisations, ask what an organisation's level was on a day (as known now, or as the register said
it at a past moment), check coverage over a tender period, and verify up to 1000 suppliers at once.

Staff of PSO-Nederland and certifying institutions use `/api/v1/staff/...` with a bearer token
(`pso users create`). Every error is an RFC 9457 problem document with a stable `type`.
"""


class RegisterApp(FastAPI):
    """FastAPI with a fast path for the hot public reads (see api/hot.py)."""

    fast: ASGIApp | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Hot reads go to the fast path; everything else (and lifespan) through FastAPI."""
        if self.fast is not None and scope["type"] == "http" and hot.is_hot(scope):
            scope["app"] = self
            await self.fast(scope, receive, send)
            return
        await super().__call__(scope, receive, send)


def create_app(settings: Settings | None = None, clock: Clock | None = None) -> FastAPI:
    """Build the HTTP application for the given settings (and a clock: tests move time)."""
    app = RegisterApp(
        title="PSO register",
        version="1",
        summary="The register of the Prestatieladder Socialer Ondernemen (PSO).",
        lifespan=running,
        responses=PROBLEM_RESPONSES,
        description=DESCRIPTION,
    )
    app.state.settings = settings or Settings.from_env()
    app.state.clock = clock
    install_problem_handlers(app)
    buckets = TokenBuckets(app.state.settings.rate_limit_per_minute)
    # outermost last: a rate-limited client is refused before its body is read
    app.add_middleware(BoundedBody, max_bytes=app.state.settings.max_body_bytes)
    app.add_middleware(RateLimit, buckets=buckets)
    app.add_middleware(
        CORSMiddleware,
        allow_origins=["*"],
        allow_methods=["GET", "POST"],
        allow_headers=["*"],
        expose_headers=["ETag", "X-Request-ID", "Retry-After", "PSO-Read-Models"],
    )
    app.add_middleware(RequestContext)
    app.state.answers = AnswerCache()
    app.fast = hot.fast_path(app.user_middleware)
    app.add_middleware(ReadModelsHeader)  # staff commands only: not on the hot public path
    app.include_router(health.router)
    app.include_router(public.router)
    app.include_router(staff_applications.router)
    app.include_router(staff_register.router)
    app.include_router(staff_reads.router)
    app.include_router(norms.router)
    return app
