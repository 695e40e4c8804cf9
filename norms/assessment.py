"""The assessment (beoordeling) of a declaration under one handbook version: score, norms, level.

Arithmetic is exact (rational numbers), so a score exactly on a norm meets it and the result does
not depend on the order of persons or purchases. Numbers are rounded only for display.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from norms.calendar import add_years, days_between
from norms.declaration import Declaration, Person, Purchase
from norms.errors import DeclarationError, NotEligibleError, Problem
from norms.handbook import QUALITATIVE_CRITERIA, CountingRule, HandbookVersion
from norms.levels import SCORED_LEVELS, Level
from norms.provenance import Provenance, Sourced

HUNDRED = Fraction(100)


@dataclass(frozen=True)
class PersonContribution:
    """How one target-group person counts towards the direct contribution."""

    person: Person
    starting_weight: Sourced[Decimal]
    contract_weight: Sourced[Decimal]
    window_factor: Fraction
    weighted_fte: Fraction


@dataclass(frozen=True)
class PurchaseContribution:
    """Target-group FTE that worked on one purchase, pro rata to the supplier's turnover."""

    purchase: Purchase
    fte: Fraction


@dataclass(frozen=True)
class LevelCheck:
    """Whether one scored level is met: the norm for this size, the score, the qualitative part."""

    level: Level
    norm: Decimal
    norm_provenance: Provenance
    score_met: bool
    qualitative_required: bool
    met: bool


@dataclass(frozen=True)
class Pso30PlusCheck:
    """The PSO 30+ test: trede 3, target-group share and minimum size."""

    counted_fte: Fraction
    target_group_share: Fraction
    min_share: Decimal
    trede_3: bool
    large_enough: bool
    eligible: bool


@dataclass(frozen=True)
class Assessment:
    """The full, readable result: every rule, weight and norm row that led to the level."""

    version: HandbookVersion
    declaration: Declaration
    size: int
    norm_row: int
    persons: tuple[PersonContribution, ...]
    purchases: tuple[PurchaseContribution, ...]
    direct_fte: Fraction
    direct_share: Fraction
    indirect_fte: Fraction
    indirect_share_uncapped: Fraction
    indirect_share: Fraction
    checks: tuple[LevelCheck, ...]
    qualitative_met: bool
    aspirant_plan_complete: bool
    level: Level | None
    pso30plus: Pso30PlusCheck
    provisional: tuple[tuple[str, str], ...]

    @property
    def total_score(self) -> Fraction:
        """The total score in percent: direct plus (capped) indirect share."""
        return (self.direct_share + self.indirect_share) * HUNDRED


def assess(declaration: Declaration, version: HandbookVersion) -> Assessment:
    """Assess a declaration under a handbook version; raise when it cannot be assessed."""
    if declaration.organisation_kind == "sw_company":
        msg = "SW companies are assessed with a separate calculation that is not supported yet"
        raise NotEligibleError(msg)
    size = eligible_size(declaration.total_fte, version)
    _check_persons(declaration, version)
    notes: dict[str, str] = {}
    if version.size.rounding_decisive(declaration.total_fte, version.norm_table.max_size):
        _note(notes, "size.rounding", version.size.rounding.provenance)
    if any(version.persons.fte_decisive(p.fte) for p in declaration.persons):
        _note(notes, "persons.max_fte", version.persons.max_fte.provenance)
    persons = tuple(
        _count_person(declaration, version, i, notes) for i in range(len(declaration.persons))
    )
    purchases = tuple(PurchaseContribution(b, _indirect_fte(b)) for b in declaration.purchases)
    total_fte = Fraction(declaration.total_fte)
    direct_fte = sum((p.weighted_fte for p in persons), Fraction(0))
    indirect_fte = sum((b.fte for b in purchases), Fraction(0))
    direct_share = direct_fte / total_fte
    uncapped = indirect_fte / (total_fte + indirect_fte)
    indirect_share = version.indirect.capped(direct_share, uncapped)
    if indirect_share < uncapped:
        _note(notes, "indirect.cap", version.indirect.cap.provenance)
    score = (direct_share + indirect_share) * HUNDRED
    qualitative_met = all(declaration.qualitative.get(c, False) for c in QUALITATIVE_CRITERIA)
    checks = level_checks(
        version, size, score, qualitative_met=qualitative_met, has_direct=direct_fte > 0
    )
    row = version.norm_table.row_for(size).size
    for check in checks:
        _note(notes, f"norm_table[{row}].{check.level}", check.norm_provenance)
        if direct_fte > 0 and version.pass_rule.decisive(score, check.norm):
            _note(notes, "score.comparison", version.pass_rule.comparison.provenance)
        if check.score_met and check.qualitative_required and not qualitative_met:
            _note(notes, "qualitative_required_for", version.qualitative_required_for.provenance)
    plan_complete = _plan_complete(declaration, version)
    level = highest_met(checks)
    if level is None and plan_complete and version.has_level(Level.ASPIRANT):
        level = Level.ASPIRANT
    pso30 = _pso30plus(declaration, version, persons, level, notes)
    return Assessment(
        version=version,
        declaration=declaration,
        size=size,
        norm_row=version.norm_table.row_for(size).size,
        persons=persons,
        purchases=purchases,
        direct_fte=direct_fte,
        direct_share=direct_share,
        indirect_fte=indirect_fte,
        indirect_share_uncapped=uncapped,
        indirect_share=indirect_share,
        checks=checks,
        qualitative_met=qualitative_met,
        aspirant_plan_complete=plan_complete,
        level=level,
        pso30plus=pso30,
        provisional=tuple(sorted(notes.items())),
    )


def level_checks(
    version: HandbookVersion,
    size: int,
    score: Fraction,
    *,
    qualitative_met: bool,
    has_direct: bool,
) -> tuple[LevelCheck, ...]:
    """Each scored level of the version against the norm row for this size.

    A level is met when the score (percent) meets its norm by the version's pass rule, a direct
    contribution exists, and the qualitative criteria are met where the level requires them.
    """
    row = version.norm_table.row_for(size)
    checks = []
    for level in SCORED_LEVELS:
        if not version.has_level(level):
            continue
        norm = row.norms[level]
        required = level in version.qualitative_required_for.value
        score_met = has_direct and version.pass_rule.meets(score, norm)
        met = score_met and (qualitative_met or not required)
        provenance = version.norm_table.cell_provenance(row, level)
        checks.append(LevelCheck(level, norm, provenance, score_met, required, met))
    return tuple(checks)


def highest_met(checks: tuple[LevelCheck, ...]) -> Level | None:
    """The highest scored level met, if any."""
    met = [c.level for c in checks if c.met]
    return max(met, key=lambda level: level.rank) if met else None


def eligible_size(total_fte: Decimal, version: HandbookVersion) -> int:
    """The organisation's size under the version's size rule; raise when it is not eligible.

    The one eligibility rule of the scheme: submission, scoring and the contribution brackets
    all rest on it (an organisation that passes it always falls in a bracket).
    """
    rule = version.size
    size = rule.size_of(total_fte)
    if size < rule.min_eligible.value:
        why = rule.min_eligible.provenance.note or rule.min_eligible.provenance.source
        msg = (
            f"not eligible: total FTE {total_fte} gives organisation size {size} "
            f"(rounded {rule.rounding.value.replace('_', ' ')}); organisations below size "
            f"{rule.min_eligible.value} are not eligible under handbook {version.version} "
            f"(size.min_eligible: {why})"
        )
        raise NotEligibleError(msg)
    return size


def _check_persons(declaration: Declaration, version: HandbookVersion) -> None:
    """Each person counts for at most the version's FTE limit."""
    limit = version.persons.max_fte
    problems = [
        Problem(
            f"persons[{i}].fte",
            f"{p.fte} exceeds the {limit.value} FTE one person may count for under handbook "
            f"{version.version} (persons.max_fte)",
        )
        for i, p in enumerate(declaration.persons)
        if p.fte > limit.value
    ]
    if problems:
        raise DeclarationError(problems)


def _note(notes: dict[str, str], path: str, provenance: Provenance) -> None:
    if provenance.is_provisional:
        notes[path] = provenance.note or ""


def _count_person(
    declaration: Declaration, version: HandbookVersion, index: int, notes: dict[str, str]
) -> PersonContribution:
    person = declaration.persons[index]
    position = version.starting_positions.get(person.starting_position)
    contract = version.contracts.get(person.contract)
    problems = []
    if position is None:
        problems.append(
            Problem(
                f"persons[{index}].starting_position",
                f"{person.starting_position!r} does not count under handbook {version.version}",
            )
        )
    if contract is None:
        problems.append(
            Problem(
                f"persons[{index}].contract",
                f"{person.contract!r} does not count under handbook {version.version}",
            )
        )
    if position is None or contract is None:
        raise DeclarationError(problems)
    for rule, kind in ((position, "starting_positions"), (contract, "contracts")):
        _note(notes, f"{kind}.{rule.name}.weight", rule.weight.provenance)
        if rule.counts_for_years is not None:
            _note(notes, f"{kind}.{rule.name}.counts_for_years", rule.counts_for_years.provenance)
    factor = _window_factor(person, declaration.peiljaar, (position, contract))
    if factor not in (0, 1):
        _note(notes, "counting_window.pro_rata", version.counting_window.pro_rata.provenance)
    weighted = (
        Fraction(person.fte)
        * Fraction(position.weight.value)
        * Fraction(contract.weight.value)
        * factor
    )
    return PersonContribution(person, position.weight, contract.weight, factor, weighted)


def _window_factor(person: Person, peiljaar: int, rules: tuple[CountingRule, ...]) -> Fraction:
    """Share of the person's days in the peiljaar that fall inside every counting window."""
    start = max(dt.date(peiljaar, 1, 1), person.intake_date)
    end_of_year = dt.date(peiljaar + 1, 1, 1)
    window_end = end_of_year
    for rule in rules:
        if rule.counts_for_years is not None:
            window_end = min(window_end, add_years(person.intake_date, rule.counts_for_years.value))
    employed = days_between(start, end_of_year)
    return Fraction(days_between(start, window_end), employed)


def _indirect_fte(purchase: Purchase) -> Fraction:
    return (
        Fraction(purchase.amount)
        / Fraction(purchase.supplier_turnover)
        * Fraction(purchase.supplier_total_fte)
        * Fraction(purchase.supplier_direct_share)
    )


def _plan_complete(declaration: Declaration, version: HandbookVersion) -> bool:
    plan = declaration.plan_of_approach
    if plan is None:
        return False
    return plan.approved_by_board and set(version.aspirant.plan_parts.value) <= plan.parts


def _pso30plus(
    declaration: Declaration,
    version: HandbookVersion,
    persons: tuple[PersonContribution, ...],
    level: Level | None,
    notes: dict[str, str],
) -> Pso30PlusCheck:
    """Target-group FTE inside their counting windows (the direct score's windows), without the
    excluded starting positions, over the total FTE."""
    rule = version.pso30plus
    counted = sum(
        (
            Fraction(p.person.fte) * p.window_factor
            for p in persons
            if not rule.excludes(p.person.starting_position)
        ),
        Fraction(0),
    )
    share = counted / Fraction(declaration.total_fte)
    trede_3 = level is Level.TREDE_3
    large_enough = declaration.total_fte >= rule.min_total_fte.value
    eligible = trede_3 and large_enough and share >= Fraction(rule.min_target_group_share.value)
    if trede_3:
        _note(notes, "pso30plus.share_basis", rule.share_basis.provenance)
        pupils = rule.excluded_pupil_positions
        if any(p.person.starting_position in pupils.value and p.window_factor for p in persons):
            _note(notes, "pso30plus.excluded_pupil_positions", pupils.provenance)
    return Pso30PlusCheck(
        counted, share, rule.min_target_group_share.value, trede_3, large_enough, eligible
    )
