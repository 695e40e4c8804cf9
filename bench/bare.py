"""The baseline of the HTTP benchmarks: a bare Starlette app returning a constant JSON body."""

from __future__ import annotations

import os

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

BODY = os.environ.get("PSO_BENCH_BODY", '{"ok":true}').encode()


async def constant(_: Request) -> Response:
    """The same bytes for every path."""
    return Response(BODY, media_type="application/json")


app = Starlette(routes=[Route("/{path:path}", constant)])
