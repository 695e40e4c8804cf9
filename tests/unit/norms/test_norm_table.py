"""The norm table: published anchor rows exactly, interpolation between them, levels at the norm."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from importlib import resources

import pytest

from norms.assessment import assess
from norms.catalogue import SchemeCatalogue
from norms.errors import NoVersionInForceError
from norms.levels import Level
from norms.norm_table import interpolate_anchors, rows_to_csv
from tests.unit.norms.builders import declaration, persons_for_fte

# Published on pso-nederland.nl/pso-normen: size, trede 1, trede 2, trede 3 (percent).
PUBLISHED_ANCHORS = [
    (2, "21.4", "28.0", "33.0"),
    (5, "12.6", "17.0", "22.0"),
    (10, "6.7", "9.0", "15.5"),
    (15, "6.2", "8.0", "13.0"),
    (20, "5.7", "7.3", "10.8"),
    (25, "5.2", "6.6", "9.8"),
    (30, "4.7", "6.1", "8.9"),
    (35, "4.2", "5.6", "8.4"),
    (40, "3.7", "5.1", "7.9"),
    (45, "3.4", "4.6", "7.4"),
    (50, "3.0", "3.7", "6.8"),
    (60, "2.6", "3.4", "5.7"),
    (70, "2.3", "3.0", "5.1"),
    (80, "2.0", "2.6", "4.6"),
    (90, "1.7", "2.3", "4.2"),
    (100, "1.5", "2.1", "3.9"),
    (105, "1.4", "1.9", "3.7"),
]
TREDES = (Level.TREDE_1, Level.TREDE_2, Level.TREDE_3)
CASES = [
    (size, level, Decimal(norms[i]))
    for size, *norms in PUBLISHED_ANCHORS
    for i, level in enumerate(TREDES)
]


@pytest.mark.parametrize(("size", "level", "norm"), CASES)
def test_every_version_holds_the_published_anchor_rows_exactly(
    catalogue: SchemeCatalogue, size: int, level: Level, norm: Decimal
) -> None:
    """Each anchor row comes out of the data exactly as published, in every version."""
    for version in catalogue.versions:
        assert version.norm_table.row_for(size).norms[level] == norm, version.version


@pytest.mark.parametrize(("size", "level", "norm"), CASES)
def test_a_score_exactly_on_the_norm_meets_it_and_just_below_does_not(
    catalogue: SchemeCatalogue, size: int, level: Level, norm: Decimal
) -> None:
    """With weight-1 persons, direct FTE = norm% x size gives exactly the norm; 0.001 less fails."""
    version = catalogue.version("1.9")  # no basistrede: the level below trede 1 is nothing
    at_norm = norm * size / 100
    reached = assess(declaration(size, persons_for_fte(at_norm)), version)
    below = assess(declaration(size, persons_for_fte(at_norm - Decimal("0.001"))), version)
    assert reached.level is level
    assert below.level is (None if level is Level.TREDE_1 else TREDES[TREDES.index(level) - 1])


def test_sizes_above_105_use_the_105_row(catalogue: SchemeCatalogue) -> None:
    """ "105 and more": a 400 FTE organisation is held to the 105 row."""
    table = catalogue.version("2.1").norm_table
    assert table.row_for(400) == table.row_for(105)
    assert table.row_for(400).norms[Level.TREDE_3] == Decimal("3.7")


def test_sizes_between_anchors_are_interpolated_and_rounded_half_up(
    catalogue: SchemeCatalogue,
) -> None:
    """Size 3 = 21.4 + (12.6 - 21.4) x 1/3 = 18.4667 -> 18.5; size 55 trede 2 = 3.55 -> 3.6."""
    table = catalogue.version("2.1").norm_table
    assert table.row_for(3).norms[Level.TREDE_1] == Decimal("18.5")
    assert table.row_for(55).norms == {
        Level.BASISTREDE: Decimal("1.4"),  # half of 2.8, provisional
        Level.TREDE_1: Decimal("2.8"),
        Level.TREDE_2: Decimal("3.6"),
        Level.TREDE_3: Decimal("6.3"),
    }
    assert not table.row_for(55).anchor
    assert table.row_for(50).anchor


def test_every_whole_size_from_2_to_105_has_a_row_with_norms_rising_by_level(
    catalogue: SchemeCatalogue,
) -> None:
    """The table is complete and each row orders basistrede < trede 1 < trede 2 < trede 3."""
    for version in catalogue.versions:
        rows = version.norm_table.rows
        assert sorted(rows) == list(range(2, 106))
        for row in rows.values():
            values = [row.norms[level] for level in (Level.BASISTREDE, *TREDES)]
            assert values == sorted(values), row
            assert len(set(values)) == 4, row


def test_only_the_newest_version_presents_the_anchor_rows_as_published(
    catalogue: SchemeCatalogue,
) -> None:
    """The published table belongs to the newest version; older versions reuse it provisionally."""
    newest, older = catalogue.version("2.1"), catalogue.version("1.9")
    row, between = newest.norm_table.row_for(50), newest.norm_table.row_for(51)
    assert not newest.norm_table.cell_provenance(row, Level.TREDE_2).is_provisional
    assert newest.norm_table.cell_provenance(between, Level.TREDE_2).is_provisional
    assert newest.norm_table.cell_provenance(row, Level.BASISTREDE).is_provisional
    assert older.norm_table.cell_provenance(
        older.norm_table.row_for(50), Level.TREDE_2
    ).is_provisional


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        ("2017-04-01", "1.5"),
        ("2018-03-31", "1.5"),
        ("2018-04-01", "1.6"),
        ("2019-04-01", "1.7"),
        ("2021-03-31", "1.8"),
        ("2021-04-01", "1.9"),
        ("2023-03-31", "2.0"),
        ("2023-04-01", "2.1"),
        ("2026-11-29", "2.1"),
    ],
)
def test_the_version_in_force_changes_on_1_april(
    catalogue: SchemeCatalogue, day: str, expected: str
) -> None:
    """An application is assessed under the version in force on its submission day."""
    assert catalogue.version_in_force(dt.date.fromisoformat(day)).version == expected


def test_no_version_is_in_force_before_the_first_one_we_know(catalogue: SchemeCatalogue) -> None:
    """A date before handbook 1.5 is refused with a message naming the earliest version."""
    with pytest.raises(NoVersionInForceError, match=r"2017-03-31.*1\.5 from 2017-04-01"):
        catalogue.version_in_force(dt.date(2017, 3, 31))


def test_the_shipped_table_is_exactly_the_interpolation_of_its_anchor_rows() -> None:
    """Regenerating norm_tables/pso-normen.csv from its anchor rows gives the file byte for byte."""
    shipped = (resources.files("norms") / "data" / "norm_tables" / "pso-normen.csv").read_text()
    anchors = {
        size: {level: Decimal(norms[i]) for i, level in enumerate(TREDES)}
        for size, *norms in PUBLISHED_ANCHORS
    }
    assert rows_to_csv(interpolate_anchors(anchors)) == shipped
