"""Every example the OpenAPI document shows fits the schema it illustrates (requests, answers,
problems and parameters, public and staff), and every staff operation shows one for its body
and for each answer it can give."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from api.app import create_app
from api.settings import Settings

Document = dict[str, Any]
METHODS = ("get", "put", "post", "delete", "patch", "head")


@pytest.fixture(scope="module")
def openapi(tmp_path_factory: pytest.TempPathFactory) -> Document:
    """The application's OpenAPI document (made without opening the database)."""
    database = Path(tmp_path_factory.mktemp("openapi")) / "unused.sqlite3"
    document: Document = create_app(Settings(database_url=f"sqlite:///{database}")).openapi()
    return document


def examples_in(node: Any, where: str = "#") -> Iterator[tuple[str, Any, Document]]:
    """Every example in a part of the document with the schema it illustrates: a schema's own
    ``examples``, and the ``example``/``examples`` of a media type or a parameter."""
    if isinstance(node, list):
        for index, item in enumerate(node):
            yield from examples_in(item, f"{where}/{index}")
        return
    if not isinstance(node, dict):
        return
    shown = node.get("examples")
    if isinstance(shown, list):  # a schema: JSON Schema's examples keyword
        schema = {k: v for k, v in node.items() if k != "examples"}
        for index, value in enumerate(shown):
            yield f"{where}/examples/{index}", value, schema
    if "schema" in node and isinstance(node["schema"], dict):  # a media type or a parameter
        if "example" in node:
            yield f"{where}/example", node["example"], node["schema"]
        if isinstance(shown, dict):
            for name, named in shown.items():
                yield f"{where}/examples/{name}", named["value"], node["schema"]
    for key, value in node.items():
        if key not in ("example", "examples"):
            yield from examples_in(value, f"{where}/{key}")


def misfits(document: Document) -> list[str]:
    """Every example of the document that does not fit its schema, with where and why."""
    found = []
    for where, value, schema in examples_in(document):
        root = {**schema, "components": document.get("components", {})}
        validator = Draft202012Validator(root, format_checker=Draft202012Validator.FORMAT_CHECKER)
        found += [f"{where}: {error.message}" for error in validator.iter_errors(value)]
    return found


def operations(document: Document) -> Iterator[tuple[str, Document]]:
    """Each operation of the document, named ``METHOD path``."""
    for path, item in document["paths"].items():
        for method in METHODS:
            if method in item:
                yield f"{method.upper()} {path}", item[method]


def resolved(document: Document, schema: Document) -> Document:
    """A schema with its top-level ``$ref`` followed."""
    ref = schema.get("$ref")
    if ref is None:
        return schema
    found: Document = document
    for part in ref.removeprefix("#/").split("/"):
        found = found[part]
    return found


def is_shown(document: Document, media: Document) -> bool:
    """A media type with an example of its own, or of its schema."""
    schema = media.get("schema", {})
    if schema.get("type") == "array" and "items" in schema:
        schema = schema["items"]
    return "example" in media or "examples" in media or "examples" in resolved(document, schema)


def test_every_documented_example_fits_its_schema(openapi: Document) -> None:
    """Request bodies, answers, problems, parameters and component schemas, all operations."""
    assert list(examples_in(openapi)), "the document shows examples"
    assert misfits(openapi) == []


def test_a_wrong_example_is_found_with_where_it_is() -> None:
    """The check itself: an answer example with a field of the wrong type, and a nested schema
    example that misses a required field, are both reported."""
    document: Document = {
        "paths": {
            "/x": {
                "get": {
                    "responses": {
                        "200": {
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Answer"},
                                    "example": {"on": 20261201},
                                }
                            }
                        }
                    }
                }
            }
        },
        "components": {
            "schemas": {
                "Answer": {
                    "type": "object",
                    "properties": {"on": {"type": "string", "format": "date"}},
                    "required": ["on"],
                    "examples": [{}],
                }
            }
        },
    }
    found = misfits(document)
    assert len(found) == 2, found
    assert found[0].startswith("#/paths//x/get/responses/200/content/application/json/example")
    assert "20261201 is not of type 'string'" in found[0]
    assert found[1] == "#/components/schemas/Answer/examples/0: 'on' is a required property"


def test_a_date_example_that_is_no_date_is_found() -> None:
    """Formats are checked too: 2026-13-01 is no date."""
    schema = {"type": "string", "format": "date", "examples": ["2026-13-01"]}
    assert misfits({"components": {"schemas": {"Day": schema}}}) != []


def test_every_staff_operation_shows_a_request_and_an_answer_for_each_status(
    openapi: Document,
) -> None:
    """Each body (every media type it takes) and each documented answer of a staff operation,
    problems included, carries an example; health answers too."""
    missing = []
    staff = [
        (name, operation)
        for name, operation in operations(openapi)
        if " /api/v1/staff" in name or name.endswith(("/healthz", "/readyz"))
    ]
    assert len(staff) == 24
    for name, operation in staff:
        for media_type, media in operation.get("requestBody", {}).get("content", {}).items():
            if not is_shown(openapi, media):
                missing.append(f"{name}: request {media_type}")
        for status, answer in operation["responses"].items():
            for media_type, media in answer.get("content", {}).items():
                if not is_shown(openapi, media):
                    missing.append(f"{name}: {status} {media_type}")
    assert missing == []


def test_public_routes_list_no_401_and_staff_routes_list_no_429(openapi: Document) -> None:
    """The statuses a route lists are those it can answer: no token on public routes, no rate
    limit on staff routes, and neither on the health checks."""
    for name, operation in operations(openapi):
        statuses = set(operation["responses"])
        if " /api/v1/staff" in name:
            assert {"401", "503"} <= statuses, name
            assert "429" not in statuses, name
        else:
            assert "401" not in statuses, name
    health = dict(operations(openapi))
    assert set(health["GET /healthz"]["responses"]) == {"200"}
    assert set(health["GET /readyz"]["responses"]) == {"200", "503"}
