"""FastAPI dependencies: the backend this process was started with (``Annotated`` aliases)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from api.wiring import Backend


def get_backend(request: Request) -> Backend:
    """The wired backend of this process (set up in the app's lifespan)."""
    backend: Backend = request.app.state.backend
    return backend


BackendDep = Annotated[Backend, Depends(get_backend)]
