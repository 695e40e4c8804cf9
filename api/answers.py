"""What a public answer is on the wire: serialised once, cached by log position and business date,
sent with ETag, Cache-Control, 304 for a current ETag and no body for HEAD.
"""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass
from threading import Lock
from typing import Any

from starlette.types import Send

from api.http import cache_control, dumps, etag_of

MAX_ENTRIES = 50_000
#: what an answer was computed at: the read models' log position and the business date (an answer
#: cached on 31 December is never served on 1 January: statuses are "on today")
Moment = tuple[int, dt.date]
Headers = list[tuple[bytes, bytes]]


@dataclass(frozen=True, slots=True)
class Reply:
    """What an answer function returns: the document, whether it can never change, and the
    query parameters that ask for the next page (``Link: rel="next"``), if there is one."""

    value: Any
    immutable: bool = False
    next_page: dict[str, str] | None = None


@dataclass(frozen=True, slots=True)
class Download:
    """A document streamed rather than cached (the exports): its chunks, type and file name."""

    chunks: Iterator[bytes]
    media_type: str
    filename: str


@dataclass(frozen=True, slots=True)
class Answer:
    """A serialised answer: body, strong ETag, immutability and its own headers (``Link``)."""

    body: bytes
    etag: bytes
    immutable: bool
    headers: tuple[tuple[bytes, bytes], ...] = ()

    @classmethod
    def of(cls, value: Any, *, immutable: bool, headers: Headers | None = None) -> Answer:
        """Serialise a document once (bytes are a document serialised already: a statement,
        sent in its canonical form)."""
        body = value if isinstance(value, bytes) else dumps(value)
        return cls(body, etag_of(body).encode(), immutable, tuple(headers or ()))


class AnswerCache:
    """Serialised answers keyed by path and query, valid while the read models stand still and
    the business date stays the same."""

    def __init__(self) -> None:
        self.entries: OrderedDict[str, Answer] = OrderedDict()
        self.position: Moment = (-1, dt.date.min)
        self.lock = Lock()

    def get(self, key: str, position: Moment) -> Answer | None:
        """A cached answer, or None (everything is dropped when the position or day moved)."""
        with self.lock:
            if position != self.position:
                self.entries.clear()
                self.position = position
                return None
            return self.entries.get(key)

    def put(self, key: str, position: Moment, answer: Answer) -> None:
        """Remember an answer computed at a position."""
        with self.lock:
            if position == self.position:
                self.entries[key] = answer
                if len(self.entries) > MAX_ENTRIES:
                    self.entries.popitem(last=False)


def current(request_headers: Headers, etag: bytes) -> bool:
    """True when ``If-None-Match`` names the ETag (or is ``*``)."""
    for name, value in request_headers:
        if name == b"if-none-match":
            return etag in value or value.strip() == b"*"
    return False


async def send_answer(
    request_headers: Headers, send: Send, answer: Answer, now: dt.datetime
) -> None:
    """Send an answer, or 304 when the client has it."""
    control = cache_control(immutable=answer.immutable, now=now)
    headers = [(b"etag", answer.etag), (b"cache-control", control.encode()), *answer.headers]
    if current(request_headers, answer.etag):
        await send({"type": "http.response.start", "status": 304, "headers": headers})
        await send({"type": "http.response.body", "body": b""})
        return
    body = answer.body
    headers += [(b"content-type", b"application/json"), (b"content-length", b"%d" % len(body))]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": body})
