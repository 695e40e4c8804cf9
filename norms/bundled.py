"""The scheme data shipped with the project (norms/data), resolved into full documents.

Handbook files may say ``based_on`` another version and restate only what changed; resolving
copies the base version's values (marked provisional when the file says they are only assumed to
carry over), cites sources by their full text and inlines the norm table, so that every version
is one self-contained document: the form in which versions are published as events. A document
staff publish (``resolve_document``) is resolved the same way, against the whole catalogue.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
import tomllib
from collections.abc import Mapping
from functools import cache
from importlib import resources
from typing import Any

from norms.catalogue import SchemeCatalogue
from norms.contributions import schedule_from_document
from norms.errors import HandbookError, Problem
from norms.handbook import handbook_from_document
from norms.norm_table import CSV_COLUMNS

DATA = resources.files("norms") / "data"


def _toml(path: Any) -> dict[str, Any]:
    return tomllib.loads(path.read_text(encoding="utf-8"))


def resolve_handbooks(
    raw: Mapping[str, Mapping[str, Any]],
    sources: Mapping[str, str],
    tables: Mapping[str, list[dict[str, str]]],
) -> dict[str, dict[str, Any]]:
    """Resolve inheritance, source ids and norm tables of handbook files keyed by version."""
    merged: dict[str, dict[str, Any]] = {}

    def merge(name: str, seen: tuple[str, ...]) -> dict[str, Any]:
        if name in merged:
            return merged[name]
        if name in seen:
            raise HandbookError([Problem("based_on", f"versions inherit in a circle: {seen}")])
        if name not in raw:
            raise HandbookError([Problem("based_on", f"unknown base version {name!r}")])
        doc = dict(raw[name])
        base_ref = doc.pop("based_on", None)
        if base_ref is not None:
            base = copy.deepcopy(merge(base_ref["version"], (*seen, name)))
            if "provisional" in base_ref:
                _mark_provisional(base, str(base_ref["provisional"]))
            doc = _merge(base, doc)
        merged[name] = doc
        return doc

    return {name: _finish(merge(name, ()), sources, tables, name) for name in raw}


def _finish(
    doc: dict[str, Any],
    sources: Mapping[str, str],
    tables: Mapping[str, list[dict[str, str]]],
    name: str,
) -> dict[str, Any]:
    doc = _cite(doc, sources, name)
    table = doc.get("norm_table")
    if isinstance(table, dict):
        if table.get("value") not in tables:
            problem = Problem("norm_table.value", f"no norm table named {table.get('value')!r}")
            raise HandbookError([problem])
        table["rows"] = tables[table["value"]]
    return doc


def _merge(base: dict[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    for key, value in override.items():
        if isinstance(value, Mapping) and "value" not in value and isinstance(base.get(key), dict):
            base[key] = _merge(base[key], value)
        else:
            base[key] = copy.deepcopy(value)
    return base


def _mark_provisional(node: Any, note: str) -> None:
    if isinstance(node, dict):
        if "value" in node and "source" in node:
            del node["source"]
            node["provisional"] = note
        for child in node.values():
            _mark_provisional(child, note)


def _cite(node: Any, sources: Mapping[str, str], version: str) -> Any:
    if isinstance(node, dict):
        if "source" in node and isinstance(node["source"], str):
            if node["source"] not in sources:
                problem = Problem(f"{version}: source", f"unknown source id {node['source']!r}")
                raise HandbookError([problem])
            node = {**node, "source": sources[node["source"]]}
        return {key: _cite(child, sources, version) for key, child in node.items()}
    if isinstance(node, list):
        return [_cite(child, sources, version) for child in node]
    if isinstance(node, dt.date):
        return node.isoformat()
    return node


def _tables() -> dict[str, list[dict[str, str]]]:
    tables = {}
    for entry in (DATA / "norm_tables").iterdir():
        if entry.name.endswith(".csv"):
            lines = entry.read_text(encoding="utf-8").splitlines()
            header = tuple(lines[0].split(","))
            if header != CSV_COLUMNS:
                problem = Problem(entry.name, f"columns must be {','.join(CSV_COLUMNS)}")
                raise HandbookError([problem])
            rows = [dict(zip(header, line.split(","), strict=True)) for line in lines[1:]]
            tables[entry.name.removesuffix(".csv")] = rows
    return tables


@cache
def bundled_catalogue() -> SchemeCatalogue:
    """Every handbook version and contribution schedule shipped in norms/data."""
    sources = _toml(DATA / "sources.toml")
    raw = {
        doc["version"]: doc
        for doc in (_toml(p) for p in (DATA / "handbooks").iterdir() if p.name.endswith(".toml"))
    }
    documents = resolve_handbooks(raw, sources, _tables())
    versions = [handbook_from_document(doc) for doc in documents.values()]
    schedules = [
        schedule_from_document(_cite(_toml(p), sources, p.name))
        for p in (DATA / "contributions").iterdir()
        if p.name.endswith(".toml")
    ]
    return SchemeCatalogue.of(versions, schedules)


#: a source written as an id (``news_2_1``) rather than as the citation's text
_SOURCE_ID = re.compile(r"[a-z0-9_]+")


def resolve_document(doc: Any, catalogue: SchemeCatalogue) -> dict[str, Any]:
    """A handbook document as staff send it, in the shape of ``norms/data/handbooks/*.toml``,
    resolved into the self-contained document that is published: ``based_on`` a version of the
    catalogue (shipped or published), sources by id (or by their text), the norm table by name
    (or with its rows). Raises ``HandbookError`` naming every problem."""
    if not isinstance(doc, Mapping):
        raise HandbookError([Problem("document", "expected an object (a TOML table)")])
    problems: list[Problem] = []
    sent = {k: v for k, v in doc.items() if k != "provisional_values"}  # what GET adds
    base_ref = sent.pop("based_on", None)
    resolved: dict[str, Any] = _cite_sent(sent, _toml(DATA / "sources.toml"), "", problems)
    if base_ref is not None:
        if not isinstance(base_ref, Mapping) or not isinstance(base_ref.get("version"), str):
            msg = 'expected {version = "2.1"}, optionally with provisional = "why"'
            problems.append(Problem("based_on", msg))
        elif base_ref["version"] not in {v.version for v in catalogue.versions}:
            known = ", ".join(v.version for v in catalogue.versions)
            msg = f"unknown base version {base_ref['version']!r}; known versions: {known}"
            problems.append(Problem("based_on.version", msg))
        else:
            base = copy.deepcopy(dict(catalogue.version(base_ref["version"]).document))
            if "provisional" in base_ref:
                _mark_provisional(base, str(base_ref["provisional"]))
            resolved = _merge(base, resolved)
    table = resolved.get("norm_table")
    if isinstance(table, dict) and "rows" not in table:
        tables = _tables()
        if table.get("value") in tables:
            table["rows"] = tables[table["value"]]
        else:
            msg = f"no norm table named {table.get('value')!r}; known: {', '.join(tables)}"
            problems.append(Problem("norm_table.value", msg))
    if problems:
        raise HandbookError(problems)
    handbook_from_document(resolved)  # every other problem, each at its path
    return resolved


def _cite_sent(node: Any, sources: Mapping[str, str], path: str, problems: list[Problem]) -> Any:
    """Source ids replaced by their text (an unknown id is a problem), dates as ISO text."""
    if isinstance(node, Mapping):
        found = dict(node)
        source = found.get("source")
        if isinstance(source, str) and source in sources:
            found["source"] = sources[source]
        elif isinstance(source, str) and _SOURCE_ID.fullmatch(source):
            msg = f"unknown source id {source!r}; known ids: {', '.join(sources)}"
            problems.append(Problem(f"{path}.source" if path else "source", msg))
        return {
            key: child if key == "source" else _cite_sent(child, sources, _at(path, key), problems)
            for key, child in found.items()
        }
    if isinstance(node, list):
        return [_cite_sent(c, sources, f"{path}[{i}]", problems) for i, c in enumerate(node)]
    if isinstance(node, dt.date):
        return node.isoformat()
    return node


def _at(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key
