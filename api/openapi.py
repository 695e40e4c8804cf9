"""The OpenAPI description of the lean public operations, made from the same models that validate
their questions and shape their answers (FastAPI describes the staff routes)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from api.lean import Operation
from api.statuses import problem

REF = "#/components/schemas/{model}"
STRING = {"type": "string"}
INTEGER = {"type": "integer"}


def header(description: str, schema: dict[str, Any] = STRING) -> dict[str, Any]:
    """A documented response header."""
    return {"description": description, "schema": schema}


RATE_LIMIT_HEADERS = {
    "RateLimit-Limit": header("Requests a client may make per minute.", INTEGER),
    "RateLimit-Remaining": header("Requests left to this client now.", INTEGER),
    "RateLimit-Reset": header("Seconds until the client's quota is full again.", INTEGER),
}
CACHE_HEADERS = {
    "ETag": header("Strong validator of this answer; send it back as If-None-Match."),
    "Cache-Control": header(
        "`immutable` for answers about a settled past moment, else a short max-age that never "
        "reaches past midnight in Amsterdam."
    ),
}
IF_NONE_MATCH = {
    "name": "If-None-Match",
    "in": "header",
    "required": False,
    "description": "The ETag of an answer the client holds: 304 while it is current.",
    "schema": STRING,
}


def add_operations(
    schema: dict[str, Any], operations: Sequence[Operation], refers: Sequence[type[BaseModel]]
) -> None:
    """Add the operations (and the models they name, ``refers`` too) to an OpenAPI document."""
    shapes: list[tuple[type[BaseModel], Any]] = [(m, "validation") for m in refers]
    shapes += [(op.response, "serialization") for op in operations if op.response]
    shapes += [(op.body, "validation") for op in operations if op.body]
    _, definitions = models_json_schema(shapes, ref_template=REF)
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components.update(definitions.get("$defs", {}))
    paths: dict[str, Any] = {}
    for op in operations:
        paths.setdefault(op.path, {})[op.method.lower()] = _operation(op, components)
    schema["paths"] = {**paths, **schema.get("paths", {})}


def _operation(op: Operation, components: dict[str, Any]) -> dict[str, Any]:
    described: dict[str, Any] = {
        "tags": [op.tag],
        "summary": op.name.replace("_", " ").capitalize(),
        "description": op.doc,
        "operationId": op.name,
        "parameters": _parameters(op, components),
        "responses": _responses(op),
    }
    if op.body is not None:
        body = {"schema": {"$ref": REF.format(model=op.body.__name__)}, "example": op.body_example}
        described["requestBody"] = {"required": True, "content": {"application/json": body}}
    return described


def _parameters(op: Operation, components: dict[str, Any]) -> list[dict[str, Any]]:
    question = op.question.model_json_schema(ref_template=REF)
    components.update(question.get("$defs", {}))
    required = set(question.get("required", []))
    parameters = []
    for name, prop in question.get("properties", {}).items():
        field = dict(prop)
        description = field.pop("description", None)
        field.pop("title", None)
        options = [o for o in field.pop("anyOf", []) if o.get("type") != "null"]
        if len(options) == 1:
            field.update(options[0])
        elif options:
            field["anyOf"] = options
        if field.get("default", 0) is None:
            del field["default"]
        example = {"example": field.pop("examples")[0]} if "examples" in field else {}
        where = "path" if name in op.question.PATH else "query"
        parameter = {"name": name, "in": where, "required": where == "path" or name in required}
        if description:
            parameter["description"] = description
        parameters.append({**parameter, "schema": field, **example})
    return [*parameters, IF_NONE_MATCH] if op.method == "GET" else parameters


def _responses(op: Operation) -> dict[str, Any]:
    headers = {**CACHE_HEADERS, **RATE_LIMIT_HEADERS} if op.method == "GET" else RATE_LIMIT_HEADERS
    if op.paged:
        headers = {
            **headers,
            "Link": header('`<...>; rel="next"`: the next page, when there is one.'),
        }
    if op.response is None:
        content: dict[str, Any] = {op.media_type: {"schema": STRING}}
        headers = {**headers, "Content-Disposition": header("attachment, with a dated file name")}
    else:
        ref: dict[str, Any] = {"$ref": REF.format(model=op.response.__name__)}
        content = {op.media_type: {"schema": {"type": "array", "items": ref} if op.listed else ref}}
    content[op.media_type]["example"] = op.example
    responses: dict[str, Any] = {
        "200": {"description": "The answer.", "headers": headers, "content": content}
    }
    if op.method == "GET":
        responses["304"] = {
            "description": "Not modified: If-None-Match named the current ETag.",
            "headers": CACHE_HEADERS,
        }
    if op.not_found:
        responses["404"] = problem(404, op.not_found)
    responses["422"] = problem(
        422, "Invalid input; `errors` names each field, and each unknown parameter."
    )
    responses["429"] = problem(429)
    responses["503"] = problem(503)
    return responses
