"""Searching the register the way people type: by words of a name whatever its accents, case
or legal form, by a certificate number, and by any KvK number an organisation covers; on SQLite
(FTS5) and PostgreSQL (full text)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from api.storage import event_store_env
from domain.register import Register
from norms.levels import Level
from projections.catalogue import ReadModels
from projections.queries import RegisterQueries
from projections.runner import Runner
from tests.projection_support import runner_for
from tests.scenarios import AUDITOR, STAFF, scenario, trede_2_declaration

ORGANISATIONS = [
    ("30000001", "Bakkerij De Korf B.V.", "Utrecht", ("30000091",)),
    ("30000002", "Café de Zon", "Ede", ()),
    ("30000003", "Cafetaria Zuid V.O.F.", "Utrecht", ()),
    ("30000004", "Schoonmaak Noord N.V.", "Ede", ()),
]


def _certified(url: str) -> tuple[Register, Runner, ReadModels, dict[str, str]]:
    """The organisations above, each with a trede 2 certificate; their numbers by KvK."""
    s = scenario(event_store_env(url))
    s.later(38)
    numbers = {}
    for kvk, name, place, subsidiaries in ORGANISATIONS:
        s.register.register_organisation(kvk, name, place, STAFF, subsidiaries)
        app = s.register.submit_application(
            kvk, trede_2_declaration(), "kiwa", dt.date(2025, 3, 3), STAFF
        ).application_id
        s.register.file_audit_report(app, dt.date(2025, 3, 20), Level.TREDE_2, "ok", AUDITOR)
        number = s.register.decide_application(app, dt.date(2025, 3, 31), STAFF).number
        assert number is not None
        numbers[kvk] = number
    runner, models = runner_for(s.register, url)
    runner.catch_up()
    return s.register, runner, models, numbers


@pytest.fixture
def searched(database_url: str) -> Iterator[tuple[RegisterQueries, dict[str, str]]]:
    register, runner, models, numbers = _certified(database_url)
    yield RegisterQueries(runner.engine, models, clock=register.clock), numbers
    runner.engine.dispose()
    register.close()


def _found(
    queries: RegisterQueries, q: str, place: str | None = None, cursor: str | None = None
) -> list[str]:
    return [o["main_kvk"] for o in queries.search(q=q, place=place, cursor=cursor)[0]]


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("cafe", ["30000002", "30000003"]),
        ("CAFÉ zon", ["30000002"]),
        ("de korf", ["30000001"]),
        ("Bakkerij De Korf BV", ["30000001"]),
        ("korf b.v.", ["30000001"]),
        ("bakker", ["30000001"]),
        ("zuid cafetaria", ["30000003"]),
        ('de "korf" (*) -', ["30000001"]),
        ("akkerij", []),
        ("zon noord", []),
        ("B.V.", []),
    ],
)
def test_a_name_is_found_by_the_beginnings_of_its_words_whatever_accents_case_or_legal_form(
    searched: tuple[RegisterQueries, dict[str, str]], q: str, expected: list[str]
) -> None:
    """Every word asked begins a word of the name; accents, case, punctuation and legal forms
    do not matter, a word's middle does not match, and a legal form alone asks for nothing."""
    queries, _ = searched
    assert _found(queries, q) == expected


def test_an_organisation_is_found_by_its_certificate_number_and_by_any_kvk_it_covers(
    searched: tuple[RegisterQueries, dict[str, str]],
) -> None:
    """A certificate number (any case) and a subsidiary's KvK number find the organisation."""
    queries, numbers = searched
    assert _found(queries, numbers["30000003"]) == ["30000003"]
    assert _found(queries, numbers["30000003"].lower()) == ["30000003"]
    assert _found(queries, "30000091") == ["30000001"]
    assert _found(queries, "30000004") == ["30000004"]


def test_a_name_search_combines_with_the_other_filters_and_pages(
    searched: tuple[RegisterQueries, dict[str, str]],
) -> None:
    """The words narrow what place, level and the cursor select, and the other way round."""
    queries, _ = searched
    assert _found(queries, "cafe", place="Ede") == ["30000002"]
    page, cursor = queries.search(q="cafe", limit=1)
    assert [o["main_kvk"] for o in page] == ["30000002"]
    assert _found(queries, "cafe", cursor=cursor) == ["30000003"]
    assert queries.search(q="cafe", level=Level.TREDE_2)[0][0]["level"] == "trede_2"
