"""Reading an existing register from CSV: every bad row is reported with its line number."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass

from domain.certificate import Status
from domain.errors import InvalidInputError
from domain.values import CERTIFICATE_NUMBER, ci_code
from norms.declaration import KVK_NUMBER
from norms.levels import Level

COLUMNS = ("kvk", "name", "place", "subsidiaries", "certificate_number", "level", "pso30plus",
           "valid_from", "valid_until", "certifying_institution", "status",
           "status_effective_on")  # fmt: skip
TRUE, FALSE = ("true", "yes", "1", "ja"), ("false", "no", "0", "nee", "")


@dataclass(frozen=True)
class ImportRow:
    """One certificate of an existing register."""

    line: int
    kvk: str
    name: str
    place: str
    subsidiaries: tuple[str, ...]
    certificate_number: str
    level: Level
    pso30plus: bool
    valid_from: dt.date
    valid_until: dt.date
    ci: str
    status: Status
    status_effective_on: dt.date | None


def parse_register_csv(text: str) -> tuple[list[ImportRow], list[str]]:
    """The rows of a register file, and a problem per bad row (``line N: field: what``)."""
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        return [], [f"line 1: missing columns: {', '.join(missing)}"]
    rows, problems = [], []
    numbers: set[str] = set()
    for line, record in enumerate(reader, start=2):
        found: list[str] = []
        row = _row(line, record, found)
        if row is not None and row.certificate_number in numbers:
            found.append(f"certificate_number: {row.certificate_number} appears twice")
        problems += [f"line {line}: {p}" for p in found]
        if row is not None and not found:
            rows.append(row)
            numbers.add(row.certificate_number)
    return rows, problems


def _row(line: int, r: dict[str, str], found: list[str]) -> ImportRow | None:
    def text(name: str) -> str:
        return (r.get(name) or "").strip()

    def day(name: str, *, required: bool = True) -> dt.date | None:
        value = text(name)
        if not value and not required:
            return None
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            found.append(f"{name}: expected a date YYYY-MM-DD, got {value!r}")
            return None

    kvk, number = text("kvk"), text("certificate_number")
    subsidiaries = tuple(s for s in re.split(r"[\s;,]+", text("subsidiaries")) if s)
    if not KVK_NUMBER.fullmatch(kvk):
        found.append(f"kvk: a KvK number has exactly 8 digits, got {kvk!r}")
    found += [
        f"subsidiaries: {s!r} is not a KvK number"
        for s in subsidiaries
        if not KVK_NUMBER.fullmatch(s)
    ]
    if not text("name"):
        found.append("name: is required")
    if not CERTIFICATE_NUMBER.fullmatch(number):
        found.append(f"certificate_number: expected PSO-YYYY-NNNNNN, got {number!r}")
    level = text("level")
    if level not in list(Level):
        found.append(f"level: unknown level {level!r}")
    flag = text("pso30plus").lower()
    if flag not in TRUE + FALSE:
        found.append(f"pso30plus: expected true or false, got {flag!r}")
    status = text("status") or "active"
    if status not in list(Status):
        found.append(f"status: unknown status {status!r}")
    start, end = day("valid_from"), day("valid_until")
    effective = day("status_effective_on", required=False)
    if start and end and end < start:
        found.append(f"valid_until: {end} lies before valid_from {start}")
    if status in ("suspended", "withdrawn", "superseded") and effective is None:
        found.append(f"status_effective_on: required for status {status}")
    if effective and start and end and not start <= effective <= end + dt.timedelta(days=1):
        found.append(f"status_effective_on: {effective} lies outside {start}..{end}")
    ci = ""
    try:
        ci = ci_code(text("certifying_institution"), "certifying_institution")
    except InvalidInputError as exc:
        found.append(str(exc))
    if found or start is None or end is None:
        return None
    return ImportRow(
        line=line,
        kvk=kvk,
        name=text("name"),
        place=text("place"),
        subsidiaries=subsidiaries,
        certificate_number=number,
        level=Level(level),
        pso30plus=flag in TRUE,
        valid_from=start,
        valid_until=end,
        ci=ci,
        status=Status(status),
        status_effective_on=effective,
    )
