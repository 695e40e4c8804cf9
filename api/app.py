"""The FastAPI application: one place that wires routers, handlers and state together."""

from __future__ import annotations

from fastapi import FastAPI

from api.lifecycle import running
from api.problems import install_problem_handlers
from api.routes import health, norms
from api.settings import Settings
from norms.bundled import bundled_catalogue


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the HTTP application for the given settings."""
    app = FastAPI(
        title="PSO register",
        version="1",
        summary="The register of the Prestatieladder Socialer Ondernemen (PSO).",
        lifespan=running,
    )
    app.state.settings = settings or Settings.from_env()
    app.state.catalogue = bundled_catalogue()
    install_problem_handlers(app)
    app.include_router(health.router)
    app.include_router(norms.router)
    return app
