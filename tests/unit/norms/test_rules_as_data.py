"""Rules the project assumes are handbook data: another value in the data changes the result,
with no code change (size rounding, person limit, pass rule, PSO 30+ exclusions, calendar,
the norm table's column provenance)."""

from __future__ import annotations

import copy
import datetime as dt
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest

from norms.assessment import assess
from norms.catalogue import SchemeCatalogue
from norms.errors import DeclarationError, HandbookError, NotEligibleError
from norms.handbook import HandbookVersion, handbook_from_document
from norms.handbook_upgrade import LATER_KEYS, complete_document
from norms.levels import Level
from tests.unit.norms.builders import declaration, person


def changed(version: HandbookVersion, **sections: dict[str, Any]) -> HandbookVersion:
    """The version with some leaves of its document replaced (as a corrected publication)."""
    doc = copy.deepcopy(dict(version.document))
    for section, leaves in sections.items():
        for key, value in leaves.items():
            doc[section][key] = {"value": value, "provisional": "changed in a test"}
    return handbook_from_document(doc)


@pytest.mark.parametrize(
    ("rounding", "total_fte", "size"),
    [
        ("half_up", "1.5", 2),  # half up: 1.5 -> 2 (the assumed rule, eligible)
        ("half_up", "20.49", 20),
        ("half_even", "20.5", 20),  # banker's rounding: to the even neighbour
        ("up", "20.01", 21),
        ("down", "20.99", 20),
    ],
)
def test_the_size_rounding_is_the_handbooks(
    catalogue: SchemeCatalogue, rounding: str, total_fte: str, size: int
) -> None:
    """The size that picks the norm row follows the rounding the data names."""
    version = changed(catalogue.version("2.1"), size={"rounding": rounding})
    assert assess(declaration(total_fte, [person("A", "0.5")]), version).size == size


def test_an_organisation_below_the_eligible_size_is_refused_with_the_rule(
    catalogue: SchemeCatalogue,
) -> None:
    """With rounding down, 1.5 FTE is size 1 and refused; half up (the default) admits it."""
    down = changed(catalogue.version("2.1"), size={"rounding": "down"})
    with pytest.raises(NotEligibleError, match=r"size 1 \(rounded down\).*size\.min_eligible"):
        assess(declaration("1.5", [person("A", "0.5")]), down)
    assert assess(declaration("1.5", [person("A", "0.5")]), catalogue.version("2.1")).size == 2


def test_the_per_person_fte_limit_is_the_handbooks(catalogue: SchemeCatalogue) -> None:
    """1.6 FTE for one person is refused naming the field and the rule; a limit of 2 admits it."""
    d = declaration("20", [person("A", "1.6")])
    with pytest.raises(DeclarationError, match=r"persons\[0\]\.fte: 1\.6 exceeds the 1\.5 FTE"):
        assess(d, catalogue.version("2.1"))
    assert assess(
        d, changed(catalogue.version("2.1"), persons={"max_fte": "2"})
    ).direct_fte == Fraction("1.6")


@pytest.mark.parametrize(
    ("comparison", "fte", "level"),
    [
        ("at_least_unrounded", "1.5", Level.TREDE_1),  # 3.0 % on a 3.0 norm: met
        ("at_least_unrounded", "1.499", None),  # 2.998 % < 3.0
        ("at_least_rounded_one_decimal", "1.499", Level.TREDE_1),  # 2.998 prints as 3.0
        ("above_unrounded", "1.5", None),  # 3.0 is not above 3.0
    ],
)
def test_the_pass_rule_is_the_handbooks(
    catalogue: SchemeCatalogue, comparison: str, fte: str, level: Level | None
) -> None:
    """Size 50 under 1.9 (trede 1 norm 3.0, no basistrede): the data's comparison decides."""
    version = changed(catalogue.version("1.9"), score={"comparison": comparison})
    assert assess(declaration("50", [person("A", fte)]), version).level is level


def test_an_unknown_rule_name_in_the_data_is_refused_naming_the_choices(
    catalogue: SchemeCatalogue,
) -> None:
    """A handbook that names a rule the code cannot apply is refused when it is read."""
    with pytest.raises(HandbookError, match=r"score\.comparison\.value: unknown value 'round'"):
        changed(catalogue.version("2.1"), score={"comparison": "round"})


def test_pso30plus_counts_only_target_group_fte_inside_the_counting_windows(
    catalogue: SchemeCatalogue,
) -> None:
    """10 FTE, trede 3: a Participatiewet worker whose 5 years ended mid-2025 counts for 181/365
    of their FTE towards the 30 %, as in the direct score; 2.0 + 0.496 FTE is below 30 %."""
    ended = person("C", "1.0", "participatiewet", intake_date="2020-07-01")
    a = assess(
        declaration("10", [person("A", "1.0"), person("B", "1.5"), ended]), catalogue.version("2.1")
    )
    assert a.level is Level.TREDE_3
    assert a.pso30plus.counted_fte == Fraction(5, 2) + Fraction(181, 365)
    assert not a.pso30plus.eligible


@pytest.mark.parametrize(
    "excluded", ["bbl_bol_1", "bbl_bol_2", "vso_pro"]
)  # BBL/BOL 1-2 as published, VSO/PRO pupils as assumed
def test_pso30plus_leaves_out_bbl_bol_levels_1_and_2_and_vso_pro(
    catalogue: SchemeCatalogue, excluded: str
) -> None:
    """10 FTE with 3.5 FTE in the target group, 1.0 of them excluded: 2.5 FTE, no 30+."""
    group = [
        person("A", "1.0"),
        person("B", "1.5"),
        person("C", "1.0", excluded, intake_date="2025-01-01"),
    ]
    a = assess(declaration("10", group), catalogue.version("2.1"))
    assert a.level is Level.TREDE_3
    assert a.pso30plus.counted_fte == Fraction("2.5")
    assert not a.pso30plus.eligible


def test_which_positions_pso30plus_leaves_out_as_pupils_is_the_handbooks(
    catalogue: SchemeCatalogue,
) -> None:
    """With no pupil positions in the data, a VSO/PRO worker counts towards the 30 %."""
    version = changed(catalogue.version("2.1"), pso30plus={"excluded_pupil_positions": []})
    group = [
        person("A", "1.0"),
        person("B", "1.0"),
        person("C", "1.0", "vso_pro", intake_date="2025-01-01"),
    ]
    assert assess(declaration("10", group), version).pso30plus.eligible


@pytest.mark.parametrize(
    ("holidays", "day", "working"),
    [
        ("bundled", dt.date(2025, 5, 5), False),  # Liberation Day in a lustrum year (2025)
        ("bundled", dt.date(2026, 5, 5), True),  # not in 2026: a working Tuesday
        ("bundled", dt.date(2025, 4, 18), True),  # Good Friday is not a holiday
        ("bundled", dt.date(2025, 4, 26), False),  # a Saturday (King's Day 2025 moved from Sunday)
        ("bundled", dt.date(2025, 5, 29), False),  # Ascension Day
        (["liberation_day"], dt.date(2026, 5, 5), False),  # every year, if the data says so
        (["good_friday"], dt.date(2025, 4, 18), False),
    ],
)
def test_the_working_day_calendar_is_the_handbooks(
    catalogue: SchemeCatalogue, holidays: Any, day: dt.date, working: bool
) -> None:
    """Monday to Friday without the holidays the data names."""
    version = catalogue.version("2.1")
    if holidays != "bundled":
        version = changed(version, calendar={"holidays": holidays})
    assert version.working_days.is_working_day(day) is working


def test_an_official_basistrede_column_needs_no_code_change(catalogue: SchemeCatalogue) -> None:
    """Without the data's provisional mark on the column, the basistrede norms are published."""
    doc = copy.deepcopy(dict(catalogue.version("2.1").document))
    assert catalogue.version("2.1").norm_table.columns[Level.BASISTREDE].is_provisional
    del doc["norm_table"]["columns"]["basistrede"]
    official = handbook_from_document(doc)
    row = official.norm_table.row_for(2)
    assert not official.norm_table.cell_provenance(row, Level.BASISTREDE).is_provisional
    assert "norm_table.columns.basistrede" not in dict(official.provisional_values())


def test_a_document_published_before_the_rules_were_data_is_completed_provisionally(
    catalogue: SchemeCatalogue,
) -> None:
    """An old VersionPublished document lacks the newer keys: it still reads, each taken from the
    newest bundled version and marked as such; its own values stay as published."""
    newest = catalogue.versions[-1]
    old = copy.deepcopy(dict(newest.document))
    for path in LATER_KEYS:
        parent = old
        for key in path[:-1]:
            parent = parent[key]
        parent.pop(path[-1], None)
    with pytest.raises(HandbookError):
        handbook_from_document(old)
    completed = handbook_from_document(complete_document(old, newest))
    assert completed.size.size_of(Decimal("1.5")) == 2
    note = completed.persons.max_fte.provenance.note or ""
    assert note.startswith(
        f"not in the document as published; taken from handbook {newest.version}"
    )
    assert completed.norm_table.provenance == newest.norm_table.provenance
    assert completed.norm_table.columns[Level.BASISTREDE].is_provisional
