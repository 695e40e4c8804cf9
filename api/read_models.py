"""Read-your-writes after a staff command, and the ``PSO-Read-Models`` header that says whether
the read models followed: ``current``, or ``lagging`` (with ``failed="<name>_v<version> ..."``
naming the read models stopped at an event they could not apply). A command whose events are
saved answers its normal result either way; only the header tells that reads may not show it yet.
"""

from __future__ import annotations

import structlog
from fastapi import Request
from sqlalchemy.exc import SQLAlchemyError
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.wiring import Backend
from projections.runner import ProjectionFailedError

log = structlog.get_logger(__name__)
HEADER = "PSO-Read-Models"
WAIT = 5.0  # seconds a command waits for the runner thread to apply its events


def follow(request: Request, backend: Backend) -> None:
    """Wait (bounded) until the read models applied what was just saved, and note the outcome
    for the response header. Where the runner thread runs, it is woken and waited for; else
    the batches are applied here."""
    runner = backend.runner
    try:
        if runner.running.is_set():
            current = runner.wait_for(runner.head(), timeout=WAIT)
        else:
            runner.catch_up()
            current = True
        failed = [f.label for f in runner.failures()]
    except (ProjectionFailedError, SQLAlchemyError) as exc:
        log.error("read_models_not_followed", error=str(exc))
        current, failed = False, []
    if current and not failed:
        request.state.read_models = "current"
    elif failed:
        request.state.read_models = f'lagging; failed="{" ".join(failed)}"'
    else:
        request.state.read_models = "lagging"


class ReadModelsHeader:
    """Adds ``PSO-Read-Models`` to the responses of requests that ran a command."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on; add the header when the command noted one."""
        if scope["type"] != "http" or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                value = scope.get("state", {}).get("read_models")
                if value is not None:
                    headers = [
                        *message.get("headers", []),
                        (HEADER.lower().encode(), value.encode()),
                    ]
                    message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, sending)
