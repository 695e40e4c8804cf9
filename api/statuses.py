"""The statuses each FastAPI route really answers, declared once per route: the RFC 9457 problems
it can return (each with its meaning and a worked example) and the headers of a staff command.

The public lean operations are documented by ``api.openapi``; this is for the routes FastAPI
describes. A route names only what it can return: 401 and 403 where a token is checked, 404 where
a path (or a body) names something the register may not hold, 409 for a state conflict or a
reused ``Idempotency-Key``, 412 where ``If-Match`` is honoured, 413 and 422 for bodies, 503 where
the database or the read models may keep it waiting. The staff API is not rate limited (only the
public API is: ``api.middleware.is_public``), so no staff route lists 429.
"""

from __future__ import annotations

from typing import Any

from api.problems import PROBLEM_BASE, PROBLEM_JSON
from api.schemas import problem_response

Responses = dict[int | str, dict[str, Any]]

#: what each problem status means on a staff route, unless the route says more
MEANING: dict[int, str] = {
    401: "A bearer token is missing, not valid, revoked or expired (`WWW-Authenticate: Bearer`).",
    403: "The user's role, or an auditor's certifying institution, may not do this.",
    404: "Nothing in the register by that id or number (the detail says what).",
    409: "Not possible in the current state, changed concurrently, or the `Idempotency-Key` was "
    "used for another request.",
    412: "`If-Match` named an ETag the certificate no longer has: it changed since it was read.",
    413: "The request body is larger than `PSO_MAX_BODY_BYTES` (2 MB by default).",
    422: "Invalid input: `errors` names each field and what is wrong with it.",
    429: "Too many requests from this client (public routes); see `Retry-After`.",
    503: "The database could not take the request in time (`database-busy`; nothing was "
    "changed); see `Retry-After`.",
}
#: a command's 503 also covers its events being saved before the read models reached them
COMMAND_503 = (
    "The change is saved, but the read models did not reach it within 5 s (`read-models-behind`: "
    "retry with the same `Idempotency-Key` for its answer), or the database could not take the "
    "request in time (`database-busy`: nothing was changed); see `Retry-After`."
)
#: the slug, title and detail of each status's worked example
EXAMPLE: dict[int, tuple[str, str, str]] = {
    401: ("unauthorized", "Authentication required", "a bearer token is required"),
    403: ("forbidden", "Forbidden", "auditor-kiwa (auditor) may not do this; it needs staff"),
    404: ("not-found", "Not found", "certificate PSO-2026-000011 not found"),
    409: ("invalid-transition", "Not possible now",
          "certificate PSO-2026-000011 is already suspended from 2026-11-16"),
    412: ("precondition-failed", "Precondition failed",
          "certificate PSO-2026-000011 changed since that ETag was read"),
    413: ("too-large", "Request body too large", "request body of 2500000 bytes exceeds 2000000"),
    422: ("invalid-input", "Invalid input", "kvk: String should match pattern '^[0-9]{8}$'"),
    429: ("rate-limited", "Too many requests", "at most 600 requests per minute per client"),
    503: ("database-busy", "Database busy",
          "the register could not get the database in time; nothing was changed, retry shortly"),
}  # fmt: skip
HEADERS: dict[int, dict[str, Any]] = {
    401: {"WWW-Authenticate": {"description": "`Bearer`.", "schema": {"type": "string"}}},
    429: {"Retry-After": {"description": "Seconds to wait.", "schema": {"type": "integer"}}},
    503: {"Retry-After": {"description": "Seconds to wait.", "schema": {"type": "integer"}}},
}
READ_MODELS = {
    "PSO-Read-Models": {
        "description": '`current` once the read models show the change; `lagging; failed="..."` '
        "names read models stopped at an event they could not apply (the answer is the "
        "command's result all the same).",
        "schema": {"type": "string"},
    }
}


def problem_example(status: int) -> dict[str, Any]:
    """A worked problem document of a status."""
    slug, title, detail = EXAMPLE[status]
    example: dict[str, Any] = {
        "type": PROBLEM_BASE + slug,
        "title": title,
        "status": status,
        "detail": detail,
    }
    if status == 422:
        example["errors"] = [{"field": "kvk", "message": detail.partition(": ")[2]}]
    return example


def problem(status: int, description: str | None = None) -> dict[str, Any]:
    """The OpenAPI response of one problem status, with its meaning and a worked example."""
    response: dict[str, Any] = problem_response(description or MEANING[status])
    response["content"][PROBLEM_JSON]["example"] = problem_example(status)
    if status in HEADERS:
        response["headers"] = HEADERS[status]
    return response


def problems(*statuses: int, not_found: str | None = None, **described: str) -> Responses:
    """The responses of these problem statuses, and 404 when ``not_found`` says what may be
    missing; ``described`` gives a status a meaning of its own (``s409="..."``)."""
    found: Responses = {}
    for status in sorted({*statuses, *([404] if not_found else [])}):
        meaning = not_found if status == 404 else described.get(f"s{status}")
        found[status] = problem(status, meaning)
    return found


def staff_read(*statuses: int, not_found: str | None = None, any_role: bool = False) -> Responses:
    """A staff read: 401, 403 (not when every role may read it: ``any_role``), 503 and these."""
    gate = (401,) if any_role else (401, 403)
    return problems(*gate, 503, *statuses, not_found=not_found)


def staff_command(
    success: int = 200, *statuses: int, not_found: str | None = None, **described: str
) -> Responses:
    """A staff command: its answer with ``PSO-Read-Models``; 401, 403, 409, 413, 422, 503 (saved
    but the read models behind, or the database busy) and these."""
    meanings = {"s503": COMMAND_503, **described}
    gate = problems(401, 403, 409, 413, 422, 503, *statuses, not_found=not_found, **meanings)
    return {success: {"headers": READ_MODELS}, **gate}


def header(name: str, description: str) -> dict[str, Any]:
    """An optional request header, documented (the route reads it from the request)."""
    return {"name": name, "in": "header", "required": False, "description": description,
            "schema": {"type": "string"}}  # fmt: skip


IDEMPOTENCY_KEY = header(
    "Idempotency-Key",
    "Any text the client chooses: a retry with the same key and body answers the first result "
    "(also while the first still runs); another request under the key is 409.",
)
IF_MATCH = header(
    "If-Match",
    "The ETag of `GET /api/v1/certificates/{number}` as read (or `*`): a certificate changed "
    "since is refused with 412.",
)
#: ``openapi_extra`` of a command: the request headers it honours
COMMAND: dict[str, Any] = {"parameters": [IDEMPOTENCY_KEY]}
CONDITIONAL_COMMAND: dict[str, Any] = {"parameters": [IDEMPOTENCY_KEY, IF_MATCH]}
