"""Read-your-writes after a staff command, and the ``PSO-Read-Models`` header that says whether
the read models followed: ``current``, or ``lagging`` (with ``failed="<name>_v<version> ..."``
naming the read models stopped at an event they could not apply).

A command answers once every read model that has not failed reached the command's own log
position: the request waits (bounded) on the tracking positions, the runner (this process's
thread, or the leader's on PostgreSQL) applies the events; nothing is projected in the request
thread. When the runner does not get there in time the answer is 503 with ``Retry-After``: the
events are saved, and a retry under the same ``Idempotency-Key`` answers the saved result. A read
model that has *failed* never turns a saved command into an error: the header names it and the
answer is the command's result.
"""

from __future__ import annotations

import structlog
from fastapi import Request
from sqlalchemy.exc import SQLAlchemyError
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.problems import ReadModelsBehindError
from api.wiring import Backend

log = structlog.get_logger(__name__)
HEADER = "PSO-Read-Models"
WAIT = 5.0  # seconds a command waits for the runner to apply its events


def follow(
    request: Request, backend: Backend, position: int | None, wait: float | None = None
) -> None:
    """Wait (bounded) until the read models reached ``position`` (the command's last event;
    None: what the log holds now, e.g. for a repeated request), and note the outcome for the
    response header; ``ReadModelsBehindError`` when they did not get there in time."""
    runner = backend.runner
    wait = WAIT if wait is None else wait
    try:
        target = runner.head() if position is None else position
        current = runner.wait_for(target, timeout=wait)
        failed = [f.label for f in runner.failures()]
    except SQLAlchemyError as exc:  # the command is saved; the header tells reads may lag
        log.error("read_models_not_followed", error=str(exc))
        current, failed = False, []
        request.state.read_models = "lagging"
        return
    if failed:
        request.state.read_models = f'lagging; failed="{" ".join(failed)}"'
    elif current:
        request.state.read_models = "current"
    else:
        request.state.read_models = "lagging"
        log.warning("read_models_behind", position=target, waited=wait)
        msg = (
            f"the change is saved, but the read models did not reach it within {wait:g} s; "
            "retry with the same Idempotency-Key for its answer, or read again shortly"
        )
        raise ReadModelsBehindError(msg)


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
