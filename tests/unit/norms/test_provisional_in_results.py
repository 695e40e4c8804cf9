"""The assessment names every assumed value that influenced its result, and no other."""

from __future__ import annotations

from typing import Any

import pytest

from norms.assessment import assess
from norms.catalogue import SchemeCatalogue
from norms.declaration import declaration_from_document
from tests.unit.norms.builders import declaration_doc, person, purchase

NOT_MET = {
    "passend_werk": True,
    "integratie": True,
    "functioneren_en_ontwikkeling": True,
    "begeleiding": False,
}
TREDE_3 = [person("A", "1.0"), person("B", "1.0"), person("C", "1.0")]  # 30 % of 10 FTE

# (provisional value as the assessment names it, version, a declaration whose result depends on
# it, one whose result does not): why the first depends on it.
CASES: list[tuple[str, str, dict[str, Any], dict[str, Any], str]] = [
    ("size.rounding", "2.1",
     declaration_doc("20.4", [person("A", "1.0")]), declaration_doc("20", [person("A", "1.0")]),
     "20.4 FTE is size 20 rounded half up, size 21 rounded up: another norm row"),
    ("size.rounding", "2.1",
     declaration_doc("1.5", [person("A", "1.0")]), declaration_doc("150.5", [person("A", "1.0")]),
     "1.5 FTE is eligible only because it rounds up; 150 and 151 both use the 105 row"),
    ("persons.max_fte", "2.1",
     declaration_doc("20", [person("A", "1.2")]), declaration_doc("20", [person("A", "1.0")]),
     "1.2 FTE for one person is accepted only because the limit is 1.5"),
    ("score.comparison", "2.1",
     declaration_doc("50", [person("A", "1.5")]), declaration_doc("50", [person("A", "1.0")]),
     "3.0 % is exactly the trede 1 norm: met only when the norm itself meets (>=)"),
    ("score.comparison", "1.9",
     declaration_doc("50", [person("A", "1.499")]), declaration_doc("50", [person("A", "1.4")]),
     "2.998 % meets 3.0 only when the score is rounded to one decimal first"),
    ("indirect.cap", "2.1",
     declaration_doc("50", [person("A", "0.5")], [purchase("1000000", "1000000", "20", "0.5")]),
     declaration_doc("50", [person("A", "0.5")], [purchase("1000")]),
     "the indirect share 16.7 % is cut to 4 x the 1 % direct share"),
    ("counting_window.pro_rata", "2.1",
     declaration_doc("20", [person("A", "1.0", "participatiewet", intake_date="2020-07-01")]),
     declaration_doc("20", [person("A", "1.0", "participatiewet", intake_date="2024-07-01")]),
     "the 5-year window ends on 1 July 2025: half the peiljaar counts, pro rata by days"),
    ("pso30plus.excluded_pupil_positions", "2.1",
     declaration_doc("10", [*TREDE_3, person("D", "1.0", "vso_pro", intake_date="2024-08-01")]),
     declaration_doc("10", [*TREDE_3, person("D", "1.0")]),
     "a VSO/PRO person is left out of the 30 % only by assumption"),
    ("pso30plus.share_basis", "2.1",
     declaration_doc("10", TREDE_3), declaration_doc("50", [person("A", "1.5")]),
     "at trede 3 the 30 % is measured in FTE (assumed), not counted heads"),
    ("qualitative_required_for", "2.1",
     declaration_doc("50", [person("A", "1.0")], qualitative=NOT_MET),
     declaration_doc("50", [person("A", "1.0")]),
     "2 % meets the basistrede norm; the level is withheld only because basistrede is assumed "
     "to need the qualitative criteria"),
    ("norm_table[42].trede_1", "2.1",
     declaration_doc("42", [person("A", "1.0")]), declaration_doc("40", [person("A", "1.0")]),
     "size 42 lies between the anchor rows 40 and 45: its norm is interpolated"),
    ("norm_table[40].basistrede", "2.1",
     declaration_doc("40", [person("A", "1.0")]), declaration_doc("40", [person("A", "1.0")]),
     "the basistrede column is not published; 2.0 has no basistrede (second case under 2.0)"),
    ("norm_table[40].trede_1", "2.0",
     declaration_doc("40", [person("A", "1.0")]), declaration_doc("40", [person("A", "1.0")]),
     "2.0 reuses the newest table provisionally; 2.1's own anchor row is published"),
    ("starting_positions.bbl_bol_1.weight", "2.1",
     declaration_doc("20", [person("A", "1.0", "bbl_bol_1", intake_date="2025-01-01")]),
     declaration_doc("20", [person("A", "1.0")]),
     "the BBL/BOL 1 weight was raised in 1.9; the old 0.5 is kept by assumption"),
    ("starting_positions.bbl_bol_2.weight", "2.1",
     declaration_doc("20", [person("A", "1.0", "bbl_bol_2", intake_date="2025-01-01")]),
     declaration_doc("20", [person("A", "1.0")]),
     "the BBL/BOL 2 weight was raised in 1.9; the old 0.25 is kept by assumption"),
    ("starting_positions.bbl_bol_3_4.weight", "2.1",
     declaration_doc("20", [person("A", "1.0", "bbl_bol_3_4", intake_date="2025-01-01")]),
     declaration_doc("20", [person("A", "1.0")]),
     "BBL/BOL 3-4 counts from 1.9 with a weight that is not published"),
    ("contracts.trial_placement.weight", "2.1",
     declaration_doc("20", [person("A", "1.0", contract="trial_placement")]),
     declaration_doc("20", [person("A", "1.0")]),
     "the trial placement weight is not published"),
    ("starting_positions.vso_pro.counts_for_years", "2.1",
     declaration_doc("20", [person("A", "1.0", "vso_pro")]),
     declaration_doc("20", [person("A", "1.0")]),
     "the VSO/PRO window runs from the intake date by assumption"),
]  # fmt: skip
#: the version a case's second declaration is assessed under, when it is another
INDEPENDENT_VERSION = {"norm_table[40].basistrede": "2.0", "norm_table[40].trede_1": "2.1"}
#: provisional values of 2.1 that never change an assessment's result, and what they decide
NOT_IN_RESULTS = {
    "size.min_eligible": "eligibility: below it there is no assessment (the refusal names it)",
    "calendar.holidays": "the working days of the audit-plan objection window",
}


@pytest.mark.parametrize(("value", "version", "depends", "independent", "why"), CASES)
def test_a_provisional_value_is_listed_exactly_when_the_result_depends_on_it(
    catalogue: SchemeCatalogue,
    value: str,
    version: str,
    depends: dict[str, Any],
    independent: dict[str, Any],
    why: str,
) -> None:
    """For each assumed value: a declaration it decides lists it, one it does not decide not."""
    listed = dict(
        assess(declaration_from_document(depends), catalogue.version(version)).provisional
    )
    assert value in listed, why
    assert listed[value]  # with the reason it is assumed
    other = catalogue.version(INDEPENDENT_VERSION.get(value, version))
    assert value not in dict(assess(declaration_from_document(independent), other).provisional)


def test_every_provisional_value_of_the_newest_version_is_covered_by_a_case(
    catalogue: SchemeCatalogue,
) -> None:
    """A new assumption in the data needs a case above (or a reason it never affects a score)."""
    covered = {value.split("[")[0] for value, *_ in CASES} | set(NOT_IN_RESULTS)
    covered |= {"norm_table.interpolated_rows", "norm_table.columns.basistrede"}
    for path, _why in catalogue.version("2.1").provisional_values():
        assert path in covered or path.split("[")[0] in covered, path


def test_the_refusal_of_a_too_small_organisation_names_the_assumed_rule(
    catalogue: SchemeCatalogue,
) -> None:
    """1.49 FTE is size 1: not eligible, and the message says which rule and why."""
    from norms.errors import NotEligibleError  # noqa: PLC0415 (one test)

    with pytest.raises(NotEligibleError, match=r"size 1 .*size\.min_eligible: the norm table"):
        assess(declaration_from_document(declaration_doc("1.49")), catalogue.version("2.1"))
