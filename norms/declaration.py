"""The declaration (opgave): the figures of one peiljaar that an assessment is computed from.

Person data is limited to what the scheme needs: an opaque reference chosen by the organisation,
starting position, intake date, contract type and FTE. Names, BSNs and any other field are refused.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from norms.errors import DeclarationError
from norms.handbook import CONTRACTS, QUALITATIVE_CRITERIA, STARTING_POSITIONS
from norms.reading import DocumentReader, UnreadableError
from norms.text import text_problem

#: upper bounds of the figures, far above any Dutch organisation, so that arithmetic stays cheap
MAX_TOTAL_FTE = Decimal(1_000_000)
MAX_AMOUNT = Decimal(10) ** 12  # euros of turnover or purchases
#: the earliest intake date: a target-group worker may have started decades before the peiljaar
FIRST_INTAKE = dt.date(1950, 1, 1)
FIRST_PEILJAAR, LAST_PEILJAAR = 2000, 2100
#: ASCII digits only: Python's ``\d`` also matches other scripts' digits (٧٠٠٠٠٠٠٢)
KVK_NUMBER = re.compile(r"[0-9]{8}")
BSN_LIKE = re.compile(r"[0-9]{9}")
MAX_REF_LENGTH = 64
ORGANISATION_KINDS = ("regular", "sw_company")


@dataclass(frozen=True)
class Person:
    """One target-group worker, known only by an opaque reference."""

    ref: str
    starting_position: str
    intake_date: dt.date
    contract: str
    fte: Decimal


@dataclass(frozen=True)
class Purchase:
    """Purchases in the peiljaar from one PSO-certified supplier or SW company."""

    supplier_kvk: str
    supplier_turnover: Decimal
    supplier_total_fte: Decimal
    supplier_direct_share: Decimal
    amount: Decimal


#: the parts of a plan of approach: English name (the staff API's) -> the handbook's name
PLAN_PARTS = {
    "objective": "doelstelling",
    "support": "creeren_draagvlak",
    "recruitment_and_selection": "aanpassen_werving_selectie",
    "jobs_available": "functies_beschikbaar",
}


@dataclass(frozen=True)
class PlanOfApproach:
    """The aspirant's plan of approach (plan van aanpak): which parts it has, and board approval."""

    parts: frozenset[str]
    approved_by_board: bool

    @classmethod
    def of(cls, has: Mapping[str, bool], *, approved_by_board: bool) -> PlanOfApproach:
        """The plan with the parts ``has`` marks present, named in English (``PLAN_PARTS``)."""
        return cls(
            frozenset(PLAN_PARTS[k] for k, present in has.items() if present), approved_by_board
        )

    def to_document(self) -> dict[str, Any]:
        """The plan as a declaration's ``plan_of_approach``."""
        return {"parts": sorted(self.parts), "approved_by_board": self.approved_by_board}


@dataclass(frozen=True)
class Declaration:
    """All figures of one peiljaar for the applying organisation (main applicant + subsidiaries)."""

    peiljaar: int
    total_fte: Decimal
    persons: tuple[Person, ...]
    purchases: tuple[Purchase, ...]
    qualitative: Mapping[str, bool]
    plan_of_approach: PlanOfApproach | None = None
    organisation_kind: str = "regular"

    @property
    def target_group_fte(self) -> Decimal:
        """Unweighted FTE of all declared target-group persons."""
        return sum((p.fte for p in self.persons), Decimal(0))

    def to_document(self) -> dict[str, Any]:
        """The public JSON form (numbers as decimal strings)."""
        doc: dict[str, Any] = {
            "peiljaar": self.peiljaar,
            "total_fte": str(self.total_fte),
            "organisation_kind": self.organisation_kind,
            "persons": [
                {
                    "ref": p.ref,
                    "starting_position": p.starting_position,
                    "intake_date": p.intake_date.isoformat(),
                    "contract": p.contract,
                    "fte": str(p.fte),
                }
                for p in self.persons
            ],
            "purchases": [
                {key: str(getattr(b, key)) for key in PURCHASE_KEYS} for b in self.purchases
            ],
            "qualitative": dict(self.qualitative),
        }
        if self.plan_of_approach is not None:
            doc["plan_of_approach"] = self.plan_of_approach.to_document()
        return doc


PERSON_KEYS = ("ref", "starting_position", "intake_date", "contract", "fte")
PURCHASE_KEYS = (
    "supplier_kvk",
    "supplier_turnover",
    "supplier_total_fte",
    "supplier_direct_share",
    "amount",
)
TOP_KEYS = ("peiljaar", "total_fte", "persons", "purchases", "qualitative")


def declaration_from_document(doc: Any) -> Declaration:
    """Read and check a declaration; raise `DeclarationError` naming every bad field."""
    r = DocumentReader()
    declaration = None
    with contextlib.suppress(UnreadableError):
        declaration = _read(r, r.mapping(doc, "declaration"))
    if r.problems or declaration is None:
        raise DeclarationError(r.problems)
    return declaration


def _read(r: DocumentReader, doc: Mapping[str, Any]) -> Declaration:
    r.unknown_keys(doc, {*TOP_KEYS, "plan_of_approach", "organisation_kind"}, "")
    peiljaar = r.integer(r.field(doc, "peiljaar", ""), "peiljaar")
    if not FIRST_PEILJAAR <= peiljaar <= LAST_PEILJAAR:
        span = f"{FIRST_PEILJAAR} and {LAST_PEILJAAR}"
        raise r.fail("peiljaar", f"must be a year between {span}, got {peiljaar}")
    total_fte = r.decimal(r.field(doc, "total_fte", ""), "total_fte")
    if not 0 < total_fte <= MAX_TOTAL_FTE:
        r.fail("total_fte", f"must be above 0 and at most {MAX_TOTAL_FTE}, got {total_fte}")
    persons = _persons(r, r.items(r.field(doc, "persons", ""), "persons"), peiljaar)
    purchases = tuple(
        _purchase(r, r.mapping(item, f"purchases[{i}]"), f"purchases[{i}]")
        for i, item in enumerate(r.items(r.field(doc, "purchases", ""), "purchases"))
    )
    qualitative = _qualitative(r, r.mapping(r.field(doc, "qualitative", ""), "qualitative"))
    plan = None
    if "plan_of_approach" in doc:
        plan = _plan(r, r.mapping(doc["plan_of_approach"], "plan_of_approach"))
    kind = r.choice(
        doc.get("organisation_kind", "regular"), "organisation_kind", ORGANISATION_KINDS
    )
    declared = sum((p.fte for p in persons), Decimal(0))
    if total_fte > 0 and declared > total_fte:
        r.fail("total_fte", f"{total_fte} is below the target-group FTE declared ({declared})")
    return Declaration(peiljaar, total_fte, persons, purchases, qualitative, plan, kind)


def _persons(r: DocumentReader, items: list[Any], peiljaar: int) -> tuple[Person, ...]:
    persons = []
    seen: set[str] = set()
    for i, item in enumerate(items):
        path = f"persons[{i}]"
        try:
            person = _person(r, r.mapping(item, path), path, peiljaar)
        except UnreadableError:
            continue
        if person.ref in seen:
            r.fail(f"{path}.ref", f"reference {person.ref!r} is used twice")
        seen.add(person.ref)
        persons.append(person)
    return tuple(persons)


def _person(r: DocumentReader, doc: Mapping[str, Any], path: str, peiljaar: int) -> Person:
    extra = sorted(set(doc) - set(PERSON_KEYS))
    if extra:
        allowed = ", ".join(PERSON_KEYS)
        raise r.fail(
            f"{path}.{extra[0]}",
            f"is not accepted: person data is limited to {allowed} (no names or BSN)",
        )
    ref = r.text(r.field(doc, "ref", path), f"{path}.ref")
    problem = text_problem(ref, MAX_REF_LENGTH)
    if problem:
        r.fail(f"{path}.ref", problem)
    if BSN_LIKE.fullmatch(ref.strip()):
        r.fail(
            f"{path}.ref", "looks like a BSN; use an opaque reference chosen by the organisation"
        )
    position = r.choice(
        r.field(doc, "starting_position", path),
        f"{path}.starting_position",
        list(STARTING_POSITIONS),
    )
    intake = r.date(r.field(doc, "intake_date", path), f"{path}.intake_date")
    if intake > dt.date(peiljaar, 12, 31):
        r.fail(f"{path}.intake_date", f"{intake} lies after the peiljaar {peiljaar}")
    elif intake < FIRST_INTAKE:
        r.fail(f"{path}.intake_date", f"{intake} lies before {FIRST_INTAKE}")
    contract = r.choice(r.field(doc, "contract", path), f"{path}.contract", list(CONTRACTS))
    fte = r.decimal(r.field(doc, "fte", path), f"{path}.fte")
    # how much one person may count for is a rule of the handbook version (persons.max_fte),
    # checked by the assessment; here only the bound every figure has
    if not Decimal(0) < fte <= MAX_TOTAL_FTE:
        r.fail(f"{path}.fte", f"must be above 0 and at most {MAX_TOTAL_FTE}, got {fte}")
    return Person(ref, position, intake, contract, fte)


def _purchase(r: DocumentReader, doc: Mapping[str, Any], path: str) -> Purchase:
    r.unknown_keys(doc, set(PURCHASE_KEYS), path)
    kvk = r.text(r.field(doc, "supplier_kvk", path), f"{path}.supplier_kvk")
    if not KVK_NUMBER.fullmatch(kvk):
        r.fail(f"{path}.supplier_kvk", f"must be a KvK number of 8 digits, got {kvk!r}")
    turnover, total_fte, share, amount = (
        r.decimal(r.field(doc, key, path), f"{path}.{key}") for key in PURCHASE_KEYS[1:]
    )
    if not 0 < turnover <= MAX_AMOUNT:
        r.fail(f"{path}.supplier_turnover", f"must be above 0 and at most {MAX_AMOUNT}")
    if not 0 < total_fte <= MAX_TOTAL_FTE:
        r.fail(f"{path}.supplier_total_fte", f"must be above 0 and at most {MAX_TOTAL_FTE}")
    if not Decimal(0) <= share <= 1:
        r.fail(f"{path}.supplier_direct_share", f"must be a fraction from 0 to 1, got {share}")
    if amount < 0:
        r.fail(f"{path}.amount", f"must not be negative, got {amount}")
    elif amount > turnover:
        r.fail(f"{path}.amount", f"{amount} exceeds the supplier's turnover {turnover}")
    return Purchase(kvk, turnover, total_fte, share, amount)


def _qualitative(r: DocumentReader, doc: Mapping[str, Any]) -> dict[str, bool]:
    r.unknown_keys(doc, set(QUALITATIVE_CRITERIA), "qualitative")
    verdicts = {}
    for name in QUALITATIVE_CRITERIA:
        try:
            verdicts[name] = r.boolean(r.field(doc, name, "qualitative"), f"qualitative.{name}")
        except UnreadableError:
            continue
    return verdicts


def _plan(r: DocumentReader, doc: Mapping[str, Any]) -> PlanOfApproach:
    r.unknown_keys(doc, {"parts", "approved_by_board"}, "plan_of_approach")
    parts = r.items(r.field(doc, "parts", "plan_of_approach"), "plan_of_approach.parts")
    names = frozenset(_plan_part(r, p, f"plan_of_approach.parts[{i}]") for i, p in enumerate(parts))
    approved = r.boolean(
        r.field(doc, "approved_by_board", "plan_of_approach"), "plan_of_approach.approved_by_board"
    )
    return PlanOfApproach(names, approved)


def _plan_part(r: DocumentReader, value: Any, path: str) -> str:
    """The name of a part of the plan (which parts count is the handbook version's rule)."""
    name = r.text(value, path)
    problem = text_problem(name, MAX_REF_LENGTH)
    if problem:
        raise r.fail(path, problem)
    return name
