"""Norm tables (normtabellen): the minimum total score per organisation size and level."""

from __future__ import annotations

import csv
import io
import itertools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from norms.levels import SCORED_LEVELS, Level
from norms.provenance import Provenance

ONE_DECIMAL = Decimal("0.1")


@dataclass(frozen=True)
class NormRow:
    """The norms (percent of total score) for one whole organisation size in FTE."""

    size: int
    norms: Mapping[Level, Decimal]
    anchor: bool


@dataclass(frozen=True)
class NormTable:
    """A full table for sizes ``min_size..max_size``; the last row also holds for larger sizes."""

    name: str
    rows: Mapping[int, NormRow]
    provenance: Provenance
    #: the provenance of rows marked interpolated (None when every row is an anchor row)
    interpolated: Provenance | None = None
    #: columns whose provenance differs from the table's, e.g. an unpublished basistrede column
    columns: Mapping[Level, Provenance] = field(default_factory=dict)

    @property
    def min_size(self) -> int:
        """The smallest size with a norm; below it an organisation is not eligible."""
        return min(self.rows)

    @property
    def max_size(self) -> int:
        """The largest size in the table ("105 and more")."""
        return max(self.rows)

    def row_for(self, size: int) -> NormRow:
        """The row for a whole size; sizes above the table use its last row."""
        if size < self.min_size:
            msg = f"no norm below {self.min_size} FTE (size {size})"
            raise ValueError(msg)
        return self.rows[min(size, self.max_size)]

    def cell_provenance(self, row: NormRow, level: Level) -> Provenance:
        """The column's own provenance when the data gives one (an unpublished column), else the
        interpolation's for an interpolated row, else the table's."""
        if level in self.columns:
            return self.columns[level]
        if not row.anchor and self.interpolated is not None:
            return self.interpolated
        return self.provenance


def round_one_decimal(value: Decimal) -> Decimal:
    """Round half up to one decimal, as the table prints its norms."""
    return value.quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


def interpolate_anchors(anchors: Mapping[int, Mapping[Level, Decimal]]) -> list[NormRow]:
    """Fill every whole size between the published anchor rows by linear interpolation.

    Anchor rows come out exactly as given; the basistrede column is derived when absent (half the
    trede 1 norm; the handbook data marks that column provisional and says why).
    """
    sizes = sorted(anchors)
    rows: list[NormRow] = []
    for low, high in itertools.pairwise(sizes):
        for size in range(low, high):
            fraction = Decimal(size - low) / Decimal(high - low)
            norms = {
                level: round_one_decimal(
                    anchors[low][level] + (anchors[high][level] - anchors[low][level]) * fraction
                )
                for level in (Level.TREDE_1, Level.TREDE_2, Level.TREDE_3)
            }
            rows.append(NormRow(size, _with_basistrede(norms), anchor=size == low))
    last = sizes[-1]
    rows.append(NormRow(last, _with_basistrede(dict(anchors[last])), anchor=True))
    return rows


def _with_basistrede(norms: dict[Level, Decimal]) -> dict[Level, Decimal]:
    norms.setdefault(Level.BASISTREDE, round_one_decimal(norms[Level.TREDE_1] / 2))
    return {level: norms[level] for level in SCORED_LEVELS}


CSV_COLUMNS = ("size", *(level.value for level in SCORED_LEVELS), "row")


def rows_to_csv(rows: Iterable[NormRow]) -> str:
    """The CSV form of a table: one line per size, ``row`` says anchor or interpolated."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        kind = "anchor" if row.anchor else "interpolated"
        writer.writerow([row.size, *(row.norms[level] for level in SCORED_LEVELS), kind])
    return out.getvalue()


def rows_from_records(records: Iterable[Mapping[str, object]]) -> list[NormRow]:
    """Rows from dictionaries with the CSV columns (values as text or numbers)."""
    rows = []
    for record in records:
        norms = {level: Decimal(str(record[level.value])) for level in SCORED_LEVELS}
        rows.append(NormRow(int(str(record["size"])), norms, anchor=record["row"] == "anchor"))
    return rows
