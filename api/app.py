"""The FastAPI application: one place that wires routers, handlers and state together."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.middleware.asyncexitstack import AsyncExitStackMiddleware
from fastapi.routing import APIRoute
from starlette.middleware.errors import ServerErrorMiddleware
from starlette.middleware.exceptions import ExceptionMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

from api.answers import AnswerCache
from api.back_office import ROUTERS as BACK_OFFICE
from api.bodies import BoundedBody
from api.lean import Operation, PublicRoute
from api.lifespan import running
from api.middleware import Conventions, TokenBuckets
from api.openapi import add_operations
from api.pages import ROUTERS as PAGES
from api.pages import assets as page_assets
from api.pages import statement_document
from api.problems import install_problem_handlers, unexpected
from api.read_models import ReadModelsHeader
from api.routes import (
    applications,
    certificates,
    contributions,
    docs,
    health,
    norms,
    objections,
    organisations,
    public,
    statements,
    verify,
    worklist,
)
from api.schemas import VerifyItem, restore_examples
from api.settings import Settings
from domain.clock import Clock

#: every public answer, the hot lookups first (the router tries its routes in order)
OPERATIONS: list[Operation] = [
    *public.OPERATIONS,
    *verify.OPERATIONS,
    *statements.OPERATIONS,
    *norms.OPERATIONS,
]

DESCRIPTION = """
The public register of the Prestatieladder Socialer Ondernemen (PSO): look up certificates and
organisations, ask what an organisation's level was on a day (as known now, or as the register said
it at a past moment), check coverage over a tender period, and verify up to 1000 suppliers at once.

Staff of PSO-Nederland and certifying institutions use `/api/v1/staff/...` with a bearer token
(`pso users create`). Every error is an RFC 9457 problem document with a stable `type`.
"""


def operation_id(route: APIRoute) -> str:
    """A route's operation id: its name (the function's), as the public operations have."""
    return route.name


class RegisterApp(FastAPI):
    """FastAPI with one lean middleware stack for every route, and the lean public operations
    (``api.lean``) in its router and its OpenAPI document."""

    operations: list[Operation]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Requests straight into the middleware stack (FastAPI's native telemetry, unconfigured
        here, looked its settings up in the environment three times a request); lifespan and
        the rest as FastAPI does."""
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        scope["app"] = self
        if self.middleware_stack is None:
            self.middleware_stack = self.build_middleware_stack()
        await self.middleware_stack(scope, receive, send)

    def build_middleware_stack(self) -> ASGIApp:
        """The application's middleware around the router, inside Starlette's error and exception
        handling. FastAPI's telemetry and body-limit layers are left out: the register logs
        each request itself and bounds bodies in ``BoundedBody``."""
        handlers = {k: v for k, v in self.exception_handlers.items() if k not in (500, Exception)}
        app: ASGIApp = ExceptionMiddleware(AsyncExitStackMiddleware(self.router), handlers=handlers)
        for cls, args, kwargs in reversed(self.user_middleware):
            app = cls(app, *args, **kwargs)
        return ServerErrorMiddleware(app, handler=unexpected)

    def openapi(self) -> dict[str, Any]:
        """FastAPI's description of its routes with the public operations added."""
        if self.openapi_schema is None:
            document = super().openapi()
            restore_examples(document)
            add_operations(document, self.operations, refers=[VerifyItem])
        return self.openapi_schema or {}


def create_app(settings: Settings | None = None, clock: Clock | None = None) -> FastAPI:
    """Build the HTTP application for the given settings (and a clock: tests move time)."""
    app = RegisterApp(
        title="PSO register",
        version="1",
        summary="The register of the Prestatieladder Socialer Ondernemen (PSO).",
        lifespan=running,
        generate_unique_id_function=operation_id,
        description=DESCRIPTION,
        docs_url=None,
        redoc_url=None,
    )
    app.operations = OPERATIONS
    app.state.settings = settings or Settings.from_env()
    app.state.clock = clock
    app.state.answers = AnswerCache()
    install_problem_handlers(app)
    buckets = TokenBuckets(app.state.settings.rate_limit_per_minute)
    # outermost last: a rate-limited client is refused before its body is read
    app.add_middleware(ReadModelsHeader)  # staff commands (POST) only
    app.add_middleware(BoundedBody, max_bytes=app.state.settings.max_body_bytes)
    app.add_middleware(Conventions, buckets=buckets)
    app.router.routes[:0] = [PublicRoute(op) for op in OPERATIONS]
    # a statement's PDF first: the lean `/api/v1/statements/{id}` would take `{id}.pdf` too
    app.router.routes[:0] = statement_document.pdf_router.routes
    app.include_router(health.router)
    app.include_router(docs.router)
    app.router.routes.append(docs.assets)
    for staff in (organisations, applications, certificates, objections, contributions,
                  worklist, norms):  # fmt: skip
        app.include_router(staff.router)
    for pages in PAGES:
        app.include_router(pages)
    for screens in BACK_OFFICE:
        app.include_router(screens)
    app.router.routes.append(page_assets)
    app.include_router(statements.router)
    return app
