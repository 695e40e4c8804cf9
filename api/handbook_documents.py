"""The body of ``POST /api/v1/staff/norms``: a handbook document in the shape of
``norms/data/handbooks/*.toml``, sent as JSON or as TOML, with its schema and a worked example
for the OpenAPI page."""

from __future__ import annotations

import json
import tomllib
from typing import Any

from fastapi import Request

from norms.errors import HandbookError, Problem

TOML = "application/toml"

#: a worked example: handbook 2.2 from 1 January 2028, based on 2.1, with one weight changed
EXAMPLE_TOML = """\
version = "2.2"
based_on = { version = "2.1" }
effective_from = { value = 2028-01-01, provisional = "the date PSO-Nederland announced" }

[starting_positions.temporary_protection]
weight = { value = "1", source = "news_2_1" }
counts_for_years = { value = 3, provisional = "shortened, as announced" }
"""
EXAMPLE = {
    "version": "2.2",
    "based_on": {"version": "2.1"},
    "effective_from": {"value": "2028-01-01", "provisional": "the date PSO-Nederland announced"},
    "starting_positions": {
        "temporary_protection": {
            "weight": {"value": "1", "source": "news_2_1"},
            "counts_for_years": {"value": 3, "provisional": "shortened, as announced"},
        }
    },
}
_SOURCED = {
    "type": "object",
    "description": "A value with where it comes from: `source` (an id of norms/data/sources.toml"
    " or the citation's text) when published, `provisional` (why it is assumed) otherwise.",
    "properties": {
        "value": {"description": "The value: text, number, date, list or table."},
        "source": {"type": "string"},
        "provisional": {"type": "string"},
    },
    "required": ["value"],
}
SCHEMA: dict[str, Any] = {
    "title": "HandbookDocument",
    "type": "object",
    "description": "A handbook version (PSO-handleiding) as in norms/data/handbooks/*.toml. With"
    " `based_on` it restates only what changed; every other key is a sourced value or a section"
    " of them (`size`, `persons`, `score`, `indirect`, `pso30plus`, `aspirant`, `certificate`,"
    " `procedure`, `counting_window`, `calendar`, `starting_positions`, `contracts`,"
    " `norm_table` named by `value` or given with its `rows`). GET /api/v1/norms/{version}"
    " answers a complete document in this shape.",
    "properties": {
        "version": {"type": "string", "pattern": r"^\d{1,2}\.\d{1,2}$", "examples": ["2.2"]},
        "based_on": {
            "type": "object",
            "description": "A version of the catalogue (shipped or published) whose values this"
            " one keeps unless it restates them; `provisional` marks the kept values assumed.",
            "properties": {"version": {"type": "string"}, "provisional": {"type": "string"}},
            "required": ["version"],
        },
        "effective_from": _SOURCED,
    },
    "required": ["version", "effective_from"],
    "additionalProperties": {"type": "object"},
}
OPENAPI = {
    "requestBody": {
        "required": True,
        "description": "The handbook document as JSON or as TOML (`Content-Type:"
        " application/toml`). A bad document is 422 `invalid-document` with every problem in"
        " `errors`, each with its `field`.",
        "content": {
            "application/json": {"schema": SCHEMA, "example": EXAMPLE},
            TOML: {"schema": {"type": "string"}, "example": EXAMPLE_TOML},
        },
    }
}


async def sent_document(request: Request) -> Any:
    """The document of the request, read as TOML when its content type says so, else JSON."""
    body = await request.body()
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise HandbookError([Problem("body", "not UTF-8 text")]) from None
    if media_type in (TOML, "text/toml", "application/x-toml"):
        try:
            return tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise HandbookError([Problem("body", f"not valid TOML: {exc}")]) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise HandbookError([Problem("body", f"not valid JSON: {exc}")]) from None
