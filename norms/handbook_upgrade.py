"""Handbook documents published (as events) before the data held every rule: completing them.

Replaying an old ``VersionPublished`` event must still give a usable version, so each rule the
document predates is taken from a bundled version and marked provisional, saying so.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from norms.handbook import HandbookVersion

#: keys that handbook documents published before they existed lack, as paths; such a document
#: (stored in a VersionPublished event) is completed from a bundled version (`complete_document`)
LATER_KEYS = (
    ("size",),
    ("persons",),
    ("score",),
    ("counting_window",),
    ("calendar",),
    ("indirect", "cap"),
    ("pso30plus", "excluded_pupil_positions"),
    ("norm_table", "interpolated_rows"),
    ("norm_table", "columns"),
)


def complete_document(doc: Mapping[str, Any], base: HandbookVersion) -> dict[str, Any]:
    """A published document with the keys it predates taken from ``base``, marked provisional.

    Replaying an old VersionPublished event must still give a usable version: each missing
    rule is the base version's value, with a note saying where it came from.
    """
    done = copy.deepcopy(dict(doc))
    note = f"not in the document as published; taken from handbook {base.version}"
    for path in LATER_KEYS:
        target: Any = done
        source: Any = base.document
        for key in path[:-1]:
            target, source = target.get(key), source.get(key)
        last = path[-1]
        if not isinstance(target, dict) or not isinstance(source, Mapping) or last in target:
            continue
        if last in source:
            target[last] = _provisional_copy(source[last], note)
    return done


def _provisional_copy(node: Any, note: str) -> Any:
    if isinstance(node, Mapping):
        copied = {key: _provisional_copy(child, note) for key, child in node.items()}
        if "source" in copied and ("value" in copied or len(copied) == 1):
            copied["provisional"] = f"{note} (published there: {copied.pop('source')})"
        elif "provisional" in copied and isinstance(copied["provisional"], str):
            copied["provisional"] = f"{note}: {copied['provisional']}"
        return copied
    return copy.deepcopy(node)
