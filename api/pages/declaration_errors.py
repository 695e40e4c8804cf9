"""The declaration reader's problems (``norms.declaration``, ``norms.assessment``) as errors of
the self-assessment's form: each names its field by the label the form shows ("Persoon 2: FTE")
and says in the page's language what is wrong. The reader names every bad field, in English with
its path (``persons[1].fte: must be above 0 ...``); this is only its translation."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from api.pages.forms import (
    MISSING,
    NOT_A_CHOICE,
    NOT_A_DAY,
    NOT_PRINTABLE,
    NOT_VALID,
    TOO_LONG,
    FieldError,
)
from api.pages.labels import CRITERIA, N_
from norms.declaration import FIRST_INTAKE
from norms.errors import Problem

#: the form's label of each figure of a declaration
FIGURES: dict[str, str] = {
    "peiljaar": N_("Peiljaar"),
    "total_fte": N_("Totaal aantal FTE"),
    "ref": N_("kenmerk"),
    "starting_position": N_("uitgangspositie"),
    "intake_date": N_("startdatum"),
    "contract": N_("contract"),
    "fte": N_("FTE"),
    "supplier_kvk": N_("KvK-nummer leverancier"),
    "supplier_turnover": N_("omzet leverancier"),
    "supplier_total_fte": N_("FTE leverancier"),
    "supplier_direct_share": N_("directe aandeel leverancier"),
    "amount": N_("bedrag"),
}
PERSON = N_("Persoon %(n)s")
PURCHASE = N_("Aankoop %(n)s")
PLAN = N_("Plan van aanpak")
DECLARATION = N_("Opgave")
NOT_A_NUMBER = N_("‘%(label)s’ is geen getal. Schrijf bijvoorbeeld 12,5.")
#: the reader's reasons (English, by their start) and what the page says instead
REASONS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"is required|must be a non-empty text"), MISSING),
    (re.compile(r"must be a whole number"), N_("‘%(label)s’ moet een geheel getal zijn.")),
    (re.compile(r"must be a year between (?P<first>[0-9]+) and (?P<last>[0-9]+)"),
     N_("‘%(label)s’ moet een jaar van %(first)s tot en met %(last)s zijn.")),
    (re.compile(r"must be (a number|a finite number|written in|lie between)"), NOT_A_NUMBER),
    (re.compile(r"must be above 0 and at most (?P<max>[0-9]+)"),
     N_("‘%(label)s’ moet groter zijn dan 0 en ten hoogste %(max)s.")),
    (re.compile(r"must be a date"), NOT_A_DAY),
    (re.compile(r".* lies after the peiljaar"), N_("‘%(label)s’ ligt na het peiljaar.")),
    (re.compile(r".* lies before"), N_("‘%(label)s’ ligt vóór %(first)s.")),
    (re.compile(r"unknown value"), NOT_A_CHOICE),
    (re.compile(r"reference .* is used twice"),
     N_("‘%(label)s’ komt twee keer voor: geef elke persoon een eigen kenmerk.")),
    (re.compile(r"looks like a BSN"),
     N_("‘%(label)s’ lijkt op een BSN. Gebruik een eigen kenmerk, nooit een naam of BSN.")),
    (re.compile(r"is not accepted: person data"),
     N_("‘%(label)s’ hoort niet bij een persoon: alleen kenmerk, uitgangspositie, startdatum, "
        "contract en FTE (nooit een naam of BSN).")),
    (re.compile(r"is not a known field"), N_("‘%(label)s’ hoort niet in een opgave.")),
    (re.compile(r"must be a KvK number"),
     N_("‘%(label)s’ is geen KvK-nummer. Een KvK-nummer bestaat uit 8 cijfers.")),
    (re.compile(r"must be a fraction from 0 to 1"),
     N_("‘%(label)s’ is een aandeel van 0 tot en met 1, bijvoorbeeld 0,3 voor 30 procent.")),
    (re.compile(r"must not be negative"), N_("‘%(label)s’ mag niet negatief zijn.")),
    (re.compile(r".* exceeds the supplier's turnover"),
     N_("‘%(label)s’ is hoger dan de omzet van de leverancier.")),
    (re.compile(r".* is below the target-group FTE declared \((?P<declared>[^)]*)\)"),
     N_("‘%(label)s’ is lager dan de FTE van de doelgroepmedewerkers samen (%(declared)s).")),
    (re.compile(r".* exceeds the (?P<max>\S+) FTE one person may count for"),
     N_("‘%(label)s’ is meer dan %(max)s FTE, het meeste waarvoor één persoon meetelt.")),
    (re.compile(r".* does not count under handbook (?P<version>\S+)"),
     N_("‘%(label)s’ telt niet mee onder handboek %(version)s.")),
    (re.compile(r"contains U\+"), NOT_PRINTABLE),
    (re.compile(r"must be at most (?P<max>[0-9]+) characters"), TOO_LONG),
]  # fmt: skip
ROW = re.compile(r"(?P<list>persons|purchases)\[(?P<index>[0-9]+)\](?:\.(?P<key>\w+))?")
#: where a field is on the form, and its label, for a path of the declaration
Placed = tuple[str, tuple[tuple[str, ...], Mapping[str, Any]]]


def field_errors(problems: tuple[Problem, ...], place: Callable[[str], Placed]) -> list[FieldError]:
    """Each problem as an error of the form field ``place`` puts its path at."""
    errors = []
    for problem in problems:
        field, label = place(problem.field)
        message, params = reason(problem.message)
        errors.append(FieldError(field, message, params, label=label))
    return errors


def reason(english: str) -> tuple[str, dict[str, Any]]:
    """The page's message (and its parameters) for the reader's reason."""
    for pattern, message in REASONS:
        found = pattern.match(english)
        if found:
            params: dict[str, Any] = {k: v for k, v in found.groupdict().items() if v}
            if message == N_("‘%(label)s’ ligt vóór %(first)s."):
                params["first"] = FIRST_INTAKE
            return message, params
    return NOT_VALID, {}


def on_the_form(rows: Mapping[str, list[int]]) -> Callable[[str], Placed]:
    """Where the form shows a path of the declaration it made: the n-th person of the
    declaration is the person on row ``rows["persons"][n]`` (empty rows are left out)."""

    def place(path: str) -> Placed:
        found = ROW.fullmatch(path)
        if found:
            kind = found["list"]
            index = int(found["index"])
            row = rows[kind][index] if index < len(rows[kind]) else index
            key = found["key"] or ("ref" if kind == "persons" else "supplier_kvk")
            title = PERSON if kind == "persons" else PURCHASE
            names = (title, FIGURES[key]) if key in FIGURES else (title,)
            return f"{kind}-{row}-{key}", (names, {"n": row + 1})
        if path in FIGURES:
            return path, ((FIGURES[path],), {})
        criterion = path.removeprefix("qualitative.")
        if criterion in CRITERIA:
            return f"qualitative-{criterion}", ((CRITERIA[criterion],), {})
        if path.startswith("plan_of_approach"):
            return "plan-approved", ((PLAN,), {})
        return "declaration", ((DECLARATION,), {})

    return place


def in_the_file(path: str) -> Placed:
    """Where an uploaded declaration's problem is shown: at the file field, named by its path
    in the form's words ("Persoon 2: FTE")."""
    _, label = on_the_form({"persons": [], "purchases": []})(path)
    return "declaration", label
