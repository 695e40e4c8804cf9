"""Publishing a handbook version over HTTP: the document as in norms/data/handbooks/*.toml, as
JSON or TOML, based on a shipped or published version; a bad one is 422 naming each problem."""

from __future__ import annotations

import json
from typing import Any

from api.handbook_documents import EXAMPLE, EXAMPLE_TOML
from tests.staff_client import Api, ok


def _publish(api: Api, body: str, content_type: str) -> Any:
    headers = {"Authorization": f"Bearer {api.tokens['admin']}", "Content-Type": content_type}
    return api.client.post("/api/v1/staff/norms", content=body, headers=headers)


def test_the_worked_example_as_toml_publishes_a_version_based_on_2_1(api: Api) -> None:
    """The OpenAPI example (moved to 2099 so that it lies after today) becomes 2.2: the weight
    and window it restates, everything else as in 2.1, sources cited by their text."""
    toml = EXAMPLE_TOML.replace("2028-01-01", "2099-01-01")
    answer = ok(_publish(api, toml, "application/toml"), 201)
    assert answer == {"version": "2.2", "effective_from": "2099-01-01"}
    published = api.client.get("/api/v1/norms/2.2").json()
    base = api.client.get("/api/v1/norms/2.1").json()
    protection = published["starting_positions"]["temporary_protection"]
    assert protection["counts_for_years"] == {"value": 3, "provisional": "shortened, as announced"}
    assert protection["weight"]["source"] == "pso-nederland.nl news: Vooraankondiging" \
        " PSO-handleiding versie 2.1"  # fmt: skip
    assert published["levels"] == base["levels"]
    assert published["norm_table"]["rows"] == base["norm_table"]["rows"]
    assert published["effective_from"]["value"] == "2099-01-01"


def test_a_json_document_may_be_based_on_a_version_published_before(api: Api) -> None:
    """2.3 based on the published 2.2 keeps 2.2's changes."""
    first = {**EXAMPLE, "effective_from": {"value": "2099-01-01", "provisional": "announced"}}
    ok(_publish(api, json.dumps(first), "application/json"), 201)
    second = {
        "version": "2.3",
        "based_on": {"version": "2.2", "provisional": "assumed to carry over"},
        "effective_from": {"value": "2099-06-01", "source": "versions"},
    }
    ok(api.post("/norms", second, who="admin"), 201)
    published = api.client.get("/api/v1/norms/2.3").json()
    window = published["starting_positions"]["temporary_protection"]["counts_for_years"]
    assert window["value"] == 3
    assert published["levels"]["provisional"] == "assumed to carry over"
    listed = [v["version"] for v in api.client.get("/api/v1/norms").json()]
    assert listed[-2:] == ["2.2", "2.3"]


def test_a_bad_document_is_422_naming_each_problem_and_publishes_nothing(api: Api) -> None:
    """An unknown base, an unknown source id, a bad table name: each in `errors`."""
    document = {
        "version": "2.2",
        "based_on": {"version": "9.9"},
        "effective_from": {"value": "2099-01-01", "source": "no_such_source"},
        "norm_table": {"value": "other-table", "source": "normen"},
    }
    refused = api.post("/norms", document, who="admin")
    assert refused.status_code == 422
    body = refused.json()
    assert body["type"].endswith("/invalid-document")
    fields = {e["field"]: e["message"] for e in body["errors"]}
    assert set(fields) == {"effective_from.source", "based_on.version", "norm_table.value"}
    assert fields["based_on.version"].startswith("unknown base version '9.9'; known versions:")
    assert fields["effective_from.source"].startswith("unknown source id 'no_such_source'")
    assert fields["norm_table.value"] == "no norm table named 'other-table'; known: pso-normen"
    assert "2.2" not in [v["version"] for v in api.client.get("/api/v1/norms").json()]


def test_a_document_whose_values_break_the_rules_names_the_value_and_its_path(api: Api) -> None:
    """The resolved document is checked as a whole; a value that cannot be read is named at its
    path (the check stops at the first such value; see the README)."""
    for key, value, field in [
        ("levels", {"value": ["trede_9"], "source": "levels"}, "levels.value[0]"),
        ("persons", {"max_fte": {"value": "lots", "provisional": "x"}}, "persons.max_fte.value"),
    ]:
        document = {
            "version": "2.2",
            "based_on": {"version": "2.1"},
            "effective_from": {"value": "2099-01-01", "provisional": "announced"},
            key: value,
        }
        refused = api.post("/norms", document, who="admin")
        assert refused.status_code == 422
        assert [e["field"] for e in refused.json()["errors"]] == [field]


def test_a_body_that_is_not_toml_or_not_json_is_422(api: Api) -> None:
    """The parser's message names the place of the mistake."""
    toml = _publish(api, 'version = "2.2\n', "application/toml")
    assert toml.status_code == 422
    assert toml.json()["errors"][0]["message"].startswith("not valid TOML")
    broken = _publish(api, "{", "application/json")
    assert broken.status_code == 422
    assert broken.json()["errors"][0]["message"].startswith("not valid JSON")
    assert _publish(api, "[]", "application/json").json()["errors"][0]["field"] == "document"


def test_the_openapi_page_describes_the_document_with_a_worked_example_in_json_and_toml(
    api: Api,
) -> None:
    """Both content types, the schema and the example."""
    operation = api.client.get("/openapi.json").json()["paths"]["/api/v1/staff/norms"]["post"]
    content = operation["requestBody"]["content"]
    assert content["application/json"]["schema"]["title"] == "HandbookDocument"
    assert content["application/json"]["example"] == EXAMPLE
    assert content["application/toml"]["example"] == EXAMPLE_TOML
