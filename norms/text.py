"""Text as the register accepts it: printable Unicode, without control or bidi-override characters.

A name with an ANSI escape would rewrite a terminal, a right-to-left override would make a KvK
number or an amount read differently on a page, NUL cannot be stored in PostgreSQL and a lone
surrogate cannot be encoded at all. Every text that enters the register passes ``text_problem``.
"""

from __future__ import annotations

import unicodedata

#: embeddings, overrides and isolates (Unicode bidi controls) that reorder what a reader sees
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
#: whitespace a multi-line text (a reason, a summary) may contain besides the space
LINE_BREAKS = frozenset("\n\t")
#: never accepted: controls, surrogates, unassigned code points, line and paragraph separators
REFUSED_CATEGORIES = frozenset({"Cc", "Cs", "Cn", "Zl", "Zp"})


def clean_text(value: str) -> str:
    """The stored form of a text: NFC-normalised, without surrounding whitespace; line breaks as
    ``\\n`` (``\\r\\n`` from a form or a Windows file counts as one)."""
    return unicodedata.normalize("NFC", value.replace("\r\n", "\n")).strip()


def text_problem(value: str, max_length: int, *, multiline: bool = False) -> str | None:
    """What is wrong with a (cleaned) text, or None when it may be stored."""
    if not value:
        return "must not be empty"
    if len(value) > max_length:
        return f"must be at most {max_length} characters, got {len(value)}"
    allowed = LINE_BREAKS if multiline else frozenset()
    for index, char in enumerate(value):
        if char in allowed:
            continue
        if char in BIDI_CONTROLS or unicodedata.category(char) in REFUSED_CATEGORIES:
            name = unicodedata.name(char, "a control character")
            return (
                f"contains U+{ord(char):04X} ({name}) at position {index + 1}; use printable text"
            )
    return None
