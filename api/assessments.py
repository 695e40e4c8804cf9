"""The assessment of a declaration as the staff API answers it (``norms.assessment_document``,
what ``pso score`` prints): every figure with the rule, weight and norm row behind it. Decimals
are exact decimal text, never binary floats."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

from api.schemas import LevelName, ProvisionalValue, examples
from api.staff_examples import ASSESSMENT

DecimalText = str  # exact decimal text, e.g. "5.5464" (as the declaration gave it, or rounded)


class LevelCheck(BaseModel):
    """Whether the score and the qualitative criteria meet one level's norm."""

    level: LevelName
    norm: DecimalText
    norm_provisional: bool = Field(description="The norm is an assumption of the project.")
    score_met: bool
    qualitative_required: bool
    met: bool


class PersonScore(BaseModel):
    """What one target-group worker counts for: weights, counting window, weighted FTE."""

    ref: str
    starting_position: str
    starting_weight: DecimalText
    contract: str
    contract_weight: DecimalText
    fte: DecimalText
    window_factor: DecimalText = Field(description="The share of the peiljaar inside the window.")
    weighted_fte: DecimalText


class PurchaseScore(BaseModel):
    """What one purchase from a certified supplier counts for (indirect FTE)."""

    supplier_kvk: str
    amount: DecimalText
    target_group_fte: DecimalText


class Pso30PlusCheck(BaseModel):
    """The PSO 30+ test: trede 3, at least 30% target group, large enough."""

    trede_3: bool
    counted_target_group_fte: DecimalText
    target_group_share: DecimalText
    min_target_group_share: DecimalText
    min_total_fte_met: bool


class Assessment(BaseModel):
    """The assessment of a declaration under a handbook version: score, norms, level, PSO 30+,
    and every provisional value that could have changed the result."""

    model_config = examples(ASSESSMENT)

    handbook_version: str
    handbook_effective_from: dt.date
    peiljaar: int
    total_fte: DecimalText
    size_fte: int = Field(description="The rounded size that picks the norm row.")
    norm_row: int
    direct_fte: DecimalText
    direct_share: DecimalText
    indirect_fte: DecimalText
    indirect_share_uncapped: DecimalText
    indirect_share: DecimalText = Field(description="After the cap on the indirect share.")
    indirect_capped: bool
    total_score: DecimalText = Field(description="Percent.")
    norms: dict[LevelName, DecimalText] = Field(description="The norm of each level for this size.")
    levels: list[LevelCheck]
    qualitative: dict[str, bool] = Field(description="The four criteria and `all_met`.")
    aspirant_plan_complete: bool
    level: LevelName | None = Field(description="The highest level met; null when none.")
    pso30plus: bool
    pso30plus_check: Pso30PlusCheck
    persons: list[PersonScore]
    purchases: list[PurchaseScore]
    provisional: list[ProvisionalValue] = Field(
        description="Every assumed value that influenced the result, by its place in the data."
    )
