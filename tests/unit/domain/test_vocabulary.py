"""The scheme's shared values have one text form each: deadline kinds and contribution years."""

from __future__ import annotations

import pytest

from domain.deadlines import DeadlineKind
from domain.errors import InvalidInputError
from domain.values import ContributionYear


def test_a_contribution_year_is_written_with_a_slash_and_read_in_either_form() -> None:
    """``PSO-2025-000001/1`` is the form; ``PSO-2025-000001-1`` (URLs before) reads the same."""
    year = ContributionYear("PSO-2025-000001", 1)
    assert str(year) == "PSO-2025-000001/1"
    assert ContributionYear.parse("PSO-2025-000001/1") == year
    assert ContributionYear.parse("PSO-2025-000001-1") == year
    for bad in ("PSO-2025-000001", "PSO-2025-1/1", "PSO-2025-000001/x", "pso-2025-000001/1"):
        with pytest.raises(InvalidInputError, match="expected PSO-YYYY-NNNNNN/<year>"):
            ContributionYear.parse(bad)


def test_every_deadline_kind_is_its_stored_text() -> None:
    """The kinds are the texts the deadlines read model stores."""
    assert [str(k) for k in DeadlineKind] == [
        "certificate_expiry",
        "aspirant_expiry",
        "renewal_reminder",
        "contribution_year_two",
        "contribution_overdue",
        "decision_overdue",
        "decision_final",
    ]
