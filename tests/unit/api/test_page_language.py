"""The pages' language: every text translated, the choice by Accept-Language, Dutch dates and
Amsterdam times."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from api.pages.language import CATALOGS, long_date, moment, preferred, translations

ROOT = Path(__file__).parents[3]


def _texts_of_the_pages() -> set[str]:
    """Every message id in the templates, api/pages and api/back_office, as ``make messages`` extracts them."""
    with (CATALOGS / "babel.cfg").open() as cfg:
        methods, options = parse_mapping_cfg(cfg)  # type: ignore[no-untyped-call]  # Babel has no types here
    found = extract_from_dir(ROOT, methods, options, DEFAULT_KEYWORDS)
    return {message if isinstance(message, str) else message[0] for *_, message, _, _ in found}


def test_every_text_of_the_pages_has_an_english_translation_and_none_is_left_over() -> None:
    """The catalog translates each text a page can show (not fuzzy), and holds no other: run
    ``make messages`` and translate what it added."""
    texts = _texts_of_the_pages()
    with (CATALOGS / "en" / "LC_MESSAGES" / "messages.po").open("rb") as po:
        catalog = read_po(po, locale="en")
    entries = {m.id: m for m in catalog if m.id and isinstance(m.id, str)}
    assert len(texts) > 100
    assert sorted(texts - entries.keys()) == []
    assert sorted(entries.keys() - texts) == []
    assert sorted(m for m, e in entries.items() if not e.string or e.fuzzy) == []
    assert not list(catalog.obsolete)


def test_a_translation_keeps_the_placeholders_of_its_text() -> None:
    """``%(name)s`` placeholders survive translation (a missing one would fail on the page)."""
    english = translations("en")
    with (CATALOGS / "en" / "LC_MESSAGES" / "messages.po").open("rb") as po:
        for message in read_po(po, locale="en"):
            if isinstance(message.id, str) and "%(" in message.id:
                names = {part.split(")")[0] for part in message.id.split("%(")[1:]}
                assert english.gettext(message.id) % dict.fromkeys(names, "x")


@pytest.mark.parametrize(
    ("header", "language"),
    [
        ("", "nl"),
        ("en", "en"),
        ("en-GB,en;q=0.9", "en"),
        ("nl-NL,nl;q=0.9,en-US;q=0.8,en;q=0.7", "nl"),
        ("de-DE, en-GB;q=0.8, nl;q=0.5", "en"),  # the best of the languages the pages have
        ("fr, de", "nl"),  # none of them: Dutch
        ("en;q=0, nl;q=0.1", "nl"),  # q=0 means "not English"
        ("en;q=0.5, nl;q=0.5", "en"),  # a tie: the first named
        ("en;q=abc, nl", "nl"),  # a broken weight drops its language
    ],
)
def test_accept_language_chooses_the_best_language_the_pages_have(
    header: str, language: str
) -> None:
    """Weights as RFC 9110 gives them, the primary tag counts, Dutch otherwise."""
    assert preferred(header) == language


def test_dates_in_the_notation_of_the_language_and_times_in_amsterdam() -> None:
    """1 July 2026 is "1 juli 2026"; 09:00 UTC in summer is 11:00 in Amsterdam, in winter 10:00."""
    assert long_date(dt.date(2026, 7, 1), "nl") == "1 juli 2026"
    assert long_date(dt.date(2026, 7, 1), "en") == "1 July 2026"
    summer = dt.datetime(2025, 7, 19, 9, 0, tzinfo=dt.UTC)
    assert moment(summer, "nl") == "19 juli 2025 om 11:00"
    assert moment(summer, "en") == "19 July 2025 at 11:00"
    naive = dt.datetime(2025, 12, 31, 23, 30)  # noqa: DTZ001 (a naive moment counts as UTC)
    assert moment(naive, "nl") == "1 januari 2026 om 00:30"
