"""An assessment document (what ``pso score`` prints) as the self-assessment page explains it:
the figures in the page's notation (percentages, "1,5"), the codes by their names, what is missing
for the next level, and each provisional value it rests on, described by its place in the data."""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal
from gettext import NullTranslations
from typing import Any

from babel.numbers import format_decimal

from api.pages.labels import CONTRACTS, LEVELS, N_, STARTING_POSITIONS
from api.pages.language import LOCALES

HUNDRED = Decimal(100)
#: each provisional value by its place in the handbook data: what it is, in the page's words
PROVISIONAL: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"size\.rounding"), N_("De afronding van het aantal FTE tot de grootte")),
    (re.compile(r"persons\.max_fte"), N_("Het meeste FTE waarvoor één persoon meetelt")),
    (re.compile(r"indirect\.cap"), N_("De grens aan de indirecte bijdrage")),
    (re.compile(r"score\.comparison"), N_("Hoe de score met de norm wordt vergeleken")),
    (re.compile(r"counting_window\.pro_rata"),
     N_("Het naar rato meetellen van een deel van het peiljaar")),
    (re.compile(r"norm_table\[(?P<size>[0-9]+)\]\.(?P<level>\w+)"),
     N_("De norm voor %(level)s bij grootte %(size)s")),
    (re.compile(r"starting_positions\.(?P<position>\w+)\.weight"),
     N_("De weging van de uitgangspositie ‘%(position)s’")),
    (re.compile(r"starting_positions\.(?P<position>\w+)\.counts_for_years"),
     N_("Hoe lang de uitgangspositie ‘%(position)s’ meetelt")),
    (re.compile(r"contracts\.(?P<contract>\w+)\.weight"),
     N_("De weging van het contract ‘%(contract)s’")),
    (re.compile(r"contracts\.(?P<contract>\w+)\.counts_for_years"),
     N_("Hoe lang het contract ‘%(contract)s’ meetelt")),
    (re.compile(r"qualitative_required_for"),
     N_("Bij welke treden de kwalitatieve criteria horen")),
    (re.compile(r"pso30plus"), N_("Een regel van PSO 30+")),
]  # fmt: skip
OTHER = N_("Een aangenomen waarde")


def explained(doc: dict[str, Any], words: NullTranslations, language: str) -> dict[str, Any]:
    """What the page shows of an assessment document, line by line."""
    gettext = words.gettext

    def num(value: str | Decimal, places: int = 2) -> str:
        exact = Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
        pattern = "#,##0." + "0" * places if places else "#,##0"
        return format_decimal(exact, format=pattern, locale=LOCALES[language])

    def percent(share: str) -> str:
        return num(Decimal(share) * HUNDRED)

    level = doc["level"]
    return {
        "version": doc["handbook_version"],
        "effective_from": dt.date.fromisoformat(doc["handbook_effective_from"]),
        "peiljaar": doc["peiljaar"],
        "total_fte": num(doc["total_fte"], 1),
        "size": doc["size_fte"],
        "norm_row": doc["norm_row"],
        "persons": [
            {
                "ref": p["ref"],
                "starting_position": gettext(STARTING_POSITIONS[p["starting_position"]]),
                "starting_weight": num(p["starting_weight"]),
                "contract": gettext(CONTRACTS[p["contract"]]),
                "contract_weight": num(p["contract_weight"]),
                "fte": num(p["fte"]),
                "counted": percent(p["window_factor"]),
                "weighted_fte": num(p["weighted_fte"], 4),
            }
            for p in doc["persons"]
        ],
        "direct_fte": num(doc["direct_fte"], 4),
        "direct_share": percent(doc["direct_share"]),
        "purchases": [
            {
                "kvk": b["supplier_kvk"],
                "amount": num(b["amount"]),
                "fte": num(b["target_group_fte"], 4),
            }
            for b in doc["purchases"]
        ],
        "indirect_fte": num(doc["indirect_fte"], 4),
        "indirect_share_uncapped": percent(doc["indirect_share_uncapped"]),
        "indirect_share": percent(doc["indirect_share"]),
        "indirect_capped": doc["indirect_capped"],
        "total_score": num(doc["total_score"]),
        "levels": [
            {**c, "name": gettext(LEVELS[c["level"]]), "norm_text": num(c["norm"], 1)}
            for c in doc["levels"]
        ],
        "qualitative_met": doc["qualitative"]["all_met"],
        "level": level,
        "pso30plus": doc["pso30plus"],
        "pso30plus_share": percent(doc["pso30plus_check"]["target_group_share"]),
        "next": _next(doc, num),
        "provisional": [_provisional(p, gettext) for p in doc["provisional"]],
    }


def _next(doc: dict[str, Any], num: Any) -> dict[str, Any] | None:
    """The lowest scored level above the one reached, and what it still needs: percentage
    points of score (and the weighted target-group FTE that would give them, at the same
    indirect share), a direct contribution, the qualitative criteria."""
    reached = doc["level"]
    order = [c["level"] for c in doc["levels"]]
    above = order[order.index(reached) + 1 :] if reached in order else order
    check = next((c for c in doc["levels"] if c["level"] in above and not c["met"]), None)
    if check is None:
        return None
    score, norm = Decimal(doc["total_score"]), Decimal(check["norm"])
    short = max(norm - score, Decimal(0))
    fte = (short / HUNDRED * Decimal(doc["total_fte"])).quantize(
        Decimal("0.01"), rounding=ROUND_CEILING
    )
    return {
        "level": check["level"],
        "norm": num(check["norm"], 1),
        "points": num(short.quantize(Decimal("0.01"), rounding=ROUND_CEILING)) if short else None,
        "fte": num(fte) if short else None,
        "direct": Decimal(doc["direct_fte"]) == 0,
        "qualitative": check["qualitative_required"] and not doc["qualitative"]["all_met"],
    }


def _provisional(value: dict[str, str], gettext: Any) -> dict[str, str]:
    """A provisional value: what it is, its place in the data and why it is assumed."""
    path = value["value"]
    for pattern, message in PROVISIONAL:
        found = pattern.fullmatch(path)
        if found:
            params = found.groupdict()
            if "level" in params:
                params["level"] = gettext(LEVELS.get(params["level"], params["level"]))
            if "position" in params:
                params["position"] = gettext(STARTING_POSITIONS.get(params["position"], ""))
            if "contract" in params:
                params["contract"] = gettext(CONTRACTS.get(params["contract"], ""))
            return {"what": gettext(message) % params, "path": path, "why": value["why"]}
    return {"what": gettext(OTHER), "path": path, "why": value["why"]}
