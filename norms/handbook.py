"""A handbook version (PSO-handleiding): every rule in force from its date, with provenance."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from norms.calendar import HOLIDAYS, WorkingDays
from norms.errors import HandbookError
from norms.levels import SCORED_LEVELS, Level
from norms.norm_table import NormTable, rows_from_records
from norms.provenance import Provenance, Sourced
from norms.reading import DocumentReader, UnreadableError
from norms.scoring_rules import (
    CAP_MECHANISMS,
    COMPARISONS,
    PRO_RATA,
    ROUNDINGS,
    CountingWindowRule,
    IndirectRule,
    PassRule,
    PersonRule,
    SizeRule,
)

STARTING_POSITIONS = (
    "wsw", "participatiewet", "participatiewet_lks", "wao_wia_waz", "wajong", "bbl_bol_1",
    "bbl_bol_2", "bbl_bol_3_4", "vso_pro", "ww", "wiw_id", "lost_status", "doelgroepregister",
    "temporary_protection",
)  # fmt: skip
CONTRACTS = ("regular", "supported_employment", "secondment", "internship", "trial_placement")
#: a version's name, such as 2.1 (read models keep it in a short column)
VERSION_NAME = re.compile(r"[0-9]{1,2}\.[0-9]{1,2}")
#: the largest organisation size a norm table may have a row for
MAX_TABLE_SIZE = 1000
QUALITATIVE_CRITERIA = ("passend_werk", "integratie", "functioneren_en_ontwikkeling", "begeleiding")


@dataclass(frozen=True)
class CountingRule:
    """How one starting position or contract type counts: a weight, maybe a limited window."""

    name: str
    weight: Sourced[Decimal]
    counts_for_years: Sourced[int] | None = None
    counts_while: str | None = None


@dataclass(frozen=True)
class Pso30PlusRule:
    """The PSO 30+ certificate: trede 3 plus a minimum target-group share and size."""

    min_target_group_share: Sourced[Decimal]
    min_total_fte: Sourced[Decimal]
    excluded_starting_positions: Sourced[tuple[str, ...]]
    #: starting positions excluded as pupils (VSO/PRO): which ones is an assumption
    excluded_pupil_positions: Sourced[tuple[str, ...]]
    share_basis: Sourced[str]

    def excludes(self, starting_position: str) -> bool:
        """True when a person of this starting position does not count towards the 30%."""
        return starting_position in (
            *self.excluded_starting_positions.value,
            *self.excluded_pupil_positions.value,
        )


@dataclass(frozen=True)
class AspirantRule:
    """Aspirant status: a plan of approach, valid some years, extendable a limited times."""

    validity_years: Sourced[int]
    max_extensions: Sourced[int]
    plan_parts: Sourced[tuple[str, ...]]


@dataclass(frozen=True)
class CertificateRule:
    """How long a certificate runs and when the renewal reminder goes out."""

    validity_years: Sourced[int]
    reminder_months_before_expiry: Sourced[int]


@dataclass(frozen=True)
class ProcedureRule:
    """Windows and lead times of the procedure (objections, decision)."""

    audit_plan_objection_working_days: Sourced[int]
    decision_months_after_audit: Sourced[int]
    board_objection_weeks: Sourced[int]
    committee_objection_weeks: Sourced[int]


@dataclass(frozen=True)
class HandbookVersion:
    """One version of the PSO-handleiding, fully resolved, as the scheme data publishes it."""

    version: str
    effective_from: Sourced[dt.date]
    levels: Sourced[tuple[Level, ...]]
    qualitative_required_for: Sourced[frozenset[Level]]
    norm_table: NormTable
    min_size_fte: Sourced[int]
    size: SizeRule
    persons: PersonRule
    pass_rule: PassRule
    starting_positions: Mapping[str, CountingRule]
    contracts: Mapping[str, CountingRule]
    counting_window: CountingWindowRule
    indirect: IndirectRule
    pso30plus: Pso30PlusRule
    aspirant: AspirantRule
    certificate: CertificateRule
    procedure: ProcedureRule
    working_days: WorkingDays
    document: Mapping[str, Any] = field(repr=False, compare=False)

    def has_level(self, level: Level) -> bool:
        """True when the level exists under this version (basistrede only from 2.1)."""
        return level in self.levels.value

    def provisional_values(self) -> list[tuple[str, str]]:
        """Every provisional value of this version as (path, reason), for staff review."""
        found: list[tuple[str, str]] = []
        _collect_provisional(self.document, "", found)
        table = self.norm_table
        interpolated = table.interpolated
        if (
            interpolated
            and interpolated.is_provisional
            and any(not row.anchor for row in table.rows.values())
        ):
            found.append(("norm_table.interpolated_rows", interpolated.note or ""))
        for level, provenance in table.columns.items():
            if provenance.is_provisional and self.has_level(level):
                found.append((f"norm_table.columns.{level}", provenance.note or ""))
        return found


def _collect_provisional(node: Any, path: str, found: list[tuple[str, str]]) -> None:
    if isinstance(node, Mapping):
        if "provisional" in node and "value" in node:
            found.append((path, str(node["provisional"])))
        for key, child in node.items():
            if key not in ("rows", "columns", "interpolated_rows"):
                _collect_provisional(child, f"{path}.{key}" if path else key, found)


def _version_name(r: DocumentReader, value: Any) -> str:
    """A handbook version's name: a major and a minor number, such as ``2.1``."""
    if not isinstance(value, str) or not VERSION_NAME.fullmatch(value):
        raise r.fail("version", f"must be a version such as 2.1, got {str(value)[:20]!r}")
    return value


def handbook_from_document(doc: Mapping[str, Any]) -> HandbookVersion:
    """Parse and check a resolved handbook document; raise `HandbookError` naming every problem."""
    r = DocumentReader()
    try:
        version = _parse(r, doc)
    except UnreadableError:
        version = None
    if r.problems or version is None:
        raise HandbookError(r.problems)
    return version


def _parse(r: DocumentReader, doc: Mapping[str, Any]) -> HandbookVersion:
    def level_list(value: Any, path: str) -> tuple[Level, ...]:
        names = r.items(value, path)
        return tuple(Level(r.choice(n, f"{path}[{i}]", list(Level))) for i, n in enumerate(names))

    def name_list(value: Any, path: str) -> tuple[str, ...]:
        return tuple(r.text(v, f"{path}[{i}]") for i, v in enumerate(r.items(value, path)))

    levels = r.sourced(doc, "levels", "", level_list)
    qualitative = r.sourced(doc, "qualitative_required_for", "", level_list)
    min_size = r.sourced(doc, "min_size_fte", "", r.integer)
    max_size = r.sourced(doc, "max_size_fte", "", r.integer)
    if not 1 <= min_size.value <= max_size.value <= MAX_TABLE_SIZE:
        msg = f"sizes must run from 1 to at most {MAX_TABLE_SIZE} FTE, min before max"
        raise r.fail("max_size_fte", msg)
    table = _norm_table(r, r.mapping(r.field(doc, "norm_table", ""), "norm_table"))
    expected_sizes = set(range(min_size.value, max_size.value + 1))
    if set(table.rows) != expected_sizes:
        r.fail("norm_table.rows", f"must hold every size {min_size.value}..{max_size.value}")
    sections = {
        key: r.mapping(r.field(doc, key, ""), key)
        for key in (
            "indirect", "pso30plus", "aspirant", "certificate", "procedure", "size", "persons",
            "score", "counting_window", "calendar",
        )
    }  # fmt: skip
    p30, asp, cert, proc, size = (
        sections[k] for k in ("pso30plus", "aspirant", "certificate", "procedure", "size")
    )
    size_rule = SizeRule(
        rounding=r.sourced(size, "rounding", "size", _one_of(r, ROUNDINGS)),
        min_eligible=r.sourced(size, "min_eligible", "size", r.integer),
    )
    if size_rule.min_eligible.value < min_size.value:
        r.fail("size.min_eligible", f"must be at least min_size_fte ({min_size.value})")
    indirect = IndirectRule(
        max_share_of_score=r.sourced(
            sections["indirect"], "max_share_of_score", "indirect", r.decimal
        ),
        cap=r.sourced(sections["indirect"], "cap", "indirect", _one_of(r, CAP_MECHANISMS)),
    )
    if not 0 <= indirect.max_share_of_score.value < 1:
        r.fail("indirect.max_share_of_score", "must be a fraction from 0 to below 1")
    return HandbookVersion(
        version=_version_name(r, r.field(doc, "version", "")),
        effective_from=r.sourced(doc, "effective_from", "", r.date),
        levels=levels,
        qualitative_required_for=Sourced(frozenset(qualitative.value), qualitative.provenance),
        norm_table=table,
        min_size_fte=min_size,
        size=size_rule,
        persons=PersonRule(r.sourced(sections["persons"], "max_fte", "persons", r.decimal)),
        pass_rule=PassRule(
            r.sourced(sections["score"], "comparison", "score", _one_of(r, COMPARISONS))
        ),
        starting_positions=_counting_rules(r, doc, "starting_positions", STARTING_POSITIONS),
        contracts=_counting_rules(r, doc, "contracts", CONTRACTS),
        counting_window=CountingWindowRule(
            r.sourced(
                sections["counting_window"], "pro_rata", "counting_window", _one_of(r, PRO_RATA)
            )
        ),
        indirect=indirect,
        pso30plus=Pso30PlusRule(
            min_target_group_share=r.sourced(p30, "min_target_group_share", "pso30plus", r.decimal),
            min_total_fte=r.sourced(p30, "min_total_fte", "pso30plus", r.decimal),
            excluded_starting_positions=r.sourced(
                p30, "excluded_starting_positions", "pso30plus", name_list
            ),
            excluded_pupil_positions=r.sourced(
                p30, "excluded_pupil_positions", "pso30plus", name_list
            ),
            share_basis=r.sourced(p30, "share_basis", "pso30plus", r.text),
        ),
        aspirant=AspirantRule(
            validity_years=r.sourced(asp, "validity_years", "aspirant", r.integer),
            max_extensions=r.sourced(asp, "max_extensions", "aspirant", r.integer),
            plan_parts=r.sourced(asp, "plan_parts", "aspirant", name_list),
        ),
        certificate=CertificateRule(
            validity_years=r.sourced(cert, "validity_years", "certificate", r.integer),
            reminder_months_before_expiry=r.sourced(
                cert, "reminder_months_before_expiry", "certificate", r.integer
            ),
        ),
        procedure=ProcedureRule(
            **{
                name: r.sourced(proc, name, "procedure", r.integer)
                for name in (
                    "audit_plan_objection_working_days",
                    "decision_months_after_audit",
                    "board_objection_weeks",
                    "committee_objection_weeks",
                )
            }
        ),
        working_days=WorkingDays(
            r.sourced(sections["calendar"], "holidays", "calendar", _names_of(r, HOLIDAYS))
        ),
        document=doc,
    )


def _one_of(r: DocumentReader, allowed: Collection[str]) -> Callable[[Any, str], str]:
    """A parser for a value that must name one of the ways the code can apply a rule."""
    return lambda value, path: r.choice(value, path, allowed)


def _names_of(r: DocumentReader, allowed: Collection[str]) -> Callable[[Any, str], tuple[str, ...]]:
    """A parser for a list of names, each one of ``allowed``."""

    def parse(value: Any, path: str) -> tuple[str, ...]:
        items = r.items(value, path)
        return tuple(r.choice(v, f"{path}[{i}]", allowed) for i, v in enumerate(items))

    return parse


def _norm_table(r: DocumentReader, doc: Mapping[str, Any]) -> NormTable:
    name = r.text(r.field(doc, "value", "norm_table"), "norm_table.value")
    records = r.items(r.field(doc, "rows", "norm_table"), "norm_table.rows")
    try:
        rows = rows_from_records(records)
    except (KeyError, ValueError, ArithmeticError) as exc:
        raise r.fail("norm_table.rows", f"malformed row ({exc})") from None
    r.unknown_keys(
        doc,
        {"value", "source", "provisional", "rows", "interpolated_rows", "columns"},
        "norm_table",
    )
    interpolated = None
    if "interpolated_rows" in doc:
        path = "norm_table.interpolated_rows"
        interpolated = r.provenance(r.mapping(doc["interpolated_rows"], path), path)
    elif any(not row.anchor for row in rows):
        r.fail(
            "norm_table.interpolated_rows",
            "is required when rows are marked interpolated (their provenance)",
        )
    columns: dict[Level, Provenance] = {}
    for name, leaf in r.mapping(doc.get("columns", {}), "norm_table.columns").items():
        path = f"norm_table.columns.{name}"
        level = Level(r.choice(name, path, [lvl.value for lvl in SCORED_LEVELS]))
        columns[level] = r.provenance(r.mapping(leaf, path), path)
    return NormTable(
        name,
        {row.size: row for row in rows},
        r.provenance(doc, "norm_table"),
        interpolated,
        columns,
    )


def _counting_rules(
    r: DocumentReader, doc: Mapping[str, Any], key: str, known: tuple[str, ...]
) -> dict[str, CountingRule]:
    section = r.mapping(r.field(doc, key, ""), key)
    rules = {}
    for name, entry in section.items():
        path = f"{key}.{name}"
        r.choice(name, path, list(known))
        entry_doc = r.mapping(entry, path)
        r.unknown_keys(entry_doc, {"weight", "counts_for_years", "counts_while"}, path)
        window = None
        if "counts_for_years" in entry_doc:
            window = r.sourced(entry_doc, "counts_for_years", path, r.integer)
        rules[name] = CountingRule(
            name=name,
            weight=r.sourced(entry_doc, "weight", path, r.decimal),
            counts_for_years=window,
            counts_while=entry_doc.get("counts_while"),
        )
    return rules
