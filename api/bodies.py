"""Request bodies bounded before any route sees them: the bytes actually received are counted
(with or without Content-Length, so a chunked upload cannot grow past the limit), and a JSON body
nested deeper than the register's documents ever are is refused before it is parsed.
"""

from __future__ import annotations

import re
from itertools import accumulate

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.problems import problem

#: the deepest document the register takes (a handbook version) is 4 levels deep, a submission 5
MAX_JSON_DEPTH = 32
#: a JSON string (possessive and unrolled, so scanning is linear; an unterminated one runs to the
#: end, which leaves an invalid body for the JSON parser to refuse)
_STRING = re.compile(rb'"[^"\\]*+(?:\\.[^"\\]*+)*+"?', re.DOTALL)
_NOT_BRACKETS = bytes(sorted(set(range(256)) - set(b"[]{}")))
_STEP = {ord("["): 1, ord("{"): 1, ord("]"): -1, ord("}"): -1}


def nesting_depth(body: bytes | bytearray) -> int:
    """How deep the arrays and objects of a JSON text nest, without parsing it (linear time)."""
    brackets = _STRING.sub(b"", body).translate(None, _NOT_BRACKETS)
    return max(accumulate(map(_STEP.__getitem__, brackets)), default=0)


def _headers(scope: Scope) -> dict[bytes, bytes]:
    return {key.lower(): value for key, value in scope["headers"]}


def _is_json(content_type: bytes | None) -> bool:
    """FastAPI parses a body as JSON when it has no content type or a JSON one."""
    if not content_type:
        return True
    media = content_type.split(b";", 1)[0].strip().lower()
    return media == b"application/json" or (
        media.startswith(b"application/") and media.endswith(b"+json")
    )


#: methods whose body no route reads (passed through untouched: the hot reads stay lean)
BODILESS = frozenset({"GET", "HEAD", "OPTIONS"})


class BoundedBody:
    """Read a request body up to ``max_bytes`` (413 beyond, as soon as the count passes it) and
    refuse JSON nested deeper than ``max_depth`` (422); the route then reads the body as sent."""

    def __init__(self, app: ASGIApp, max_bytes: int, max_depth: int = MAX_JSON_DEPTH) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.max_depth = max_depth

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Buffer the body (bounded), check it, replay it to the application."""
        if scope["type"] != "http" or scope["method"] in BODILESS:
            await self.app(scope, receive, send)  # no route reads a body of these
            return
        headers = _headers(scope)
        length = headers.get(b"content-length")
        if length is None and b"transfer-encoding" not in headers:
            await self.app(scope, receive, send)  # no body (HTTP/1.1 framing)
            return
        if length is not None and length.isdigit() and int(length) > self.max_bytes:
            await self._too_large(scope, receive, send, f"of {int(length)} bytes")
            return
        body = bytearray()
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return  # the client went away; nobody is left to answer
            chunk = message.get("body", b"")
            if len(body) + len(chunk) > self.max_bytes:
                await self._too_large(scope, receive, send, f"of more than {len(body)} bytes")
                return
            body += chunk
            more = message.get("more_body", False)
        if _is_json(headers.get(b"content-type")):
            depth = nesting_depth(body)
            if depth > self.max_depth:
                message_text = f"JSON nested {depth} levels deep; at most {self.max_depth} allowed"
                response = problem(
                    422,
                    "invalid-input",
                    "Invalid input",
                    f"body: {message_text}",
                    errors=[{"field": "body", "message": message_text}],
                )
                await response(scope, receive, send)
                return
        await self.app(scope, _replay(bytes(body), receive), send)

    async def _too_large(self, scope: Scope, receive: Receive, send: Send, size: str) -> None:
        # the rest of the body is still on its way: close the connection rather than read it
        detail = f"request body {size} exceeds {self.max_bytes}"
        response = problem(
            413, "too-large", "Request body too large", detail, headers={"Connection": "close"}
        )
        await response(scope, receive, send)


def _replay(body: bytes, receive: Receive) -> Receive:
    """A ``receive`` that hands over the whole body at once, then waits for the disconnect."""
    pending = True

    async def replay() -> Message:
        nonlocal pending
        if pending:
            pending = False
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay
