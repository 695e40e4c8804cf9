"""Names and searches folded to the words the index keeps."""

from __future__ import annotations

import pytest

from projections.search import words


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Café de Zon", ["cafe", "de", "zon"]),
        ("CAFÉ", ["cafe"]),
        ("Bakkerij De Korf B.V.", ["bakkerij", "de", "korf"]),
        ("Bakkerij De Korf BV", ["bakkerij", "de", "korf"]),
        ("Garage Jansen b.v", ["garage", "jansen"]),
        ("Philips N.V.", ["philips"]),
        ("V.O.F. Smit & Zn.", ["smit", "zn"]),
        ("Coöperatie Zuid U.A.", ["cooperatie", "zuid"]),
        ("Ørsted Straße", ["orsted", "strasse"]),
        ("\u2019s-Hertogenbosch Schoonmaak", ["s", "hertogenbosch", "schoonmaak"]),
        ("Zorg-groep 't Anker", ["zorg", "groep", "t", "anker"]),
        ("J.P. Coen Bouw", ["jp", "coen", "bouw"]),
        ("Simulatie 70000042", ["simulatie", "70000042"]),
    ],
)
def test_a_name_becomes_its_words_without_accents_case_punctuation_or_legal_form(
    text: str, expected: list[str]
) -> None:
    """Accents, case, punctuation and the legal form are not part of the words."""
    assert words(text) == expected


def test_a_search_of_only_a_legal_form_has_no_words() -> None:
    """'BV' alone asks for no name (it would find every private company)."""
    assert words("B.V.") == []
    assert words("bv") == []


def test_a_legal_form_inside_a_word_is_kept() -> None:
    """Only a word that is a legal form is left out: "NVidia" and "bvba" stay."""
    assert words("Nvidia bvba") == ["nvidia", "bvba"]
