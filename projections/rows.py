"""The rows a projection reads and changes during one batch, kept in memory by primary key and
written together when the batch ends: a few executemany statements per table instead of several
statements per event (bench/README.md says what this changed).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Table,
    and_,
    bindparam,
    delete,
    insert,
    or_,
    select,
)

Key = tuple[Any, ...]
Row = dict[str, Any]
CHUNK = 500  # keys per IN (...) list: well below SQLite's and PostgreSQL's parameter limits


class Rows:
    """An identity map over one table for the current batch.

    ``get`` reads a row once (later reads see this batch's changes), ``put`` replaces a row,
    ``update`` changes some columns, ``delete`` removes it, ``add`` inserts a row known to be new.
    ``flush`` deletes every changed key that may be stored and inserts the rows' new values, in
    the batch's transaction; ``discard`` forgets everything after a rollback.
    """

    def __init__(self, table: Table) -> None:
        self.table = table
        self.key_columns = list(table.primary_key.columns)
        self.key_names = tuple(c.name for c in self.key_columns)
        self._known: dict[Key, Row | None] = {}
        self._stored: set[Key] = set()  # keys the database may hold (delete before writing)
        self._dirty: set[Key] = set()
        self._select = select(table).where(
            and_(*(c == bindparam(f"key_{c.name}") for c in self.key_columns))
        )
        self._delete = delete(table).where(
            and_(*(c == bindparam(f"key_{c.name}") for c in self.key_columns))
        )

    def key_of(self, row: Row) -> Key:
        """The primary key of a row."""
        return tuple(row[name] for name in self.key_names)

    def get(self, conn: Connection, *key: Any) -> Row | None:
        """The row with this key as this batch sees it, or None."""
        if key not in self._known:
            params = {f"key_{name}": value for name, value in zip(self.key_names, key, strict=True)}
            found = conn.execute(self._select, params).first()
            self._remember(key, dict(found._mapping) if found else None)
        return self._known[key]

    def get_many(self, conn: Connection, keys: Iterable[Key]) -> dict[Key, Row | None]:
        """Several rows with one query for those not seen yet in this batch."""
        wanted = list(dict.fromkeys(keys))
        unknown = [k for k in wanted if k not in self._known]
        for start in range(0, len(unknown), CHUNK):
            chunk = unknown[start : start + CHUNK]
            found = {
                self.key_of(dict(r._mapping)): dict(r._mapping)
                for r in conn.execute(select(self.table).where(self._matching(chunk)))
            }
            for key in chunk:
                self._remember(key, found.get(key))
        return {k: self._known[k] for k in wanted}

    def find(self, conn: Connection, column: str, value: Any) -> list[Row]:
        """Rows whose ``column`` equals ``value``, as this batch sees them (scans the batch's
        rows: for rare events only)."""
        for r in conn.execute(select(self.table).where(self.table.c[column] == value)):
            row = dict(r._mapping)
            key = self.key_of(row)
            if key not in self._known:
                self._remember(key, row)
        return [row for row in self._known.values() if row is not None and row[column] == value]

    def remember(self, row: Row) -> None:
        """Note a row read from the database by the projection itself (unless already known)."""
        key = self.key_of(row)
        if key not in self._known:
            self._remember(key, row)

    def put(self, row: Row) -> None:
        """Replace (or create) the row with this row's key."""
        key = self.key_of(row)
        if key not in self._known:
            self._stored.add(key)  # written blind: the database may hold an older row
        self._known[key] = row
        self._dirty.add(key)

    def add(self, row: Row) -> None:
        """Insert a row whose key is new (an append-only table)."""
        key = self.key_of(row)
        self._known[key] = row
        self._dirty.add(key)

    def update(self, conn: Connection, *key: Any, **values: Any) -> Row | None:
        """Change some columns of an existing row; None (and nothing changed) if there is none."""
        row = self.get(conn, *key)
        if row is None:
            return None
        changed = {**row, **values}
        self._known[key] = changed
        self._dirty.add(key)
        return changed

    def delete(self, conn: Connection, *key: Any) -> None:
        """Remove the row (if any)."""
        if self.get(conn, *key) is not None:
            self._known[key] = None
            self._dirty.add(key)

    def flush(self, conn: Connection) -> None:
        """Write this batch's changes: delete the changed keys, insert their new rows."""
        stale = [k for k in self._dirty if k in self._stored]
        if stale:
            conn.execute(
                self._delete,
                [
                    {f"key_{n}": v for n, v in zip(self.key_names, key, strict=True)}
                    for key in stale
                ],
            )
        rows = [row for k in self._dirty if (row := self._known[k]) is not None]
        if rows:
            conn.execute(insert(self.table), rows)
        self.discard()

    def discard(self) -> None:
        """Forget this batch."""
        self._known.clear()
        self._stored.clear()
        self._dirty.clear()

    def _remember(self, key: Key, row: Row | None) -> None:
        self._known[key] = row
        if row is not None:
            self._stored.add(key)

    def _matching(self, keys: list[Key]) -> ColumnElement[bool]:
        """Keys as a condition the primary-key index answers: ``last IN (...)`` per prefix (a
        row-value ``IN`` list makes SQLite scan the whole table)."""
        *prefix_columns, last = self.key_columns
        if not prefix_columns:
            return last.in_([k[0] for k in keys])
        groups: dict[Key, list[Any]] = {}
        for key in keys:
            groups.setdefault(key[:-1], []).append(key[-1])
        return or_(
            *(
                and_(*(c == v for c, v in zip(prefix_columns, prefix, strict=True)), last.in_(ends))
                for prefix, ends in groups.items()
            )
        )
