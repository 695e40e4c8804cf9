"""Reading a declaration: numbers as decimals, and a clear error naming every bad field."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest

from norms.declaration import declaration_from_document
from norms.errors import DeclarationError
from tests.unit.norms.builders import ALL_MET, declaration_doc, person, purchase


def test_numbers_may_be_json_numbers_or_decimal_strings_and_are_never_binary_floats() -> None:
    """0.1 as a JSON number becomes Decimal('0.1') exactly, as does the string "0.1"."""
    doc = json.loads(
        '{"peiljaar": 2025, "total_fte": 10.1, "persons": [{"ref": "A", '
        '"starting_position": "wajong", "intake_date": "2024-01-01", "contract": "regular", '
        '"fte": 0.1}], "purchases": [], "qualitative": {"passend_werk": true, "integratie": true, '
        '"functioneren_en_ontwikkeling": true, "begeleiding": true}}'
    )
    d = declaration_from_document(doc)
    assert d.total_fte == Decimal("10.1")
    assert d.persons[0].fte == Decimal("0.1")


def test_the_json_form_round_trips() -> None:
    """to_document gives a document that reads back to the same declaration."""
    doc = declaration_doc("30", [person("A", "1.0")], [purchase("100")])
    d = declaration_from_document(doc)
    assert declaration_from_document(json.loads(json.dumps(d.to_document()))) == d


def with_person(**changes: Any) -> dict[str, Any]:
    """A declaration whose single person has the given fields changed."""
    return declaration_doc("10", [{**person("A", "1.0"), **changes}])


def with_purchase(**changes: Any) -> dict[str, Any]:
    """A declaration whose single purchase has the given fields changed."""
    return declaration_doc("10", [person("A", "1.0")], [{**purchase("100"), **changes}])


BAD = [
    (with_person(fte="-0.5"), "persons[0].fte", "above 0"),
    (with_person(fte="one"), "persons[0].fte", "number"),
    (with_person(starting_position="bijstand"), "persons[0].starting_position", "unknown value"),
    (with_person(contract="zzp"), "persons[0].contract", "unknown value"),
    (with_person(intake_date="2026-01-01"), "persons[0].intake_date", "after the peiljaar"),
    (with_person(intake_date="15-01-2024"), "persons[0].intake_date", "YYYY-MM-DD"),
    (with_person(ref="123456782"), "persons[0].ref", "looks like a BSN"),
    (with_person(name="Jan Jansen"), "persons[0].name", "no names or BSN"),
    (with_person(bsn="123456782"), "persons[0].bsn", "no names or BSN"),
    (declaration_doc("1.5", [person("A", "1.0"), person("B", "1.0")]), "total_fte", "below"),
    (declaration_doc("0"), "total_fte", "above 0"),
    (declaration_doc("10", [person("A", "1"), person("A", "1")]), "persons[1].ref", "twice"),
    (with_purchase(supplier_kvk="1234567"), "purchases[0].supplier_kvk", "8 digits"),
    (with_purchase(supplier_direct_share="1.2"), "purchases[0].supplier_direct_share", "0 to 1"),
    (with_purchase(amount="-1"), "purchases[0].amount", "negative"),
    (with_purchase(amount="2000000"), "purchases[0].amount", "exceeds"),
    (with_purchase(supplier_turnover="0"), "purchases[0].supplier_turnover", "above 0"),
    (with_person(starting_position="bijstand"), "persons[0].starting_position", "unknown"),
    (declaration_doc("10", qualitative={"integratie": True}), "qualitative.begeleiding", "req"),
    ({**declaration_doc("10"), "qualitative": {**ALL_MET, "passend_werk": "yes"}},
     "qualitative.passend_werk", "true or false"),
    (declaration_doc("10", peiljaar=1999), "peiljaar", "between 2000"),
    (declaration_doc("10", organisation_kind="ngo"), "organisation_kind", "unknown value"),
    ({**declaration_doc("10"), "extra": 1}, "extra", "not a known field"),
    ({"peiljaar": 2025}, "total_fte", "required"),
]  # fmt: skip


@pytest.mark.parametrize(("doc", "field", "message"), BAD)
def test_bad_input_is_refused_with_an_error_naming_the_field(
    doc: dict[str, Any], field: str, message: str
) -> None:
    """Each bad value is reported with its path and a reason a member of staff understands."""
    with pytest.raises(DeclarationError) as caught:
        declaration_from_document(doc)
    assert any(p.field == field and message in p.message for p in caught.value.problems), (
        caught.value.problems
    )


def test_every_problem_in_a_document_is_reported_at_once() -> None:
    """Two bad persons give two problems, not just the first."""
    doc = declaration_doc("10", [person("A", "0"), person("B", "1.0", "nope")])
    with pytest.raises(DeclarationError) as caught:
        declaration_from_document(doc)
    assert {p.field for p in caught.value.problems} >= {
        "persons[0].fte",
        "persons[1].starting_position",
    }


def test_a_declaration_that_is_not_an_object_is_refused() -> None:
    """A JSON list where an object belongs names the declaration itself."""
    with pytest.raises(DeclarationError, match="declaration: must be an object"):
        declaration_from_document([1, 2])
