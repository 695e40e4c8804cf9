"""How long a public answer may be cached: for ever once settled, else briefly and never past
midnight in Amsterdam."""

from __future__ import annotations

import datetime as dt

import pytest

from api.http import cache_control, settled

# 1 December 2026: Amsterdam is UTC+1
NOON = dt.datetime(2026, 12, 1, 11, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (NOON, "public, max-age=30"),  # rule: 30 seconds in the middle of the day
        (dt.datetime(2026, 12, 1, 22, 59, 45, tzinfo=dt.UTC), "public, max-age=15"),  # 15 s left
        (dt.datetime(2026, 12, 1, 22, 59, 59, 500_000, tzinfo=dt.UTC), "public, max-age=0"),
    ],
)
def test_an_answer_about_today_is_never_cached_into_the_next_day(
    now: dt.datetime, expected: str
) -> None:
    """max-age stops at midnight in Amsterdam."""
    assert cache_control(immutable=False, now=now) == expected


def test_an_answer_about_a_moment_is_settled_only_well_after_it() -> None:
    """Ten minutes after a moment, every command recorded before it has reached the read models."""
    assert not settled(None, NOON)
    assert not settled(NOON - dt.timedelta(minutes=9), NOON)
    assert settled(NOON - dt.timedelta(minutes=11), NOON)
    assert "immutable" in cache_control(immutable=True, now=NOON)
